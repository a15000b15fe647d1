package nsutil

import (
	"encoding/binary"
	"errors"
	"fmt"

	"golang.org/x/sys/unix"
)

// More NETNSID traffic than nsid.go needs: what iproute2's ip netns does
// with nsids (look one up by fd or by id, possibly as another namespace
// sees it; assign one; list them all), with the kernel's extended-ack
// text kept, because ip prints it ("Error: Peer netns already has a nsid
// assigned.").

// NetlinkAckError is an error the kernel answered a request (or ended a
// dump) with.
type NetlinkAckError struct {
	Errno unix.Errno
	Msg   string // the extended-ack message, "" when the kernel gave none
	Dump  bool   // it ended a dump (NLMSG_DONE) rather than answering a request
}

func (e *NetlinkAckError) Error() string {
	if e.Msg != "" {
		return "netlink: " + e.Msg
	}
	return "netlink: " + e.Errno.Error()
}

func (e *NetlinkAckError) Unwrap() error { return e.Errno }

// NSIDInfo is the content of one RTM_NEWNSID or RTM_DELNSID message.
type NSIDInfo struct {
	Deleted bool  // RTM_DELNSID
	NSID    int32 // NSIDUnassigned when the peer has no id
	// Current is the id of the same peer in the asking namespace; it is
	// present (HasCurrent) only when the question named a target
	// namespace.
	HasCurrent bool
	Current    int32
}

// ErrNoNSIDAttr is returned for an nsid message that lacks NETNSA_NSID.
var ErrNoNSIDAttr = errors.New("netlink: NETNSA_NSID is missing")

// EnableExtAck asks the kernel to explain errors (NETLINK_EXT_ACK).
func (r *Route) EnableExtAck() error {
	return unix.SetsockoptInt(r.fd, unix.SOL_NETLINK, unix.NETLINK_EXT_ACK, 1)
}

// EnableStrictCheck makes the kernel validate dump requests and honour
// their attributes (NETLINK_GET_STRICT_CHK): without it an nsid dump
// ignores NETNSA_TARGET_NSID.
func (r *Route) EnableStrictCheck() error {
	return unix.SetsockoptInt(r.fd, unix.SOL_NETLINK, unix.NETLINK_GET_STRICT_CHK, 1)
}

// nlMsgFlags returns the nlmsg_flags of a message.
func nlMsgFlags(m NetlinkMsg) uint16 { return binary.NativeEndian.Uint16(m.Raw[6:]) }

// nlWalkAttrs walks netlink attributes (4-byte aligned TLVs), calling fn for
// each well-formed one; it stops at the first malformed length.
func nlWalkAttrs(b []byte, fn func(typ uint16, val []byte)) {
	for len(b) >= 4 {
		l := int(binary.NativeEndian.Uint16(b))
		if l < 4 || l > len(b) {
			return
		}
		fn(binary.NativeEndian.Uint16(b[2:])&^(unix.NLA_F_NESTED|unix.NLA_F_NET_BYTEORDER), b[4:l])
		al := (l + 3) &^ 3
		if al >= len(b) {
			return
		}
		b = b[al:]
	}
}

// nlExtAckMsg returns the NLMSGERR_ATTR_MSG string among TLVs.
func nlExtAckMsg(tlvs []byte) string {
	msg := ""
	nlWalkAttrs(tlvs, func(typ uint16, val []byte) {
		if typ == unix.NLMSGERR_ATTR_MSG {
			for i, c := range val {
				if c == 0 {
					val = val[:i]
					break
				}
			}
			msg = string(val)
		}
	})
	return msg
}

// ParseNetlinkAck decodes an NLMSG_ERROR message: errno 0 is a plain
// acknowledgement. The extended-ack TLVs follow the echoed request, which
// is the whole original message unless the kernel capped it to its
// header (NLM_F_CAPPED).
func ParseNetlinkAck(m NetlinkMsg) (errno unix.Errno, msg string, err error) {
	if m.Type != unix.NLMSG_ERROR || len(m.Data) < 4+unix.NLMSG_HDRLEN {
		return 0, "", errors.New("netlink: truncated error message")
	}
	code := int32(binary.NativeEndian.Uint32(m.Data))
	if code > 0 {
		return 0, "", errors.New("netlink: positive error code")
	}
	errno = unix.Errno(-code)
	flags := nlMsgFlags(m)
	if flags&unix.NLM_F_ACK_TLVS == 0 {
		return errno, "", nil
	}
	off := 4 + unix.NLMSG_HDRLEN
	if flags&unix.NLM_F_CAPPED == 0 {
		orig := int(binary.NativeEndian.Uint32(m.Data[4:]))
		if orig < unix.NLMSG_HDRLEN {
			return errno, "", nil
		}
		off = 4 + (orig+unix.NLMSG_ALIGNTO-1)&^(unix.NLMSG_ALIGNTO-1)
	}
	if off > len(m.Data) {
		return errno, "", nil
	}
	return errno, nlExtAckMsg(m.Data[off:]), nil
}

// ParseNetlinkDone decodes the NLMSG_DONE that ends a dump: an int32
// status (0, or a negative errno when the dump failed) and, when flagged,
// extended-ack TLVs.
func ParseNetlinkDone(m NetlinkMsg) (errno unix.Errno, msg string, err error) {
	if m.Type != unix.NLMSG_DONE || len(m.Data) < 4 {
		return 0, "", errors.New("netlink: truncated done message")
	}
	code := int32(binary.NativeEndian.Uint32(m.Data))
	if code >= 0 {
		return 0, "", nil
	}
	errno = unix.Errno(-code)
	if nlMsgFlags(m)&unix.NLM_F_ACK_TLVS != 0 {
		msg = nlExtAckMsg(m.Data[4:])
	}
	return errno, msg, nil
}

// ParseNSIDInfo decodes an RTM_NEWNSID/RTM_DELNSID message: rtgenmsg
// (padded to 4 bytes), then NETNSA_* attributes.
func ParseNSIDInfo(m NetlinkMsg) (NSIDInfo, error) {
	if m.Type != unix.RTM_NEWNSID && m.Type != unix.RTM_DELNSID {
		return NSIDInfo{}, fmt.Errorf("netlink: message type %d is not an nsid message", m.Type)
	}
	if len(m.Data) < 4 {
		return NSIDInfo{}, errors.New("netlink: truncated nsid message")
	}
	info := NSIDInfo{Deleted: m.Type == unix.RTM_DELNSID}
	haveNSID := false
	nlWalkAttrs(m.Data[4:], func(typ uint16, val []byte) {
		if len(val) < 4 {
			return
		}
		v := int32(binary.NativeEndian.Uint32(val))
		switch typ {
		case netnsaNSID:
			info.NSID, haveNSID = v, true
		case unix.NETNSA_CURRENT_NSID:
			info.Current, info.HasCurrent = v, true
		}
	})
	if !haveNSID {
		return NSIDInfo{}, ErrNoNSIDAttr
	}
	return info, nil
}

// talk sends req and returns the reply whose sequence number matches:
// an error reply becomes a *NetlinkAckError, an acknowledgement is
// returned as it is.
func (r *Route) talk(req []byte) (NetlinkMsg, error) {
	seq := binary.NativeEndian.Uint32(req[8:])
	if err := unix.Sendto(r.fd, req, 0, &unix.SockaddrNetlink{Family: unix.AF_NETLINK}); err != nil {
		return NetlinkMsg{}, fmt.Errorf("netlink send: %w", err)
	}
	buf := make([]byte, 32<<10)
	for {
		msgs, err := r.receive(buf)
		if err != nil {
			return NetlinkMsg{}, err
		}
		for _, m := range msgs {
			if m.Seq != seq {
				continue // a late answer to an earlier request
			}
			if m.Type == unix.NLMSG_ERROR {
				errno, msg, err := ParseNetlinkAck(m)
				if err != nil {
					return NetlinkMsg{}, err
				}
				if errno != 0 {
					return NetlinkMsg{}, &NetlinkAckError{Errno: errno, Msg: msg}
				}
			}
			m.Raw = append([]byte(nil), m.Raw...)
			m.Data = m.Raw[unix.NLMSG_HDRLEN:]
			return m, nil
		}
	}
}

// receive reads one datagram and splits it into messages.
func (r *Route) receive(buf []byte) ([]NetlinkMsg, error) {
	for {
		n, _, err := unix.Recvfrom(r.fd, buf, 0)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("netlink receive: %w", err)
		}
		return ParseNetlink(buf[:n])
	}
}

// queryNSID sends an RTM_GETNSID request and decodes the answer.
func (r *Route) queryNSID(attrs ...[2]int32) (NSIDInfo, error) {
	m, err := r.talk(r.nsidRequest(unix.RTM_GETNSID, unix.NLM_F_REQUEST, attrs...))
	if err != nil {
		return NSIDInfo{}, err
	}
	return ParseNSIDInfo(m)
}

// NSIDOfFD asks for the id the socket's namespace has for the network
// namespace open on nsFd (NSIDUnassigned if none). Errors keep the
// kernel's explanation (*NetlinkAckError): "Peer netns reference is
// invalid" when nsFd is not a network namespace.
func (r *Route) NSIDOfFD(nsFd int) (int32, error) {
	info, err := r.queryNSID([2]int32{netnsaFD, int32(nsFd)})
	return info.NSID, err
}

// LookupNSID asks about the peer the socket's namespace calls nsid. With
// target >= 0 the answer is the id that the namespace the socket's
// namespace calls target has for that peer, with Current set to nsid;
// otherwise NSID is simply nsid.
func (r *Route) LookupNSID(nsid, target int32) (NSIDInfo, error) {
	attrs := [][2]int32{{netnsaNSID, nsid}}
	if target >= 0 {
		attrs = append(attrs, [2]int32{unix.NETNSA_TARGET_NSID, target})
	}
	return r.queryNSID(attrs...)
}

// AssignNSID gives the network namespace open on nsFd the id nsid in the
// socket's namespace (NSIDUnassigned: the kernel picks the lowest free
// one), waiting for the kernel's acknowledgement.
func (r *Route) AssignNSID(nsFd int, nsid int32) error {
	_, err := r.talk(r.nsidRequest(unix.RTM_NEWNSID, unix.NLM_F_REQUEST|unix.NLM_F_ACK,
		[2]int32{netnsaFD, int32(nsFd)}, [2]int32{netnsaNSID, nsid}))
	return err
}

// DumpNSIDs lists the ids the socket's namespace has assigned, in the
// kernel's order (ascending) or, with target >= 0, the ids of the
// namespace it calls target, each with the Current id of the same peer.
// The socket should have EnableStrictCheck, or target is ignored. A
// failed dump returns what arrived before the failure and a
// *NetlinkAckError.
func (r *Route) DumpNSIDs(target int32) ([]NSIDInfo, error) {
	var attrs [][2]int32
	if target >= 0 {
		attrs = append(attrs, [2]int32{unix.NETNSA_TARGET_NSID, target})
	}
	req := r.nsidRequest(unix.RTM_GETNSID, unix.NLM_F_REQUEST|unix.NLM_F_DUMP, attrs...)
	seq := binary.NativeEndian.Uint32(req[8:])
	if err := unix.Sendto(r.fd, req, 0, &unix.SockaddrNetlink{Family: unix.AF_NETLINK}); err != nil {
		return nil, fmt.Errorf("netlink send: %w", err)
	}
	var out []NSIDInfo
	buf := make([]byte, 64<<10)
	for {
		msgs, err := r.receive(buf)
		if err != nil {
			return out, err
		}
		for _, m := range msgs {
			if m.Seq != seq {
				continue
			}
			switch m.Type {
			case unix.NLMSG_DONE:
				errno, msg, err := ParseNetlinkDone(m)
				if err != nil {
					return out, err
				}
				if errno != 0 {
					return out, &NetlinkAckError{Errno: errno, Msg: msg, Dump: true}
				}
				return out, nil
			case unix.NLMSG_ERROR:
				errno, msg, err := ParseNetlinkAck(m)
				if err != nil {
					return out, err
				}
				if errno != 0 {
					return out, &NetlinkAckError{Errno: errno, Msg: msg, Dump: true}
				}
			case unix.RTM_NEWNSID, unix.RTM_DELNSID:
				info, err := ParseNSIDInfo(m)
				if err != nil {
					return out, err
				}
				out = append(out, info)
			}
		}
	}
}

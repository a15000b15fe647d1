package nsutil

import (
	"encoding/binary"
	"errors"
	"fmt"

	"golang.org/x/sys/unix"
)

// NETNSID: the id a network namespace has for a peer namespace, read and
// set over rtnetlink (RTM_GETNSID / RTM_NEWNSID). The socket is created in
// the caller's (thread's) network namespace, so ids are as that namespace
// sees them.

// NSIDUnassigned is the kernel's NETNSA_NSID_NOT_ASSIGNED.
const NSIDUnassigned = -1

const (
	netnsaNSID = 1
	netnsaPID  = 2
	netnsaFD   = 3
	// netnsaTargetNSID = 4
)

// Route is an open NETLINK_ROUTE socket.
type Route struct {
	fd  int
	seq uint32
}

// OpenRoute opens a NETLINK_ROUTE socket (close-on-exec) in the calling
// thread's network namespace.
func OpenRoute() (*Route, error) {
	fd, err := unix.Socket(unix.AF_NETLINK, unix.SOCK_RAW|unix.SOCK_CLOEXEC, unix.NETLINK_ROUTE)
	if err != nil {
		return nil, fmt.Errorf("netlink socket: %w", err)
	}
	if err := unix.Bind(fd, &unix.SockaddrNetlink{Family: unix.AF_NETLINK}); err != nil {
		unix.Close(fd)
		return nil, fmt.Errorf("netlink bind: %w", err)
	}
	return &Route{fd: fd}, nil
}

// Close closes the socket.
func (r *Route) Close() error { return unix.Close(r.fd) }

// nsidRequest builds an RTM_*NSID message: nlmsghdr, rtgenmsg (padded to
// 4 bytes), then int32 attributes.
func (r *Route) nsidRequest(typ uint16, flags uint16, attrs ...[2]int32) []byte {
	r.seq++
	n := unix.NLMSG_HDRLEN + 4 + 8*len(attrs)
	b := make([]byte, n)
	binary.NativeEndian.PutUint32(b[0:], uint32(n))
	binary.NativeEndian.PutUint16(b[4:], typ)
	binary.NativeEndian.PutUint16(b[6:], flags)
	binary.NativeEndian.PutUint32(b[8:], r.seq)
	b[unix.NLMSG_HDRLEN] = unix.AF_UNSPEC
	off := unix.NLMSG_HDRLEN + 4
	for _, a := range attrs {
		binary.NativeEndian.PutUint16(b[off:], 8)
		binary.NativeEndian.PutUint16(b[off+2:], uint16(a[0]))
		binary.NativeEndian.PutUint32(b[off+4:], uint32(a[1]))
		off += 8
	}
	return b
}

// roundtrip sends req and returns the first reply message (header
// included). A NLMSG_ERROR reply with a non-zero code becomes that errno.
func (r *Route) roundtrip(req []byte) ([]byte, error) {
	if err := unix.Sendto(r.fd, req, 0, &unix.SockaddrNetlink{Family: unix.AF_NETLINK}); err != nil {
		return nil, fmt.Errorf("netlink send: %w", err)
	}
	buf := make([]byte, 4096)
	for {
		msgs, err := r.receive(buf)
		if err != nil {
			return nil, err
		}
		for _, m := range msgs {
			if m.Seq != r.seq {
				continue // a stale reply to an earlier request
			}
			if m.Type == unix.NLMSG_ERROR {
				if len(m.Data) < 4 {
					return nil, errors.New("netlink: short error message")
				}
				if code := int32(binary.NativeEndian.Uint32(m.Data)); code != 0 {
					return nil, unix.Errno(-code)
				}
			}
			return append([]byte(nil), m.Raw...), nil
		}
	}
}

// NetlinkMsg is one decoded netlink message.
type NetlinkMsg struct {
	Type uint16
	Seq  uint32
	Data []byte // payload after the header
	Raw  []byte // header and payload
}

// ParseNetlink splits a datagram into messages, checking every length.
func ParseNetlink(b []byte) ([]NetlinkMsg, error) {
	var msgs []NetlinkMsg
	for len(b) >= unix.NLMSG_HDRLEN {
		l := int(binary.NativeEndian.Uint32(b))
		if l < unix.NLMSG_HDRLEN || l > len(b) {
			return nil, errors.New("netlink: malformed message length")
		}
		msgs = append(msgs, NetlinkMsg{
			Type: binary.NativeEndian.Uint16(b[4:]),
			Seq:  binary.NativeEndian.Uint32(b[8:]),
			Data: b[unix.NLMSG_HDRLEN:l],
			Raw:  b[:l],
		})
		al := (l + unix.NLMSG_ALIGNTO - 1) &^ (unix.NLMSG_ALIGNTO - 1)
		if al > len(b) {
			break
		}
		b = b[al:]
	}
	return msgs, nil
}

// NSIDAttr returns the int32 NETNSA_NSID attribute of an RTM_NEWNSID
// message (rtgenmsg then attributes); ok is false when the message is not
// one or the attribute is missing, which callers show as "unusable".
func NSIDAttr(m []byte) (id int32, ok bool) {
	msgs, err := ParseNetlink(m)
	if err != nil || len(msgs) != 1 || msgs[0].Type != unix.RTM_NEWNSID {
		return 0, false
	}
	a := msgs[0].Data
	if len(a) < 4 {
		return 0, false
	}
	a = a[4:]
	for len(a) >= 4 {
		l := int(binary.NativeEndian.Uint16(a))
		t := binary.NativeEndian.Uint16(a[2:])
		if l < 4 || l > len(a) {
			return 0, false
		}
		if t&^unix.NLA_F_NESTED == netnsaNSID && l >= 8 {
			return int32(binary.NativeEndian.Uint32(a[4:])), true
		}
		al := (l + 3) &^ 3
		if al > len(a) {
			break
		}
		a = a[al:]
	}
	return 0, false
}

// GetNSID asks for the id of the network namespace open on nsFd, as the
// socket's namespace sees it: NSIDUnassigned when it has none.
func (r *Route) GetNSID(nsFd int) (int32, error) {
	reply, err := r.roundtrip(r.nsidRequest(unix.RTM_GETNSID, unix.NLM_F_REQUEST, [2]int32{netnsaFD, int32(nsFd)}))
	if err != nil {
		return 0, err
	}
	id, ok := NSIDAttr(reply)
	if !ok {
		return 0, errors.New("netlink: unexpected RTM_GETNSID reply")
	}
	return id, nil
}

// SetNSID assigns id (or -1: let the kernel choose) to the network
// namespace open on nsFd.
func (r *Route) SetNSID(nsFd int, id int32) error {
	_, err := r.roundtrip(r.nsidRequest(unix.RTM_NEWNSID, unix.NLM_F_REQUEST|unix.NLM_F_ACK,
		[2]int32{netnsaFD, int32(nsFd)}, [2]int32{netnsaNSID, id}))
	return err
}

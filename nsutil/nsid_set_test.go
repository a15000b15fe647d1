package nsutil

import (
	"encoding/binary"
	"errors"
	"os"
	"runtime"
	"testing"

	"golang.org/x/sys/unix"
)

// Builders for netlink messages as the kernel sends them.

func nlTestMsg(typ, flags uint16, seq uint32, payload []byte) []byte {
	n := unix.NLMSG_HDRLEN + len(payload)
	b := make([]byte, (n+3)&^3)
	binary.NativeEndian.PutUint32(b[0:], uint32(n))
	binary.NativeEndian.PutUint16(b[4:], typ)
	binary.NativeEndian.PutUint16(b[6:], flags)
	binary.NativeEndian.PutUint32(b[8:], seq)
	copy(b[unix.NLMSG_HDRLEN:], payload)
	return b
}

func nlTestAttr(typ uint16, val []byte) []byte {
	b := make([]byte, (4+len(val)+3)&^3)
	binary.NativeEndian.PutUint16(b[0:], uint16(4+len(val)))
	binary.NativeEndian.PutUint16(b[2:], typ)
	copy(b[4:], val)
	return b
}

func nlTestS32(v int32) []byte {
	b := make([]byte, 4)
	binary.NativeEndian.PutUint32(b, uint32(v))
	return b
}

// nlTestNSID is an RTM_NEWNSID message with the given attributes.
func nlTestNSID(attrs ...[]byte) []byte {
	p := []byte{unix.AF_UNSPEC, 0, 0, 0}
	for _, a := range attrs {
		p = append(p, a...)
	}
	return nlTestMsg(unix.RTM_NEWNSID, 0, 1, p)
}

// nlTestError is an NLMSG_ERROR answering req with errno and, when msg is
// not "", an extended-ack message; capped echoes only req's header.
func nlTestError(errno int32, req []byte, capped bool, msg string) []byte {
	p := nlTestS32(-errno)
	flags := uint16(0)
	if capped {
		p = append(p, req[:unix.NLMSG_HDRLEN]...)
		flags |= unix.NLM_F_CAPPED
	} else {
		p = append(p, req...)
	}
	if msg != "" {
		flags |= unix.NLM_F_ACK_TLVS
		p = append(p, nlTestAttr(unix.NLMSGERR_ATTR_MSG, append([]byte(msg), 0))...)
		p = append(p, nlTestAttr(unix.NLMSGERR_ATTR_OFFS, nlTestS32(20))...)
	}
	return nlTestMsg(unix.NLMSG_ERROR, flags, 1, p)
}

func nlTestDone(errno int32, msg string) []byte {
	p := nlTestS32(-errno)
	flags := uint16(unix.NLM_F_MULTI)
	if msg != "" {
		flags |= unix.NLM_F_ACK_TLVS
		p = append(p, nlTestAttr(unix.NLMSGERR_ATTR_MSG, append([]byte(msg), 0))...)
	}
	return nlTestMsg(unix.NLMSG_DONE, flags, 1, p)
}

func nlTestOnly(t *testing.T, b []byte) NetlinkMsg {
	t.Helper()
	msgs, err := ParseNetlink(b)
	if err != nil || len(msgs) != 1 {
		t.Fatalf("ParseNetlink: %d messages, %v", len(msgs), err)
	}
	return msgs[0]
}

func TestParseNetlinkAck(t *testing.T) {
	req := nlTestNSID(nlTestAttr(netnsaFD, nlTestS32(3)), nlTestAttr(netnsaNSID, nlTestS32(6)))
	cases := []struct {
		name   string
		msg    []byte
		errno  unix.Errno
		extack string
	}{
		{"ack", nlTestError(0, req, true, ""), 0, ""},
		{"plain error", nlTestError(int32(unix.EPERM), req, false, ""), unix.EPERM, ""},
		{"extack after full echo", nlTestError(int32(unix.EEXIST), req, false, "Peer netns already has a nsid assigned"),
			unix.EEXIST, "Peer netns already has a nsid assigned"},
		{"extack after capped echo", nlTestError(int32(unix.EINVAL), req, true, "Peer netns reference is invalid"),
			unix.EINVAL, "Peer netns reference is invalid"},
	}
	for _, c := range cases {
		errno, msg, err := ParseNetlinkAck(nlTestOnly(t, c.msg))
		if err != nil || errno != c.errno || msg != c.extack {
			t.Errorf("%s: got (%v, %q, %v), want (%v, %q, nil)", c.name, errno, msg, err, c.errno, c.extack)
		}
	}
	if _, _, err := ParseNetlinkAck(nlTestOnly(t, nlTestMsg(unix.NLMSG_ERROR, 0, 1, nlTestS32(-1)))); err == nil {
		t.Error("a truncated error message was accepted")
	}
	if _, _, err := ParseNetlinkAck(nlTestOnly(t, nlTestError(-5, req, true, ""))); err == nil {
		t.Error("a positive error code was accepted")
	}
}

func TestParseNetlinkDone(t *testing.T) {
	errno, msg, err := ParseNetlinkDone(nlTestOnly(t, nlTestDone(0, "")))
	if errno != 0 || msg != "" || err != nil {
		t.Errorf("clean done: %v %q %v", errno, msg, err)
	}
	errno, msg, err = ParseNetlinkDone(nlTestOnly(t, nlTestDone(int32(unix.EINVAL), "Invalid target network namespace id")))
	if errno != unix.EINVAL || msg != "Invalid target network namespace id" || err != nil {
		t.Errorf("failed done: %v %q %v", errno, msg, err)
	}
	errno, msg, err = ParseNetlinkDone(nlTestOnly(t, nlTestDone(int32(unix.ENOENT), "")))
	if errno != unix.ENOENT || msg != "" || err != nil {
		t.Errorf("failed done without extack: %v %q %v", errno, msg, err)
	}
}

func TestParseNSIDInfo(t *testing.T) {
	info, err := ParseNSIDInfo(nlTestOnly(t, nlTestNSID(nlTestAttr(netnsaNSID, nlTestS32(7)))))
	if err != nil || info != (NSIDInfo{NSID: 7}) {
		t.Errorf("plain: %+v %v", info, err)
	}
	info, err = ParseNSIDInfo(nlTestOnly(t, nlTestNSID(
		nlTestAttr(unix.NETNSA_CURRENT_NSID, nlTestS32(-1)), nlTestAttr(netnsaNSID, nlTestS32(5)))))
	if err != nil || info != (NSIDInfo{NSID: 5, HasCurrent: true, Current: -1}) {
		t.Errorf("with current: %+v %v", info, err)
	}
	if _, err := ParseNSIDInfo(nlTestOnly(t, nlTestNSID(nlTestAttr(netnsaPID, nlTestS32(1))))); !errors.Is(err, ErrNoNSIDAttr) {
		t.Errorf("missing NSID: %v", err)
	}
	del := nlTestNSID(nlTestAttr(netnsaNSID, nlTestS32(2)))
	binary.NativeEndian.PutUint16(del[4:], unix.RTM_DELNSID)
	if info, err := ParseNSIDInfo(nlTestOnly(t, del)); err != nil || !info.Deleted || info.NSID != 2 {
		t.Errorf("deleted: %+v %v", info, err)
	}
	// a short attribute value is skipped, not read past its end
	if _, err := ParseNSIDInfo(nlTestOnly(t, nlTestNSID(nlTestAttr(netnsaNSID, []byte{1, 2})))); !errors.Is(err, ErrNoNSIDAttr) {
		t.Errorf("short NSID: %v", err)
	}
}

// The kernel's own answers, from the test's network namespace, which has
// no reason to know the ids asked about.
func TestNSIDLiveErrors(t *testing.T) {
	r, err := OpenRoute()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if err := r.EnableExtAck(); err != nil {
		t.Fatal(err)
	}
	if err := r.EnableStrictCheck(); err != nil {
		t.Fatal(err)
	}
	var ae *NetlinkAckError
	_, err = r.LookupNSID(2147483000, -1)
	if !errors.As(err, &ae) || ae.Msg != "Peer netns reference is invalid" || ae.Dump {
		t.Errorf("lookup of an unknown id: %v", err)
	}
	_, err = r.DumpNSIDs(2147483000)
	if !errors.As(err, &ae) || ae.Msg != "Invalid target network namespace id" || !ae.Dump {
		t.Errorf("dump with an unknown target: %v", err)
	}
	f, err := os.Open("/")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	_, err = r.NSIDOfFD(int(f.Fd()))
	if !errors.As(err, &ae) || ae.Errno != unix.EINVAL || ae.Msg != "Peer netns reference is invalid" {
		t.Errorf("id of a directory: %v", err)
	}
}

// Assign, read back and list an id between two fresh namespaces, made on
// a thread of their own that is thrown away afterwards (it never unlocks).
func TestNSIDLiveAssign(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("creating network namespaces needs root")
	}
	done := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		done <- nlTestAssignBetweenFresh()
	}()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

func nlTestAssignBetweenFresh() error {
	if err := UnshareNetns(); err != nil {
		return err
	}
	r, err := OpenRoute() // the "current" namespace's table
	if err != nil {
		return err
	}
	defer r.Close()
	r.EnableExtAck()
	r.EnableStrictCheck()
	if err := UnshareNetns(); err != nil {
		return err
	}
	peer, err := unix.Open(ThreadNetnsFile, unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return err
	}
	defer unix.Close(peer)
	if id, err := r.NSIDOfFD(peer); err != nil || id != NSIDUnassigned {
		return errors.Join(errors.New("fresh peer should have no id"), err)
	}
	if err := r.AssignNSID(peer, 7); err != nil {
		return err
	}
	if id, err := r.NSIDOfFD(peer); err != nil || id != 7 {
		return errors.Join(errors.New("id 7 not read back"), err)
	}
	var ae *NetlinkAckError
	if err := r.AssignNSID(peer, 8); !errors.As(err, &ae) || ae.Msg != "Peer netns already has a nsid assigned" {
		return errors.Join(errors.New("a second id was not refused with the kernel's message"), err)
	}
	infos, err := r.DumpNSIDs(-1)
	if err != nil || len(infos) != 1 || infos[0] != (NSIDInfo{NSID: 7}) {
		return errors.Join(errors.New("dump should list exactly id 7"), err)
	}
	if info, err := r.LookupNSID(7, -1); err != nil || info.NSID != 7 {
		return errors.Join(errors.New("lookup of id 7 failed"), err)
	}
	return nil
}

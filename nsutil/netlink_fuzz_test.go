package nsutil

import (
	"testing"

	"golang.org/x/sys/unix"
)

// FuzzNetlinkDecode feeds arbitrary datagrams to every netlink decoder:
// none may panic or read outside the buffer, and whatever ParseNetlink
// returns must lie inside the input. The seeds (well-formed kernel
// answers and damaged ones) run with every go test.
func FuzzNetlinkDecode(f *testing.F) {
	req := nlTestNSID(nlTestAttr(netnsaFD, nlTestS32(3)), nlTestAttr(netnsaNSID, nlTestS32(6)))
	seeds := [][]byte{
		nlTestNSID(nlTestAttr(netnsaNSID, nlTestS32(5))),
		nlTestNSID(nlTestAttr(unix.NETNSA_CURRENT_NSID, nlTestS32(2)), nlTestAttr(netnsaNSID, nlTestS32(7))),
		nlTestError(0, req, true, ""),
		nlTestError(int32(unix.EEXIST), req, false, "Peer netns already has a nsid assigned"),
		nlTestError(int32(unix.EINVAL), req, true, "Peer netns reference is invalid"),
		nlTestDone(0, ""),
		nlTestDone(int32(unix.EINVAL), "Invalid target network namespace id"),
		append(nlTestNSID(nlTestAttr(netnsaNSID, nlTestS32(1))), nlTestDone(0, "")...),
		nlTestNSID(nlTestAttr(netnsaNSID, []byte{1})),
		{},
		{0xff, 0xff, 0xff, 0xff},
		nlTestMsg(unix.NLMSG_ERROR, unix.NLM_F_ACK_TLVS, 1, nlTestS32(-22)),
	}
	// an error whose echoed header claims a huge original length
	bad := nlTestError(int32(unix.EINVAL), req, false, "x")
	bad[unix.NLMSG_HDRLEN+4] = 0xff
	bad[unix.NLMSG_HDRLEN+5] = 0xff
	seeds = append(seeds, bad)
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		msgs, err := ParseNetlink(b)
		if err != nil {
			return
		}
		total := 0
		for _, m := range msgs {
			if len(m.Raw) < unix.NLMSG_HDRLEN || len(m.Data) != len(m.Raw)-unix.NLMSG_HDRLEN {
				t.Fatalf("message with inconsistent lengths: raw %d data %d", len(m.Raw), len(m.Data))
			}
			total += len(m.Raw)
			NSIDAttr(m.Raw)
			ParseNSIDInfo(m)
			if m.Type == unix.NLMSG_ERROR {
				ParseNetlinkAck(m)
			}
			if m.Type == unix.NLMSG_DONE {
				ParseNetlinkDone(m)
			}
		}
		if total > len(b) {
			t.Fatalf("messages cover %d bytes of a %d-byte datagram", total, len(b))
		}
	})
}

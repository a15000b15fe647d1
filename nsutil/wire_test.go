package nsutil

import (
	"reflect"
	"testing"
)

func TestHandoverRoundTrip(t *testing.T) {
	proc, off := "/proc", int64(-5)
	u := &Unshare{Flags: 0x7e020000, Persist: map[string]string{"net": "/x", "user": "/y"}, Fork: true, KillSignal: 9,
		EUID: 1000, EGID: 1000, MapUser: 0, MapGroup: NoID, UIDRanges: []IDRange{{1, 100000, 10, true}}, GIDRanges: nil,
		OwnerUID: NoID, OwnerGID: NoID, Setgroups: "deny", Propagation: 0x44000, MountProc: &proc, Monotonic: &off,
		EnvKeep: []string{"A=1"}, Argv: []string{"sh", "-c", "echo ünïcode\x00"}}
	e := NewEnter()
	e.Target, e.Slots[2].Enabled, e.Slots[2].Fd, e.WdNS, e.HasWdNS, e.Argv = 42, true, 5, "/w", true, []string{"true"}
	for _, d := range []handover{
		{Role: roleUnshareStage2, Unshare: &unshareState{Req: u, BindHelper: helperHandle{PID: 7, Fd: 8}, ParentPidfd: -1, Dumpable: 1, TailAt: -1}},
		{Role: roleEnterStage2, Enter: &enterState{Req: e, Pidfd: 3, EnvFd: -1, OwnerFd: -1, CgroupFd: -1,
			Ops: []planOp{{Kind: 1, Fd: 3, Arg: 0x40000000, Flags: 1, Strs: []string{}},
				{Kind: 14, Fd: -1, Arg: 1, Arg2: 1, OkErr: 2, Strs: []string{"/bin/true", "true", ""}}},
			OpNames: []string{"", ""}, UserOp: -1, Carried: []int{3, 5}, TailAt: 1}},
		{Role: roleHelper, Helper: &helperJob{Binds: [][2]string{{"/proc/1/ns/net", "/x"}}, SyncFd: 4}},
		{Role: roleHelper, Helper: &helperJob{PID: 9, UIDMap: []IDRange{{0, 100000, 65536, false}}, GIDMap: []IDRange{}}},
	} {
		got, err := decodeHandover(encodeHandover(d))
		if err != nil {
			t.Fatalf("%s: %v", d.Role, err)
		}
		if !reflect.DeepEqual(got, d) {
			t.Errorf("round trip of %s:\n got %+v\nwant %+v", d.Role, got, d)
		}
	}
}

// FuzzHandover: no byte string makes the decoder panic or allocate more
// than the input can hold.
func FuzzHandover(f *testing.F) {
	f.Add(encodeHandover(handover{Role: roleHelper, Helper: &helperJob{PID: 1}}))
	f.Add([]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01})
	f.Fuzz(func(t *testing.T, b []byte) {
		decodeHandover(b)
	})
}

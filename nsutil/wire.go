package nsutil

import (
	"encoding/binary"
	"errors"

	"golang.org/x/sys/unix"
)

// The handover document is written in a small binary form of our own:
// encoding/json would be a third of a megabyte of the static binary for
// a few structs. Each struct lists its fields once, in fields(w); the
// same list writes them (w.dec == false) and reads them back.

// wire is an encoder or a decoder.
type wire struct {
	dec bool
	b   []byte
	err error
}

var errShortHandover = errors.New("handover document is truncated")

func (w *wire) u64(v *uint64) {
	if !w.dec {
		w.b = binary.AppendUvarint(w.b, *v)
		return
	}
	x, n := binary.Uvarint(w.b)
	if n <= 0 {
		w.err, w.b = errShortHandover, nil
		return
	}
	*v, w.b = x, w.b[n:]
}

func (w *wire) int(v *int) {
	u := uint64(int64(*v))
	w.u64(&u)
	*v = int(int64(u))
}

func (w *wire) u32(v *uint32) {
	u := uint64(*v)
	w.u64(&u)
	*v = uint32(u)
}

func (w *wire) ptr(v *uintptr) {
	u := uint64(*v)
	w.u64(&u)
	*v = uintptr(u)
}

func (w *wire) bool(v *bool) {
	var u uint64
	if *v {
		u = 1
	}
	w.u64(&u)
	*v = u == 1
}

func (w *wire) str(v *string) {
	n := uint64(len(*v))
	w.u64(&n)
	if !w.dec {
		w.b = append(w.b, *v...)
		return
	}
	if n > uint64(len(w.b)) {
		w.err, w.b = errShortHandover, nil
		return
	}
	*v, w.b = string(w.b[:n]), w.b[n:]
}

// count writes or reads a length, bounded by what is left to read.
func (w *wire) count(n int) int {
	u := uint64(n)
	w.u64(&u)
	if w.dec && u > uint64(len(w.b)) {
		w.err, w.b = errShortHandover, nil
		return 0
	}
	return int(u)
}

func (w *wire) strs(v *[]string) {
	n := w.count(len(*v))
	if w.dec {
		*v = make([]string, n)
	}
	for i := range *v {
		w.str(&(*v)[i])
	}
}

func (w *wire) ints(v *[]int) {
	n := w.count(len(*v))
	if w.dec {
		*v = make([]int, n)
	}
	for i := range *v {
		w.int(&(*v)[i])
	}
}

// present writes or reads whether an optional value is there.
func (w *wire) present(there bool) bool {
	w.bool(&there)
	return there
}

func (w *wire) optStr(v **string) {
	if w.present(*v != nil) {
		if w.dec {
			*v = new(string)
		}
		w.str(*v)
	}
}

func (w *wire) optInt64(v **int64) {
	if w.present(*v != nil) {
		if w.dec {
			*v = new(int64)
		}
		u := uint64(**v)
		w.u64(&u)
		**v = int64(u)
	}
}

func (w *wire) ops(v *[]planOp) {
	n := w.count(len(*v))
	if w.dec {
		*v = make([]planOp, n)
	}
	for i := range *v {
		op := &(*v)[i]
		w.u32(&op.Kind)
		fd, okErr := int(op.Fd), int(op.OkErr)
		w.int(&fd)
		w.int(&okErr)
		op.Fd, op.OkErr = int32(fd), int32(okErr)
		w.u64(&op.Arg)
		w.u64(&op.Arg2)
		w.u32(&op.Flags)
		w.u32(&op.Ref)
		w.strs(&op.Strs)
	}
}

func (w *wire) ranges(v *[]IDRange) {
	// nil and empty differ: a nil list is "no --map-users".
	if !w.present(*v != nil) {
		return
	}
	n := w.count(len(*v))
	if w.dec {
		*v = make([]IDRange, n)
	}
	for i := range *v {
		r := &(*v)[i]
		w.u32(&r.Inner)
		w.u32(&r.Outer)
		w.u32(&r.Count)
		w.bool(&r.AutoInner)
	}
}

func (d *handover) fields(w *wire) {
	w.str(&d.Role)
	if w.present(d.Unshare != nil) {
		if w.dec {
			d.Unshare = &unshareState{}
		}
		d.Unshare.fields(w)
	}
	if w.present(d.Enter != nil) {
		if w.dec {
			d.Enter = &enterState{}
		}
		d.Enter.fields(w)
	}
	if w.present(d.Helper != nil) {
		if w.dec {
			d.Helper = &helperJob{}
		}
		d.Helper.fields(w)
	}
	w.u64(&d.Ignore)
	w.optStr(&d.ForeignStage)
	if w.present(d.Program != nil) {
		if w.dec {
			d.Program = &programJob{}
		}
		w.strs(&d.Program.Argv)
		w.strs(&d.Program.Env)
		w.u64(&d.Program.Ignore)
		w.bool(&d.Program.SetGID)
		w.bool(&d.Program.GroupsMayFail)
		w.u32(&d.Program.GID)
		w.bool(&d.Program.SetUID)
		w.u32(&d.Program.UID)
		w.bool(&d.Program.KeepCaps)
	}
}

func (st *unshareState) fields(w *wire) {
	if w.dec {
		st.Req = &Unshare{}
	}
	st.Req.fields(w)
	w.int(&st.BindHelper.PID)
	w.int(&st.BindHelper.Fd)
	w.int(&st.MapHelper.PID)
	w.int(&st.MapHelper.Fd)
	w.bool(&st.AmbientSet)
	w.int(&st.ParentPidfd)
	w.int(&st.Dumpable)
	w.int(&st.TailAt)
	w.u64(&st.Ignored)
}

func (u *Unshare) fields(w *wire) {
	w.ptr(&u.Flags)
	n := w.count(len(u.Persist))
	if w.dec {
		u.Persist = map[string]string{}
		for i := 0; i < n && w.err == nil; i++ {
			var k, v string
			w.str(&k)
			w.str(&v)
			u.Persist[k] = v
		}
	} else {
		for _, t := range Namespaces { // a fixed order
			if v, ok := u.Persist[t.Name]; ok {
				k := t.Name
				w.str(&k)
				w.str(&v)
			}
		}
	}
	w.bool(&u.Fork)
	sig := int(u.KillSignal)
	w.int(&sig)
	u.KillSignal = unix.Signal(sig)
	w.bool(&u.ForwardSignals)
	w.u32(&u.EUID)
	w.u32(&u.EGID)
	w.u32(&u.MapUser)
	w.u32(&u.MapGroup)
	w.ranges(&u.UIDRanges)
	w.ranges(&u.GIDRanges)
	w.u32(&u.OwnerUID)
	w.u32(&u.OwnerGID)
	w.str(&u.Setgroups)
	w.ptr(&u.Propagation)
	w.optStr(&u.MountProc)
	w.optStr(&u.MountBinfmt)
	w.optStr(&u.LoadInterp)
	w.optStr(&u.Root)
	w.optStr(&u.Wd)
	w.u32(&u.SetUID)
	w.u32(&u.SetGID)
	w.bool(&u.ForceUID)
	w.bool(&u.ForceGID)
	w.bool(&u.KeepCaps)
	w.optInt64(&u.Monotonic)
	w.optInt64(&u.Boottime)
	w.bool(&u.ClearEnv)
	w.strs(&u.EnvKeep)
	w.strs(&u.Argv)
}

func (st *enterState) fields(w *wire) {
	if w.dec {
		st.Req = &Enter{}
	}
	st.Req.fields(w)
	w.int(&st.Pidfd)
	w.int(&st.EnvFd)
	w.int(&st.OwnerFd)
	w.int(&st.CgroupFd)
	w.ops(&st.Ops)
	w.strs(&st.OpNames)
	w.int(&st.UserOp)
	w.bool(&st.Fork)
	w.int(&st.GroupsErrs)
	w.ints(&st.Carried)
	w.bool(&st.LatePID)
	w.int(&st.TailAt)
}

func (e *Enter) fields(w *wire) {
	w.int(&e.Target)
	w.int(&e.TargetPidfd)
	n := w.count(len(e.Slots))
	if w.dec {
		e.Slots = make([]NSSlot, n)
	}
	for i := range e.Slots {
		w.bool(&e.Slots[i].Enabled)
		w.int(&e.Slots[i].Fd)
	}
	for _, b := range []*bool{&e.All, &e.NoFork, &e.PreserveCred, &e.KeepCaps, &e.UserParent, &e.Env,
		&e.JoinCgroup, &e.TargetRoot, &e.TargetWd, &e.HasWdNS, &e.ForceUID, &e.ForceGID, &e.FollowUID, &e.FollowGID} {
		w.bool(b)
	}
	w.int(&e.NetSocket)
	w.int(&e.RootFd)
	w.int(&e.WdFd)
	w.str(&e.WdNS)
	w.u32(&e.UID)
	w.u32(&e.GID)
	w.strs(&e.Argv)
}

func (j *helperJob) fields(w *wire) {
	// A nil Binds is a map job, not an empty bind job.
	if w.present(j.Binds != nil) {
		n := w.count(len(j.Binds))
		if w.dec {
			j.Binds = make([][2]string, n)
		}
		for i := range j.Binds {
			w.str(&j.Binds[i][0])
			w.str(&j.Binds[i][1])
		}
	}
	w.int(&j.PID)
	w.ranges(&j.UIDMap)
	w.ranges(&j.GIDMap)
	w.int(&j.SyncFd)
}

// encodeHandover and decodeHandover are the two directions.
func encodeHandover(d handover) []byte {
	w := &wire{}
	d.fields(w)
	return w.b
}

func decodeHandover(b []byte) (handover, error) {
	var d handover
	w := &wire{dec: true, b: b}
	d.fields(w)
	if w.err == nil && len(w.b) != 0 {
		w.err = errors.New("handover document has trailing bytes")
	}
	return d, w.err
}

package nsutil

import (
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"golang.org/x/sys/unix"

	"nsbox/nsutil/prestage"
)

// Unshare is one unshare(1) request, already checked and resolved by the
// applet's flag layer (names looked up, subordinate id files read): what
// is left are the steps, in util-linux 2.42's order.
type Unshare struct {
	Flags   uintptr           // CLONE_NEW* to create
	Persist map[string]string // namespace name ("net") -> file to bind it on

	Fork           bool
	KillSignal     unix.Signal // parent-death signal for the child, 0 for none
	ForwardSignals bool

	EUID, EGID         uint32    // the caller's effective ids, captured at start
	MapUser, MapGroup  uint32    // single mapping for EUID/EGID, NoID for none
	UIDRanges          []IDRange // --map-users..., in command-line order
	GIDRanges          []IDRange
	OwnerUID, OwnerGID uint32 // --owner, NoID for none
	Setgroups          string // "allow", "deny" or "" (leave it)

	// The paths are pointers because an empty one given is not the
	// same as none: util-linux hands "" to the system call, which fails.
	Propagation uintptr // MS_REC|MS_PRIVATE by default, 0 for "unchanged"
	MountProc   *string // where to mount proc
	MountBinfmt *string // where to mount binfmt_misc
	LoadInterp  *string // binfmt_misc registration string
	Root, Wd    *string

	SetUID, SetGID     uint32
	ForceUID, ForceGID bool
	KeepCaps           bool

	Monotonic, Boottime *int64

	ClearEnv  bool
	EnvKeep   []string // --whitelist-env: NAME=VALUE pairs captured at parse time
	Whitelist bool

	Argv []string // program and arguments; empty: the login shell
}

// unshareState is an Unshare in progress, as handed to the second half of
// the pre-runtime stage or to the forked child.
type unshareState struct {
	Req         *Unshare
	BindHelper  helperHandle // bind mounts from the original namespaces
	MapHelper   helperHandle // id maps written from the parent user namespace
	AmbientSet  bool         // the child was started with every cap ambient
	ParentPidfd int          // the original parent, for --kill-child's check
	Dumpable    int          // PR_GET_DUMPABLE before the re-exec
	TailAt      int          // index of the steps in the stage's plan, -1: Go runs them
	Ignored     uint64       // bit n-1: signal n was ignored when the first incarnation started
}

// stageFlags are the namespaces the pre-runtime stage creates together
// with the user namespace (so they are owned by it, as util-linux's single
// unshare call makes them). PID and TIME are left to Go: a pid namespace
// change before the runtime starts its threads makes thread creation fail,
// and older kernels refuse new threads while time differs from
// time_for_children.
const stageFlags = unix.CLONE_NEWUSER | unix.CLONE_NEWNS | unix.CLONE_NEWNET |
	unix.CLONE_NEWUTS | unix.CLONE_NEWIPC | unix.CLONE_NEWCGROUP

// Run carries out the request. It returns only on failure, or with the
// forked child's exit status; on success the program replaces us.
func (u *Unshare) Run() error {
	if (u.Monotonic != nil || u.Boottime != nil) && u.Flags&unix.CLONE_NEWTIME == 0 {
		return errxf("options --monotonic and --boottime require unsharing of a time namespace (-T)")
	}
	_, _, ignored, _ := prestage.Inherited()
	st := &unshareState{Req: u, ParentPidfd: -1, TailAt: -1, Ignored: ignored}

	// Helpers that must keep working from the original namespaces are
	// forked first: binds for persistence, then id maps.
	if len(u.Persist) > 0 && u.Flags&(unix.CLONE_NEWNS|unix.CLONE_NEWUSER) != 0 {
		h, err := startHelper(&helperJob{Binds: u.bindList(os.Getpid())})
		if err != nil {
			return err
		}
		st.BindHelper = h
	}
	if u.UIDRanges != nil || (u.MapUser != NoID && u.OwnerUID != NoID) {
		u.UIDRanges = MergeSingle(u.UIDRanges, u.EUID, u.MapUser)
		u.MapUser = NoID
	}
	if u.GIDRanges != nil || (u.MapGroup != NoID && u.OwnerGID != NoID) {
		u.GIDRanges = MergeSingle(u.GIDRanges, u.EGID, u.MapGroup)
		u.MapGroup = NoID
	}
	if u.UIDRanges != nil || u.GIDRanges != nil {
		h, err := startHelper(&helperJob{PID: os.Getpid(), UIDMap: u.UIDRanges, GIDMap: u.GIDRanges})
		if err != nil {
			return err
		}
		st.MapHelper = h
	}

	// --owner: the new user namespace belongs to whoever creates it.
	if u.OwnerGID != NoID {
		if err := syscall.Setgroups(nil); err != nil {
			return errf(err, "setgroups failed")
		}
		if err := syscall.Setgid(int(u.OwnerGID)); err != nil {
			return errf(err, "setgid() failed")
		}
	}
	if u.OwnerUID != NoID {
		if err := syscall.Setuid(int(u.OwnerUID)); err != nil {
			return errf(err, "setuid() failed")
		}
	}

	if u.Flags&unix.CLONE_NEWUSER == 0 {
		if err := unix.Unshare(int(u.Flags)); err != nil {
			return errf(err, "unshare failed")
		}
		return st.afterSteps().run()
	}

	// A user namespace can only be created by a single-threaded process:
	// become this binary again, have the pre-runtime stage create it
	// before the Go runtime starts, and go on in resumeUnshare.
	if !prestage.Compiled {
		return errxf("creating a user namespace needs nsbox built with cgo (the pre-runtime stage)")
	}
	st.BindHelper.keepAcrossExec()
	st.MapHelper.keepAcrossExec()
	// Executing an unreadable binary again would make us non-dumpable,
	// and so unable to open our own /proc/self/uid_map: the second half
	// puts back what the first half had.
	st.Dumpable, _ = unix.PrctlRetInt(unix.PR_GET_DUMPABLE, 0, 0, 0, 0)
	ops := []planOp{{Kind: prestage.OpUnshare, Arg: uint64(u.Flags & stageFlags)}}
	if tail, ok := st.stage2Steps().stageOps(); ok && len(ops)+len(tail) <= prestage.MaxOps {
		st.TailAt = len(ops)
		ops = append(ops, tail...)
	}
	return reexec(ops, handover{Role: roleUnshareStage2, Unshare: st})
}

// resumeUnshare is the second half of Run after the pre-runtime stage.
func resumeUnshare(st *unshareState, res prestage.Result) error {
	st.BindHelper.closeOnExec()
	st.MapHelper.closeOnExec()
	if !res.Ran {
		return errxf("the pre-runtime stage did not run")
	}
	if res.Failed == 0 {
		return errf(syscall.Errno(res.Errno), "unshare failed")
	}
	if st.TailAt >= 0 {
		// The stage ran the steps too, and one failed: the others
		// before it are done.
		return st.stage2Steps().stageFailure(res.Failed-st.TailAt, res)
	}
	return st.stage2Steps().run()
}

// stage2Steps is everything after the stage's unshare.
func (st *unshareState) stage2Steps() steps {
	var s steps
	// Executing an unreadable binary again made us non-dumpable, and so
	// unable to open our own /proc/self/uid_map: put back what the
	// first half had.
	s.op(planOp{Kind: prestage.OpPrctl, Arg: unix.PR_SET_DUMPABLE, Arg2: uint64(st.Dumpable), Flags: prestage.FlagIgnoreError}, "")
	if rest := st.Req.Flags &^ stageFlags; rest != 0 {
		// Go's: after these, the process could not start the Go
		// runtime's threads if a later step failed in the stage.
		s.gocode(func() error {
			if err := unix.Unshare(int(rest)); err != nil {
				return errf(err, "unshare failed")
			}
			return nil
		})
	}
	return append(s, st.afterSteps()...)
}

// afterSteps is everything from the id maps to exec (util-linux 2.42
// steps 8-27), forking first when asked to.
func (st *unshareState) afterSteps() steps {
	u := st.Req
	var s steps
	if st.MapHelper.PID != 0 {
		s.gocode(st.MapHelper.release)
	}
	if u.Boottime != nil {
		s.gocode(func() error { return setTimeOffset(unix.CLOCK_BOOTTIME, *u.Boottime) })
	}
	if u.Monotonic != nil {
		s.gocode(func() error { return setTimeOffset(unix.CLOCK_MONOTONIC, *u.Monotonic) })
	}
	if u.Fork {
		return append(s, step{run: st.forkAndWait})
	}
	if len(u.Persist) > 0 {
		s.gocode(func() error { return st.persist(os.Getpid()) })
	}
	s = append(s, u.mapSteps()...)
	s = append(s, u.propagationSteps()...)
	return append(s, st.finishSteps()...)
}

// resumeChild is the forked child's work: the steps left, then exec.
func (st *unshareState) resumeChild(res prestage.Result) error {
	if st.TailAt >= 0 && res.Ran {
		return st.finishSteps().stageFailure(res.Failed-st.TailAt, res)
	}
	return st.finishSteps().run()
}

// persist makes the new namespaces outlive us: through the bind helper,
// which still sees the original mount table, or directly when our own
// mount namespace is the original one.
func (st *unshareState) persist(pid int) error {
	u := st.Req
	if len(u.Persist) == 0 {
		return nil
	}
	if st.BindHelper.PID != 0 {
		return st.BindHelper.release()
	}
	return bindAll(u.bindList(pid))
}

// bindList is the persistence bind mounts in util-linux's fixed order.
func (u *Unshare) bindList(pid int) [][2]string {
	var binds [][2]string
	for _, t := range Namespaces {
		if file, ok := u.Persist[t.Name]; ok {
			binds = append(binds, [2]string{fmt.Sprintf("/proc/%d/ns/%s", pid, t.ChildFile), file})
		}
	}
	return binds
}

// mapSteps write the one-id maps (-r, -c, --map-user, --map-group) for
// our own process, and the setgroups policy.
func (u *Unshare) mapSteps() steps {
	var s steps
	if u.MapUser != NoID {
		s.write("/proc/self/uid_map", fmt.Sprintf("%d %d 1", u.MapUser, u.EUID), false)
	}
	if u.MapGroup != NoID {
		if u.Setgroups == "allow" {
			s.gocode(func() error {
				return errxf("options --setgroups=allow and --map-group are mutually exclusive")
			})
			return s
		}
		s.write("/proc/self/setgroups", "deny", true) // kernels before 3.19 have none
		s.write("/proc/self/gid_map", fmt.Sprintf("%d %d 1", u.MapGroup, u.EGID), false)
	}
	if u.Setgroups != "" {
		s.write("/proc/self/setgroups", u.Setgroups, true)
	}
	return s
}

// setTimeOffset sets one clock's offset in the new time namespace, before
// any process is in it. The kernel reads the file's process's thread-group
// leader, which is the locked main thread that unshared the namespace.
func setTimeOffset(clock int, offset int64) error {
	fd, err := unix.Open("/proc/self/timens_offsets", unix.O_WRONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return errf(err, "failed to open /proc/self/timens_offsets")
	}
	defer unix.Close(fd)
	line := fmt.Sprintf("%d %d 0", clock, offset)
	if _, err := unix.Write(fd, []byte(line)); err != nil {
		return errf(err, "failed to write to /proc/self/timens_offsets")
	}
	return nil
}

// forkAndWait starts the child that becomes the program (PID 1 of a new
// pid namespace), makes the namespaces persistent, and waits for the
// child, ending the way it ended.
func (st *unshareState) forkAndWait() error {
	u := st.Req
	// The maps and the mount propagation belong to the namespaces, not
	// to a process: set before the child starts, they are the same for
	// it, and the child starts with a mapped id.
	if err := append(u.mapSteps(), u.propagationSteps()...).run(); err != nil {
		return err
	}
	// SIGINT and SIGTERM must not make an impatient parent leave its
	// child behind: they are caught (and dropped or passed on) rather
	// than blocked, because Go's child gets caught signals back at their
	// default while blocked ones would stay blocked in the program.
	sigs := make(chan os.Signal, 8)
	for _, sig := range []os.Signal{unix.SIGINT, unix.SIGTERM} {
		// One ignored since we started stays ignored, for the child
		// too (util-linux blocks it; blocking keeps the disposition).
		if u.ForwardSignals || !signal.Ignored(sig) {
			signal.Notify(sigs, sig)
		}
	}

	sys := &syscall.SysProcAttr{Pdeathsig: syscall.Signal(u.KillSignal)}
	if u.KillSignal != 0 {
		pidfd, err := unix.PidfdOpen(os.Getpid(), 0)
		if err != nil {
			return errf(err, "pidfd_open failed")
		}
		if pidfd, err = inheritable(pidfd); err != nil {
			return err
		}
		defer unix.Close(pidfd)
		st.ParentPidfd = pidfd
	}
	if u.Flags&unix.CLONE_NEWUSER != 0 {
		// The child is a fresh run of this binary: an exec that would
		// drop the capabilities a user namespace's creator holds unless
		// they are ambient. The child clears them again before the
		// program runs (or keeps them for --keep-caps).
		caps, err := allCaps()
		if err != nil {
			return err
		}
		sys.AmbientCaps = caps
		st.AmbientSet = true
	}
	// The child is always this binary: the program must be executed in
	// it, the way execvp does (a script without #! through /bin/sh in
	// the same process), because a new pid namespace gets one init only.
	// When what is left is plain system calls, the child's stage does it
	// all, up to the program.
	child := *st
	var ops []planOp
	if tail, ok := child.finishSteps().stageOps(); ok && prestage.Compiled && len(tail) <= prestage.MaxOps {
		child.TailAt, ops = 0, tail
	}
	pid, err := startSelf(ops, handover{Role: roleChild, Unshare: &child}, sys)
	if err != nil {
		return errf(err, "fork failed")
	}
	if u.ForwardSignals {
		go func() {
			for s := range sigs {
				unix.Kill(pid, s.(syscall.Signal))
			}
		}()
	} else {
		go func() {
			for range sigs {
			}
		}()
	}
	if err := st.persist(os.Getpid()); err != nil {
		return err
	}
	ws, err := WaitPid(pid)
	if err != nil {
		return err
	}
	return DieLike(ws, false)
}

package nsutil

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"

	"golang.org/x/sys/unix"

	"nsbox/nsutil/prestage"
)

// Enter is one nsenter(1) request, as the applet's flag layer parsed it
// (namespace files already open, as util-linux opens them while reading
// the options). Run carries out util-linux 2.42's two-pass sequence.
type Enter struct {
	Target      int      // -t PID, 0 for none
	TargetPidfd int      // from -t PID:INODE, -1 for none
	Slots       []NSSlot // one per Namespaces entry, same order

	All, NoFork, PreserveCred, KeepCaps, UserParent, Env, JoinCgroup bool

	NetSocket  int    // -N FD, -1 for none
	RootFd     int    // -r DIR, opened while parsing; -1 for none
	WdFd       int    // -w DIR, likewise
	TargetRoot bool   // -r without DIR: the target's root
	TargetWd   bool   // -w without DIR: the target's cwd
	WdNS       string // -W DIR, opened after entering
	HasWdNS    bool

	UID, GID             uint32
	ForceUID, ForceGID   bool
	FollowUID, FollowGID bool // -S/-G follow: the owner of /proc/PID

	Argv []string
}

// NSSlot is one namespace type: whether to enter it, and the fd to enter
// it by (-1: the target's, through its pidfd or /proc/PID/ns).
type NSSlot struct {
	Enabled bool
	Fd      int
}

// NewEnter is an empty request.
func NewEnter() *Enter {
	e := &Enter{TargetPidfd: -1, NetSocket: -1, RootFd: -1, WdFd: -1}
	for range Namespaces {
		e.Slots = append(e.Slots, NSSlot{Fd: -1})
	}
	return e
}

// enterState is an Enter in progress, as handed over to the second half
// of the pre-runtime stage.
type enterState struct {
	Req         *Enter
	Pidfd       int      // the target's pidfd, -1 without one
	EnvFd       int      // /proc/PID/environ for -e
	OwnerFd     int      // /proc/PID/ for -S/-G follow
	CgroupFd    int      // cgroup.procs for -c
	Ops         []planOp // what the passes run
	OpNames     []string // the name each op's failure message gives ("" for a pidfd)
	UserOp      int      // the pass-1 op that may already enter the user namespace, -1 for none
	Fork        bool
	GroupsErrs  int   // setgroups failures before entering
	Carried     []int // fds re-marked close-on-exec after the re-exec
	LatePID     bool  // the pid namespace is entered after the stage
	PidInPasses bool  // another pid namespace is entered in the stage's passes
	TailAt      int   // index of tailSteps in Ops, -1: none
}

// OpenNSFile opens a namespace given on the command line: a file, or
// ":ID" for a namespace id (util-linux 2.42; needs nsfs file handles).
func OpenNSFile(path string) (int, error) {
	if id, ok := strings.CutPrefix(path, ":"); ok {
		return openNSByID(id)
	}
	return OpenTarget(path)
}

// OpenTarget opens path read-only, close-on-exec, with util-linux's
// message.
func OpenTarget(path string) (int, error) {
	fd, err := unix.Open(path, unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return -1, errf(err, "cannot open %s", path)
	}
	return fd, nil
}

// openNSByID opens the namespace whose id (not inode) is id through an
// nsfs file handle, made from a handle of our own mount namespace.
func openNSByID(idText string) (int, error) {
	id, err := strconv.ParseUint(idText, 10, 64)
	if err != nil || idText == "" || idText[0] == '+' || idText[0] == '-' {
		return -1, errxf("failed to parse nsid: %s", idText)
	}
	self, err := unix.PidfdOpen(os.Getpid(), 0)
	if err != nil {
		return -1, errf(err, "failed to fill namespace file handle")
	}
	nsfd, err := ioctlFd(self, pidfdGetMntNamespace)
	unix.Close(self)
	if err != nil {
		return -1, errf(err, "failed to fill namespace file handle")
	}
	defer unix.Close(nsfd)
	h, _, err := unix.NameToHandleAt(nsfd, "", unix.AT_EMPTY_PATH|atHandleFID)
	if err != nil {
		return -1, errf(err, "failed to fill namespace file handle")
	}
	// struct nsfs_file_handle { u64 ns_id; u32 ns_type; u32 ns_inum; }
	raw := make([]byte, 16)
	binary.NativeEndian.PutUint64(raw, id)
	fd, err := unix.OpenByHandleAt(nsfd, unix.NewFileHandle(h.Type(), raw), unix.O_RDONLY|unix.O_CLOEXEC)
	if err != nil {
		return -1, errf(err, "cannot open namespace of id %d", id)
	}
	return fd, nil
}

const (
	atHandleFID           = 0x200
	pidfdGetMntNamespace  = 0xff03 // _IO(0xff, 3)
	pidfdGetUserNamespace = 0xff09 // _IO(0xff, 9)
	cgroup2SuperMagic     = 0x63677270
)

// ioctlFd runs an ioctl that returns a new fd.
func ioctlFd(fd int, req uint) (int, error) {
	r, _, e := unix.Syscall(unix.SYS_IOCTL, uintptr(fd), uintptr(req), 0)
	if e != 0 {
		return -1, e
	}
	return int(r), nil
}

// ParseTarget reads -t's "PID[:INODE]"; with an inode the process is
// pinned by a pidfd whose inode must match (util-linux 2.42).
func ParseTarget(s string) (pid int, pidfd int, err error) {
	bad := errxf("invalid PID argument")
	num, rest := leadingInt(s)
	if num == nil || *num < 1 || *num > 1<<31-1 {
		return 0, -1, bad
	}
	pidfd = -1
	if inoText, ok := strings.CutPrefix(rest, ":"); ok {
		ino, err := strconv.ParseUint(inoText, 10, 64)
		if err != nil || ino == 0 || inoText[0] == '+' {
			return 0, -1, bad
		}
		if pidfd, err = validPidfd(int(*num), ino); err != nil {
			return 0, -1, err
		}
	} else if rest != "" {
		return 0, -1, bad
	}
	return int(*num), pidfd, nil
}

// leadingInt is strtoimax(s, &end, 10): the number (nil if there is
// none, or it overflows) and what follows it.
func leadingInt(s string) (*int64, string) {
	i := 0
	for i < len(s) && strings.IndexByte(" \t\n\v\f\r", s[i]) >= 0 {
		i++
	}
	j := i
	if j < len(s) && (s[j] == '+' || s[j] == '-') {
		j++
	}
	k := j
	for k < len(s) && s[k] >= '0' && s[k] <= '9' {
		k++
	}
	if k == j {
		return nil, s
	}
	n, err := strconv.ParseInt(s[i:k], 10, 64)
	if err != nil {
		return nil, s[k:]
	}
	return &n, s[k:]
}

// validPidfd opens a pidfd for pid and checks its pidfs inode.
func validPidfd(pid int, ino uint64) (int, error) {
	fd, err := unix.PidfdOpen(pid, 0)
	if err == nil {
		var st unix.Stat_t
		if err = unix.Fstat(fd, &st); err == nil && st.Ino != ino {
			err = unix.ESRCH
		}
		if err != nil {
			unix.Close(fd)
		}
	}
	if err != nil {
		return -1, errf(err, "failed to obtain a valid file descriptor for PID %d", pid)
	}
	return fd, nil
}

// procPath is /proc/PID/what for the target.
func (e *Enter) procPath(what string) string {
	return fmt.Sprintf("/proc/%d/%s", e.Target, what)
}

// openFromTarget opens /proc/PID/what, or fails as util-linux does
// without a target.
func (e *Enter) openFromTarget(what string) (int, error) {
	if e.Target == 0 {
		return -1, errxf("neither filename nor target pid supplied for %s", what)
	}
	return OpenTarget(e.procPath(what))
}

// Run enters the namespaces and runs the program; it returns only on
// failure or with the forked child's exit status.
func (e *Enter) Run() error {
	st := &enterState{Req: e, Pidfd: -1, EnvFd: -1, OwnerFd: -1, CgroupFd: -1, UserOp: -1, TailAt: -1}
	if e.All {
		for i, t := range Namespaces {
			if e.Slots[i].Enabled {
				continue
			}
			usable, err := e.usable(t)
			if err != nil {
				return err
			}
			e.Slots[i].Enabled = usable
		}
	}
	noFd := e.mask(func(s NSSlot) bool { return s.Fd < 0 })
	if noFd != 0 || e.NetSocket >= 0 || e.UserParent {
		if e.Target == 0 {
			return errxf("no target PID specified")
		}
		st.Pidfd = e.TargetPidfd
		if st.Pidfd < 0 {
			if fd, err := unix.PidfdOpen(e.Target, 0); err == nil {
				st.Pidfd = fd
			}
		}
		if st.Pidfd < 0 && noFd != 0 {
			for i, t := range Namespaces {
				if s := &e.Slots[i]; s.Enabled && s.Fd < 0 {
					fd, err := e.openFromTarget("ns/" + t.ProcFile)
					if err != nil {
						return err
					}
					s.Fd = fd
				}
			}
		}
	}
	if err := st.openTargetFiles(); err != nil {
		return err
	}
	if e.UserParent {
		if err := st.enterParentUserns(); err != nil {
			return err
		}
	}
	if e.NetSocket >= 0 {
		if err := st.socketNetns(); err != nil {
			return err
		}
	}
	namespaces := e.mask(func(NSSlot) bool { return true })
	if namespaces == 0 {
		return errxf("no namespace specified")
	}
	st.Fork = namespaces&unix.CLONE_NEWPID != 0 && !e.NoFork
	if namespaces&unix.CLONE_NEWUSER != 0 && !e.PreserveCred {
		e.ForceUID, e.ForceGID = true, true
		// Dropped before and again after entering; only two failures
		// are an error.
		if syscall.Setgroups(nil) != nil {
			st.GroupsErrs++
		}
	}
	st.skipOwnTimeNS()
	needStage := e.mask(func(NSSlot) bool { return true })&(unix.CLONE_NEWUSER|unix.CLONE_NEWTIME) != 0
	// The fork's child has ids to set or signals to keep ignored that
	// Go's fork would reset: the stage forks instead (FORKWAIT), as it
	// can before any namespace is entered, where a child of this binary
	// started from inside the target might not find it.
	needStage = needStage || st.Fork && prestage.Compiled && st.stageTail() &&
		(e.ForceUID || e.ForceGID || lostInFork() != 0)
	// Once another pid namespace is entered, the Go runtime cannot start
	// its threads in this process any more. When the stage can run
	// everything up to the exec (the fork included), the pid namespace is
	// entered in the passes, as in util-linux, and should the stage have
	// to return to Go, it does so in a forked child. Otherwise it is
	// entered after the stage, by Go, when the user namespace is entered
	// already, which may take the right to enter it away. Our own pid
	// namespace changes nothing for thread creation: it always stays in
	// the passes.
	pidJoin := needStage && namespaces&unix.CLONE_NEWPID != 0 && !st.ownPidNS()
	st.PidInPasses = pidJoin && st.stageTail()
	st.LatePID = pidJoin && !st.PidInPasses
	st.buildPlan(e.mask(func(NSSlot) bool { return true }))
	if !needStage {
		// The target's mount namespace must become this thread's
		// alone; setns(pidfd, ...|CLONE_NEWNS) would otherwise re-root
		// every thread of the process.
		if err := unix.Unshare(unix.CLONE_FS); err != nil {
			return errf(err, "unshare failed")
		}
		return st.afterPasses(runPlan(st.Ops))
	}
	// Joining a user or time namespace needs a single-threaded process:
	// the pre-runtime stage runs the passes, Go resumes in resumeEnter.
	if !prestage.Compiled {
		return errxf("entering a user or time namespace needs nsbox built with cgo (the pre-runtime stage)")
	}
	for _, fd := range st.fds() {
		if _, err := unix.FcntlInt(uintptr(fd), unix.F_SETFD, 0); err == nil {
			st.Carried = append(st.Carried, fd)
		}
	}
	if st.stageTail() {
		tail, ok := st.tailSteps().stageOps()
		if ok && len(st.Ops)+len(tail) <= prestage.MaxOps {
			st.TailAt = len(st.Ops)
			st.Ops = append(st.Ops, tail...)
			st.OpNames = append(st.OpNames, make([]string, len(tail))...)
		} else if st.PidInPasses {
			// Go must run the tail after all: back to entering the
			// pid namespace after the stage.
			st.PidInPasses, st.LatePID = false, true
			st.Ops, st.OpNames, st.UserOp = nil, nil, -1
			st.buildPlan(e.mask(func(NSSlot) bool { return true }))
		}
	}
	// A SIGCHLD ignored when we started is ignored again across the
	// exec, so that the new incarnation notes it as we did (exec would
	// turn the Go runtime's handler into the default).
	if inheritedSIGCHLDIgnored() {
		signal.Ignore(unix.SIGCHLD)
	}
	return reexec(st.Ops, handover{Role: roleEnterStage2, Enter: st})
}

// stageTail tells whether the stage can run everything after the passes
// (tailSteps): no late pid namespace, root, working directory,
// environment, cgroup, owner or capabilities, and a program to run (the
// login shell is Go's).
func (st *enterState) stageTail() bool {
	e := st.Req
	return !st.LatePID && e.RootFd < 0 && e.WdFd < 0 && !e.HasWdNS && !e.TargetRoot && !e.TargetWd &&
		st.EnvFd < 0 && st.CgroupFd < 0 && st.OwnerFd < 0 && !e.KeepCaps && len(e.Argv) > 0
}

// tailSteps is what follows the passes when the stage runs it: the fds
// that crossed the re-exec closed at the exec, the fork when there is
// one, the ids and the program.
func (st *enterState) tailSteps() steps {
	var s steps
	for _, fd := range st.Carried {
		s.op(planOp{Kind: prestage.OpCloexec, Fd: int32(fd)}, "fcntl failed")
	}
	return append(s, st.execSteps(os.Environ(), false, st.Fork)...)
}

// resumeEnter is the second half of Run after the pre-runtime stage.
func resumeEnter(st *enterState, res prestage.Result) error {
	for _, fd := range st.Carried {
		closeOnExec(fd)
	}
	if !res.Ran {
		return errxf("the pre-runtime stage did not run")
	}
	if st.TailAt >= 0 && res.Failed >= st.TailAt {
		return st.tailSteps().stageFailure(res.Failed-st.TailAt, res)
	}
	return st.afterPasses(stageResult(res))
}

// fds lists every fd the second half still needs.
func (st *enterState) fds() []int {
	fds := []int{st.Pidfd, st.EnvFd, st.OwnerFd, st.CgroupFd, st.Req.RootFd, st.Req.WdFd}
	for _, s := range st.Req.Slots {
		fds = append(fds, s.Fd)
	}
	var out []int
	for _, fd := range fds {
		if fd >= 0 {
			out = append(out, fd)
		}
	}
	return out
}

// skipOwnTimeNS drops a time namespace that is already ours (and our
// children's): entering it changes nothing, but the kernel refuses any
// time-namespace join to a multithreaded process, so keeping it would
// cost a re-exec (and fail in a build without cgo) for "-a" on almost
// every target.
func (st *enterState) skipOwnTimeNS() {
	e := st.Req
	i := len(e.Slots) - 1 // time, last in Namespaces
	if slot := &e.Slots[i]; slot.Enabled && e.ownNS(i) {
		if slot.Fd >= 0 {
			unix.Close(slot.Fd)
		}
		*slot = NSSlot{Fd: -1}
	}
}

// ownPidNS tells whether the pid namespace to enter is the one we and
// our children are in already.
func (st *enterState) ownPidNS() bool { return st.Req.ownNS(5) } // pid, in Namespaces order

// ownNS tells whether slot i's namespace (its file, or the target's) is
// the one we and our children are in: our ns file and the one for our
// children both name it.
func (e *Enter) ownNS(i int) bool {
	name := Namespaces[i].ProcFile
	var theirs, mine, children unix.Stat_t
	var err error
	if e.Slots[i].Fd >= 0 {
		err = unix.Fstat(e.Slots[i].Fd, &theirs)
	} else {
		err = unix.Stat(e.procPath("ns/"+name), &theirs)
	}
	return err == nil && unix.Stat("/proc/self/ns/"+name, &mine) == nil &&
		unix.Stat("/proc/self/ns/"+Namespaces[i].ChildFile, &children) == nil &&
		theirs.Dev == mine.Dev && theirs.Ino == mine.Ino && children.Ino == mine.Ino
}

// mask is the CLONE_NEW* flags of the enabled slots that match.
func (e *Enter) mask(match func(NSSlot) bool) uintptr {
	var m uintptr
	for i, t := range Namespaces {
		if e.Slots[i].Enabled && match(e.Slots[i]) {
			m |= t.Flag
		}
	}
	return m
}

// usable is --all's test: the kernel has the type, and a user namespace
// is not our own (setns would refuse it).
func (e *Enter) usable(t NSType) (bool, error) {
	var mine unix.Stat_t
	if err := unix.Stat(fmt.Sprintf("/proc/%d/ns/%s", os.Getpid(), t.ProcFile), &mine); err == unix.ENOENT {
		return false, nil
	}
	if t.Flag != unix.CLONE_NEWUSER {
		return true, nil
	}
	var theirs unix.Stat_t
	path := e.procPath("ns/user")
	if err := unix.Stat(path, &theirs); err != nil {
		return false, errf(err, "stat of %s failed", path)
	}
	return mine.Ino != theirs.Ino, nil
}

// openTargetFiles opens, before anything is entered, what -r, -w, -e,
// -S/-G follow and -c take from the target.
func (st *enterState) openTargetFiles() error {
	e := st.Req
	var err error
	if e.TargetRoot {
		if e.RootFd, err = e.openFromTarget("root"); err != nil {
			return err
		}
	}
	if e.TargetWd {
		if e.WdFd, err = e.openFromTarget("cwd"); err != nil {
			return err
		}
	}
	if e.Env {
		if st.EnvFd, err = e.openFromTarget("environ"); err != nil {
			return err
		}
	}
	if e.FollowUID || e.FollowGID {
		if st.OwnerFd, err = e.openFromTarget(""); err != nil {
			return err
		}
	}
	if e.JoinCgroup {
		var fs unix.Statfs_t
		if err := unix.Statfs("/sys/fs/cgroup", &fs); err != nil {
			return errf(err, "statfs /sys/fs/cgroup failed")
		}
		if fs.Type != cgroup2SuperMagic {
			return errxf("--join-cgroup is only supported in cgroup v2")
		}
		fd, err := e.openFromTarget("cgroup")
		if err != nil {
			return err
		}
		data, err := readAllFd(fd)
		unix.Close(fd)
		line, _, _ := strings.Cut(string(data), "\n")
		i := strings.LastIndexByte(line, ':')
		if err != nil || len(data) == 0 || i < 0 {
			return errf(err, "failed to get cgroup path")
		}
		path := "/sys/fs/cgroup/" + line[i+1:] + "/cgroup.procs"
		if st.CgroupFd, err = unix.Open(path, unix.O_WRONLY|unix.O_APPEND|unix.O_CLOEXEC, 0); err != nil {
			return errf(err, "failed to open cgroup.procs")
		}
	}
	return nil
}

// enterParentUserns is --user-parent: the user namespace to enter is the
// parent of the chosen one (or the owner of another enabled namespace).
func (st *enterState) enterParentUserns() error {
	e := st.Req
	user := &e.Slots[0] // Namespaces starts with user
	fd, local := -1, false
	if user.Enabled {
		fd = user.Fd
	}
	if fd < 0 && st.Pidfd >= 0 {
		if f, err := ioctlFd(st.Pidfd, pidfdGetUserNamespace); err == nil {
			fd, local = f, true
		}
	}
	if fd < 0 {
		for _, s := range e.Slots {
			if s.Enabled {
				fd = s.Fd
				break
			}
		}
	}
	if fd < 0 {
		f, err := e.openFromTarget("ns/user")
		if err != nil {
			return err
		}
		fd, local = f, true
	}
	parent, err := ioctlFd(fd, nsGetUserns)
	if err != nil {
		return errf(err, "failed to open parent namespace")
	}
	if local {
		unix.Close(fd)
	}
	if user.Fd > 0 {
		unix.Close(user.Fd)
	}
	user.Fd, user.Enabled = parent, true
	return nil
}

// socketNetns is -N: the network namespace of a socket the target holds.
func (st *enterState) socketNetns() error {
	e := st.Req
	pidfd, local := st.Pidfd, false
	if pidfd < 0 {
		fd, err := unix.PidfdOpen(e.Target, 0)
		if err != nil {
			return errf(err, "failed to pidfd_open() for %d", e.Target)
		}
		pidfd, local = fd, true
	}
	sk, err := unix.PidfdGetfd(pidfd, e.NetSocket, 0)
	if err != nil {
		return errf(err, "pidfd_getfd(%d, %d)", pidfd, e.NetSocket)
	}
	var stat unix.Stat_t
	if err := unix.Fstat(sk, &stat); err != nil {
		return errf(err, "fstat(%d)", sk)
	}
	nsfd, err := ioctlFd(sk, unix.SIOCGSKNS)
	if err != nil {
		return errf(err, "ioctl(%d, SIOCGSKNS)", sk)
	}
	net := &e.Slots[4] // net, in Namespaces order
	if net.Fd >= 0 {
		unix.Close(net.Fd)
	}
	net.Fd, net.Enabled = nsfd, true
	unix.Close(sk)
	if local {
		unix.Close(pidfd)
	}
	return nil
}

// buildPlan lays out util-linux's two passes as plan ops. Pass 1 enters
// everything but the user namespace and ignores errors: a privileged
// caller leaves its privilege last. Pass 2 enters the user namespace and
// retries what pass 1 could not (an unprivileged caller needs the user
// namespace first), with errors fatal. With a pidfd, the slots without a
// file go in one setns(pidfd, flags). When the pre-runtime stage runs the
// passes, the pid namespace is left out of them (a pid namespace change
// before the Go runtime starts makes it unable to create threads) and
// entered by Go afterwards.
func (st *enterState) buildPlan(namespaces uintptr) {
	e := st.Req
	add := func(op planOp, name string) int {
		if st.PidInPasses && op.Kind == prestage.OpSetns && op.Arg&unix.CLONE_NEWPID != 0 {
			op.Flags |= prestage.FlagPidChildren
		}
		st.Ops = append(st.Ops, op)
		st.OpNames = append(st.OpNames, name)
		return len(st.Ops) - 1
	}
	// Processes in the namespaces we join must not be able to inspect
	// or ptrace us while Go runs there; exec of the program undoes it.
	add(planOp{Kind: prestage.OpPrctl, Arg: unix.PR_SET_DUMPABLE, Arg2: 0}, "")

	skip := uintptr(0)
	if st.LatePID {
		skip = unix.CLONE_NEWPID
	}
	// util-linux quirk, kept: with the user namespace alone, pass 1's
	// "all but user" is empty, which means "all", so the user namespace
	// is tried in pass 1 already (and --keep-caps then does nothing).
	pass1 := namespaces &^ unix.CLONE_NEWUSER
	if pass1 == 0 {
		pass1 = namespaces
	}
	pass1 &^= skip
	pidfdMask := func(in uintptr) uintptr {
		return e.mask(func(s NSSlot) bool { return s.Fd < 0 }) & in &^ skip
	}

	groupA := -1
	if st.Pidfd >= 0 {
		if m := pidfdMask(pass1); m != 0 {
			groupA = add(planOp{Kind: prestage.OpSetns, Fd: int32(st.Pidfd), Arg: uint64(m), Flags: prestage.FlagIgnoreError}, "")
			if m&unix.CLONE_NEWUSER != 0 {
				st.UserOp = groupA
			}
		}
	}
	first := map[int]int{} // slot -> its pass-1 op
	for i, t := range Namespaces {
		s := e.Slots[i]
		if s.Enabled && s.Fd >= 0 && t.Flag&pass1 != 0 {
			first[i] = add(planOp{Kind: prestage.OpSetns, Fd: int32(s.Fd), Arg: uint64(t.Flag), Flags: prestage.FlagIgnoreError}, "ns/"+t.ProcFile)
			if t.Flag == unix.CLONE_NEWUSER {
				st.UserOp = first[i]
			}
		}
	}

	if st.Pidfd >= 0 {
		rest := pidfdMask(namespaces &^ pass1)
		if groupA >= 0 {
			add(planOp{Kind: prestage.OpSetns, Fd: int32(st.Pidfd), Arg: st.Ops[groupA].Arg | uint64(rest), Flags: prestage.FlagIfFailed, Ref: uint32(groupA)}, "")
			if rest != 0 {
				add(planOp{Kind: prestage.OpSetns, Fd: int32(st.Pidfd), Arg: uint64(rest), Flags: prestage.FlagIfDone, Ref: uint32(groupA)}, "")
			}
		} else if rest != 0 {
			add(planOp{Kind: prestage.OpSetns, Fd: int32(st.Pidfd), Arg: uint64(rest)}, "")
		}
	}
	for i, t := range Namespaces {
		s := e.Slots[i]
		if !s.Enabled || s.Fd < 0 || t.Flag&skip != 0 {
			continue
		}
		op := planOp{Kind: prestage.OpSetns, Fd: int32(s.Fd), Arg: uint64(t.Flag)}
		if ref, ok := first[i]; ok {
			op.Flags, op.Ref = prestage.FlagIfFailed, uint32(ref)
		}
		add(op, "ns/"+t.ProcFile)
	}
}

// passError is util-linux's message for a failed setns.
func (st *enterState) passError(i int, errno unix.Errno) error {
	return reassociateError(st.OpNames[i], errno)
}

// reassociateError names the namespace entered by file ("ns/net"), or
// none for a pidfd, which enters several at once.
func reassociateError(name string, err error) error {
	if name == "" {
		return errf(err, "reassociate to namespaces failed")
	}
	return errf(err, "reassociate to namespace '%s' failed", name)
}

// afterPasses runs util-linux's steps 9-16 once the passes ran: root,
// working directory, environment, cgroup, ids, capabilities, and the
// program, forked when a pid namespace was entered.
func (st *enterState) afterPasses(res planResult) error {
	e := st.Req
	if res.failed >= 0 {
		return st.passError(res.failed, res.errno)
	}
	if st.LatePID {
		pid := e.Slots[5] // pid, in Namespaces order
		fd, name := st.Pidfd, ""
		if pid.Fd >= 0 {
			fd, name = pid.Fd, "ns/pid"
		}
		if err := unix.Setns(fd, unix.CLONE_NEWPID); err != nil {
			return reassociateError(name, err)
		}
	}
	userPending := e.Slots[0].Enabled && (st.UserOp < 0 || !res.ok(st.UserOp))
	for i := range e.Slots {
		if e.Slots[i].Fd >= 0 {
			unix.Close(e.Slots[i].Fd)
			e.Slots[i].Fd = -1
		}
	}
	if st.Pidfd >= 0 {
		unix.Close(st.Pidfd)
	}
	if e.RootFd >= 0 && e.WdFd < 0 && !e.HasWdNS {
		fd, err := unix.Open(".", unix.O_RDONLY|unix.O_CLOEXEC, 0)
		if err != nil {
			return errf(err, "cannot open current working directory")
		}
		e.WdFd = fd
	}
	if e.RootFd >= 0 {
		if err := unix.Fchdir(e.RootFd); err != nil {
			return errf(err, "change directory by root file descriptor failed")
		}
		if err := unix.Chroot("."); err != nil {
			return errf(err, "chroot failed")
		}
		if err := unix.Chdir("/"); err != nil {
			return errf(err, "cannot change directory to %s", "/")
		}
		unix.Close(e.RootFd)
	}
	if e.HasWdNS {
		fd, err := unix.Open(e.WdNS, unix.O_RDONLY|unix.O_CLOEXEC, 0)
		if err != nil {
			return errf(err, "cannot open current working directory")
		}
		e.WdFd = fd
	}
	if e.WdFd >= 0 {
		if err := unix.Fchdir(e.WdFd); err != nil {
			return errf(err, "change directory by working directory file descriptor failed")
		}
		unix.Close(e.WdFd)
	}
	env := os.Environ()
	if st.EnvFd >= 0 {
		data, err := readAllFd(st.EnvFd)
		if err != nil {
			return errf(err, "failed to get environment variables")
		}
		unix.Close(st.EnvFd)
		env = targetEnviron(data)
	}
	if st.CgroupFd >= 0 {
		if _, err := unix.Write(st.CgroupFd, []byte(strconv.Itoa(os.Getpid()))); err != nil {
			return errf(err, "write cgroup.procs failed")
		}
		unix.Close(st.CgroupFd)
	}
	if st.OwnerFd >= 0 {
		var s unix.Stat_t
		unix.Fstat(st.OwnerFd, &s)
		unix.Close(st.OwnerFd)
		if e.FollowUID {
			e.UID = s.Uid
		}
		if e.FollowGID {
			e.GID = s.Gid
		}
	}
	return st.execSteps(env, e.KeepCaps && userPending, false).run()
}

// execSteps are the ids, the capabilities for --keep-caps, and the
// program, forked when a pid namespace was entered. The fork comes
// first, as in util-linux: the child sets the ids and runs the program,
// the parent waits. In the stage (stageFork) that is a FORKWAIT step; Go
// forks at the end (forkProgramAndRelay), with the ids left to the
// child.
func (st *enterState) execSteps(env []string, keepCaps, stageFork bool) steps {
	e := st.Req
	var s steps
	if stageFork {
		s.op(planOp{Kind: prestage.OpForkWait, Strs: forkFailureLines()}, "fork failed")
	}
	job := programJob{
		SetGID: e.ForceGID, GroupsMayFail: st.GroupsErrs == 0, GID: e.GID,
		SetUID: e.ForceUID, UID: e.UID, KeepCaps: keepCaps,
	}
	if st.Fork && !stageFork {
		job.Argv, job.Env = e.Argv, env
		s.gocode(func() error { return forkProgramAndRelay(&job) })
		return s
	}
	job.idSteps(&s)
	// nsenter leaves SIGCHLD as it found it when it does not fork.
	if !st.Fork && inheritedSIGCHLDIgnored() {
		s.op(planOp{Kind: prestage.OpIgnore, Arg: uint64(unix.SIGCHLD)}, "sigaction failed")
	}
	if len(e.Argv) > 0 {
		s.exec(e.Argv, env)
	} else {
		s.gocode(func() error { return ExecLoginShell(env) })
	}
	return s
}

// forkFailureLines are the stage's messages for a failed FORKWAIT (the
// Go runtime cannot start there to give them): util-linux's line for
// EAGAIN and for ENOMEM, the only errors fork has, then the prefix for
// any other.
func forkFailureLines() []string {
	line := func(err error) string { return "nsenter: " + errf(err, "fork failed").Error() + "\n" }
	return []string{line(unix.EAGAIN), line(unix.ENOMEM), "nsenter: fork failed: "}
}

// targetEnviron turns /proc/PID/environ into the program's environment
// the way util-linux's list does it: entries without '=' are dropped, and
// since the list is built backwards, a name given twice keeps its last
// value and the order comes out reversed.
func targetEnviron(data []byte) []string {
	var entries []string
	for _, kv := range bytes.Split(data, []byte{0}) {
		if i := bytes.IndexByte(kv, '='); i > 0 {
			entries = append(entries, string(kv))
		}
	}
	seen := map[string]bool{}
	var env []string
	for i := len(entries) - 1; i >= 0; i-- {
		name, _, _ := strings.Cut(entries[i], "=")
		if !seen[name] {
			seen[name] = true
			env = append(env, entries[i])
		}
	}
	return env
}

// readAllFd reads fd to its end.
func readAllFd(fd int) ([]byte, error) {
	var out []byte
	buf := make([]byte, 16384)
	for {
		n, err := unix.Read(fd, buf)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return out, err
		}
		if n == 0 {
			return out, nil
		}
		out = append(out, buf[:n]...)
	}
}

package nsutil

import (
	"path/filepath"
	"syscall"

	"golang.org/x/sys/unix"

	"nsbox/nsutil/prestage"
)

// forkProgramAndRelay is nsenter's fork into an entered pid namespace:
// the program is forked from the locked main thread (so it gets the
// thread's namespaces and root), and we wait for it, so that job control
// works through us (relay). When the child has ids or capabilities to
// set first (as root, who keeps the capabilities for them across an
// exec), or signals to ignore again that Go's fork would reset, it is
// this binary again if it can be reached from here (selfInReach), which
// does that and execs the program (through its stage when everything is
// plain system calls); otherwise Go forks the program itself.
func forkProgramAndRelay(job *programJob) error {
	job.Ignore = lostInFork()
	inReach := selfInReach()
	if job.setsIds() && (!inReach || unix.Geteuid() != 0) {
		// No child of this binary here, or one that would lack the
		// capabilities the ids need (an exec drops them unless we are
		// root here, and our uid is not mapped in a user namespace we
		// joined): they are set before the fork, the waiting parent's
		// too.
		var s steps
		job.idSteps(&s)
		if err := s.run(); err != nil {
			return err
		}
		job.SetGID, job.SetUID, job.KeepCaps = false, false, false
	}
	if inReach && (job.Ignore != 0 || job.setsIds()) {
		ops, _ := job.steps().stageOps()
		pid, err := startSelf(ops, handover{Role: roleProgram, Program: job}, nil)
		if err != nil {
			return err
		}
		return relay(pid)
	}
	argv, env := job.Argv, job.Env
	attr := &syscall.ProcAttr{Env: env, Files: stdFiles()}
	var pid int
	var err error
	name := ""
	if len(argv) == 0 {
		shell := loginShell(env)
		name = shell
		pid, err = ForkExec(shell, []string{"-" + filepath.Base(shell)}, attr)
	} else {
		name = argv[0]
		var path string
		if path, err = LookPath(argv[0], env); err == nil {
			pid, err = ForkExec(path, argv, attr)
			if err == syscall.ENOEXEC {
				// A script without #!, through /bin/sh; its error
				// is the shell's, as with glibc's execvp.
				pid, err = ForkExec("/bin/sh", append([]string{"/bin/sh", path}, argv[1:]...), attr)
			}
		}
	}
	if err != nil {
		return &Error{Msg: "failed to execute " + name, Err: err, Code: ExecExitCode(err)}
	}
	return relay(pid)
}

// selfInReach tells whether this binary can be executed again from where
// we are now, after entering namespaces and maybe a root: through the fd
// the stage opened at start, if the /proc we see now shows it at
// /proc/self/fd/N. Any other path could name another file, one the
// namespaces' owner chose.
func selfInReach() bool {
	fd := prestage.SelfFd()
	if fd < 0 {
		return false
	}
	var opened, there unix.Stat_t
	return unix.Fstat(fd, &opened) == nil && unix.Stat(selfExe(), &there) == nil &&
		opened.Dev == there.Dev && opened.Ino == there.Ino
}

// relay waits for pid; when it stops we stop too, and continue it when
// we are continued; then we end the way it ended.
func relay(pid int) error {
	for {
		var ws unix.WaitStatus
		_, err := unix.Wait4(pid, &ws, unix.WUNTRACED, nil)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return errf(err, "waitpid failed")
		}
		if ws.Stopped() {
			unix.Kill(unix.Getpid(), unix.SIGSTOP)
			unix.Kill(pid, unix.SIGCONT)
			continue
		}
		return DieLike(ws, true)
	}
}

// programJob is a program started by a child of this binary (role
// "program"): the child sets ids and capabilities, ignores again the
// signals ignored when we started that Go's fork would not pass on, and
// execs the program; its stage does it all when it is plain system calls.
type programJob struct {
	Argv, Env []string
	Ignore    uint64 // bit n-1: ignore signal n

	SetGID        bool // setgroups(0, NULL), then setgid(GID)
	GroupsMayFail bool // the setgroups failing is no error (it succeeded before entering)
	GID           uint32
	SetUID        bool
	UID           uint32
	KeepCaps      bool // the permitted capabilities become ambient
}

// setsIds tells whether the child has ids or capabilities to set.
func (j *programJob) setsIds() bool { return j.SetGID || j.SetUID || j.KeepCaps }

// idSteps are nsenter's ids and --keep-caps, in util-linux's order.
func (j *programJob) idSteps(s *steps) {
	if j.SetGID {
		// Dropped before entering too: only failing both times is an
		// error.
		op := planOp{Kind: prestage.OpSetgroups}
		if j.GroupsMayFail {
			op.Flags = prestage.FlagIgnoreError
		}
		s.op(op, "setgroups failed")
		s.op(planOp{Kind: prestage.OpSetgid, Arg: uint64(j.GID)}, "setgid() failed")
	}
	if j.SetUID {
		s.op(planOp{Kind: prestage.OpSetuid, Arg: uint64(j.UID)}, "setuid() failed")
	}
	if j.KeepCaps {
		s.gocode(permittedToAmbient)
	}
}

func (j *programJob) steps() steps {
	var s steps
	// The child runs in the namespaces entered, maybe a container's:
	// its exec made it dumpable again, and processes there must not be
	// able to inspect or ptrace it until the program's exec.
	s.op(planOp{Kind: prestage.OpPrctl, Arg: unix.PR_SET_DUMPABLE, Arg2: 0}, "prctl failed")
	j.idSteps(&s)
	for sig := unix.Signal(1); sig <= sigRTMax; sig++ {
		if j.Ignore&(1<<(sig-1)) != 0 {
			s.op(planOp{Kind: prestage.OpIgnore, Arg: uint64(sig)}, "sigaction failed")
		}
	}
	if len(j.Argv) == 0 {
		s.gocode(func() error { return ExecLoginShell(j.Env) })
	} else {
		s.exec(j.Argv, j.Env)
	}
	return s
}

// resume runs in the child when the stage stopped at a step, or had none
// (a login shell, --keep-caps: Go's work). A failed id step is reported;
// a failed exec is done again by Go's execvp, which has the /bin/sh
// fallback and reports what it ends with, after the ignores once more
// (the runtime replaced them with its handlers when it started).
func (j *programJob) resume(res prestage.Result) error {
	s := j.steps()
	from := 0
	if res.Ran && res.Failed >= 0 && res.Failed < len(s) {
		from = res.Failed
		if s[from].op.Kind != prestage.OpExec {
			return s.stageFailure(from, res)
		}
		for _, st := range s[:from] {
			if st.op.Kind == prestage.OpIgnore {
				runOp(st.op)
			}
		}
	}
	return s[from:].run()
}

// lostInFork is the signals ignored when we started that a child forked
// by Go would get at their default action: the runtime handles them (it
// cannot leave SIGBUS or SIGPROF ignored), and its fork resets every
// signal it handles. SIGCHLD does not count: the fork resets it anyway,
// as nsenter does.
func lostInFork() uint64 {
	_, _, ign, ok := prestage.Inherited()
	if !ok {
		return 0
	}
	var lost uint64
	for sig := unix.Signal(1); sig <= sigRTMax; sig++ {
		if ign&(1<<(sig-1)) == 0 || sig == unix.SIGCHLD || sig == unix.SIGKILL || sig == unix.SIGSTOP {
			continue
		}
		var old ksigaction
		rawSigaction(sig, nil, &old)
		if old.handler != sigIgn {
			lost |= 1 << (sig - 1)
		}
	}
	return lost
}

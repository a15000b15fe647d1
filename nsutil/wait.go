package nsutil

import (
	"path/filepath"
	"syscall"

	"golang.org/x/sys/unix"

	"nsbox/nsutil/prestage"
)

// forkProgramAndRelay is nsenter's fork into an entered pid namespace:
// the program is forked from the locked main thread (so it gets the
// thread's namespaces, root and credentials), and we wait for it, so
// that job control works through us (relay).
func forkProgramAndRelay(argv, env []string) error {
	attr := &syscall.ProcAttr{Env: env, Files: stdFiles()}
	var pid int
	var err error
	name := ""
	if lost := lostInFork(); lost != 0 && prestage.Compiled {
		// Go's fork would give the program signals that were ignored
		// at their default action: the child is this binary, whose
		// stage ignores them again and execs the program.
		job := &programJob{Argv: argv, Env: env, Ignore: lost}
		ops, _ := job.steps().stageOps()
		if pid, err = startSelf(ops, handover{Role: roleProgram, Program: job}, nil); err != nil {
			return err
		}
		return relay(pid)
	}
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
				if pid, err = ForkExec("/bin/sh", append([]string{"/bin/sh", path}, argv[1:]...), attr); err != nil {
					err = syscall.ENOEXEC
				}
			}
		}
	}
	if err != nil {
		return &Error{Msg: "failed to execute " + name, Err: err, Code: ExecExitCode(err)}
	}
	return relay(pid)
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
// "program"), for signals ignored when we started that Go's fork would
// not pass on: the child's stage ignores them and execs the program, or,
// for a login shell, Go does.
type programJob struct {
	Argv, Env []string
	Ignore    uint64 // bit n-1: ignore signal n
}

func (j *programJob) steps() steps {
	var s steps
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

// resume runs in the child when the stage could not exec the program
// (or had no steps: the login shell). Go runs the steps again: the
// runtime replaced the stage's ignores with its handlers when it started,
// and its execvp has the /bin/sh fallback and reports the failure.
func (j *programJob) resume() error { return j.steps().run() }

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

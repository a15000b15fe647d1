package nsutil

import (
	"errors"
	"strings"
	"syscall"

	"golang.org/x/sys/unix"

	"nsbox/nsutil/prestage"
)

// The work after the namespaces (id maps, propagation, root, /proc, ids,
// the program's execve) is written once, as a list of steps. Each step is
// a plan op, which Go or the pre-runtime stage can run, or Go code, which
// only Go can. When every step is an op, the process that re-executes
// itself for the stage (or starts a child) appends them to the plan: the
// stage runs them to the execve and the Go runtime never starts again,
// which is most of what a second start costs. A step that fails in the
// stage makes it return, and the Go code that then starts rebuilds the
// same list from the same request and reports that step's failure.

// step is one call and util-linux's message for its failure.
type step struct {
	op  planOp
	msg string
	run func() error // Go code instead of op
}

type steps []step

func (s *steps) op(op planOp, msg string) { *s = append(*s, step{op: op, msg: msg}) }

// gocode adds a step only Go can do.
func (s *steps) gocode(run func() error) { *s = append(*s, step{run: run}) }

func (s *steps) mount(source, target, fstype string, flags uintptr, okErr syscall.Errno, msg string) {
	s.op(planOp{Kind: prestage.OpMount, Arg: uint64(flags), OkErr: int32(okErr), Strs: []string{source, target, fstype}}, msg)
}

// write writes a control file in one write; its messages are those of
// the open and of the write (writeError). A missing file can be no error.
func (s *steps) write(path, text string, missingOK bool) {
	op := planOp{Kind: prestage.OpWrite, Strs: []string{path, text}}
	if missingOK {
		op.OkErr = int32(unix.ENOENT)
	}
	s.op(op, "")
}

// exec runs argv with env as execvp would (Execvp). The stage gets the
// PATH candidates worked out here, in the same order.
func (s *steps) exec(argv, env []string) {
	cands := execCandidates(argv[0], env)
	strs := append(append(append([]string{}, cands...), argv...), env...)
	s.op(planOp{Kind: prestage.OpExec, Arg: uint64(len(cands)), Arg2: uint64(len(argv)), Strs: strs}, "")
}

// stageOps is the steps as plan ops for the stage, or false when a step
// needs Go, or a string holds a NUL (which only Go's own calls can
// report as util-linux does).
func (s steps) stageOps() ([]planOp, bool) {
	ops := make([]planOp, 0, len(s))
	for _, st := range s {
		if st.run != nil {
			return nil, false
		}
		for _, str := range st.op.Strs {
			if strings.IndexByte(str, 0) >= 0 {
				return nil, false
			}
		}
		ops = append(ops, st.op)
	}
	return ops, true
}

// run does the steps in Go, in order, up to the first failure.
func (s steps) run() error {
	for _, st := range s {
		if st.run != nil {
			if err := st.run(); err != nil {
				return err
			}
			continue
		}
		if phase, err := runOp(st.op); err != nil && st.op.Flags&prestage.FlagIgnoreError == 0 {
			return st.failure(err, phase)
		}
	}
	return nil
}

// stageFailure is the error of step i, which failed in the stage.
func (s steps) stageFailure(i int, res prestage.Result) error {
	if i < 0 || i >= len(s) {
		return errxf("the pre-runtime stage failed at an unknown step")
	}
	st := s[i]
	if st.op.Kind == prestage.OpExec {
		// The stage's search stops at the first error that is not
		// "not here"; Go's execvp then runs the whole of it, with the
		// /bin/sh fallback, and reports what it ends with.
		phase, err := runOp(st.op)
		return st.failure(err, phase)
	}
	return st.failure(syscall.Errno(res.Errno), res.Phase)
}

// failure is util-linux's report of the step failing with err.
func (st step) failure(err error, phase int) error {
	switch st.op.Kind {
	case prestage.OpExec:
		argv0 := st.op.Strs[st.op.Arg]
		return &Error{Msg: "failed to execute " + argv0, Err: err, Code: ExecExitCode(err)}
	case prestage.OpWrite:
		if phase == 0 {
			return errf(err, "cannot open %s", st.op.Strs[0])
		}
		return errf(err, "write failed %s", st.op.Strs[0])
	case prestage.OpNoInherit:
		if phase == 0 {
			return errf(err, "capget failed")
		}
		return errf(err, "capset failed")
	case prestage.OpAlive:
		if err == unix.ESRCH {
			return ExitStatus(1) // the parent is gone: quietly, as util-linux
		}
	}
	return &Error{Msg: st.msg, Err: err, Code: 1}
}

// runOp is one op on the calling (locked main) thread, as the stage
// would run it; phase says which call of a two-call op failed.
func runOp(op planOp) (phase int, err error) {
	switch op.Kind {
	case prestage.OpSetns:
		err = unix.Setns(int(op.Fd), int(op.Arg))
	case prestage.OpUnshare:
		err = unix.Unshare(int(op.Arg))
	case prestage.OpPrctl:
		err = unix.Prctl(int(op.Arg), uintptr(op.Arg2), 0, 0, 0)
	case prestage.OpWrite:
		phase, err = writeOnce(op.Strs[0], op.Strs[1])
	case prestage.OpMount:
		err = unix.Mount(op.Strs[0], op.Strs[1], op.Strs[2], uintptr(op.Arg), "")
	case prestage.OpChroot:
		err = unix.Chroot(op.Strs[0])
	case prestage.OpChdir:
		err = unix.Chdir(op.Strs[0])
	case prestage.OpSetgroups:
		err = syscall.Setgroups(nil) // every thread, as setgroups(2) in C
	case prestage.OpSetgid:
		err = syscall.Setgid(int(op.Arg))
	case prestage.OpSetuid:
		err = syscall.Setuid(int(op.Arg))
	case prestage.OpCloexec:
		_, err = unix.FcntlInt(uintptr(op.Fd), unix.F_SETFD, unix.FD_CLOEXEC)
	case prestage.OpAlive:
		err = pidfdAlive(int(op.Fd))
	case prestage.OpIgnore:
		// Raw: signal.Ignore leaves the signals the runtime keeps for
		// itself alone. Ignore steps come just before the exec.
		ignoreForExec(unix.Signal(op.Arg))
	case prestage.OpNoInherit:
		phase, err = noInheritable()
	case prestage.OpExec:
		argv := op.Strs[op.Arg : op.Arg+op.Arg2]
		err = Execvp(argv[0], argv, op.Strs[op.Arg+op.Arg2:])
	default:
		err = unix.EINVAL
	}
	if err != nil && op.OkErr != 0 && errors.Is(err, syscall.Errno(op.OkErr)) {
		err = nil
	}
	return phase, err
}

// writeOnce opens path write-only and writes text in a single write.
func writeOnce(path, text string) (phase int, err error) {
	fd, err := unix.Open(path, unix.O_WRONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return 0, err
	}
	defer unix.Close(fd)
	_, err = unix.Write(fd, []byte(text))
	return 1, err
}

// pidfdAlive fails with ESRCH once the process behind pidfd has ended.
func pidfdAlive(pidfd int) error {
	fds := []unix.PollFd{{Fd: int32(pidfd), Events: unix.POLLIN}}
	n, err := unix.Poll(fds, 0)
	if err != nil {
		return err
	}
	if n > 0 {
		return unix.ESRCH
	}
	return nil
}

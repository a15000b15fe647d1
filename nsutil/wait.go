package nsutil

import (
	"path/filepath"
	"syscall"

	"golang.org/x/sys/unix"
)

// forkProgramAndRelay is nsenter's fork into an entered pid namespace:
// the program is forked from the locked main thread (so it gets the
// thread's namespaces, root and credentials), and we wait for it. When it
// stops we stop too, and continue it when we are continued, so job
// control works through us; then we end the way it ended.
func forkProgramAndRelay(argv, env []string) error {
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
				if pid, err = ForkExec("/bin/sh", append([]string{"/bin/sh", path}, argv[1:]...), attr); err != nil {
					err = syscall.ENOEXEC
				}
			}
		}
	}
	if err != nil {
		return &Error{Msg: "failed to execute " + name, Err: err, Code: ExecExitCode(err)}
	}
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

package nsutil

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"golang.org/x/sys/unix"
)

// finish runs util-linux's steps 18-27 on the locked main thread —
// binfmt_misc, root and working directory, /proc, ids,
// capabilities, environment — and execs the program. In the forked child
// it first makes sure the parent that asked for --kill-child still lives.
func (st *unshareState) finish() error {
	u := st.Req
	const binfmtDefault = "/proc/sys/fs/binfmt_misc"
	fixedInterp := u.LoadInterp != nil && isFixedInterp(*u.LoadInterp) && u.Root != nil
	if fixedInterp {
		// An interpreter opened at registration ("F") must be found
		// before the root changes.
		if err := mountBinfmt(binfmtDefault); err != nil {
			return err
		}
		if err := loadInterp(binfmtDefault, *u.LoadInterp); err != nil {
			return err
		}
	}
	wd := u.Wd
	if u.Root != nil {
		if err := unix.Chroot(*u.Root); err != nil {
			return errf(err, "cannot change root directory to '%s'", *u.Root)
		}
		if wd == nil {
			slash := "/"
			wd = &slash
		}
	}
	if wd != nil {
		if err := unix.Chdir(*wd); err != nil {
			return errf(err, "cannot change directory to %s", *wd)
		}
	}
	if u.MountProc != nil {
		if err := mountProc(*u.MountProc, u.Root == nil && u.Propagation != unix.MS_REC|unix.MS_PRIVATE); err != nil {
			return err
		}
	}
	if u.MountBinfmt != nil {
		if err := mountBinfmt(*u.MountBinfmt); err != nil {
			return err
		}
	}
	if u.LoadInterp != nil && !fixedInterp {
		if err := loadInterp(*u.MountBinfmt, *u.LoadInterp); err != nil {
			return err
		}
	}
	if u.ForceGID {
		if err := syscall.Setgroups(nil); err != nil {
			return errf(err, "setgroups failed")
		}
		if err := syscall.Setgid(int(u.SetGID)); err != nil {
			return errf(err, "setgid() failed")
		}
	}
	if u.ForceUID {
		if err := syscall.Setuid(int(u.SetUID)); err != nil {
			return errf(err, "setuid() failed")
		}
	}
	if u.Flags&unix.CLONE_NEWUSER != 0 {
		switch {
		case u.KeepCaps:
			if err := permittedToAmbient(); err != nil {
				return err
			}
		case st.AmbientSet:
			// Only the start of this child needed them.
			if err := dropAmbient(); err != nil {
				return err
			}
		}
	}
	if err := st.checkParent(); err != nil {
		return err
	}
	env := u.environment()
	if len(u.Argv) > 0 {
		err := Execvp(u.Argv[0], u.Argv, env)
		return &Error{Msg: "failed to execute " + u.Argv[0], Err: err, Code: ExecExitCode(err)}
	}
	return ExecLoginShell(env)
}

// checkParent arms the parent-death signal for --kill-child once more —
// any change of ids or capabilities above has cleared it — and gives up
// quietly, as util-linux does, when the parent is already gone.
func (st *unshareState) checkParent() error {
	if st.ParentPidfd < 0 {
		return nil
	}
	defer unix.Close(st.ParentPidfd)
	if err := unix.Prctl(unix.PR_SET_PDEATHSIG, uintptr(st.Req.KillSignal), 0, 0, 0); err != nil {
		return errf(err, "prctl failed")
	}
	fds := []unix.PollFd{{Fd: int32(st.ParentPidfd), Events: unix.POLLIN}}
	n, err := unix.Poll(fds, 0)
	if err != nil {
		return errf(err, "poll parent pidfd failed")
	}
	if n > 0 {
		return ExitStatus(1)
	}
	return nil
}

// environment is the program's environment: ours without the handover
// variable, or nothing / only the kept names for --clear-env and
// --whitelist-env.
func (u *Unshare) environment() []string {
	if !u.ClearEnv && len(u.EnvKeep) == 0 {
		return os.Environ()
	}
	var env []string
	seen := map[string]bool{}
	for _, kv := range u.EnvKeep {
		name, _, _ := strings.Cut(kv, "=")
		if !seen[name] { // setenv without overwrite: the first one stays
			seen[name] = true
			env = append(env, kv)
		}
	}
	return env
}

// ExecLoginShell starts the user's shell as a login shell (argv[0] "-sh"),
// as util-linux does when no program is given: $SHELL when set and not
// empty, else the shell of our (possibly just changed) uid in
// /etc/passwd, else /bin/sh.
func ExecLoginShell(env []string) error {
	shell := loginShell(env)
	prepareExec()
	err := syscall.Exec(shell, []string{"-" + filepath.Base(shell)}, env)
	return &Error{Msg: "failed to execute " + shell, Err: err, Code: ExecExitCode(err)}
}

// loginShell picks the shell: $SHELL when set and not empty, else our
// uid's shell in /etc/passwd, else /bin/sh.
func loginShell(env []string) string {
	shell, _ := lookupEnv(env, "SHELL")
	if shell == "" {
		if a, ok := UserByID(uint32(os.Getuid())); ok {
			shell = a.Shell
		}
	}
	if shell == "" {
		shell = "/bin/sh"
	}
	return shell
}

// setPropagation is step 17: the propagation of every mount in the new
// mount namespace. The namespace is the same for us and a forked child,
// so the parent may do it before forking.
func (u *Unshare) setPropagation() error {
	if u.Flags&unix.CLONE_NEWNS != 0 && u.Propagation != 0 {
		if err := unix.Mount("none", "/", "", u.Propagation, ""); err != nil {
			return errf(err, "cannot change root filesystem propagation")
		}
	}
	return nil
}

// isFixedInterp tells whether a binfmt_misc registration's flags (its
// last field) contain F.
func isFixedInterp(s string) bool {
	i := strings.LastIndexByte(s, ':')
	return i >= 0 && strings.ContainsRune(s[i:], 'F')
}

func mountBinfmt(dir string) error {
	if err := unix.Mount("binfmt_misc", dir, "binfmt_misc", unix.MS_NOSUID|unix.MS_NOEXEC|unix.MS_NODEV, ""); err != nil {
		return errf(err, "mount %s failed", dir)
	}
	return nil
}

// loadInterp registers an interpreter with the binfmt_misc mounted on dir.
func loadInterp(dir, interp string) error {
	dfd, err := unix.Open(dir, unix.O_PATH|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return errf(err, "cannot open %s", dir)
	}
	defer unix.Close(dfd)
	fd, err := unix.Openat(dfd, "register", unix.O_WRONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return errf(err, "cannot open %s/register", dir)
	}
	defer unix.Close(fd)
	if _, err := unix.Write(fd, []byte(interp)); err != nil {
		return errf(err, "write failed %s/register", dir)
	}
	return nil
}

// mountProc mounts a proc for the current pid namespace on dir. When the
// propagation change of "/" did not already make dir private, it is made
// private first so the mount cannot leak out; a dir that is not a mount
// point (EINVAL) needs nothing.
func mountProc(dir string, makePrivate bool) error {
	if makePrivate {
		err := unix.Mount("none", dir, "", unix.MS_PRIVATE|unix.MS_REC, "")
		if err != nil && err != unix.EINVAL {
			return errf(err, "cannot change %s filesystem propagation", dir)
		}
	}
	if err := unix.Mount("proc", dir, "proc", unix.MS_NOSUID|unix.MS_NOEXEC|unix.MS_NODEV, ""); err != nil {
		return errf(err, "mount %s failed", dir)
	}
	return nil
}

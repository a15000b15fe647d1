package nsutil

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"golang.org/x/sys/unix"

	"nsbox/nsutil/prestage"
)

// finishSteps are util-linux's steps 18-27 — binfmt_misc, root and
// working directory, /proc, ids, capabilities, environment — ending in
// the program's exec. In the forked child they first make sure the
// parent that asked for --kill-child still lives.
func (st *unshareState) finishSteps() steps {
	u := st.Req
	var s steps
	const binfmtDefault = "/proc/sys/fs/binfmt_misc"
	fixedInterp := u.LoadInterp != nil && isFixedInterp(*u.LoadInterp) && u.Root != nil
	if fixedInterp {
		// An interpreter opened at registration ("F") must be found
		// before the root changes.
		s.mountBinfmt(binfmtDefault)
		s.gocode(func() error { return loadInterp(binfmtDefault, *u.LoadInterp) })
	}
	wd := u.Wd
	if u.Root != nil {
		s.op(planOp{Kind: prestage.OpChroot, Strs: []string{*u.Root}}, "cannot change root directory to '"+*u.Root+"'")
		if wd == nil {
			slash := "/"
			wd = &slash
		}
	}
	if wd != nil {
		s.op(planOp{Kind: prestage.OpChdir, Strs: []string{*wd}}, "cannot change directory to "+*wd)
	}
	if u.MountProc != nil {
		// When the propagation change of "/" did not already make the
		// directory private, it is made private first so the mount
		// cannot leak out; one that is not a mount point (EINVAL)
		// needs nothing.
		dir := *u.MountProc
		if u.Root == nil && u.Propagation != unix.MS_REC|unix.MS_PRIVATE {
			s.mount("none", dir, "", unix.MS_PRIVATE|unix.MS_REC, unix.EINVAL, "cannot change "+dir+" filesystem propagation")
		}
		s.mount("proc", dir, "proc", unix.MS_NOSUID|unix.MS_NOEXEC|unix.MS_NODEV, 0, "mount "+dir+" failed")
	}
	if u.MountBinfmt != nil {
		s.mountBinfmt(*u.MountBinfmt)
	}
	if u.LoadInterp != nil && !fixedInterp {
		s.gocode(func() error { return loadInterp(*u.MountBinfmt, *u.LoadInterp) })
	}
	if u.ForceGID {
		s.op(planOp{Kind: prestage.OpSetgroups}, "setgroups failed")
		s.op(planOp{Kind: prestage.OpSetgid, Arg: uint64(u.SetGID)}, "setgid() failed")
	}
	if u.ForceUID {
		s.op(planOp{Kind: prestage.OpSetuid, Arg: uint64(u.SetUID)}, "setuid() failed")
	}
	if u.Flags&unix.CLONE_NEWUSER != 0 {
		switch {
		case u.KeepCaps:
			s.gocode(permittedToAmbient)
		case st.AmbientSet:
			s.dropAmbient() // only the start of this child needed them
		}
	}
	if st.ParentPidfd >= 0 {
		// --kill-child: the parent-death signal once more (any change
		// of ids or capabilities above cleared it), then give up
		// quietly, as util-linux does, if the parent is already gone.
		s.op(planOp{Kind: prestage.OpPrctl, Arg: unix.PR_SET_PDEATHSIG, Arg2: uint64(st.Req.KillSignal)}, "prctl failed")
		s.op(planOp{Kind: prestage.OpAlive, Fd: int32(st.ParentPidfd)}, "poll parent pidfd failed")
		s.op(planOp{Kind: prestage.OpCloexec, Fd: int32(st.ParentPidfd)}, "fcntl failed")
	}
	// Signals ignored when we started are ignored in the program, as
	// from util-linux; a forked child has them back at their default
	// action where the Go runtime handled them. SIGCHLD is reset.
	for sig := unix.Signal(1); sig <= sigRTMax; sig++ {
		if st.Ignored&(1<<(sig-1)) != 0 && sig != unix.SIGCHLD && sig != unix.SIGKILL && sig != unix.SIGSTOP {
			s.op(planOp{Kind: prestage.OpIgnore, Arg: uint64(sig)}, "sigaction failed")
		}
	}
	env := u.environment()
	if len(u.Argv) > 0 {
		s.exec(u.Argv, env)
	} else {
		s.gocode(func() error { return ExecLoginShell(env) })
	}
	return s
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

// propagationSteps is step 17: the propagation of every mount in the new
// mount namespace. The namespace is the same for us and a forked child,
// so the parent may do it before forking.
func (u *Unshare) propagationSteps() steps {
	var s steps
	if u.Flags&unix.CLONE_NEWNS != 0 && u.Propagation != 0 {
		s.mount("none", "/", "", u.Propagation, 0, "cannot change root filesystem propagation")
	}
	return s
}

// isFixedInterp tells whether a binfmt_misc registration's flags (its
// last field) contain F.
func isFixedInterp(s string) bool {
	i := strings.LastIndexByte(s, ':')
	return i >= 0 && strings.ContainsRune(s[i:], 'F')
}

func (s *steps) mountBinfmt(dir string) {
	s.mount("binfmt_misc", dir, "binfmt_misc", unix.MS_NOSUID|unix.MS_NOEXEC|unix.MS_NODEV, 0, "mount "+dir+" failed")
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

package nsutil

import (
	"fmt"
	"os"
	"strconv"
	"syscall"

	"golang.org/x/sys/unix"
)

// A helper is a child started before unshare() so that it stays in the
// original namespaces. It waits until the parent says go (the new
// namespaces exist), does one job from outside — bind the namespace files
// for persistence, or write the parent's id maps — and exits; its failure
// status becomes unshare's.

// helperJob is what a helper is to do: Binds, or the maps of PID.
type helperJob struct {
	Binds  [][2]string
	PID    int
	UIDMap []IDRange
	GIDMap []IDRange
	SyncFd int // the helper's end of the go-ahead socket pair
}

// helperHandle is the parent's side of a helper.
type helperHandle struct {
	PID int
	Fd  int // our end of the go-ahead socket pair
}

// startHelper starts a helper for job from the calling thread.
func startHelper(job *helperJob) (helperHandle, error) {
	// A socket pair rather than a pipe: the helper still sees EOF when
	// we die, and our go-ahead (MSG_NOSIGNAL) cannot raise SIGPIPE, now
	// that it would end us as it ends a C program.
	p, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return helperHandle{}, errf(err, "socketpair failed")
	}
	r, err := inheritable(p[0])
	if err != nil {
		unix.Close(p[1])
		return helperHandle{}, err
	}
	defer unix.Close(r)
	job.SyncFd = r
	pid, err := startSelf(nil, handover{Role: roleHelper, Helper: job}, nil)
	if err != nil {
		unix.Close(p[1])
		return helperHandle{}, errf(err, "fork failed")
	}
	return helperHandle{PID: pid, Fd: p[1]}, nil
}

// keepAcrossExec lets the go-ahead fd survive the re-exec into the
// pre-runtime stage; closeOnExec takes that back on the other side.
func (h helperHandle) keepAcrossExec() {
	if h.PID != 0 {
		unix.FcntlInt(uintptr(h.Fd), unix.F_SETFD, 0)
	}
}

func (h helperHandle) closeOnExec() {
	if h.PID != 0 {
		closeOnExec(h.Fd)
	}
}

// release tells the helper to go, waits for it, and passes on a failure
// (the helper has already said what went wrong).
func (h *helperHandle) release() error {
	if h.PID == 0 {
		return nil
	}
	unix.Sendto(h.Fd, []byte{6}, unix.MSG_NOSIGNAL, nil)
	unix.Close(h.Fd)
	ws, err := WaitPid(h.PID)
	h.PID = 0
	if err != nil {
		return err
	}
	if ws.Exited() && ws.ExitStatus() != 0 {
		return ExitStatus(ws.ExitStatus())
	}
	return nil
}

// runHelper is the helper process itself.
func runHelper(job *helperJob) error {
	var b [1]byte
	n, err := unix.Read(job.SyncFd, b[:])
	for err == unix.EINTR {
		n, err = unix.Read(job.SyncFd, b[:])
	}
	unix.Close(job.SyncFd)
	if n != 1 {
		// The parent gave up (its unshare failed): nothing to do.
		return ExitStatus(0)
	}
	if job.Binds != nil {
		return bindAll(job.Binds)
	}
	return writeMaps(job.PID, job.UIDMap, job.GIDMap)
}

// bindAll bind-mounts each namespace file on its target.
func bindAll(binds [][2]string) error {
	for _, b := range binds {
		if err := unix.Mount(b[0], b[1], "", unix.MS_BIND, ""); err != nil {
			return errf(err, "mount %s on %s failed", b[0], b[1])
		}
	}
	return nil
}

// writeMaps writes pid's uid and gid maps: directly when we are root in
// the parent user namespace, else through the setuid newuidmap and
// newgidmap, which check /etc/subuid and /etc/subgid for us.
func writeMaps(pid int, uids, gids []IDRange) error {
	if os.Geteuid() == 0 {
		for _, m := range []struct {
			file   string
			ranges []IDRange
		}{{"uid_map", uids}, {"gid_map", gids}} {
			if m.ranges == nil {
				continue
			}
			path := fmt.Sprintf("/proc/%d/%s", pid, m.file)
			text, err := FormatMap(path, m.ranges)
			if err != nil {
				return err
			}
			fd, err := unix.Open(path, unix.O_WRONLY|unix.O_CLOEXEC|unix.O_NOCTTY, 0)
			if err != nil {
				return errf(err, "failed to open %s", path)
			}
			_, err = unix.Write(fd, []byte(text))
			unix.Close(fd)
			if err != nil {
				return errf(err, "failed to write %s", path)
			}
		}
		return nil
	}
	if uids != nil {
		argv := mapperArgv("newuidmap", pid, uids)
		if gids == nil {
			return execMapper(argv)
		}
		if err := runMapper(argv); err != nil {
			return err
		}
	}
	return execMapper(mapperArgv("newgidmap", pid, gids))
}

func mapperArgv(tool string, pid int, ranges []IDRange) []string {
	argv := []string{tool, strconv.Itoa(pid)}
	for _, r := range ranges {
		argv = append(argv, strconv.FormatUint(uint64(r.Inner), 10),
			strconv.FormatUint(uint64(r.Outer), 10), strconv.FormatUint(uint64(r.Count), 10))
	}
	return argv
}

// execMapper becomes the map tool; its exit status is ours.
func execMapper(argv []string) error {
	err := Execvp(argv[0], argv, os.Environ())
	return &Error{Msg: "failed to execute " + argv[0], Err: err, Code: ExecExitCode(err)}
}

// runMapper runs the map tool and waits, passing on its failure.
func runMapper(argv []string) error {
	path, err := LookPath(argv[0], os.Environ())
	if err != nil {
		return &Error{Msg: "failed to execute " + argv[0], Err: err, Code: ExecExitCode(err)}
	}
	pid, err := ForkExec(path, argv, &syscall.ProcAttr{Env: os.Environ(), Files: stdFiles()})
	if err != nil {
		return &Error{Msg: "failed to execute " + argv[0], Err: err, Code: ExecExitCode(err)}
	}
	ws, err := WaitPid(pid)
	if err != nil {
		return err
	}
	if ws.Exited() && ws.ExitStatus() != 0 {
		return ExitStatus(ws.ExitStatus())
	}
	return nil
}

package nsutil

import (
	"fmt"
	"os"

	"golang.org/x/sys/unix"
)

// Named network namespaces, kept the way iproute2 keeps them so that both
// tools share them: a namespace stays alive because its nsfs file is bind
// mounted onto an empty file in NetnsRunDir, and running a program "in" it
// means joining it and giving the program a mount namespace whose /sys
// and /etc describe it. Every function acts on the calling thread, which
// must be the locked main thread.

// Directories iproute2 (as Debian builds it) uses for named namespaces.
const (
	NetnsRunDir = "/run/netns"
	NetnsEtcDir = "/etc/netns"
)

// ThreadNetnsFile names the calling thread's network namespace. The
// per-thread path matters: /proc/self/ns/net is the main thread's, which
// differs from ours whenever we are not the main thread.
const ThreadNetnsFile = "/proc/thread-self/ns/net"

// netnsNameMax is NAME_MAX: iproute2 skips the /etc overlay for longer names.
const netnsNameMax = 255

// NetnsStep says which step of a named-namespace operation failed; each
// has its own iproute2 message, chosen by the caller.
type NetnsStep int

// The steps, in the order the operations run them.
const (
	NetnsStepLockDir    NetnsStep = iota // opening the run directory to lock it
	NetnsStepMakeShared                  // making the run directory shared
	NetnsStepSelfBind                    // bind mounting the run directory onto itself
	NetnsStepOpen                        // opening a namespace file
	NetnsStepSetns                       // joining the namespace
	NetnsStepUnshareMnt                  // creating the private mount namespace
	NetnsStepRslave                      // making / a recursive slave
	NetnsStepMountSys                    // mounting a sysfs for the namespace on /sys
)

// NetnsError is a failed step of a named-namespace operation.
type NetnsError struct {
	Step NetnsStep
	Path string
	Err  error
}

func (e *NetnsError) Error() string { return fmt.Sprintf("%s: %v", e.Path, e.Err) }
func (e *NetnsError) Unwrap() error { return e.Err }

func netnsErr(step NetnsStep, path string, err error) error {
	return &NetnsError{Step: step, Path: path, Err: err}
}

// ShareNetnsRunDir makes dir (which must exist) a shared mount point, so
// that namespace files mounted in it propagate to every mount namespace
// that has a copy and an unmount reaches them all. A plain directory is
// first bind mounted onto itself, as iproute2 6.1 does: under a shared
// /run the new mount stays in /run's peer group, so mount namespaces made
// before the first add see the names too (iproute2 7.0 makes it private
// first, which shows each name once in mountinfo but hides names from
// those namespaces). An exclusive
// flock on dir serialises this one-time setup between concurrent callers
// (Debian bug 949235: parallel adds stacked bind mounts until the machine
// hung); if the lock cannot be taken, onFlockErr hears why and the setup
// goes on unlocked.
func ShareNetnsRunDir(dir string, onFlockErr func(error)) error {
	lock, err := unix.Open(dir, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return netnsErr(NetnsStepLockDir, dir, err)
	}
	defer unix.Close(lock)
	if err := unix.Flock(lock, unix.LOCK_EX); err != nil {
		onFlockErr(err)
	} else {
		defer unix.Flock(lock, unix.LOCK_UN)
	}
	madeMountPoint := false
	for {
		err := unix.Mount("", dir, "none", unix.MS_SHARED|unix.MS_REC, "")
		if err == nil {
			return nil
		}
		// EINVAL means "not a mount point"; anything else, or EINVAL
		// after we made it one, is a real failure.
		if err != unix.EINVAL || madeMountPoint {
			return netnsErr(NetnsStepMakeShared, dir, err)
		}
		if err := unix.Mount(dir, dir, "none", unix.MS_BIND|unix.MS_REC, ""); err != nil {
			return netnsErr(NetnsStepSelfBind, dir, err)
		}
		madeMountPoint = true
	}
}

// SavedNetns remembers a thread's network namespace so that the thread
// can go back to it after creating another.
type SavedNetns struct{ fd int }

// SaveNetns opens the calling thread's network namespace.
func SaveNetns() (*SavedNetns, error) {
	fd, err := unix.Open(ThreadNetnsFile, unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, &os.PathError{Op: "open", Path: ThreadNetnsFile, Err: err}
	}
	return &SavedNetns{fd: fd}, nil
}

// Restore moves the calling thread back into the saved namespace and
// releases it. It fails, for one, inside a user namespace that does not
// own the saved namespace.
func (s *SavedNetns) Restore() error {
	defer unix.Close(s.fd)
	if err := unix.Setns(s.fd, unix.CLONE_NEWNET); err != nil {
		return os.NewSyscallError("setns", err)
	}
	return nil
}

// UnshareNetns moves the calling thread into a new, empty network
// namespace (only lo, down).
func UnshareNetns() error {
	return os.NewSyscallError("unshare", unix.Unshare(unix.CLONE_NEWNET))
}

// BindNetns bind mounts a namespace file (ThreadNetnsFile, or
// /proc/PID/ns/net) onto target, which keeps that namespace alive while
// the mount exists.
func BindNetns(src, target string) error {
	if err := unix.Mount(src, target, "none", unix.MS_BIND, ""); err != nil {
		return &os.PathError{Op: "mount", Path: target, Err: err}
	}
	return nil
}

// RemoveNetnsFile detaches whatever is mounted on path (there may be
// nothing: a stale file) and unlinks it. Only the unlink can fail: the
// namespace itself lives on while a process or an fd still uses it.
func RemoveNetnsFile(path string) error {
	unix.Unmount(path, unix.MNT_DETACH)
	if err := unix.Unlink(path); err != nil {
		return &os.PathError{Op: "unlink", Path: path, Err: err}
	}
	return nil
}

// JoinNetnsFile moves the calling thread into the network namespace bound
// at path. The error is a *NetnsError with step NetnsStepOpen or
// NetnsStepSetns (EINVAL there: path is not a namespace file).
func JoinNetnsFile(path string) error {
	fd, err := unix.Open(path, unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return netnsErr(NetnsStepOpen, path, err)
	}
	defer unix.Close(fd)
	if err := unix.Setns(fd, unix.CLONE_NEWNET); err != nil {
		return netnsErr(NetnsStepSetns, path, err)
	}
	return nil
}

// EnterNetnsMounts gives the calling thread the mount view iproute2 gives
// a program run in the named namespace it has just joined: a private
// mount namespace with / made a recursive slave (mounts from outside still
// arrive, nothing leaks back), a sysfs of the namespace on /sys (sysfs
// describes the network namespace of the thread that mounts it; its
// source is the name, as in iproute2), and every entry of
// NetnsEtcDir/NAME bind mounted over the same name in /etc. Overlay
// failures are reported to onBindErr and do not stop anything; the other
// steps fail with a *NetnsError.
func EnterNetnsMounts(name string, onBindErr func(src, dst string, err error)) error {
	// CLONE_NEWNS implies CLONE_FS, so the thread gets its own root and
	// cwd and the other threads keep the original mount namespace.
	if err := unix.Unshare(unix.CLONE_NEWNS); err != nil {
		return netnsErr(NetnsStepUnshareMnt, "", err)
	}
	if err := unix.Mount("", "/", "none", unix.MS_SLAVE|unix.MS_REC, ""); err != nil {
		return netnsErr(NetnsStepRslave, "/", err)
	}
	if err := mountNetnsSysfs(name); err != nil {
		return netnsErr(NetnsStepMountSys, "/sys", err)
	}
	bindNetnsEtc(name, onBindErr)
	return nil
}

// mountNetnsSysfs replaces /sys by a sysfs for the current network
// namespace. If the old one cannot be detached (there may be none, or it
// may be locked), the new one goes on top, read-only when the old one is:
// a read-write sysfs may not shadow a read-only one.
func mountNetnsSysfs(name string) error {
	var flags uintptr
	if unix.Unmount("/sys", unix.MNT_DETACH) != nil {
		var st unix.Statfs_t
		if unix.Statfs("/sys", &st) == nil && st.Flags&unix.ST_RDONLY != 0 {
			flags = unix.MS_RDONLY
		}
	}
	return unix.Mount(name, "/sys", "sysfs", flags, "")
}

// bindNetnsEtc bind mounts NetnsEtcDir/NAME/E over /etc/E for every entry
// E, files and directories alike, in directory order and without
// recursion; a missing /etc/E is an error for onBindErr.
func bindNetnsEtc(name string, onBindErr func(src, dst string, err error)) {
	if len(name) >= netnsNameMax {
		return
	}
	dir := NetnsEtcDir + "/" + name
	f, err := os.Open(dir)
	if err != nil {
		return
	}
	entries, _ := f.Readdirnames(-1)
	f.Close()
	for _, e := range entries {
		src, dst := dir+"/"+e, "/etc/"+e
		if err := unix.Mount(src, dst, "none", unix.MS_BIND, ""); err != nil {
			onBindErr(src, dst, err)
		}
	}
}

// SwitchNetns is iproute2's netns_switch: join the namespace bound at
// runDir/NAME, then EnterNetnsMounts. The process (or the program it
// execs) then sees that namespace as its own.
func SwitchNetns(runDir, name string, onBindErr func(src, dst string, err error)) error {
	if err := JoinNetnsFile(runDir + "/" + name); err != nil {
		return err
	}
	return EnterNetnsMounts(name, onBindErr)
}

// MountCgroup2 mounts a cgroup2 hierarchy on dir; one already there
// (EBUSY) is fine.
func MountCgroup2(dir string) error {
	if err := unix.Mount("none", dir, "cgroup2", 0, ""); err != nil && err != unix.EBUSY {
		return err
	}
	return nil
}

package ip

import (
	"errors"
	"fmt"

	"golang.org/x/sys/unix"

	"nsbox/cli"
	"nsbox/nsutil"
)

// add is "add NAME" (create: a new, empty namespace) and "attach NAME
// PID" (the namespace of a process). Nothing is left behind on failure.
func (s *session) add(name string, pid int32, create bool) int {
	path := nsPath(name)
	if !s.createRunDir() || !s.shareRunDir() {
		return -1
	}
	fd, err := unix.Open(path, unix.O_RDONLY|unix.O_CREAT|unix.O_EXCL|unix.O_CLOEXEC, 0)
	if err != nil {
		s.errorf("Cannot create namespace file \"%s\": %s\n", path, cli.Strerror(err))
		return -1
	}
	unix.Close(fd)
	if !create {
		src := fmt.Sprintf("/proc/%d/ns/net", pid)
		if err := nsutil.BindNetns(src, path); err != nil {
			s.errorf("Bind %s -> %s failed: %s\n", src, path, cli.Strerror(err))
			if err := unix.Unlink(path); err != nil {
				s.errorf("Cannot remove namespace file \"%s\": %s\n", path, cli.Strerror(err))
			}
			return -1
		}
		return 0
	}
	// The new namespace is made on our own (main) thread and bound from
	// its per-thread file, then the thread goes back, so that the rest of
	// a batch runs where it started.
	saved, err := nsutil.SaveNetns()
	if err != nil {
		s.errorf("Cannot open init namespace: %s\n", cli.Strerror(err))
		s.exit(1)
	}
	if err := nsutil.UnshareNetns(); err != nil {
		s.errorf("Failed to create a new network namespace \"%s\": %s\n", name, cli.Strerror(err))
		s.restoreNetns(saved)
		s.removeName(name)
		return -1
	}
	if err := nsutil.BindNetns(nsutil.ThreadNetnsFile, path); err != nil {
		// iproute2's name for the same file (we are its main thread)
		s.errorf("Bind /proc/self/ns/net -> %s failed: %s\n", path, cli.Strerror(err))
		s.restoreNetns(saved)
		s.removeName(name)
		return -1
	}
	s.restoreNetns(saved)
	return 0
}

// restoreNetns returns to the namespace we started in. Failing that (in
// a user namespace that does not own it) ip gives up at once with exit
// 1, although the new name already works.
func (s *session) restoreNetns(saved *nsutil.SavedNetns) {
	if err := saved.Restore(); err != nil {
		s.errorf("setns: %s\n", cli.Strerror(err))
		s.exit(1)
	}
}

// shareRunDir makes the run directory a shared mount point.
func (s *session) shareRunDir() bool {
	err := nsutil.ShareNetnsRunDir(runDir, func(err error) {
		s.errorf("Warning: could not flock netns runtime directory \"%s\": %s\n", runDir, cli.Strerror(err))
	})
	if err == nil {
		return true
	}
	msg := cli.Strerror(err)
	var ne *nsutil.NetnsError
	errors.As(err, &ne)
	switch {
	case ne == nil:
		s.errorf("%s\n", msg)
	case ne.Step == nsutil.NetnsStepLockDir:
		s.errorf("Cannot open netns runtime directory \"%s\": %s\n", runDir, msg)
	case ne.Step == nsutil.NetnsStepSelfBind:
		s.errorf("mount --bind %s %s failed: %s\n", runDir, runDir, msg)
	default:
		s.errorf("mount --make-shared %s failed: %s\n", runDir, msg)
	}
	return false
}

// removeName unmounts and unlinks runDir/NAME.
func (s *session) removeName(name string) bool {
	path := nsPath(name)
	if err := nsutil.RemoveNetnsFile(path); err != nil {
		s.errorf("Cannot remove namespace file \"%s\": %s\n", path, cli.Strerror(err))
		return false
	}
	return true
}

// del is "delete NAME" and "-all delete": names go, the namespaces live
// on while something uses them. -all stops at the first failure and still
// succeeds, as iproute2 does.
func (s *session) del(c *command) int {
	if c.all {
		return s.foreachName(s.removeName)
	}
	if !s.removeName(c.name) {
		return -1
	}
	return 0
}

// set is "set NAME NETNSID|auto": give the namespace an id in the
// current one; the kernel refuses a second id or one already in use.
func (s *session) set(name string, nsid int32) int {
	fd, err := unix.Open(nsPath(name), unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		// iproute2 6.1's message; 6.12 fails silently here
		s.errorf("Cannot open network namespace \"%s\": %s\n", name, cli.Strerror(err))
		return -1
	}
	defer unix.Close(fd)
	s.nsidSocketInit()
	if err := s.mainRoute().AssignNSID(fd, nsid); err != nil {
		s.netlinkError(err)
		return -2
	}
	return 0
}

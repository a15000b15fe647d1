package ip

import (
	"errors"
	"fmt"
	"os"

	"golang.org/x/sys/unix"

	"nsbox/cli"
)

// identify is "identify [PID]": the name of the process's network
// namespace (pid is "self" without a PID), or an empty line.
func (s *session) identify(pid string) int {
	name, ok := s.identifyPid(pid)
	if !ok {
		return -1
	}
	fmt.Fprintf(s.out, "%s\n", name)
	return 0
}

// netnsKey identifies a namespace file: nsfs gives every namespace its own
// inode on one device.
type netnsKey struct{ dev, ino uint64 }

// openKey opens path and returns what it is, reporting failures with
// iproute2's messages (it opens, then fstats, so the open's error is the
// one a missing or forbidden file gives).
func (s *session) openKey(path string) (netnsKey, bool) {
	fd, err := unix.Open(path, unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		s.errorf("Cannot open network namespace: %s\n", cli.Strerror(err))
		return netnsKey{}, false
	}
	defer unix.Close(fd)
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil {
		s.errorf("Stat of netns failed: %s\n", cli.Strerror(err))
		return netnsKey{}, false
	}
	return netnsKey{st.Dev, st.Ino}, true
}

// statKey is the key of path by stat(2) (following the bind mount), ok
// false when it cannot be read.
func statKey(path string) (netnsKey, bool) {
	var st unix.Stat_t
	if unix.Stat(path, &st) != nil {
		return netnsKey{}, false
	}
	return netnsKey{st.Dev, st.Ino}, true
}

// identifyPid finds the last name (in directory order) bound to the
// network namespace of /proc/PID: "" when there is none or no run
// directory.
func (s *session) identifyPid(pid string) (string, bool) {
	want, ok := s.openKey("/proc/" + pid + "/ns/net")
	if !ok {
		return "", false
	}
	names, err := runDirNames()
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return "", true
		}
		s.errorf("Failed to open directory %s:%s\n", runDir, cli.Strerror(err))
		return "", false
	}
	found := ""
	for _, n := range names {
		if k, ok := statKey(runDir + "/" + n); ok && k == want {
			found = n
		}
	}
	return found, true
}

// pids is "pids NAME": every process (not thread) in the namespace, in
// /proc order; processes we may not inspect are skipped.
func (s *session) pids(name string) int {
	want, ok := s.openKey(nsPath(name))
	if !ok {
		return -1
	}
	f, err := os.Open("/proc/")
	if err != nil {
		s.errorf("Open of /proc failed: %s\n", cli.Strerror(err))
		return -1
	}
	entries, _ := f.Readdirnames(-1)
	f.Close()
	for _, e := range entries {
		if !isPid(e) {
			continue
		}
		if k, ok := statKey("/proc/" + e + "/ns/net"); ok && k == want {
			fmt.Fprintf(s.out, "%s\n", e)
		}
	}
	return 0
}

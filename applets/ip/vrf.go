package ip

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"

	"nsbox/cli"
	"nsbox/nsutil"
)

// VRF reset, done by "ip netns exec" before it joins the namespace: a
// process that "ip vrf exec" put in a VRF cgroup (cgroup v2 path
// .../vrf/NAME) would keep that VRF's socket binding in the new
// namespace, so it is moved to the default-VRF cgroup first:
// <cgroup2 mount><base>/[<netns>-ns/]vrf/. A process in no VRF cgroup
// (the usual case) is left alone. Failures are reported and ignored.
func (s *session) vrfReset() {
	lines := cgroupLines()
	if vrfName(lines) == "" {
		return
	}
	mnt, ok := s.cgroup2Mount()
	if !ok {
		return
	}
	netns, ok := s.identifyPid("self") // its failure is already reported
	if !ok {
		return
	}
	if netns != "" {
		netns += "-ns"
	}
	base := vrfBase(lines)
	if netns != "" {
		// a base that already ends in this namespace's directory
		// does not get it twice
		if i := strings.LastIndexByte(base, '/'); base[i+1:] == netns {
			base = base[:i+1]
		}
		netns += "/"
	}
	path := mnt + base + "/" + netns + "vrf/"
	if !s.makePath(path) {
		s.errorf("Failed to setup vrf cgroup2 directory\n")
		return
	}
	f, err := os.OpenFile(path+"/cgroup.procs", os.O_RDWR|os.O_APPEND, 0)
	if err != nil {
		s.errorf("Failed to open cgroups.procs file: %s.\n", cli.Strerror(err))
		return
	}
	defer f.Close()
	if _, err := f.WriteString(strconv.Itoa(os.Getpid())); err != nil {
		s.errorf("Failed to join cgroup\n")
	}
}

// cgroupLines are the lines of /proc/PID/cgroup for our PID.
func cgroupLines() []string {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/cgroup", os.Getpid()))
	if err != nil {
		return nil
	}
	return strings.SplitAfter(string(b), "\n")
}

// vrfName is the VRF of the first cgroup-v2 line ("::/") that has one,
// at most 31 bytes as in iproute2.
func vrfName(lines []string) string {
	for _, l := range lines {
		if !strings.Contains(l, "::/") {
			continue
		}
		if i := strings.Index(l, "/vrf/"); i >= 0 {
			name := strings.TrimSuffix(l[i+len("/vrf/"):], "\n")
			if len(name) > 31 {
				name = name[:31]
			}
			return name
		}
	}
	return ""
}

// vrfBase is the cgroup-v2 path of the process without its "/vrf..."
// tail; "" for the root.
func vrfBase(lines []string) string {
	for _, l := range lines {
		i := strings.Index(l, "::/")
		if i < 0 {
			continue
		}
		p := strings.TrimSuffix(l[i+2:], "\n")
		if j := strings.Index(p, "/vrf"); j >= 0 {
			p = p[:j]
		}
		if p == "/" {
			p = ""
		}
		return p
	}
	return ""
}

// cgroup2Dir is where iproute2 mounts a cgroup2 when none is mounted.
const cgroup2Dir = "/var/run/cgroup2"

// cgroup2Mount is the first cgroup2 mount point in /proc/mounts (as
// written there); without one, a cgroup2 is mounted on cgroup2Dir, as
// iproute2 does (inside "ip netns exec" the original one is gone with
// the old /sys).
func (s *session) cgroup2Mount() (string, bool) {
	f, err := os.Open("/proc/mounts")
	if err != nil {
		s.errorf("Failed to open mounts file: %s\n", cli.Strerror(err))
		return "", false
	}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if fields := strings.Fields(sc.Text()); len(fields) > 2 && fields[2] == "cgroup2" {
			f.Close()
			return fields[1], true
		}
	}
	f.Close()
	if !s.makePath(cgroup2Dir) {
		s.errorf("Failed to setup cgroup2 directory\n")
		return "", false
	}
	switch err := nsutil.MountCgroup2(cgroup2Dir); err {
	case nil:
	case unix.ENODEV:
		s.errorf("Failed to mount cgroup2. Are CGROUPS enabled in your kernel?\n")
		return "", false
	default:
		s.errorf("Failed to mount cgroup2: %s\n", cli.Strerror(err))
		return "", false
	}
	return cgroup2Dir, true
}

// makePath creates every directory along path (mode 0755), reporting
// the first failure as iproute2's make_path does.
func (s *session) makePath(path string) bool {
	for i := 1; i <= len(path); i++ {
		if i < len(path) && path[i] != '/' {
			continue
		}
		dir := path[:i]
		if err := os.Mkdir(dir, 0o755); err != nil && !errors.Is(err, os.ErrExist) {
			s.errorf("mkdir failed for %s: %s\n", dir, cli.Strerror(err))
			return false
		}
		if i+1 >= len(path) {
			break
		}
	}
	return true
}

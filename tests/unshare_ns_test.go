package tests

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"unsafe"
)

// TestUnsharePersist binds each namespace type on a file (§1.5) and checks
// the nsfs mount, then that the namespace is usable through the file.
func TestUnsharePersist(t *testing.T) {
	d := PrivateDir(t)
	for _, c := range []struct {
		opt, kind string
		extra     []string
	}{
		{"--uts", "uts", nil}, {"--ipc", "ipc", nil}, {"--net", "net", nil},
		{"--cgroup", "cgroup", nil}, {"--mount", "mnt", nil}, {"--time", "time", nil},
		{"--pid", "pid", []string{"-f"}},
		// User namespaces persist from 2.42 on (2.38.1 fails with EPERM).
		{"--user", "user", nil}, {"--user", "user", []string{"-r"}},
		{"--net", "net", []string{"-r"}}, {"--uts", "uts", []string{"-rf"}},
		{"--mount", "mnt", []string{"-f"}},
	} {
		f := filepath.Join(d, "ns")
		os.WriteFile(f, nil, 0o644)
		args := append(append([]string{}, c.extra...), c.opt+"="+f, "true")
		Want(t, ushare(t, args...), "", "", 0)
		m := MountsUnder(d)
		if len(m) != 1 || !strings.Contains(m[0], " "+c.kind+":[") || !strings.HasSuffix(m[0], " - nsfs nsfs rw") {
			t.Errorf("%v: mounts under %s: %q", args, d, m)
		}
		Sys(t, "umount", f)
	}
	// Several at once, in one run, each in its own file.
	files := map[string]string{}
	var args []string
	for _, k := range []string{"user", "uts", "net", "ipc", "mount"} {
		files[k] = filepath.Join(d, k)
		os.WriteFile(files[k], nil, 0o644)
		args = append(args, "--"+k+"="+files[k])
	}
	Want(t, ushare(t, append(args, "-r", "hostname", "nbt-persist")...), "", "", 0)
	if n := len(MountsUnder(d)); n != 5 {
		t.Errorf("want 5 nsfs mounts, got %d", n)
	}
	// The namespaces are the real thing: util-linux's nsenter enters them.
	Want(t, Sys(t, "nsenter", "--user="+files["user"], "--uts="+files["uts"], "hostname"), "nbt-persist\n", "", 0)
	Want(t, Sys(t, "nsenter", "--net="+files["net"], "ip", "-br", "link"), "lo               DOWN           00:00:00:00:00:00 <LOOPBACK> \n", "", 0)
	for _, f := range files {
		Sys(t, "umount", f)
	}
	// The same as util-linux for a type 2.38.1 persists too.
	f := filepath.Join(d, "uts")
	nb, ref := both(t, Cmd{Argv: []string{"--uts=" + f, "hostname", "nbt-persist"}})
	Same(t, nb, ref)
	Want(t, Sys(t, "nsenter", "--uts="+f, "hostname"), "nbt-persist\n", "", 0)
	Sys(t, "umount", f)
	Sys(t, "umount", f)
}

// TestUnsharePersistErrors: the bind happens after unshare(); when it
// fails, the message is util-linux's and nothing is left mounted.
func TestUnsharePersistErrors(t *testing.T) {
	d := PrivateDir(t)
	missing := filepath.Join(d, "missing")
	for _, extra := range [][]string{nil, {"-r"}, {"-m"}, {"-f"}} {
		args := append(append([]string{}, extra...), "--uts="+missing, "true")
		WantMatch(t, ushare(t, args...), "", `unshare: mount /proc/[0-9]+/ns/uts on `+missing+` failed: No such file or directory\n`, 1)
	}
	// pid_for_children only exists once a child is forked.
	f := filepath.Join(d, "pid")
	os.WriteFile(f, nil, 0o644)
	WantMatch(t, ushare(t, "--pid="+f, "true"), "", `unshare: mount /proc/[0-9]+/ns/pid_for_children on `+f+` failed: No such file or directory\n`, 1)
	nb, ref := both(t, Cmd{Argv: []string{"--pid=" + f, "true"}})
	if nb.Code != ref.Code || ref.Code != 1 || !strings.Contains(ref.Stderr, "pid_for_children on "+f+" failed: No such file or directory") {
		t.Errorf("util-linux: %s / nsbox %s", ref, nb)
	}
	// A mount namespace cannot be bound on a shared mount.
	shared := SharedDir(t, d, "shared")
	f = filepath.Join(shared, "mnt")
	os.WriteFile(f, nil, 0o644)
	WantMatch(t, ushare(t, "--mount="+f, "true"), "", `unshare: mount /proc/[0-9]+/ns/mnt on `+f+` failed: Invalid argument\n`, 1)
	Sys(t, "umount", shared)
	if m := MountsUnder(d); len(m) != 0 {
		t.Errorf("left behind: %q", m)
	}
	// As nobody the bind is refused by the kernel.
	f = filepath.Join(d, "net")
	os.WriteFile(f, nil, 0o666)
	WantMatch(t, ushareAs(t, "-r", "--net="+f, "true"), "", `unshare: mount /proc/[0-9]+/ns/net on `+f+` failed: Operation not permitted\n`, 1)
	if m := MountsUnder(d); len(m) != 0 {
		t.Errorf("left behind: %q", m)
	}
}

// TestUnsharePropagation compares / inside a new mount namespace with
// util-linux for each --propagation mode.
func TestUnsharePropagation(t *testing.T) {
	d := PrivateDir(t)
	// A shared mount to see the difference between the modes.
	shared := SharedDir(t, d, "s")
	for _, mode := range [][]string{nil, {"--propagation", "private"}, {"--propagation", "slave"}, {"--propagation", "shared"}, {"--propagation=unchanged"}} {
		args := append(append([]string{"-m"}, mode...), "findmnt", "-n", "-o", "PROPAGATION", shared)
		r := sameAsSystem(t, args...)
		if r.Code != 0 || r.Stdout == "" {
			t.Errorf("%v: %s", mode, r)
		}
	}
	// Without a mount namespace the option is ignored.
	sameAsSystem(t, "--propagation", "slave", "true")
}

// TestUnshareMountProc is BR-10 and BR-20: --mount-proc with and without
// -R, on a directory that is not a mount point, and its errors; the proc
// mount never shows on the host.
func TestUnshareMountProc(t *testing.T) {
	d := TempDir(t)
	p := filepath.Join(d, "p")
	os.Mkdir(p, 0o755)
	for _, prop := range [][]string{nil, {"--propagation", "slave"}, {"--propagation", "unchanged"}} {
		args := append(append([]string{"-pf", "--mount-proc=" + p}, prop...), "ls", p)
		r := ushare(t, args...)
		if pidEntries(r.Stdout) != "1" || r.Code != 0 || r.Stderr != "" {
			t.Errorf("%v: %s", prop, r)
		}
	}
	Want(t, ushare(t, "-pf", "--mount-proc=/nonexistent-nsbox", "true"), "", "unshare: mount /nonexistent-nsbox failed: No such file or directory\n", 1)
	Want(t, ushare(t, "-pf", "--mount-proc=/nonexistent-nsbox", "--propagation", "slave", "true"), "",
		"unshare: cannot change /nonexistent-nsbox filesystem propagation: No such file or directory\n", 1)
	sameAsSystem(t, "-pf", "--mount-proc=/nonexistent-nsbox", "true")
	sameAsSystem(t, "-pf", "--mount-proc=/nonexistent-nsbox", "--propagation", "slave", "true")
	if entries, _ := os.ReadDir(p); len(entries) != 0 {
		t.Errorf("the proc mount leaked to the host: %d entries", len(entries))
	}
	// As nobody with a user namespace, and in the default place.
	if r := ushareAs(t, "-r", "-p", "-f", "--mount-proc", "ls", "/proc"); pidEntries(r.Stdout) != "1" || r.Code != 0 {
		t.Errorf("as nobody: %s", r)
	}
	// A new user namespace cannot mount proc for a pid namespace it does
	// not own (BR-02's sibling): util-linux's message.
	Want(t, ushareAs(t, "-U", "--mount-proc", "true"), "", "unshare: mount /proc failed: Operation not permitted\n", 1)
}

// TestUnshareTime: offsets are written before anything enters the time
// namespace, and exec moves the program into it even without --fork.
func TestUnshareTime(t *testing.T) {
	show := []string{"sh", "-c", "sed 's/  */ /g' /proc/self/timens_offsets | tr '\\n' /"}
	sameAsSystem(t, append([]string{"-T", "--monotonic", "1000", "--boottime", "2000"}, show...)...)
	// Negative offsets are 2.40+.
	Want(t, ushare(t, append([]string{"-T", "--monotonic", "-50", "--boottime=-70"}, show...)...), "monotonic -50 0/boottime -70 0/", "", 0)
	for _, extra := range [][]string{nil, {"-f"}, {"-r"}, {"-rf"}} {
		args := append(append([]string{"-T", "--boottime", "1000000"}, extra...), "cat", "/proc/uptime")
		r := ushare(t, args...)
		up, err := strconv.ParseFloat(strings.Fields(r.Stdout + " x")[0], 64)
		if r.Code != 0 || err != nil || up < 1000000 {
			t.Errorf("%v: uptime inside: %s", extra, r)
		}
	}
	Want(t, ushareAs(t, "-r", "-T", "--monotonic", "5", "sh", "-c", "sed 's/  */ /g' /proc/self/timens_offsets | head -1"), "monotonic 5 0\n", "", 0)
}

// TestUnshareOwner: --owner (2.42) makes the new user namespace belong to
// another user; with -r the original euid is what is mapped to 0.
func TestUnshareOwner(t *testing.T) {
	u := StartReady(t, Cmd{Argv: []string{Applet("unshare"), "--owner", "65534:65534", "-r", "sh", "-c",
		`sed -e 's/^ *//' -e 's/  */ /g' /proc/self/uid_map; id -u; echo ready; exec sleep 1000`}})
	f, err := os.Open(fmt.Sprintf("/proc/%d/ns/user", u.Process.Pid))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var owner uint32
	const nsGetOwnerUID = 0xb704
	if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, f.Fd(), nsGetOwnerUID, uintptr(unsafe.Pointer(&owner))); e != 0 {
		t.Fatal(e)
	}
	if owner != 65534 {
		t.Errorf("user namespace owner %d, want 65534", owner)
	}
	// What the program printed before "ready".
	r := ushare(t, "--owner", "65534:65534", "-r", "sh", "-c", `sed -e 's/^ *//' -e 's/  */ /g' /proc/self/uid_map; id -u`)
	Want(t, r, "0 0 1\n65534\n", "", 0)
	// Only root may give a namespace away.
	Want(t, ushareAs(t, "--owner", "0:0", "true"), "", "unshare: setgroups failed: Operation not permitted\n", 1)
}

// TestUnshareKeepCaps is BR-19, as nobody.
func TestUnshareKeepCaps(t *testing.T) {
	caps := []string{"grep", "-E", "Cap(Eff|Amb)", "/proc/self/status"}
	full := fullCaps(t)
	zero := "0000000000000000"
	Want(t, ushareAs(t, append([]string{"-U"}, caps...)...), "CapEff:\t"+zero+"\nCapAmb:\t"+zero+"\n", "", 0)
	Want(t, ushareAs(t, append([]string{"-U", "--keep-caps"}, caps...)...), "CapEff:\t"+full+"\nCapAmb:\t"+full+"\n", "", 0)
	Want(t, ushareAs(t, "-c", "--keep-caps", "sh", "-c", "id -u; grep CapEff /proc/self/status"), "65534\nCapEff:\t"+full+"\n", "", 0)
	Want(t, ushareAs(t, append([]string{"-r"}, caps...)...), "CapEff:\t"+full+"\nCapAmb:\t"+zero+"\n", "", 0)
	Want(t, ushare(t, "--keep-caps", "grep", "CapAmb", "/proc/self/status"), "CapAmb:\t"+zero+"\n", "", 0)
	// Through --fork the child must neither lose them (it mounts proc
	// as a mapped non-root user) nor pass them on unasked.
	Want(t, ushareAs(t, append([]string{"-U", "-f"}, caps...)...), "CapEff:\t"+zero+"\nCapAmb:\t"+zero+"\n", "", 0)
	Want(t, ushareAs(t, append([]string{"-U", "-f", "--keep-caps"}, caps...)...), "CapEff:\t"+full+"\nCapAmb:\t"+full+"\n", "", 0)
	Want(t, ushareAs(t, "--map-user=1000", "-p", "-f", "--mount-proc", "sh", "-c", "id -u; exec cat /proc/1/comm"), "1000\ncat\n", "", 0)
	Want(t, ushareAs(t, append([]string{"-c", "-f"}, caps...)...), "CapEff:\t"+zero+"\nCapAmb:\t"+zero+"\n", "", 0)
	Want(t, ushareAs(t, "-c", "-f", "grep", "CapInh", "/proc/self/status"), "CapInh:\t"+zero+"\n", "", 0)
}

// fullCaps is the capability mask of every capability this kernel has.
func fullCaps(t *testing.T) string {
	b, err := os.ReadFile("/proc/sys/kernel/cap_last_cap")
	if err != nil {
		t.Fatal(err)
	}
	n, _ := strconv.Atoi(strings.TrimSpace(string(b)))
	return fmt.Sprintf("%016x", uint64(1)<<(n+1)-1)
}

// makeChroot builds a minimal root (not a mount point) holding nsbox and a
// few dynamically linked tools with their libraries.
func makeChroot(t *testing.T) string {
	t.Helper()
	root := TempDir(t)
	for _, dir := range []string{"bin", "proc", "tmp", "data", "etc"} {
		os.MkdirAll(filepath.Join(root, dir), 0o755)
	}
	copyFile := func(src, dst string) {
		b, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		os.MkdirAll(filepath.Dir(dst), 0o755)
		if err := os.WriteFile(dst, b, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, tool := range []string{Applet("nsbox"), "/bin/sh", "/bin/true", "/bin/pwd", "/bin/ls", "/usr/bin/id", "/bin/sleep", "/bin/cat"} {
		dst := filepath.Join(root, "bin", filepath.Base(tool))
		copyFile(tool, dst)
		out, _ := exec.Command("ldd", tool).Output()
		for _, f := range strings.Fields(string(out)) {
			if strings.HasPrefix(f, "/") {
				copyFile(f, filepath.Join(root, f))
			}
		}
	}
	os.Symlink("nsbox", filepath.Join(root, "bin", "unshare"))
	os.Symlink("nsbox", filepath.Join(root, "bin", "nsenter"))
	return root
}

// TestUnshareRootAndWd is BR-20 and BR-22's chroot part, and BR-09.
func TestUnshareRootAndWd(t *testing.T) {
	chr := makeChroot(t)
	Want(t, ushare(t, "-R", chr, "/bin/pwd"), "/\n", "", 0)
	Want(t, ushare(t, "-R", chr, "-w", "/data", "/bin/pwd"), "/data\n", "", 0)
	Want(t, ushare(t, "-w", filepath.Join(chr, "data"), "/bin/pwd"), filepath.Join(chr, "data")+"\n", "", 0)
	sameAsSystem(t, "-R", chr, "/bin/pwd")
	sameAsSystem(t, "-R", chr, "-w", "/data", "/bin/pwd")
	// 2.38.1 words it "cannot chdir to '/nonexistent'".
	Want(t, ushare(t, "-R", chr, "-w", "/nonexistent", "/bin/pwd"), "", "unshare: cannot change directory to /nonexistent: No such file or directory\n", 1)
	r := ushare(t, "-R", chr, "--mount-proc", "-pf", "/bin/ls", "/proc")
	if r.Code != 0 || pidEntries(r.Stdout) != "1" {
		t.Errorf("proc of the new pid namespace inside the root: %s", r)
	}
	if entries, _ := os.ReadDir(filepath.Join(chr, "proc")); len(entries) != 0 {
		t.Errorf("proc left mounted in the root")
	}
	Want(t, ushare(t, "-R", chr, "/bin/mount", "-t", "proc", "proc", "/proc"), "", "unshare: failed to execute /bin/mount: No such file or directory\n", 127)
	// BR-09: no user namespace from inside a chroot (the kernel's rule),
	// other types still work. nsbox re-executes itself without /proc here.
	for _, args := range [][]string{{"/bin/unshare", "-U", "/bin/true"}, {"/bin/unshare", "-r", "/bin/id", "-u"}} {
		Want(t, Sys(t, append([]string{"chroot", chr}, args...)...), "", "unshare: unshare failed: Operation not permitted\n", 1)
	}
	Want(t, Sys(t, "chroot", chr, "/bin/unshare", "-n", "/bin/true"), "", "", 0)
	Want(t, Sys(t, "chroot", chr, "/bin/unshare", "-n", "-f", "/bin/true"), "", "", 0)
}

// TestUnshareNoCgo: the build without the pre-runtime stage does all but
// user namespaces, and says why for those.
func TestUnshareNoCgo(t *testing.T) {
	nb := func(args ...string) Result {
		return Run(t, Cmd{Argv: append([]string{filepath.Join(bin, "nsbox-nocgo"), "unshare"}, args...)})
	}
	msg := "unshare: creating a user namespace needs nsbox built with cgo (the pre-runtime stage)\n"
	for _, args := range [][]string{{"-U", "true"}, {"-r", "true"}, {"--map-users=0:100000:10", "true"}, {"-rf", "true"}} {
		Want(t, nb(args...), "", msg, 1)
	}
	Want(t, nb("-n", "ip", "-br", "link"), "lo               DOWN           00:00:00:00:00:00 <LOOPBACK> \n", "", 0)
	Want(t, nb("-pf", "--mount-proc", "sh", "-c", "echo $$"), "1\n", "", 0)
	Want(t, nb("-T", "--boottime", "5", "-f", "true"), "", "", 0)
	Want(t, nb("-f", "sh", "-c", "kill -TERM $$"), "", "", 143)
}

// TestUnshareBinfmt: --mount-binfmt and -l (util-linux 2.41+), in a new
// user namespace: a binfmt_misc of its own, an interpreter registered
// there, "F" registered before the root changes.
func TestUnshareBinfmt(t *testing.T) {
	Want(t, ushare(t, "-r", "-p", "-f", "--mount-binfmt", "ls", "/proc/sys/fs/binfmt_misc"), "register\nstatus\n", "", 0)
	d := TempDir(t)
	Want(t, ushare(t, "-r", "-m", "--mount-binfmt="+d, "ls", d), "register\nstatus\n", "", 0)
	if entries, _ := os.ReadDir(d); len(entries) != 0 {
		t.Errorf("binfmt_misc left mounted on %s", d)
	}
	Want(t, ushare(t, "-r", "-p", "-f", "-l", ":nbtest:E::nbt::/bin/sh:", "cat", "/proc/sys/fs/binfmt_misc/nbtest"),
		"enabled\ninterpreter /bin/sh\nflags: \nextension .nbt\n", "", 0)
	Want(t, ushare(t, "-r", "-p", "-f", "-l", ":nbtest:E::nbt::/bin/sh:F", "-R", "/", "cat", "/proc/sys/fs/binfmt_misc/nbtest"),
		"enabled\ninterpreter /bin/sh\nflags: F\nextension .nbt\n", "", 0)
	Want(t, ushare(t, "-r", "-p", "-f", "-l", "bogus", "true"), "", "unshare: write failed /proc/sys/fs/binfmt_misc/register: Invalid argument\n", 1)
	// The host's binfmt_misc does not see the registration.
	if _, err := os.Stat("/proc/sys/fs/binfmt_misc/nbtest"); err == nil {
		t.Errorf("the registration leaked to the host")
	}
}

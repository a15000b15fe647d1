package tests

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"golang.org/x/sys/unix"
)

// lsns tests. Where util-linux 2.38.1 (/usr/bin/lsns) and 2.42 agree the
// tests run both on the same fixtures and compare the bytes; they stick
// to raw and JSON output, or to columns whose widths both versions
// compute alike, and restrict the rows (-p, -t, -Q, a namespace argument)
// to the fixtures so that processes other tests start cannot interfere.
// Where 2.42 differs (persistent and fd-held namespaces, -P, -Q, -H,
// widths of columns exactly as wide as their header, messages) the tests
// assert 2.42's output, worked out from the specification.

const sysLsns = "/usr/bin/lsns"

// The socket-held network namespace helper: the test binary re-executed
// with this variable set creates a socket in a new network namespace,
// goes back to its own, writes the new namespace's inode to the file the
// variable names and waits to be killed. Only the socket keeps that
// namespace alive.
func init() {
	if out := os.Getenv("NBT_LSNS_SOCKET_HELPER"); out != "" {
		os.Exit(socketNetnsHelper(out))
	}
}

func socketNetnsHelper(out string) int {
	runtime.LockOSThread()
	orig, err := unix.Open("/proc/thread-self/ns/net", unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return 1
	}
	if err := unix.Unshare(unix.CLONE_NEWNET); err != nil {
		return 1
	}
	if _, err := unix.Socket(unix.AF_INET, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0); err != nil {
		return 1
	}
	link, err := os.Readlink("/proc/thread-self/ns/net")
	if err != nil {
		return 1
	}
	if err := unix.Setns(orig, unix.CLONE_NEWNET); err != nil {
		return 1
	}
	if err := os.WriteFile(out, []byte(link), 0o644); err != nil {
		return 1
	}
	select {}
}

func lsnsPrefix() string { return fmt.Sprintf("nbt%d", os.Getpid()) }

// lsnsBoth runs nsbox lsns and the system lsns with the same arguments
// and environment.
func lsnsBoth(t *testing.T, env []string, nobody bool, args ...string) (got, ref Result) {
	t.Helper()
	got = Run(t, Cmd{Argv: append([]string{Applet("lsns")}, args...), Env: env, Nobody: nobody})
	ref = Run(t, Cmd{Argv: append([]string{sysLsns}, args...), Env: env, Nobody: nobody})
	got.Stderr = strings.ReplaceAll(got.Stderr, Applet("lsns"), sysLsns)
	return got, ref
}

func lsnsSame(t *testing.T, args ...string) Result {
	t.Helper()
	got, ref := lsnsBoth(t, nil, false, args...)
	Same(t, got, ref)
	return got
}

func inodeOf(t *testing.T, path string) uint64 {
	t.Helper()
	var st unix.Stat_t
	if err := unix.Stat(path, &st); err != nil {
		t.Fatalf("stat %s: %v", path, err)
	}
	return st.Ino
}

func nsInode(t *testing.T, pid int, kind string) uint64 {
	t.Helper()
	return inodeOf(t, fmt.Sprintf("/proc/%d/ns/%s", pid, kind))
}

func u(n uint64) string { return strconv.FormatUint(n, 10) }

// netnsAdd creates a named network namespace with the system ip and
// deletes it at the end of the test.
func netnsAdd(t *testing.T, name string) uint64 {
	t.Helper()
	if r := Sys(t, "ip", "netns", "add", name); r.Code != 0 {
		t.Fatalf("ip netns add %s: %s", name, r)
	}
	t.Cleanup(func() { exec.Command("ip", "netns", "delete", name).Run() })
	return inodeOf(t, "/run/netns/"+name)
}

func cmdlineIs(pid int, want string) bool {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
	return err == nil && strings.ReplaceAll(string(b), "\x00", " ") == want+" "
}

// startSleep starts argv (which ends by exec'ing "sleep ARGS") and waits
// until the process runs sleep. It returns the PID.
func startSleep(t *testing.T, nobody bool, cmdline string, argv ...string) int {
	t.Helper()
	c := Background(t, Cmd{Argv: argv, Nobody: nobody})
	pid := c.Process.Pid
	WaitFor(t, "process "+cmdline, func() bool { return cmdlineIs(pid, cmdline) })
	return pid
}

// childOf waits for the first child of pid that runs cmdline and makes
// sure it is killed at the end.
func childOf(t *testing.T, pid int, cmdline string) int {
	t.Helper()
	var child int
	WaitFor(t, "child "+cmdline, func() bool {
		b, _ := os.ReadFile(fmt.Sprintf("/proc/%d/task/%d/children", pid, pid))
		f := strings.Fields(string(b))
		if len(f) == 0 {
			return false
		}
		child, _ = strconv.Atoi(f[0])
		return cmdlineIs(child, cmdline)
	})
	t.Cleanup(func() { syscall.Kill(child, syscall.SIGKILL) })
	return child
}

func lines(s ...string) string { return strings.Join(s, "\n") + "\n" }

// TestLsnsProcessNamespaces compares both versions on namespaces that
// processes are in: every column, raw and JSON.
func TestLsnsProcessNamespaces(t *testing.T) {
	pid := startSleep(t, false, "sleep 300", "/usr/bin/unshare", "-n", "-u", "-i", "sleep", "300")
	p := strconv.Itoa(pid)
	for _, typ := range []string{"net", "uts", "ipc"} {
		r := lsnsSame(t, "-r", "-p", p, "-t", typ, "--output-all")
		ino := nsInode(t, pid, typ)
		if !strings.Contains(r.Stdout, "\n"+u(ino)+" "+typ+" /proc/"+p+"/ns/"+typ+" 1 "+p+" ") || r.Code != 0 {
			t.Errorf("-t %s: %s", typ, r)
		}
		lsnsSame(t, "-J", "-p", p, "-t", typ, "--output-all")
		lsnsSame(t, "-J", "-p", p, "-t", typ, "-o", "NS,TYPE,NPROCS,PID,USER,NETNSID,NSFS,COMMAND")
	}
	// Default columns with their widths. A PID of exactly three digits
	// is as wide as its header, which only 2.38.1 pads to the hint of 5.
	pidw := 5
	if len(p) == 3 {
		pidw = 3
	}
	r := NB(t, "lsns", "-p", p, "-t", "net")
	Want(t, r, lines(fmt.Sprintf("        NS TYPE NPROCS %*s USER    NETNSID NSFS COMMAND", pidw, "PID"),
		fmt.Sprintf("%10d net       1 %*d root unassigned      sleep 300", nsInode(t, pid, "net"), pidw, pid)), "", 0)
	if len(p) != 3 {
		lsnsSame(t, "-p", p, "-t", "net")
	}
	// The namespace argument lists the processes of one namespace.
	lsnsSame(t, "-r", u(nsInode(t, pid, "net")))
	lsnsSame(t, "-J", u(nsInode(t, pid, "uts")))
}

// TestLsnsProcessTree: a namespace with a shell and its child prints the
// process tree, in both the UTF-8 and the C locale.
func TestLsnsProcessTree(t *testing.T) {
	pid := startSleep(t, false, "sh -c sleep 300 & wait", "/usr/bin/unshare", "-n", "sh", "-c", "sleep 300 & wait")
	child := childOf(t, pid, "sleep 300")
	ino := u(nsInode(t, pid, "net"))
	r := lsnsSame(t, "-r", ino)
	Want(t, r, lines("PID PPID USER COMMAND",
		fmt.Sprintf("%d %d root sh\\x20-c\\x20sleep\\x20300\\x20&\\x20wait", pid, os.Getpid()),
		fmt.Sprintf("%d %d root \\xe2\\x94\\x94\\xe2\\x94\\x80sleep\\x20300", child, pid)), "", 0)
	got, ref := lsnsBoth(t, append(os.Environ(), "LC_ALL=C"), false, "-r", ino)
	Same(t, got, ref)
	if !strings.Contains(got.Stdout, " root `-sleep\\x20300\n") {
		t.Errorf("C locale art: %s", got)
	}
	lsnsSame(t, "-J", ino)
	lsnsSame(t, "-J", "-l", ino)
	lsnsSame(t, "-r", "-o", "PID,COMMAND,PPID,PATH,NS,TYPE,NPROCS", ino)
	// In the namespace list the child's row hangs under its parent's.
	lsnsSame(t, "-r", "-t", "net", "-p", strconv.Itoa(child))
	// GNU argument permutation, and POSIXLY_CORRECT turning it off.
	// With -n a header counts one cell wide, so the 4- or 5-digit PIDs
	// get the width hint of 5 (2.42).
	r = NB(t, "lsns", ino, "-n", "-o", "PID")
	Want(t, r, lines(fmt.Sprintf("%5d", pid), fmt.Sprintf("%5d", child)), "", 0)
	got, ref = lsnsBoth(t, append(os.Environ(), "POSIXLY_CORRECT=1"), false, "-r", ino, "-n", "-o", "PID")
	Same(t, got, ref)
}

// TestLsnsUserPidNamespaces: a nested user and pid namespace gives PNS
// and ONS, the owner and parent trees, and the upstream ioctl_ns checks.
func TestLsnsUserPidNamespaces(t *testing.T) {
	outer := startSleep(t, false, "/usr/bin/unshare -U -r -p -f --mount-proc sleep 300",
		"/usr/bin/unshare", "-U", "-r", "-p", "-f", "--mount-proc", "sleep", "300")
	child := childOf(t, outer, "sleep 300")
	me := os.Getpid()
	myUser, myPid := nsInode(t, me, "user"), nsInode(t, me, "pid")
	childUser, childPid := nsInode(t, child, "user"), nsInode(t, child, "pid")
	c := strconv.Itoa(child)

	// upstream tests/ts/lsns/ioctl_ns
	r := lsnsSame(t, "--type", "user", "--noheadings", "--output", "NS,PNS,ONS", u(childUser))
	row := fmt.Sprintf("%10d %10d %10d", childUser, myUser, myUser)
	Want(t, r, lines(row, row), "", 0)
	r = lsnsSame(t, "-t", "pid", "-n", "-o", "NS,PNS,ONS", u(childPid))
	Want(t, r, lines(fmt.Sprintf("%10d %10d %10d", childPid, myPid, childUser)), "", 0)

	// The trees show the relatives of the -p rows even though -p would
	// leave them out.
	r = lsnsSame(t, "-r", "-t", "pid", "-t", "user", "-Towner", "-p", c, "-o", "NS,TYPE,PNS,ONS")
	Want(t, r, lines("NS TYPE PNS ONS",
		fmt.Sprintf("%d user 0 0", myUser),
		fmt.Sprintf("\\xe2\\x94\\x94\\xe2\\x94\\x80%d user %d %d", childUser, myUser, myUser),
		fmt.Sprintf("\\x20\\x20\\xe2\\x94\\x94\\xe2\\x94\\x80%d pid %d %d", childPid, myPid, childUser)), "", 0)
	lsnsSame(t, "-J", "-t", "pid", "-t", "user", "-Towner", "-p", c, "-o", "NS,TYPE,PNS,ONS")
	lsnsSame(t, "-r", "-Tparent", "-t", "pid", "-t", "user", "-p", c, "-o", "NS,TYPE,PNS,ONS")
	// -l does not stop -T (its exclusion never fires).
	lsnsSame(t, "-r", "-l", "-T", "-t", "user", "-p", c, "-o", "NS,TYPE")
	// Human widths of the tree column; TYPE is as wide as its header
	// ("user"), which 2.42 no longer pads to the hint.
	r = NB(t, "lsns", "-t", "pid", "-t", "user", "-Towner", "-p", c, "-o", "NS,TYPE,PNS,ONS")
	Want(t, r, lines("NS             TYPE        PNS        ONS",
		fmt.Sprintf("%-14d user %10d %10d", myUser, 0, 0),
		fmt.Sprintf("└─%-12d user %10d %10d", childUser, myUser, myUser),
		fmt.Sprintf("  └─%-10d pid  %10d %10d", childPid, myPid, childUser)), "", 0)
	// BR-35: -Tparent restricted to the fixture's pid namespace.
	r = NB(t, "lsns", "-Tparent", "-t", "pid", "-p", c, "-o", "NS,TYPE", "-n")
	Want(t, r, lines(fmt.Sprintf("%-12d pid", myPid), fmt.Sprintf("└─%d pid", childPid)), "", 0)
}

// TestLsnsGhostNamespace: a user namespace no process is in any more but
// that is the parent of a living one is read through the ioctls for the
// owner tree (NPROCS 0).
func TestLsnsGhostNamespace(t *testing.T) {
	dir := TempDir(t)
	pidfile := filepath.Join(dir, "pid")
	r := Run(t, Cmd{Argv: []string{"/usr/bin/unshare", "-U", "-r", "sh", "-c",
		"/usr/bin/unshare -U sleep 300 >/dev/null 2>&1 & echo $! > " + pidfile}})
	if r.Code != 0 {
		t.Fatalf("fixture: %s", r)
	}
	b, err := os.ReadFile(pidfile)
	if err != nil {
		t.Fatal(err)
	}
	inner, _ := strconv.Atoi(strings.TrimSpace(string(b)))
	t.Cleanup(func() { syscall.Kill(inner, syscall.SIGKILL) })
	WaitFor(t, "inner sleep", func() bool { return cmdlineIs(inner, "sleep 300") })
	innerUser := nsInode(t, inner, "user")
	fd, err := unix.Open(fmt.Sprintf("/proc/%d/ns/user", inner), unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	pfd, err := unix.IoctlRetInt(fd, 0xb702) // NS_GET_PARENT
	unix.Close(fd)
	if err != nil {
		t.Fatal(err)
	}
	var st unix.Stat_t
	unix.Fstat(pfd, &st)
	unix.Close(pfd)
	ghost := st.Ino
	p := strconv.Itoa(inner)
	// NPROCS of the initial namespace changes while other tests run, so
	// the comparison leaves it out.
	r = lsnsSame(t, "-r", "-Towner", "-t", "user", "-p", p, "-o", "NS,PNS,ONS,USER")
	me := nsInode(t, os.Getpid(), "user")
	Want(t, r, lines("NS PNS ONS USER", fmt.Sprintf("%d 0 0 root", me),
		fmt.Sprintf("\\xe2\\x94\\x94\\xe2\\x94\\x80%d %d %d root", ghost, me, me),
		fmt.Sprintf("\\x20\\x20\\xe2\\x94\\x94\\xe2\\x94\\x80%d %d %d root", innerUser, ghost, ghost)), "", 0)
	r = NB(t, "lsns", "-r", "-n", "-Towner", "-t", "user", "-p", p, "-o", "NS,NPROCS,PID")
	if !strings.Contains(r.Stdout, fmt.Sprintf("\n\\xe2\\x94\\x94\\xe2\\x94\\x80%d 0 \n", ghost)) ||
		!strings.Contains(r.Stdout, fmt.Sprintf("\\x94\\x80%d 1 %d\n", innerUser, inner)) {
		t.Errorf("ghost NPROCS: %s", r)
	}
	// Without a tree there are no ghosts.
	r = NB(t, "lsns", "-r", "-n", "-t", "user", "-o", "NS")
	if strings.Contains(r.Stdout, u(ghost)+"\n") || !strings.Contains(r.Stdout, u(innerUser)+"\n") {
		t.Errorf("list mode: %s", r)
	}
}

// TestLsnsNetnsid (BR-31, upstream netnsid tests): a named network
// namespace with an id, with and without a process in it.
func TestLsnsNetnsid(t *testing.T) {
	name := lsnsPrefix() + "X"
	ino := netnsAdd(t, name)
	if r := Sys(t, "ip", "netns", "set", name, "117"); r.Code != 0 {
		t.Fatalf("ip netns set: %s", r)
	}
	// 2.42 lists the bind-mounted namespace (2.38.1 does not).
	r := NB(t, "lsns", "-t", "net", "-o", "NS")
	if strings.Count(r.Stdout, "\n"+u(ino)+"\n") != 1 || r.Code != 0 {
		t.Errorf("persistent namespace not listed once: %s", r)
	}
	r = NB(t, "lsns", "-P")
	if !regexp.MustCompile(fmt.Sprintf(`(?m)^%d net +0 +root $`, ino)).MatchString(r.Stdout) || r.Code != 0 {
		t.Errorf("-P: %s", r)
	}
	r = NB(t, "lsns", "-P", "-Q", "NS == "+u(ino), "-o", "NS,TYPE,NPROCS,PID,USER,NETNSID,NSFS")
	Want(t, r, lines("        NS TYPE NPROCS PID USER NETNSID NSFS",
		fmt.Sprintf("%d net       0     root     117 /run/netns/%s", ino, name)), "", 0)
	// upstream netnsid-for-persistent-namespaces
	for col, want := range map[string]string{"NETNSID": "117", "TYPE": "net", "NSFS": "/run/netns/" + name} {
		r = NB(t, "lsns", "--raw", "--noheadings", "--filter", "NETNSID == '117'", "--output", col)
		Want(t, r, want+"\n", "", 0)
	}
	// NETNSID is a string: comparing it with a number fails on the rows
	// whose id is "unassigned".
	r = NB(t, "lsns", "-Q", "NETNSID == 117", "-o", "NS")
	Want(t, r, "", "lsns: failed to apply filter: Invalid argument\n", 1)

	s := startSleep(t, false, "sleep 300", "ip", "netns", "exec", name, "sleep", "300")
	r = lsnsSame(t, "-p", strconv.Itoa(s), "-t", "net", "-o", "NS,TYPE,NPROCS,NETNSID,NSFS")
	Want(t, r, lines("        NS TYPE NPROCS NETNSID NSFS",
		fmt.Sprintf("%d net       1     117 /run/netns/%s", ino, name)), "", 0)
	lsnsSame(t, "-J", "-p", strconv.Itoa(s), "-t", "net", "--output-all")
	// upstream netnsid: the id from --task equals ip's view.
	r = NB(t, "lsns", "-n", "-o", "NETNSID", "--type", "net", "--task", strconv.Itoa(s))
	Want(t, r, "117\n", "", 0)
}

// TestLsnsNSFS (upstream nsfs test): a namespace mounted at two paths
// shows both, on two lines or joined by commas with -W; JSON keeps only
// the first without -W.
func TestLsnsNSFS(t *testing.T) {
	name := lsnsPrefix() + "F"
	ino := netnsAdd(t, name)
	target := filepath.Join(TempDir(t), "XYZ")
	if err := os.WriteFile(target, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if r := Sys(t, "mount", "--bind", "/run/netns/"+name, target); r.Code != 0 {
		t.Fatalf("bind: %s", r)
	}
	t.Cleanup(func() { exec.Command("umount", target).Run() })
	q := "NS == " + u(ino)
	nsfs := fmt.Sprintf("/run/netns/%s", name)
	w := max(len(nsfs), len(target))
	r := NB(t, "lsns", "-Q", q, "-o", "NS,NETNSID,NSFS,NPROCS")
	Want(t, r, lines("        NS    NETNSID "+fmt.Sprintf("%-*s", w, "NSFS")+" NPROCS",
		fmt.Sprintf("%d unassigned %-*s      0", ino, w, nsfs),
		fmt.Sprintf("%21s %-*s ", "", w, target)), "", 0)
	r = NB(t, "lsns", "-W", "-n", "-Q", q, "-o", "NSFS")
	Want(t, r, nsfs+","+target+"\n", "", 0)
	r = NB(t, "lsns", "-r", "-n", "-Q", q, "-o", "NSFS")
	Want(t, r, nsfs+","+target+"\n", "", 0)
	r = NB(t, "lsns", "-J", "-Q", q, "-o", "NSFS")
	Want(t, r, "{\n   \"namespaces\": [\n      {\n         \"nsfs\": \""+nsfs+"\"\n      }\n   ]\n}\n", "", 0)
	r = NB(t, "lsns", "-J", "-W", "-Q", q, "-o", "NSFS")
	Want(t, r, "{\n   \"namespaces\": [\n      {\n         \"nsfs\": \""+nsfs+","+target+"\"\n      }\n   ]\n}\n", "", 0)
}

// TestLsnsBindMountedUts: a uts namespace kept only by a bind mount made
// by the system unshare.
func TestLsnsBindMountedUts(t *testing.T) {
	file := filepath.Join(TempDir(t), "uts")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if r := Sys(t, "/usr/bin/unshare", "--uts="+file, "true"); r.Code != 0 {
		t.Fatalf("unshare --uts=FILE: %s", r)
	}
	t.Cleanup(func() { exec.Command("umount", file).Run() })
	ino := inodeOf(t, file)
	q := "NS == " + u(ino)
	r := NB(t, "lsns", "-P", "-t", "uts", "-r", "-Q", q, "-o", "NS,TYPE,NPROCS,PID,PPID,USER,UID,PATH,COMMAND,NSFS")
	Want(t, r, lines("NS TYPE NPROCS PID PPID USER UID PATH COMMAND NSFS",
		u(ino)+" uts 0   root 0   "+strings.ReplaceAll(file, " ", "\\x20")), "", 0)
	r = NB(t, "lsns", "-J", "-t", "uts", "-Q", q)
	Want(t, r, fmt.Sprintf(`{
   "namespaces": [
      {
         "ns": %d,
         "type": "uts",
         "nprocs": 0,
         "pid": null,
         "user": "root",
         "command": null
      }
   ]
}
`, ino), "", 0)
	// Not a net namespace, so not listed with -t net; a namespace
	// argument finds it and prints nothing (it has no process).
	r = NB(t, "lsns", "-t", "net", "-Q", q)
	Want(t, r, "", "", 0)
	r = NB(t, "lsns", u(ino))
	Want(t, r, "", "", 0)
	r = NB(t, "lsns", "-J", u(ino))
	Want(t, r, "{\n   \"namespaces\": [\n\n   ]\n}\n", "", 0)
	r = NB(t, "lsns", "-t", "net", u(ino))
	Want(t, r, "", "lsns: not found namespace: "+u(ino)+"\n", 1)
}

// TestLsnsFdHeld (BR-32, upstream filedesc): a namespace kept alive only
// by an open file descriptor.
func TestLsnsFdHeld(t *testing.T) {
	name := lsnsPrefix() + "K"
	ino := netnsAdd(t, name)
	h := startSleep(t, false, "sleep 300", "sh", "-c", "exec sleep 300 4</run/netns/"+name)
	if r := Sys(t, "ip", "netns", "del", name); r.Code != 0 {
		t.Fatalf("ip netns del: %s", r)
	}
	r := NB(t, "lsns", "-t", "net", "-o", "NS")
	if strings.Count(r.Stdout, "\n"+u(ino)+"\n") != 1 {
		t.Errorf("fd-held namespace not listed: %s", r)
	}
	r = NB(t, "lsns", "--noheadings", "--raw", "--output", "TYPE,NPROCS,USER", "-Q", "NS == "+u(ino))
	Want(t, r, "net 0 root\n", "", 0)
	// The holder itself stays in the initial network namespace.
	r = lsnsSame(t, "-p", strconv.Itoa(h), "-t", "net", "-o", "NS", "-n")
	Want(t, r, u(nsInode(t, os.Getpid(), "net"))+"\n", "", 0)
}

// TestLsnsSocketHeld (upstream netns-from-sock): a network namespace
// reachable only through a socket.
func TestLsnsSocketHeld(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(TempDir(t), "ino")
	Background(t, Cmd{Argv: []string{exe}, Env: append(os.Environ(), "NBT_LSNS_SOCKET_HELPER="+out)})
	var ino uint64
	WaitFor(t, "socket helper", func() bool {
		b, err := os.ReadFile(out)
		if err != nil {
			return false
		}
		_, n, ok := strings.Cut(strings.TrimSuffix(string(b), "]"), "[")
		ino, _ = strconv.ParseUint(n, 10, 64)
		return ok && ino != 0
	})
	for col, want := range map[string]string{"COMMAND": "", "NPROCS": "0", "NS": u(ino), "PID": "", "TYPE": "net", "USER": "root"} {
		r := NB(t, "lsns", "--noheadings", "--raw", "--output", col, "--filter", "NS == "+u(ino))
		Want(t, r, want+"\n", "", 0)
	}
}

// TestLsnsDeletedName (BR-47): deleting the name of a network namespace
// keeps the namespace of the processes in it, without a mount point.
func TestLsnsDeletedName(t *testing.T) {
	name := lsnsPrefix() + "L"
	netnsAdd(t, name)
	s := startSleep(t, false, "sleep 300", "ip", "netns", "exec", name, "sleep", "300")
	if r := Sys(t, "ip", "netns", "del", name); r.Code != 0 {
		t.Fatalf("ip netns del: %s", r)
	}
	// 2.42 counts -n headers as one cell wide: "1" needs no hint padding.
	r := NB(t, "lsns", "-p", strconv.Itoa(s), "-t", "net", "-o", "NPROCS,NSFS", "-n")
	Want(t, r, "1 \n", "", 0)
}

// TestLsnsTreeOptions (BR-35): -T takes an attached argument only.
func TestLsnsTreeOptions(t *testing.T) {
	name := lsnsPrefix() + "T"
	ino := netnsAdd(t, name)
	r := NB(t, "lsns", "-T", "-t", "net", "-o", "NS,TYPE,NPROCS")
	// 2.42 does not read owners of types -t leaves out (2.38.1 shows the
	// user namespace as an NPROCS-0 root here).
	if r.Code != 0 || strings.Contains(r.Stdout, "user") ||
		!regexp.MustCompile(fmt.Sprintf(`(?m)^%d +net +0$`, ino)).MatchString(r.Stdout) {
		t.Errorf("-T -t net: %s", r)
	}
	r = lsnsSame(t, "-T", "parent")
	Want(t, r, "", "lsns: invalid namespace argument: 'parent'\n", 1)
	r = lsnsSame(t, "--tree=bogus")
	Want(t, r, "", "lsns: unknown tree type: bogus\n", 1)
	lsnsSame(t, "-Tfoo")
	uts := startSleep(t, false, "sleep 300", "/usr/bin/unshare", "-u", "sleep", "300")
	r = NB(t, "lsns", "--tree=owner", "-t", "uts", "-p", strconv.Itoa(uts), "-o", "NS,TYPE", "-n")
	Want(t, r, fmt.Sprintf("%d uts\n", nsInode(t, uts, "uts")), "", 0)
	for _, tree := range []string{"-Tprocess", "--tree=process", "-T=owner", "--tree=owner", "--tree"} {
		Want(t, NB(t, "lsns", tree, "-n", "-r", "-o", "TYPE", "-p", strconv.Itoa(uts), "-t", "uts"), "uts\n", "", 0)
	}
}

// TestLsnsFilter: -Q selects rows, and its errors.
func TestLsnsFilter(t *testing.T) {
	pid := startSleep(t, false, "sleep 300", "/usr/bin/unshare", "-U", "sleep", "300")
	user := u(nsInode(t, pid, "user"))
	p := strconv.Itoa(pid)
	// upstream filter test
	for _, opt := range []string{"-Q", "--filter"} {
		r := NB(t, "lsns", "-n", "--raw", "-o", "PID", opt, "NS == "+user+" && NPROCS == 1")
		Want(t, r, p+"\n", "", 0)
	}
	for q, want := range map[string]string{
		`TYPE == "user" and PID == ` + p:                          "user\n",
		`NS eq ` + user + ` && COMMAND =~ "^sleep 3"`:             "user\n",
		`NS == ` + user + ` && COMMAND !~ "sleep"`:                "",
		`ns == ` + user + ` && (type == 'mnt' || type == 'user')`: "user\n",
		`PID == ` + p + ` && !(TYPE != "user")`:                   "user\n",
		`PID == ` + p + ` && NPROCS >= 1K`:                        "",
	} {
		r := NB(t, "lsns", "-n", "-r", "-o", "TYPE", "-Q", q)
		Want(t, r, want, "", 0)
	}
	// The empty expression accepts everything, even with a namespace.
	Want(t, NB(t, "lsns", "-Q", "", "-n", "-o", "PID", user), fmt.Sprintf("%5d\n", pid), "", 0)

	bad := map[string]string{
		"NS ==":                      "syntax error, unexpected end of file",
		"NS == 1 2":                  "syntax error, unexpected NUMBER, expecting end of file",
		"(NS == 1":                   "syntax error, unexpected end of file",
		"== 1":                       "syntax error, unexpected EQ",
		"NS == 1)":                   "syntax error, unexpected ')', expecting end of file",
		"TYPE 'net":                  "syntax error, unexpected invalid token, expecting end of file",
		"COMMAND =~ \"(\"":           "Unmatched ( or \\(",
		"NS > 99999999999999999999K": "\"99999999999999999999K\" token error: Numerical result out of range",
	}
	for q, msg := range bad {
		Want(t, NB(t, "lsns", "-Q", q), "", fmt.Sprintf("lsns: failed to parse \"%s\": %s\n", q, msg), 1)
	}
	// A character the scanner knows no rule for goes to stdout.
	Want(t, NB(t, "lsns", "-Q", "NS = 1"), "=", "lsns: failed to parse \"NS = 1\": syntax error, unexpected NUMBER, expecting end of file\n", 1)
	// Parse errors come while reading the options, before later ones.
	Want(t, NB(t, "lsns", "-Q", "(", "--bogus"), "", "lsns: failed to parse \"(\": syntax error, unexpected end of file\n", 1)
	Want(t, NB(t, "lsns", "-Q", "FOO == 1 || BAR"), "",
		"lsns: unknown column: FOO\nlsns: unknown column: BAR\nlsns: failed to initialize filter\n", 1)
	// Each lower-case name adds one more hidden column: the limit shows.
	many := "ns == 1" + strings.Repeat(" || ns == 1", 20)
	Want(t, NB(t, "lsns", "-Q", many), "", "lsns: too many columns specified, the limit is 25 columns\n", 1)
	Want(t, NB(t, "lsns", "-Q", "TYPE == 5"), "", "lsns: failed to apply filter: Invalid argument\n", 1)
	// With a namespace argument the filter's columns are never bound, so
	// any column name fails (2.42 prints whatever errno was left over;
	// nsbox prints EINVAL's text).
	Want(t, NB(t, "lsns", "-Q", "PID > 0", user), "", "lsns: failed to apply filter: Invalid argument\n", 1)
	Want(t, NB(t, "lsns", "-Q", "FOO", user), "", "lsns: failed to apply filter: Invalid argument\n", 1)
	Want(t, NB(t, "lsns", "-Q", "PID > 0", "1"), "", "lsns: not found namespace: 1\n", 1)
}

// TestLsnsListColumns: -H in the three formats.
func TestLsnsListColumns(t *testing.T) {
	cols := [][3]string{
		{"NS", "<integer>", "namespace identifier (inode number)"},
		{"TYPE", "<string>", "kind of namespace"},
		{"PATH", "<string>", "path to the namespace"},
		{"NPROCS", "<integer>", "number of processes in the namespace"},
		{"PID", "<integer>", "lowest PID in the namespace"},
		{"PPID", "<integer>", "PPID of the PID"},
		{"COMMAND", "<string>", "command line of the PID"},
		{"UID", "<integer>", "UID of the PID"},
		{"USER", "<string>", "username of the PID"},
		{"NETNSID", "<string>", "namespace ID as used by network subsystem"},
		{"NSFS", "<string>", "nsfs mountpoint (usually used network subsystem)"},
		{"PNS", "<integer>", "parent namespace identifier (inode number)"},
		{"ONS", "<integer>", "owner namespace identifier (inode number)"},
	}
	var human, raw, json strings.Builder
	json.WriteString("{\n   \"lsns-columns\": [\n")
	for i, c := range cols {
		fmt.Fprintf(&human, "%7s %-9s %s\n", c[0], c[1], c[2])
		fmt.Fprintf(&raw, "%s %s %s\n", c[0], c[1], strings.ReplaceAll(c[2], " ", "\\x20"))
		if i > 0 {
			json.WriteString(",")
		} else {
			json.WriteString("      ")
		}
		fmt.Fprintf(&json, "{\n         \"holder\": \"%s\",\n         \"type\": \"%s\",\n         \"description\": \"%s\"\n      }", c[0], c[1], c[2])
	}
	json.WriteString("\n   ]\n}\n")
	Want(t, NB(t, "lsns", "-H"), human.String(), "", 0)
	Want(t, NB(t, "lsns", "--list-columns", "-r"), raw.String(), "", 0)
	Want(t, NB(t, "lsns", "-H", "-J"), json.String(), "", 0)
	Want(t, NB(t, "lsns", "-J", "-H"), json.String(), "", 0)
	// -H acts after all options; -h still wins as soon as it is seen.
	if r := NB(t, "lsns", "-H", "-h"); r.Code != 0 || !strings.Contains(r.Stdout, "--list-columns") {
		t.Errorf("-H -h: %s", r)
	}
	Want(t, NB(t, "lsns", "-H", "-t", "foo"), "", "lsns: unknown namespace type: foo\n", 1)
}

// TestLsnsHelpVersion: -h lists every option on stdout; -V names the
// util-linux release followed; whichever comes first wins.
func TestLsnsHelpVersion(t *testing.T) {
	r := NB(t, "lsns", "-h")
	if r.Code != 0 || r.Stderr != "" {
		t.Fatalf("-h: %s", r)
	}
	for _, opt := range []string{"-J, --json", "-l, --list", "-n, --noheadings", "-o, --output <list>",
		"--output-all", "-P, --persistent", "-p, --task <pid>", "-Q, --filter <expr>", "-r, --raw",
		"-u, --notruncate", "-W, --nowrap", "-t, --type <name>", "-T, --tree[=<rel>]",
		"-H, --list-columns", "-h, --help", "-V, --version", " lsns [options] [<namespace>]"} {
		if !strings.Contains(r.Stdout, opt) {
			t.Errorf("help lacks %q", opt)
		}
	}
	Want(t, NB(t, "lsns", "-V"), "lsns from util-linux 2.42.2 (nsbox 0.1.0)\n", "", 0)
	Want(t, NB(t, "lsns", "--version", "-h"), "lsns from util-linux 2.42.2 (nsbox 0.1.0)\n", "", 0)
	Want(t, NB(t, "lsns", "--help", "-V"), r.Stdout, "", 0)
	Want(t, NB(t, "lsns", "--he"), r.Stdout, "", 0)
}

// TestLsnsBadInput: diagnostics and exit codes.
func TestLsnsBadInput(t *testing.T) {
	try := "Try 'lsns --help' for more information.\n"
	ap := Applet("lsns")
	// Same in 2.38.1 and 2.42.
	for _, args := range [][]string{
		{"-o", "NS,FOO,TYPE"}, {"-o", "NS,"}, {"-o", ""}, {"-o", "NS,,TYPE"}, {"-o", "+"},
		{"-p", "abc"}, {"-p", "99999999999"}, {"-p", ""},
		{"abc"}, {"--", "-1"}, {"99999999999999999999"}, {"1"}, {"-t", "foo"}, {"-t", "NET"},
		{"--bogus"}, {"-x"}, {"-o"}, {"--type"}, {"--no"}, {"--json=1"},
		{"-p", "1", "4026531837"},
	} {
		got, ref := lsnsBoth(t, nil, false, args...)
		Same(t, got, ref)
		if got.Code != 1 {
			t.Errorf("%q: exit %d", args, got.Code)
		}
	}
	Want(t, NB(t, "lsns", "-o", "NS,FOO,TYPE"), "", "lsns: unknown column: FOO,TYPE\n", 1)
	Want(t, NB(t, "lsns", "-o", "NS,,TYPE"), "", "", 1)
	Want(t, NB(t, "lsns", "-o", strings.TrimSuffix(strings.Repeat("NS,", 27), ",")), "", "", 1)
	// 2.42 only.
	Want(t, NB(t, "lsns", "-p", "0"), "", "lsns: invalid PID argument: '0': Numerical result out of range\n", 1)
	Want(t, NB(t, "lsns", "-p", "-5"), "", "lsns: invalid PID argument: '-5': Numerical result out of range\n", 1)
	Want(t, NB(t, "lsns", "-J", "-r"), "", "lsns: options --json and --raw cannot be combined\n", 1)
	Want(t, NB(t, "lsns", "-r", "--json"), "", "lsns: options --raw and --json cannot be combined\n", 1)
	Want(t, NB(t, "lsns", "-P", "-p", "1"), "", "lsns: options --persistent and --task cannot be combined\n", 1)
	Want(t, NB(t, "lsns", "-p", "1", "4026531837"), "", "lsns: --task is mutually exclusive with <namespace>\n", 1)
	Want(t, NB(t, "lsns", "--l"), "", ap+": option '--l' is ambiguous; possibilities: '--list' '--list-columns'\n"+try, 1)
	Want(t, NB(t, "lsns", "--t", "x"), "", ap+": option '--t' is ambiguous; possibilities: '--task' '--type' '--tree'\n"+try, 1)
	Want(t, NB(t, "lsns", "-Z"), "", ap+": invalid option -- 'Z'\n"+try, 1)
	Want(t, NB(t, "lsns", "--tree="), "", "lsns: unknown tree type: \n", 1)
}

// TestLsnsTerminal: on a terminal COMMAND is cut to the width (window
// size, or $COLUMNS when the terminal reports none), except with -u.
func TestLsnsTerminal(t *testing.T) {
	pid := startSleep(t, false, "sleep 300 0 0 0 0 0 0 0 0 0 0 0 0 0 0",
		"/usr/bin/unshare", "-n", "sleep", "300", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0")
	args := fmt.Sprintf("-p %d -t net -o NS,COMMAND", pid)
	tty := func(bin, setup string) Result {
		r := Run(t, Cmd{Argv: []string{"script", "-qec", setup + "; exec " + bin + " " + args, "/dev/null"}})
		r.Stdout = strings.ReplaceAll(r.Stdout, "\r", "")
		return r
	}
	ino := nsInode(t, pid, "net")
	for setup, want := range map[string]string{
		"stty cols 30":                   "sleep 300 0 0 0 0 0",
		"stty cols 0; export COLUMNS=25": "sleep 300 0 0 ",
		"stty cols 0; unset COLUMNS":     "sleep 300 0 0 0 0 0 0 0 0 0 0 0 0 0 0",
	} {
		got, ref := tty(Applet("lsns"), setup), tty(sysLsns, setup)
		Same(t, got, ref)
		Want(t, got, lines("        NS COMMAND", fmt.Sprintf("%d %s", ino, want)), "", 0)
	}
	got := tty(Applet("lsns")+" -u", "stty cols 30")
	Want(t, got, lines("        NS COMMAND", fmt.Sprintf("%d sleep 300 0 0 0 0 0 0 0 0 0 0 0 0 0 0", ino)), "", 0)
}

// TestLsnsMountinfo: without /proc/self/mountinfo lsns fails with
// libmount's exit code 32.
func TestLsnsMountinfo(t *testing.T) {
	r := Run(t, Cmd{Argv: []string{"/usr/bin/unshare", "-m", "sh", "-c",
		"mount --make-rprivate / && mount -t tmpfs nbt /proc && exec " + Applet("lsns")}})
	Want(t, r, "", "lsns: failed to parse /proc/self/mountinfo: No such file or directory\n", 32)
}

// TestLsnsNobody: an unprivileged user sees its own processes' namespaces
// (others' are unreadable and left out) and the persistent ones.
func TestLsnsNobody(t *testing.T) {
	pid := startSleep(t, true, "sleep 300", "/usr/bin/unshare", "-U", "-n", "sleep", "300")
	p := strconv.Itoa(pid)
	for _, args := range [][]string{
		{"-r", "-p", p, "-t", "net", "--output-all"},
		{"-J", "-p", p, "-t", "user", "-o", "NS,TYPE,NPROCS,PID,PPID,USER,UID,COMMAND,PNS,ONS"},
		{"-r", u(nsInode(t, pid, "net"))},
		{"-r", "-p", "2", "-o", "NS"},
	} {
		got, ref := lsnsBoth(t, nil, true, args...)
		Same(t, got, ref)
	}
	r := Run(t, Cmd{Nobody: true, Argv: []string{Applet("lsns"), "-n", "-r", "-p", p, "-t", "net", "-o", "NPROCS,USER,COMMAND"}})
	Want(t, r, "1 nobody sleep\\x20300\n", "", 0)
	name := lsnsPrefix() + "N"
	ino := netnsAdd(t, name)
	r = Run(t, Cmd{Nobody: true, Argv: []string{Applet("lsns"), "-P", "-n", "-r", "-Q", "NS == " + u(ino), "-o", "NS,TYPE,NPROCS,USER,NSFS"}})
	Want(t, r, fmt.Sprintf("%d net 0 root /run/netns/%s\n", ino, name), "", 0)
	// Process 2 (kthreadd) is root's: its namespaces are not readable.
	r = Run(t, Cmd{Nobody: true, Argv: []string{Applet("lsns"), "-p", "2"}})
	Want(t, r, "", "", 0)
}

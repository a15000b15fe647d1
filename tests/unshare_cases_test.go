package tests

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// Field cases from ../shared/cases/field-cases.md that concern unshare.
// Cases tested elsewhere: BR-06 TestUnshareParentKeepsWaiting, BR-09 and
// BR-20 TestUnshareRootAndWd, BR-10 TestUnshareMountProc, BR-17
// TestUnshareSubidLookup, BR-19 TestUnshareKeepCaps, BR-21
// TestUnshareLoginShell.

// BR-02: an unprivileged pid namespace needs a user namespace.
func TestUnshareCaseBR02(t *testing.T) {
	msg := "unshare: unshare failed: Operation not permitted\n"
	Want(t, ushareAs(t, "-p", "true"), "", msg, 1)
	Want(t, ushareAs(t, "--pid", "--fork", "true"), "", msg, 1)
	Want(t, ushareAs(t, "-r", "-p", "-f", "--mount-proc", "sh", "-c", "id -u; echo $$"), "0\n1\n", "", 0)
	nb, ref := both(t, Cmd{Argv: []string{"-p", "true"}, Nobody: true})
	Same(t, nb, ref)
}

// BR-05: a child killed by SIGKILL kills unshare the same way (2.40+;
// 2.38.1 printed "sigprocmask unblock failed" and exited 1); SIGTERM to a
// pid namespace's init without a handler does nothing.
func TestUnshareCaseBR05(t *testing.T) {
	Want(t, ushare(t, "--fork", "sh", "-c", "kill -9 $$"), "", "", 137)
	Want(t, ushare(t, "--fork", "--kill-child", "sh", "-c", "kill -9 $$"), "", "", 137)
	u := Background(t, Cmd{Argv: []string{Applet("unshare"), "-pf", "--mount-proc", "sleep", "30"}})
	var child int
	WaitFor(t, "the namespace's init", func() bool {
		kids := Children(u.Process.Pid)
		if len(kids) == 1 {
			comm, _ := os.ReadFile("/proc/" + itoa(kids[0]) + "/comm")
			child = kids[0]
			return string(comm) == "sleep\n" && ProcState(child) == "S"
		}
		return false
	})
	// The kernel drops the signal at once for an init with no handler.
	syscall.Kill(child, syscall.SIGTERM)
	if s := ProcState(child); s != "S" {
		t.Errorf("init after SIGTERM: state %q, want S", s)
	}
	syscall.Kill(child, syscall.SIGKILL)
	if rc := WaitExit(t, u); rc != 137 {
		t.Errorf("unshare exited %d, want 137", rc)
	}
}

// BR-11: a proc with masked entries keeps a user namespace from mounting
// a new proc; without the user namespace it works.
func TestUnshareCaseBR11(t *testing.T) {
	script := `mount --bind /dev/null /proc/timer_list; "$0" -r -p -f --mount-proc true; echo rc=$?; "$0" -p -f --mount-proc true; echo rc=$?`
	r := Run(t, Cmd{Argv: []string{sysUnshare, "-m", "--propagation", "private", "sh", "-c", script, Applet("unshare")}})
	Want(t, r, "rc=1\nrc=0\n", "unshare: mount /proc failed: Operation not permitted\n", 0)
	Want(t, ushare(t, "-r", "-p", "-f", "--mount-proc", "true"), "", "", 0)
}

// BR-13 (unshare's part): a net namespace bound on a file is a normal
// network namespace for nsenter and for ip.
func TestUnshareCaseBR13(t *testing.T) {
	d := PrivateDir(t)
	f := filepath.Join(d, "nbtpersist")
	os.WriteFile(f, nil, 0o644)
	Want(t, ushare(t, "--net="+f, "true"), "", "", 0)
	Want(t, Sys(t, "nsenter", "--net="+f, "ip", "-br", "link"), "lo               DOWN           00:00:00:00:00:00 <LOOPBACK> \n", "", 0)
	Want(t, Sys(t, "nsenter", "--net="+f, "ip", "-o", "link"),
		"1: lo: <LOOPBACK> mtu 65536 qdisc noop state DOWN mode DEFAULT group default qlen 1000\\    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\n", "", 0)
	Want(t, Sys(t, "umount", f), "", "", 0)
	// The manual way from the case, run inside the new namespace.
	g := filepath.Join(d, "nbtmanual")
	os.WriteFile(g, nil, 0o644)
	Want(t, ushare(t, "-n", "sh", "-c", "mount --bind /proc/self/ns/net "+g), "", "", 0)
	Want(t, Sys(t, "nsenter", "--net="+g, "ip", "-br", "link"), "lo               DOWN           00:00:00:00:00:00 <LOOPBACK> \n", "", 0)
	Sys(t, "umount", g)
}

// BR-14: a user namespace without maps makes the caller nobody;
// --map-user/--map-group take names as well as numbers.
func TestUnshareCaseBR14(t *testing.T) {
	Want(t, ushare(t, "-U", "id"), "uid=65534(nobody) gid=65534(nogroup) groups=65534(nogroup)\n", "", 0)
	Want(t, ushare(t, "-U", "sh", "-c", "wc -c < /proc/self/uid_map"), "0\n", "", 0)
	Want(t, ushare(t, "--map-user=root", "--map-group=root", "id"), "uid=0(root) gid=0(root) groups=0(root)\n", "", 0)
	Want(t, ushare(t, "--map-user=nobody", "--map-group=nogroup", "sh", "-c", "sed -e 's/^ *//' -e 's/  */ /g' /proc/self/uid_map"), "65534 0 1\n", "", 0)
	sameAsSystem(t, "-U", "id")
	sameAsSystem(t, "--map-user=root", "--map-group=root", "id")
	// 2.42's wording (2.38.1: "failed to parse uid: 'nosuchuser'").
	Want(t, ushare(t, "--map-user=nosuchuser", "true"), "", "unshare: failed to parse uid 'nosuchuser'\n", 1)
	Want(t, ushare(t, "--map-group=12x", "true"), "", "unshare: failed to parse gid '12x'\n", 1)
}

// BR-15: a new network namespace has only lo, and it is down.
func TestUnshareCaseBR15(t *testing.T) {
	sameAsSystem(t, "-n", "ip", "-br", "link")
	r := sameAsSystem(t, "-n", "bash", "-c", "echo > /dev/tcp/127.0.0.1/9")
	if r.Code != 1 || !strings.Contains(r.Stderr, "Network is unreachable") {
		t.Errorf("lo down: %s", r)
	}
	r = sameAsSystem(t, "-n", "bash", "-c", "ip link set lo up; echo > /dev/tcp/127.0.0.1/9")
	if r.Code != 1 || !strings.Contains(r.Stderr, "Connection refused") {
		t.Errorf("lo up: %s", r)
	}
}

// BR-16: --map-users as util-linux 2.42 reads it (2.38.1 took only the
// comma form, ran newuidmap even as root, and worded errors differently).
func TestUnshareCaseBR16(t *testing.T) {
	Want(t, ushare(t, "--map-users=100000,0,65536", "true"), "", "", 0)
	Want(t, ushare(t, "--map-users=0:100000:65536", "true"), "", "", 0)
	Want(t, ushare(t, "--map-users=1,2", "true"), "", "unshare: invalid mapping '1,2'\n", 1)
	Want(t, ushare(t, "--map-users=1,2,3,4", "true"), "", "unshare: invalid mapping '1,2,3,4'\n", 1)
}

// BR-22: exec failures use the shell convention.
func TestUnshareCaseBR22(t *testing.T) {
	sameAsSystem(t, "-n", "nosuchcmd-xyz")
	sameAsSystem(t, "-n", "/etc/passwd")
	Want(t, ushare(t, "-n", "nosuchcmd-xyz"), "", "unshare: failed to execute nosuchcmd-xyz: No such file or directory\n", 127)
	Want(t, ushare(t, "-n", "/etc/passwd"), "", "unshare: failed to execute /etc/passwd: Permission denied\n", 126)
}

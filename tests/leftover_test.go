package tests

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// snapshot is what a failed command could leave behind: mounts (an nsfs
// bind keeps a namespace alive), nsbox processes (a helper or child that
// did not exit), and fds of ours.
type snapshot struct {
	mounts string
	procs  []string
	fds    int
}

func takeSnapshot() snapshot {
	mi, _ := os.ReadFile("/proc/self/mountinfo")
	fds, _ := os.ReadDir("/proc/self/fd")
	return snapshot{mounts: string(mi), procs: nsboxProcs(), fds: len(fds)}
}

// nsboxProcs lists the processes running one of the test binaries.
func nsboxProcs() []string {
	var out []string
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		exe, err := os.Readlink(filepath.Join("/proc", e.Name(), "exe"))
		if err == nil && strings.HasPrefix(exe, bin+"/") {
			out = append(out, e.Name()+":"+exe)
		}
	}
	return out
}

// TestNothingLeftBehind runs each failing command many times and checks
// that the system looks the same afterwards.
func TestNothingLeftBehind(t *testing.T) {
	d := PrivateDir(t)
	shared := SharedDir(t, d, "shared")
	os.WriteFile(filepath.Join(shared, "mnt"), nil, 0o644)
	world := filepath.Join(d, "net")
	os.WriteFile(world, nil, 0o666)
	holder := target(t, false, "true", "-u", "-n", "-p", "-f", "-m")
	H := fmt.Sprint(holder)
	self := fmt.Sprint(os.Getpid())

	before := takeSnapshot()
	failing := []Cmd{
		{Argv: []string{Applet("unshare"), "--uts=" + filepath.Join(d, "missing"), "true"}},
		{Argv: []string{Applet("unshare"), "-r", "--net=" + filepath.Join(d, "missing"), "--uts=" + filepath.Join(d, "missing2"), "true"}},
		{Argv: []string{Applet("unshare"), "-f", "--pid=" + filepath.Join(d, "missing"), "true"}},
		{Argv: []string{Applet("unshare"), "--mount=" + filepath.Join(shared, "mnt"), "true"}},
		{Argv: []string{Applet("unshare"), "-pf", "--mount-proc=/nonexistent", "true"}},
		{Argv: []string{Applet("unshare"), "-r", "-S", "1", "true"}},
		{Argv: []string{Applet("unshare"), "--map-users=0:0:10", "--map-groups=0:0:10", "--setgroups=deny", "true"}},
		{Argv: []string{Applet("unshare"), "-R", "/nonexistent", "true"}},
		{Argv: []string{Applet("unshare"), "-rf", "--kill-child", "nosuchcmd-nsbox"}},
		{Argv: []string{Applet("unshare"), "-n", "nosuchcmd-nsbox"}},
		{Argv: []string{Applet("unshare"), "-r", "--net=" + world, "true"}, Nobody: true},
		{Argv: []string{Applet("unshare"), "-p", "true"}, Nobody: true},
		{Argv: []string{Applet("nsenter"), "-t", "999999", "-n", "true"}},
		{Argv: []string{Applet("nsenter"), "--net=/etc/passwd", "true"}},
		{Argv: []string{Applet("nsenter"), "-t", self, "-U", "true"}},
		{Argv: []string{Applet("nsenter"), "-t", H, "-a", "nosuchcmd-nsbox"}},
		{Argv: []string{Applet("nsenter"), "-t", H, "-p", "-m", "nosuchcmd-nsbox"}},
		{Argv: []string{Applet("nsenter"), "-t", H, "-n", "-W/nonexistent", "true"}},
		{Argv: []string{Applet("nsenter"), "-t", H, "-u", "true"}, Nobody: true},
	}
	for _, c := range failing {
		for i := 0; i < 10; i++ {
			if r := Run(t, c); r.Code == 0 {
				t.Fatalf("%q succeeded: %s", c.Argv, r)
			}
		}
	}
	WaitFor(t, "nsbox processes to end", func() bool { return len(nsboxProcs()) == 0 })
	after := takeSnapshot()
	if after.mounts != before.mounts {
		t.Errorf("mounts changed:\nbefore:\n%s\nafter:\n%s", before.mounts, after.mounts)
	}
	if after.fds != before.fds {
		t.Errorf("the test process has %d fds, had %d", after.fds, before.fds)
	}
}

// TestNonDumpableWhileInside: nsenter marks itself non-dumpable before it
// enters anything, so processes inside cannot read or ptrace it; the
// waiting parent stays so (its /proc files belong to root).
func TestNonDumpableWhileInside(t *testing.T) {
	c := Cmd{Argv: []string{sysUnshare, "-r", "-p", "-f", "--mount-proc", "sh", "-c", "echo ready; exec sleep 1000"}, Nobody: true}
	u := StartReady(t, c)
	p := Children(u.Process.Pid)[0]
	// The namespace's init: killing it ends everything in the namespace,
	// nsenter's program too.
	t.Cleanup(func() { syscall.Kill(p, syscall.SIGKILL) })
	n := StartReady(t, Cmd{Argv: []string{Applet("nsenter"), "-t", fmt.Sprint(p), "-U", "--preserve-credentials", "-p", "sh", "-c", "echo ready; exec sleep 1000"}, Nobody: true})
	var st, stChild os.FileInfo
	st, _ = os.Stat(fmt.Sprintf("/proc/%d/status", n.Process.Pid))
	kids := Children(n.Process.Pid)
	if len(kids) != 1 {
		t.Fatalf("nsenter's children: %v", kids)
	}
	stChild, _ = os.Stat(fmt.Sprintf("/proc/%d/status", kids[0]))
	owner := func(fi os.FileInfo) uint32 { return fi.Sys().(*syscall.Stat_t).Uid }
	if owner(st) != 0 {
		t.Errorf("the waiting nsenter is dumpable (its /proc is owned by %d)", owner(st))
	}
	if owner(stChild) != 65534 {
		t.Errorf("the program is not dumpable again after exec (owner %d)", owner(stChild))
	}
}

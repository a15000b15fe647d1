package tests

import (
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestWithoutProc: in an initramfs /proc may not be mounted yet; what
// needs no /proc still works, and the rest fails as util-linux fails.
func TestWithoutProc(t *testing.T) {
	d := PrivateDir(t)
	f := filepath.Join(d, "net")
	os.WriteFile(f, nil, 0o644)
	Want(t, ushare(t, "--net="+f, "true"), "", "", 0)
	script := `umount -l /proc || exit 9
for c in "$@"; do $c; echo "rc=$?"; done`
	cmds := []string{
		Applet("unshare") + " -n true",
		Applet("unshare") + " -f -p -u true",
		Applet("nsenter") + " --net=" + f + " ip -br link",
		Applet("unshare") + " -r true",
		sysUnshare + " -r true",
	}
	r := Run(t, Cmd{Argv: append([]string{sysUnshare, "-m", "--propagation", "private", "sh", "-c", script, "sh"}, cmds...)})
	Want(t, r, "rc=0\nrc=0\nlo               DOWN           00:00:00:00:00:00 <LOOPBACK> \nrc=0\nrc=1\nrc=1\n",
		"unshare: cannot open /proc/self/uid_map: No such file or directory\nunshare: cannot open /proc/self/uid_map: No such file or directory\n", 0)
}

// TestTargetGone: a target that exits after nsenter has its pidfd (here,
// a zombie) cannot be entered, with the kernel's reason.
func TestTargetGone(t *testing.T) {
	pid, err := syscall.ForkExec("/bin/true", []string{"true"}, &syscall.ProcAttr{})
	if err != nil {
		t.Fatal(err)
	}
	WaitFor(t, "the zombie", func() bool { return ProcState(pid) == "Z" })
	defer syscall.Wait4(pid, nil, 0, nil)
	Want(t, nsenter(t, "-t", fmt.Sprint(pid), "-n", "true"), "", "nsenter: reassociate to namespaces failed: No such process\n", 1)
	Want(t, nsenter(t, "-t", fmt.Sprint(pid), "-U", "-n", "true"), "", "nsenter: reassociate to namespaces failed: No such process\n", 1)
}

// TestFewFds: with a small fd limit both tools still work.
func TestFewFds(t *testing.T) {
	self := fmt.Sprint(os.Getpid())
	for _, c := range []string{"unshare -r true", "unshare -rf true", "unshare -n true", "nsenter -t " + self + " -n -u true", "nsenter -t " + self + " -a true"} {
		Want(t, Run(t, Cmd{Argv: []string{"sh", "-c", "ulimit -n 8; exec " + bin + "/" + c}}), "", "", 0)
	}
}

// TestExecuteOnlyBinary: installed mode 0711 (unreadable to users), the
// binary still maps a user to root: re-executing it would have made the
// process non-dumpable, and so unable to write its own uid_map.
func TestExecuteOnlyBinary(t *testing.T) {
	d := TempDir(t)
	b, err := os.ReadFile(Applet("nsbox"))
	if err != nil {
		t.Fatal(err)
	}
	exe := filepath.Join(d, "nsbox")
	if err := os.WriteFile(exe, b, 0o711); err != nil {
		t.Fatal(err)
	}
	os.Chmod(exe, 0o711)
	os.Symlink("nsbox", filepath.Join(d, "unshare"))
	for _, args := range [][]string{{"-r"}, {"-rf"}, {"-r", "-T"}, {"--map-user=1000"}} {
		r := Run(t, Cmd{Argv: append(append([]string{filepath.Join(d, "unshare")}, args...), "id", "-u"), Nobody: true})
		want := "0\n"
		if args[0] == "--map-user=1000" {
			want = "1000\n"
		}
		Want(t, r, want, "", 0)
	}
}

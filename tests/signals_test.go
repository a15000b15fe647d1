package tests

import (
	"fmt"
	"syscall"
	"testing"
)

// childFate starts CMD (whose program says "ready" and sleeps), kills
// the program (the only child of the started process) with sig, and
// returns the started process's exit code as a shell would see it.
func childFate(t *testing.T, sig syscall.Signal, argv ...string) int {
	t.Helper()
	p := StartReady(t, Cmd{Argv: append(argv, "sh", "-c", "echo ready; exec sleep 1000")})
	kids := Children(p.Process.Pid)
	if len(kids) != 1 {
		t.Fatalf("%q: children %v", argv, kids)
	}
	syscall.Kill(kids[0], sig)
	return WaitExit(t, p)
}

// TestSignalMatrix: a program killed by a signal makes unshare --fork and
// nsenter (forking into a pid namespace) die of the same signal, as
// util-linux does (2.38.1's unshare mishandles SIGKILL: BR-05).
func TestSignalMatrix(t *testing.T) {
	p := target(t, false, "true", "-p", "-f", "-m", "--mount-proc")
	P := fmt.Sprint(p)
	sigs := []syscall.Signal{syscall.SIGHUP, syscall.SIGINT, syscall.SIGQUIT, syscall.SIGKILL, syscall.SIGTERM, syscall.SIGSEGV, syscall.SIGUSR1}
	for _, sig := range sigs {
		want := 128 + int(sig)
		for _, c := range []struct {
			nb, ref []string
		}{
			{[]string{Applet("unshare"), "-f"}, []string{sysUnshare, "-f"}},
			{[]string{Applet("unshare"), "-rf", "--kill-child"}, []string{sysUnshare, "-rf", "--kill-child"}},
			{[]string{Applet("unshare"), "-f", "--forward-signals"}, nil},
			{[]string{Applet("nsenter"), "-t", P, "-p", "-m"}, []string{sysNsenter, "-t", P, "-p", "-m"}},
			{[]string{Applet("nsenter"), "-t", P, "-a"}, []string{sysNsenter, "-t", P, "-a"}},
		} {
			if got := childFate(t, sig, c.nb...); got != want {
				t.Errorf("%v, child killed by %v: exit %d, want %d", c.nb, sig, got, want)
			}
			if c.ref == nil || (sig == syscall.SIGKILL && c.ref[0] == sysUnshare) {
				continue
			}
			if got := childFate(t, sig, c.ref...); got != want {
				t.Errorf("util-linux %v, child killed by %v: exit %d, want %d", c.ref, sig, got, want)
			}
		}
	}
}

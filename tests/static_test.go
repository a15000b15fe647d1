package tests

import (
	"os"
	"testing"
)

// TestStaticBuildSignals runs the release build (static, musl) where its
// libc could make a difference the glibc build does not show: musl's
// setuid, setgid and setgroups reach the other threads with signal 34
// and leave it ignored, which must not reach the program. The program
// reports the signals it has ignored and blocked, and its ids; util-linux
// is the reference.
func TestStaticBuildSignals(t *testing.T) {
	P := foreignTarget(t)
	self := itoa(os.Getpid())
	probe := []string{"sh", "-c", "grep -E '^Sig(Ign|Blk)' /proc/self/status; id -u; id -G"}
	for _, c := range []struct {
		tool string
		args []string
	}{
		{"nsenter", []string{"-t", P, "-U"}},
		{"nsenter", []string{"-t", P, "-a"}},
		{"nsenter", []string{"-t", P, "-U", "-p", "-F"}},
		{"nsenter", []string{"-t", self, "-n", "-S", "65534", "-G", "65534"}},
		{"nsenter", []string{"-t", self, "-n", "-p", "-S", "65534", "-G", "65534"}},
		{"unshare", []string{"-r"}},
		{"unshare", []string{"-rf"}},
		{"unshare", []string{"-n", "-S", "65534", "-G", "65534"}},
		{"unshare", []string{"-f", "-S", "65534", "-G", "65534"}},
		{"unshare", []string{"-fp", "--mount-proc"}},
	} {
		for _, ignored := range []string{"", "trap '' HUP BUS 34;"} {
			run := func(path string) Result {
				argv := append(append([]string{"sh", "-c", ignored + ` exec "$@"`, "sh", path}, c.args...), probe...)
				return Run(t, Cmd{Argv: argv})
			}
			ref := run("/usr/bin/" + c.tool)
			for _, path := range []string{StaticApplet(c.tool), Applet(c.tool)} {
				if got := run(path); got != ref {
					t.Errorf("%s %v after %q:\n%s\nutil-linux:\n%s", path, c.args, ignored, got, ref)
				}
			}
		}
	}
}

package tests

import (
	"fmt"
	"os"
	"testing"
)

// TestInheritedSignals: the program gets the signal mask and the ignored
// signals its caller gave unshare/nsenter, as from util-linux (the Go
// runtime changes both; the pre-runtime stage notes the originals).
func TestInheritedSignals(t *testing.T) {
	self := fmt.Sprint(os.Getpid())
	probe := []string{"grep", "-E", "^Sig(Blk|Ign)", "/proc/self/status"}
	wrappers := map[string][]string{
		"ignored": {"bash", "-c", `trap '' INT QUIT PIPE TERM USR2; exec "$@"`, "bash"},
		"blocked": {"perl", "-MPOSIX", "-e", `sigprocmask(SIG_BLOCK, POSIX::SigSet->new(1..31)) or die; exec @ARGV`},
	}
	for name, w := range wrappers {
		for _, c := range []struct {
			tool string
			args []string
		}{
			{"unshare", []string{"-n"}}, {"unshare", []string{"-r"}}, {"unshare", []string{"-f"}},
			{"unshare", []string{"-rf"}}, {"unshare", []string{"-f", "--kill-child"}},
			{"unshare", []string{"-pf", "--mount-proc"}},
			{"nsenter", []string{"-t", self, "-u"}}, {"nsenter", []string{"-t", self, "-a", "-F"}},
		} {
			sys := "/usr/bin/" + c.tool
			nb := Run(t, Cmd{Argv: append(append(append(append([]string{}, w...), Applet(c.tool)), c.args...), probe...)})
			ref := Run(t, Cmd{Argv: append(append(append(append([]string{}, w...), sys), c.args...), probe...)})
			if nb.Code != 0 || nb.Stdout == "" {
				t.Errorf("%s %s %v: %s", name, c.tool, c.args, nb)
			}
			Same(t, nb, ref)
		}
	}
}

// TestInheritedClosedFds: a standard fd closed by the caller is closed in
// the program too (the Go runtime puts /dev/null there).
func TestInheritedClosedFds(t *testing.T) {
	for _, c := range []struct {
		tool, redirect string
		args           []string
	}{
		{"unshare", ">&-", []string{"-n"}}, {"unshare", ">&-", []string{"-rf"}}, {"unshare", "<&-", []string{"-r"}},
		{"unshare", "2>&-", []string{"-f"}}, {"nsenter", ">&-", []string{"-t", "$$", "-u"}},
		{"nsenter", "<&-", []string{"-t", "$$", "-a"}},
	} {
		script := func(tool string) string {
			return fmt.Sprintf(`%s %v sh -c 'ls /proc/self/fd | tr "\n" " " >&2; echo out' %s; echo " rc=$?" >&2`, tool, join(c.args), c.redirect)
		}
		nb := Run(t, Cmd{Argv: []string{"sh", "-c", script(Applet(c.tool))}})
		ref := Run(t, Cmd{Argv: []string{"sh", "-c", script("/usr/bin/" + c.tool)}})
		Same(t, nb, ref)
	}
	// A failed write to a closed stdout, as util-linux's caller sees it.
	r := Run(t, Cmd{Argv: []string{"sh", "-c", Applet("unshare") + " -n echo hi >&-"}})
	Want(t, r, "", "echo: write error: Bad file descriptor\n", 1)
}

func join(args []string) string {
	s := ""
	for i, a := range args {
		if i > 0 {
			s += " "
		}
		s += a
	}
	return s
}

package tests

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The pre-runtime stage runs everything after the namespaces itself,
// up to the program's execve, when all of it is plain system calls (the
// "tail"); a step that fails there makes Go start and report it. These
// tests check that the tail is taken where it should be, and that every
// kind of tail step fails with util-linux's message and exit code.

// goStarts is how many times the Go runtime started while running c: the
// runtime prints one "init runtime" line per start under
// GODEBUG=inittrace=1.
func goStarts(t *testing.T, c Cmd) (int, Result) {
	t.Helper()
	c.Env = append(os.Environ(), "GODEBUG=inittrace=1")
	r := Run(t, c)
	n := strings.Count(r.Stderr, "init runtime @")
	var rest []string
	for _, l := range strings.SplitAfter(r.Stderr, "\n") {
		if !strings.HasPrefix(l, "init ") {
			rest = append(rest, l)
		}
	}
	r.Stderr = strings.Join(rest, "")
	return n, r
}

// userTarget is a process in a user (and uts) namespace root made, for
// nsenter -U.
func userTarget(t *testing.T) string {
	t.Helper()
	return itoa(target(t, false, "true", "-r", "-u"))
}

func TestStageTailTaken(t *testing.T) {
	P := userTarget(t)
	cases := []struct {
		argv   []string
		starts int
		out    string
		code   int
	}{
		{[]string{Applet("unshare"), "-r", "id", "-u"}, 1, "0\n", 0},
		{[]string{Applet("unshare"), "-r", "-m", "--propagation", "slave", "-u", "id", "-u"}, 1, "0\n", 0},
		{[]string{Applet("unshare"), "-r", "-R", "/", "-w", "/tmp", "pwd"}, 1, "/tmp\n", 0},
		// The forked child's stage mounts /proc and runs the program.
		{[]string{Applet("unshare"), "-f", "-p", "--mount-proc", "sh", "-c", "echo $$"}, 1, "1\n", 0},
		{[]string{Applet("unshare"), "-f", "--kill-child", "-p", "--mount-proc", "sh", "-c", "echo $$"}, 1, "1\n", 0},
		{[]string{Applet("nsenter"), "-t", P, "-U", "id", "-u"}, 1, "0\n", 0},
		{[]string{Applet("nsenter"), "-t", P, "-U", "-u", "--preserve-credentials", "id", "-u"}, 1, "0\n", 0},
		// With -r and --fork, the re-exec's Go waits; the child's stage
		// runs the program.
		// Go's part: a time namespace made after the user namespace,
		// --keep-caps (capabilities raised one by one), -e,
		// nsenter's fork into a pid namespace; and an exec that fails in
		// the stage is redone (and reported) by Go.
		{[]string{Applet("unshare"), "-r", "-T", "id", "-u"}, 2, "0\n", 0},
		{[]string{Applet("unshare"), "-r", "-f", "-p", "--mount-proc", "id", "-u"}, 2, "0\n", 0},
		{[]string{Applet("unshare"), "-r", "-f", "-p", "--mount-proc", "--keep-caps", "id", "-u"}, 3, "0\n", 0},
		{[]string{Applet("nsenter"), "-t", P, "-U", "-e", "id", "-u"}, 2, "0\n", 0},
		{[]string{Applet("unshare"), "-r", "nosuchcmd-nsbox"}, 2, "", 127},
	}
	for _, c := range cases {
		t.Run(strings.Join(c.argv[1:], " "), func(t *testing.T) {
			n, r := goStarts(t, Cmd{Argv: c.argv})
			if r.Stdout != c.out || r.Code != c.code || n != c.starts {
				t.Errorf("%d Go starts, want %d; %s", n, c.starts, r)
			}
		})
	}
}

// TestStageTailFailures: each kind of step, failing in the stage, gives
// util-linux's message and exit code, as root and as nobody.
func TestStageTailFailures(t *testing.T) {
	dir := TempDir(t)
	script := filepath.Join(dir, "noshebang")
	if err := os.WriteFile(script, []byte("echo via-sh $0 $1\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	os.Chmod(dir, 0o755)
	for _, nobody := range []bool{false, true} {
		cases := [][]string{
			{"-r", "-R", "/nonexistent-nsbox", "true"},
			{"-r", "-G", "0", "true"},
			{"-r", "nosuchcmd-nsbox"},
			{"-r", "/etc/passwd"},
			{"-r", "/"},
			{"-r", script, "arg"},
			{"-r", "-m", "--mount-proc=/nonexistent-nsbox", "true"},
			{"-r", "-m", "--propagation", "unchanged", "--mount-proc=/nonexistent-nsbox", "true"},
			{"-r", "--propagation", "slave", "sh", "-c", "exit 3"},
			{"-f", "-p", "--mount-proc=/nonexistent-nsbox", "true"},
			{"-f", "-p", "--mount-proc", "nosuchcmd-nsbox"},
			{"-f", "-p", "--mount-proc", script},
			{"-f", "-R", "/nonexistent-nsbox", "true"},
		}
		for _, args := range cases {
			if nobody && args[0] == "-f" {
				args = append([]string{"-r"}, args...)
			}
			t.Run(strings.Join(args, " "), func(t *testing.T) {
				nb, ref := both(t, Cmd{Argv: args, Nobody: nobody})
				Same(t, nb, ref)
			})
		}
		// 2.38.1 words these differently: "cannot chdir to '%s'" and
		// "setuid failed"; 2.42's words.
		r := Run(t, Cmd{Argv: []string{Applet("unshare"), "-r", "-w", "/nonexistent-nsbox", "true"}, Nobody: nobody})
		Want(t, r, "", "unshare: cannot change directory to /nonexistent-nsbox: No such file or directory\n", 1)
		r = Run(t, Cmd{Argv: []string{Applet("unshare"), "-r", "-S", "1", "true"}, Nobody: nobody})
		Want(t, r, "", "unshare: setuid() failed: Invalid argument\n", 1)
	}

	P := userTarget(t)
	for _, args := range [][]string{
		{"-t", P, "-U", "nosuchcmd-nsbox"},
		{"-t", P, "-U", "/etc/passwd"},
		{"-t", P, "-U", script, "arg"},
		{"-t", P, "-U", "-u", "--preserve-credentials", "sh", "-c", "id -u; exit 4"},
	} {
		t.Run("nsenter "+strings.Join(args[2:], " "), func(t *testing.T) {
			sameEnter(t, args...)
		})
	}
	// 2.38.1: "setuid failed", "setgid failed".
	Want(t, nsenter(t, "-t", P, "-U", "-S", "12345", "true"), "", "nsenter: setuid() failed: Invalid argument\n", 1)
	Want(t, nsenter(t, "-t", P, "-U", "-G", "12345", "true"), "", "nsenter: setgid() failed: Invalid argument\n", 1)
}

// TestStageTailInherits: the program started by the stage gets what it
// would get from util-linux: ignored signals (SIGCHLD kept by nsenter,
// reset by unshare), the signal mask, and closed standard fds.
func TestStageTailInherits(t *testing.T) {
	P := userTarget(t)
	probe := filepath.Join(TempDir(t), "probe")
	if err := os.WriteFile(probe, []byte("grep -E '^Sig(Ign|Blk)' /proc/self/status; ls /proc/self/fd | tr '\\n' ' '\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tool := range [][2]string{
		{"unshare -r", "unshare"}, {"unshare -r -m --propagation slave", "unshare"},
		{"unshare -f -p --mount-proc", "unshare"},
		{"nsenter -t " + P + " -U", "nsenter"}, {"nsenter -t " + P + " -U --preserve-credentials -u", "nsenter"},
	} {
		args := strings.Join(strings.Fields(tool[0])[1:], " ")
		for _, prefix := range []string{"trap '' CHLD USR1 HUP", "trap '' INT; exec 0<&-", "exec 2>&-"} {
			run := func(path string) Result {
				return Run(t, Cmd{Argv: []string{"bash", "-c", prefix + "; exec " + path + " " + args + " sh " + probe}})
			}
			t.Run(tool[0]+" "+prefix, func(t *testing.T) {
				sys := "/usr/bin/" + tool[1]
				Same(t, run(Applet(tool[1])), run(sys))
			})
		}
	}
}

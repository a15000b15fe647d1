package tests

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// samePID runs `sh -c 'echo $$; exec unshare ARGS sh -c "echo \$\$"'`:
// without --fork the program must keep the PID unshare was started with
// (an initramfs does "exec unshare ... /sbin/init").
func samePID(t *testing.T, nobody bool, args ...string) {
	t.Helper()
	script := `echo $$; exec "$0" "$@" sh -c 'echo $$'`
	argv := append([]string{"sh", "-c", script, Applet("unshare")}, args...)
	r := Run(t, Cmd{Argv: argv, Nobody: nobody})
	lines := strings.Fields(r.Stdout)
	if r.Code != 0 || r.Stderr != "" || len(lines) != 2 || lines[0] != lines[1] {
		t.Errorf("unshare %v (nobody=%v) changed the PID: %s", args, nobody, r)
	}
}

func TestUnshareKeepsPID(t *testing.T) {
	for _, args := range [][]string{
		{"-n"}, {"-m", "-u", "-i", "-n", "-C"}, {"-p"}, {"-T"},
		{"-r"}, {"-U"}, {"-r", "-m", "-u", "-i", "-n", "-p", "-C", "-T"},
		{"--map-users=0:100000:10", "--map-groups=0:100000:10"},
	} {
		samePID(t, false, args...)
	}
	for _, args := range [][]string{{"-r"}, {"-U"}, {"-r", "-m", "-n", "-u", "-i", "-C"}, {"-c"}} {
		samePID(t, true, args...)
	}
}

func TestUnsharePidNamespace(t *testing.T) {
	// Without --fork the program stays in the old pid namespace and its
	// first child becomes PID 1 of the new one...
	r := ushare(t, "-p", "sh", "-c", `echo $$; sh -c 'echo $$'`)
	WantMatch(t, r, `[0-9]+\n1\n`, "", 0)
	if strings.HasPrefix(r.Stdout, "1\n") {
		t.Errorf("the program itself must not be PID 1 without --fork: %s", r)
	}
	// ...and once that child is gone, the namespace takes no new process
	// (the shell's own message, the same as with util-linux).
	nb, ref := both(t, Cmd{Argv: []string{"-p", "sh", "-c", "sh -c true; sh -c true; echo $?"}})
	Same(t, nb, ref)
	if !strings.Contains(nb.Stderr, "fork") {
		t.Errorf("the second fork should fail: %s", nb)
	}
	// With --fork the program itself is PID 1, and nothing else was
	// forked into the namespace: a proc mounted for it shows only it.
	for _, extra := range [][]string{{}, {"-r"}} {
		args := append(append([]string{}, extra...), "-p", "-f", "--mount-proc", "ls", "/proc")
		nb, ref := both(t, Cmd{Argv: args})
		if got := pidEntries(nb.Stdout); got != "1" || nb.Code != 0 {
			t.Errorf("%v: processes in the new namespace: %q (%s)", args, got, nb)
		}
		if got := pidEntries(ref.Stdout); got != "1" {
			t.Errorf("util-linux %v: processes in the new namespace: %q", args, got)
		}
	}
	r = ushareAs(t, "-r", "-p", "-f", "--mount-proc", "cat", "/proc/1/cmdline")
	Want(t, r, "cat\x00/proc/1/cmdline\x00", "", 0)
}

// TestUnshareExitAndSignals: the program's exit code comes back; a forked
// child's death by a signal is re-raised so the shell sees 128+N.
func TestUnshareExitAndSignals(t *testing.T) {
	Want(t, ushare(t, "sh", "-c", "exit 3"), "", "", 3)
	Want(t, ushare(t, "-f", "sh", "-c", "exit 3"), "", "", 3)
	Want(t, ushare(t, "-rf", "sh", "-c", "exit 42"), "", "", 42)
	Want(t, ushare(t, "sh", "-c", "kill -TERM $$"), "", "", 143)
	for _, sig := range []syscall.Signal{syscall.SIGHUP, syscall.SIGINT, syscall.SIGQUIT, syscall.SIGKILL,
		syscall.SIGTERM, syscall.SIGSEGV, syscall.SIGUSR1, syscall.SIGABRT, syscall.SIGALRM, syscall.SIGUSR2} {
		for _, extra := range [][]string{{"-f"}, {"-rf"}} {
			args := append(append([]string{}, extra...), "sh", "-c", fmt.Sprintf("kill -%d $$", sig))
			nb := ushare(t, args...)
			Want(t, nb, "", "", 128+int(sig))
			if sig != syscall.SIGKILL && extra[0] == "-f" {
				// 2.38.1 mishandles SIGKILL (BR-05), agrees on the rest.
				_, ref := both(t, Cmd{Argv: args})
				Same(t, nb, ref)
			}
		}
	}
}

// TestUnshareExecFailures: 127 for a program that is not there, 126 for
// one that cannot run, in place and through --fork.
func TestUnshareExecFailures(t *testing.T) {
	for _, extra := range [][]string{{}, {"-f"}, {"-r"}, {"-rf"}} {
		args := append(append([]string{}, extra...), "nosuchcmd-nsbox")
		Want(t, ushare(t, args...), "", "unshare: failed to execute nosuchcmd-nsbox: No such file or directory\n", 127)
		args = append(append([]string{}, extra...), "/etc/passwd")
		Want(t, ushare(t, args...), "", "unshare: failed to execute /etc/passwd: Permission denied\n", 126)
	}
	// A script without #! runs under /bin/sh, as execvp does.
	d := TempDir(t)
	script := filepath.Join(d, "noshebang")
	os.WriteFile(script, []byte("echo from-script\n"), 0o755)
	sameAsSystem(t, script)
	// PATH is searched in the program's environment; an empty entry is
	// the current directory.
	r := Run(t, Cmd{Argv: []string{Applet("unshare"), "noshebang"}, Env: []string{"PATH=/nonexistent:"}, Dir: d})
	Want(t, r, "from-script\n", "", 0)
}

// TestUnshareFdHygiene: the program sees exactly the fds it was given:
// 0, 1, 2 and whatever the caller passed (here fd 3), and nothing nsbox
// used on the way (handover memfds, helper pipes, pidfds).
func TestUnshareFdHygiene(t *testing.T) {
	d := PrivateDir(t)
	netFile := filepath.Join(d, "net")
	os.WriteFile(netFile, nil, 0o644)
	extra, err := os.Open("/dev/null")
	if err != nil {
		t.Fatal(err)
	}
	defer extra.Close()
	// What a program started directly sees is the baseline: the test
	// process may itself have inherited fds from whoever started it.
	probe := []string{"sh", "-c", "ls /proc/self/fd | tr '\\n' ' '; env | grep -c NSBOX"}
	baseline := Run(t, Cmd{Argv: probe})
	withFile := Run(t, Cmd{Argv: probe, Files: []*os.File{extra}})
	if len(strings.Fields(withFile.Stdout)) != len(strings.Fields(baseline.Stdout))+1 {
		t.Fatalf("baseline: %s / %s", baseline, withFile)
	}
	for _, args := range [][]string{
		{}, {"-n"}, {"-r"}, {"-f"}, {"-rf"}, {"-rf", "--kill-child"}, {"-f", "--kill-child", "-p", "--mount-proc"},
		{"-r", "--net=" + netFile}, {"-rf", "--net=" + netFile}, {"--map-users=0:100000:10"},
		{"-m", "--net=" + netFile}, {"--forward-signals"},
	} {
		for _, want := range []Result{baseline, withFile} {
			c := Cmd{Argv: append(append([]string{Applet("unshare")}, args...), probe...)}
			if want == withFile {
				c.Files = []*os.File{extra}
			}
			Same(t, Run(t, c), want)
			Sys(t, "umount", netFile)
		}
	}
}

// TestUnshareKillChild: with --kill-child the child dies with unshare;
// without it, the child outlives a killed unshare.
func TestUnshareKillChild(t *testing.T) {
	for _, c := range []struct {
		args []string
		dies bool
	}{
		{[]string{"--kill-child"}, true},
		{[]string{"--kill-child=TERM"}, true},
		{[]string{"-r", "--kill-child"}, true},
		{[]string{"-p", "--mount-proc", "--kill-child"}, true},
		{[]string{"--kill-child=sigusr1"}, true},
		{[]string{"-f"}, false},
	} {
		u := Background(t, Cmd{Argv: append(append([]string{Applet("unshare")}, c.args...), "sleep", "1000")})
		var child int
		WaitFor(t, "the child to exec sleep", func() bool {
			kids := Children(u.Process.Pid)
			if len(kids) != 1 {
				return false
			}
			comm, _ := os.ReadFile(fmt.Sprintf("/proc/%d/comm", kids[0]))
			child = kids[0]
			return string(comm) == "sleep\n"
		})
		u.Process.Kill()
		u.Wait()
		if c.dies {
			WaitFor(t, "the child to die", func() bool { s := ProcState(child); return s == "" || s == "Z" })
		} else {
			if s := ProcState(child); s == "" || s == "Z" {
				t.Errorf("%v: the child died with its parent", c.args)
			}
			syscall.Kill(child, syscall.SIGKILL)
		}
	}
}

// TestUnshareParentKeepsWaiting is BR-06: SIGTERM to a forking unshare
// does not make it leave its child; the exit status is the child's.
func TestUnshareParentKeepsWaiting(t *testing.T) {
	d := TempDir(t)
	fifo := filepath.Join(d, "go")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	u := StartReady(t, Cmd{Argv: []string{Applet("unshare"), "--fork", "sh", "-c", "echo ready; read x < " + fifo + "; exit 7"}})
	u.Process.Signal(syscall.SIGTERM)
	u.Process.Signal(syscall.SIGINT)
	if err := os.WriteFile(fifo, []byte("x\n"), 0); err != nil {
		t.Fatal(err)
	}
	if rc := WaitExit(t, u); rc != 7 {
		t.Errorf("unshare --fork exited %d after SIGTERM, want the child's 7", rc)
	}
	// Without --fork, unshare is the program: SIGTERM ends it.
	u = StartReady(t, Cmd{Argv: []string{Applet("unshare"), "sh", "-c", "echo ready; exec sleep 1000"}})
	u.Process.Signal(syscall.SIGTERM)
	if rc := WaitExit(t, u); rc != 143 {
		t.Errorf("unshare without --fork exited %d on SIGTERM, want 143", rc)
	}
	// Other signals end the parent (as for a C program) and leave the
	// child running.
	u = StartReady(t, Cmd{Argv: []string{Applet("unshare"), "--fork", "sh", "-c", "echo ready; exec sleep 1000"}})
	kids := Children(u.Process.Pid)
	u.Process.Signal(syscall.SIGHUP)
	if rc := WaitExit(t, u); rc != 129 {
		t.Errorf("unshare --fork exited %d on SIGHUP, want 129", rc)
	}
	for _, k := range kids {
		if ProcState(k) == "" {
			t.Errorf("child %d died with its parent", k)
		}
		syscall.Kill(k, syscall.SIGKILL)
	}
}

// TestUnshareForwardSignals: --forward-signals (util-linux 2.42, not in
// 2.38.1) passes SIGTERM and SIGINT on; the exit status follows the
// child. This is util-linux's own forward-signals test, with a shell trap
// as the receiver.
func TestUnshareForwardSignals(t *testing.T) {
	for _, c := range []struct {
		extra []string
		sig   syscall.Signal
	}{
		{nil, syscall.SIGTERM},
		{[]string{"--kill-child"}, syscall.SIGTERM},
		{nil, syscall.SIGINT},
	} {
		args := append([]string{Applet("unshare"), "--user", "--map-root-user", "--pid", "--mount-proc", "--fork", "--forward-signals"}, c.extra...)
		script := fmt.Sprintf(`trap 'exit %d' %s; echo ready; sleep 1000 & wait`, int(c.sig), strings.TrimPrefix(c.sig.String(), "SIG"))
		script = strings.Replace(script, "terminated", "TERM", 1)
		script = strings.Replace(script, "interrupt", "INT", 1)
		u := StartReady(t, Cmd{Argv: append(args, "sh", "-c", script)})
		u.Process.Signal(c.sig)
		if rc := WaitExit(t, u); rc != int(c.sig) {
			t.Errorf("--forward-signals %v %v: exit %d, want %d", c.extra, c.sig, rc, int(c.sig))
		}
	}
}

// TestUnshareLoginShell is BR-21: without a program, the login shell.
func TestUnshareLoginShell(t *testing.T) {
	env := func(kv ...string) []string { return append([]string{"PATH=/usr/bin:/bin"}, kv...) }
	for _, c := range []struct {
		env  []string
		args []string
		want string
	}{
		{env("SHELL=/bin/sh"), nil, "-sh\n"},
		{env("SHELL=/bin/sh"), []string{"-r"}, "-sh\n"},
		{env("SHELL=/bin/sh"), []string{"-f"}, "-sh\n"},
		// 2.42 falls back to the passwd shell when $SHELL is unset or
		// empty (2.38.1 used /bin/sh, or failed on an empty one).
		{env(), []string{"-u"}, "-" + filepath.Base(passwdShell(t, 0)) + "\n"},
		{env("SHELL="), []string{"-u"}, "-" + filepath.Base(passwdShell(t, 0)) + "\n"},
	} {
		r := Run(t, Cmd{Argv: append([]string{Applet("unshare")}, c.args...), Env: c.env, Stdin: "echo $0\n"})
		Want(t, r, c.want, "", 0)
	}
	r := Run(t, Cmd{Argv: []string{Applet("unshare")}, Env: env("SHELL=/nonexistent-nsbox/sh")})
	Want(t, r, "", "unshare: failed to execute /nonexistent-nsbox/sh: No such file or directory\n", 127)
	// After -S the passwd shell is that of the new uid.
	r = Run(t, Cmd{Argv: []string{Applet("unshare"), "-S", "65534"}, Env: env(), Stdin: "echo $0\n"})
	shell := passwdShell(t, 65534)
	if _, err := os.Stat(shell); err == nil && filepath.Base(shell) == "nologin" {
		Want(t, r, "This account is currently not available.\n", "", 1)
	} else if err == nil {
		Want(t, r, "-"+filepath.Base(shell)+"\n", "", 0)
	} else {
		Want(t, r, "", "unshare: failed to execute "+shell+": No such file or directory\n", 127)
	}
}

// passwdShell is uid's login shell from /etc/passwd.
func passwdShell(t *testing.T, uid int) string {
	t.Helper()
	b, err := os.ReadFile("/etc/passwd")
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(string(b), "\n") {
		f := strings.Split(l, ":")
		if len(f) >= 7 && f[2] == strconv.Itoa(uid) {
			return f[6]
		}
	}
	t.Fatalf("uid %d not in /etc/passwd", uid)
	return ""
}

// TestUnshareEnvironment: master's --clear-env and --whitelist-env (the
// upstream env test), and no variable of nsbox's own leaks.
func TestUnshareEnvironment(t *testing.T) {
	env := []string{"PATH=/usr/bin:/bin", "UL_TEST_ENV=foo", "UL_TEST_ENV1=foo", "UL_TEST_ENV2=bar"}
	r := Run(t, Cmd{Argv: []string{Applet("unshare"), "--clear-env", "/bin/bash", "-c", `echo "${UL_TEST_ENV:-CLEARED}"`}, Env: env})
	Want(t, r, "CLEARED\n", "", 0)
	r = Run(t, Cmd{Argv: []string{Applet("unshare"), "--whitelist-env", "UL_TEST_ENV1", "/bin/bash", "-c", `echo "${UL_TEST_ENV1}${UL_TEST_ENV2}"`}, Env: env})
	Want(t, r, "foo\n", "", 0)
	// Reversed, as master's list sets them; a name not set is skipped,
	// and when none is set the environment stays.
	r = Run(t, Cmd{Argv: []string{Applet("unshare"), "-rf", "--whitelist-env=UL_TEST_ENV2,NOPE,UL_TEST_ENV", "/usr/bin/env"}, Env: env})
	Want(t, r, "UL_TEST_ENV=foo\nUL_TEST_ENV2=bar\n", "", 0)
	r = Run(t, Cmd{Argv: []string{Applet("unshare"), "--whitelist-env=UL_TEST_ENV1", "--whitelist-env=UL_TEST_ENV2,UL_TEST_ENV1", "/usr/bin/env"}, Env: env})
	Want(t, r, "UL_TEST_ENV1=foo\nUL_TEST_ENV2=bar\n", "", 0)
	r = Run(t, Cmd{Argv: []string{Applet("unshare"), "--whitelist-env=NOPE", "/usr/bin/env"}, Env: env})
	Want(t, r, strings.Join(env, "\n")+"\n", "", 0)
	// With the environment cleared, PATH is glibc's default.
	r = Run(t, Cmd{Argv: []string{Applet("unshare"), "--clear-env", "env"}, Env: env})
	Want(t, r, "", "", 0)
	for _, args := range [][]string{{}, {"-r"}, {"-rf"}, {"-f"}} {
		r = Run(t, Cmd{Argv: append(append([]string{Applet("unshare")}, args...), "/usr/bin/env"), Env: env})
		Want(t, r, strings.Join(env, "\n")+"\n", "", 0)
	}
}

// TestUnshareEmptyValues: an empty value given is passed on, and fails
// in the system call, as in util-linux (2.42 wording for -w).
func TestUnshareEmptyValues(t *testing.T) {
	Want(t, ushare(t, "-w", "", "pwd"), "", "unshare: cannot change directory to : No such file or directory\n", 1)
	Want(t, ushare(t, "-R", "", "true"), "", "unshare: cannot change root directory to '': No such file or directory\n", 1)
	Want(t, ushare(t, "-fp", "--mount-proc=", "true"), "", "unshare: mount  failed: No such file or directory\n", 1)
	Want(t, ushare(t, "-rfp", "--mount-binfmt=", "true"), "", "unshare: mount  failed: No such file or directory\n", 1)
	WantMatch(t, ushare(t, "--net=", "true"), "", `unshare: mount /proc/[0-9]+/ns/net on  failed: No such file or directory\n`, 1)
	sameAsSystem(t, "-R", "", "true")
	sameAsSystem(t, "-fp", "--mount-proc=", "true")
}

// TestUnshareCredentials: -S and -G as root, as util-linux does them.
func TestUnshareCredentials(t *testing.T) {
	sameAsSystem(t, "-S", "65534", "-G", "65534", "id")
	sameAsSystem(t, "-G", "65534", "id")
	sameAsSystem(t, "-S", "65534", "id")
	sameAsSystem(t, "-f", "-S", "65534", "-G", "65534", "id")
	// Values up to 2^64-1 are truncated to 32 bits, as util-linux's cast
	// to uid_t does (4294967298 = 2).
	Want(t, ushare(t, "-S", "4294967298", "id", "-u"), "2\n", "", 0)
}

// pidEntries is the numeric names in an ls listing of a proc mount, joined
// by spaces: the processes that proc shows.
func pidEntries(listing string) string {
	var pids []string
	for _, f := range strings.Fields(listing) {
		if _, err := strconv.Atoi(f); err == nil {
			pids = append(pids, f)
		}
	}
	return strings.Join(pids, " ")
}

package tests

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestExecvpLikeGlibc: the program is found and run as glibc's execvp
// does, through every path (in place, the forked child, a new pid
// namespace whose init must be made once): a script without #! runs
// under /bin/sh, an empty PATH means the current directory, a PATH entry
// too long to join is skipped, an empty or too long name fails as it
// does in util-linux.
func TestExecvpLikeGlibc(t *testing.T) {
	dir := TempDir(t)
	os.Chmod(dir, 0o755)
	if err := os.WriteFile(filepath.Join(dir, "nbscript"), []byte("echo via-sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	long := "/" + strings.Repeat("d", 4500)
	for _, mode := range [][]string{{}, {"-r"}, {"-f"}, {"-fp"}, {"-rfp"}, {"-fp", "--mount-proc"}} {
		for _, c := range []struct {
			env  []string
			args []string
		}{
			{nil, []string{filepath.Join(dir, "nbscript")}},
			{nil, []string{""}},
			{nil, []string{strings.Repeat("a", 300)}},
			{[]string{"PATH="}, []string{"nbscript"}},
			{[]string{"PATH=" + long + ":" + dir}, []string{"nbscript"}},
		} {
			args := append(append([]string{}, mode...), c.args...)
			t.Run(strings.Join(mode, " ")+" "+strings.Join(c.env, " ")+" "+c.args[0][:min(len(c.args[0]), 20)], func(t *testing.T) {
				var env []string
				if c.env != nil {
					env = append(os.Environ(), c.env...)
				}
				nb, ref := both(t, Cmd{Argv: args, Env: env, Dir: dir})
				Same(t, nb, ref)
			})
		}
	}
}

// TestNsenterOwnPidNamespace: -a and -U -p into a process that has its
// own user namespace but shares our pid namespace: the pid namespace is
// entered with the others, before the user namespace, as util-linux
// does (entering it after would need rights the user namespace took).
func TestNsenterOwnPidNamespace(t *testing.T) {
	P := itoa(target(t, false, "hostname nbown", "-r", "-u"))
	for _, args := range [][]string{
		{"-a", "sh", "-c", "id; hostname"},
		{"-a", "-F", "id", "-u"},
		{"-a", "--preserve-credentials", "id", "-u"},
		{"-U", "-p", "id", "-u"},
		{"-U", "-p", "-F", "hostname"},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			sameEnter(t, append([]string{"-t", P}, args...)...)
		})
	}
}

// TestInheritedSyncIgnores: signals the Go runtime keeps for itself
// (SIGBUS, SIGPROF, SIGSYS...) reach the program ignored when they were
// ignored at start, as from util-linux: run in place, and as unshare's
// forked child.
func TestInheritedSyncIgnores(t *testing.T) {
	P := itoa(target(t, false, "true", "-r", "-u"))
	for _, tool := range []string{"unshare -n", "unshare -r", "unshare -r -m", "unshare -f", "unshare -rf",
		"unshare -fp --mount-proc", "unshare -rfp --mount-proc", "nsenter -t " + P + " -U", "nsenter -t " + P + " -u"} {
		w := strings.Fields(tool)
		run := func(path string) Result {
			return Run(t, Cmd{Argv: []string{"bash", "-c", "trap '' ILL TRAP BUS FPE PROF SYS USR1; exec " + path + " " + strings.Join(w[1:], " ") + " grep SigIgn /proc/self/status"}})
		}
		t.Run(tool, func(t *testing.T) { Same(t, run(Applet(w[0])), run("/usr/bin/"+w[0])) })
	}
}

// TestForeignStageVariable: a _NSBOX_STAGE variable from elsewhere is
// not a handover: the applet works and the program gets the variable.
func TestForeignStageVariable(t *testing.T) {
	for _, v := range []string{"", "x", "3", "99"} {
		env := append(os.Environ(), "_NSBOX_STAGE="+v)
		for _, args := range [][]string{{"-n"}, {"-r"}, {"-f"}, {"-rf"}, {"-rfp", "--mount-proc"}, {"-r", "-m", "-R", "/"}} {
			argv := append(append([]string{Applet("unshare")}, args...), "sh", "-c", "echo \"[$_NSBOX_STAGE]\"")
			r := Run(t, Cmd{Argv: argv, Env: env, Files: []*os.File{os.Stdin}})
			Want(t, r, "["+v+"]\n", "", 0)
		}
	}
}

// TestUnwritableStderr: a failure message that cannot be written makes
// the exit status 1, as util-linux's check of stderr at exit does.
func TestUnwritableStderr(t *testing.T) {
	for _, args := range []string{"/nonexistent-nsbox", "-r /tmp", "-f /nonexistent-nsbox"} {
		for _, redir := range []string{"2>&-", "2>/dev/full"} {
			run := func(path string) Result {
				return Run(t, Cmd{Argv: []string{"sh", "-c", path + " " + args + " " + redir + "; echo rc=$?"}})
			}
			t.Run(args+" "+redir, func(t *testing.T) { Same(t, run(Applet("unshare")), run(sysUnshare)) })
		}
	}
}

// TestEmptyPathEntryBareName: an empty PATH entry runs the program by
// its bare name, so a script's $0 is "prog", not "./prog".
func TestEmptyPathEntryBareName(t *testing.T) {
	dir := TempDir(t)
	os.Chmod(dir, 0o755)
	if err := os.WriteFile(filepath.Join(dir, "nbprog"), []byte("#!/bin/sh\necho $0\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"PATH=", "PATH=/nonexistent-nsbox:"} {
		for _, mode := range [][]string{{}, {"-r"}, {"-f"}} {
			nb, ref := both(t, Cmd{Argv: append(append([]string{}, mode...), "nbprog"), Env: append(os.Environ(), path), Dir: dir})
			Want(t, nb, "nbprog\n", "", 0)
			Same(t, nb, ref)
		}
	}
}

// TestNsenterForkUnwritableStderr: nsenter's fork path, like the others,
// exits 1 when its message cannot be written.
func TestNsenterForkUnwritableStderr(t *testing.T) {
	self := itoa(os.Getpid())
	run := func(path string) Result {
		return Run(t, Cmd{Argv: []string{"sh", "-c", path + " -t " + self + " -p /nonexistent-nsbox 2>&-; echo rc=$?"}})
	}
	Want(t, run(Applet("nsenter")), "rc=1\n", "", 0)
	Same(t, run(Applet("nsenter")), run(sysNsenter))
}

// TestScriptWithoutShell: a script without #! in a root that has no
// /bin/sh fails with the shell's error, as glibc's execvp reports it
// (No such file or directory, 127), and a PATH search goes on past it.
func TestScriptWithoutShell(t *testing.T) {
	root := TempDir(t)
	os.WriteFile(root+"/noshebang.sh", []byte("echo hi\n"), 0o755)
	self := itoa(os.Getpid())
	env := []string{"PATH=/:/bin"}
	for _, c := range [][]string{
		{"unshare", "-R", root, "/noshebang.sh"},
		{"unshare", "-R", root, "noshebang.sh"},
		{"unshare", "-fp", "-R", root, "/noshebang.sh"},
		{"nsenter", "-t", self, "-m", "--root=" + root, "/noshebang.sh"},
		{"nsenter", "-t", self, "-m", "-p", "--root=" + root, "/noshebang.sh"},
		{"nsenter", "-t", self, "-m", "-p", "--root=" + root, "noshebang.sh"},
	} {
		nb := Run(t, Cmd{Argv: append([]string{Applet(c[0])}, c[1:]...), Env: env})
		ref := Run(t, Cmd{Argv: append([]string{"/usr/bin/" + c[0]}, c[1:]...), Env: env})
		Same(t, nb, ref)
		if nb.Code != 127 {
			t.Errorf("%v: %s", c, nb)
		}
	}
}

package tests

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// nsenter into another pid namespace through a user namespace: the
// pre-runtime stage enters everything in util-linux's order (the pid
// namespace in the passes), forks, and the parent waits in the stage while
// the child sets the ids and runs the program. These tests hold that path
// against util-linux.

// foreignTarget is a shell in its own user (made by nobody, so its root
// is uid 65534 outside), pid, mount and uts namespaces.
func foreignTarget(t *testing.T) string {
	t.Helper()
	c := Cmd{Argv: []string{sysUnshare, "-r", "-p", "-f", "-m", "--mount-proc", "-u", "sh", "-c", "hostname nbtfork; echo ready; exec sleep 1000"}, Nobody: true}
	u := StartReady(t, c).Process.Pid
	p := Children(u)[0]
	t.Cleanup(func() { syscall.Kill(p, syscall.SIGKILL) })
	return itoa(p)
}

// TestNsenterForkInStage: what the program sees and how nsenter ends.
func TestNsenterForkInStage(t *testing.T) {
	P := foreignTarget(t)
	dir := TempDir(t)
	noexec := fileIn(t, dir, "noexec", "#!/bin/sh\n", 0o644)
	script := fileIn(t, dir, "nohashbang", "echo plain script $#\n", 0o755)
	for _, args := range [][]string{{"-a"}, {"-U", "-p"}, {"-U", "-p", "-m", "-u"}} {
		for _, prog := range [][]string{
			{"sh", "-c", "id -u; id -g; hostname; ls /proc | grep -c '^1$'; [ $$ -gt 1 ] && echo in it"},
			{"sh", "-c", "exit 7"},
			{"sh", "-c", "kill -TERM $$"},
			{"sh", "-c", "kill -KILL $$"},
			{"sh", "-c", "kill -SEGV $$"},
			{"nbt-no-such-program"},
			{noexec},
			{script, "a", "b"},
			{"sh", "-c", "grep -E '^(SigIgn|SigBlk)' /proc/self/status"},
		} {
			sameEnter(t, append(append([]string{"-t", P}, args...), prog...)...)
		}
	}
	// As nobody, who owns the namespaces, with --preserve-credentials.
	nb, ref := bothEnter(t, Cmd{Argv: []string{"-t", P, "-U", "--preserve-credentials", "-p", "-m", "sh", "-c", "id -u; ls /proc | grep -c '^1$'; exit 3"}, Nobody: true})
	Same(t, nb, ref)
	Want(t, nb, "0\n1\n", "", 3)
	// -F: no fork, the program keeps our PID and its children are born
	// in the pid namespace.
	r := Run(t, Cmd{Argv: []string{"sh", "-c", `echo $$; exec "$0" "$@"`, Applet("nsenter"), "-t", P, "-U", "-p", "-F", "sh", "-c", "echo $$; sh -c 'echo $$'"}})
	if f := strings.Fields(r.Stdout); r.Code != 0 || len(f) != 3 || f[0] != f[1] || f[2] == f[0] {
		t.Errorf("-F: %s", r)
	}
}

// TestNsenterForkSignalsAndIds: the program inherits the signals ignored
// and blocked when nsenter started (SIGBUS too, which the Go runtime
// handles), and the waiting parent keeps its own ids, as in util-linux,
// whose parent forks before setgid/setuid.
func TestNsenterForkSignalsAndIds(t *testing.T) {
	P := foreignTarget(t)
	probe := "grep -E '^(SigIgn|SigBlk)' /proc/self/status"
	wrap := func(tool string) Result {
		return Run(t, Cmd{Argv: []string{"sh", "-c", `trap '' BUS PROF USR2 HUP; exec "$@"`, "sh", tool, "-t", P, "-a", "sh", "-c", probe}})
	}
	nb, ref := wrap(Applet("nsenter")), wrap(sysNsenter)
	Same(t, nb, ref)
	// What the program would see without nsenter in between (with
	// whatever this test was started with ignored as well).
	direct := Run(t, Cmd{Argv: []string{"sh", "-c", `trap '' BUS PROF USR2 HUP; exec "$@"`, "sh", "sh", "-c", probe}})
	Want(t, nb, direct.Stdout, "", 0)
	// The waiting parent: same uid as util-linux's (ours, not the
	// target's root, which is 65534 outside), and the same name (not
	// "63", the fd nsbox re-executes itself through).
	sameWaitingParent(t, "-t", P, "-a")
}

// sameWaitingParent runs nsenter with args and a sleep, through nsbox
// and util-linux, and compares the name and uids of the waiting parent.
func sameWaitingParent(t *testing.T, args ...string) {
	t.Helper()
	parent := func(tool string) string {
		c := StartReady(t, Cmd{Argv: append(append([]string{tool}, args...), "sh", "-c", "echo ready; exec sleep 1000")})
		defer func() {
			for _, k := range Children(c.Process.Pid) {
				syscall.Kill(k, syscall.SIGKILL)
			}
		}()
		b, _ := os.ReadFile("/proc/" + itoa(c.Process.Pid) + "/status")
		var out []string
		for _, l := range strings.Split(string(b), "\n") {
			if strings.HasPrefix(l, "Uid:") || strings.HasPrefix(l, "Gid:") || strings.HasPrefix(l, "Name:") {
				out = append(out, l)
			}
		}
		return strings.Join(out, "\n")
	}
	if got, want := parent(Applet("nsenter")), parent(sysNsenter); got != want || got == "" {
		t.Errorf("%v: waiting parent\n%s\nutil-linux's\n%s", args, got, want)
	}
}

// TestNsenterForkStopRelay: a stopped child stops the stage's waiting
// parent, and continuing the parent continues the child, as with
// util-linux.
func TestNsenterForkStopRelay(t *testing.T) {
	P := foreignTarget(t)
	for _, tool := range []string{Applet("nsenter"), sysNsenter} {
		stopRelay(t, tool, "-t", P, "-a")
	}
}

// stopRelay runs nsenter (tool) with args and a sleep, stops the sleep,
// waits for nsenter to stop too, continues nsenter, waits for the sleep
// to run again, and ends it with SIGTERM, which nsenter must end with.
func stopRelay(t *testing.T, tool string, args ...string) {
	t.Helper()
	n := StartReady(t, Cmd{Argv: append(append([]string{tool}, args...), "sh", "-c", "echo ready; exec sleep 1000")})
	var child int
	WaitFor(t, "nsenter's child to be sleep", func() bool {
		if k := Children(n.Process.Pid); len(k) == 1 {
			if comm, _ := os.ReadFile("/proc/" + itoa(k[0]) + "/comm"); string(comm) == "sleep\n" {
				child = k[0]
			}
		}
		return child != 0
	})
	syscall.Kill(child, syscall.SIGSTOP)
	WaitFor(t, "nsenter to stop", func() bool { return ProcState(n.Process.Pid) == "T" })
	syscall.Kill(n.Process.Pid, syscall.SIGCONT)
	WaitFor(t, "the child to run again", func() bool { return ProcState(child) == "S" })
	syscall.Kill(child, syscall.SIGTERM)
	if rc := WaitExit(t, n); rc != 128+int(syscall.SIGTERM) {
		t.Errorf("%s %v: exit %d, want 143", tool, args, rc)
	}
}

// TestNsenterForkFailures: a failure after the pid namespace was entered
// is reported by a forked child (the Go runtime cannot start in the
// parent any more), with util-linux's message and exit status, and
// nothing stays behind; a fork that fails is reported as util-linux does.
func TestNsenterForkFailures(t *testing.T) {
	P := foreignTarget(t)
	ns := "/proc/" + P + "/ns/"
	// The pid namespace is entered, then the mount namespace fails (a
	// pid namespace file where a mount one belongs).
	bad := []string{"--user=" + ns + "user", "--pid=" + ns + "pid", "--mount=" + ns + "pid", "true"}
	pidNS := NSLink(atoi(t, P), "pid")
	before := inPidNS(pidNS)
	for i := 0; i < 20; i++ {
		r := sameEnter(t, bad...)
		Want(t, r, "", "nsenter: reassociate to namespace 'ns/mnt' failed: Invalid argument\n", 1)
	}
	// The same with SIGCHLD ignored at start: the parent still waits for
	// the child that reports.
	for _, tool := range []string{Applet("nsenter"), sysNsenter} {
		r := Run(t, Cmd{Argv: append([]string{"sh", "-c", `trap '' CHLD; exec "$@"`, "sh", tool}, bad...)})
		Want(t, r, "", "nsenter: reassociate to namespace 'ns/mnt' failed: Invalid argument\n", 1)
	}
	if after := inPidNS(pidNS); after != before {
		t.Errorf("processes in the target's pid namespace: %d before, %d after", before, after)
	}
	// fork fails: a seccomp filter answers EAGAIN to every clone that
	// is not a thread (and ENOSYS to clone3, so that libc uses clone).
	nofork := noForkHelper(t)
	for _, args := range [][]string{{"-a"}, {"-U", "-p"}} {
		argv := append(append([]string{"-t", P}, args...), "true")
		nb := Run(t, Cmd{Argv: append([]string{nofork, Applet("nsenter")}, argv...)})
		ref := Run(t, Cmd{Argv: append([]string{nofork, sysNsenter}, argv...)})
		Same(t, nb, ref)
		Want(t, nb, "", "nsenter: fork failed: Resource temporarily unavailable\n", 1)
	}
}

// inPidNS counts the processes whose pid namespace is link.
func inPidNS(link string) int {
	n := 0
	ents, _ := os.ReadDir("/proc")
	for _, e := range ents {
		if pid, err := strconv.Atoi(e.Name()); err == nil && NSLink(pid, "pid") == link {
			n++
		}
	}
	return n
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// noForkHelper builds a small C program that installs the seccomp filter
// described in TestNsenterForkFailures and runs its arguments.
func noForkHelper(t *testing.T) string {
	t.Helper()
	dir := TempDir(t)
	src := filepath.Join(dir, "nofork.c")
	os.WriteFile(src, []byte(noForkSource), 0o644)
	out := filepath.Join(dir, "nofork")
	if b, err := exec.Command("cc", "-O2", "-o", out, src).CombinedOutput(); err != nil {
		t.Fatalf("cc: %v\n%s", err, b)
	}
	return out
}

const noForkSource = `#define _GNU_SOURCE
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 0, 7),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_clone3, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_clone, 0, 3),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[0])),
		BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, CLONE_THREAD, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EAGAIN),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = {.len = sizeof(f) / sizeof(f[0]), .filter = f};
	if (argc < 2 || prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) != 0) {
		perror("nofork");
		return 125;
	}
	execvp(argv[1], argv + 1);
	perror("nofork: exec");
	return 126;
}
`

// TestNsenterForkKeepsIgnored: nsenter's own fork into a pid namespace
// (no user namespace: Go forks) passes on SIGBUS and SIGPROF ignored as
// util-linux does; Go's fork would reset them, so the child is nsbox
// again, whose stage ignores them and execs the program.
func TestNsenterForkKeepsIgnored(t *testing.T) {
	p := itoa(target(t, false, "true", "-p", "-f", "-m", "--mount-proc"))
	dir := TempDir(t)
	noexec := fileIn(t, dir, "noexec", "#!/bin/sh\n", 0o644)
	script := fileIn(t, dir, "nohashbang", "echo plain script $#; grep SigIgn /proc/self/status\n", 0o755)
	wrap := []string{"sh", "-c", `trap '' BUS PROF HUP; exec "$@"`, "sh"}
	for _, prog := range [][]string{
		{"grep", "-E", "^Sig(Ign|Blk)", "/proc/self/status"},
		{"sh", "-c", "exit 7"},
		{"sh", "-c", "kill -TERM $$"},
		{"nbt-no-such-program"},
		{noexec},
		{script, "a"},
		{"/"},
	} {
		args := append([]string{"-t", p, "-p", "-m"}, prog...)
		nb := Run(t, Cmd{Argv: append(append(wrap, Applet("nsenter")), args...)})
		ref := Run(t, Cmd{Argv: append(append(wrap, sysNsenter), args...)})
		Same(t, nb, ref)
	}
	// The login shell, and the stop relay through that child.
	env := []string{"SHELL=/bin/sh", "PATH=/bin:/usr/bin"}
	nb := Run(t, Cmd{Argv: append(append(wrap, Applet("nsenter")), "-t", p, "-p"), Env: env, Stdin: "echo $0; grep SigIgn /proc/self/status\n"})
	direct := Run(t, Cmd{Argv: append(wrap, "grep", "SigIgn", "/proc/self/status")})
	Want(t, nb, "-sh\n"+direct.Stdout, "", 0)
	stopRelay(t, "sh", append(wrap[1:], Applet("nsenter"), "-t", p, "-p")...)
}

// TestNsenterForkIdsInChild: with -S/-G and a fork into a pid namespace,
// the child sets the ids and the waiting parent keeps ours, as in
// util-linux (Go's own fork cannot do that, so the child is nsbox again).
// A failed exec after the ids is reported by the child, without setting
// them twice.
func TestNsenterForkIdsInChild(t *testing.T) {
	p := itoa(target(t, false, "true", "-p", "-f", "-m", "--mount-proc"))
	dir := TempDir(t)
	script := fileIn(t, dir, "nohashbang", "echo plain script; id -u; id -G\n", 0o755)
	rootonly := fileIn(t, dir, "rootonly", "#!/bin/sh\n", 0o700)
	ids := []string{"-S", "65534", "-G", "65534"}
	for _, prog := range [][]string{
		{"sh", "-c", "id -u; id -g; id -G; grep -E '^Cap(Prm|Eff)' /proc/self/status"},
		{script},
		{"nbt-no-such-program"},
		{rootonly},
	} {
		for _, args := range [][]string{{"-t", p, "-p"}, {"-t", p, "-p", "-m"}} {
			sameEnter(t, append(append(args, ids...), prog...)...)
		}
	}
	sameWaitingParent(t, append([]string{"-t", p, "-p"}, ids...)...)
	sameWaitingParent(t, "-t", p, "-p", "-S", "65534")
	// Through a user namespace, with --keep-caps (Go's path: the stage
	// cannot raise capabilities; our uid is not mapped there, so the ids
	// are set before the fork): 2.42 raises them, the user namespace
	// being entered in the second pass. (2.38.1 has no --keep-caps.)
	P := foreignTarget(t)
	full := fullCaps(t)
	Want(t, nsenter(t, "-t", P, "-U", "-p", "--keep-caps", "sh", "-c", "id -u; grep CapAmb /proc/self/status"), "0\nCapAmb:\t"+full+"\n", "", 0)
}

// TestNsenterForkSelfOutOfReach: where nsbox cannot execute itself again
// from inside (the target's mount namespace has no /proc, or the fd
// limit leaves no room for the fd it keeps on itself), nsenter still runs
// the program as util-linux does; it never executes a path found there
// (argv[0] in a container could be another binary).
func TestNsenterForkSelfOutOfReach(t *testing.T) {
	noProc := itoa(target(t, false, "umount -l /proc", "-p", "-f", "-m", "--propagation", "private"))
	normal := itoa(target(t, false, "true", "-p", "-f", "-m", "--mount-proc"))
	for _, c := range []struct{ setup, target string }{
		{"trap '' SEGV BUS;", noProc},
		{"trap '' PROF; ulimit -n 64;", normal},
	} {
		for _, args := range [][]string{{"-m", "-p"}, {"-m", "-p", "-S", "65534", "-G", "65534"}, {"-a"}} {
			run := func(tool string) Result {
				argv := append(append([]string{"sh", "-c", c.setup + ` exec "$@"`, "sh", tool, "-t", c.target}, args...), "sh", "-c", "id -u; echo ran")
				return Run(t, Cmd{Argv: argv, Dir: bin})
			}
			// Run by a relative name, as "./nsenter" from its directory.
			nb, ref := run("./nsenter"), run(sysNsenter)
			Same(t, nb, ref)
			if !strings.HasSuffix(nb.Stdout, "ran\n") {
				t.Errorf("%q %v: %s", c.setup, args, nb)
			}
		}
	}
}

// fileIn writes a file named name into dir, with mode, and returns its path.
func fileIn(t *testing.T, dir, name, text string, mode os.FileMode) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(text), mode); err != nil {
		t.Fatal(err)
	}
	return path
}

package tests

import (
	"fmt"

	"golang.org/x/sys/unix"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

const sysNsenter = "/usr/bin/nsenter"

// nsenter runs nsbox's nsenter with argv[0] "nsenter".
func nsenter(t *testing.T, args ...string) Result {
	t.Helper()
	return Run(t, Cmd{Argv: append([]string{Applet("nsenter")}, args...), Arg0: "nsenter"})
}

func nsenterAs(t *testing.T, args ...string) Result {
	t.Helper()
	return Run(t, Cmd{Argv: append([]string{Applet("nsenter")}, args...), Nobody: true})
}

// bothEnter runs the same nsenter command line through nsbox and
// util-linux 2.38.1.
func bothEnter(t *testing.T, c Cmd) (nb, ref Result) {
	t.Helper()
	nbc, refc := c, c
	nbc.Argv = append([]string{Applet("nsenter")}, c.Argv...)
	refc.Argv = append([]string{sysNsenter}, c.Argv...)
	if !c.Nobody {
		nbc.Arg0, refc.Arg0 = "nsenter", "nsenter"
	}
	return Run(t, nbc), Run(t, refc)
}

func sameEnter(t *testing.T, args ...string) Result {
	t.Helper()
	nb, ref := bothEnter(t, Cmd{Argv: args})
	Same(t, nb, ref)
	return nb
}

// target starts util-linux's unshare with args around a shell that runs
// setup, says "ready" and sleeps, and returns the PID of that shell
// (inside the new namespaces); it is killed by PID at the end.
func target(t *testing.T, nobody bool, setup string, args ...string) int {
	t.Helper()
	script := setup + "; echo ready; exec sleep 1000"
	u := StartReady(t, Cmd{Argv: append(append([]string{sysUnshare}, args...), "sh", "-c", script), Nobody: nobody})
	pid := u.Process.Pid
	if kids := Children(pid); len(kids) == 1 {
		pid = kids[0] // with --fork, the child is the one inside
	}
	t.Cleanup(func() { syscall.Kill(pid, syscall.SIGKILL) })
	return pid
}

const tryEnter = "Try 'nsenter --help' for more information.\n"

// TestNsenterMessages is util-linux 2.42's error table (§2.5). 2.38.1
// words most of these differently (it has no pidfd path and no "no
// namespace specified"); where it agrees the test compares.
func TestNsenterMessages(t *testing.T) {
	self := strconv.Itoa(os.Getpid())
	for _, c := range []struct {
		args   []string
		stderr string
		code   int
	}{
		{nil, "nsenter: no namespace specified\n", 1},
		{[]string{"true"}, "nsenter: no namespace specified\n", 1},
		{[]string{"-t", "1"}, "nsenter: no namespace specified\n", 1},
		{[]string{"-m", "true"}, "nsenter: no target PID specified\n", 1},
		{[]string{"-N", "3", "true"}, "nsenter: no target PID specified\n", 1},
		{[]string{"--user-parent", "true"}, "nsenter: no target PID specified\n", 1},
		{[]string{"-a", "true"}, "nsenter: stat of /proc/0/ns/user failed: No such file or directory\n", 1},
		{[]string{"-t", "abc", "-n", "true"}, "nsenter: invalid PID argument\n", 1},
		{[]string{"-t", "0", "-n", "true"}, "nsenter: invalid PID argument\n", 1},
		{[]string{"-t", "-5", "-n", "true"}, "nsenter: invalid PID argument\n", 1},
		{[]string{"-t", "5x", "-n", "true"}, "nsenter: invalid PID argument\n", 1},
		{[]string{"-t", "5:", "-n", "true"}, "nsenter: invalid PID argument\n", 1},
		{[]string{"-t", "5:0", "-n", "true"}, "nsenter: invalid PID argument\n", 1},
		{[]string{"-t", "2147483648", "-n", "true"}, "nsenter: invalid PID argument\n", 1},
		{[]string{"-t", self + ":1", "-n", "true"}, "nsenter: failed to obtain a valid file descriptor for PID " + self + ": No such process\n", 1},
		{[]string{"-t", "999999", "-m", "true"}, "nsenter: cannot open /proc/999999/ns/mnt: No such file or directory\n", 1},
		{[]string{"--mount=/nonexistent", "true"}, "nsenter: cannot open /nonexistent: No such file or directory\n", 1},
		{[]string{"--net=/etc/passwd", "true"}, "nsenter: reassociate to namespace 'ns/net' failed: Invalid argument\n", 1},
		{[]string{"--net=/proc/self/ns/uts", "true"}, "nsenter: reassociate to namespace 'ns/net' failed: Invalid argument\n", 1},
		{[]string{"-t", self, "-U", "true"}, "nsenter: reassociate to namespaces failed: Invalid argument\n", 1},
		{[]string{"-w/tmp", "-W/tmp", "true"}, "nsenter: options --wd and --wdns cannot be combined\n", 1},
		{[]string{"-W/tmp", "--wd=/tmp", "true"}, "nsenter: options --wdns and --wd cannot be combined\n", 1},
		{[]string{"-t", self, "-n", "-W/nonexistent", "true"}, "nsenter: cannot open current working directory: No such file or directory\n", 1},
		{[]string{"-t", self, "-N", "99", "true"}, "nsenter: pidfd_getfd(3, 99): Bad file descriptor\n", 1},
		{[]string{"-N", "abc", "true"}, "nsenter: failed to parse file descriptor: 'abc'\n", 1},
		{[]string{"-N", "-1", "true"}, "nsenter: failed to parse file descriptor: '-1': Numerical result out of range\n", 1},
		{[]string{"-t", self, "-c", "true"}, "nsenter: --join-cgroup is only supported in cgroup v2\n", 1},
		{[]string{"-S", "root", "true"}, "nsenter: failed to parse uid: 'root'\n", 1},
		{[]string{"-G", "x", "true"}, "nsenter: failed to parse gid: 'x'\n", 1},
		{[]string{"-Z", "true"}, tryEnter, 1},
		{[]string{"-r", "-n/proc/self/ns/net", "true"}, "nsenter: neither filename nor target pid supplied for root\n", 1},
		{[]string{"-r=/", "-n/proc/self/ns/net", "true"}, "nsenter: cannot open =/: No such file or directory\n", 1},
		{[]string{"--mount=:abc", "true"}, "nsenter: failed to parse nsid: abc\n", 1},
		{[]string{"-n/proc/self/ns/net", "nosuchcmd-nsbox"}, "nsenter: failed to execute nosuchcmd-nsbox: No such file or directory\n", 127},
		{[]string{"-n/proc/self/ns/net", "/etc/passwd"}, "nsenter: failed to execute /etc/passwd: Permission denied\n", 126},
		{[]string{"--bogus"}, "nsenter: unrecognized option '--bogus'\n" + tryEnter, 1},
		{[]string{"--mount=x", "--m"}, "nsenter: cannot open x: No such file or directory\n", 1},
	} {
		Want(t, nsenter(t, c.args...), "", c.stderr, c.code)
	}
	// -N on a descriptor that is not a socket.
	r := Run(t, Cmd{Argv: []string{"sh", "-c", `exec 5</dev/null; "$0" -t $$ -N 5 true`, Applet("nsenter")}})
	WantMatch(t, r, "", `nsenter: ioctl\([0-9]+, SIOCGSKNS\): Inappropriate ioctl for device\n`, 1)
	// Where 2.38.1 says the same.
	for _, args := range [][]string{
		{"--mount=/nonexistent", "true"}, {"-t", "999999", "-m", "true"},
		{"-S", "root", "true"}, {"--bogus"}, {"-n/proc/self/ns/net", "nosuchcmd-nsbox"}, {"--net=/etc/passwd", "true"},
	} {
		sameEnter(t, args...)
	}
}

// TestNsenterEnters checks entering each namespace of a root-made target
// and compares what the program sees with util-linux's nsenter.
func TestNsenterEnters(t *testing.T) {
	p := target(t, false, "hostname nbtguest", "-u", "-i", "-n", "-m", "-p", "-f", "--mount-proc", "-C")
	for _, args := range [][]string{
		{"-t", itoa(p), "-u", "hostname"},
		{"-t", itoa(p), "-a", "hostname"},
		{"-t", itoa(p), "-m", "-u", "-i", "-n", "-p", "sh", "-c", "hostname; ls /proc | grep -c '^1$'"},
		{"-m", "-u", "-i", "-n", "-p", "-t", itoa(p), "hostname"},
		{"-t", itoa(p), "-u", "--", "hostname"},
		{"-t", itoa(p), "-n", "ip", "-br", "link"},
		{"-t", itoa(p), "--uts=/proc/" + itoa(p) + "/ns/uts", "hostname"},
		{"-t", itoa(p), "-u/proc/" + itoa(p) + "/ns/uts", "hostname"},
		{"-t", itoa(p), "-m", "pwd"},
		{"-t", itoa(p), "-m", "-w", "pwd"},
		{"-t", itoa(p), "-p", "-m", "sh", "-c", "exit 5"},
		{"-t", itoa(p), "-p", "-m", "sh", "-c", "kill -TERM $$"},
		{"-t", itoa(p), "-p", "-m", "sh", "-c", "kill -KILL $$"},
		{"-t", itoa(p), "-u", "sh", "-c", "kill -TERM $$"},
		{"-t", itoa(p), "-u", "-S", "65534", "-G", "65534", "id"},
	} {
		nb := sameEnter(t, args...)
		if nb.Code != 0 && nb.Code != 5 && nb.Code < 128 {
			t.Errorf("%v: %s", args, nb)
		}
	}
	Want(t, nsenter(t, "-t", itoa(p), "-u", "hostname"), "nbtguest\n", "", 0)
	// -t PID:INODE pins the target by its pidfd's inode (2.42).
	pidfd, err := unix.PidfdOpen(p, 0)
	if err != nil {
		t.Fatal(err)
	}
	var st unix.Stat_t
	unix.Fstat(pidfd, &st)
	unix.Close(pidfd)
	Want(t, nsenter(t, "-t", fmt.Sprintf("%d:%d", p, st.Ino), "-u", "hostname"), "nbtguest\n", "", 0)
	Want(t, nsenter(t, "-t", fmt.Sprintf("%d:%d", p, st.Ino+1), "-u", "hostname"), "",
		fmt.Sprintf("nsenter: failed to obtain a valid file descriptor for PID %d: No such process\n", p), 1)
	// =:NSID needs nsfs file handles (Linux 6.19); before that the
	// handle cannot be opened.
	WantMatch(t, nsenter(t, "--net=:12345", "true"), "", `nsenter: (cannot open namespace of id 12345|failed to fill namespace file handle): [A-Za-z ]+\n`, 1)
	// 2.42 strips one leading '=' from a namespace file, and has -S/-G
	// follow (2.38.1 has neither).
	Want(t, nsenter(t, "-u=/proc/"+itoa(p)+"/ns/uts", "hostname"), "nbtguest\n", "", 0)
	Want(t, nsenter(t, "--uts==/proc/"+itoa(p)+"/ns/uts", "hostname"), "nbtguest\n", "", 0)
	Want(t, nsenter(t, "-t", itoa(p), "-u", "-S", "follow", "-G", "follow", "sh", "-c", "id -u; id -g"), "0\n0\n", "", 0)
	Want(t, nsenter(t, "-t", itoa(p), "-p", "-m", "sh", "-c", "exit 5"), "", "", 5)
	// The entered pid namespace forks, and its program is not PID 1.
	r := nsenter(t, "-t", itoa(p), "-p", "-m", "sh", "-c", "echo $$")
	if r.Code != 0 || r.Stdout == "1\n" || r.Stdout == "" {
		t.Errorf("pid: %s", r)
	}
	// Without a pid namespace, or with -F, the program keeps our PID.
	for _, args := range [][]string{{"-u", "-n", "-m"}, {"-p", "-F"}, {"-a", "-F"}} {
		script := `echo $$; exec "$0" "$@" sh -c 'echo $$'`
		argv := append([]string{"sh", "-c", script, Applet("nsenter"), "-t", itoa(p)}, args...)
		r := Run(t, Cmd{Argv: argv})
		f := strings.Fields(r.Stdout)
		if r.Code != 0 || len(f) != 2 || f[0] != f[1] {
			t.Errorf("%v changed the PID: %s", args, r)
		}
	}
	// A mount namespace: cwd is its root unless -w; -W is a path inside.
	Want(t, Run(t, Cmd{Argv: []string{Applet("nsenter"), "-t", itoa(p), "-m", "pwd"}, Dir: "/tmp"}), "/\n", "", 0)
	wd, _ := os.Getwd() // the target's, where the test started it
	Want(t, Run(t, Cmd{Argv: []string{Applet("nsenter"), "-t", itoa(p), "-m", "-w", "pwd"}, Dir: "/tmp"}), wd+"\n", "", 0)
	Want(t, Run(t, Cmd{Argv: []string{Applet("nsenter"), "-t", itoa(p), "-m", "-W/proc", "pwd"}, Dir: "/tmp"}), "/proc\n", "", 0)
	Want(t, Run(t, Cmd{Argv: []string{Applet("nsenter"), "-t", itoa(p), "-m", "-w/etc", "pwd"}, Dir: "/tmp"}), "/etc\n", "", 0)
}

// TestNsenterRootAndEnv: -r and -w of a chrooted target, -e.
func TestNsenterRootAndEnv(t *testing.T) {
	chr := makeChroot(t)
	os.WriteFile(filepath.Join(chr, "data", "marker"), []byte("in-root\n"), 0o644)
	p := target(t, false, "cd /data", "-R", chr, "-f")
	P := itoa(p)
	Want(t, nsenter(t, "-t", P, "-u", "-r", "-w", "/bin/cat", "marker"), "in-root\n", "", 0)
	// Without -w the working directory stays ours, outside the new root.
	sameEnter(t, "-t", P, "-u", "-r", "/bin/pwd")
	Want(t, nsenter(t, "-t", P, "-u", "-r", "-w", "/bin/pwd"), "/data\n", "", 0)
	Want(t, nsenter(t, "-t", P, "-u", "-r", "-W/data", "/bin/pwd"), "/data\n", "", 0)
	sameEnter(t, "-t", P, "-u", "-r", "-w", "/bin/cat", "marker")
	// -r DIR and -w DIR name directories of ours, opened before entering.
	Want(t, nsenter(t, "-t", P, "-u", "-r"+chr, "-w"+filepath.Join(chr, "data"), "/bin/cat", "marker"), "in-root\n", "", 0)
	// The target's environment, in util-linux's (reversed) order.
	// os/exec would merge the duplicate names: start it by hand.
	for _, c := range []struct {
		env  []string
		want string
	}{
		{[]string{"A=1", "B=2", "NOEQ", "A=3"}, "A=3\nB=2\n"},
		{[]string{}, ""},
	} {
		pid, err := syscall.ForkExec("/bin/sleep", []string{"sleep", "1000"}, &syscall.ProcAttr{Env: c.env})
		if err != nil {
			t.Fatal(err)
		}
		WaitFor(t, "sleep", func() bool {
			b, _ := os.ReadFile(fmt.Sprintf("/proc/%d/comm", pid))
			return string(b) == "sleep\n"
		})
		Want(t, nsenter(t, "-t", itoa(pid), "-u", "-e", "/usr/bin/env"), c.want, "", 0)
		syscall.Kill(pid, syscall.SIGKILL)
		syscall.Wait4(pid, nil, 0, nil)
	}
}

// TestNsenterUserNamespace: an unprivileged user's container (BR-27),
// as that user, with util-linux 2.42's pidfd messages.
func TestNsenterUserNamespace(t *testing.T) {
	var u int
	c := Cmd{Argv: []string{sysUnshare, "-r", "-p", "-f", "-m", "--mount-proc", "-u", "sh", "-c", "hostname nbtinner; echo ready; exec sleep 1000"}, Nobody: true}
	proc := StartReady(t, c)
	u = proc.Process.Pid
	p := Children(u)[0]
	t.Cleanup(func() { syscall.Kill(p, syscall.SIGKILL) })
	P, U := itoa(p), itoa(u)
	// 2.38.1 names the namespace ('ns/pid'): it enters file by file.
	Want(t, nsenterAs(t, "-t", P, "-p", "-m", "true"), "", "nsenter: reassociate to namespaces failed: Operation not permitted\n", 1)
	Want(t, nsenterAs(t, "-t", P, "-U", "-p", "-m", "true"), "", "nsenter: setgroups failed: Operation not permitted\n", 1)
	Want(t, nsenterAs(t, "-t", U, "-U", "--preserve-credentials", "-p", "-m", "true"), "", "nsenter: reassociate to namespaces failed: Operation not permitted\n", 1)
	Want(t, nsenterAs(t, "-t", P, "-U", "--preserve-credentials", "-p", "-m", "-u", "sh", "-c", "id -u; hostname; ls /proc | grep -c '^1$'"), "0\nnbtinner\n1\n", "", 0)
	nb, ref := bothEnter(t, Cmd{Argv: []string{"-t", P, "-U", "--preserve-credentials", "-u", "sh", "-c", "id; hostname"}, Nobody: true})
	Same(t, nb, ref)
	// Root joining it: uid and gid 0 inside.
	sameEnter(t, "-t", P, "-U", "-u", "id")
	sameEnter(t, "-t", P, "-a", "sh", "-c", "id; hostname")
	Want(t, nsenter(t, "-t", P, "-a", "id", "-u"), "0\n", "", 0)
	// The program keeps nsenter's PID through the user namespace.
	for _, args := range [][]string{{"-U", "--preserve-credentials", "-u"}, {"-U", "--preserve-credentials"}} {
		script := `echo $$; exec "$0" "$@" sh -c 'echo $$'`
		argv := append([]string{"sh", "-c", script, Applet("nsenter"), "-t", P}, args...)
		r := Run(t, Cmd{Argv: argv, Nobody: true})
		f := strings.Fields(r.Stdout)
		if r.Code != 0 || len(f) != 2 || f[0] != f[1] {
			t.Errorf("%v changed the PID: %s", args, r)
		}
	}
	// --keep-caps: util-linux 2.42's quirk, kept: with -U alone the user
	// namespace is entered in the first pass and no capability is made
	// ambient; with another namespace it is.
	full := fullCaps(t)
	Want(t, nsenterAs(t, "-t", P, "-U", "--preserve-credentials", "--keep-caps", "grep", "CapAmb", "/proc/self/status"), "CapAmb:\t0000000000000000\n", "", 0)
	Want(t, nsenterAs(t, "-t", P, "-U", "--preserve-credentials", "-u", "--keep-caps", "grep", "CapAmb", "/proc/self/status"), "CapAmb:\t"+full+"\n", "", 0)
	// --user-parent: the parent of the container's user namespace is
	// ours, which cannot be entered again.
	Want(t, nsenter(t, "-t", P, "--user-parent", "true"), "", "nsenter: reassociate to namespace 'ns/user' failed: Invalid argument\n", 1)
	// PID 2 (kthreadd) is in the initial user namespace, which has no
	// parent.
	Want(t, nsenter(t, "-t", "2", "--user-parent", "true"), "", "nsenter: failed to open parent namespace: Operation not permitted\n", 1)
	// -a skips the caller's own user namespace (2.38.1 does too).
	sameEnter(t, "-a", "-t", itoa(os.Getpid()), "true")
	// BR-24: -a as nobody on root's processes.
	Want(t, nsenterAs(t, "-a", "-t", "2", "true"), "", "nsenter: stat of /proc/2/ns/user failed: Permission denied\n", 1)
	self := itoa(os.Getpid())
	Want(t, nsenterAs(t, "-a", "-t", self, "true"), "", "nsenter: stat of /proc/"+self+"/ns/user failed: Permission denied\n", 1)
	// BR-28 (2.42's wording).
	Want(t, nsenterAs(t, "-t", "2", "-i", "true"), "", "nsenter: reassociate to namespaces failed: Operation not permitted\n", 1)
}

// TestNsenterTime: joining a time namespace (pre-runtime stage) and its
// offsets.
func TestNsenterTime(t *testing.T) {
	p := target(t, false, "true", "-T", "--boottime", "1000000", "-f")
	for _, extra := range [][]string{{"-T"}, {"-a"}, {"-T", "-F"}, {"--time=/proc/" + itoa(p) + "/ns/time"}} {
		args := append(append([]string{"-t", itoa(p)}, extra...), "cat", "/proc/uptime")
		r := nsenter(t, args...)
		up, err := strconv.ParseFloat(strings.Fields(r.Stdout + " x")[0], 64)
		if r.Code != 0 || err != nil || up < 1000000 {
			t.Errorf("%v: %s", extra, r)
		}
	}
	// The cgo-less build says why it cannot.
	r := Run(t, Cmd{Argv: []string{filepath.Join(bin, "nsbox-nocgo"), "nsenter", "-t", itoa(p), "-T", "true"}})
	Want(t, r, "", "nsenter: entering a user or time namespace needs nsbox built with cgo (the pre-runtime stage)\n", 1)
	r = Run(t, Cmd{Argv: []string{filepath.Join(bin, "nsbox-nocgo"), "nsenter", "-t", itoa(p), "-m", "-p", "sh", "-c", "exit 4"}})
	Want(t, r, "", "", 4)
	// A time namespace that is already ours needs no joining, so -a on
	// an ordinary target works without the stage.
	q := target(t, false, "hostname nbttime", "-u", "-f")
	r = Run(t, Cmd{Argv: []string{filepath.Join(bin, "nsbox-nocgo"), "nsenter", "-t", itoa(q), "-a", "hostname"}})
	Want(t, r, "nbttime\n", "", 0)
}

// TestNsenterSocket: -N enters the network namespace of a socket the
// target holds (util-linux's enter-via-socket test).
func TestNsenterSocket(t *testing.T) {
	// A socket made inside a new network namespace, kept by a process
	// that then leaves it (python is not needed: bash's /dev/udp does).
	d := TempDir(t)
	script := `exec 7<>/dev/udp/127.0.0.1/9 2>/dev/null || exec 7</dev/null; readlink /proc/self/ns/net > ` + d + `/ns; echo ready; exec sleep 1000`
	u := StartReady(t, Cmd{Argv: []string{sysUnshare, "-n", "bash", "-c", "ip link set lo up; " + script}})
	want, _ := os.ReadFile(filepath.Join(d, "ns"))
	r := nsenter(t, "--target", itoa(u.Process.Pid), "--net-socket", "7", "readlink", "/proc/self/ns/net")
	Want(t, r, string(want), "", 0)
}

// TestNsenterStopRelay: a stopped child stops nsenter; continuing
// nsenter continues the child.
func TestNsenterStopRelay(t *testing.T) {
	p := target(t, false, "true", "-p", "-f", "-m", "--mount-proc")
	stopRelay(t, Applet("nsenter"), "-t", itoa(p), "-p")
}

// TestNsenterFdHygiene: the program sees only what it was given.
func TestNsenterFdHygiene(t *testing.T) {
	p := target(t, false, "true", "-u", "-n", "-m", "-p", "-f", "-r")
	probe := []string{"sh", "-c", "ls /proc/self/fd | tr '\\n' ' '; env | grep -c NSBOX"}
	baseline := Run(t, Cmd{Argv: probe})
	for _, args := range [][]string{{"-u"}, {"-a"}, {"-a", "-F"}, {"-U", "-u"}, {"-u", "-r", "-w", "-e"}, {"-p", "-m"}} {
		c := Cmd{Argv: append(append([]string{Applet("nsenter"), "-t", itoa(p)}, args...), probe...)}
		Same(t, Run(t, c), baseline)
	}
}

// TestNsenterLoginShell is BR-21's nsenter part.
func TestNsenterLoginShell(t *testing.T) {
	r := Run(t, Cmd{Argv: []string{Applet("nsenter"), "-t", itoa(os.Getpid()), "-u"}, Env: []string{"SHELL=/bin/sh", "PATH=/bin:/usr/bin"}, Stdin: "echo $0\n"})
	Want(t, r, "-sh\n", "", 0)
}

// TestNsenterCases: BR-22 and BR-29 (nsenter's parts), 2.42 wording.
func TestNsenterCases(t *testing.T) {
	self := itoa(os.Getpid())
	Want(t, nsenter(t, "-t", self, "-n", "nosuchcmd-xyz"), "", "nsenter: failed to execute nosuchcmd-xyz: No such file or directory\n", 127)
	Want(t, nsenter(t, "-t", self, "-n", "/etc/passwd"), "", "nsenter: failed to execute /etc/passwd: Permission denied\n", 126)
	p := target(t, false, "hostname brguest", "-u", "-i", "-n", "-m", "-p", "-f", "--mount-proc")
	P := itoa(p)
	// 2.38.1: "neither filename nor target pid supplied for ns/net".
	Want(t, nsenter(t, "-n", "/proc/2/ns/net", "true"), "", "nsenter: no target PID specified\n", 1)
	Want(t, nsenter(t, "--net", "/proc/2/ns/net", "true"), "", "nsenter: no target PID specified\n", 1)
	Want(t, nsenter(t, "-n/proc/2/ns/net", "echo", "ok"), "ok\n", "", 0)
	Want(t, nsenter(t, "--net=/proc/2/ns/net", "echo", "ok"), "ok\n", "", 0)
	Want(t, nsenter(t, "-t", P, "-muinp", "hostname"), "", "nsenter: cannot open uinp: No such file or directory\n", 1)
	Want(t, nsenter(t, "-m", "-u", "-i", "-n", "-p", "-t", P, "hostname"), "brguest\n", "", 0)
	Want(t, nsenter(t, "-t", P, "-u", "--", "hostname"), "brguest\n", "", 0)
	host, _ := os.Hostname()
	// 2.42.2 still takes the last -t (master refuses a second one).
	Want(t, nsenter(t, "-t", P, "-t", "2", "-u", "hostname"), host+"\n", "", 0)
	Want(t, nsenter(t, "-n", "true"), "", "nsenter: no target PID specified\n", 1)
	Want(t, nsenter(t, "true"), "", "nsenter: no namespace specified\n", 1)
	// BR-19: --keep-caps exists (2.40+).
	Want(t, nsenter(t, "--keep-caps", "-t", "2", "-n", "true"), "", "", 0)
}

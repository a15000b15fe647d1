// Package tests runs the real nsbox binary, built once per test run, on
// real namespaces, and compares it with the system tools where util-linux
// 2.38.1 / iproute2 6.1 and the versions nsbox follows agree.
package tests

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// bin is the directory holding the freshly built binaries and their applet
// links: bin/nsbox (cgo, with the pre-runtime stage), bin/nsbox-nocgo,
// bin/nsbox-static (musl, as released), bin/{unshare,nsenter,lsns,ip} ->
// nsbox and bin/static/{unshare,nsenter,ip} -> nsbox-static. It is
// world-readable so tests can run the binary as nobody.
var bin string

func TestMain(m *testing.M) {
	os.Exit(runMain(m))
}

func runMain(m *testing.M) int {
	dir, err := os.MkdirTemp("", "nsbox-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	bin = dir
	if err := os.Chmod(dir, 0o755); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	builds := []struct {
		out   string
		env   []string
		flags []string
	}{
		{"nsbox", []string{"CGO_ENABLED=1"}, nil},
		{"nsbox-nocgo", []string{"CGO_ENABLED=0"}, nil},
		// The release build: static, with musl, whose libc behaves
		// differently in places (setuid and friends signal threads).
		{"nsbox-static", []string{"CGO_ENABLED=1", "CC=musl-gcc"}, []string{"-ldflags", "-linkmode external -extldflags -static"}},
	}
	for _, b := range builds {
		args := append(append([]string{"build"}, b.flags...), "-o", filepath.Join(dir, b.out), "..")
		cmd := exec.Command("go", args...)
		cmd.Env = append(os.Environ(), b.env...)
		cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
		if err := cmd.Run(); err != nil {
			fmt.Fprintf(os.Stderr, "building %s: %v\n", b.out, err)
			return 1
		}
	}
	for _, name := range []string{"unshare", "nsenter", "lsns", "ip", "ip-netns-lite"} {
		if err := os.Symlink("nsbox", filepath.Join(dir, name)); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
	}
	if err := os.Mkdir(filepath.Join(dir, "static"), 0o755); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	for _, name := range []string{"unshare", "nsenter", "ip"} {
		if err := os.Symlink("../nsbox-static", filepath.Join(dir, "static", name)); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
	}
	return m.Run()
}

// Result is what one command did.
type Result struct {
	Stdout, Stderr string
	Code           int // exit code, or 128+N when killed by signal N (as a shell reports it)
}

func (r Result) String() string {
	return fmt.Sprintf("rc=%d\nstdout=%q\nstderr=%q", r.Code, r.Stdout, r.Stderr)
}

// Cmd describes a command to run.
type Cmd struct {
	Argv   []string
	Env    []string // replaces the environment when non-nil
	Stdin  string
	Nobody bool // run through setpriv as uid/gid 65534 with no groups
	Dir    string
	Arg0   string     // argv[0] the program sees, when it differs from its path
	Files  []*os.File // extra fds 3, 4, ... for the program
}

// Run runs c and waits for it, with a generous timeout so that a hang
// fails the test instead of the whole run.
func Run(t *testing.T, c Cmd) Result {
	t.Helper()
	cmd := command(t, c)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %q: %v", cmd.Args, err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(60 * time.Second):
		cmd.Process.Kill()
		<-done
		t.Fatalf("%q did not finish in 60s", cmd.Args)
	}
	return Result{Stdout: out.String(), Stderr: errb.String(), Code: exitCode(cmd.ProcessState)}
}

// command builds the exec.Cmd for c; stdout and stderr are the caller's.
func command(t *testing.T, c Cmd) *exec.Cmd {
	t.Helper()
	argv := c.Argv
	if c.Nobody {
		if c.Arg0 != "" {
			t.Fatal("Cmd.Arg0 cannot pass through setpriv")
		}
		argv = append([]string{"setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"}, argv...)
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	if c.Arg0 != "" {
		cmd.Args[0] = c.Arg0
	}
	if c.Env != nil {
		cmd.Env = c.Env
	}
	cmd.Dir = c.Dir
	cmd.ExtraFiles = c.Files
	cmd.Stdin = strings.NewReader(c.Stdin)
	return cmd
}

func exitCode(ps *os.ProcessState) int {
	ws := ps.Sys().(syscall.WaitStatus)
	if ws.Signaled() {
		return 128 + int(ws.Signal())
	}
	return ws.ExitStatus()
}

// NB runs an nsbox applet (through its link in bin) with the given args.
func NB(t *testing.T, applet string, args ...string) Result {
	t.Helper()
	return Run(t, Cmd{Argv: append([]string{filepath.Join(bin, applet)}, args...)})
}

// Sys runs a system command.
func Sys(t *testing.T, argv ...string) Result {
	t.Helper()
	return Run(t, Cmd{Argv: argv})
}

// Applet is the path of an nsbox applet link.
func Applet(name string) string { return filepath.Join(bin, name) }

// StaticApplet is the path of applet name in the static (musl) build.
func StaticApplet(name string) string { return filepath.Join(bin, "static", name) }

// Want asserts an exact result.
func Want(t *testing.T, r Result, stdout, stderr string, code int) {
	t.Helper()
	if r.Stdout != stdout || r.Stderr != stderr || r.Code != code {
		t.Errorf("got:\n%s\nwant:\nrc=%d\nstdout=%q\nstderr=%q", r, code, stdout, stderr)
	}
}

// WantMatch asserts the exit code and that stdout and stderr match the
// anchored regular expressions (for PIDs and inode numbers).
func WantMatch(t *testing.T, r Result, stdout, stderr string, code int) {
	t.Helper()
	okOut := regexp.MustCompile(`^(?s:` + stdout + `)$`).MatchString(r.Stdout)
	okErr := regexp.MustCompile(`^(?s:` + stderr + `)$`).MatchString(r.Stderr)
	if !okOut || !okErr || r.Code != code {
		t.Errorf("got:\n%s\nwant (regexp):\nrc=%d\nstdout=%s\nstderr=%s", r, code, stdout, stderr)
	}
}

// Same asserts that two results are identical (differential tests).
func Same(t *testing.T, got, ref Result) {
	t.Helper()
	if got != ref {
		t.Errorf("nsbox differs from the reference tool:\nnsbox:\n%s\nreference:\n%s", got, ref)
	}
}

// Background starts a long-running command and returns it; the caller must
// kill it by PID (Kill) so that nothing is left behind.
func Background(t *testing.T, c Cmd) *exec.Cmd {
	t.Helper()
	cmd := command(t, c)
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %q: %v", cmd.Args, err)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
	})
	return cmd
}

// WaitFor polls cond (reading /proc, a ready file...) until it holds, and
// fails the test after 20s. It is an event wait, not a sleep: it returns
// as soon as the condition is seen.
func WaitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// NSLink reads /proc/PID/ns/NAME ("net:[4026531840]"), or "" if unreadable.
func NSLink(pid int, name string) string {
	s, _ := os.Readlink(fmt.Sprintf("/proc/%d/ns/%s", pid, name))
	return s
}

// TempDir makes a world-accessible temporary directory removed at the end
// of the test.
func TempDir(t *testing.T) string {
	t.Helper()
	d := t.TempDir()
	for p := d; p != "/" && p != os.TempDir(); p = filepath.Dir(p) {
		os.Chmod(p, 0o755)
	}
	return d
}

// StartReady starts c with its stdout on a pipe and waits until the
// program prints a line "ready": the program's own signal that it has
// set itself up. It returns the process (killed by PID at cleanup).
func StartReady(t *testing.T, c Cmd) *exec.Cmd {
	t.Helper()
	cmd := command(t, c)
	cmd.Stdout = nil
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %q: %v", cmd.Args, err)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
	})
	line := make(chan string, 1)
	go func() {
		var b [64]byte
		var acc []byte
		for {
			n, err := out.Read(b[:])
			acc = append(acc, b[:n]...)
			if bytes.Contains(acc, []byte("ready\n")) || err != nil {
				line <- string(acc)
				io.Copy(io.Discard, out)
				return
			}
		}
	}()
	select {
	case l := <-line:
		if !strings.Contains(l, "ready\n") {
			t.Fatalf("%q ended before it was ready: %q", cmd.Args, l)
		}
	case <-time.After(20 * time.Second):
		t.Fatalf("%q never got ready", cmd.Args)
	}
	return cmd
}

// Children lists the children of pid (from /proc/PID/task/PID/children).
func Children(pid int) []int {
	b, _ := os.ReadFile(fmt.Sprintf("/proc/%d/task/%d/children", pid, pid))
	var out []int
	for _, f := range strings.Fields(string(b)) {
		var n int
		fmt.Sscan(f, &n)
		out = append(out, n)
	}
	return out
}

// ProcState is the state letter of pid ("S", "Z"...), or "" once it is gone.
func ProcState(pid int) string {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return ""
	}
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 || i+2 >= len(s) {
		return ""
	}
	return s[i+2 : i+3]
}

// WaitExit waits for cmd and returns its exit code as a shell reports it.
func WaitExit(t *testing.T, cmd *exec.Cmd) int {
	t.Helper()
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatalf("%q did not exit", cmd.Args)
	}
	return exitCode(cmd.ProcessState)
}

// PrivateDir mounts a private tmpfs on a new temporary directory, so that
// bind mounts made there never propagate and are all removed at the end.
func PrivateDir(t *testing.T) string {
	t.Helper()
	d := TempDir(t)
	if r := Sys(t, "mount", "-t", "tmpfs", "-o", "mode=0755", "nbtmp", d); r.Code != 0 {
		t.Fatalf("mount tmpfs: %s", r)
	}
	t.Cleanup(func() { Sys(t, "umount", "-R", "-l", d) })
	if r := Sys(t, "mount", "--make-private", d); r.Code != 0 {
		t.Fatalf("make-private: %s", r)
	}
	return d
}

// SharedDir mounts a shared tmpfs on dir/name (under a PrivateDir),
// unmounted at the end of the test.
func SharedDir(t *testing.T, dir, name string) string {
	t.Helper()
	d := filepath.Join(dir, name)
	os.Mkdir(d, 0o755)
	if r := Sys(t, "mount", "-t", "tmpfs", "nbtshared", d); r.Code != 0 {
		t.Fatalf("mount tmpfs: %s", r)
	}
	t.Cleanup(func() { Sys(t, "umount", "-l", d) })
	if r := Sys(t, "mount", "--make-shared", d); r.Code != 0 {
		t.Fatalf("make-shared: %s", r)
	}
	return d
}

// MountsUnder lists the mountinfo lines whose mount point is under dir.
func MountsUnder(dir string) []string {
	b, _ := os.ReadFile("/proc/self/mountinfo")
	var out []string
	for _, l := range strings.Split(string(b), "\n") {
		f := strings.Fields(l)
		if len(f) > 4 && strings.HasPrefix(f[4], dir+"/") {
			out = append(out, l)
		}
	}
	return out
}

package tests

// unshare's --kill-child and --forward-signals under load: the machine
// is kept busy (a busy loop per CPU, unshare instances of both tools
// starting and ending all the time, and many instances under test at
// once) while the parent-death signal and signal forwarding are checked,
// side by side with util-linux where 2.38.1 has the option.
//
// Everything waits for events: a line the program writes to a pipe,
// /proc, or a process's end. Deadlines are failure guards only. The test
// process is a child subreaper meanwhile, so that a child whose unshare
// died becomes the test's own and its exact end can be read; every
// process the test did not start itself is named by a pidfd, so no
// signal or wait of the test can reach another process that reused its
// PID, and all are killed and reaped at the end.

import (
	"bufio"
	"context"
	"encoding/binary"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

const (
	loadParents  = 20               // concurrent unshare instances per tool and form
	loadSignals  = 100              // signals each program must acknowledge, one at a time
	loadDeadline = 30 * time.Second // failure guard for any one wait
	// probeSignal is sent to a child once its unshare is dead. Pending
	// signals are delivered lowest number first, so a child that the
	// parent-death signal (a lower number) reached dies of that one, and
	// one that it did not reach dies of this one at once, instead of the
	// test waiting for a death that never comes.
	probeSignal = syscall.Signal(64) // SIGRTMAX: terminates by default
)

// procEnd is exactly how a process ended: its exit code, or the signal
// that killed it (the harness's Result.Code cannot tell 143 from
// SIGTERM).
type procEnd struct {
	signaled bool
	n        int
}

func exitedWith(code int) procEnd       { return procEnd{n: code} }
func killedBy(s syscall.Signal) procEnd { return procEnd{signaled: true, n: int(s)} }

func (e procEnd) String() string {
	if !e.signaled {
		return fmt.Sprintf("exit %d", e.n)
	}
	if name := unix.SignalName(syscall.Signal(e.n)); name != "" {
		return "killed by " + name
	}
	return fmt.Sprintf("killed by signal %d", e.n)
}

func procEndOf(ps *os.ProcessState) procEnd {
	ws := ps.Sys().(syscall.WaitStatus)
	if ws.Signaled() {
		return killedBy(ws.Signal())
	}
	return exitedWith(ws.ExitStatus())
}

// sigName is the name a shell's trap uses: "TERM".
func sigName(s syscall.Signal) string { return strings.TrimPrefix(unix.SignalName(s), "SIG") }

// loadUntil polls cond (it reads /proc or reaps) until it holds. It returns
// as soon as cond is seen; the deadline only turns a hang into a failure.
func loadUntil(what string, cond func() bool) error {
	deadline := time.Now().Add(loadDeadline)
	for !cond() {
		if time.Now().After(deadline) {
			return fmt.Errorf("timed out (%v) waiting for %s", loadDeadline, what)
		}
		time.Sleep(2 * time.Millisecond)
	}
	return nil
}

// started is a process the test started (an unshare), with its stdout
// and stderr in a file. It is killed by PID and reaped at the end of the
// test that started it.
type started struct {
	name string // argv up to the program, for messages
	cmd  *exec.Cmd
	done chan struct{} // closed once it is reaped
	out  string        // the file with its stdout and stderr
}

func startLogged(t *testing.T, argv []string, files ...*os.File) (*started, error) {
	t.Helper()
	f, err := os.CreateTemp(t.TempDir(), "out")
	if err != nil {
		return nil, err
	}
	defer f.Close()
	// env resets every signal to its default first, so that the test
	// means the same however it was started (nohup, a shell's background
	// job with SIGINT ignored...). It execs, keeping the PID.
	cmd := command(t, Cmd{Argv: append([]string{"env", "--default-signal"}, argv...), Files: files})
	cmd.Stdout, cmd.Stderr = f, f
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	p := &started{name: fmt.Sprintf("%q", argv), cmd: cmd, done: make(chan struct{}), out: f.Name()}
	if i := argIndex(argv, "sh"); i > 0 {
		p.name = fmt.Sprintf("%q", argv[:i])
	}
	go func() { cmd.Wait(); close(p.done) }()
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGKILL)
		<-p.done
	})
	return p, nil
}

func (p *started) pid() int { return p.cmd.Process.Pid }

func argIndex(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return -1
}

// wait waits for the process to end (failure guard: loadDeadline).
func (p *started) wait() (procEnd, error) {
	select {
	case <-p.done:
		return procEndOf(p.cmd.ProcessState), nil
	case <-time.After(loadDeadline):
		return procEnd{}, fmt.Errorf("%s (pid %d) did not end in %v", p.name, p.pid(), loadDeadline)
	}
}

// output is what it wrote on stdout and stderr so far.
func (p *started) output() string {
	b, _ := os.ReadFile(p.out)
	return string(b)
}

// kin are the test's descendants that it did not start itself. While it
// lives the test is a child subreaper: such a process becomes the test's
// child when its parent dies, and reap reads its end.
type kin struct {
	t     *testing.T
	mu    sync.Mutex
	procs []*relative
}

type relative struct {
	pid int
	fd  int      // a pidfd
	end *procEnd // once the test has reaped it
}

// newKin makes the test a subreaper until it ends; at the end every
// relative still there is killed and reaped, and any other process the
// test adopted meanwhile is reported (and reaped) as left behind. Call it
// before starting anything, so that its cleanup runs last.
func newKin(t *testing.T) *kin {
	t.Helper()
	if err := unix.Prctl(unix.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0); err != nil {
		t.Fatalf("PR_SET_CHILD_SUBREAPER: %v", err)
	}
	k := &kin{t: t}
	t.Cleanup(k.cleanup)
	return k
}

func (k *kin) track(pid int) (*relative, error) {
	fd, err := unix.PidfdOpen(pid, 0)
	if err != nil {
		return nil, fmt.Errorf("pidfd_open(%d): %v", pid, err)
	}
	r := &relative{pid: pid, fd: fd}
	k.mu.Lock()
	k.procs = append(k.procs, r)
	k.mu.Unlock()
	return r, nil
}

func (r *relative) signal(s syscall.Signal) error { return unix.PidfdSendSignal(r.fd, s, nil, 0) }

// gone tells whether it has been reaped, by the test or by its parent.
func (r *relative) gone() bool {
	return r.end != nil || unix.PidfdSendSignal(r.fd, 0, nil, 0) == unix.ESRCH
}

// reap reaps it if it has ended and is the test's child (ECHILD: it is
// not, or not yet); it does not block.
func (r *relative) reap() (bool, error) {
	if r.end != nil {
		return true, nil
	}
	var info unix.Siginfo
	if err := unix.Waitid(unix.P_PIDFD, r.fd, &info, unix.WEXITED|unix.WNOHANG, nil); err != nil {
		return false, err
	}
	// siginfo_t for SIGCHLD: si_pid at 16, si_status at 24 (64-bit
	// Linux); si_pid stays 0 when nothing has ended yet.
	raw := (*[unsafe.Sizeof(info)]byte)(unsafe.Pointer(&info))
	if binary.NativeEndian.Uint32(raw[16:]) == 0 {
		return false, nil
	}
	e := procEnd{n: int(int32(binary.NativeEndian.Uint32(raw[24:])))}
	const cldExited = 1
	e.signaled = info.Code != cldExited
	r.end = &e
	return true, nil
}

// waitEnd waits until it has ended and come back to the test, and
// returns how it ended.
func (r *relative) waitEnd() (procEnd, error) {
	var last error
	err := loadUntil(fmt.Sprintf("process %d to end and be reaped by the test", r.pid), func() bool {
		ok, err := r.reap()
		last = err
		return ok || (err != nil && err != unix.ECHILD)
	})
	if err == nil && last != nil && last != unix.ECHILD {
		err = fmt.Errorf("waitid on process %d: %v", r.pid, last)
	}
	if err != nil {
		return procEnd{}, fmt.Errorf("%v (state %q, wait: %v)", err, ProcState(r.pid), last)
	}
	return *r.end, nil
}

func (k *kin) cleanup() {
	for _, r := range k.procs {
		if r.end == nil {
			r.signal(syscall.SIGKILL)
		}
	}
	for _, r := range k.procs {
		// Killed, it ends; it is reaped by its parent or, once that is
		// dead too, comes back to the test.
		err := loadUntil(fmt.Sprintf("process %d to go", r.pid), func() bool {
			ok, _ := r.reap()
			return ok || r.gone()
		})
		if err != nil {
			k.t.Errorf("cleanup: %v", err)
		}
		unix.Close(r.fd)
	}
	// What else the test adopted: nothing should be (a helper of
	// unshare's, say, left behind when it was killed), unless a failure
	// cut a run short.
	for _, pid := range childrenOf(os.Getpid()) {
		if !k.t.Failed() {
			k.t.Errorf("process %d (%s) was left behind and adopted by the test", pid, commOf(pid))
		}
		if fd, err := unix.PidfdOpen(pid, 0); err == nil {
			unix.PidfdSendSignal(fd, syscall.SIGKILL, nil, 0)
			var info unix.Siginfo
			unix.Waitid(unix.P_PIDFD, fd, &info, unix.WEXITED, nil)
			unix.Close(fd)
		}
	}
	unix.Prctl(unix.PR_SET_CHILD_SUBREAPER, 0, 0, 0, 0)
}

// childrenOf lists pid's children, forked by any of its threads (the
// harness's Children reads the main thread's list only).
func childrenOf(pid int) []int {
	var out []int
	tasks, _ := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/children", pid))
	for _, f := range tasks {
		b, _ := os.ReadFile(f)
		for _, w := range strings.Fields(string(b)) {
			n, _ := strconv.Atoi(w)
			out = append(out, n)
		}
	}
	return out
}

// commOf is a process's command name, "" once it is gone.
func commOf(pid int) string {
	b, _ := os.ReadFile(fmt.Sprintf("/proc/%d/comm", pid))
	return strings.TrimSpace(string(b))
}

// pidnsMembers lists the live processes in the pid namespace link names.
func pidnsMembers(link string) []int {
	var out []int
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		if pid, err := strconv.Atoi(e.Name()); err == nil && NSLink(pid, "pid") == link {
			out = append(out, pid)
		}
	}
	return out
}

// startLoad keeps the machine busy until the test ends: one busy loop
// per CPU, and unshare -f / -rf of both tools starting and ending all the
// time (each must still give back its child's exit code). All of it is
// stopped, by PID, at the end.
func startLoad(t *testing.T) {
	t.Helper()
	var loops []int
	for i := 0; i < runtime.NumCPU(); i++ {
		loops = append(loops, Background(t, Cmd{Argv: []string{"sh", "-c", "while :; do :; done"}}).Process.Pid)
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var runs atomic.Int64
	for _, u := range []string{Applet("unshare"), sysUnshare} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				opt := []string{"-f", "-rf"}[i%2]
				ctx, cancel := context.WithTimeout(context.Background(), loadDeadline)
				c := exec.CommandContext(ctx, u, opt, "sh", "-c", "exit 3")
				err := c.Run()
				cancel()
				if c.ProcessState == nil || exitCode(c.ProcessState) != 3 {
					t.Errorf("load: %s %s sh -c 'exit 3': %v", u, opt, err)
					return
				}
				runs.Add(1)
			}
		}()
	}
	t.Cleanup(func() {
		close(stop)
		wg.Wait()
		t.Logf("load: %d busy loops; %d unshare runs alongside", runtime.NumCPU(), runs.Load())
	})
	// The load is on before the test starts: every busy loop has had
	// 50 ms of CPU, and both tools have run a few times.
	err := loadUntil("the load to start", func() bool {
		for _, pid := range loops {
			if cpuTicks(pid) < 5 {
				return false
			}
		}
		return runs.Load() >= 4
	})
	if err != nil {
		t.Fatal(err)
	}
}

// cpuTicks is the CPU time pid has used, in clock ticks (utime+stime).
func cpuTicks(pid int) int {
	b, _ := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return 0
	}
	f := strings.Fields(s[i+1:])
	if len(f) < 13 {
		return 0
	}
	u, _ := strconv.Atoi(f[11])
	st, _ := strconv.Atoi(f[12])
	return u + st
}

// TestKillChildUnderLoad: loadParents unshare --kill-child instances of
// each tool at once, their parents all SIGKILLed at once: every child
// dies of the chosen signal (for -p, with its whole pid namespace), for
// nsbox and util-linux alike; without --kill-child every child outlives
// its parent.
func TestKillChildUnderLoad(t *testing.T) {
	k := newKin(t)
	startLoad(t)
	for _, c := range []struct {
		name  string
		args  []string
		sig   syscall.Signal // the child's death; 0: it outlives its parent
		pidns bool           // the child is the init of a new pid namespace
		ns    []string       // namespaces the child must not share with the test
	}{
		{"default", []string{"-f", "--kill-child"}, syscall.SIGKILL, false, nil},
		{"SIGTERM", []string{"-f", "--kill-child=SIGTERM"}, syscall.SIGTERM, false, nil},
		{"usr1-implies-fork", []string{"--kill-child=usr1"}, syscall.SIGUSR1, false, nil},
		{"map-root", []string{"-r", "-f", "--kill-child"}, syscall.SIGKILL, false, []string{"user"}},
		{"pid", []string{"-f", "-p", "--mount-proc", "--kill-child"}, syscall.SIGKILL, true, []string{"pid", "mnt"}},
		{"map-root-pid", []string{"-r", "-p", "-f", "--mount-proc", "--kill-child=KILL"}, syscall.SIGKILL, true, []string{"user", "pid", "mnt"}},
		{"no-kill-child", []string{"-f"}, 0, false, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			prog := []string{"sleep", "1000"}
			if c.pidns {
				prog = []string{"sh", "-c", "sleep 1000 & sleep 1000 & wait"}
			}
			type instance struct {
				tool   string
				p      *started
				child  *relative
				inside []*relative // the other processes of its pid namespace
				pidns  string
			}
			var all []*instance
			for _, tool := range []string{Applet("unshare"), sysUnshare} {
				for i := 0; i < loadParents; i++ {
					argv := append(append([]string{tool}, c.args...), prog...)
					p, err := startLogged(t, argv)
					if err != nil {
						t.Fatal(err)
					}
					all = append(all, &instance{tool: tool, p: p})
				}
			}
			// Ready: the only child of each unshare runs the program
			// (for -p: the init shell, with both its sleeps).
			var state string
			err := loadUntil("every child to run the program", func() bool {
				ready := true
				for _, in := range all {
					if in.child != nil {
						continue
					}
					kids := childrenOf(in.p.pid())
					if len(kids) != 1 {
						state = fmt.Sprintf("%s: pid %d has children %v", in.tool, in.p.pid(), kids)
						ready = false
						continue
					}
					var inside []int
					if c.pidns {
						inside = childrenOf(kids[0])
						if commOf(kids[0]) != "sh" || len(inside) != 2 || commOf(inside[0]) != "sleep" || commOf(inside[1]) != "sleep" {
							state = fmt.Sprintf("%s: child %d (%s) with children %v", in.tool, kids[0], commOf(kids[0]), inside)
							ready = false
							continue
						}
					} else if commOf(kids[0]) != "sleep" {
						state = fmt.Sprintf("%s: child %d is %q", in.tool, kids[0], commOf(kids[0]))
						ready = false
						continue
					}
					r, err := k.track(kids[0])
					if err != nil {
						t.Fatal(err)
					}
					in.child = r
					for _, pid := range inside {
						r, err := k.track(pid)
						if err != nil {
							t.Fatal(err)
						}
						in.inside = append(in.inside, r)
					}
					in.pidns = NSLink(kids[0], "pid")
					for _, ns := range c.ns {
						if l := NSLink(kids[0], ns); l == "" || l == NSLink(os.Getpid(), ns) {
							t.Errorf("%s %v: the child's %s namespace is %q, the test's own", in.tool, c.args, ns, l)
						}
					}
				}
				return ready
			})
			if err != nil {
				t.Fatalf("%v; last seen: %s", err, state)
			}

			// All the parents at once.
			for _, in := range all {
				in.p.cmd.Process.Signal(syscall.SIGKILL)
			}
			fail := func(in *instance, format string, args ...any) {
				t.Errorf("%s %v (pid %d): %s", in.tool, c.args, in.p.pid(), fmt.Sprintf(format, args...))
			}
			parentEnd := map[*instance]procEnd{}
			for _, in := range all {
				pe, err := in.p.wait()
				if err != nil {
					fail(in, "%v", err)
					continue
				}
				parentEnd[in] = pe
				// The parent is reaped, so its death has already sent
				// the parent-death signal: the probe comes after it.
				in.child.signal(probeSignal)
			}
			// Every child comes back to the test, dead (one deadline for
			// all of them).
			err = loadUntil("every child to end and come back to the test", func() bool {
				done := true
				for _, in := range all {
					if ok, _ := in.child.reap(); !ok {
						done = false
					}
				}
				return done
			})
			if err != nil {
				t.Errorf("%v", err)
			}
			wantChild := killedBy(c.sig)
			if c.sig == 0 {
				wantChild = killedBy(probeSignal)
			}
			summary := map[string]map[string]int{}
			for _, in := range all {
				if summary[in.tool] == nil {
					summary[in.tool] = map[string]int{}
				}
				pe, ok := parentEnd[in]
				if !ok {
					summary[in.tool]["unshare did not end"]++
					continue
				}
				if pe != killedBy(syscall.SIGKILL) {
					fail(in, "unshare: %v, want killed by SIGKILL", pe)
				}
				if in.child.end == nil {
					fail(in, "child %d did not end (state %q)", in.child.pid, ProcState(in.child.pid))
					summary[in.tool]["child did not end"]++
					continue
				}
				ce := *in.child.end
				if ce != wantChild {
					fail(in, "child %d: %v, want %v", in.child.pid, ce, wantChild)
				}
				outcome := fmt.Sprintf("unshare %v, child %v", pe, ce)
				if c.pidns {
					// Its init reaped, nothing is left of the namespace.
					for _, r := range in.inside {
						if !r.gone() {
							fail(in, "process %d of the pid namespace is still there (%q)", r.pid, ProcState(r.pid))
						}
					}
					if left := pidnsMembers(in.pidns); len(left) > 0 {
						fail(in, "%d processes still in %s: %v", len(left), in.pidns, left[:min(len(left), 10)])
					} else {
						outcome += ", pid namespace gone"
					}
				}
				if out := in.p.output(); out != "" {
					fail(in, "output %q", out)
				}
				summary[in.tool][outcome]++
			}
			nb, ref := fmt.Sprint(summary[Applet("unshare")]), fmt.Sprint(summary[sysUnshare])
			if nb != ref {
				t.Errorf("nsbox and util-linux differ:\nnsbox:      %s\nutil-linux: %s", nb, ref)
			}
			t.Logf("%d instances per tool: %s", loadParents, nb)
		})
	}
}

// sigStep is one signal the test sends, to unshare (the parent) or straight
// to the program, and whether the program must acknowledge it: a trap
// writes "NAME N" (N counts every trap run) on fd 3, a pipe the test
// reads. The next signal is sent only once the acknowledgement is in,
// since pending signals of one kind coalesce.
type sigStep struct {
	toChild bool
	sig     syscall.Signal
	ack     bool
}

// progFate is what becomes of the program when unshare ends.
type progFate int

const (
	endsFirst progFate = iota // it ended first, and unshare reaped it
	outlives                  // it keeps running, and still acknowledges signals sent to it
	pdeath                    // the parent-death signal (SIGKILL) kills it
)

// receiver is one program under test that acknowledges signals.
type receiver struct {
	name  string
	argv  []string  // unshare and its options
	steps []sigStep // then end, the signal that ends it all
	final string    // shell code the trap runs at the last acknowledged step
	end   sigStep
	want  procEnd // unshare's end
	fate  progFate
	ns    []string // namespaces the program must not share with the test
}

// ackScript is the program: it traps signals and acknowledges each one;
// at the k-th it runs final (untrap, say, so that the next one kills)
// before it acknowledges: the acknowledgement is the last thing a trap
// does, since the next signal can come at once and its trap run inside
// this one. It waits in the wait builtin, which dash leaves on a trapped
// signal without a window in which one could be missed; the sleep it
// waits for does not hold the pipe.
func ackScript(k int, final string) string {
	return fmt.Sprintf(`n=0
ack() {
	n=$((n+1))
	if [ $n -eq %d ]; then %s; fi
	echo "$1 $n" >&3
}
for g in HUP INT TERM USR1 USR2 WINCH URG; do trap "ack $g" $g; done
sleep 1000 </dev/null >/dev/null 2>&1 3>&- &
s=$!
echo ready >&3
while kill -0 $s 2>/dev/null; do wait $s; done
echo "sleep $s ended" >&3
exit 99
`, k, final)
}

// run starts r and plays it, and says what happened; any failure comes
// back as the error (it runs on its own goroutine).
func (r receiver) run(t *testing.T, k *kin) (string, error) {
	began := time.Now()
	n, err := r.play(t, k)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%d signals, %d acknowledged in order, then %v to the %s: unshare %v (%v)",
		len(r.steps)+1, n, sigName(r.end.sig), whom(r.end), r.want, time.Since(began).Round(time.Millisecond)), nil
}

// play does the work of run, and returns the number of signals the
// program acknowledged.
func (r receiver) play(t *testing.T, k *kin) (int, error) {
	acks := 0
	for _, s := range r.steps {
		if s.ack {
			acks++
		}
	}
	pr, pw, err := os.Pipe()
	if err != nil {
		return 0, err
	}
	argv := append(append([]string{}, r.argv...), "sh", "-c", ackScript(acks, r.final))
	p, err := startLogged(t, argv, pw)
	pw.Close()
	if err != nil {
		pr.Close()
		return 0, err
	}
	lines := make(chan string, 4*loadSignals)
	go func() {
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
		pr.Close()
	}()
	expect := func(want string) error {
		select {
		case l, ok := <-lines:
			if !ok {
				return fmt.Errorf("the program's pipe closed; want %q (output: %q)", want, p.output())
			}
			if l != want {
				return fmt.Errorf("the program wrote %q, want %q", l, want)
			}
			return nil
		case <-time.After(loadDeadline):
			return fmt.Errorf("no %q from the program in %v", want, loadDeadline)
		}
	}
	if err := expect("ready"); err != nil {
		return 0, err
	}
	kids := childrenOf(p.pid())
	if len(kids) != 1 {
		return 0, fmt.Errorf("unshare has children %v", kids)
	}
	shell, err := k.track(kids[0])
	if err != nil {
		return 0, err
	}
	for _, ns := range r.ns {
		if l := NSLink(shell.pid, ns); l == "" || l == NSLink(os.Getpid(), ns) {
			return 0, fmt.Errorf("the program's %s namespace is %q, the test's own", ns, l)
		}
	}
	if sl := childrenOf(shell.pid); len(sl) == 1 {
		if _, err := k.track(sl[0]); err != nil {
			return 0, err
		}
	} else {
		return 0, fmt.Errorf("the program has children %v", sl)
	}
	send := func(s sigStep) error {
		if s.toChild {
			return shell.signal(s.sig)
		}
		return p.cmd.Process.Signal(s.sig)
	}
	n := 0
	for i, s := range r.steps {
		if err := send(s); err != nil {
			return 0, fmt.Errorf("signal %d (%s): %v", i+1, sigName(s.sig), err)
		}
		if s.ack {
			n++
			if err := expect(fmt.Sprintf("%s %d", sigName(s.sig), n)); err != nil {
				return 0, fmt.Errorf("after signal %d of %d (%s to the %s): %v", i+1, len(r.steps), sigName(s.sig), whom(s), err)
			}
		}
	}
	if err := send(r.end); err != nil {
		return 0, fmt.Errorf("final %s: %v", sigName(r.end.sig), err)
	}
	e, err := p.wait()
	if err != nil {
		return 0, fmt.Errorf("after %d signals and %s to the %s: %v; the program wrote %q since", len(r.steps), sigName(r.end.sig), whom(r.end), err, pendingLines(lines))
	}
	if e != r.want {
		return 0, fmt.Errorf("after %d signals and %s to the %s: unshare %v, want %v (output %q)", len(r.steps), sigName(r.end.sig), whom(r.end), e, r.want, p.output())
	}
	switch r.fate {
	case endsFirst:
		if !shell.gone() {
			return 0, fmt.Errorf("unshare ended before its child %d (%q)", shell.pid, ProcState(shell.pid))
		}
	case outlives:
		if err := shell.signal(syscall.SIGUSR2); err != nil {
			return 0, fmt.Errorf("the program did not outlive unshare: %v", err)
		}
		if err := expect(fmt.Sprintf("USR2 %d", n+1)); err != nil {
			return 0, fmt.Errorf("the program, unshare gone: %v", err)
		}
		shell.signal(syscall.SIGKILL)
		if ce, err := shell.waitEnd(); err != nil || ce != killedBy(syscall.SIGKILL) {
			return 0, fmt.Errorf("the program, killed by the test: %v %v", ce, err)
		}
	case pdeath:
		ce, err := shell.waitEnd()
		if err != nil {
			return 0, err
		}
		if ce != killedBy(syscall.SIGKILL) {
			return 0, fmt.Errorf("the program: %v, want killed by SIGKILL (--kill-child)", ce)
		}
	}
	// Every writer is gone: whatever the program wrote is in, and there
	// must be nothing more (no signal reached it that should not have).
	for {
		select {
		case l, ok := <-lines:
			if !ok {
				if out := p.output(); out != "" {
					return 0, fmt.Errorf("output %q", out)
				}
				return n, nil
			}
			return 0, fmt.Errorf("the program wrote %q after the last expected line", l)
		case <-time.After(loadDeadline):
			return 0, fmt.Errorf("the program's pipe is still open %v after the end", loadDeadline)
		}
	}
}

// pendingLines is what is in lines now, without waiting.
func pendingLines(lines chan string) []string {
	var out []string
	for {
		select {
		case l, ok := <-lines:
			if !ok {
				return append(out, "EOF")
			}
			out = append(out, l)
		default:
			return out
		}
	}
}

func toolName(path string) string {
	if path == sysUnshare {
		return "util-linux 2.38.1"
	}
	return "nsbox"
}

func whom(s sigStep) string {
	if s.toChild {
		return "program"
	}
	return "parent"
}

// runReceivers plays copies of every receiver at once, with the load.
func runReceivers(t *testing.T, copies int, rs []receiver) {
	k := newKin(t)
	startLoad(t)
	var wg sync.WaitGroup
	for _, r := range rs {
		for i := 0; i < copies; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if what, err := r.run(t, k); err != nil {
					t.Errorf("%s (%q): %v", r.name, r.argv, err)
				} else {
					t.Logf("%s (%s): %s", r.name, toolName(r.argv[0]), what)
				}
			}()
		}
	}
	wg.Wait()
}

// forwarded is loadSignals SIGTERM and SIGINT to the parent, each to be
// acknowledged by the program, and before every fourth a SIGWINCH or
// SIGURG, which must not reach the program (nor end the parent).
func forwarded() []sigStep {
	var s []sigStep
	for i := 0; i < loadSignals; i++ {
		if i%4 == 3 {
			s = append(s, sigStep{sig: []syscall.Signal{syscall.SIGWINCH, syscall.SIGURG}[(i/4)%2]})
		}
		s = append(s, sigStep{sig: []syscall.Signal{syscall.SIGTERM, syscall.SIGINT}[i%2], ack: true})
	}
	return s
}

// TestForwardSignalsUnderLoad: unshare --forward-signals relays SIGTERM
// and SIGINT, and only those (util-linux 2.42: the parent installs
// handlers for SIGTERM and SIGINT that kill(child, sig); SIGHUP is not
// forwarded, and the others keep their default action). loadSignals of
// them are sent to each of many instances at once, one at a time; each
// arrives, in order, and never twice. The end is util-linux's: a child
// killed by the forwarded signal is re-raised (the shell sees 128+N),
// an exit code is passed on, a signal not forwarded ends the parent alone
// (or, with --kill-child, the child by SIGKILL too).
//
// The system's util-linux 2.38.1 has no --forward-signals (it came in
// 2.42), so this is nsbox alone, against 2.42's documented behaviour.
func TestForwardSignalsUnderLoad(t *testing.T) {
	nb := Applet("unshare")
	untrap := "trap - TERM INT"
	runReceivers(t, 3, []receiver{
		{name: "fork, ends by TERM", argv: []string{nb, "--fork", "--forward-signals"},
			steps: forwarded(), final: untrap, end: sigStep{sig: syscall.SIGTERM},
			want: killedBy(syscall.SIGTERM), fate: endsFirst},
		{name: "implied fork, ends by INT", argv: []string{nb, "--forward-signals"},
			steps: forwarded(), final: untrap, end: sigStep{sig: syscall.SIGINT},
			want: killedBy(syscall.SIGINT), fate: endsFirst},
		// util-linux's own forward-signals test: the program is pid 1
		// and exits with the signal's number.
		{name: "user+pid namespace, exit 15", argv: []string{nb, "--user", "--map-root-user", "--pid", "--mount-proc", "--fork", "--forward-signals"},
			steps: forwarded(), final: `trap "exit 15" TERM`, end: sigStep{sig: syscall.SIGTERM},
			want: exitedWith(15), fate: endsFirst, ns: []string{"user", "pid", "mnt"}},
		// ...and forward-signals-kill-child.
		{name: "kill-child, ends by TERM", argv: []string{nb, "--fork", "--forward-signals", "--kill-child"},
			steps: forwarded(), final: untrap, end: sigStep{sig: syscall.SIGTERM},
			want: killedBy(syscall.SIGTERM), fate: endsFirst},
		{name: "HUP is not forwarded", argv: []string{nb, "--fork", "--forward-signals"},
			steps: forwarded(), final: ":", end: sigStep{sig: syscall.SIGHUP},
			want: killedBy(syscall.SIGHUP), fate: outlives},
		{name: "USR1 is not forwarded, kill-child", argv: []string{nb, "--fork", "--forward-signals", "--kill-child"},
			steps: forwarded(), final: ":", end: sigStep{sig: syscall.SIGUSR1},
			want: killedBy(syscall.SIGUSR1), fate: pdeath},
	})
}

// notForwarded is loadSignals SIGTERM and SIGINT to the parent, each
// followed by a SIGUSR2 straight to the program, which must acknowledge
// the SIGUSR2 and nothing else.
func notForwarded() []sigStep {
	var s []sigStep
	for i := 0; i < loadSignals; i++ {
		s = append(s, sigStep{sig: []syscall.Signal{syscall.SIGTERM, syscall.SIGINT}[i%2]},
			sigStep{toChild: true, sig: syscall.SIGUSR2, ack: true})
	}
	return s
}

// TestParentSignalsUnderLoad is the differential counterpart: without
// --forward-signals a forking unshare keeps SIGTERM and SIGINT from its
// child and keeps waiting (util-linux blocks them), and another signal
// ends the parent alone, for nsbox and util-linux 2.38.1 alike, under
// the same load.
func TestParentSignalsUnderLoad(t *testing.T) {
	var rs []receiver
	for _, u := range []string{Applet("unshare"), sysUnshare} {
		rs = append(rs,
			receiver{name: "fork, program killed by TERM", argv: []string{u, "-f"},
				steps: notForwarded(), final: "trap - TERM INT", end: sigStep{toChild: true, sig: syscall.SIGTERM},
				want: killedBy(syscall.SIGTERM), fate: endsFirst},
			receiver{name: "user+pid namespace, exit 7", argv: []string{u, "-r", "-p", "-f", "--mount-proc"},
				steps: notForwarded(), final: `trap "exit 7" TERM`, end: sigStep{toChild: true, sig: syscall.SIGTERM},
				want: exitedWith(7), fate: endsFirst, ns: []string{"user", "pid", "mnt"}},
			receiver{name: "HUP ends the parent", argv: []string{u, "-f"},
				steps: notForwarded(), final: ":", end: sigStep{sig: syscall.SIGHUP},
				want: killedBy(syscall.SIGHUP), fate: outlives},
			receiver{name: "HUP ends the parent, kill-child", argv: []string{u, "-f", "--kill-child"},
				steps: notForwarded(), final: ":", end: sigStep{sig: syscall.SIGHUP},
				want: killedBy(syscall.SIGHUP), fate: pdeath},
		)
	}
	runReceivers(t, 2, rs)
}

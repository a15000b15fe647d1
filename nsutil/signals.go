package nsutil

import (
	"os/signal"
	"strconv"
	"strings"
	"unsafe"

	"golang.org/x/sys/unix"

	"nsbox/nsutil/prestage"
)

// signalNames are the names util-linux accepts for --kill-child, with the
// numbers of this platform.
var signalNames = []struct {
	name string
	num  unix.Signal
}{
	{"HUP", unix.SIGHUP}, {"INT", unix.SIGINT}, {"QUIT", unix.SIGQUIT}, {"ILL", unix.SIGILL},
	{"TRAP", unix.SIGTRAP}, {"ABRT", unix.SIGABRT}, {"IOT", unix.SIGIOT}, {"BUS", unix.SIGBUS},
	{"FPE", unix.SIGFPE}, {"KILL", unix.SIGKILL}, {"USR1", unix.SIGUSR1}, {"SEGV", unix.SIGSEGV},
	{"USR2", unix.SIGUSR2}, {"PIPE", unix.SIGPIPE}, {"ALRM", unix.SIGALRM}, {"TERM", unix.SIGTERM},
	{"STKFLT", unix.SIGSTKFLT}, {"CHLD", unix.SIGCHLD}, {"CLD", unix.SIGCHLD}, {"CONT", unix.SIGCONT},
	{"STOP", unix.SIGSTOP}, {"TSTP", unix.SIGTSTP}, {"TTIN", unix.SIGTTIN}, {"TTOU", unix.SIGTTOU},
	{"URG", unix.SIGURG}, {"XCPU", unix.SIGXCPU}, {"XFSZ", unix.SIGXFSZ}, {"VTALRM", unix.SIGVTALRM},
	{"PROF", unix.SIGPROF}, {"WINCH", unix.SIGWINCH}, {"IO", unix.SIGIO}, {"POLL", unix.SIGPOLL},
	{"PWR", unix.SIGPWR}, {"SYS", unix.SIGSYS},
}

// glibc reserves the first two real-time signals for its threads, so
// SIGRTMIN as a C program sees it is 34.
const (
	sigRTMin = 34
	sigRTMax = 64
)

// SignalByName reads a signal name the way util-linux's signame_to_signum
// does: case-insensitive, with or without "SIG", RTMIN+n, RTMAX-n; numbers
// are not names.
func SignalByName(s string) (unix.Signal, bool) {
	u := strings.ToUpper(s)
	u = strings.TrimPrefix(u, "SIG")
	for _, n := range signalNames {
		if n.name == u {
			return n.num, true
		}
	}
	rt := func(base string, sign int) (unix.Signal, bool) {
		rest, ok := strings.CutPrefix(u, base)
		if !ok {
			return 0, false
		}
		start := sigRTMin
		if sign < 0 {
			start = sigRTMax
		}
		if rest == "" {
			return unix.Signal(start), true
		}
		op := "+"
		if sign < 0 {
			op = "-"
		}
		num, ok := strings.CutPrefix(rest, op)
		if !ok {
			return 0, false
		}
		n, err := strconv.Atoi(num)
		if err != nil || n < 0 || n > sigRTMax-sigRTMin || num == "" || num[0] == '+' || num[0] == '-' {
			return 0, false
		}
		return unix.Signal(start + sign*n), true
	}
	if sig, ok := rt("RTMIN", 1); ok {
		return sig, true
	}
	return rt("RTMAX", -1)
}

// setDefaultAction sets sig's disposition to SIG_DFL with the raw system
// call: a zeroed kernel sigaction is SIG_DFL with no flags and an empty
// mask on every architecture. os/signal's Reset would hand the signal back
// to the Go runtime, which prints a traceback for SIGQUIT and friends
// instead of dying the way a C program does.
func setDefaultAction(sig unix.Signal) {
	var sa [64]byte
	unix.RawSyscall6(unix.SYS_RT_SIGACTION, uintptr(sig), uintptr(unsafe.Pointer(&sa[0])), 0, 8, 0, 0)
}

// unblockSignal removes sig from the calling thread's signal mask.
func unblockSignal(sig unix.Signal) {
	var set unix.Sigset_t
	set.Val[(sig-1)/64] |= 1 << ((uint(sig) - 1) % 64)
	unix.PthreadSigmask(unix.SIG_UNBLOCK, &set, nil)
}

// DieLike ends this process the way ws ended the child: the same exit
// code, or death by the same signal (default action restored, unblocked,
// sent to ourselves), so the caller's shell sees 128+N. If the signal does
// not kill us (it is ignored by default), it returns util-linux's
// fallback error.
//
// unshare restores the default action first; nsenter does not, so a
// signal it was started with ignored leaves it alive (respectIgnored).
func DieLike(ws unix.WaitStatus, respectIgnored bool) error {
	if ws.Exited() {
		return ExitStatus(ws.ExitStatus())
	}
	if ws.Signaled() {
		sig := ws.Signal()
		if respectIgnored && signal.Ignored(sig) {
			return ExitStatus(1)
		}
		if sig != unix.SIGKILL {
			setDefaultAction(sig)
		}
		unblockSignal(sig)
		err := unix.Tgkill(unix.Getpid(), unix.Gettid(), sig)
		return errf(err, "child exit failed")
	}
	return errxf("child exit failed")
}

// WaitPid waits for pid to end, retrying on EINTR.
func WaitPid(pid int) (unix.WaitStatus, error) {
	var ws unix.WaitStatus
	for {
		_, err := unix.Wait4(pid, &ws, 0, nil)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return ws, errf(err, "waitpid failed")
		}
		return ws, nil
	}
}

// ActLikeC gives every signal whose default action ends a process its
// default action back, except SIGINT and SIGTERM (unshare --fork catches
// them; Go's own handling of them already dies by the signal) and those
// that were ignored when we started: nsbox then dies of a signal the way
// a C program does, where the Go runtime would catch it and do nothing
// (SIGUSR1, SIGALRM...) or print a traceback and exit 2 (SIGQUIT). glibc's
// real-time signals 32 and 33, and SIGURG (preemption), stay the
// runtime's. It runs first thing in main, for every applet, and then lets
// the signals the pre-runtime stage held back reach the main thread: one
// that arrived while the runtime started is delivered now, and ends us.
func ActLikeC() {
	actLikeC(unix.SIGINT, unix.SIGTERM)
	_, mask, _, ok := prestage.Inherited()
	if !ok {
		return
	}
	var set unix.Sigset_t
	set.Val[0] = prestage.Held() &^ mask
	unix.PthreadSigmask(unix.SIG_UNBLOCK, &set, nil)
}

func actLikeC(keep ...unix.Signal) {
	fatal := []unix.Signal{unix.SIGHUP, unix.SIGINT, unix.SIGQUIT, unix.SIGTRAP, unix.SIGABRT,
		unix.SIGUSR1, unix.SIGUSR2, unix.SIGPIPE, unix.SIGALRM, unix.SIGTERM, unix.SIGSTKFLT,
		unix.SIGXCPU, unix.SIGXFSZ, unix.SIGVTALRM, unix.SIGPROF, unix.SIGIO, unix.SIGPWR, unix.SIGSYS}
	for s := unix.Signal(sigRTMin); s <= sigRTMax; s++ {
		fatal = append(fatal, s)
	}
next:
	for _, s := range fatal {
		for _, k := range keep {
			if s == k {
				continue next
			}
		}
		if !signal.Ignored(s) {
			setDefaultAction(s)
		}
	}
}

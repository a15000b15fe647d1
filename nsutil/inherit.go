package nsutil

import (
	"os/signal"
	"syscall"
	"unsafe"

	"golang.org/x/sys/unix"

	"nsbox/nsutil/prestage"
)

// The Go runtime changes three things a C program would have kept from
// its parent: it opens /dev/null on closed standard fds, unblocks the
// signals it needs, and puts its own handler where a signal was ignored.
// The pre-runtime stage notes the originals (cgo builds only), and these
// functions give them back: to nsbox itself for its whole life (ignored
// signals), and to the program it runs (all three).

// KeepInheritedIgnores ignores again every signal that was ignored when
// the process started, as it would be in util-linux's tools, except
// SIGCHLD, whose disposition they reset (a parent waiting on an ignored
// SIGCHLD could not collect its child). It runs first thing in main.
func KeepInheritedIgnores() {
	_, _, ign, ok := prestage.Inherited()
	if !ok {
		return
	}
	for sig := unix.Signal(1); sig <= sigRTMax; sig++ {
		if ign&(1<<(sig-1)) == 0 || sig == unix.SIGCHLD || sig == unix.SIGKILL || sig == unix.SIGSTOP ||
			sig == 32 || sig == 33 {
			continue
		}
		signal.Ignore(sig)
	}
}

// inheritedSIGCHLDIgnored tells whether SIGCHLD was ignored at start.
func inheritedSIGCHLDIgnored() bool {
	_, _, ign, ok := prestage.Inherited()
	return ok && ign&(1<<(unix.SIGCHLD-1)) != 0
}

// prepareExec restores, just before execve on the calling (main) thread,
// the signal mask the process started with, ignores again the signals
// that were ignored then and that the Go runtime will not leave ignored
// (SIGBUS, SIGFPE, SIGPROF...; execve keeps an ignored signal ignored),
// and closes the standard fds that were closed then.
func prepareExec() {
	undoLibcIgnore()
	closed, mask, ign, ok := prestage.Inherited()
	if !ok {
		return
	}
	for fd := 0; fd < 3; fd++ {
		if closed&(1<<fd) != 0 {
			unix.Close(fd)
		}
	}
	for sig := unix.Signal(1); sig <= sigRTMax; sig++ {
		if ign&(1<<(sig-1)) != 0 && sig != unix.SIGCHLD && sig != unix.SIGKILL && sig != unix.SIGSTOP {
			ignoreForExec(sig)
		}
	}
	var set unix.Sigset_t
	set.Val[0] = mask
	unix.PthreadSigmask(unix.SIG_SETMASK, &set, nil)
}

// ksigaction is the kernel's struct sigaction; a zero one is SIG_DFL.
type ksigaction struct {
	handler, flags, restorer uintptr
	mask                     uint64
}

const sigIgn = 1 // SIG_IGN as a handler

// rawSigaction is rt_sigaction(2) itself, past the Go runtime's
// bookkeeping.
func rawSigaction(sig unix.Signal, act, old *ksigaction) {
	unix.RawSyscall6(unix.SYS_RT_SIGACTION, uintptr(sig), uintptr(unsafe.Pointer(act)), uintptr(unsafe.Pointer(old)), 8, 0, 0)
}

// ignoreForExec sets sig's action to SIG_IGN with a raw sigaction: only
// for the moment before execve, which signal.Ignore cannot do for the
// signals the runtime keeps for itself.
func ignoreForExec(sig unix.Signal) {
	rawSigaction(sig, &ksigaction{handler: sigIgn}, nil)
}

// musl's setuid, setgid and setgroups, which the syscall package calls
// through cgo so that every thread changes, reach the other threads with
// signal 34 and leave it ignored; exec and fork would pass that on.
const libcSyncSignal = unix.Signal(34)

// undoLibcIgnore gives signal 34 its default action back unless it was
// ignored when we started. (glibc leaves its handler, which exec resets.)
func undoLibcIgnore() {
	if _, _, ign, ok := prestage.Inherited(); ok && ign&(1<<(libcSyncSignal-1)) != 0 {
		return
	}
	var old ksigaction
	rawSigaction(libcSyncSignal, nil, &old)
	if old.handler == sigIgn {
		rawSigaction(libcSyncSignal, &ksigaction{}, nil)
	}
}

// closedAtStart tells whether standard fd fd was closed when we started.
func closedAtStart(fd int) bool {
	closed, _, _, ok := prestage.Inherited()
	return ok && closed&(1<<fd) != 0
}

// ForkExec is syscall.ForkExec with the signal mask we started with: the
// Go child takes the calling thread's mask at the fork, so the thread
// wears the original for the moment of the fork. Start every child with
// it, from the locked main thread.
func ForkExec(path string, argv []string, attr *syscall.ProcAttr) (int, error) {
	undoLibcIgnore()
	_, mask, _, ok := prestage.Inherited()
	if !ok {
		return syscall.ForkExec(path, argv, attr)
	}
	var orig, cur unix.Sigset_t
	orig.Val[0] = mask
	unix.PthreadSigmask(unix.SIG_SETMASK, &orig, &cur)
	defer unix.PthreadSigmask(unix.SIG_SETMASK, &cur, nil)
	return syscall.ForkExec(path, argv, attr)
}

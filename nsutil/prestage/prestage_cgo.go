//go:build cgo

package prestage

// #include "stage.h"
import "C"

// Compiled reports whether this binary carries the pre-runtime stage.
const Compiled = true

// Outcome returns what the constructor did before main started.
func Outcome() Result {
	r := Result{
		Ran:    C.nsbox_stage_ran != 0,
		Failed: int(C.nsbox_stage_failed),
		Errno:  int(C.nsbox_stage_errno),
		Phase:  int(C.nsbox_stage_phase),
		Done:   uint64(C.nsbox_stage_done),
	}
	for i := range r.Errs {
		r.Errs[i] = int(C.nsbox_stage_errs[i])
	}
	return r
}

// Inherited is what the process was started with, recorded before the
// Go runtime changed it; ok is false if nothing was recorded.
func Inherited() (closed int, sigmask, sigign uint64, ok bool) {
	return int(C.nsbox_orig_closed), uint64(C.nsbox_orig_sigmask), uint64(C.nsbox_orig_sigign), C.nsbox_orig_valid != 0
}

// Held is the signals the stage blocked until main is ready for them.
func Held() uint64 { return uint64(C.nsbox_held_sigs) }

// SelfFd is an O_PATH fd of this binary opened at start, before anything
// was entered, or -1.
func SelfFd() int { return int(C.nsbox_self_fd) }

// The sizes Go writes must be stage.h's: either difference going negative
// fails the build.
const (
	_ = C.sizeof_struct_nsbox_op - OpSize
	_ = OpSize - C.sizeof_struct_nsbox_op
	_ = C.sizeof_struct_nsbox_plan - HeaderSize
	_ = HeaderSize - C.sizeof_struct_nsbox_plan
	_ = C.NSBOX_OP_FORKWAIT - OpForkWait
	_ = OpForkWait - C.NSBOX_OP_FORKWAIT
	_ = C.NSBOX_OP_PID_CHILDREN - FlagPidChildren
	_ = FlagPidChildren - C.NSBOX_OP_PID_CHILDREN
)

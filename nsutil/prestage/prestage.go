// Package prestage is the bridge to the pre-runtime stage: a C constructor
// (stage.c) that runs a short plan of system calls before the Go runtime
// starts its threads, for the three things the kernel refuses to a
// multithreaded process: creating a user namespace, joining one, and
// joining a time namespace. When everything after that is plain system
// calls, the plan goes on to the program's execve, and the Go runtime
// never starts. This package only reports what the stage did; nsutil
// writes the plan and decides everything.
package prestage

// Plan ABI, mirrored from stage.h.
const (
	EnvName = "_NSBOX_STAGE"
	Magic   = 0x6e73626f78706c32 // "nsboxpl2"
	MaxOps  = 64

	// Operations (enum in stage.h, which says what each one calls).
	OpSetns     = 1
	OpUnshare   = 2
	OpPrctl     = 3
	OpWrite     = 4
	OpMount     = 5
	OpChroot    = 6
	OpChdir     = 7
	OpSetgroups = 8
	OpSetgid    = 9
	OpSetuid    = 10
	OpCloexec   = 11
	OpAlive     = 12
	OpIgnore    = 13
	OpExec      = 14
	OpNoInherit = 15
	OpForkWait  = 16

	FlagIgnoreError = 1 // record the error, go on (nsenter's first pass)
	FlagIfFailed    = 2 // run only if op Ref failed (nsenter's second pass)
	FlagIfDone      = 4 // run only if op Ref succeeded
	FlagPidChildren = 8 // after it, Go can only resume in a forked child

	OpSize     = 48                 // sizeof(struct nsbox_op)
	HeaderSize = 24 + MaxOps*OpSize // sizeof(struct nsbox_plan)
)

// Result is what the stage did with the plan it found.
type Result struct {
	Ran    bool        // a valid plan was read and run
	Failed int         // index of the op that failed fatally, or -1
	Errno  int         // its errno
	Phase  int         // for a two-call op (write): 0 the open failed, 1 the write
	Done   uint64      // bit i: op i succeeded
	Errs   [MaxOps]int // errno of each op, 0 when it succeeded or did not run
}

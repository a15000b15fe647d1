// Package prestage is the bridge to the pre-runtime stage: a C constructor
// (stage.c) that runs a short plan of setns/unshare calls before the Go
// runtime starts its threads, for the three things the kernel refuses to a
// multithreaded process: creating a user namespace, joining one, and
// joining a time namespace. This package only reports what the stage did;
// nsutil writes the plan and decides everything.
package prestage

// Plan ABI, mirrored from stage.h.
const (
	EnvName    = "_NSBOX_STAGE"
	Magic      = 0x6e73626f78706c31 // "nsboxpl1"
	MaxOps     = 32
	OpSetns    = 1
	OpUnshare  = 2
	OpDumpable = 3

	FlagIgnoreError = 1 // record the error, go on (nsenter's first pass)
	FlagIfFailed    = 2 // run only if op Ref failed (nsenter's second pass)
	FlagIfDone      = 4 // run only if op Ref succeeded

	OpSize     = 24                 // sizeof(struct nsbox_op)
	HeaderSize = 16 + MaxOps*OpSize // sizeof(struct nsbox_plan)
)

// Result is what the stage did with the plan it found.
type Result struct {
	Ran    bool        // a valid plan was read and run
	Failed int         // index of the op that failed fatally, or -1
	Errno  int         // its errno
	Done   uint64      // bit i: op i succeeded
	Errs   [MaxOps]int // errno of each op, 0 when it succeeded or did not run
}

package nsutil

import (
	"errors"

	"golang.org/x/sys/unix"

	"nsbox/nsutil/prestage"
)

// planResult is what running a plan did, the same whether the
// pre-runtime stage ran it or Go did (runPlan).
type planResult struct {
	failed int // index of the op that failed fatally, -1 if none
	errno  unix.Errno
	done   uint64 // bit i: op i succeeded
}

func (r planResult) ok(i int) bool { return r.done>>uint(i)&1 == 1 }

// runPlan runs ops on the calling (locked main) thread with exactly the
// stage's rules (stage.c): IfFailed/IfDone ops run only after their
// reference failed/succeeded; an error stops the plan unless the op
// ignores errors.
func runPlan(ops []planOp) planResult {
	r := planResult{failed: -1}
	for i, op := range ops {
		if op.Flags&prestage.FlagIfFailed != 0 && r.ok(int(op.Ref)) {
			continue
		}
		if op.Flags&prestage.FlagIfDone != 0 && !r.ok(int(op.Ref)) {
			continue
		}
		_, err := runOp(op)
		if err == nil {
			r.done |= 1 << uint(i)
			continue
		}
		if op.Flags&prestage.FlagIgnoreError == 0 {
			r.failed = i
			errors.As(err, &r.errno)
			return r
		}
	}
	return r
}

// stageResult is the pre-runtime stage's outcome in runPlan's terms.
func stageResult(res prestage.Result) planResult {
	return planResult{failed: res.Failed, errno: unix.Errno(res.Errno), done: res.Done}
}

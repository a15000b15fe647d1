//go:build !cgo

package prestage

// Compiled reports whether this binary carries the pre-runtime stage: a
// build without cgo has none, and the operations that need it say so.
const Compiled = false

// Outcome reports that no stage ran.
func Outcome() Result { return Result{Failed: -1} }

// Inherited reports nothing: without the stage nobody looked before the
// Go runtime started.
func Inherited() (closed int, sigmask, sigign uint64, ok bool) { return 0, 0, 0, false }

// SelfFd reports none: nobody opened the binary at start.
func SelfFd() int { return -1 }

// Held reports none: nothing ran before the Go runtime.
func Held() uint64 { return 0 }

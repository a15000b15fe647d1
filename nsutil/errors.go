package nsutil

import (
	"errors"
	"fmt"
	"strconv"
	"syscall"

	"nsbox/cli"
)

// Error is a failure the applet reports the util-linux way: Msg, then
// ": strerror" when Err is set, prefixed by the applet name, and the
// process exits with Code (1 unless a helper or exec said otherwise).
type Error struct {
	Msg  string
	Err  error
	Code int
}

func (e *Error) Error() string {
	if e.Err != nil {
		return e.Msg + ": " + cli.Strerror(e.Err)
	}
	return e.Msg
}

func (e *Error) Unwrap() error { return e.Err }

// errf is err(3): a message with the errno behind err.
func errf(err error, format string, a ...any) *Error {
	return &Error{Msg: fmt.Sprintf(format, a...), Err: err, Code: 1}
}

// errxf is errx(3): a message alone.
func errxf(format string, a ...any) *Error {
	return &Error{Msg: fmt.Sprintf(format, a...), Code: 1}
}

// ExitStatus is an exit code to pass on without a message (a helper that
// already reported its own failure).
type ExitStatus int

func (e ExitStatus) Error() string { return fmt.Sprintf("exit status %d", int(e)) }

// Report prints err for the applet called name and returns the exit code.
func Report(name string, err error) int {
	var st ExitStatus
	if errors.As(err, &st) {
		return int(st)
	}
	// A message that cannot be written (stderr closed or full) makes
	// the exit status 1, as util-linux's check of stderr at exit does;
	// a stderr closed at start is the Go runtime's /dev/null now.
	var e *Error
	if errors.As(err, &e) {
		if cli.Warnx(name, "%s", e.Error()) != nil || closedAtStart(2) || e.Code == 0 {
			return 1
		}
		return e.Code
	}
	cli.Warnx(name, "%s", err.Error())
	return 1
}

// errRange is ERANGE, for the number parsers' "out of range" messages.
var errRange error = syscall.ERANGE

func isRange(err error) bool {
	var ne *strconv.NumError
	return errors.As(err, &ne) && ne.Err == strconv.ErrRange
}

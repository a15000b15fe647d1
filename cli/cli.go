// Package cli holds the util-linux conventions every applet shares for
// talking to the user: "name: message[: strerror]" diagnostics on stderr
// and a buffered stdout whose write errors are reported at exit.
package cli

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"syscall"

	"nsbox/getopt"
)

// Exit codes shared by the applets.
const (
	ExitFailure = 1
)

// Errno extracts the errno behind err, or 0.
func Errno(err error) syscall.Errno {
	var e syscall.Errno
	if errors.As(err, &e) {
		return e
	}
	return 0
}

// Strerror renders an errno the way glibc's strerror does ("No such file or
// directory"); Go's own errno strings are lower-case.
func Strerror(err error) string {
	if e := Errno(err); e != 0 {
		return strerror(e)
	}
	return err.Error()
}

// Warn prints "name: msg: strerror" like util-linux's warn().
func Warn(name string, err error, format string, a ...any) {
	msg := fmt.Sprintf(format, a...)
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s: %s: %s\n", name, msg, Strerror(err))
	} else {
		fmt.Fprintf(os.Stderr, "%s: %s\n", name, msg)
	}
}

// Warnx prints "name: msg" like util-linux's warnx(); the error is the
// write's.
func Warnx(name, format string, a ...any) error {
	_, err := fmt.Fprintf(os.Stderr, "%s: %s\n", name, fmt.Sprintf(format, a...))
	return err
}

// Usage reports a getopt diagnostic and the "Try ... --help" line (the
// line alone for an option getopt knows but the program does not handle).
func Usage(name string, err error) int {
	if msg := err.Error(); msg != "" {
		fmt.Fprintln(os.Stderr, msg)
	}
	fmt.Fprintln(os.Stderr, getopt.TryHelp(name))
	return ExitFailure
}

// Output is a buffered stdout. Close flushes it and turns a write error
// into util-linux's "write error" message (EPIPE stays silent).
type Output struct {
	*bufio.Writer
	name string
}

// NewOutput wraps os.Stdout for the applet called name.
func NewOutput(name string) *Output {
	return &Output{Writer: bufio.NewWriterSize(os.Stdout, 64*1024), name: name}
}

// Close flushes and returns the exit code to use: rc, or 1 on a write error.
func (o *Output) Close(rc int) int {
	err := o.Flush()
	if err == nil {
		return rc
	}
	if Errno(err) == syscall.EPIPE {
		return rc
	}
	Warn(o.name, err, "write error")
	return ExitFailure
}

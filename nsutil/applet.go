package nsutil

import (
	"errors"
	"fmt"

	"nsbox/cli"
	"nsbox/getopt"
)

// Request is what an applet's flag layer makes of a command line: an
// *Unshare or an *Enter.
type Request interface {
	comparable
	Run() error
}

// AppletMain runs unshare or nsenter the way util-linux runs them: parse
// the command line (--help and --version act at once, and then parse
// returns no request), report a bad one getopt's way, then run.
func AppletMain[R Request](name string, parse func() (R, error)) int {
	req, err := parse()
	var ge *getopt.Error
	var none R
	switch {
	case errors.As(err, &ge):
		return cli.Usage(name, ge)
	case err != nil:
		return Report(name, err)
	case req == none:
		return 0
	}
	return Report(name, req.Run())
}

// Print writes --help or --version text on stdout; a failed write is
// util-linux's "write error" and exit status 1.
func Print(name, text string) error {
	out := cli.NewOutput(name)
	out.WriteString(text)
	if rc := out.Close(0); rc != 0 {
		return ExitStatus(rc)
	}
	return nil
}

// VersionLine is -V's text: util-linux's form, naming nsbox too.
func VersionLine(name string) string {
	return fmt.Sprintf("%s from util-linux %s (nsbox %s)\n", name, UtilLinuxRelease, Version)
}

package nsutil

import (
	"errors"
	"fmt"

	"nsbox/cli"
	"nsbox/getopt"
)

// AppletMain runs unshare or nsenter the way util-linux runs them: parse
// the command line (--help and --version act at once, so parse returns
// no run function for them), report a bad one getopt's way, then run.
func AppletMain(name string, parse func() (run func() error, err error)) int {
	run, err := parse()
	var ge *getopt.Error
	switch {
	case errors.As(err, &ge):
		return cli.Usage(name, ge)
	case err != nil:
		return Report(name, err)
	case run == nil:
		return 0
	}
	return Report(name, run())
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

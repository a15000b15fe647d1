package lsns

import (
	"bufio"
	"io"
	"os"
	"strings"
	"testing"

	"nsbox/cli"
)

// FuzzParseArgs: no command line panics lsns's parser; it either gives a
// configuration or ends with an exit code util-linux uses.
func FuzzParseArgs(f *testing.F) {
	for _, s := range []string{"-J -o NS,TYPE", "-r -J", "-P -p 1", "-Tparent -t pid", "--output-all -o +PNS",
		"-Q NPROCS>1", "-o ,,", "4026531836 -n", "-t foo", "-H -J", "--tree=bogus", "-p 0"} {
		f.Add(s)
	}
	null, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		f.Fatal(err)
	}
	stderr := os.Stderr
	os.Stderr = null // the parser prints its own diagnostics
	f.Cleanup(func() { os.Stderr = stderr; null.Close() })
	f.Fuzz(func(t *testing.T, s string) {
		out := &cli.Output{Writer: bufio.NewWriter(io.Discard)}
		cfg, err := parseArgs(append([]string{"lsns"}, strings.Split(s, " ")...), out)
		if err != nil {
			if code := exitCode(err); code != 0 && code != 1 {
				t.Fatalf("%q: exit %d", s, code)
			}
			return
		}
		if cfg == nil {
			t.Fatalf("%q: no configuration and no error", s)
		}
	})
}

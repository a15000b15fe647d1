package ip

import (
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// fuzzArgv turns a fuzz input into argv: words each end with a newline
// (a last word may omit it), so "" is no words and "\n" one empty word.
func fuzzArgv(s string) []string {
	w := strings.Split(s, "\n")
	if w[len(w)-1] == "" {
		w = w[:len(w)-1]
	}
	return w
}

func fuzzInput(argv ...string) string {
	var b strings.Builder
	for _, a := range argv {
		b.WriteString(a + "\n")
	}
	return b.String()
}

// FuzzCommandLine: the whole command-line parser, on random argv. It
// never panics and gives the same answer for the same words; a refusal
// has a message (whole lines) and a non-zero status; a name it accepts
// (-n, add, attach, set, delete, pids, exec) is a plain file name whose
// path stays directly in /run/netns; identify reads only /proc/PID or
// /proc/self; exec keeps the command words exactly, as the last words
// of the line; the argv is not changed.
func FuzzCommandLine(f *testing.F) {
	long := strings.Repeat("n", 255)
	for _, argv := range [][]string{
		{}, {""}, {"-x"}, {"--json", "netns"}, {"-V"}, {"-Version", "netns", "add", "x"},
		{"-h"}, {"-help"}, {"-l"}, {"-loops", "3", "netns"}, {"-f", "inet", "netns"}, {"-f", "bogus"},
		{"-rc", "0x10", "netns"}, {"-rc", "-1"}, {"-b"}, {"-b", "/f"}, {"-force", "-batch", "-", "-n", "a"},
		{"-n"}, {"-n", ".."}, {"-n", ""}, {"-n", "a/b"}, {"-n", "x", "-n", "y", "netns", "list"},
		{"-netns", "a\x00b", "netns"}, {"-c", "-color=never", "-color=bad"}, {"--", "netns"}, {"--", "-x"},
		{"-j", "-p", "netns"}, {"-all", "netns", "delete"}, {"-a", "net", "d", "../x"},
		{"-all", "netns", "exec", "sh", "-c", "echo $0"}, {"-all", "netns", "add", "../x"},
		{"netns"}, {"net", "ad", "x"}, {"net", "ad", ""}, {"netns", "add", ".."}, {"netns", "add", "."},
		{"netns", "add", "a/b"}, {"netns", "add", long}, {"netns", "add", long + "n"}, {"netns", "add", "x\x00/y"},
		{"netns", "attach", "y", "0x10"}, {"netns", "at", "y", "0"}, {"netns", "attach", "y", "-5"},
		{"netns", "set", "x", "auto"}, {"netns", "se", "x", "-3"}, {"netns", "set", "x", "2147483647"},
		{"netns", "delete"}, {"netns", "del", "x", "y"}, {"netns", "identify"}, {"netns", "identify", "12"},
		{"-all", "netns", "identify", ""}, {"netns", "i", "12a"}, {"netns", "pids", "x"}, {"netns", "pids", "x", "y"},
		{"netns", "exec", "x", "--", "sh", "-c", ""}, {"netns", "e", "x"}, {"netns", "exec", "/", "true"},
		{"netns", "monitor"}, {"netns", "list-id"}, {"netns", "list-id", "target-nsid", "1", "nsid", "2"},
		{"netns", "list-id", "nsid", "-1"}, {"netns", "list-id", "nsid", "1", "nsid"}, {"netns", "list-", "x"},
		{"netns", "bogus", ".."}, {"netns", "help"}, {"netns", "h", "x"}, {"help"}, {"link", "show"}, {"n"},
	} {
		f.Add(fuzzInput(argv...))
	}
	f.Fuzz(func(t *testing.T, s string) {
		argv := fuzzArgv(s)
		orig := slices.Clone(argv)
		cl := parseCmdLine(argv)
		if again := parseCmdLine(fuzzArgv(s)); !reflect.DeepEqual(cl, again) {
			t.Fatalf("%q: two answers:\n%+v\n%+v", argv, cl, again)
		}
		if !slices.Equal(argv, orig) {
			t.Fatalf("%q: argv changed to %q", orig, argv)
		}
		checkName := func(what, name string) {
			if invalidName(name) || strings.Contains(name, "/") || name == "." || name == ".." {
				t.Fatalf("%q: %s name %q accepted", argv, what, name)
			}
			p := nsPath(name)
			if filepath.Dir(p) != runDir || filepath.Base(p) != name || filepath.Clean(p) != p {
				t.Fatalf("%q: %s name %q gives %s, not a file in %s", argv, what, name, p, runDir)
			}
		}
		for _, n := range cl.netns {
			checkName("-n", n)
		}
		checkRefusal := func(e *parseError) {
			if e.msg == "" || !strings.HasSuffix(e.msg, "\n") || e.code <= 0 || e.code > 255 {
				t.Fatalf("%q: refusal %+v", argv, e)
			}
		}
		if cl.fail != nil {
			checkRefusal(cl.fail)
			return
		}
		if cl.version || cl.batch {
			return
		}
		c := cl.cmd
		if c.fail != nil {
			checkRefusal(c.fail)
			return
		}
		switch c.sub {
		case "add", "attach", "set", "pids":
			checkName(c.sub, c.name)
		case "delete":
			if !c.all {
				checkName(c.sub, c.name)
			}
		case "exec":
			if len(c.argv) == 0 || len(c.argv) > len(argv) || !slices.Equal(c.argv, argv[len(argv)-len(c.argv):]) {
				t.Fatalf("%q: exec words %q are not the line's last words", argv, c.argv)
			}
			if !c.all {
				checkName(c.sub, c.name)
				if argv[len(argv)-len(c.argv)-1] != c.name {
					t.Fatalf("%q: exec name %q is not the word before the command", argv, c.name)
				}
			}
		case "identify":
			if c.proc != "self" && !isPid(c.proc) {
				t.Fatalf("%q: identify reads /proc/%s", argv, c.proc)
			}
		case "list", "list-id", "monitor":
		default:
			t.Fatalf("%q: accepted subcommand %q", argv, c.sub)
		}
		if c.sub == "attach" && c.pid == 0 {
			t.Fatalf("%q: attach to PID 0", argv)
		}
		if c.sub == "set" && c.nsid < -1 {
			t.Fatalf("%q: nsid %d", argv, c.nsid)
		}
		if c.sub == "list-id" && (c.target < -1 || c.id < -1) {
			t.Fatalf("%q: list-id %d %d", argv, c.target, c.id)
		}
	})
}

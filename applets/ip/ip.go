// Package ip is nsbox's ip: iproute2's front end (global options,
// abbreviated object names, batch files) with the netns object, sharing
// /run/netns with iproute2 so that either tool can use what the other
// made. Every other object answers as an unknown one.
//
// Exit codes follow iproute2's arithmetic: a subcommand returns a C-style
// int that the object dispatcher negates (-1 is exit 1, -2 exit 2), and
// what iproute2 does with exit(-1) (bad names, usage, bad arguments) is
// exit 255.
package ip

import (
	"bufio"
	"fmt"
	"os"
	"strings"

	"golang.org/x/sys/unix"
)

// session is one run of ip: the global options and the state that
// iproute2 keeps across the lines of a batch file.
type session struct {
	out    *bufio.Writer
	tty    bool // stdout is a terminal: line buffered, as stdio makes it
	all    bool // -all, kept for the lines of a batch file
	json   bool
	pretty bool
	force  bool // -force: a batch goes on after a failed line
	batch  bool // running a -batch file: exec forks instead of replacing us
	nsid   nsidState
}

// Main runs ip with argv (argv[0] is the name it was called by).
func Main(argv []string) int {
	s := newSession()
	rc := s.run(argv[1:])
	s.out.Flush()
	return rc & 0xff
}

// newSession buffers stdout the way stdio would for iproute2: by lines on
// a terminal, otherwise in blocks of the file's preferred size, so that
// output mixed with stderr (2>&1) comes out in the same order.
func newSession() *session {
	size := 4096
	var st unix.Stat_t
	if unix.Fstat(1, &st) == nil && st.Blksize > 0 {
		size = int(st.Blksize)
	}
	_, err := unix.IoctlGetTermios(1, unix.TCGETS)
	return &session{out: bufio.NewWriterSize(os.Stdout, size), tty: err == nil}
}

// exit is C's exit: stdout is flushed, then the process ends.
func (s *session) exit(code int) {
	s.out.Flush()
	os.Exit(code & 0xff)
}

// errorf prints a message on stderr (unbuffered). Complete stdout lines
// go first on a terminal; otherwise, as with stdio, stdout stays in its
// buffer.
func (s *session) errorf(format string, a ...any) {
	if s.tty {
		s.out.Flush()
	}
	fmt.Fprintf(os.Stderr, format, a...)
}

// refuse prints a refusal of the parse step where the execution reached
// it, then ends ip or returns the status, as iproute2 does with it.
func (s *session) refuse(e *parseError) int {
	// Usage texts too: on a terminal, the names listed before them
	// come first, as with iproute2's line-buffered stdout.
	s.errorf("%s", e.msg)
	if e.exit {
		s.exit(e.code)
	}
	return e.code
}

// run parses the command line, then acts on it: the -n switches, then a
// batch file or one command.
func (s *session) run(args []string) int {
	cl := parseCmdLine(args)
	s.all, s.json, s.pretty, s.force = cl.all, cl.json, cl.pretty, cl.force
	// iproute2 switches while it reads the options, so what follows
	// (netlink sockets, files, a refusal) is seen from inside.
	for _, name := range cl.netns {
		if !s.switchNetns(name) {
			s.exit(255)
		}
	}
	switch {
	case cl.fail != nil:
		return s.refuse(cl.fail)
	case cl.version:
		s.out.WriteString(version())
		s.exit(0)
	case cl.batch:
		return s.runBatch(cl.batchFile)
	}
	return s.doCmd(&cl.cmd)
}

// doCmd runs one parsed command and returns ip's exit status for it.
func (s *session) doCmd(c *command) int {
	if c.fail != nil && c.failWhen == atObject {
		return s.refuse(c.fail)
	}
	return -s.netns(c)
}

// globalOptions are ip's options in the order iproute2 6.1 tries them;
// the order decides abbreviations: "-" is -loops, "-b" -batch, "-h"
// -human, "-f" -family, "-n" -netns, "-c" -color. Exact ones cannot be
// abbreviated.
var globalOptions = []struct {
	name  string
	exact bool
}{
	{"-loops", false}, {"-family", false}, {"-4", true}, {"-6", true},
	{"-0", true}, {"-M", true}, {"-B", true}, {"-human", false},
	{"-human-readable", false}, {"-iec", false}, {"-stats", false},
	{"-statistics", false}, {"-details", false}, {"-resolve", false},
	{"-oneline", false}, {"-timestamp", false}, {"-tshort", false},
	{"-Version", false}, {"-force", false}, {"-batch", false},
	{"-brief", false}, {"-json", false}, {"-pretty", false},
	{"-rcvbuf", false}, {"-color", false}, {"-help", false},
	{"-netns", false}, {"-Numeric", false}, {"-all", false},
	{"-echo", true},
}

// globalOption resolves an option word (one leading '-' of "--x" already
// dropped) to its canonical name, "" when unknown.
func globalOption(opt string) string {
	for _, o := range globalOptions {
		switch {
		case o.name == "-color":
			if matchesColor(opt) {
				return o.name
			}
		case o.exact:
			if opt == o.name {
				return o.name
			}
		case matches(opt, o.name):
			return o.name
		}
	}
	return ""
}

// knownFamily lists what -family accepts in iproute2 6.1.
func knownFamily(f string) bool {
	switch f {
	case "inet", "inet6", "link", "mpls", "bridge":
		return true
	}
	return false
}

// matchesColor is -c[olor][=always|auto|never]; any other value makes the
// word an unknown option.
func matchesColor(opt string) bool {
	name, val, _ := strings.Cut(opt, "=")
	if !matches(name, "-color") {
		return false
	}
	switch val {
	case "", "always", "auto", "never":
		return true
	}
	return false
}

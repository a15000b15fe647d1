package ip

import (
	"bufio"
	"os"
	"strings"

	"golang.org/x/sys/unix"

	"nsbox/cli"
)

// maxBatchArgs is iproute2's MAX_ARGS: a batch line may have one word less.
const maxBatchArgs = 512

// runBatch is -batch FILE ("-" is stdin): one "OBJECT ARGS..." command per
// line, with # comments, backslash continuation lines and words in double
// or single quotes. The first failing line stops the batch (exit 1)
// unless -force; "netns exec" lines run in a child.
func (s *session) runBatch(name string) int {
	s.batch = true
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			s.errorf("Cannot open file \"%s\" for reading: %s\n", name, cli.Strerror(err))
			return 1
		}
		// iproute2 reopens stdin on the file, so the programs that
		// exec lines run read from it too.
		if err := unix.Dup3(int(f.Fd()), 0, 0); err != nil {
			s.errorf("Cannot open file \"%s\" for reading: %s\n", name, cli.Strerror(err))
			return 1
		}
		f.Close()
	}
	r := bufio.NewReaderSize(os.Stdin, 4096)
	lineno := 0
	rc := 0
	for {
		line, ok := s.cmdline(r, &lineno)
		if !ok {
			break
		}
		words := s.makeArgs(line)
		if len(words) == 0 {
			continue
		}
		c := parseCommand(words[0], words[1:], s.all)
		if s.doCmd(&c) != 0 {
			s.errorf("Command failed %s:%d\n", name, lineno)
			rc = 1
			if !s.force {
				break
			}
		}
	}
	return rc
}

// cmdline reads one logical line: the text before any '#', joined with
// the following line(s) while it ends in a backslash. lineno counts
// physical lines. ok is false at the end (or after "Missing continuation
// line").
func (s *session) cmdline(r *bufio.Reader, lineno *int) (string, bool) {
	line, ok := readLine(r)
	if !ok {
		return "", false
	}
	*lineno++
	line = cutComment(line)
	for {
		i := strings.Index(line, "\\\n")
		if i < 0 {
			return line, true
		}
		next, ok := readLine(r)
		if !ok {
			s.errorf("Missing continuation line\n")
			return "", false
		}
		*lineno++
		line = line[:i] + cutComment(next)
	}
}

// readLine returns the next line with its newline, cut at a NUL byte
// (iproute2 handles lines as C strings); ok is false at end of file.
func readLine(r *bufio.Reader) (string, bool) {
	line, err := r.ReadString('\n')
	if line == "" && err != nil {
		return "", false
	}
	if i := strings.IndexByte(line, 0); i >= 0 {
		line = line[:i]
	}
	return line, true
}

func cutComment(line string) string {
	if i := strings.IndexByte(line, '#'); i >= 0 {
		return line[:i]
	}
	return line
}

// makeArgs splits a line into words at blanks (space, tab, CR, LF). A
// word that starts with a quote runs to the matching quote, blanks
// included, and ends there; quotes inside a word are ordinary characters.
func (s *session) makeArgs(line string) []string {
	const blanks = " \t\r\n"
	var words []string
	for i := 0; i < len(line); {
		for i < len(line) && strings.IndexByte(blanks, line[i]) >= 0 {
			i++
		}
		if i >= len(line) {
			break
		}
		if len(words) >= maxBatchArgs-1 {
			s.errorf("Too many arguments to command\n")
			s.exit(1)
		}
		if q := line[i]; q == '"' || q == '\'' {
			j := strings.IndexByte(line[i+1:], q)
			if j < 0 {
				s.errorf("Unterminated quoted string\n")
				s.exit(1)
			}
			words = append(words, line[i+1:i+1+j])
			i += j + 2
			continue
		}
		j := strings.IndexAny(line[i:], blanks)
		if j < 0 {
			words = append(words, line[i:])
			break
		}
		words = append(words, line[i:i+j])
		i += j + 1
	}
	return words
}

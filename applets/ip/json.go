package ip

import (
	"bufio"
	"strconv"
	"strings"
)

// jsonOut writes ip's -json output: an array of flat objects, compact or,
// with -pretty, laid out the way iproute2 lays it out ("[ {", four spaces
// per level, "},{" between objects, " ]" at the end, "[ ]" when empty).
// The byte layout is interface: scripts and tests compare it.
type jsonOut struct {
	w      *bufio.Writer
	pretty bool
	depth  int
	comma  bool // the next value at this level needs a separator
}

func newJSON(w *bufio.Writer, pretty bool) *jsonOut {
	j := &jsonOut{w: w, pretty: pretty}
	j.open('[')
	if pretty {
		j.w.WriteByte(' ')
	}
	return j
}

// close ends the array and the output line, and flushes as iproute2's
// writer does (this decides the order of stdout and stderr under 2>&1).
func (j *jsonOut) close() {
	if j.pretty && j.comma {
		j.w.WriteByte(' ')
	}
	j.comma = false
	j.end(']')
	j.w.WriteByte('\n')
	j.w.Flush()
}

func (j *jsonOut) separate() {
	if j.comma {
		j.w.WriteByte(',')
	}
	j.comma = true
}

// newline starts a pretty line indented to the current depth.
func (j *jsonOut) newline() {
	if j.pretty {
		j.w.WriteByte('\n')
		j.w.WriteString(strings.Repeat("    ", j.depth))
	}
}

func (j *jsonOut) open(c byte) {
	j.separate()
	j.w.WriteByte(c)
	j.depth++
	j.comma = false
}

func (j *jsonOut) end(c byte) {
	j.depth--
	if j.comma {
		j.newline()
	}
	j.w.WriteByte(c)
	j.comma = true
}

func (j *jsonOut) startObject() { j.open('{') }
func (j *jsonOut) endObject()   { j.end('}') }

func (j *jsonOut) key(k string) {
	j.separate()
	j.newline()
	j.comma = false
	j.quote(k)
	j.w.WriteByte(':')
	if j.pretty {
		j.w.WriteByte(' ')
	}
}

func (j *jsonOut) str(k, v string) {
	j.key(k)
	j.separate()
	j.quote(v)
}

func (j *jsonOut) int(k string, v int64) {
	j.key(k)
	j.separate()
	j.w.WriteString(strconv.FormatInt(v, 10))
}

// quote writes s as a JSON string with iproute2's escapes: only the named
// control characters, backslash and the double quote are escaped; other
// bytes (other control characters, UTF-8) pass through unchanged.
func (j *jsonOut) quote(s string) {
	j.w.WriteByte('"')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\t':
			j.w.WriteString(`\t`)
		case '\n':
			j.w.WriteString(`\n`)
		case '\r':
			j.w.WriteString(`\r`)
		case '\f':
			j.w.WriteString(`\f`)
		case '\b':
			j.w.WriteString(`\b`)
		case '\\':
			j.w.WriteString(`\\`)
		case '"':
			j.w.WriteString(`\"`)
		default:
			j.w.WriteByte(c)
		}
	}
	j.w.WriteByte('"')
}

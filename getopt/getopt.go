// Package getopt reads a command line the way glibc's getopt_long does,
// because util-linux scripts depend on its exact rules: clustering (-rfp),
// attached-only optional arguments (-m/path, --mount=/path), unique-prefix
// long options (--map-r), stopping at the first non-option (optstring '+'),
// GNU permutation otherwise, and its diagnostics word for word.
//
// The parser is an iterator so that applets act on options in argv order:
// util-linux runs some options (--help, --map-users=auto) the moment it sees
// them, and a later bad option must not pre-empt an earlier --help.
package getopt

import (
	"fmt"
	"os"
	"strings"
)

// ArgKind says whether an option takes an argument.
type ArgKind int

const (
	NoArg    ArgKind = iota // --fork
	Required                // --setuid UID, --setuid=UID, -S UID, -SUID
	Optional                // --net[=FILE], -nFILE: attached only
)

// Long describes one long option; Key is what Next reports for it (a short
// option letter, or any value above 0xff for long-only options).
type Long struct {
	Name string
	Arg  ArgKind
	Key  int
}

// Error is a getopt diagnostic, already formatted with argv[0] as invoked.
type Error struct{ Msg string }

func (e *Error) Error() string { return e.Msg }

// Parser walks argv[1:]. Create it with New.
type Parser struct {
	prog    string
	args    []string
	shorts  string // the short options, as in getopt's optstring (without the leading '+')
	longs   []Long
	permute bool

	idx      int      // next element of args to look at
	cluster  string   // rest of a short-option cluster being read
	nonopts  []string // non-options set aside while permuting
	finished bool
}

// Opt is one option occurrence.
type Opt struct {
	Key    int
	Arg    string
	HasArg bool   // an optional argument was given
	Name   string // the long name, or "" for a short option
}

// New prepares a parser. optstring uses getopt's syntax: "x" no argument,
// "x:" required, "x::" optional; a leading '+' stops at the first
// non-option (and so does POSIXLY_CORRECT in the environment).
func New(argv []string, optstring string, longs []Long) *Parser {
	p := &Parser{prog: argv[0], args: argv[1:], longs: longs, permute: true}
	if strings.HasPrefix(optstring, "+") {
		p.permute = false
		optstring = optstring[1:]
	}
	if _, ok := os.LookupEnv("POSIXLY_CORRECT"); ok {
		p.permute = false
	}
	p.shorts = optstring
	return p
}

// shortKind reports whether c is a short option and what argument it takes,
// reading the optstring as getopt does: a letter, then ':' for a required
// argument or "::" for an optional one.
func (p *Parser) shortKind(c rune) (ArgKind, bool) {
	rs := p.shorts
	for i := 0; i < len(rs); i++ {
		opt, kind := rune(rs[i]), NoArg
		if i+1 < len(rs) && rs[i+1] == ':' {
			kind = Required
			i++
			if i+1 < len(rs) && rs[i+1] == ':' {
				kind = Optional
				i++
			}
		}
		if opt == c {
			return kind, true
		}
	}
	return NoArg, false
}

// Next returns the next option. ok is false once the options are over; then
// Rest gives the operands.
func (p *Parser) Next() (opt Opt, ok bool, err error) {
	if p.cluster != "" {
		return p.short()
	}
	for !p.finished && p.idx < len(p.args) {
		a := p.args[p.idx]
		switch {
		case a == "--":
			p.idx++
			p.finished = true
		case strings.HasPrefix(a, "--"):
			p.idx++
			return p.long(a[2:])
		case len(a) > 1 && a[0] == '-':
			p.idx++
			p.cluster = a[1:]
			return p.short()
		case p.permute:
			p.nonopts = append(p.nonopts, a)
			p.idx++
		default:
			p.finished = true
		}
	}
	p.finished = true
	return Opt{}, false, nil
}

// Rest returns the operands: with permutation, those set aside first, then
// everything after "--" or the end of options.
func (p *Parser) Rest() []string {
	rest := append([]string{}, p.nonopts...)
	return append(rest, p.args[p.idx:]...)
}

func (p *Parser) errorf(format string, a ...any) error {
	return &Error{Msg: p.prog + ": " + fmt.Sprintf(format, a...)}
}

func (p *Parser) short() (Opt, bool, error) {
	r := []rune(p.cluster)
	c := r[0]
	p.cluster = string(r[1:])
	kind, known := p.shortKind(c)
	if !known || c == ':' {
		return Opt{}, false, p.errorf("invalid option -- '%c'", c)
	}
	o := Opt{Key: int(c)}
	switch kind {
	case Required:
		if p.cluster != "" {
			o.Arg, p.cluster = p.cluster, ""
		} else if p.idx < len(p.args) {
			o.Arg = p.args[p.idx]
			p.idx++
		} else {
			return Opt{}, false, p.errorf("option requires an argument -- '%c'", c)
		}
		o.HasArg = true
	case Optional:
		if p.cluster != "" {
			o.Arg, o.HasArg, p.cluster = p.cluster, true, ""
		}
	}
	return o, true, nil
}

func (p *Parser) long(text string) (Opt, bool, error) {
	name, value, hasValue := strings.Cut(text, "=")
	var found *Long
	var ambiguous []string
	for i := range p.longs {
		l := &p.longs[i]
		if l.Name == name {
			found, ambiguous = l, nil
			break
		}
		if !strings.HasPrefix(l.Name, name) {
			continue
		}
		switch {
		case found == nil:
			found = l
		case found.Arg != l.Arg || found.Key != l.Key:
			// glibc treats prefixes of equivalent options as one option.
			if ambiguous == nil {
				ambiguous = []string{found.Name}
			}
			ambiguous = append(ambiguous, l.Name)
		}
	}
	if ambiguous != nil {
		var b strings.Builder
		for _, n := range ambiguous {
			fmt.Fprintf(&b, " '--%s'", n)
		}
		return Opt{}, false, p.errorf("option '--%s' is ambiguous; possibilities:%s", text, b.String())
	}
	if found == nil || name == "" {
		return Opt{}, false, p.errorf("unrecognized option '--%s'", text)
	}
	o := Opt{Key: found.Key, Name: found.Name}
	switch found.Arg {
	case NoArg:
		if hasValue {
			return Opt{}, false, p.errorf("option '--%s' doesn't allow an argument", found.Name)
		}
	case Required:
		if hasValue {
			o.Arg = value
		} else if p.idx < len(p.args) {
			o.Arg = p.args[p.idx]
			p.idx++
		} else {
			return Opt{}, false, p.errorf("option '--%s' requires an argument", found.Name)
		}
		o.HasArg = true
	case Optional:
		o.Arg, o.HasArg = value, hasValue
	}
	return o, true, nil
}

// TryHelp is the line util-linux prints after a getopt diagnostic.
func TryHelp(applet string) string {
	return fmt.Sprintf("Try '%s --help' for more information.", applet)
}

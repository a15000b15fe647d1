package lsns

import (
	"io"
	"regexp"
	"regexp/syntax"
	"strings"
)

// The -Q expression language of libsmartcols (scols-filter(5)), parsed by
// recursive descent into the tree its bison grammar builds:
//
//	expr    := cmp { (and|or) cmp }          left-associative, one level
//	cmp     := operand { (==|!=|<|<=|>|>=|=~|!~) operand }
//	operand := (!|not) operand | '(' expr ')' | param
//
// "and" and "or" really share one precedence level in libsmartcols, and
// "!" binds like a comparison, so "!A == B" is "(!A) == B". Syntax errors
// are worded the way bison words them for that grammar.

// dtype is a value type of the filter.
type dtype int

const (
	dNone dtype = iota
	dString
	dU64
	dFloat
	dBool
)

// fnode is *fparam or *fexpr.
type fnode interface{}

// fparam is a literal or a column holder.
type fparam struct {
	v      val
	holder string // column name as written, for a holder
	col    int    // bound table column, -1 when not bound
	decl   dtype  // the bound column's type
}

// fexpr is an operator with its operands (left is nil for negation).
type fexpr struct {
	op          tokKind
	left, right fnode
}

// filter is a parsed expression; root is nil for an empty one, which
// matches everything.
type filter struct {
	root    fnode
	holders []*fparam // in the order they appear
}

// parseError carries libsmartcols' error message.
type parseError struct{ msg string }

func (e *parseError) Error() string { return e.msg }

type parser struct {
	lx   *lexer
	look token
	has  bool
	f    *filter
}

// parseFilter parses a -Q argument. Characters the scanner cannot match
// are echoed to echo, as libsmartcols' scanner does to stdout.
func parseFilter(q string, echo io.Writer) (*filter, error) {
	f := &filter{}
	if q == "" {
		return f, nil
	}
	p := &parser{lx: &lexer{src: q, echo: echo}, f: f}
	root, err := p.parseExpr()
	if err != nil {
		return nil, err
	}
	if t := p.take(); t.kind != tEOF {
		return nil, syntaxError(t.kind, true)
	}
	f.root = root
	return f, nil
}

func (p *parser) peek() token {
	if !p.has {
		p.look, p.has = p.lx.next(), true
	}
	return p.look
}

func (p *parser) take() token {
	t := p.peek()
	p.has = false
	return t
}

// syntaxError words an unexpected token like bison: with the expected
// token only where exactly one (end of input) is possible, and with the
// first "T_" of the message removed as libsmartcols does.
func syntaxError(k tokKind, expectingEnd bool) error {
	msg := "syntax error, unexpected " + tokenNames[k]
	if expectingEnd {
		msg += ", expecting end of file"
	}
	if i := strings.Index(msg, "T_"); i >= 0 {
		msg = msg[:i] + msg[i+2:]
	}
	return &parseError{msg: msg}
}

func (p *parser) parseExpr() (fnode, error) {
	left, err := p.parseCmp()
	if err != nil {
		return nil, err
	}
	for {
		t := p.peek()
		if t.kind != tAnd && t.kind != tOr {
			return left, nil
		}
		p.take()
		right, err := p.parseCmp()
		if err != nil {
			return nil, err
		}
		left = &fexpr{op: t.kind, left: left, right: right}
	}
}

func isComparison(k tokKind) bool { return k >= tEq && k <= tNreg }

func (p *parser) parseCmp() (fnode, error) {
	left, err := p.parseOperand()
	if err != nil {
		return nil, err
	}
	for {
		t := p.peek()
		if !isComparison(t.kind) {
			return left, nil
		}
		p.take()
		right, err := p.parseOperand()
		if err != nil {
			return nil, err
		}
		if t.kind == tReg || t.kind == tNreg {
			if err := compileRegex(right); err != nil {
				return nil, err
			}
		}
		left = &fexpr{op: t.kind, left: left, right: right}
	}
}

func (p *parser) parseOperand() (fnode, error) {
	t := p.take()
	switch t.kind {
	case tNeg:
		x, err := p.parseOperand()
		if err != nil {
			return nil, err
		}
		return &fexpr{op: tNeg, right: x}, nil
	case tLParen:
		e, err := p.parseExpr()
		if err != nil {
			return nil, err
		}
		if c := p.take(); c.kind != tRParen {
			return nil, syntaxError(c.kind, false)
		}
		return e, nil
	case tNumber:
		return &fparam{v: val{typ: dU64, num: t.num}, col: -1}, nil
	case tFloat:
		return &fparam{v: val{typ: dFloat, fnum: t.fnum}, col: -1}, nil
	case tString:
		return &fparam{v: val{typ: dString, str: paramString(t.text)}, col: -1}, nil
	case tTrue, tFalse:
		return &fparam{v: val{typ: dBool, b: t.kind == tTrue}, col: -1}, nil
	case tHolder:
		h := &fparam{holder: t.text, col: -1, v: val{typ: dNone}}
		p.f.holders = append(p.f.holders, h)
		return h, nil
	case tInvalidNumber:
		return nil, &parseError{msg: p.lx.errmsg}
	}
	return nil, syntaxError(t.kind, false)
}

// paramString is how libsmartcols stores a string value: a leading quote
// and a matching trailing one removed, then surrounding white space.
func paramString(s string) string {
	if s != "" && (s[0] == '"' || s[0] == '\'') {
		if len(s) >= 2 && s[len(s)-1] == s[0] {
			s = s[1 : len(s)-1]
		} else {
			s = s[1:]
		}
	}
	return strings.TrimFunc(s, func(r rune) bool { return r < 0x80 && isCSpace(byte(r)) })
}

// compileRegex compiles the right side of =~ / !~ at parse time, as
// libsmartcols does. Only a string literal can be a pattern; anything else
// fails without a message ("(null)" in util-linux's output).
func compileRegex(n fnode) error {
	p, ok := n.(*fparam)
	if !ok || p.holder != "" || p.v.typ != dString {
		return &parseError{msg: "(null)"}
	}
	re, err := regexp.CompilePOSIX(p.v.str)
	if err != nil {
		return &parseError{msg: regexMessage(err)}
	}
	p.v.re = re
	return nil
}

// regexMessage maps a pattern error to glibc's regerror text.
func regexMessage(err error) string {
	se, ok := err.(*syntax.Error)
	if !ok {
		return "Invalid regular expression"
	}
	switch se.Code {
	case syntax.ErrMissingBracket:
		return "Unmatched [, [^, [:, [., or [="
	case syntax.ErrMissingParen:
		return "Unmatched ( or \\("
	case syntax.ErrUnexpectedParen:
		return "Unmatched ) or \\)"
	case syntax.ErrMissingRepeatArgument, syntax.ErrInvalidRepeatOp:
		return "Invalid preceding regular expression"
	case syntax.ErrInvalidRepeatSize:
		return "Invalid content of \\{\\}"
	case syntax.ErrTrailingBackslash:
		return "Trailing backslash"
	case syntax.ErrInvalidCharRange:
		return "Invalid range end"
	case syntax.ErrInvalidCharClass:
		return "Invalid character class name"
	case syntax.ErrLarge, syntax.ErrNestingDepth:
		return "Regular expression too big"
	}
	return "Invalid regular expression"
}

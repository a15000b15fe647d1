package lsns

import (
	"io"
	"math"
	"strconv"
	"syscall"

	"nsbox/cli"
)

// The -Q expression scanner. It follows libsmartcols' flex rules: the
// longest match wins, ties go to the earlier rule, and a character no rule
// matches is copied to standard output (flex's default action) and
// skipped.

type tokKind int

const (
	tEOF tokKind = iota
	tLParen
	tRParen
	tQuote // a lone apostrophe, which the grammar does not know
	tNumber
	tString
	tHolder
	tFloat
	tOr
	tAnd
	tEq
	tNe
	tLt
	tLe
	tGt
	tGe
	tReg
	tNreg
	tTrue
	tFalse
	tNeg
	tInvalidNumber
)

// tokenNames are the names bison uses in its messages (the first "T_" of
// a message is later removed, as libsmartcols does).
var tokenNames = map[tokKind]string{
	tEOF: "end of file", tLParen: "'('", tRParen: "')'", tQuote: "invalid token",
	tNumber: "T_NUMBER", tString: "T_STRING", tHolder: "T_HOLDER", tFloat: "T_FLOAT",
	tOr: "T_OR", tAnd: "T_AND", tEq: "T_EQ", tNe: "T_NE", tLt: "T_LT", tLe: "T_LE",
	tGt: "T_GT", tGe: "T_GE", tReg: "T_REG", tNreg: "T_NREG", tTrue: "T_TRUE",
	tFalse: "T_FALSE", tNeg: "T_NEG", tInvalidNumber: "T_INVALID_NUMBER",
}

type token struct {
	kind tokKind
	text string
	num  uint64
	fnum float64
}

// keywords are the fixed spellings, in rule order.
var keywords = []struct {
	text string
	kind tokKind
}{
	{"(", tLParen}, {")", tRParen}, {"'", tQuote},
	{"and", tAnd}, {"AND", tAnd}, {"&&", tAnd},
	{"or", tOr}, {"OR", tOr}, {"||", tOr},
	{"!", tNeg}, {"not", tNeg}, {"NOT", tNeg},
	{"eq", tEq}, {"EQ", tEq}, {"==", tEq},
	{"ne", tNe}, {"NE", tNe}, {"!=", tNe},
	{"le", tLe}, {"LE", tLe}, {"<=", tLe},
	{"lt", tLt}, {"LT", tLt}, {"<", tLt},
	{"ge", tGe}, {"GE", tGe}, {">=", tGe},
	{"gt", tGt}, {"GT", tGt}, {">", tGt},
	{"=~", tReg}, {"!~", tNreg},
	{"false", tFalse}, {"FALSE", tFalse}, {"true", tTrue}, {"TRUE", tTrue},
}

type lexer struct {
	src  string
	pos  int
	echo io.Writer // where unmatched characters go
	// errmsg is set by a number the scanner rejects; a later syntax
	// error replaces it.
	errmsg string
}

func isDigit(c byte) bool  { return c >= '0' && c <= '9' }
func isLetter(c byte) bool { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') }
func isIDChar(c byte) bool {
	return isLetter(c) || isDigit(c) || c == '_' || c == '.' || c == '%' || c == ':' || c == '/' || c == '-'
}

func (l *lexer) next() token {
	for l.pos < len(l.src) {
		s := l.src[l.pos:]
		c := s[0]
		if c == ' ' || c == '\t' || c == '\n' {
			l.pos++
			continue
		}
		best, kind := 0, tEOF
		for _, k := range keywords {
			if len(k.text) > best && len(s) >= len(k.text) && s[:len(k.text)] == k.text {
				best, kind = len(k.text), k.kind
			}
		}
		// Numbers: float, number with a size suffix, plain number.
		if isDigit(c) {
			d := 0
			for d < len(s) && isDigit(s[d]) {
				d++
			}
			if d+1 < len(s) && s[d] == '.' && isDigit(s[d+1]) {
				e := d + 1
				for e < len(s) && isDigit(s[e]) {
					e++
				}
				if e > best {
					best, kind = e, tFloat
				}
			}
			if d < len(s) && isSizeSuffix(s[d]) {
				e := d + 1
				if e+1 < len(s) && s[e] == 'i' && s[e+1] == 'B' {
					e += 2
				}
				if e > best {
					best, kind = e, tInvalidNumber // refined below
				}
			}
			if d > best {
				best, kind = d, tNumber
			}
		}
		if isLetter(c) {
			e := 1
			for e < len(s) && isIDChar(s[e]) {
				e++
			}
			if e > best {
				best, kind = e, tHolder
			}
		}
		if c == '"' || c == '\'' {
			e := 1
			for e < len(s) && s[e] != c && s[e] != '\n' {
				e++
			}
			if e < len(s) && s[e] == c && e+1 > best {
				best, kind = e+1, tString
			}
		}
		if best == 0 {
			// flex's default rule: ECHO.
			l.echo.Write([]byte{c})
			l.pos++
			continue
		}
		text := s[:best]
		l.pos += best
		t := token{kind: kind, text: text}
		switch kind {
		case tFloat:
			t.fnum, _ = strconv.ParseFloat(text, 64)
		case tNumber:
			n, _, _, over := strtoNum(text)
			if over {
				n = math.MaxUint64 // strtoumax saturates
			}
			t.num = n
		case tInvalidNumber:
			n, errno := parseSize(text)
			if errno != 0 {
				l.errmsg = "\"" + text + "\" token error: " + cli.Strerror(errno)
			} else {
				t.kind, t.num = tNumber, n
			}
		}
		return t
	}
	return token{kind: tEOF}
}

func isSizeSuffix(c byte) bool {
	switch c {
	case 'K', 'M', 'G', 'T', 'P', 'E', 'Z', 'Y':
		return true
	}
	return false
}

// parseSize is util-linux's strtosize for "<digits><K..Y>[iB]": the
// number is read like strtoumax in base 0 (a leading 0 means octal) and
// scaled by 1024 per suffix step.
func parseSize(s string) (uint64, syscall.Errno) {
	base := uint64(10)
	i := 0
	if len(s) > 1 && s[0] == '0' {
		base, i = 8, 1
	}
	var x uint64
	over := false
	for ; i < len(s) && s[i] >= '0' && s[i] < byte('0'+base); i++ {
		d := uint64(s[i] - '0')
		if x > (math.MaxUint64-d)/base {
			over = true
		} else {
			x = x*base + d
		}
	}
	if over {
		return 0, syscall.ERANGE
	}
	rest := s[i:]
	if rest == "" || !isSizeSuffix(rest[0]) || (len(rest) != 1 && rest[1:] != "iB") {
		return 0, syscall.EINVAL
	}
	power := 1 + indexByte("KMGTPEZY", rest[0])
	for ; power > 0; power-- {
		if x > math.MaxUint64/1024 {
			return 0, syscall.ERANGE
		}
		x *= 1024
	}
	return x, 0
}

func indexByte(s string, c byte) int {
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			return i
		}
	}
	return -1
}

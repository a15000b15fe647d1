package lsns

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"syscall"
)

// Evaluation of a parsed -Q expression against one row, with
// libsmartcols' typing: a comparison takes the type of its literal side
// (a holder gives way to a literal), prefers float over number, and casts
// both sides to it; a failed cast is an error, not a mismatch.

// val is a typed value. empty marks a holder whose cell has no data.
type val struct {
	typ     dtype
	empty   bool
	strNull bool // a string value that is NULL rather than ""
	str     string
	num     uint64
	fnum    float64
	b       bool
	re      *regexp.Regexp
}

// cellSource gives the filter a row's cells on demand.
type cellSource func(col int) (string, bool)

// match evaluates the filter; the error is the errno libsmartcols fails
// with.
func (f *filter) match(cells cellSource) (bool, error) {
	if f.root == nil {
		return true, nil
	}
	return evalNode(f.root, cells)
}

func evalNode(n fnode, cells cellSource) (bool, error) {
	switch n := n.(type) {
	case *fparam:
		v, err := n.fetch(cells)
		if err != nil || v.empty {
			return false, err
		}
		switch v.typ {
		case dString:
			return !v.strNull && v.str != "", nil
		case dU64:
			return v.num != 0, nil
		case dFloat:
			return v.fnum != 0, nil
		case dBool:
			return v.b, nil
		}
		return false, syscall.EINVAL
	case *fexpr:
		return evalExpr(n, cells)
	}
	return false, syscall.EINVAL
}

// fetch is a parameter's value for this row: a literal as it is, a holder
// from its cell (as a string, then cast to the column's type).
func (p *fparam) fetch(cells cellSource) (val, error) {
	if p.holder == "" {
		return p.v, nil
	}
	if p.col < 0 {
		return val{}, syscall.EINVAL
	}
	data, ok := cells(p.col)
	v := val{typ: dString}
	if ok {
		v.str = paramString(data)
	} else {
		v.empty, v.strNull = true, true
	}
	if p.decl != dNone {
		return castVal(v, p.decl)
	}
	return v, nil
}

func nodeType(n fnode) dtype {
	switch n := n.(type) {
	case *fexpr:
		return dBool
	case *fparam:
		if n.holder != "" {
			if n.col < 0 {
				return dNone
			}
			return n.decl
		}
		return n.v.typ
	}
	return dNone
}

func isHolder(n fnode) bool {
	p, ok := n.(*fparam)
	return ok && p.holder != ""
}

func guessType(e *fexpr) dtype {
	l, r := nodeType(e.left), nodeType(e.right)
	if l == r {
		return l
	}
	t := l
	if isHolder(e.left) && !isHolder(e.right) {
		t = r
	}
	if t == dU64 && (l == dFloat || r == dFloat) {
		t = dFloat
	}
	return t
}

func evalExpr(e *fexpr, cells cellSource) (bool, error) {
	switch e.op {
	case tAnd:
		ok, err := evalNode(e.left, cells)
		if err == nil && ok {
			ok, err = evalNode(e.right, cells)
		}
		return ok, err
	case tOr:
		ok, err := evalNode(e.left, cells)
		if err == nil && !ok {
			ok, err = evalNode(e.right, cells)
		}
		return ok, err
	case tNeg:
		ok, err := evalNode(e.right, cells)
		return !ok && err == nil, err
	}
	t := guessType(e)
	l, err := castNode(e.left, t, cells)
	if err != nil {
		return false, err
	}
	r, err := castNode(e.right, t, cells)
	if err != nil {
		return false, err
	}
	return compare(e.op, l, r)
}

// castNode is an operand as type t. A value that needs converting is
// copied first, and the copy forgets that it was empty, except for a NULL
// string (libsmartcols' copy_param).
func castNode(n fnode, t dtype, cells cellSource) (val, error) {
	var v val
	switch n := n.(type) {
	case *fexpr:
		ok, err := evalExpr(n, cells)
		if err != nil {
			return val{}, err
		}
		v = val{typ: dBool, b: ok}
	case *fparam:
		org := nodeType(n)
		fv, err := n.fetch(cells)
		if err != nil {
			return val{}, err
		}
		if t == org {
			return fv, nil
		}
		v = fv
		v.empty = v.typ == dString && v.strNull
	}
	if v.typ == t {
		return v, nil
	}
	return castVal(v, t)
}

func castVal(v val, t dtype) (val, error) {
	if v.typ == t {
		return v, nil
	}
	out := val{typ: t, empty: v.empty}
	switch v.typ {
	case dString:
		switch t {
		case dU64:
			if !v.strNull {
				n, errno := cStrtou64(v.str)
				if errno != 0 {
					return val{}, errno
				}
				out.num = n
			}
		case dFloat:
			if !v.strNull {
				f, err := cStrtold(v.str)
				if err != nil {
					return val{}, err
				}
				out.fnum = f
			}
		case dBool:
			s := v.str
			out.b = !v.strNull && s != "" && (s == "1" || strings.EqualFold(s, "true") || s[0] == 'y' || s[0] == 'Y')
		default:
			return val{}, syscall.EINVAL
		}
	case dU64:
		switch t {
		case dString:
			out.str = strconv.FormatUint(v.num, 10)
		case dFloat:
			out.fnum = float64(v.num)
		case dBool:
			out.b = v.num > 0
		default:
			return val{}, syscall.EINVAL
		}
	case dFloat:
		switch t {
		case dString:
			out.str = formatG(v.fnum)
		case dU64:
			if v.fnum > 0 {
				out.num = uint64(v.fnum)
			}
		case dBool:
			out.b = v.fnum > 0
		default:
			return val{}, syscall.EINVAL
		}
	case dBool:
		switch t {
		case dString:
			out.str = strconv.FormatBool(v.b)
		case dU64:
			if v.b {
				out.num = 1
			}
		case dFloat:
			if v.b {
				out.fnum = 1
			}
		default:
			return val{}, syscall.EINVAL
		}
	default:
		return val{}, syscall.EINVAL
	}
	return out, nil
}

// cStrtold is util-linux's ul_strtold: the whole string must be a number.
func cStrtold(s string) (float64, error) {
	if s == "" {
		return 0, syscall.EINVAL
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			return 0, syscall.ERANGE
		}
		return 0, syscall.EINVAL
	}
	return f, nil
}

// formatG is C's "%g".
func formatG(f float64) string {
	switch {
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	case math.IsNaN(f):
		return "nan"
	}
	return strconv.FormatFloat(f, 'g', 6, 64)
}

func compare(op tokKind, l, r val) (bool, error) {
	if l.typ != r.typ {
		return false, syscall.EINVAL
	}
	if l.typ == dString {
		if op == tReg || op == tNreg {
			if r.re == nil {
				return false, syscall.EINVAL
			}
			return r.re.MatchString(l.str) == (op == tReg), nil
		}
		return ordered(op, cmpStrings(l, r))
	}
	if l.empty || r.empty {
		return false, nil
	}
	var c int
	switch l.typ {
	case dU64:
		c = cmp3(l.num < r.num, l.num > r.num)
	case dFloat:
		if op == tNe {
			return l.fnum != r.fnum, nil
		}
		c = cmp3(l.fnum < r.fnum, l.fnum > r.fnum)
		if math.IsNaN(l.fnum) || math.IsNaN(r.fnum) {
			return false, nil
		}
	case dBool:
		lb, rb := 0, 0
		if l.b {
			lb = 1
		}
		if r.b {
			rb = 1
		}
		c = lb - rb
	default:
		return false, syscall.EINVAL
	}
	return ordered(op, c)
}

func cmp3(lt, gt bool) int {
	switch {
	case lt:
		return -1
	case gt:
		return 1
	}
	return 0
}

// cmpStrings is strcmp with NULL sorting first.
func cmpStrings(l, r val) int {
	switch {
	case l.strNull && r.strNull:
		return 0
	case l.strNull:
		return -1
	case r.strNull:
		return 1
	}
	return strings.Compare(l.str, r.str)
}

func ordered(op tokKind, c int) (bool, error) {
	switch op {
	case tEq:
		return c == 0, nil
	case tNe:
		return c != 0, nil
	case tLe:
		return c <= 0, nil
	case tLt:
		return c < 0, nil
	case tGe:
		return c >= 0, nil
	case tGt:
		return c > 0, nil
	}
	return false, syscall.EINVAL
}

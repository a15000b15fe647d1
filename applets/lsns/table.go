package lsns

import (
	"io"
	"os"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// A small libsmartcols: columns, lines that may form a tree, and the
// human, raw and JSON formats with libsmartcols' width rules, so that the
// bytes match what util-linux 2.42 prints.

// tcol is one output column.
type tcol struct {
	name   string
	flags  colFlags
	whint  int
	number bool // JSON number (unquoted) rather than string
	// wrapNL marks a column whose newline-separated values print as
	// extra lines (lsns's NSFS without -W).
	wrapNL bool

	width, widthMin, treeArt int
}

func (c *tcol) hidden() bool { return c.flags&flHidden != 0 }
func (c *tcol) right() bool  { return c.flags&flRight != 0 }
func (c *tcol) tree() bool   { return c.flags&flTree != 0 }

// tline is one row. cells[i] is valid when set[i].
type tline struct {
	cells    []string
	set      []bool
	parent   *tline
	children []*tline
}

func (l *tline) cell(i int) (string, bool) {
	if i < len(l.cells) && l.set[i] {
		return l.cells[i], true
	}
	return "", false
}

// table is what gets printed.
type table struct {
	name       string
	cols       []*tcol
	lines      []*tline // in insertion order
	raw, json  bool
	noHeadings bool
	enc        encoder
	symbols    treeSymbols
	isTerm     bool
	termWidth  int
	// term tells whether stdout is a terminal and how wide; nil means
	// ask the real stdout.
	term func() (bool, int)
}

// treeSymbols are the tree-art pieces: UTF-8 box drawing or ASCII.
type treeSymbols struct{ branch, vert, right string }

var (
	utf8Symbols  = treeSymbols{"\u251c\u2500", "\u2502 ", "\u2514\u2500"}
	asciiSymbols = treeSymbols{"|-", "| ", "`-"}
)

func newTable(name string, raw, json, noHeadings bool) *table {
	t := &table{name: name, raw: raw, json: json, noHeadings: noHeadings}
	t.enc = encoder{utf8: localeIsUTF8()}
	t.symbols = asciiSymbols
	if t.enc.utf8 {
		t.symbols = utf8Symbols
	}
	return t
}

func (t *table) addColumn(c *tcol) int {
	t.cols = append(t.cols, c)
	return len(t.cols) - 1
}

func (t *table) newLine() *tline {
	return &tline{cells: make([]string, len(t.cols)), set: make([]bool, len(t.cols))}
}

// attach appends l to the table, as a child of parent when that is set.
func (t *table) attach(l, parent *tline) {
	t.lines = append(t.lines, l)
	if parent != nil {
		l.parent = parent
		parent.children = append(parent.children, l)
	}
}

// isTree is true when a printed column carries the tree; only then are
// lines printed in tree order and nested in JSON.
func (t *table) isTree() bool {
	for _, c := range t.cols {
		if c.tree() && !c.hidden() {
			return true
		}
	}
	return false
}

// ordered returns the lines in print order: depth first over the roots
// for a tree, insertion order otherwise.
func (t *table) ordered() []*tline {
	if !t.isTree() {
		return t.lines
	}
	out := make([]*tline, 0, len(t.lines))
	var walk func(l *tline)
	walk = func(l *tline) {
		out = append(out, l)
		for _, c := range l.children {
			walk(c)
		}
	}
	for _, l := range t.lines {
		if l.parent == nil {
			walk(l)
		}
	}
	return out
}

func isLastChild(l *tline) bool {
	p := l.parent
	return p != nil && p.children[len(p.children)-1] == l
}

// artAbove is the art a line's descendants inherit from it: nothing for
// a root, else the parent's plus a vertical bar or blanks.
func (t *table) artAbove(l *tline) string {
	if l.parent == nil {
		return ""
	}
	if isLastChild(l) {
		return t.artAbove(l.parent) + "  "
	}
	return t.artAbove(l.parent) + t.symbols.vert
}

// cellText is a cell as printed in human and raw output: tree art first
// for the tree column. art is the length of the art prefix.
func (t *table) cellText(l *tline, i int) (text string, art int) {
	data, _ := l.cell(i)
	c := t.cols[i]
	if !c.tree() || l.parent == nil || t.json {
		return data, 0
	}
	a := t.artAbove(l.parent)
	if isLastChild(l) {
		a += t.symbols.right
	} else {
		a += t.symbols.branch
	}
	return a + data, len(a)
}

func (t *table) visible() []int {
	var v []int
	for i, c := range t.cols {
		if !c.hidden() {
			v = append(v, i)
		}
	}
	return v
}

// print writes the table in the chosen format.
func (t *table) print(w io.Writer) {
	b := make([]byte, 0, 64*1024)
	switch {
	case t.json:
		b = t.appendJSON(b)
	case len(t.lines) == 0:
		// An empty table prints nothing at all, not even the header.
	case t.raw:
		b = t.appendRaw(b)
	default:
		if t.term == nil {
			t.term = terminal
		}
		t.isTerm, t.termWidth = t.term()
		b = t.appendHuman(b)
	}
	w.Write(b)
}

// terminal tells whether stdout is a terminal and its width: the window
// size, else $COLUMNS, else 80.
func terminal() (bool, int) {
	if _, err := unix.IoctlGetTermios(1, unix.TCGETS); err != nil {
		return false, 0
	}
	if ws, err := unix.IoctlGetWinsize(1, unix.TIOCGWINSZ); err == nil && ws.Col > 0 {
		return true, int(ws.Col)
	}
	if v, ok := columnsEnv(os.Getenv("COLUMNS")); ok {
		return true, v
	}
	return true, 80
}

// columnsEnv reads $COLUMNS as util-linux's get_env_int does: strtol
// over the whole value (leading blanks and a sign allowed), 1..INT_MAX.
func columnsEnv(s string) (int, bool) {
	v, err := strconv.ParseInt(strings.TrimLeft(s, " \t\n\v\f\r"), 10, 64)
	if err != nil || v < 1 || v > 1<<31-1 {
		return 0, false
	}
	return int(v), true
}

func (t *table) appendRaw(b []byte) []byte {
	vis := t.visible()
	if !t.noHeadings {
		for k, i := range vis {
			if k > 0 {
				b = append(b, ' ')
			}
			b = append(b, rawEscape(t.cols[i].name)...)
		}
		b = append(b, '\n')
	}
	for _, l := range t.ordered() {
		for k, i := range vis {
			if k > 0 {
				b = append(b, ' ')
			}
			s, _ := t.cellText(l, i)
			b = append(b, rawEscape(s)...)
		}
		b = append(b, '\n')
	}
	return b
}

// firstChunk is what the JSON output keeps of a multi-line cell.
func firstChunk(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

package lsns

import (
	"bytes"
	"testing"
)

// mk builds a table from rows of cells; "" means no data. parents[i] is
// the index of row i's parent row, or -1.
func mk(t *table, rows [][]string, parents []int) {
	var lines []*tline
	for i, r := range rows {
		l := t.newLine()
		for j, c := range r {
			if c != "" {
				l.cells[j], l.set[j] = c, true
			}
		}
		var p *tline
		if parents != nil && parents[i] >= 0 {
			p = lines[parents[i]]
		}
		t.attach(l, p)
		lines = append(lines, l)
	}
}

func testTable(raw, json, noHeadings bool, cols ...*tcol) *table {
	t := &table{name: "namespaces", raw: raw, json: json, noHeadings: noHeadings,
		enc: encoder{utf8: true}, symbols: utf8Symbols, term: func() (bool, int) { return false, 0 }}
	for _, c := range cols {
		t.addColumn(c)
	}
	return t
}

func out(t *table) string {
	var b bytes.Buffer
	t.print(&b)
	return b.String()
}

func check(tb *testing.T, name, got, want string) {
	tb.Helper()
	if got != want {
		tb.Errorf("%s:\ngot:\n%q\nwant:\n%q", name, got, want)
	}
}

// TestWidths covers libsmartcols 2.42's width rule: data no wider than
// the header takes the header's width; data wider than the header but
// narrower than the hint takes the hint; with -n the header counts as 1
// and an empty column shrinks to nothing.
func TestWidths(t *testing.T) {
	cols := func() []*tcol {
		return []*tcol{
			{name: "TYPE", whint: 5},
			{name: "NPROCS", whint: 5, flags: flRight},
			{name: "PID", whint: 5, flags: flRight},
			{name: "USER"},
		}
	}
	tb := testTable(false, false, false, cols()...)
	mk(tb, [][]string{{"user", "5", "123", "root"}, {"user", "12", "", "root"}}, nil)
	check(t, "header", out(tb), "TYPE NPROCS PID USER\nuser      5 123 root\nuser     12     root\n")

	tb = testTable(false, false, false, cols()...)
	mk(tb, [][]string{{"cgroup", "5", "1234", "nobody"}}, nil)
	check(t, "hint", out(tb), "TYPE   NPROCS   PID USER\ncgroup      5  1234 nobody\n")

	tb = testTable(false, false, true, cols()...)
	mk(tb, [][]string{{"net", "1", "", "root"}}, nil)
	check(t, "noheadings", out(tb), "net   1  root\n")

	tb = testTable(false, false, true, cols()...)
	mk(tb, [][]string{{"net", "71", "", "root"}}, nil)
	check(t, "noheadings hint", out(tb), "net      71  root\n")
}

// TestLastColumn: the last column is padded only when right-aligned, and
// rows keep the padding of earlier empty columns.
func TestLastColumn(t *testing.T) {
	tb := testTable(false, false, false, &tcol{name: "NS", flags: flRight, whint: 10}, &tcol{name: "COMMAND"})
	mk(tb, [][]string{{"4026531833", "sleep 1"}, {"4026532448", ""}}, nil)
	check(t, "left", out(tb), "        NS COMMAND\n4026531833 sleep 1\n4026532448 \n")

	tb = testTable(false, false, false, &tcol{name: "TYPE", whint: 5}, &tcol{name: "ONS", flags: flRight, whint: 10})
	mk(tb, [][]string{{"net", "4026531837"}, {"user", "0"}}, nil)
	check(t, "right", out(tb), "TYPE        ONS\nnet  4026531837\nuser          0\n")
}

func TestEmpty(t *testing.T) {
	tb := testTable(false, false, false, &tcol{name: "NS"})
	check(t, "human", out(tb), "")
	tb = testTable(true, false, false, &tcol{name: "NS"})
	check(t, "raw", out(tb), "")
	tb = testTable(false, true, false, &tcol{name: "NS"})
	check(t, "json", out(tb), "{\n   \"namespaces\": [\n\n   ]\n}\n")
}

func TestTreeArt(t *testing.T) {
	tb := testTable(false, false, false, &tcol{name: "PID", flags: flRight, whint: 5}, &tcol{name: "COMMAND", flags: flTree})
	mk(tb, [][]string{{"1", "init"}, {"2", "a"}, {"3", "b"}, {"4", "c"}, {"5", "d"}},
		[]int{-1, 0, 1, 0, -1})
	check(t, "tree", out(tb), "PID COMMAND\n  1 init\n  2 ├─a\n  3 │ └─b\n  4 └─c\n  5 d\n")

	tb.symbols = asciiSymbols
	check(t, "ascii", out(tb), "PID COMMAND\n  1 init\n  2 |-a\n  3 | `-b\n  4 `-c\n  5 d\n")

	// Raw output keeps the art, escaped.
	tb = testTable(true, false, false, &tcol{name: "NS"}, &tcol{name: "COMMAND", flags: flTree})
	mk(tb, [][]string{{"1", "x y"}, {"2", "z"}}, []int{-1, 0})
	check(t, "raw tree", out(tb), "NS COMMAND\n1 x\\x20y\n2 \\xe2\\x94\\x94\\xe2\\x94\\x80z\n")

	// Without a tree column the rows keep their insertion order.
	tb = testTable(false, false, false, &tcol{name: "NS"})
	mk(tb, [][]string{{"1"}, {"2"}, {"3"}}, []int{-1, -1, 0})
	check(t, "no tree column", out(tb), "NS\n1\n2\n3\n")
}

// TestMultiLine is NSFS without -W: extra paths go on continuation
// lines with empty, padded cells elsewhere.
func TestMultiLine(t *testing.T) {
	tb := testTable(false, false, false,
		&tcol{name: "NS", flags: flRight, whint: 10},
		&tcol{name: "NETNSID", flags: flRight},
		&tcol{name: "NSFS", flags: flWrap, wrapNL: true},
		&tcol{name: "NPROCS", flags: flRight, whint: 5})
	mk(tb, [][]string{{"4026532448", "7", "/run/netns/ulxtest\n/tmp/smp/nsbind2", "0"}}, nil)
	check(t, "nsfs", out(tb),
		"        NS NETNSID NSFS               NPROCS\n"+
			"4026532448       7 /run/netns/ulxtest      0\n"+
			"                   /tmp/smp/nsbind2   \n")

	tb = testTable(false, true, false, &tcol{name: "NS", number: true}, &tcol{name: "NSFS", wrapNL: true})
	mk(tb, [][]string{{"5", "/a\n/b"}}, nil)
	check(t, "json first path", out(tb),
		"{\n   \"namespaces\": [\n      {\n         \"ns\": 5,\n         \"nsfs\": \"/a\"\n      }\n   ]\n}\n")
}

func TestJSONTree(t *testing.T) {
	tb := testTable(false, true, false, &tcol{name: "NS", number: true, flags: flTree}, &tcol{name: "PID", number: true})
	mk(tb, [][]string{{"1", "1"}, {"2", ""}, {"3", "3"}, {"4", "4"}}, []int{-1, 0, 1, -1})
	check(t, "json", out(tb), `{
   "namespaces": [
      {
         "ns": 1,
         "pid": 1,
         "children": [
            {
               "ns": 2,
               "pid": null,
               "children": [
                  {
                     "ns": 3,
                     "pid": 3
                  }
               ]
            }
         ]
      },{
         "ns": 4,
         "pid": 4
      }
   ]
}
`)
}

func TestEscaping(t *testing.T) {
	e := encoder{utf8: true}
	for in, want := range map[string]string{
		"a\\b \u00e9\tx": "a\\b \u00e9\\x09x",
		"\\x41":          "\\x5cx41",
		"bad\xff":        "bad\\xff",
		"\u0085":         "\\xc2\\x85",
	} {
		if got, _ := e.safe(in, ""); got != want {
			t.Errorf("utf8 safe(%q) = %q, want %q", in, got, want)
		}
	}
	c := encoder{}
	if got, w := c.safe("a\\b \u00e9\tx", ""); got != "a\\b \\xc3\\xa9\\x09x" || w != 17 {
		t.Errorf("C safe: %q %d", got, w)
	}
	if got, w := e.safe("\u4e2d\u6587", ""); w != 4 || got != "\u4e2d\u6587" {
		t.Errorf("wide: %q %d", got, w)
	}
	if got := rawEscape("a b\\c\"d'\u00e9\n"); got != "a\\x20b\\x5cc\"d'\\xc3\\xa9\\x0a" {
		t.Errorf("raw: %q", got)
	}
	if got := string(jsonQuote(nil, "a\"b\\c\td\x01\u00e9", false)); got != "\"a\\\"b\\\\c\\td\\u0001\u00e9\"" {
		t.Errorf("json: %q", got)
	}
}

// TestTruncate is COMMAND on an 30-column terminal: only truncatable
// columns shrink, never below their header, art included.
func TestTruncate(t *testing.T) {
	tb := testTable(false, false, false, &tcol{name: "NS", flags: flRight, whint: 10}, &tcol{name: "COMMAND", flags: flTrunc | flTree})
	tb.term = func() (bool, int) { return true, 30 }
	mk(tb, [][]string{{"4026531833", "/usr/bin/something --very-long"}, {"4026531834", "sleep 100000000000"}}, []int{-1, 0})
	check(t, "trunc", out(tb), "        NS COMMAND\n4026531833 /usr/bin/something \n4026531834 └─sleep 10000000000\n")

	tb = testTable(false, false, false, &tcol{name: "NS", flags: flRight, whint: 10}, &tcol{name: "COMMAND"})
	tb.term = func() (bool, int) { return true, 20 }
	mk(tb, [][]string{{"4026531833", "/usr/bin/something --very-long"}}, nil)
	check(t, "notruncate", out(tb), "        NS COMMAND\n4026531833 /usr/bin/something --very-long\n")

	tb = testTable(false, false, false, &tcol{name: "NS", flags: flRight, whint: 10}, &tcol{name: "COMMAND", flags: flTrunc})
	tb.term = func() (bool, int) { return true, 12 }
	mk(tb, [][]string{{"4026531833", "/usr/bin/something"}}, nil)
	check(t, "header floor", out(tb), "        NS COMMAND\n4026531833 /usr/bi\n")
}

func TestOutputList(t *testing.T) {
	if cols, ok := applyOutputList("ns,Type", nil); !ok || len(cols) != 2 || cols[0] != colNS || cols[1] != colTYPE {
		t.Errorf("got %v %v", cols, ok)
	}
	if cols, ok := applyOutputList("+PATH", []colID{colNS}); !ok || len(cols) != 2 || cols[1] != colPATH {
		t.Errorf("got %v %v", cols, ok)
	}
	for _, bad := range []string{"", "+", "NS,,TYPE", ",NS"} {
		if _, ok := applyOutputList(bad, nil); ok {
			t.Errorf("%q accepted", bad)
		}
	}
	many := "NS"
	for i := 1; i < maxColumns; i++ {
		many += ",NS"
	}
	if cols, ok := applyOutputList(many, nil); !ok || len(cols) != maxColumns {
		t.Errorf("26 columns: %v", ok)
	}
	if _, ok := applyOutputList(many+",NS", nil); ok {
		t.Errorf("27 columns accepted")
	}
}

func TestColumnsEnv(t *testing.T) {
	for in, want := range map[string]int{"100": 100, " 100": 100, "+7": 7, "0": -1, "-3": -1, "2147483647": 2147483647,
		"2147483648": -1, "4294967376": -1, "80x": -1, "": -1, "100 ": -1} {
		got, ok := columnsEnv(in)
		if !ok {
			got = -1
		}
		if got != want {
			t.Errorf("columnsEnv(%q) = %d, want %d", in, got, want)
		}
	}
}

package lsns

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"syscall"
	"testing"
)

// render prints a parsed tree with explicit grouping.
func render(n fnode) string {
	switch n := n.(type) {
	case nil:
		return "<empty>"
	case *fexpr:
		op := strings.TrimPrefix(tokenNames[n.op], "T_")
		if n.left == nil {
			return "(" + op + " " + render(n.right) + ")"
		}
		return "(" + render(n.left) + " " + op + " " + render(n.right) + ")"
	case *fparam:
		if n.holder != "" {
			return n.holder
		}
		switch n.v.typ {
		case dString:
			return fmt.Sprintf("%q", n.v.str)
		case dU64:
			return fmt.Sprint(n.v.num)
		case dFloat:
			return fmt.Sprint(n.v.fnum)
		case dBool:
			return fmt.Sprint(n.v.b)
		}
	}
	return "?"
}

func TestFilterPrecedence(t *testing.T) {
	cases := map[string]string{
		"a || b && c":               "((a OR b) AND c)",
		"a && b || c":               "((a AND b) OR c)",
		"a and b or c and d":        "(((a AND b) OR c) AND d)",
		"!a == b":                   "((NEG a) EQ b)",
		"not not a":                 "(NEG (NEG a))",
		"a == b == c":               "((a EQ b) EQ c)",
		"a && b == c":               "(a AND (b EQ c))",
		"a == !b == c":              "((a EQ (NEG b)) EQ c)",
		"(a || b) && c":             "((a OR b) AND c)",
		"a || (b && c)":             "(a OR (b AND c))",
		"NS eq 1 AND TYPE ne 'net'": `((NS EQ 1) AND (TYPE NE "net"))`,
		`x == " padded  "`:          `(x EQ "padded")`,
		"n >= 10K":                  "(n GE 10240)",
		"n < 1KiB":                  "(n LT 1024)",
		"n <= 010K":                 "(n LE 8192)",
		"n > 2M":                    "(n GT 2097152)",
		"f > 1.5":                   "(f GT 1.5)",
		"t == true || FALSE":        "((t EQ true) OR false)",
		"NS-1 == a:b/c.d%e":         "(NS-1 EQ a:b/c.d%e)",
		"andy == notx":              "(andy EQ notx)",
		"x\n==\ty":                  "(x EQ y)",
		"99999999999999999999":      "18446744073709551615",
		"":                          "<empty>",
	}
	for q, want := range cases {
		f, err := parseFilter(q, io.Discard)
		if err != nil {
			t.Errorf("%q: unexpected error %v", q, err)
			continue
		}
		if got := render(f.root); got != want {
			t.Errorf("%q: parsed as %s, want %s", q, got, want)
		}
	}
}

func TestFilterErrors(t *testing.T) {
	cases := map[string]string{
		" ":                             "syntax error, unexpected end of file",
		"NS ==":                         "syntax error, unexpected end of file",
		"NS == 1 2":                     "syntax error, unexpected NUMBER, expecting end of file",
		"NS NS":                         "syntax error, unexpected HOLDER, expecting end of file",
		"NS == 1 (":                     "syntax error, unexpected '(', expecting end of file",
		"NS == 1)":                      "syntax error, unexpected ')', expecting end of file",
		"NS !":                          "syntax error, unexpected NEG, expecting end of file",
		"NS true":                       "syntax error, unexpected TRUE, expecting end of file",
		"(NS == 1":                      "syntax error, unexpected end of file",
		"(NS == 1 2)":                   "syntax error, unexpected NUMBER",
		"== 1":                          "syntax error, unexpected EQ",
		"&& NS":                         "syntax error, unexpected AND",
		"NS || ||":                      "syntax error, unexpected OR",
		"()":                            "syntax error, unexpected ')'",
		"NS 'x":                         "syntax error, unexpected invalid token, expecting end of file",
		"'x":                            "syntax error, unexpected invalid token",
		"NS == 99999999999999999999K":   `"99999999999999999999K" token error: Numerical result out of range`,
		"NS == 20000000000000000Z":      `"20000000000000000Z" token error: Numerical result out of range`,
		"NS == 1 99999999999999999999K": "syntax error, unexpected INVALID_NUMBER, expecting end of file",
		"NS == 09K":                     `"09K" token error: Invalid argument`,
		`COMMAND =~ "("`:                "Unmatched ( or \\(",
		`COMMAND =~ "[a"`:               "Unmatched [, [^, [:, [., or [=",
		"COMMAND =~ NS":                 "(null)",
		"COMMAND !~ 5":                  "(null)",
	}
	for q, want := range cases {
		_, err := parseFilter(q, io.Discard)
		if err == nil {
			t.Errorf("%q: parsed, want error %q", q, want)
			continue
		}
		if err.Error() != want {
			t.Errorf("%q: error %q, want %q", q, err.Error(), want)
		}
	}
}

// TestFilterEcho checks flex's default rule: characters no rule matches
// go to standard output and are otherwise ignored.
func TestFilterEcho(t *testing.T) {
	var out bytes.Buffer
	_, err := parseFilter(`NS = 1 @`, &out)
	if err == nil || err.Error() != "syntax error, unexpected NUMBER, expecting end of file" {
		t.Fatalf("error %v", err)
	}
	// Scanning stops at the error, so '@' is never read.
	if out.String() != "=" {
		t.Errorf("echoed %q, want %q", out.String(), "=")
	}
	out.Reset()
	f, err := parseFilter("\"abc\r", &out)
	if err != nil || render(f.root) != "abc" || out.String() != "\"\r" {
		t.Errorf("got %v %v echo %q", f, err, out.String())
	}
}

// row is a fake line: holder names (upper case) to cell values.
type row map[string]string

func bindFake(f *filter, types map[string]dtype) []string {
	var names []string
	for _, h := range f.holders {
		h.col = len(names)
		h.decl = types[h.holder]
		names = append(names, h.holder)
	}
	return names
}

func evalFake(t *testing.T, q string, r row) (bool, error) {
	t.Helper()
	f, err := parseFilter(q, io.Discard)
	if err != nil {
		t.Fatalf("%q: %v", q, err)
	}
	types := map[string]dtype{"NS": dU64, "PID": dU64, "NPROCS": dU64, "TYPE": dString,
		"NETNSID": dString, "COMMAND": dString, "NSFS": dString}
	names := bindFake(f, types)
	return f.match(func(col int) (string, bool) {
		v, ok := r[names[col]]
		return v, ok
	})
}

func TestFilterEval(t *testing.T) {
	net := row{"NS": "4026531833", "TYPE": "net", "NPROCS": "6", "PID": "1",
		"NETNSID": "unassigned", "COMMAND": "sleep 300"}
	persistent := row{"NS": "4026532448", "TYPE": "net", "NPROCS": "0", "NETNSID": "7", "NSFS": "/run/netns/x"}
	cases := []struct {
		q    string
		r    row
		want bool
		err  error
	}{
		{`TYPE == "net"`, net, true, nil},
		{`TYPE != 'net'`, net, false, nil},
		{`NPROCS > 1 && TYPE == "net"`, net, true, nil},
		{`NPROCS > 1 && TYPE == "user"`, net, false, nil},
		{`NS == 4026531833`, net, true, nil},
		{`NS > 4026531833.5`, net, false, nil},
		{`NS < 4026531833.5`, net, true, nil},
		{`COMMAND =~ "sleep.*"`, net, true, nil},
		{`COMMAND !~ "^sle"`, net, false, nil},
		{`COMMAND =~ "^leep"`, net, false, nil},
		{`NETNSID == '7'`, persistent, true, nil},
		{`NETNSID == 7`, persistent, true, nil},
		{`NETNSID == 7`, net, false, syscall.EINVAL},
		{`TYPE == 5`, net, false, syscall.EINVAL},
		{`NSFS`, persistent, true, nil},
		{`NSFS`, net, false, nil},
		{`PID`, net, true, nil},
		{`PID`, persistent, false, nil},
		{`!PID`, persistent, true, nil},
		// An empty number cell copied to a string turns into "0".
		{`PID == "0"`, persistent, true, nil},
		{`PID == 0`, persistent, false, nil},
		{`PID != 0`, persistent, false, nil},
		{`true`, net, true, nil},
		{`1 == 1.0`, net, true, nil},
		{`"a" < "b"`, net, true, nil},
		{`NS == TYPE`, net, false, syscall.EINVAL},
		{`(NS == 1) == false`, net, true, nil},
		{`true || TYPE == 5`, net, true, nil},
		// Two literals compare as the left one's type.
		{`"yes" == true`, net, false, nil},
		{`"true" == true`, net, true, nil},
		// A holder takes the literal's type: "net" is not a yes.
		{`TYPE == false`, net, true, nil},
	}
	for _, c := range cases {
		got, err := evalFake(t, c.q, c.r)
		if got != c.want || err != c.err {
			t.Errorf("%q on %v: got %v, %v; want %v, %v", c.q, c.r, got, err, c.want, c.err)
		}
	}
}

// TestFilterUnbound is the namespace-argument mode of lsns, where the
// filter's columns are never bound: every holder fails.
func TestFilterUnbound(t *testing.T) {
	f, err := parseFilter(`PID > 1`, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.match(func(int) (string, bool) { return "", false }); err != syscall.EINVAL {
		t.Errorf("got %v, want EINVAL", err)
	}
	f, _ = parseFilter(`1 == 1`, io.Discard)
	if ok, err := f.match(func(int) (string, bool) { return "", false }); !ok || err != nil {
		t.Errorf("constant filter: %v %v", ok, err)
	}
}

func FuzzFilter(f *testing.F) {
	for _, s := range []string{
		`TYPE == "net"`, `NPROCS > 1 && TYPE == "user"`, `NETNSID == '7'`, `COMMAND =~ "sleep.*"`,
		`!(NS == 1 || PID != 2) and NSFS`, `n >= 10KiB`, `x == 1.5`, `'`, `"`, `((((`, `NS =~ "("`,
		`99999999999999999999K`, `a b c`, `not not not x`, "\x00\xff", `NS eq 1 or NS ne 2`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, q string) {
		fl, err := parseFilter(q, io.Discard)
		if err != nil {
			if err.Error() == "" {
				t.Fatalf("%q: empty error message", q)
			}
			return
		}
		types := map[string]dtype{}
		for _, h := range fl.holders {
			if len(h.holder)%2 == 0 {
				types[h.holder] = dU64
			} else {
				types[h.holder] = dString
			}
		}
		names := bindFake(fl, types)
		fl.match(func(col int) (string, bool) {
			if col%3 == 0 {
				return "", false
			}
			return names[col], true
		})
	})
}

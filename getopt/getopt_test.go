package getopt

import (
	"strings"
	"testing"
)

var testLongs = []Long{
	{Name: "mount", Arg: Optional, Key: 'm'},
	{Name: "map-user", Arg: Required, Key: 1000},
	{Name: "map-users", Arg: Required, Key: 1001},
	{Name: "fork", Arg: NoArg, Key: 'f'},
	{Name: "forward", Arg: NoArg, Key: 'f'}, // same key and kind as --fork
}

// trace renders every option Next returns, then the operands.
func trace(argv []string, optstring string) string {
	p := New(argv, optstring, testLongs)
	var b strings.Builder
	for {
		o, ok, err := p.Next()
		if err != nil {
			b.WriteString("ERR " + err.Error())
			return b.String()
		}
		if !ok {
			break
		}
		if o.Key < 256 {
			b.WriteString(string(rune(o.Key)))
		} else {
			b.WriteString("L" + o.Name)
		}
		if o.HasArg {
			b.WriteString("=" + o.Arg)
		}
		b.WriteString(" ")
	}
	b.WriteString("| " + strings.Join(p.Rest(), " "))
	return b.String()
}

func TestParser(t *testing.T) {
	for _, c := range []struct {
		argv      string
		optstring string
		want      string
	}{
		{"p -fm x", "+fm::S:", "f m | x"},
		{"p -fmx y", "+fm::S:", "f m=x | y"},    // optional argument attached
		{"p -m x", "+fm::S:", "m | x"},          // never taken from the next word
		{"p -S1 -S 2", "+fm::S:", "S=1 S=2 | "}, // required: attached or next word
		{"p -Sf", "+fm::S:", "S=f | "},          // the rest of the cluster is the argument
		{"p -S", "+fm::S:", "ERR p: option requires an argument -- 'S'"},
		{"p -q", "+fm::S:", "ERR p: invalid option -- 'q'"},
		{"p -f: x", "+fm::S:", "f ERR p: invalid option -- ':'"},
		{"p x -f", "+fm::S:", "| x -f"}, // stop at the first non-option
		{"p x -f", "fm::S:", "f | x"},   // GNU permutation
		{"p -f -- -m", "fm::S:", "f | -m"},
		{"p - -f", "+f", "| - -f"}, // "-" alone is an operand
		{"p --mount --mount=/x --mount= y", "+", "m m=/x m= | y"},
		{"p --mo=/x", "+", "m=/x | "}, // unique prefix
		{"p --map-user 5 --map-user=6", "+", "Lmap-user=5 Lmap-user=6 | "},
		{"p --map-u 5", "+", "ERR p: option '--map-u' is ambiguous; possibilities: '--map-user' '--map-users'"},
		{"p --fo", "+", "f | "}, // equivalent candidates are not ambiguous
		{"p --fork=1", "+", "ERR p: option '--fork' doesn't allow an argument"},
		{"p --fo=1", "+", "ERR p: option '--fork' doesn't allow an argument"},
		{"p --map-users", "+", "ERR p: option '--map-users' requires an argument"},
		{"p --nope=1", "+", "ERR p: unrecognized option '--nope=1'"},
	} {
		if got := trace(strings.Fields(c.argv), c.optstring); got != c.want {
			t.Errorf("%q with %q:\n got %q\nwant %q", c.argv, c.optstring, got, c.want)
		}
	}
}

func TestPosixlyCorrect(t *testing.T) {
	t.Setenv("POSIXLY_CORRECT", "1")
	if got := trace([]string{"p", "x", "-f"}, "f"); got != "| x -f" {
		t.Errorf("POSIXLY_CORRECT should stop at the first operand: %q", got)
	}
}

// FuzzParser: no command line makes the parser panic or loop, and the
// operands are always a suffix-ordered subset of argv.
func FuzzParser(f *testing.F) {
	for _, s := range []string{"-fm/x y", "--mount=a --map-u 1", "-S", "x -- -f", "--=", "-\x00", "--map-users=1:2:3"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		argv := append([]string{"p"}, strings.Split(s, " ")...)
		for _, opts := range []string{"+fm::S:", "fm::S:"} {
			p := New(argv, opts, testLongs)
			limit := len(s) + len(argv) // at most one option per byte
			for i := 0; i <= limit; i++ {
				_, ok, err := p.Next()
				if err != nil || !ok {
					break
				}
				if i == limit {
					t.Fatalf("parser does not end on %q", argv)
				}
			}
			if len(p.Rest()) > len(argv)-1 {
				t.Fatalf("more operands than arguments for %q", argv)
			}
		}
	})
}

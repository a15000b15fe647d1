package ip

import (
	"bufio"
	"bytes"
	"strings"
	"testing"
)

func TestObjectAbbreviations(t *testing.T) {
	// What iproute2 6.1 resolves each word to (checked against it): the
	// table order, not the longest match, decides.
	cases := map[string]string{
		"netns": "netns", "netn": "netns", "net": "netns",
		"ne": "neighbor", "n": "neighbor", "netc": "netconf",
		"h": "help", "he": "help", "help": "help", "helpx": "",
		"a": "address", "s": "sr", "st": "stats", "m": "maddress",
		"mo": "monitor", "t": "tunnel", "ta": "tap", "l": "link",
		"am": "", "": "", "netnsx": "", "NETNS": "",
	}
	for word, want := range cases {
		if got := firstMatch(word, objects); got != want {
			t.Errorf("object %q: got %q, want %q", word, got, want)
		}
	}
}

func TestNetnsCommandAbbreviations(t *testing.T) {
	cases := map[string]string{
		"": "", "l": "list", "li": "list", "list": "list", "ls": "list",
		"s": "list", "sh": "list", "show": "list", "lst": "list",
		"list-": "list-id", "list-id": "list-id", "list-idx": "",
		"h": "help", "a": "add", "at": "attach", "attach": "attach",
		"se": "set", "d": "delete", "del": "delete", "i": "identify",
		"p": "pids", "e": "exec", "m": "monitor", "foo": "", "x": "",
	}
	for word, want := range cases {
		if got := netnsCommand(word); got != want {
			t.Errorf("netns %q: got %q, want %q", word, got, want)
		}
	}
}

func TestInvalidName(t *testing.T) {
	bad := []string{"", ".", "..", "a/b", "/", "../x", strings.Repeat("x", 256)}
	good := []string{"a", "...", ".a", "a b", `q"x`, "-", strings.Repeat("y", 255)}
	for _, n := range bad {
		if !invalidName(n) {
			t.Errorf("%q accepted", n)
		}
	}
	for _, n := range good {
		if invalidName(n) {
			t.Errorf("%q refused", n)
		}
	}
}

func TestIsPid(t *testing.T) {
	for s, want := range map[string]bool{"": true, "1": true, "007": true, "12a": false, "-1": false, " 1": false, "self": false} {
		if isPid(s) != want {
			t.Errorf("isPid(%q) != %v", s, want)
		}
	}
}

func TestGetInteger(t *testing.T) {
	type r struct {
		v  int32
		ok bool
	}
	cases := map[string]r{
		"0": {0, true}, "5": {5, true}, "-3": {-3, true}, "+4": {4, true},
		"0x10": {16, true}, "0X1f": {31, true}, "010": {8, true}, " 7": {7, true},
		"\t\n9": {9, true}, "2147483647": {2147483647, true}, "-2147483648": {-2147483648, true},
		"2147483648": {0, false}, "99999999999999999999": {0, false}, "": {0, false},
		"7 ": {0, false}, "abc": {0, false}, "0x": {0, false}, "08": {0, false},
		"1e3": {0, false}, "-": {0, false}, " ": {0, false},
	}
	for s, want := range cases {
		v, ok := getInteger(s, 0)
		if ok != want.ok || (ok && v != want.v) {
			t.Errorf("getInteger(%q) = %d, %v; want %d, %v", s, v, ok, want.v, want.ok)
		}
	}
}

func TestGetUnsigned(t *testing.T) {
	type r struct {
		v  uint32
		ok bool
	}
	cases := map[string]r{
		"0": {0, true}, "0x10": {16, true}, " 5": {5, true}, "4294967295": {4294967295, true},
		"4294967296": {0, false}, "-1": {0, false}, "-0": {0, true}, "x": {0, false}, "": {0, false},
	}
	for s, want := range cases {
		v, ok := getUnsigned(s, 0)
		if ok != want.ok || (ok && v != want.v) {
			t.Errorf("getUnsigned(%q) = %d, %v; want %d, %v", s, v, ok, want.v, want.ok)
		}
	}
}

func TestMatchesColor(t *testing.T) {
	for opt, want := range map[string]bool{
		"-c": true, "-color": true, "-col=auto": true, "-color=never": true,
		"-color=always": true, "-color=bad": false, "-colors": false, "-x": false,
	} {
		if matchesColor(opt) != want {
			t.Errorf("matchesColor(%q) != %v", opt, want)
		}
	}
}

func TestMakeArgs(t *testing.T) {
	s := &session{out: bufio.NewWriter(&bytes.Buffer{})}
	cases := map[string][]string{
		"netns add a\n":            {"netns", "add", "a"},
		"  netns\tlist  \r\n":      {"netns", "list"},
		`netns add "b c" extra`:    {"netns", "add", "b c", "extra"},
		`netns exec a sh -c 'x y'`: {"netns", "exec", "a", "sh", "-c", "x y"},
		`"a"b`:                     {"a", "b"},
		`a"b c"`:                   {`a"b`, `c"`},
		"":                         nil,
		"   \n":                    nil,
	}
	for line, want := range cases {
		got := s.makeArgs(line)
		if strings.Join(got, "|") != strings.Join(want, "|") || len(got) != len(want) {
			t.Errorf("makeArgs(%q) = %q, want %q", line, got, want)
		}
	}
}

func TestCmdline(t *testing.T) {
	s := &session{out: bufio.NewWriter(&bytes.Buffer{})}
	in := "netns add x # comment\n" +
		"netns add y \\\n" +
		"z\n" +
		"netns list \\ # not a continuation\n" +
		"last\x00ignored"
	r := bufio.NewReader(strings.NewReader(in))
	n := 0
	want := []struct {
		line string
		n    int
	}{
		{"netns add x ", 1}, {"netns add y z\n", 3}, {"netns list \\ ", 4}, {"last", 5},
	}
	for _, w := range want {
		line, ok := s.cmdline(r, &n)
		if !ok || line != w.line || n != w.n {
			t.Errorf("got (%q, line %d, %v), want (%q, line %d)", line, n, ok, w.line, w.n)
		}
	}
	if _, ok := s.cmdline(r, &n); ok {
		t.Error("no end of input")
	}
}

func TestJSONLayout(t *testing.T) {
	render := func(pretty bool, objs [][2]string, ids []int64) string {
		var b bytes.Buffer
		w := bufio.NewWriter(&b)
		j := newJSON(w, pretty)
		for i, o := range objs {
			j.startObject()
			j.str(o[0], o[1])
			if ids[i] >= 0 {
				j.int("id", ids[i])
			}
			j.endObject()
		}
		j.close()
		return b.String()
	}
	two := [][2]string{{"name", `q"x`}, {"name", "b"}}
	ids := []int64{-1, 5}
	if got, want := render(false, two, ids), `[{"name":"q\"x"},{"name":"b","id":5}]`+"\n"; got != want {
		t.Errorf("compact: %q, want %q", got, want)
	}
	want := "[ {\n        \"name\": \"q\\\"x\"\n    },{\n        \"name\": \"b\",\n        \"id\": 5\n    } ]\n"
	if got := render(true, two, ids); got != want {
		t.Errorf("pretty: %q, want %q", got, want)
	}
	if got := render(false, nil, nil); got != "[]\n" {
		t.Errorf("empty: %q", got)
	}
	if got := render(true, nil, nil); got != "[ ]\n" {
		t.Errorf("empty pretty: %q", got)
	}
	esc := render(false, [][2]string{{"name", "a\tb\nc\r\b\f\\'<\x01é"}}, []int64{-1})
	if want := `[{"name":"a\tb\nc\r\b\f\\'<` + "\x01é\"}]\n"; esc != want {
		t.Errorf("escapes: %q, want %q", esc, want)
	}
}

func TestParseInotify(t *testing.T) {
	// two events: IN_CREATE "ab" (padded to 16), IN_DELETE "c"
	b := []byte{
		1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 16, 0, 0, 0,
		'a', 'b', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		1, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 4, 0, 0, 0,
		'c', 0, 0, 0,
		1, 0, 0, 0, // a truncated header is ignored
	}
	evs := parseInotify(b)
	if len(evs) != 2 || evs[0] != (inotifyEvent{0x100, "ab"}) || evs[1] != (inotifyEvent{0x200, "c"}) {
		t.Errorf("got %+v", evs)
	}
}

func TestGlobalOptionAbbreviations(t *testing.T) {
	// As iproute2 6.1 resolves them (checked against it).
	cases := map[string]string{
		"-": "-loops", "-l": "-loops", "-f": "-family", "-fo": "-force",
		"-h": "-human", "-he": "-help", "-help": "-help", "-b": "-batch",
		"-br": "-brief", "-r": "-resolve", "-rc": "-rcvbuf", "-c": "-color",
		"-color=never": "-color", "-color=bad": "", "-n": "-netns",
		"-N": "-Numeric", "-a": "-all", "-j": "-json", "-p": "-pretty",
		"-V": "-Version", "-Ver": "-Version", "-v": "", "-s": "-stats",
		"-st": "-stats", "-stati": "-statistics", "-d": "-details",
		"-o": "-oneline", "-t": "-timestamp", "-ts": "-tshort", "-i": "-iec",
		"-4": "-4", "-6": "-6", "-0": "-0", "-M": "-M", "-B": "-B",
		"-I": "", "-D": "", "-e": "", "-ech": "", "-echo": "-echo",
		"-x": "", "-jsonx": "",
	}
	for opt, want := range cases {
		if got := globalOption(opt); got != want {
			t.Errorf("option %q: got %q, want %q", opt, got, want)
		}
	}
}

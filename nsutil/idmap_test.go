package nsutil

import (
	"fmt"
	"strings"
	"testing"
)

func render(rs []IDRange) string {
	var b []string
	for _, r := range rs {
		b = append(b, fmt.Sprintf("%d %d %d", r.Inner, r.Outer, r.Count))
	}
	return strings.Join(b, "/")
}

// TestMergeSingle replays util-linux 2.42.2's hole punching (§1.4).
func TestMergeSingle(t *testing.T) {
	auto := IDRange{Outer: 100000, Count: 65536, AutoInner: true}
	for _, c := range []struct {
		ranges       []IDRange
		outer, inner uint32
		want         string
	}{
		{[]IDRange{{0, 100000, 1000, false}}, 0, NoID, "0 100000 1000"},
		{[]IDRange{{0, 100000, 1000, false}, {2000, 200000, 10, false}}, 0, NoID, "0 100000 1000/2000 200000 10"},
		{[]IDRange{{0, 100000, 10, false}}, 0, 5, "5 0 1/0 100000 5/6 100005 4"},
		{[]IDRange{{0, 0, 10, false}}, 0, 0, "0 0 1/1 1 9"},
		{[]IDRange{{1, 100000, 1000, false}}, 0, 0, "0 0 1/1 100000 1000"},
		{[]IDRange{auto}, 0, NoID, "0 100000 65536"},
		// 2.42.2 wastes one id here; master maps 65536.
		{[]IDRange{auto}, 0, 0, "0 0 1/1 100000 65535"},
		{[]IDRange{{0, 0, 4294967295, false}}, 0, NoID, "0 0 4294967295"},
		{nil, 1000, 0, "0 1000 1"},
	} {
		if got := render(MergeSingle(c.ranges, c.outer, c.inner)); got != c.want {
			t.Errorf("MergeSingle(%v, %d, %d) = %q, want %q", c.ranges, c.outer, c.inner, got, c.want)
		}
	}
}

func TestParseIDRange(t *testing.T) {
	for in, want := range map[string]string{
		"0:100000:1000":            "0 100000 1000",
		"100000,0,1000":            "0 100000 1000",
		" 1: +2:3":                 "1 2 3",
		"4294967296:1:1":           "0 1 1", // %u then the cast to unsigned int
		"1:2":                      "error",
		"1,2,3,4":                  "error",
		"1:2:3:":                   "error",
		"a:b:c":                    "error",
		"":                         "error",
		"1 :2:3":                   "error",
		"1:2,3":                    "error",
		"99999999999999999999:1:1": "4294967295 1 1",
	} {
		r, err := ParseIDRange(in)
		got := render([]IDRange{r})
		if err != nil {
			got = "error"
			if err.Error() != "invalid mapping '"+in+"'" {
				t.Errorf("%q: message %q", in, err)
			}
		}
		if got != want {
			t.Errorf("ParseIDRange(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseNumbers(t *testing.T) {
	for in, want := range map[string]string{
		"12":                   "12",
		"+12":                  "12",
		" 12":                  "12",
		"18446744073709551615": "4294967295",
		"4294967298":           "2",
		"abc":                  "failed to parse uid: 'abc'",
		"12x":                  "failed to parse uid: '12x'",
		"-1":                   "failed to parse uid: '-1': Numerical result out of range",
		"18446744073709551616": "failed to parse uid: '18446744073709551616': Numerical result out of range",
		"":                     "failed to parse uid: ''",
	} {
		v, err := ParseUID32(in, "failed to parse uid")
		got := fmt.Sprint(v)
		if err != nil {
			got = err.Error()
		}
		if got != want {
			t.Errorf("ParseUID32(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{
		"-50": "-50", "+7": "7", "x": "failed to parse monotonic offset: 'x'",
		"9223372036854775808": "failed to parse monotonic offset: '9223372036854775808': Numerical result out of range",
	} {
		v, err := ParseInt64(in, "failed to parse monotonic offset")
		got := fmt.Sprint(v)
		if err != nil {
			got = err.Error()
		}
		if got != want {
			t.Errorf("ParseInt64(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSignalByName(t *testing.T) {
	for in, want := range map[string]int{
		"KILL": 9, "sigterm": 15, "SigUsr1": 10, "term": 15, "RTMIN": 34, "RTMIN+2": 36,
		"rtmax-1": 63, "RTMAX": 64, "9": -1, "FOO": -1, "SIG": -1, "RTMIN+31": -1, "RTMIN+-1": -1, "": -1,
	} {
		sig, ok := SignalByName(in)
		got := int(sig)
		if !ok {
			got = -1
		}
		if got != want {
			t.Errorf("SignalByName(%q) = %d, want %d", in, got, want)
		}
	}
}

// FuzzIDRange: any --map-users value parses or is refused with the
// util-linux message, and what parses renders back to the same numbers.
func FuzzIDRange(f *testing.F) {
	for _, s := range []string{"0:100000:1000", "1,2,3", "1:2", "::", "-1:2:3", "4294967296:0:1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := ParseIDRange(s)
		if err != nil {
			if err.Error() != "invalid mapping '"+s+"'" {
				t.Fatalf("%q: %v", s, err)
			}
			return
		}
		merged := MergeSingle([]IDRange{r}, r.Outer, r.Inner)
		if r.Inner != NoID {
			merged = merged[1:] // the single mapping itself
		}
		var total uint64
		for _, m := range merged {
			total += uint64(m.Count)
		}
		if r.Count > 0 && total > uint64(r.Count) {
			t.Fatalf("merging %v maps more ids than the range had: %v", r, merged)
		}
	})
}

package ip

import (
	"path/filepath"
	"strconv"
	"testing"
)

// FuzzNamesAndNumbers: a name the check lets through always names a file
// directly in /run/netns (no traversal), subcommand matching never
// panics, and iproute2's number parsing agrees with strconv where C's
// strtol/strtoul would.
func FuzzNamesAndNumbers(f *testing.F) {
	for _, s := range []string{"a", "..", ".", "/", "a/b", "", "x\x00y", "list-", "0x10", "-1", "4294967296", "  7", "08"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !invalidName(s) {
			p := filepath.Join(runDir, s)
			if filepath.Dir(p) != runDir || filepath.Base(p) != s {
				t.Fatalf("name %q escapes %s as %s", s, runDir, p)
			}
		}
		netnsCommand(s)
		if v, ok := getUnsigned(s, 10); ok {
			if n, err := strconv.ParseUint(s, 10, 32); err == nil && uint32(n) != v {
				t.Fatalf("getUnsigned(%q) = %d, strconv says %d", s, v, n)
			}
		}
		if v, ok := getInteger(s, 10); ok {
			if n, err := strconv.ParseInt(s, 10, 32); err == nil && int32(n) != v {
				t.Fatalf("getInteger(%q) = %d, strconv says %d", s, v, n)
			}
		}
	})
}

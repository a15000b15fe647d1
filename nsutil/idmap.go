package nsutil

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// IDRange maps Count ids starting at Outer (in the parent user namespace)
// to ids starting at Inner (in the new one): one line of uid_map/gid_map.
type IDRange struct {
	Inner, Outer, Count uint32
	// AutoInner marks a range from --map-users=auto, whose inner start is
	// fixed (to 0) only when the list is merged.
	AutoInner bool
}

// NoID is uid_t -1: "no mapping asked for".
const NoID = ^uint32(0)

// ParseIDRange reads a --map-users/--map-groups value: "inner:outer:count",
// or the older "outer,inner,count".
func ParseIDRange(s string) (IDRange, error) {
	bad := errxf("invalid mapping '%s'", s)
	for _, form := range []struct {
		sep  string
		swap bool
	}{{":", false}, {",", true}} {
		parts := strings.Split(s, form.sep)
		if len(parts) != 3 {
			continue
		}
		var n [3]uint32
		ok := true
		for i, p := range parts {
			v, good := scanUint(p)
			if !good {
				ok = false
				break
			}
			n[i] = v
		}
		if !ok {
			continue
		}
		if form.swap {
			return IDRange{Outer: n[0], Inner: n[1], Count: n[2]}, nil
		}
		return IDRange{Inner: n[0], Outer: n[1], Count: n[2]}, nil
	}
	return IDRange{}, bad
}

// scanUint reads a number the way sscanf's %u does: optional leading
// blanks and sign, decimal digits, converted with strtoul (saturating at
// 2^64-1) and then truncated to 32 bits, as the C assignment does.
func scanUint(s string) (uint32, bool) {
	s = strings.TrimLeft(s, " \t\n\v\f\r")
	neg := false
	if s != "" && (s[0] == '+' || s[0] == '-') {
		neg = s[0] == '-'
		s = s[1:]
	}
	if s == "" {
		return 0, false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0, false
		}
	}
	v, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		v = ^uint64(0)
	}
	if neg {
		v = -v
	}
	return uint32(v), true
}

// SubIDRange looks the user euid up in file (/etc/subuid or /etc/subgid)
// for --map-users=auto (identity false: mapped to inner 0) and =subids
// (identity true: mapped to itself). Like util-linux, the first line
// whose first field is the user's name, or whose first field read as a
// number (0 when it is not one) equals euid, is used.
func SubIDRange(file string, euid uint32, identity bool) (IDRange, error) {
	pw, ok := UserByID(euid)
	if !ok {
		return IDRange{}, errxf("you (user %d) don't exist.", euid)
	}
	f, err := os.Open(file)
	if err != nil {
		return IDRange{}, errf(err, "could not open '%s'", file)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		owner, rest, ok := strings.Cut(sc.Text(), ":")
		if !ok {
			continue
		}
		if owner != pw.Name && leadingNumber(owner) != uint64(pw.ID) {
			continue
		}
		start, count, ok := strings.Cut(rest, ":")
		if !ok {
			continue
		}
		outer, err := ParseUID32(start, "failed to parse subid map")
		if err != nil {
			return IDRange{}, err
		}
		n, err := ParseUID32(count, "failed to parse subid map")
		if err != nil {
			return IDRange{}, err
		}
		r := IDRange{Outer: outer, Count: n, AutoInner: true}
		if identity {
			r.Inner, r.AutoInner = outer, false
		}
		return r, nil
	}
	return IDRange{}, errxf("no line matching user \"%s\" in %s", pw.Name, file)
}

// leadingNumber is strtoul(s, NULL, 10): the leading decimal digits, 0 if
// there are none.
func leadingNumber(s string) uint64 {
	s = strings.TrimLeft(s, " \t")
	var v uint64
	for _, c := range s {
		if c < '0' || c > '9' {
			break
		}
		v = v*10 + uint64(c-'0')
	}
	return v
}

// KernelMapRanges reads /proc/self/uid_map or gid_map for --map-users=all:
// every line becomes an identity range.
func KernelMapRanges(file string) ([]IDRange, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, errf(err, "could not open '%s'", file)
	}
	var out []IDRange
	for _, line := range strings.Split(string(data), "\n") {
		f := strings.Fields(line)
		if len(f) < 3 {
			continue
		}
		start, ok1 := scanUint(f[0])
		count, ok2 := scanUint(f[2])
		if !ok1 || !ok2 {
			continue
		}
		out = append(out, IDRange{Inner: start, Outer: start, Count: count})
	}
	return out, nil
}

// MergeSingle folds the single mapping inner->outer (inner NoID: none)
// into the ranges given on the command line, in command-line order, as
// util-linux 2.42.2 does: each range that contains either id loses one id
// and is split around them so that nothing overlaps, and the single
// mapping comes first. An auto range starts at inner 0; 2.42.2 also
// shortens it when it overlaps (master no longer does, so "--map-auto -r"
// maps one subordinate id fewer here than in master).
func MergeSingle(ranges []IDRange, outer, inner uint32) []IDRange {
	if inner == NoID {
		outer = NoID
	}
	var out []IDRange
	for _, r := range ranges {
		if r.AutoInner {
			r.Inner = 0
		}
		if inner != NoID && ((outer >= r.Outer && outer <= r.Outer+r.Count) ||
			(inner >= r.Inner && inner <= r.Inner+r.Count)) {
			r.Count--
		}
		outerOff := min(sub0(outer, r.Outer), r.Count)
		innerOff := min(sub0(inner, r.Inner), r.Count)

		lo := IDRange{Outer: r.Outer, Inner: r.Inner, Count: min(innerOff, outerOff)}
		mid := IDRange{Outer: lo.Outer + lo.Count, Inner: lo.Inner + lo.Count, Count: absDiff(outerOff, innerOff)}
		mid.Outer += b2u(mid.Outer == outer)
		mid.Inner += b2u(mid.Inner == inner)
		hi := IDRange{Outer: mid.Outer + mid.Count, Inner: mid.Inner + mid.Count}
		hi.Outer += b2u(hi.Outer == outer)
		hi.Inner += b2u(hi.Inner == inner)
		hi.Count = r.Count - lo.Count - mid.Count
		for _, piece := range []IDRange{lo, mid, hi} {
			if piece.Count != 0 {
				out = append(out, piece)
			}
		}
	}
	if inner != NoID {
		out = append([]IDRange{{Inner: inner, Outer: outer, Count: 1}}, out...)
	}
	return out
}

func sub0(a, b uint32) uint32 {
	if a > b {
		return a - b
	}
	return 0
}

func absDiff(a, b uint32) uint32 {
	if a > b {
		return a - b
	}
	return b - a
}

func b2u(b bool) uint32 {
	if b {
		return 1
	}
	return 0
}

// FormatMap renders ranges as uid_map/gid_map text; it fails past the
// kernel's 4 KiB limit on one write.
func FormatMap(path string, ranges []IDRange) (string, error) {
	var b strings.Builder
	for _, r := range ranges {
		fmt.Fprintf(&b, "%d %d %d\n", r.Inner, r.Outer, r.Count)
	}
	if b.Len() > 4096 {
		return "", errxf("%s too large for kernel 4k limit", path)
	}
	return b.String(), nil
}

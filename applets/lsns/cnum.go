package lsns

import (
	"math"
	"syscall"
)

// C-library number parsing as util-linux uses it: the exact accept/reject
// rules decide which messages users see.

func isCSpace(c byte) bool {
	return c == ' ' || (c >= '\t' && c <= '\r')
}

// strtoNum is strtoimax/strtoumax in base 10: leading white space, an
// optional sign, then digits. It returns the magnitude, the sign, how many
// bytes it used (0 when there were no digits) and whether the magnitude
// overflowed 64 bits.
func strtoNum(s string) (mag uint64, neg bool, used int, overflow bool) {
	i := 0
	for i < len(s) && isCSpace(s[i]) {
		i++
	}
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	start := i
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		d := uint64(s[i] - '0')
		if mag > (math.MaxUint64-d)/10 {
			overflow = true
		} else if !overflow {
			mag = mag*10 + d
		}
		i++
	}
	if i == start {
		return 0, false, 0, false
	}
	return mag, neg, i, overflow
}

// cStrtoimax is util-linux's ul_strtos64(s, base 10).
func cStrtoimax(s string) (int64, syscall.Errno) {
	if s == "" {
		return 0, syscall.EINVAL
	}
	mag, neg, used, over := strtoNum(s)
	var v int64
	switch {
	case used == 0:
		return 0, syscall.EINVAL
	case neg && (over || mag > 1<<63):
		return math.MinInt64, syscall.ERANGE
	case !neg && (over || mag > math.MaxInt64):
		return math.MaxInt64, syscall.ERANGE
	case neg:
		v = -int64(mag)
	default:
		v = int64(mag)
	}
	if used != len(s) {
		return v, syscall.EINVAL
	}
	return v, 0
}

// cStrtou64 is util-linux's ul_strtou64(s, base 10): negative numbers are
// ERANGE, and so is anything above 2^64-1.
func cStrtou64(s string) (uint64, syscall.Errno) {
	if s == "" {
		return 0, syscall.EINVAL
	}
	mag, neg, used, over := strtoNum(s)
	if used == 0 {
		return 0, syscall.EINVAL
	}
	if neg && (over || mag != 0) {
		return 0, syscall.ERANGE
	}
	if over {
		return math.MaxUint64, syscall.ERANGE
	}
	if used != len(s) {
		return mag, syscall.EINVAL
	}
	return mag, 0
}

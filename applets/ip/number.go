package ip

import "math"

// Number parsing with C's strtol/strtoul rules, because ip's arguments are
// read with them: leading white space and a sign are allowed, base 0 takes
// "0x" as hexadecimal and a leading 0 as octal, and the whole word must be
// consumed.

// cSpace is C's isspace in the C locale.
func cSpace(c byte) bool { return c == ' ' || (c >= '\t' && c <= '\r') }

func digitVal(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'z':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'Z':
		return int(c-'A') + 10
	}
	return 99
}

// strtoMag reads the magnitude part of strtol/strtoul: it returns the
// sign, the value (saturated at limit, with overflow set), and the index
// after the last digit consumed (0 when there was no number at all).
func strtoMag(s string, base int, limit uint64) (neg bool, v uint64, overflow bool, end int) {
	i := 0
	for i < len(s) && cSpace(s[i]) {
		i++
	}
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	if (base == 0 || base == 16) && i+1 < len(s) && s[i] == '0' && (s[i+1]|0x20) == 'x' &&
		i+2 < len(s) && digitVal(s[i+2]) < 16 {
		i += 2
		base = 16
	} else if base == 0 {
		base = 10
		if i < len(s) && s[i] == '0' {
			base = 8
		}
	}
	start := i
	for i < len(s) && digitVal(s[i]) < base {
		d := uint64(digitVal(s[i]))
		if !overflow && v > (limit-d)/uint64(base) {
			overflow = true
		}
		if !overflow {
			v = v*uint64(base) + d
		}
		i++
	}
	if i == start {
		return false, 0, false, 0
	}
	return neg, v, overflow, i
}

// getInteger is iproute2's get_integer (and get_s32): the whole of s must
// be one number that fits a C int.
func getInteger(s string, base int) (int32, bool) {
	neg, v, overflow, end := strtoMag(s, base, math.MaxInt64)
	if end == 0 || end != len(s) || overflow {
		return 0, false
	}
	n := int64(v)
	if neg {
		n = -n
	}
	if n < math.MinInt32 || n > math.MaxInt32 {
		return 0, false
	}
	return int32(n), true
}

// getUnsigned is iproute2's get_unsigned: strtoul, so "-1" wraps to the
// largest unsigned long and is then out of range for a C unsigned int.
func getUnsigned(s string, base int) (uint32, bool) {
	neg, v, overflow, end := strtoMag(s, base, math.MaxUint64)
	if end == 0 || end != len(s) || overflow {
		return 0, false
	}
	if neg {
		v = -v
	}
	if v > math.MaxUint32 {
		return 0, false
	}
	return uint32(v), true
}

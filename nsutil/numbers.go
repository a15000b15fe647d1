package nsutil

import (
	"fmt"
	"strconv"
	"strings"
)

// Number parsers with util-linux's messages (lib/strutils.c): "MSG: 'X'"
// for text that is not a number, and the same with ": Numerical result
// out of range" for one that does not fit.

// ParseUID32 is util-linux's strtoul_or_err for a 32-bit id: decimal,
// "MSG: 's'" when it is not a number, "MSG: 's': Numerical result out of
// range" when negative or too large. Values up to 2^64-1 are accepted and
// truncated to 32 bits, as util-linux's cast to uid_t does.
func ParseUID32(s, msg string) (uint32, error) {
	t := strings.TrimLeft(s, " \t\n\v\f\r")
	t = strings.TrimPrefix(t, "+")
	if strings.HasPrefix(t, "-") {
		d := strings.TrimPrefix(t, "-")
		if _, err := strconv.ParseUint(d, 10, 64); err == nil || isRange(err) {
			return 0, &Error{Msg: fmt.Sprintf("%s: '%s'", msg, s), Err: errRange, Code: 1}
		}
		return 0, errxf("%s: '%s'", msg, s)
	}
	v, err := strconv.ParseUint(t, 10, 64)
	if err != nil {
		if isRange(err) {
			return 0, &Error{Msg: fmt.Sprintf("%s: '%s'", msg, s), Err: errRange, Code: 1}
		}
		return 0, errxf("%s: '%s'", msg, s)
	}
	return uint32(v), nil
}

// ParseInt64 is util-linux's strtos64_or_err (--monotonic, --boottime).
func ParseInt64(s, msg string) (int64, error) {
	t := strings.TrimLeft(s, " \t\n\v\f\r")
	v, err := strconv.ParseInt(strings.TrimPrefix(t, "+"), 10, 64)
	if err != nil {
		if isRange(err) {
			return 0, &Error{Msg: fmt.Sprintf("%s: '%s'", msg, s), Err: errRange, Code: 1}
		}
		return 0, errxf("%s: '%s'", msg, s)
	}
	if strings.HasPrefix(t, "+-") || strings.HasPrefix(t, "++") {
		return 0, errxf("%s: '%s'", msg, s)
	}
	return v, nil
}

// ParseFdArg is str2num_or_err(s, 10, msg, 0, INT_MAX), for nsenter -N.
func ParseFdArg(s, msg string) (int, error) {
	t := strings.TrimLeft(s, " \t\n\v\f\r")
	v, err := strconv.ParseInt(strings.TrimPrefix(t, "+"), 10, 64)
	if err != nil && !isRange(err) || strings.HasPrefix(t, "+-") || strings.HasPrefix(t, "++") || t == "" {
		return 0, errxf("%s: '%s'", msg, s)
	}
	if err != nil || v < 0 || v > 1<<31-1 {
		return 0, &Error{Msg: fmt.Sprintf("%s: '%s'", msg, s), Err: errRange, Code: 1}
	}
	return int(v), nil
}

package lsns

import (
	"strings"

	"nsbox/cli"
)

// colID names one of lsns's output columns; the order is lsns's column
// table order, which --output-all and -H follow.
type colID int

const (
	colNS colID = iota
	colTYPE
	colPATH
	colNPROCS
	colPID
	colPPID
	colCOMMAND
	colUID
	colUSER
	colNETNSID
	colNSFS
	colPNS
	colONS
	numColumns
)

// colFlags are the cell-layout properties of a column (libsmartcols'
// SCOLS_FL_*).
type colFlags uint

const (
	flRight  colFlags = 1 << iota // right-aligned, padded on the left
	flTrunc                       // may be truncated to fit a terminal
	flWrap                        // newline-separated values become extra lines
	flTree                        // carries the tree art
	flHidden                      // used by the filter only, never printed
)

// colInfo is a column as lsns defines it. whint is libsmartcols' width
// hint; number marks the columns whose JSON (and filter) type is a number.
type colInfo struct {
	name   string
	whint  int
	flags  colFlags
	number bool
	help   string
}

// The descriptions are output (-H prints them), so they are lsns's words.
var columnInfo = [numColumns]colInfo{
	colNS:      {"NS", 10, flRight, true, "namespace identifier (inode number)"},
	colTYPE:    {"TYPE", 5, 0, false, "kind of namespace"},
	colPATH:    {"PATH", 0, 0, false, "path to the namespace"},
	colNPROCS:  {"NPROCS", 5, flRight, true, "number of processes in the namespace"},
	colPID:     {"PID", 5, flRight, true, "lowest PID in the namespace"},
	colPPID:    {"PPID", 5, flRight, true, "PPID of the PID"},
	colCOMMAND: {"COMMAND", 0, flTrunc, false, "command line of the PID"},
	colUID:     {"UID", 0, flRight, true, "UID of the PID"},
	colUSER:    {"USER", 0, 0, false, "username of the PID"},
	colNETNSID: {"NETNSID", 0, flRight, false, "namespace ID as used by network subsystem"},
	colNSFS:    {"NSFS", 0, flWrap, false, "nsfs mountpoint (usually used network subsystem)"},
	colPNS:     {"PNS", 10, flRight, true, "parent namespace identifier (inode number)"},
	colONS:     {"ONS", 10, flRight, true, "owner namespace identifier (inode number)"},
}

// maxColumns is the size of lsns's column array: twice the table.
const maxColumns = 2 * int(numColumns)

// columnByName finds a column the way lsns does: case-insensitively and
// the whole name.
func columnByName(name string) (colID, bool) {
	for i, c := range columnInfo {
		if asciiEqualFold(c.name, name) {
			return colID(i), true
		}
	}
	return 0, false
}

// applyOutputList applies an -o argument to cols: "+LIST" appends, LIST
// replaces. Like lsns it warns about the first unknown name, quoting the
// rest of the list from that name on, and fails silently on an empty list,
// an empty element or more than maxColumns names.
func applyOutputList(list string, cols []colID) ([]colID, bool) {
	if list == "" {
		return nil, false
	}
	if strings.HasPrefix(list, "+") {
		list = list[1:]
	} else {
		cols = cols[:0]
	}
	if list == "" {
		return nil, false
	}
	room := maxColumns - len(cols)
	n := 0
	begin := -1
	for p := 0; p < len(list); p++ {
		if n >= room {
			return nil, false
		}
		if begin < 0 {
			begin = p
		}
		end := -1
		if list[p] == ',' {
			end = p
		}
		if p+1 == len(list) {
			end = p + 1
		}
		if end < 0 {
			continue
		}
		if end <= begin {
			return nil, false
		}
		id, ok := columnByName(list[begin:end])
		if !ok {
			cli.Warnx("lsns", "unknown column: %s", list[begin:])
			return nil, false
		}
		cols = append(cols, id)
		n++
		begin = -1
	}
	return cols, true
}

// asciiEqualFold compares like C's strcasecmp in lsns: ASCII letters only.
func asciiEqualFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if 'a' <= x && x <= 'z' {
			x -= 'a' - 'A'
		}
		if 'a' <= y && y <= 'z' {
			y -= 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

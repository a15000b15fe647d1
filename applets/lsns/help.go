package lsns

import (
	"fmt"
	"io"
)

// printHelp is nsbox's own wording of lsns's usage; the options and their
// spellings are lsns's.
func printHelp(w io.Writer) {
	fmt.Fprint(w, `
Usage:
 lsns [options] [<namespace>]

Show the namespaces of the system, or the processes of one namespace
given by its inode number.

Options:
 -J, --json             print JSON
 -l, --list             print a flat list instead of the process tree
 -n, --noheadings       leave out the header line
 -o, --output <list>    columns to print; +<list> adds to the default ones
     --output-all       print every column
 -P, --persistent       only namespaces without any process
 -p, --task <pid>       only the namespaces process <pid> is in
 -Q, --filter <expr>    only the rows the expression accepts
 -r, --raw              print raw, unaligned output
 -u, --notruncate       never shorten text to fit the terminal
 -W, --nowrap           keep multi-value cells on one line
 -t, --type <name>      only this type: mnt, net, ipc, user, pid, uts, cgroup
                          or time (may be repeated)
 -T, --tree[=<rel>]     tree by relation: owner (default), parent or process

 -H, --list-columns     describe the columns and exit
 -h, --help             print this help and exit
 -V, --version          print the version and exit

For more details see lsns(8).
`)
}

// printColumnList is -H: every column with its type and description, as
// a table that honours -r and -J.
func printColumnList(w io.Writer, raw, json bool) {
	name := ""
	if json {
		name = "lsns-columns"
	}
	t := newTable(name, raw, json, true)
	t.addColumn(&tcol{name: "HOLDER", flags: flRight})
	t.addColumn(&tcol{name: "TYPE"})
	t.addColumn(&tcol{name: "DESCRIPTION"})
	for _, c := range columnInfo {
		typ := "<string>"
		if c.number {
			typ = "<integer>"
		}
		l := t.newLine()
		l.cells = []string{c.name, typ, c.help}
		l.set = []bool{true, true, true}
		t.attach(l, nil)
	}
	t.print(w)
}

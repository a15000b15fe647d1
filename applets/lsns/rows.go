package lsns

import (
	"strconv"

	"nsbox/cli"
)

// Turning namespaces and processes into table rows, in the order and
// with the parent rows util-linux uses for each mode.

type builder struct {
	w      *world
	cfg    *config
	t      *table
	colIDs []colID // table column index -> lsns column
	users  userNames
	// failed is set when the filter could not be applied (already
	// reported); nothing is printed then.
	failed bool
}

// newBuilder creates the table with the requested columns and their
// per-mode flags.
func newBuilder(cfg *config) *builder {
	name := ""
	if cfg.json {
		name = "namespaces"
	}
	b := &builder{cfg: cfg, t: newTable(name, cfg.raw, cfg.json, cfg.noHeadings)}
	for _, id := range cfg.cols {
		info := columnInfo[id]
		flags := info.flags
		if cfg.noTrunc {
			flags &^= flTrunc
		}
		if cfg.tree == treeProcess && id == colCOMMAND {
			flags |= flTree
		}
		if cfg.noWrap {
			flags &^= flWrap
		}
		if (cfg.tree == treeOwner || cfg.tree == treeParent) && id == colNS {
			flags = (flags | flTree) &^ flRight
		}
		b.t.addColumn(&tcol{name: info.name, flags: flags, whint: info.whint, number: info.number,
			wrapNL: flags&flWrap != 0})
		b.colIDs = append(b.colIDs, id)
	}
	return b
}

// bindFilter gives every column name of the filter its column, adding
// hidden columns for names not shown; unknown names are reported all
// together, as lsns does.
func (b *builder) bindFilter(f *filter) bool {
	bad := 0
	for _, h := range f.holders {
		id, ok := columnByName(h.holder)
		if !ok {
			cli.Warnx("lsns", "unknown column: %s", h.holder)
			bad++
			continue
		}
		idx := -1
		for i, c := range b.t.cols {
			if c.name == h.holder {
				idx = i
				break
			}
		}
		if idx < 0 {
			if len(b.colIDs) >= maxColumns {
				cli.Warnx("lsns", "too many columns specified, the limit is %d columns", maxColumns-1)
				return false
			}
			info := columnInfo[id]
			idx = b.t.addColumn(&tcol{name: info.name, flags: flHidden, whint: info.whint, number: info.number})
			b.colIDs = append(b.colIDs, id)
		}
		h.col = idx
		h.decl = dString
		if columnInfo[id].number {
			h.decl = dU64
		}
	}
	if bad > 0 {
		cli.Warnx("lsns", "failed to initialize filter")
		return false
	}
	return true
}

func (b *builder) hasColumn(id colID) bool {
	for _, c := range b.colIDs {
		if c == id {
			return true
		}
	}
	return false
}

// value computes one cell.
func (b *builder) value(ns *namespace, p *process, id colID) (string, bool) {
	switch id {
	case colNS:
		return strconv.FormatUint(ns.ino, 10), true
	case colTYPE:
		return kindNames[ns.kind], true
	case colNPROCS:
		return strconv.Itoa(ns.nprocs), true
	case colPID:
		if p != nil {
			return strconv.Itoa(p.pid), true
		}
	case colPPID:
		if p != nil {
			p.loadStat()
			return strconv.Itoa(p.ppid), true
		}
	case colCOMMAND:
		if p != nil {
			return command(p.pid)
		}
	case colPATH:
		if p != nil {
			return nsPath(p.pid, ns.kind), true
		}
	case colUID:
		return strconv.Itoa(int(int32(b.uidOf(ns, p)))), true
	case colUSER:
		return b.users.name(b.uidOf(ns, p)), true
	case colNETNSID:
		if ns.kind == kNet {
			switch id := b.w.netnsidOf(ns, p); {
			case id >= 0:
				return strconv.Itoa(id), true
			case id == -1:
				return "unassigned", true
			}
		}
	case colNSFS:
		sep := byte('\n')
		if b.cfg.noWrap {
			sep = ','
		}
		return nsfsPaths(b.w.mounts, ns.kind, ns.ino, sep)
	case colPNS:
		b.w.ensureRelated(ns)
		return strconv.FormatUint(ns.related[relParent], 10), true
	case colONS:
		b.w.ensureRelated(ns)
		return strconv.FormatUint(ns.related[relOwner], 10), true
	}
	return "", false
}

func (b *builder) uidOf(ns *namespace, p *process) uint32 {
	if p == nil {
		return ns.uid
	}
	p.loadUID()
	return p.uid
}

// addLine adds the row of ns (shown through process p, which may be nil)
// under the parent row its mode gives it, unless the filter drops it.
func (b *builder) addLine(ns *namespace, p *process) {
	if b.failed {
		return
	}
	var parent *tline
	switch {
	case b.cfg.tree == treeProcess && p != nil && b.parentProc(p) != nil:
		parent = b.parentProc(p).outline
	case b.cfg.tree == treeParent && ns.rel[relParent] != nil:
		parent = ns.rel[relParent].row
	case b.cfg.tree == treeOwner && ns.rel[relOwner] != nil:
		parent = ns.rel[relOwner].row
	}
	l := b.t.newLine()
	fill := func(i int) (string, bool) {
		if !l.set[i] {
			if s, ok := b.value(ns, p, b.colIDs[i]); ok {
				l.cells[i], l.set[i] = s, true
			}
		}
		return l.cells[i], l.set[i]
	}
	if f := b.cfg.filter; f != nil {
		ok, err := f.match(fill)
		if err != nil {
			cli.Warn("lsns", err, "failed to apply filter")
			b.failed = true
			return
		}
		if !ok {
			return
		}
	}
	for i, c := range b.t.cols {
		if !c.hidden() {
			fill(i)
		}
	}
	b.t.attach(l, parent)
	if b.cfg.tree == treeOwner || b.cfg.tree == treeParent {
		ns.row = l
	} else if p != nil {
		p.outline = l
	}
}

// parentProc is the scanned process whose PID is p's parent PID.
func (b *builder) parentProc(p *process) *process {
	p.loadStat()
	if p.ppid <= 0 {
		return nil
	}
	return b.w.byPid[p.ppid]
}

// showNamespaces builds the namespace list: sorted by inode, -p and -P
// applied; in the owner and parent trees a namespace's relative is shown
// first so that it can hang below it.
func (b *builder) showNamespaces() {
	for _, ns := range b.w.sorted() {
		if b.cfg.pid != 0 && !b.hasProcess(ns, b.cfg.pid) {
			continue
		}
		if b.cfg.persist && ns.nprocs != 0 {
			continue
		}
		if ns.row == nil {
			b.showNamespace(ns)
		}
	}
}

func (b *builder) showNamespace(ns *namespace) {
	owner, parent := ns.rel[relOwner], ns.rel[relParent]
	switch b.cfg.tree {
	case treeOwner:
		if owner != nil && owner.row == nil {
			b.showNamespace(owner)
		}
	case treeParent:
		if parent != nil {
			if parent.row == nil {
				b.showNamespace(parent)
			}
		} else if owner != nil && owner.row == nil {
			b.showNamespace(owner)
		}
	}
	b.addLine(ns, ns.rep)
}

func (b *builder) hasProcess(ns *namespace, pid int) bool {
	p := b.w.byPid[pid]
	return p != nil && p.ns[ns.kind] == ns.ino
}

// showProcesses builds the process list of one namespace: its members in
// /proc order, each after its parent when the parent is a member too.
func (b *builder) showProcesses(ns *namespace) {
	var members []*process
	for _, p := range b.w.procs {
		if p.ns[ns.kind] == ns.ino {
			members = append(members, p)
		}
	}
	// Read what every row needs concurrently before building them.
	parallel(len(members), func(_, i int) {
		members[i].loadStat()
	})
	for _, p := range members {
		if p.outline == nil {
			b.showProcess(p, ns)
		}
	}
}

func (b *builder) showProcess(p *process, ns *namespace) {
	if b.cfg.tree == treeProcess {
		if pp := b.parentProc(p); pp != nil && pp.outline == nil && pp.ns[ns.kind] == p.ns[ns.kind] {
			b.showProcess(pp, ns)
		}
	}
	b.addLine(ns, p)
}

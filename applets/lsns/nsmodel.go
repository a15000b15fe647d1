package lsns

import (
	"errors"
	"slices"
	"strconv"

	"golang.org/x/sys/unix"

	"nsbox/cli"
	"nsbox/nsutil"
)

// The namespaces lsns knows and how it finds them, in util-linux's order:
// those held by open files and sockets (met while scanning), those
// processes are in, those bind-mounted somewhere (persistent), and, for
// the owner and parent trees, the missing ("ghost") relatives.

const (
	relParent = 0
	relOwner  = 1
)

// netnsidUnusable marks a NETNSID that could not be asked for.
const netnsidUnusable = -2

// namespace is one namespace and what lsns shows about it.
type namespace struct {
	ino    uint64
	kind   nsKind
	nprocs int
	rep    *process // lowest member PID, nil for none

	related [2]uint64 // parent and owner inodes, 0 for none
	relDone bool
	rel     [2]*namespace

	uid         uint32 // owner uid for a namespace without processes
	netnsid     int
	netnsidDone bool
	row         *tline // its row, in the owner and parent trees
}

// world is everything the scan found.
type world struct {
	cfg    *config
	procs  []*process
	byPid  map[int]*process
	byIno  map[uint64]*namespace
	list   []*namespace // in the order found
	route  *nsutil.Route
	mounts []nsfsMount
	// nsfsDev is the device of namespace files.
	nsfsDev uint64
	// unsupported is set when the kernel lacks an nsfs ioctl that the
	// output needs; lsns then exits 2 without output.
	unsupported bool
}

func (w *world) newNS(kind nsKind, ino uint64) *namespace {
	ns := &namespace{ino: ino, kind: kind, netnsid: netnsidUnusable}
	w.byIno[ino] = ns
	w.list = append(w.list, ns)
	return ns
}

// warnIoctl prints util-linux's warning for an ioctl the kernel lacks and
// reports whether the failure was that.
func warnIoctl(err error) bool {
	var e *nsutil.NSIoctlError
	if errors.As(err, &e) && e.Unsupported() {
		cli.Warnx("lsns", "Unsupported ioctl %s", string(e.Name))
		return e.Errno == unix.ENOTTY
	}
	return false
}

// parentOf opens the parent namespace (pid and user only) and returns
// its inode; EPERM (the initial namespace) gives 0 and fd -1.
func parentOf(fd int, kind nsKind) (uint64, int, error) {
	if kind != kPid && kind != kUser {
		return 0, -1, nil
	}
	return related(nsutil.NSParentFd(fd))
}

func ownerOf(fd int) (uint64, int, error) { return related(nsutil.NSOwnerFd(fd)) }

func related(rfd int, err error) (uint64, int, error) {
	if err != nil {
		if errors.Is(err, unix.EPERM) || errors.Is(err, unix.ENOSYS) {
			warnIoctl(err)
			return 0, -1, nil
		}
		return 0, -1, err
	}
	ino, err := nsutil.FdInode(rfd)
	if err != nil {
		unix.Close(rfd)
		return 0, -1, err
	}
	return ino, rfd, nil
}

// addForFd adds the namespace open on fd (found through a file, socket or
// mount), with its parent and owner, which are added too when unknown.
// It returns nil when the type is not selected.
func (w *world) addForFd(fd int, ino uint64) *namespace {
	t, ok, err := nsutil.NSKindOf(fd)
	if err != nil {
		warnIoctl(err)
		return nil
	}
	kind, known := kindOf(t)
	if !ok || !known || !w.cfg.types[kind] {
		return nil
	}
	pino, pfd, perr := parentOf(fd, kind)
	if perr != nil && warnIoctl(perr) {
		w.unsupported = true
	}
	oino, ofd, oerr := ownerOf(fd)
	if oerr != nil && warnIoctl(oerr) {
		w.unsupported = true
	}
	defer func() {
		if pfd >= 0 {
			unix.Close(pfd)
		}
		if ofd >= 0 {
			unix.Close(ofd)
		}
	}()
	ns := w.newNS(kind, ino)
	ns.related = [2]uint64{pino, oino}
	ns.relDone = true
	if uid, err := nsutil.NSOwnerUID(fd); err == nil {
		ns.uid = uid
	} else {
		warnIoctl(err)
	}
	if kind == kNet {
		ns.netnsid, ns.netnsidDone = w.askNetnsid(fd), true
	}
	if (kind == kUser || kind == kPid) && pino != ino && pino != 0 {
		ns.rel[relParent] = w.byIno[pino]
		if ns.rel[relParent] == nil && pfd >= 0 {
			ns.rel[relParent] = w.addForFd(pfd, pino)
			if pino == oino {
				ns.rel[relOwner] = ns.rel[relParent]
			}
		}
	}
	if ns.rel[relOwner] == nil && oino != 0 {
		ns.rel[relOwner] = w.byIno[oino]
		if ns.rel[relOwner] == nil && ofd >= 0 {
			ns.rel[relOwner] = w.addForFd(ofd, oino)
		}
	}
	return ns
}

// askNetnsid is the NETNSID of the network namespace open on fd, as this
// process's network namespace sees it.
func (w *world) askNetnsid(fd int) int {
	if w.route == nil {
		return netnsidUnusable
	}
	id, err := w.route.GetNSID(fd)
	if err != nil {
		return netnsidUnusable
	}
	return int(id)
}

// nsPath is /proc/PID/ns/TYPE.
func nsPath(pid int, kind nsKind) string {
	return "/proc/" + strconv.Itoa(pid) + "/ns/" + kindNames[kind]
}

// ensureRelated reads the parent and owner of a namespace that processes
// are in, through its lowest member's namespace file.
func (w *world) ensureRelated(ns *namespace) {
	if ns.relDone {
		return
	}
	ns.relDone = true
	if ns.rep == nil {
		return
	}
	fd, err := unix.Open(nsPath(ns.rep.pid, ns.kind), unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return
	}
	defer unix.Close(fd)
	pino, pfd, err := parentOf(fd, ns.kind)
	if err != nil && warnIoctl(err) {
		w.unsupported = true
	}
	if pfd >= 0 {
		unix.Close(pfd)
	}
	oino, ofd, err := ownerOf(fd)
	if err != nil && warnIoctl(err) {
		w.unsupported = true
	}
	if ofd >= 0 {
		unix.Close(ofd)
	}
	ns.related = [2]uint64{pino, oino}
}

// netnsidOf is the NETNSID shown for ns (represented by p, if any).
func (w *world) netnsidOf(ns *namespace, p *process) int {
	if ns.netnsidDone {
		return ns.netnsid
	}
	ns.netnsidDone = true
	if p == nil || w.route == nil {
		return ns.netnsid
	}
	fd, err := unix.Open(nsPath(p.pid, kNet), unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return ns.netnsid
	}
	ns.netnsid = w.askNetnsid(fd)
	unix.Close(fd)
	return ns.netnsid
}

// discover builds the namespace set from the scanned processes.
func (w *world) discover() {
	w.byPid = make(map[int]*process, len(w.procs))
	for _, p := range w.procs {
		w.byPid[p.pid] = p
	}
	w.readHeldNamespaces()
	for _, p := range w.procs {
		for k := nsKind(0); k < numKinds; k++ {
			ino := p.ns[k]
			if ino == 0 {
				continue
			}
			ns := w.byIno[ino]
			if ns == nil {
				ns = w.newNS(k, ino)
			}
			ns.nprocs++
			if ns.rep == nil || ns.rep.pid > p.pid {
				ns.rep = p
			}
		}
	}
	w.readPersistent()
	if w.cfg.tree == treeOwner || w.cfg.tree == treeParent {
		w.connect()
	}
}

// readHeldNamespaces adds the namespaces open as files or reachable
// through sockets, in scan order; like lsns it looks only at those not
// already found that way.
func (w *world) readHeldNamespaces() {
	seenSocket := map[uint64]bool{}
	for _, p := range w.procs {
		for _, r := range p.refs {
			if r.socket {
				if seenSocket[r.ino] {
					continue
				}
				w.addFromSocket(p.pid, r, seenSocket)
				continue
			}
			if w.byIno[r.ino] != nil {
				continue
			}
			path := "/proc/" + strconv.Itoa(p.pid) + "/fd/" + strconv.Itoa(r.fd)
			fd, err := unix.Open(path, unix.O_RDONLY|unix.O_CLOEXEC, 0)
			if err != nil {
				continue
			}
			// The process may have reused the descriptor since the
			// scan: only the namespace seen then counts.
			if ino, err := nsutil.FdInode(fd); err == nil && ino == r.ino && onDevice(fd, w.nsfsDev) {
				w.addForFd(fd, r.ino)
			}
			unix.Close(fd)
		}
	}
}

func (w *world) addFromSocket(pid int, r fdRef, seen map[uint64]bool) {
	sk, err := nsutil.ProcessFd(pid, r.fd)
	if err != nil {
		return
	}
	defer unix.Close(sk)
	nsfd, err := nsutil.SocketNetNSFd(sk)
	if err != nil {
		return
	}
	defer unix.Close(nsfd)
	ino, err := nsutil.FdInode(nsfd)
	if err != nil {
		return
	}
	seen[r.ino] = true
	if w.byIno[ino] == nil {
		w.addForFd(nsfd, ino)
	}
}

// readPersistent adds the namespaces bind-mounted somewhere (nsfs mounts
// in mountinfo) that no process is in.
func (w *world) readPersistent() {
	for _, m := range w.mounts {
		ino, ok := m.inode()
		if !ok || w.byIno[ino] != nil || m.target == "" {
			continue
		}
		fd, err := unix.Open(m.target, unix.O_RDONLY|unix.O_CLOEXEC, 0)
		if err != nil {
			continue
		}
		w.addForFd(fd, ino)
		unix.Close(fd)
	}
}

// connect links every namespace to its parent and owner for the trees,
// reading relatives no process or mount shows through the ioctls.
func (w *world) connect() {
	known := w.list
	for _, ns := range known {
		w.ensureRelated(ns)
	}
	var orphans [2][]*namespace
	for _, ns := range known {
		if ns.kind == kUser || ns.kind == kPid {
			if r := w.byIno[ns.related[relParent]]; ns.related[relParent] != 0 && r != nil {
				ns.rel[relParent] = r
			}
		}
		if r := w.byIno[ns.related[relOwner]]; ns.related[relOwner] != 0 && r != nil {
			ns.rel[relOwner] = r
		}
		for rela := 0; rela < 2; rela++ {
			if ns.related[rela] != 0 && ns.rel[rela] == nil {
				orphans[rela] = append(orphans[rela], ns)
			}
		}
	}
	// util-linux chains the orphans and so visits them last found first.
	for rela := 0; rela < 2; rela++ {
		for i := len(orphans[rela]) - 1; i >= 0; i-- {
			w.readGhost(orphans[rela][i], rela)
		}
	}
}

func (w *world) readGhost(orphan *namespace, rela int) {
	if orphan.rep == nil {
		return
	}
	if r := w.byIno[orphan.related[rela]]; r != nil {
		orphan.rel[rela] = r
		return
	}
	fd, err := unix.Open(nsPath(orphan.rep.pid, orphan.kind), unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return
	}
	var ino uint64
	var mfd int
	if rela == relParent {
		ino, mfd, err = parentOf(fd, orphan.kind)
	} else {
		ino, mfd, err = ownerOf(fd)
	}
	unix.Close(fd)
	if err != nil || mfd < 0 {
		return
	}
	defer unix.Close(mfd)
	if ino != orphan.related[rela] {
		return
	}
	orphan.rel[rela] = w.addForFd(mfd, ino)
}

// sorted returns the namespaces by inode, as lsns lists them.
func (w *world) sorted() []*namespace {
	out := slices.Clone(w.list)
	slices.SortFunc(out, func(a, b *namespace) int {
		switch {
		case a.ino < b.ino:
			return -1
		case a.ino > b.ino:
			return 1
		}
		return 0
	})
	return out
}

func onDevice(fd int, dev uint64) bool {
	var st unix.Stat_t
	return unix.Fstat(fd, &st) == nil && st.Dev == dev
}

// Package lsns is util-linux 2.42's lsns(8): it lists the namespaces of
// the system (found through /proc, open files, sockets and bind mounts)
// or the processes of one namespace, as a table, a tree, raw text or
// JSON, optionally filtered by a libsmartcols expression.
package lsns

import (
	"nsbox/cli"
	"nsbox/nsutil"
)

// Exit codes beyond 0 and 1.
const (
	exitUnsupportedIoctl = 2  // the kernel lacks an nsfs ioctl
	exitMountinfo        = 32 // libmount's MNT_EX_FAIL
)

const mountinfoPath = "/proc/self/mountinfo"

// Main runs lsns with argv (argv[0] is the name it was invoked as).
func Main(argv []string) int {
	out := cli.NewOutput("lsns")
	cfg, err := parseArgs(argv, out)
	if err != nil {
		return out.Close(exitCode(err))
	}
	return out.Close(run(cfg, out))
}

func run(cfg *config, out *cli.Output) int {
	b := newBuilder(cfg)
	if cfg.filter != nil && !cfg.hasNSArg && !b.bindFilter(cfg.filter) {
		return cli.ExitFailure
	}
	w := &world{cfg: cfg, byIno: map[uint64]*namespace{}}
	b.w = w
	if b.hasColumn(colNETNSID) {
		if r, err := nsutil.OpenRoute(); err == nil {
			w.route = r
			defer r.Close()
		}
	}
	mounts, err := readNsfsMounts(mountinfoPath)
	if err != nil {
		cli.Warn("lsns", err, "failed to parse %s", mountinfoPath)
		return exitMountinfo
	}
	w.mounts = mounts
	pids, err := listPids()
	if err != nil {
		return cli.ExitFailure
	}
	w.nsfsDev = nsfsDevice()
	w.procs = scanProcesses(pids, &cfg.types, cfg.types[kNet], w.nsfsDev)
	w.discover()
	if w.unsupported {
		return exitUnsupportedIoctl
	}
	if cfg.hasNSArg {
		ns := w.byIno[cfg.nsArg]
		if ns == nil {
			cli.Warnx("lsns", "not found namespace: %d", cfg.nsArg)
			return cli.ExitFailure
		}
		b.showProcesses(ns)
	} else {
		b.showNamespaces()
	}
	if b.failed {
		return cli.ExitFailure
	}
	if w.unsupported {
		return exitUnsupportedIoctl
	}
	b.t.print(out)
	return 0
}

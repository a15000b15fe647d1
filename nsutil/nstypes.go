// Package nsutil is nsbox's namespace engine, shared by every applet: the
// namespace table, the ordered unshare/setns steps, id maps, persistence,
// propagation and /proc mounts, fork/wait/exit-status and signal relay, and
// the pre-runtime stage for what no thread of a Go process may do.
//
// All of it runs on the main goroutine, which main locks to the main OS
// thread in init and never unlocks: the kernel keeps namespaces, root and
// cwd per thread, so only that thread's state reaches the exec'd program.
package nsutil

import "golang.org/x/sys/unix"

// NSType describes one kind of namespace.
type NSType struct {
	Name     string // "mnt", as lsns prints it and /proc/PID/ns names it
	Long     string // "mount": the unshare/nsenter long option
	Flag     uintptr
	Letter   byte   // the short option shared by unshare and nsenter
	ProcFile string // the file under /proc/PID/ns/ that names it
	// ChildFile is the file that names the namespace a process's
	// children get: differs for pid and time, whose unshare affects
	// only children.
	ChildFile string
}

// Namespaces lists every namespace type in the order util-linux persists
// them (unshare's bind order), which is also lsns's type order.
var Namespaces = []NSType{
	{"user", "user", unix.CLONE_NEWUSER, 'U', "user", "user"},
	{"cgroup", "cgroup", unix.CLONE_NEWCGROUP, 'C', "cgroup", "cgroup"},
	{"ipc", "ipc", unix.CLONE_NEWIPC, 'i', "ipc", "ipc"},
	{"uts", "uts", unix.CLONE_NEWUTS, 'u', "uts", "uts"},
	{"net", "net", unix.CLONE_NEWNET, 'n', "net", "net"},
	{"pid", "pid", unix.CLONE_NEWPID, 'p', "pid", "pid_for_children"},
	{"mnt", "mount", unix.CLONE_NEWNS, 'm', "mnt", "mnt"},
	{"time", "time", unix.CLONE_NEWTIME, 'T', "time", "time_for_children"},
}

// NSByFlag finds the namespace type of one CLONE_NEW* flag.
func NSByFlag(flag uintptr) (NSType, bool) {
	for _, t := range Namespaces {
		if t.Flag == flag {
			return t, true
		}
	}
	return NSType{}, false
}

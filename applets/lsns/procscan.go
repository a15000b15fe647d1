package lsns

import (
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"

	"golang.org/x/sys/unix"

	"nsbox/nsutil"
)

// The /proc scan. Per process it reads only what every mode needs: one
// readlink per selected namespace type (the link text carries the inode)
// and the links of its open files, which find namespaces held only by a
// file descriptor or a socket. Everything else (stat, uid, command line)
// is read later and only for the processes that end up in the output.

// process is one /proc/PID entry.
type process struct {
	pid  int
	ns   [numKinds]uint64 // 0: not readable
	refs []fdRef

	statDone bool
	ppid     int
	uidDone  bool
	uid      uint32
	outline  *tline // the row most recently printed for this process
}

// fdRef is an open file of a process that is a namespace or a socket
// (ino is the namespace's or the socket's inode).
type fdRef struct {
	fd     int
	socket bool
	ino    uint64
}

// nsfsDevice is the device of namespace files, from the first of
// /proc/self/ns/* that can be stat'ed (all ones, matching nothing, if none).
func nsfsDevice() uint64 {
	for _, k := range kindNames {
		var st unix.Stat_t
		if unix.Stat("/proc/self/ns/"+k, &st) == nil {
			return st.Dev
		}
	}
	return ^uint64(0)
}

// listPids returns the numeric entries of /proc in directory order.
func listPids() ([]int, error) {
	fd, err := unix.Open("/proc", unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, err
	}
	defer unix.Close(fd)
	var pids []int
	buf := make([]byte, 64*1024)
	var names []string
	for {
		n, err := unix.ReadDirent(fd, buf)
		if err != nil {
			return nil, err
		}
		if n <= 0 {
			break
		}
		_, _, names = unix.ParseDirent(buf[:n], -1, names[:0])
		for _, name := range names {
			if pid, ok := atoiPositive(name); ok {
				pids = append(pids, pid)
			}
		}
	}
	return pids, nil
}

// atoiPositive parses an all-digit name.
func atoiPositive(s string) (int, bool) {
	if s == "" || len(s) > 10 {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		n = n*10 + int(s[i]-'0')
	}
	return n, n > 0
}

// parallel runs fn(i) for i in [0, n) on a bounded pool of goroutines,
// in chunks so that neighbouring PIDs stay on one worker.
func parallel(n int, fn func(worker, i int)) {
	workers := min(max(runtime.NumCPU(), 1)*2, 16)
	const chunk = 16
	if n < 2*chunk {
		workers = 1
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for {
				start := int(next.Add(chunk)) - chunk
				if start >= n {
					return
				}
				for i := start; i < min(start+chunk, n); i++ {
					fn(w, i)
				}
			}
		}(w)
	}
	wg.Wait()
}

// scanProcesses reads every process concurrently; the result keeps the
// /proc order. Processes that vanish are left out.
func scanProcesses(pids []int, types *[numKinds]bool, sockets bool, nsfsDev uint64) []*process {
	out := make([]*process, len(pids))
	bufs := make([][]byte, 16)
	dirbufs := make([][]byte, 16)
	for i := range bufs {
		bufs[i] = make([]byte, 256)
		dirbufs[i] = make([]byte, 8192)
	}
	parallel(len(pids), func(w, i int) {
		out[i] = scanProcess(pids[i], types, sockets, nsfsDev, bufs[w], dirbufs[w])
	})
	procs := out[:0]
	for _, p := range out {
		if p != nil {
			procs = append(procs, p)
		}
	}
	return procs
}

func scanProcess(pid int, types *[numKinds]bool, sockets bool, nsfsDev uint64, buf, dirbuf []byte) *process {
	// Two directory fds keep each lookup to one path component.
	dir := "/proc/" + strconv.Itoa(pid)
	nsfd, err := unix.Open(dir+"/ns", unix.O_PATH|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil
	}
	p := &process{pid: pid}
	for k := nsKind(0); k < numKinds; k++ {
		if !types[k] {
			continue
		}
		n, err := unix.Readlinkat(nsfd, kindNames[k], buf)
		if err != nil {
			continue
		}
		if _, ino, ok := nsutil.ParseNSLink(string(buf[:n])); ok {
			p.ns[k] = ino
		}
	}
	unix.Close(nsfd)
	ffd, err := unix.Open(dir+"/fd", unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return p
	}
	defer unix.Close(ffd)
	var names []string
	for {
		n, err := unix.ReadDirent(ffd, dirbuf)
		if err != nil || n <= 0 {
			break
		}
		_, _, names = unix.ParseDirent(dirbuf[:n], -1, names[:0])
		for _, name := range names {
			fd, ok := atoiPositive(name)
			if !ok && name != "0" {
				continue
			}
			// stat, not readlink: a file opened through a bind mount
			// of a namespace reads as its path, but it is still on
			// the nsfs device.
			var st unix.Stat_t
			if unix.Fstatat(ffd, name, &st, 0) != nil {
				continue
			}
			switch {
			case st.Dev == nsfsDev:
				p.refs = append(p.refs, fdRef{fd: fd, ino: st.Ino})
			case sockets && st.Mode&unix.S_IFMT == unix.S_IFSOCK:
				p.refs = append(p.refs, fdRef{fd: fd, socket: true, ino: st.Ino})
			}
		}
		// procfs fills the buffer as long as entries remain, so a
		// buffer with room left was the last one: skip the empty read.
		if n < len(dirbuf)-1024 {
			break
		}
	}
	return p
}

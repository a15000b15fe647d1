package lsns

import (
	"bytes"
	"strconv"

	"golang.org/x/sys/unix"
)

// Per-process details read only for the processes lsns prints.

// readFile reads up to len(buf) bytes of a /proc file.
func readFile(path string, buf []byte) (int, error) {
	fd, err := unix.Open(path, unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return 0, err
	}
	defer unix.Close(fd)
	n := 0
	for n < len(buf) {
		m, err := unix.Read(fd, buf[n:])
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			if n > 0 {
				break
			}
			return 0, err
		}
		if m == 0 {
			break
		}
		n += m
	}
	return n, nil
}

// loadStat reads the parent PID from /proc/PID/stat (the field after the
// state, which follows the last ')').
func (p *process) loadStat() {
	if p.statDone {
		return
	}
	p.statDone = true
	var buf [1024]byte
	n, err := readFile("/proc/"+strconv.Itoa(p.pid)+"/stat", buf[:])
	if err != nil {
		return
	}
	s := buf[:n]
	i := bytes.LastIndexByte(s, ')')
	if i < 0 {
		return
	}
	f := bytes.Fields(s[i+1:])
	if len(f) < 2 {
		return
	}
	if v, err := strconv.Atoi(string(f[1])); err == nil {
		p.ppid = v
	}
}

// loadUID is the owner of /proc/PID, which lsns shows as the process's
// user.
func (p *process) loadUID() {
	if p.uidDone {
		return
	}
	p.uidDone = true
	var st unix.Stat_t
	if unix.Stat("/proc/"+strconv.Itoa(p.pid), &st) == nil {
		p.uid = st.Uid
	}
}

// command is the COMMAND cell: /proc/PID/cmdline (at most 8192 bytes,
// NULs as spaces, the last byte dropped) or else /proc/PID/comm without
// its newline. ok is false when neither can be read.
func command(pid int) (string, bool) {
	buf := make([]byte, 8192)
	dir := "/proc/" + strconv.Itoa(pid)
	if n, err := readFile(dir+"/cmdline", buf); err == nil && n > 0 {
		for i := 0; i < n-1; i++ {
			if buf[i] == 0 {
				buf[i] = ' '
			}
		}
		s := buf[:n-1]
		if i := bytes.IndexByte(s, 0); i >= 0 {
			s = s[:i]
		}
		return string(s), true
	}
	n, err := readFile(dir+"/comm", buf)
	if err != nil || n == 0 {
		return "", false
	}
	s := buf[:n]
	if s[n-1] == '\n' {
		s = s[:n-1]
	}
	if i := bytes.IndexByte(s, 0); i >= 0 {
		s = s[:i]
	}
	return string(s), true
}

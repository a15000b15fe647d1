package ip

import (
	"encoding/binary"
	"fmt"

	"golang.org/x/sys/unix"

	"nsbox/cli"
)

// monitor is "monitor": "add NAME" / "delete NAME" for every file created
// in or removed from the run directory, forever. Unlike iproute2, whose
// lines sit in the stdio buffer when stdout is a pipe, each line is
// written at once, so a reader sees events as they happen.
func (s *session) monitor() int {
	fd, err := unix.InotifyInit1(unix.IN_CLOEXEC)
	if err != nil {
		s.errorf("inotify_init failed: %s\n", cli.Strerror(err))
		return -1
	}
	defer unix.Close(fd)
	if !s.createRunDir() {
		return -1
	}
	if _, err := unix.InotifyAddWatch(fd, runDir, unix.IN_CREATE|unix.IN_DELETE); err != nil {
		s.errorf("inotify_add_watch failed: %s\n", cli.Strerror(err))
		return -1
	}
	buf := make([]byte, 4096)
	for {
		n, err := unix.Read(fd, buf)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			s.errorf("read failed: %s\n", cli.Strerror(err))
			return -1
		}
		for _, ev := range parseInotify(buf[:n]) {
			if ev.mask&unix.IN_CREATE != 0 {
				fmt.Fprintf(s.out, "add %s\n", ev.name)
			}
			if ev.mask&unix.IN_DELETE != 0 {
				fmt.Fprintf(s.out, "delete %s\n", ev.name)
			}
			s.out.Flush()
		}
	}
}

type inotifyEvent struct {
	mask uint32
	name string
}

// parseInotify splits a read from an inotify fd into events (struct
// inotify_event: wd, mask, cookie, len, then a NUL-padded name).
func parseInotify(b []byte) []inotifyEvent {
	var evs []inotifyEvent
	for len(b) >= unix.SizeofInotifyEvent {
		mask := binary.NativeEndian.Uint32(b[4:])
		l := int(binary.NativeEndian.Uint32(b[12:]))
		b = b[unix.SizeofInotifyEvent:]
		if l > len(b) {
			break
		}
		name := b[:l]
		for i, c := range name {
			if c == 0 {
				name = name[:i]
				break
			}
		}
		evs = append(evs, inotifyEvent{mask, string(name)})
		b = b[l:]
	}
	return evs
}

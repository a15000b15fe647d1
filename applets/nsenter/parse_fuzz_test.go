package nsenter

import (
	"strings"
	"testing"

	"golang.org/x/sys/unix"

	"nsbox/getopt"
	"nsbox/nsutil"
)

// FuzzParse: no command line panics the parser, refusals are messages,
// and every fd an accepted command line opened is a real open fd.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"-t 1 -a", "-n/proc/self/ns/net -u=/proc/self/ns/uts true", "-w/tmp -W/tmp", "--net= x",
		"-t 5:0", "-N -1", "-S follow -G 7", "-r=/ -m", "--mount=:12", "-Z", "--wdns --wd=/",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		argv := append([]string{"nsenter"}, strings.Split(s, " ")...)
		e, err := parse(argv)
		if err != nil {
			switch x := err.(type) {
			case *getopt.Error:
				if x.Msg != "" && !strings.HasPrefix(x.Msg, "nsenter: ") { // "" is -Z
					t.Fatalf("%q: diagnostic %q", s, x.Msg)
				}
			case *nsutil.Error:
				if x.Error() == "" || x.Code != 1 {
					t.Fatalf("%q: message %q", s, x.Error())
				}
			default:
				t.Fatalf("%q: unexpected error type %T", s, err)
			}
			return
		}
		if e == nil {
			return
		}
		fds := []int{e.RootFd, e.WdFd, e.TargetPidfd}
		for _, sl := range e.Slots {
			fds = append(fds, sl.Fd)
		}
		for _, fd := range fds {
			if fd < 0 {
				continue
			}
			flags, err := unix.FcntlInt(uintptr(fd), unix.F_GETFD, 0)
			if err != nil || flags&unix.FD_CLOEXEC == 0 {
				t.Fatalf("%q: fd %d is not an open close-on-exec fd", s, fd)
			}
			unix.Close(fd)
		}
	})
}

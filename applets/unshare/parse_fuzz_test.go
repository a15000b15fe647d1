package unshare

import (
	"strings"
	"testing"

	"golang.org/x/sys/unix"

	"nsbox/getopt"
	"nsbox/nsutil"
)

// FuzzParse: no command line panics the parser; every refusal is a getopt
// diagnostic or a util-linux message with exit code 1; what is accepted is
// consistent (a map implies a user namespace, --mount-proc a mount one).
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"-rfp --mount-proc true", "--map-users=0:100000:10 --map-user=5 id", "--kill-child=TERM -m/x",
		"--propagation=slave -R / -w /tmp sh", "--ma", "--monotonic=-5 -T", "-S 4294967298 -G x",
		"--owner=1:2 --setgroups=deny", "--whitelist-env=A,B --clear-env", "-l :x:M::a::/bin/sh:F",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		argv := append([]string{"unshare"}, strings.Split(s, " ")...)
		u, err := parse(argv)
		if err != nil {
			switch e := err.(type) {
			case *getopt.Error:
				if !strings.HasPrefix(e.Msg, "unshare: ") {
					t.Fatalf("%q: diagnostic %q", s, e.Msg)
				}
			case *nsutil.Error:
				// (Messages quote what was typed, newlines included,
				// as util-linux's do.)
				if e.Error() == "" || e.Code != 1 {
					t.Fatalf("%q: message %q code %d", s, e.Error(), e.Code)
				}
			default:
				t.Fatalf("%q: unexpected error type %T: %v", s, err, err)
			}
			return
		}
		if u == nil {
			return // --help or --version
		}
		if (u.MapUser != nsutil.NoID || u.MapGroup != nsutil.NoID || u.UIDRanges != nil || u.GIDRanges != nil ||
			u.OwnerUID != nsutil.NoID) && u.Flags&unix.CLONE_NEWUSER == 0 {
			t.Fatalf("%q: a mapping without a user namespace", s)
		}
		if u.MountProc != nil && u.Flags&unix.CLONE_NEWNS == 0 {
			t.Fatalf("%q: --mount-proc without a mount namespace", s)
		}
		if (u.KillSignal != 0 || u.ForwardSignals) && !u.Fork {
			t.Fatalf("%q: --kill-child/--forward-signals without --fork", s)
		}
	})
}

package tests

import (
	"strings"
	"testing"
)

// sysUnshare is util-linux 2.38.1's unshare on this machine.
const sysUnshare = "/usr/bin/unshare"

// ushare runs nsbox's unshare with argv[0] "unshare" (as a symlink in
// PATH would give it).
func ushare(t *testing.T, args ...string) Result {
	t.Helper()
	return Run(t, Cmd{Argv: append([]string{Applet("unshare")}, args...), Arg0: "unshare"})
}

// ushareAs runs nsbox's unshare as nobody.
func ushareAs(t *testing.T, args ...string) Result {
	t.Helper()
	return Run(t, Cmd{Argv: append([]string{Applet("unshare")}, args...), Nobody: true})
}

// both runs the same command line through nsbox and util-linux 2.38.1 and
// returns the two results; use it where 2.38.1 and 2.42 agree.
func both(t *testing.T, c Cmd) (nb, ref Result) {
	t.Helper()
	nbc, refc := c, c
	nbc.Argv = append([]string{Applet("unshare")}, c.Argv...)
	refc.Argv = append([]string{sysUnshare}, c.Argv...)
	if !c.Nobody {
		nbc.Arg0, refc.Arg0 = "unshare", "unshare"
	}
	return Run(t, nbc), Run(t, refc)
}

// sameAsSystem asserts nsbox and util-linux agree exactly on args.
func sameAsSystem(t *testing.T, args ...string) Result {
	t.Helper()
	nb, ref := both(t, Cmd{Argv: args})
	Same(t, nb, ref)
	return nb
}

const tryHelp = "Try 'unshare --help' for more information.\n"

func TestUnshareGetoptDiagnostics(t *testing.T) {
	for _, args := range [][]string{
		{"--bogus"},
		{"--bogus=1", "true"},
		{"-m/x", "true"}, // namespace short options take no file
		{"-x"},
		{"-S"},
		{"--setuid"},
		{"--fork=1", "true"},
		{"--map-root-user=yes", "true"},
		{"-rx"},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			r := sameAsSystem(t, args...)
			if r.Code != 1 || !strings.HasSuffix(r.Stderr, tryHelp) {
				t.Errorf("want a getopt diagnostic and rc 1, got %s", r)
			}
		})
	}
	// Ambiguous prefixes list every candidate in util-linux 2.42's table
	// order (2.38.1 has fewer options, so this is golden text).
	Want(t, ushare(t, "--ma", "true"), "",
		"unshare: option '--ma' is ambiguous; possibilities: '--map-user' '--map-users' '--map-group' '--map-groups' '--map-root-user' '--map-current-user' '--map-auto' '--map-subids'\n"+tryHelp, 1)
	Want(t, ushare(t, "--mount-", "true"), "",
		"unshare: option '--mount-' is ambiguous; possibilities: '--mount-proc' '--mount-binfmt'\n"+tryHelp, 1)
	// An empty name is a prefix of every option, as in glibc.
	r := ushare(t, "--=x")
	if r.Code != 1 || !strings.HasPrefix(r.Stderr, "unshare: option '--=x' is ambiguous; possibilities: '--help' '--version' '--mount' ") {
		t.Errorf("--=x: %s", r)
	}
	// Unique prefixes are accepted, exact names win over longer ones.
	Want(t, ushare(t, "--map-r", "id", "-u"), "0\n", "", 0)
	Want(t, ushare(t, "--map-user=7", "--map-group=8", "--prop=unchanged", "sh", "-c", "id -u; id -g"), "7\n8\n", "", 0)
	Want(t, ushare(t, "--map-cur", "id", "-u"), "0\n", "", 0)
	Want(t, ushare(t, "--us", "id", "-u"), "65534\n", "", 0)
	// The diagnostic names argv[0] as invoked.
	r = Run(t, Cmd{Argv: []string{Applet("unshare"), "--bogus"}})
	Want(t, r, "", Applet("unshare")+": unrecognized option '--bogus'\n"+tryHelp, 1)
}

func TestUnshareStopsAtFirstNonOption(t *testing.T) {
	// Everything after the program is its own argv, options included.
	sameAsSystem(t, "echo", "-n", "--fork", "x")
	sameAsSystem(t, "--", "echo", "-r")
	// Clustering: -rfp is -r -f -p.
	Want(t, ushare(t, "-rfp", "sh", "-c", "echo $$; id -u"), "1\n0\n", "", 0)
	// Long optional arguments must be attached: "--net /x" makes /x the
	// program.
	sameAsSystem(t, "--net", "/nonexistent-nsbox", "true")
}

func TestUnshareHelpAndVersion(t *testing.T) {
	r := ushare(t, "--help")
	if r.Code != 0 || r.Stderr != "" || !strings.HasPrefix(r.Stdout, "\nUsage:\n unshare [options] [<program> [<argument>...]]\n") {
		t.Fatalf("--help: %s", r)
	}
	for _, o := range []string{"--mount[=<file>]", "--kill-child[=<signal>]", "--map-users", "--owner", "--clear-env", "--whitelist-env", "--load-interp", "--forward-signals", "--mount-binfmt[=<dir>]"} {
		if !strings.Contains(r.Stdout, o) {
			t.Errorf("--help does not mention %s", o)
		}
	}
	Want(t, ushare(t, "-V"), "unshare from util-linux 2.42.2 (nsbox 0.1.0)\n", "", 0)
	// The first of -h and -V wins; nothing after it is looked at.
	if r := ushare(t, "-h", "-V", "--bogus"); r.Code != 0 || !strings.Contains(r.Stdout, "Usage:") {
		t.Errorf("-h -V: %s", r)
	}
	Want(t, ushare(t, "-V", "-h"), "unshare from util-linux 2.42.2 (nsbox 0.1.0)\n", "", 0)
	// A failed write of the help is an error, as util-linux's close_stdout
	// makes it.
	r = Run(t, Cmd{Argv: []string{"sh", "-c", Applet("unshare") + " --help >/dev/full"}})
	Want(t, r, "", "unshare: write error: No space left on device\n", 1)
}

// TestUnshareMessages covers util-linux 2.42's error table (§1.7). Where
// 2.38.1 words a message differently the 2.42 text is asserted and the
// difference named.
func TestUnshareMessages(t *testing.T) {
	cases := []struct {
		args   []string
		stderr string
		same   bool // 2.38.1 says exactly the same
	}{
		{[]string{"--propagation", "foo", "true"}, "unshare: unsupported propagation mode: foo\n", true},
		{[]string{"--setgroups", "foo", "true"}, "unshare: unsupported --setgroups argument 'foo'\n", true},
		{[]string{"--kill-child=FOO", "true"}, "unshare: unknown signal: FOO\n", true},
		{[]string{"--kill-child=9", "true"}, "unshare: unknown signal: 9\n", true},
		// 2.38.1: "mapping '1:2' contains only 2 elements".
		{[]string{"--map-users=1:2", "true"}, "unshare: invalid mapping '1:2'\n", false},
		{[]string{"--map-users=1,2,3,4", "true"}, "unshare: invalid mapping '1,2,3,4'\n", false},
		{[]string{"--map-groups=a:b:c", "true"}, "unshare: invalid mapping 'a:b:c'\n", false},
		// 2.38.1: "failed to parse uid: 'nosuchuser'".
		{[]string{"--map-user=nosuchuser-nsbox", "true"}, "unshare: failed to parse uid 'nosuchuser-nsbox'\n", false},
		{[]string{"--map-user=-1", "true"}, "unshare: failed to parse uid '-1'\n", false},
		{[]string{"--map-user=0x10", "true"}, "unshare: failed to parse uid '0x10'\n", false},
		{[]string{"--map-group=12x", "true"}, "unshare: failed to parse gid '12x'\n", false},
		// --owner is new in 2.42.
		{[]string{"--owner", "1000", "true"}, "unshare: failed to parse owner\n", false},
		{[]string{"--owner", "1:2:3", "true"}, "unshare: failed to parse owner\n", false},
		// 2.38.1 says "(-t)".
		{[]string{"--monotonic", "5", "true"}, "unshare: options --monotonic and --boottime require unsharing of a time namespace (-T)\n", false},
		{[]string{"--boottime", "5", "-n", "true"}, "unshare: options --monotonic and --boottime require unsharing of a time namespace (-T)\n", false},
		{[]string{"--monotonic", "abc", "-T", "true"}, "unshare: failed to parse monotonic offset: 'abc'\n", true},
		{[]string{"--boottime", "1x", "-T", "true"}, "unshare: failed to parse boottime offset: '1x'\n", true},
		{[]string{"-S", "abc", "true"}, "unshare: failed to parse uid: 'abc'\n", true},
		// 2.38.1 wraps -1 to 4294967295 and fails in setuid.
		{[]string{"-S", "-1", "true"}, "unshare: failed to parse uid: '-1': Numerical result out of range\n", false},
		{[]string{"-G", "x", "true"}, "unshare: failed to parse gid: 'x'\n", true},
		{[]string{"-R", "/nonexistent-nsbox", "true"}, "unshare: cannot change root directory to '/nonexistent-nsbox': No such file or directory\n", true},
		// 2.38.1: "cannot chdir to '/nonexistent-nsbox'".
		{[]string{"-w", "/nonexistent-nsbox", "true"}, "unshare: cannot change directory to /nonexistent-nsbox: No such file or directory\n", false},
		{[]string{"-r", "-G", "0", "true"}, "unshare: setgroups failed: Operation not permitted\n", true},
		// 2.38.1: "setuid failed".
		{[]string{"-r", "-S", "1", "true"}, "unshare: setuid() failed: Invalid argument\n", false},
		{[]string{"-r", "--setgroups=allow", "true"}, "unshare: options --setgroups=allow and --map-group are mutually exclusive\n", true},
		{[]string{"--setgroups=deny", "true"}, "unshare: write failed /proc/self/setgroups: Operation not permitted\n", true},
		{[]string{"--mount-binfmt", "true"}, "unshare: mount /proc failed: Operation not permitted\n", false},
		{[]string{"-T", "--monotonic", "99999999999999", "true"}, "unshare: failed to write to /proc/self/timens_offsets: Numerical result out of range\n", true},
		{[]string{"-n", "nosuchcmd-nsbox"}, "unshare: failed to execute nosuchcmd-nsbox: No such file or directory\n", true},
		{[]string{"-n", "/etc/passwd"}, "unshare: failed to execute /etc/passwd: Permission denied\n", true},
		{[]string{"-n", "/"}, "unshare: failed to execute /: Permission denied\n", true},
	}
	for _, c := range cases {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			nb := ushare(t, c.args...)
			code := 1
			if strings.Contains(c.stderr, "failed to execute") {
				code = 126
				if strings.Contains(c.stderr, "No such file") {
					code = 127
				}
			}
			Want(t, nb, "", c.stderr, code)
			if c.same {
				_, ref := both(t, Cmd{Argv: c.args})
				Same(t, nb, ref)
			}
		})
	}
}

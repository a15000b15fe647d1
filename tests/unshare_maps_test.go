package tests

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// showMaps is a program printing the new namespace's uid_map, gid_map and
// setgroups with the kernel's padding squeezed out.
var showMaps = []string{"sh", "-c", `for f in uid_map gid_map; do sed -e 's/^ *//' -e 's/  */ /g' /proc/self/$f | tr '\n' '/'; echo; done; cat /proc/self/setgroups`}

// TestUnshareIDMaps checks every map form of util-linux 2.42 as root
// (§1.4's table). 2.38.1 has no inner:outer:count, multiple ranges or
// "all", and always runs newuidmap, so the expectations are golden.
func TestUnshareIDMaps(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-U"}, "\n\nallow\n"},
		{[]string{"-r"}, "0 0 1/\n0 0 1/\ndeny\n"},
		{[]string{"-c"}, "0 0 1/\n0 0 1/\ndeny\n"},
		{[]string{"--map-user=1000"}, "1000 0 1/\n\nallow\n"},
		{[]string{"--map-group=1000"}, "\n1000 0 1/\ndeny\n"},
		{[]string{"--map-user=nobody", "--map-group=nogroup"}, "65534 0 1/\n65534 0 1/\ndeny\n"},
		{[]string{"-r", "--map-user=5"}, "5 0 1/\n0 0 1/\ndeny\n"},
		{[]string{"--map-users=0:100000:1000"}, "0 100000 1000/\n\nallow\n"},
		{[]string{"--map-users=100000,0,1000"}, "0 100000 1000/\n\nallow\n"},
		{[]string{"--map-users=0:100000:1000", "--map-users=2000:200000:10"}, "0 100000 1000/2000 200000 10/\n\nallow\n"},
		{[]string{"--map-user=5", "--map-users=0:100000:10"}, "5 0 1/0 100000 5/6 100005 4/\n\nallow\n"},
		{[]string{"-r", "--map-users=0:0:10"}, "0 0 1/1 1 9/\n0 0 1/\ndeny\n"},
		{[]string{"-r", "--map-users=1:100000:1000", "--map-groups=1:100000:1000"}, "0 0 1/1 100000 1000/\n0 0 1/1 100000 1000/\nallow\n"},
		{[]string{"--map-users=all", "--map-groups=all"}, "0 0 4294967295/\n0 0 4294967295/\nallow\n"},
		{[]string{"-U", "--setgroups=deny"}, "\n\ndeny\n"},
		{[]string{"-rf"}, "0 0 1/\n0 0 1/\ndeny\n"},
		{[]string{"-f", "--map-users=0:100000:1000", "--map-groups=0:100000:1000"}, "0 100000 1000/\n0 100000 1000/\nallow\n"},
	} {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			Want(t, ushare(t, append(c.args, showMaps...)...), c.want, "", 0)
		})
	}
	// An explicit --setgroups is written after the maps, when the kernel
	// no longer lets it change: util-linux fails the same way.
	Want(t, ushare(t, "-r", "--setgroups=deny", "true"), "", "unshare: write failed /proc/self/setgroups: Operation not permitted\n", 1)
	Want(t, ushare(t, "--map-users=0:0:10", "--map-groups=0:0:10", "--setgroups=deny", "true"), "", "unshare: write failed /proc/self/setgroups: Operation not permitted\n", 1)
	sameAsSystem(t, "-r", "--setgroups=deny", "true")
	// The maps are checked before anything is created.
	Want(t, ushare(t, "--map-users=0:100000:1000", "--map-users=bad", "true"), "", "unshare: invalid mapping 'bad'\n", 1)
	// The kernel's 4 KiB limit on one write.
	var many []string
	for i := 0; i < 400; i++ {
		many = append(many, "--map-users="+itoa(i*10)+":"+itoa(100000+i*10)+":5")
	}
	r := ushare(t, append(many, "true")...)
	WantMatch(t, r, "", `unshare: /proc/[0-9]+/uid_map too large for kernel 4k limit\n`, 1)
}

// TestUnshareIDMapsUnprivileged: a user maps itself alone with -r/-c/-U;
// ranges go through newuidmap/newgidmap, which check /etc/subuid.
func TestUnshareIDMapsUnprivileged(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-U"}, "\n\nallow\n"},
		{[]string{"-r"}, "0 65534 1/\n0 65534 1/\ndeny\n"},
		{[]string{"-c"}, "65534 65534 1/\n65534 65534 1/\ndeny\n"},
		{[]string{"-rf"}, "0 65534 1/\n0 65534 1/\ndeny\n"},
	} {
		Want(t, ushareAs(t, append(c.args, showMaps...)...), c.want, "", 0)
	}
	// Multi-range maps with subordinate ids, in a private mount namespace
	// whose /etc/subuid and /etc/subgid give nobody a range.
	d := TempDir(t)
	os.WriteFile(filepath.Join(d, "subuid"), []byte("nobody:100000:65536\n"), 0o644)
	os.WriteFile(filepath.Join(d, "subgid"), []byte("65534:200000:65536\n"), 0o644)
	withSubids := func(args ...string) Result {
		script := `mount --bind "$1/subuid" /etc/subuid && mount --bind "$1/subgid" /etc/subgid && shift && exec setpriv --reuid=65534 --regid=65534 --clear-groups "$@"`
		argv := append([]string{sysUnshare, "-m", "--propagation", "private", "sh", "-c", script, "sh", d, Applet("unshare")}, args...)
		return Run(t, Cmd{Argv: argv})
	}
	Want(t, withSubids(append([]string{"--map-users=0:100000:1000", "--map-groups=0:200000:1000"}, showMaps...)...),
		"0 100000 1000/\n0 200000 1000/\nallow\n", "", 0)
	Want(t, withSubids(append([]string{"--map-auto"}, showMaps...)...),
		"0 100000 65536/\n0 200000 65536/\nallow\n", "", 0)
	Want(t, withSubids(append([]string{"--map-subids"}, showMaps...)...),
		"100000 100000 65536/\n200000 200000 65536/\nallow\n", "", 0)
	Want(t, withSubids(append([]string{"--map-auto", "-r"}, showMaps...)...),
		"0 65534 1/1 100000 65535/\n0 65534 1/1 200000 65535/\nallow\n", "", 0)
	// newuidmap refuses ranges the user does not own; its failure is
	// unshare's exit status.
	r := withSubids("--map-users=0:300000:10", "true")
	if r.Code != 1 || !strings.HasPrefix(r.Stderr, "newuidmap: ") {
		t.Errorf("foreign range: %s", r)
	}
	// Without the tools in PATH: util-linux's exec error and 127.
	r = withSubids("env", "PATH=/nonexistent-nsbox", Applet("unshare"), "--map-users=0:100000:10", "true")
	Want(t, r, "", "unshare: failed to execute newuidmap: No such file or directory\n", 127)
	r = withSubids("env", "PATH=/nonexistent-nsbox", Applet("unshare"), "--map-groups=0:200000:10", "true")
	Want(t, r, "", "unshare: failed to execute newgidmap: No such file or directory\n", 127)
}

// TestUnshareSubidLookup is BR-17: the /etc/subuid lookup and its errors,
// in a private mount namespace with our own /etc.
func TestUnshareSubidLookup(t *testing.T) {
	d := TempDir(t)
	etc := filepath.Join(d, "etc")
	os.Mkdir(etc, 0o755)
	for _, f := range []string{"passwd", "group"} {
		b, _ := os.ReadFile("/etc/" + f)
		os.WriteFile(filepath.Join(etc, f), b, 0o644)
	}
	inEtc := func(nobody bool, args ...string) Result {
		script := `mount --bind "$1" /etc && shift && exec "$@"`
		pre := []string{}
		if nobody {
			pre = []string{"setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"}
		}
		argv := append(append([]string{sysUnshare, "-m", "--propagation", "private", "sh", "-c", script, "sh", etc}, pre...), Applet("unshare"))
		return Run(t, Cmd{Argv: append(argv, args...)})
	}
	Want(t, inEtc(false, "--map-auto", "true"), "", "unshare: could not open '/etc/subuid': No such file or directory\n", 1)
	Want(t, inEtc(false, "--map-users=auto", "true"), "", "unshare: could not open '/etc/subuid': No such file or directory\n", 1)
	Want(t, inEtc(false, "--map-groups=subids", "true"), "", "unshare: could not open '/etc/subgid': No such file or directory\n", 1)
	os.WriteFile(filepath.Join(etc, "subuid"), []byte("someoneelse:100000:65536\n"), 0o644)
	os.WriteFile(filepath.Join(etc, "subgid"), []byte("someoneelse:100000:65536\n"), 0o644)
	// 2.42 uses errx here: no ": Success" suffix as 2.38.1 printed.
	Want(t, inEtc(true, "--map-auto", "true"), "", "unshare: no line matching user \"nobody\" in /etc/subuid\n", 1)
	// For root, a non-numeric name reads as uid 0 and matches (util-linux's
	// quirk, kept): the range is used.
	Want(t, inEtc(false, append([]string{"--map-auto"}, showMaps...)...), "0 100000 65536/\n0 100000 65536/\nallow\n", "", 0)
	os.WriteFile(filepath.Join(etc, "subuid"), []byte("nocolon\nroot:1x:5\n"), 0o644)
	Want(t, inEtc(false, "--map-auto", "true"), "", "unshare: failed to parse subid map: '1x'\n", 1)
	os.WriteFile(filepath.Join(etc, "passwd"), []byte("someone:x:1:1::/:/bin/sh\n"), 0o644)
	Want(t, inEtc(false, "--map-auto", "true"), "", "unshare: you (user 0) don't exist.\n", 1)
}

func itoa(i int) string { return strconv.Itoa(i) }

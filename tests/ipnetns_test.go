package tests

// ip netns: nsbox's ip against iproute2 6.1's /usr/sbin/ip.
//
// Every script runs in a sandbox (nbiRun): a private mount namespace with
// its own tmpfs on /run, so /run/netns starts absent and every namespace
// file and mount made inside disappears with it, and a new network
// namespace, so NETNSIDs are assigned in a table no other test or program
// uses (ids are then deterministic, "auto" gives 0, and a namespace that
// dies asynchronously after one run cannot hold an id the next run
// wants). Most tests run the same script once with each tool and require
// identical stdout, stderr and status (nbiSame); the script's x helper
// prints each command (with the tool shown as "ip"), its merged output,
// and its exit code, so one comparison covers many commands. Where
// nsbox follows a later iproute2 than 6.1, or deviates on purpose, the
// expected text is golden and the reason is given.

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"nsbox/nsutil"
)

const nbiSysIP = "/usr/sbin/ip"

// nbiHelperIP is the same iproute2 binary under another path, for helper
// commands in scripts (ip link, ...): x shows the tool under test as "ip"
// and must not rename these.
const nbiHelperIP = "/sbin/ip"

// nbiPrelude gives every script its helpers: x runs a command and shows
// it (the tool under test as "ip", values named by vol NAME VALUE, such
// as PIDs, as $NAME), its output (stderr merged) and its status; waitns
// waits until a
// process has left this shell's network namespace (polling /proc, not a
// fixed sleep); nbiwait polls a shell condition for at most 20 s.
const nbiPrelude = `SYSIP=` + nbiHelperIP + `
NB="setpriv --reuid=65534 --regid=65534 --clear-groups"
NBISED="s|$IP|ip|g"
x() { { printf '+'; printf ' %s' "$@"; echo; } | sed "$NBISED"; "$@" 2>&1; echo "rc=$?"; }
vol() { NBISED="$NBISED;s/\b$2\b/\$$1/g"; }
nbiwait() { i=0; while ! eval "$1" && [ $i -lt 2000 ]; do sleep 0.01; i=$((i+1)); done; }
waitns() { nbiwait '[ "$(readlink /proc/'$1'/ns/net 2>/dev/null)" != "$(readlink /proc/self/ns/net)" ]'; }
`

// nbiOpts are sandbox options.
type nbiOpts struct {
	etc bool     // /etc is an overlay: changes (e.g. /etc/netns) stay inside
	env []string // more environment for the script
}

// nbiRun runs script under sh in a sandbox with $IP set to ip.
func nbiRun(t *testing.T, ip, script string, o nbiOpts) Result {
	t.Helper()
	setup := "mount -t tmpfs nbirun /run || exit 99\n"
	if o.etc {
		d := t.TempDir()
		for _, sub := range []string{"u", "w"} {
			if err := os.Mkdir(filepath.Join(d, sub), 0o755); err != nil {
				t.Fatal(err)
			}
		}
		setup += fmt.Sprintf("mount -t overlay nbietc -o lowerdir=/etc,upperdir=%s/u,workdir=%s/w /etc || exit 99\n", d, d)
	}
	env := append(append(os.Environ(), "IP="+ip), o.env...)
	r := Run(t, Cmd{
		// statuses are checked through the rc= lines; the script's own
		// is only its last command's
		Argv: []string{"unshare", "-m", "-n", "--propagation", "private", "sh", "-c", setup + nbiPrelude + script + "\nexit 0\n"},
		Env:  env,
	})
	if r.Code == 99 {
		t.Fatalf("sandbox setup failed: %s", r)
	}
	return r
}

// nbiSame runs script with iproute2's ip and with ours, requires the same
// result, and returns ours.
func nbiSame(t *testing.T, script string, o nbiOpts) Result {
	t.Helper()
	ref := nbiRun(t, nbiSysIP, script, o)
	got := nbiRun(t, Applet("ip"), script, o)
	if got != ref {
		t.Errorf("nsbox differs from iproute2 (status %d vs %d):\nstdout: %s\nstderr: %s",
			got.Code, ref.Code, nbiDiff(got.Stdout, ref.Stdout), nbiDiff(got.Stderr, ref.Stderr))
	}
	return got
}

// nbiDiff shows where two outputs part: the first differing line with
// some context, or "same".
func nbiDiff(got, ref string) string {
	if got == ref {
		return "same"
	}
	g, r := strings.Split(got, "\n"), strings.Split(ref, "\n")
	i := 0
	for i < len(g) && i < len(r) && g[i] == r[i] {
		i++
	}
	from := max(0, i-6)
	line := func(l []string, j int) string {
		if j < len(l) {
			return fmt.Sprintf("%q", l[j])
		}
		return "(end)"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "first difference at line %d\n", i+1)
	for j := from; j < i; j++ {
		fmt.Fprintf(&b, "    %q\n", g[j])
	}
	for j := i; j < i+4; j++ {
		fmt.Fprintf(&b, "  nsbox:    %s\n  iproute2: %s\n", line(g, j), line(r, j))
	}
	return b.String()
}

// nbiHas requires that out contains every one of the blocks (what a field
// case expects), so that a differential test cannot pass on two equally
// wrong outputs.
func nbiHas(t *testing.T, out string, blocks ...string) {
	t.Helper()
	for _, b := range blocks {
		if !strings.Contains(out, b) {
			t.Errorf("output lacks %q:\n%s", b, out)
		}
	}
}

// TestIPNetnsFrontEnd: abbreviations of objects, subcommands and options
// in iproute2's order, their errors and exit codes (1, 2, 255).
func TestIPNetnsFrontEnd(t *testing.T) {
	got := nbiSame(t, `
x $IP netns
x $IP netns l
x $IP netns s
x $IP netns ls
x $IP netns sh
x $IP net
x $IP netn
x $IP --json netns
x $IP -j -p netns
x $IP -- netns
x $IP -x
x $IP ---x netns
x $IP -e netns
x $IP -ech netns
x $IP -echo netns
x $IP -color=bad netns
x $IP -c netns
x $IP -color=never netns
x $IP -f bogus netns
x $IP -f ipx netns
x $IP -f inet6 netns
x $IP -rc x netns
x $IP -rc 0x10 netns
x $IP -rc -1 netns
x $IP -l 3 netns
x $IP - 3 netns
for o in -h -s -d -r -o -t -ts -br -i -4 -6 -0 -M -B -N -Numeric -fo -force -a -stats -details; do x $IP $o netns; done
x $IP -I netns
x $IP ''
x $IP -n
x $IP -n nbinosuch netns
x $IP -b /nonexistent-nbi
x $IP netns foo
x $IP netns ''
x $IP netns help
x $IP netns h
x $IP netns hel
x $IP netns list-id junk
x $IP netns list-
x $IP netns a
x $IP netns at
x $IP netns at nbix
x $IP netns se
x $IP netns se nbix
x $IP netns d
x $IP netns i nbi1 nbi2
x $IP netns p
x $IP netns e
x $IP netns e nbix
x $IP -all netns e
`, nbiOpts{})
	nbiHas(t, got.Stdout,
		"+ ip netns foo\nCommand \"foo\" is unknown, try \"ip netns help\".\nrc=255\n",
		"+ ip -x\nOption \"-x\" is unknown, try \"ip -help\".\nrc=255\n",
		"+ ip netns at\nNo netns name and PID specified\nrc=1\n",
		"+ ip -n nbinosuch netns\nCannot open network namespace \"nbinosuch\": No such file or directory\nrc=255\n",
		"+ ip netns help\nUsage:\tip netns list\n\tip netns add NAME\n",
		"NETNSID := auto | POSITIVE-INT\nrc=255\n")
}

// TestIPNetnsFrontEndGolden: what is nsbox's own. -V names the iproute2
// release followed and nsbox's version; the top-level usage lists only
// what is implemented; every other object is unknown (iproute2's message
// and exit code, 1), abbreviations included ("n" is neighbor, not netns).
func TestIPNetnsFrontEndGolden(t *testing.T) {
	WantMatch(t, NB(t, "ip", "-V"),
		`ip utility, iproute2-`+regexp.QuoteMeta(nsutil.IPRouteRelease)+`, nsbox \S+\n`, "", 0)
	WantMatch(t, NB(t, "ip", "-Version", "netns", "add", "nbinever"),
		`ip utility, iproute2-\S+, nsbox \S+\n`, "", 0)
	usage := `Usage: ip \[ OPTIONS \] OBJECT \{ COMMAND \| help \}\n       ip \[ -force \] -batch filename\nwhere  OBJECT := \{ help \| netns \}\n.*`
	for _, args := range [][]string{{}, {"help"}, {"h"}, {"help", "netns"}, {"-help"}, {"-he"}, {"-f", "help"}, {"-l"}, {"-b"}, {"-rc"}, {"-j"}, {"-f"}} {
		WantMatch(t, NB(t, "ip", args...), "", usage, 255)
	}
	for _, obj := range []string{"link", "n", "ne", "neigh", "address", "a", "route", "netconf", "vrf", "monitor", "s", "stats", "am", "netnsx", "NETNS"} {
		Want(t, NB(t, "ip", obj, "show"), "", fmt.Sprintf("Object \"%s\" is unknown, try \"ip help\".\n", obj), 1)
	}
	Want(t, NB(t, "ip", "-j", "-p", "link"), "", "Object \"link\" is unknown, try \"ip help\".\n", 1)
	// the same applet under its other names
	for _, args := range [][]string{{"netns", "help"}, {"-V"}, {"link"}, {"netns", "bogus"}, {"netns", "add", ".."}} {
		ref := NB(t, "ip", args...)
		Same(t, NB(t, "ip-netns-lite", args...), ref)
		Same(t, Run(t, Cmd{Argv: append([]string{filepath.Join(bin, "nsbox"), "ip"}, args...)}), ref)
		Same(t, Run(t, Cmd{Argv: append([]string{filepath.Join(bin, "nsbox-nocgo"), "ip"}, args...)}), ref)
	}
}

// TestIPNetnsNames: the second word is checked before dispatch for every
// subcommand (so even "ip netns bogus .." fails), unless -all.
func TestIPNetnsNames(t *testing.T) {
	got := nbiSame(t, `
X=$(printf 'x%.0s' $(seq 256)); Y=$(printf 'y%.0s' $(seq 255))
for n in a/b . .. '' / "$X"; do
	for c in add delete exec set pids attach list bogus identify list-id; do x $IP netns $c "$n" 1; done
done
x $IP -all netns bogus ..
x $IP -all netns delete ..
x $IP netns add "$Y"
x $IP netns list
x $IP netns exec "$Y" sh -c "$IP netns identify | wc -c"
x $IP netns add 'sp ace'
x $IP netns add 'q"uote'
x $IP netns add -dash
x $IP netns add '\'
x $IP -j netns
x $IP netns exec 'sp ace' true
x $IP -all netns delete
ls -A /run/netns
`, nbiOpts{})
	nbiHas(t, got.Stdout,
		"+ ip netns add a/b 1\nInvalid netns name \"a/b\"\nrc=255\n",
		"+ ip netns bogus .. 1\nInvalid netns name \"..\"\nrc=255\n",
		"+ ip netns identify  1\nInvalid netns name \"\"\nrc=255\n",
		"+ ip -all netns bogus ..\nCommand \"bogus\" is unknown, try \"ip netns help\".\nrc=255\n",
		"| wc -c\n256\nrc=0\n",
		`[{"name":"\\"},{"name":"-dash"},{"name":"q\"uote"},{"name":"sp ace"},{"name":"`)
}

// TestIPNetnsNameTraversal: a deviation. iproute2 skips its name check
// under -all even for subcommands where -all means nothing, and never
// checks -n's name, so names like "../x" reach outside /run/netns (shown
// below with iproute2 itself). nsbox refuses them with the message and
// exit code of the check.
func TestIPNetnsNameTraversal(t *testing.T) {
	ref := nbiRun(t, nbiSysIP, `x $IP -all netns add ../nbiout; ls -A /run`, nbiOpts{})
	nbiHas(t, ref.Stdout, "+ ip -all netns add ../nbiout\nrc=0\nnbiout\nnetns\n")
	got := nbiRun(t, Applet("ip"), `
x $IP -all netns add ../nbiout
x $IP -all netns attach ../nbiout 1
x $IP -all netns set ../nbiout 1
x $IP -all netns pids ../../proc/1/ns/net
x $IP -n .. netns
x $IP -n ../netns/x netns
x $IP -n '' netns
ls -A /run
`, nbiOpts{})
	Want(t, got, `+ ip -all netns add ../nbiout
Invalid netns name "../nbiout"
rc=255
+ ip -all netns attach ../nbiout 1
Invalid netns name "../nbiout"
rc=255
+ ip -all netns set ../nbiout 1
Invalid netns name "../nbiout"
rc=255
+ ip -all netns pids ../../proc/1/ns/net
Invalid netns name "../../proc/1/ns/net"
rc=255
+ ip -n .. netns
Invalid netns name ".."
rc=255
+ ip -n ../netns/x netns
Invalid netns name "../netns/x"
rc=255
+ ip -n  netns
Invalid netns name ""
rc=255
`, "", 0)
}

// TestIPNetnsAdd: first use makes /run/netns a shared self bind mount; the
// name file is empty, mode 0 until the nsfs is bound over it (BR-50);
// duplicates and stale files; extra words are ignored.
func TestIPNetnsAdd(t *testing.T) {
	got := nbiSame(t, `
x $IP netns add nbiQ
findmnt -n -o TARGET,SOURCE,FSTYPE,PROPAGATION /run/netns | tail -1
findmnt -n -o FSTYPE,PROPAGATION /run/netns/nbiQ
stat -c '%A %s %F' /run/netns/nbiQ
grep ' /run/netns' /proc/self/mountinfo | grep -c nsfs
nsenter --net=/run/netns/nbiQ $SYSIP -br link
x $IP netns add nbiQ
touch /run/netns/nbistale
x $IP netns add nbistale
x $IP netns add
x $IP netns add nbiR extra words
x $IP netns list
x $IP netns del nbiQ
x $IP netns del nbiQ
x $IP netns delete
x $IP netns del nbistale extra
x $IP netns d nbiR
ls -A /run/netns
grep ' /run/netns' /proc/self/mountinfo | grep -c nsfs
`, nbiOpts{})
	WantMatch(t, got, `\+ ip netns add nbiQ
rc=0
/run/netns nbirun\[/netns\] +tmpfs +shared
nsfs +shared
-r--r--r-- 0 regular empty file
1
lo +DOWN +00:00:00:00:00:00 <LOOPBACK> 
\+ ip netns add nbiQ
Cannot create namespace file "/run/netns/nbiQ": File exists
rc=1
\+ ip netns add nbistale
Cannot create namespace file "/run/netns/nbistale": File exists
rc=1
\+ ip netns add
No netns name specified
rc=1
\+ ip netns add nbiR extra words
rc=0
\+ ip netns list
Error: Peer netns reference is invalid.
Error: Peer netns reference is invalid.
nbiR
nbistale
nbiQ
rc=0
\+ ip netns del nbiQ
rc=0
\+ ip netns del nbiQ
Cannot remove namespace file "/run/netns/nbiQ": No such file or directory
rc=1
\+ ip netns delete
No netns name specified
rc=1
\+ ip netns del nbistale extra
rc=0
\+ ip netns d nbiR
rc=0
0
`, "", 0)
}

// TestIPNetnsAttach: attach names a process's namespace, which stays
// usable after the process exits (BR-46); the PID is checked before any
// file is made, and a failed bind leaves nothing behind.
func TestIPNetnsAttach(t *testing.T) {
	got := nbiSame(t, `
unshare -n sleep 300 & N=$!; waitns $N; vol N $N
x $IP netns attach nbiD $N
x $IP netns identify $N
x $IP netns attach nbiD $N
x $IP netns attach nbiD2 $N
x $IP netns identify $N
kill $N; wait $N 2>/dev/null
x $IP netns exec nbiD true
x $IP netns exec nbiD2 sh -c '[ "$($IP netns identify)" = nbiD ] && echo named'
x $IP netns attach nbiE abc
x $IP netns attach nbiE 0
x $IP netns attach nbiE 0x0
x $IP netns attach nbiE -5
x $IP netns attach nbiE 99999999
x $IP netns attach nbiE 99999999999
x $IP netns attach nbiE '1 '
x $IP netns attach nbiE
x $IP netns attach
ls -A /run/netns
x $IP -all netns delete
ls -A /run/netns
`, nbiOpts{})
	WantMatch(t, got, `\+ ip netns attach nbiD \$N
rc=0
\+ ip netns identify \$N
nbiD
rc=0
\+ ip netns attach nbiD \$N
Cannot create namespace file "/run/netns/nbiD": File exists
rc=1
\+ ip netns attach nbiD2 \$N
rc=0
\+ ip netns identify \$N
nbiD
rc=0
\+ ip netns exec nbiD true
rc=0
.*named
rc=0
\+ ip netns attach nbiE abc
Invalid PID: abc
rc=1
\+ ip netns attach nbiE 0
Invalid PID: 0
rc=1
\+ ip netns attach nbiE 0x0
Invalid PID: 0x0
rc=1
\+ ip netns attach nbiE -5
Bind /proc/-5/ns/net -> /run/netns/nbiE failed: No such file or directory
rc=1
\+ ip netns attach nbiE 99999999
Bind /proc/99999999/ns/net -> /run/netns/nbiE failed: No such file or directory
rc=1
\+ ip netns attach nbiE 99999999999
Invalid PID: 99999999999
rc=1
.*
nbiD
nbiD2
\+ ip -all netns delete
rc=0
`, "", 0)
}

// TestIPNetnsDelete: a name that is still a mount point here cannot be
// unlinked (EBUSY); -all delete stops at the first failure and still
// exits 0.
func TestIPNetnsDelete(t *testing.T) {
	got := nbiSame(t, `
x $IP netns add nbiA
mount --bind /proc/self/ns/net /run/netns/nbiA
x $IP netns del nbiA
ls -A /run/netns
x $IP netns del nbiA
x $IP netns add nbiB
x $IP netns add nbiC
touch /run/netns/nbiD; chattr +i /run/netns/nbiD
x $IP -all netns delete
ls -A /run/netns
chattr -i /run/netns/nbiD
x $IP -all netns delete anything
ls -A /run/netns
umount /run/netns; rmdir /run/netns
x $IP -all netns delete
`, nbiOpts{})
	Want(t, got, `+ ip netns add nbiA
rc=0
+ ip netns del nbiA
Cannot remove namespace file "/run/netns/nbiA": Device or resource busy
rc=1
nbiA
+ ip netns del nbiA
rc=0
+ ip netns add nbiB
rc=0
+ ip netns add nbiC
rc=0
+ ip -all netns delete
Cannot remove namespace file "/run/netns/nbiD": Operation not permitted
rc=0
nbiB
nbiC
nbiD
+ ip -all netns delete anything
rc=0
+ ip -all netns delete
rc=0
`, "", 0)
}

// TestIPNetnsAddFailureCleanup: when the new namespace cannot be made,
// the name file is removed again (here a user namespace whose
// max_net_namespaces is 0, with its own network namespace so that
// returning to it is allowed).
func TestIPNetnsAddFailureCleanup(t *testing.T) {
	got := nbiSame(t, `
unshare -r -n -m --propagation private sh -c 'exec 2>&1
	mount -t tmpfs nbiu /run; echo 0 > /proc/sys/user/max_net_namespaces
	"$IP" netns add nbiF; echo rc=$?; ls -A /run/netns; grep -c nsfs /proc/self/mountinfo'
`, nbiOpts{})
	Want(t, got, "Failed to create a new network namespace \"nbiF\": No space left on device\nrc=1\n0\n", "", 0)
}

// TestIPNetnsListIDs: list with " (id: N)" in directory order, set (ids,
// auto, the kernel's refusals), list-id with names, JSON (BR-37).
func TestIPNetnsListIDs(t *testing.T) {
	got := nbiSame(t, `
x $IP netns add nbiA
x $IP netns add nbiB
x $IP netns set nbiB 5
x $IP netns list
x $IP netns
x $IP netns show
x $IP netns set nbiA auto
x $IP netns list
x $IP netns set nbiA 5
x $IP netns set nbiB 6
x $IP netns set nbinosuch 9
x $IP netns set nbinosuch abc
x $IP netns list-id
x $IP -j netns list
x $IP -j -p netns list
x $IP -j netns list-id
x $IP -j -p netns list-id
x $IP netns add nbiC
x $IP -j netns
x $IP netns set nbiC abc
x $IP netns set nbiC -3
x $IP netns set nbiC 2147483648
x $IP netns set nbiC 0x7fffffff
x $IP netns set nbiC
x $IP netns set
x $IP netns list-id nsid 2147483647
unshare -n sleep 300 & P=$!; waitns $P
$IP netns attach nbiU $P; $IP netns set nbiU 9; $IP netns del nbiU
x $IP netns list-id
x $IP -j netns list-id
touch /run/netns/nbistale
x $IP netns list
x $IP -j netns
x $IP netns set nbistale 3
x $IP netns list-id
kill $P; wait $P 2>/dev/null
rm /run/netns/nbistale
x $IP -all netns delete
x $IP -j netns
x $IP -j -p netns
umount /run/netns; rmdir /run/netns
x $IP -j netns
x $IP netns
`, nbiOpts{})
	nbiHas(t, got.Stdout,
		"+ ip netns list\nnbiB (id: 5)\nnbiA\nrc=0\n",
		"+ ip netns set nbiA auto\nrc=0\n+ ip netns list\nnbiB (id: 5)\nnbiA (id: 0)\nrc=0\n",
		"+ ip netns set nbiA 5\nError: Peer netns already has a nsid assigned.\nrc=2\n",
		"+ ip netns set nbinosuch 9\nCannot open network namespace \"nbinosuch\": No such file or directory\nrc=1\n",
		"+ ip netns list-id\nnsid 0 (iproute2 netns name: nbiA)\nnsid 5 (iproute2 netns name: nbiB)\nrc=0\n",
		"+ ip -j netns list\n[{\"name\":\"nbiB\",\"id\":5},{\"name\":\"nbiA\",\"id\":0}]\nrc=0\n",
		"+ ip -j netns\n[{\"name\":\"nbiC\"},{\"name\":\"nbiB\",\"id\":5},{\"name\":\"nbiA\",\"id\":0}]\n",
		// an id whose namespace has no name keeps the trailing space
		"nsid 5 (iproute2 netns name: nbiB)\nnsid 9 \nnsid 2147483647 (iproute2 netns name: nbiC)\nrc=0\n",
		"+ ip netns set nbiC 0x7fffffff\nrc=0\n",
		"+ ip -j -p netns\n[ ]\nrc=0\n")
}

// TestIPNetnsListIDTarget: ids as another namespace sees them
// (target-nsid), with current-nsid, iproute2's name lookup (by the
// target's id when the current one is unassigned, a quirk kept), and the
// errors of list-id's arguments; "-n NAME netns set" assigns inside NAME.
func TestIPNetnsListIDTarget(t *testing.T) {
	got := nbiSame(t, `
for n in nbiA nbiB nbiC nbiD; do $IP netns add $n; done
$IP netns set nbiA 1; $IP netns set nbiB 2; $IP netns set nbiD 5
x $IP -n nbiA netns set nbiB 7
x $IP -n nbiA netns set nbiC 5
x $IP netns list-id target-nsid 1
x $IP -j netns list-id target-nsid 1
x $IP -j -p netns list-id target-nsid 1
x $IP netns list-id target-nsid 1 nsid 5
x $IP netns list-id nsid 5 target-nsid 1
x $IP netns list-id target-nsid 1 nsid 7
x $IP netns list-id nsid 5
x $IP -n nbiA netns list-id
x $IP -n nbiA netns list
x $IP netns exec nbiA $IP netns list-id
x $IP netns list-id nsid 77
x $IP -j netns list-id nsid 77
x $IP netns list-id target-nsid 99
x $IP -j netns list-id target-nsid 99
x $IP netns list-id target-nsid 0x1 nsid 010
x $IP netns list-id nsid
x $IP netns list-id target-nsid
x $IP netns list-id nsid x
x $IP netns list-id nsid -1
x $IP netns list-id nsid -1 foo
x $IP netns list-id target-nsid -2 nsid 1
x $IP netns list-id target-nsid 1 target-nsid 2
x $IP netns list-id nsid 1 nsid 2
x $IP netns list-id targ 1
x $IP netns list-id nsid 1 junk
`, nbiOpts{})
	nbiHas(t, got.Stdout,
		"+ ip netns list-id target-nsid 1\nnsid 5 current-nsid unassigned (iproute2 netns name: nbiD)\nnsid 7 current-nsid 2 (iproute2 netns name: nbiB)\nrc=0\n",
		"[{\"nsid\":5,\"name\":\"nbiD\"},{\"nsid\":7,\"current-nsid\":2,\"name\":\"nbiB\"}]\n",
		"+ ip netns list-id target-nsid 1 nsid 5\nnsid unassigned current-nsid 5 (iproute2 netns name: nbiD)\nrc=0\n",
		"+ ip -n nbiA netns list-id\nnsid 5 (iproute2 netns name: nbiC)\nnsid 7 (iproute2 netns name: nbiB)\nrc=0\n",
		"+ ip netns list-id nsid 77\nError: Peer netns reference is invalid.\nrc=2\n",
		"+ ip netns list-id target-nsid 99\nError: Invalid target network namespace id.\nDump terminated\nrc=1\n",
		"+ ip netns list-id nsid -1\nError: argument \"(null)\" is wrong: \"nsid\" value should be >= 0\nrc=255\n",
		"+ ip netns list-id nsid 1 nsid 2\nError: duplicate \"nsid\": \"nsid\" is the second value.\nrc=255\n")
}

// TestIPNetnsIdentifyPids: identify (last name in directory order, empty
// line when none), pids; delete only removes the name (BR-47).
func TestIPNetnsIdentifyPids(t *testing.T) {
	got := nbiSame(t, `
x $IP netns identify
vol SHELL $$
x $IP netns identify $$
x $IP netns add nbiP
$IP netns exec nbiP sleep 300 & S=$!; waitns $S; vol S $S
x $IP netns identify $S
[ "$($IP netns pids nbiP)" = "$S" ] && echo pids-ok
x $IP netns pids nbiP extra
x $IP netns del nbiP
lsns -p $S -t net -o NPROCS,NSFS -n
x $IP netns identify $S
nsenter -t $S -n $SYSIP -br link
x $IP netns pids nbiP
kill $S; wait $S 2>/dev/null
x $IP netns identify abc
x $IP netns identify -1
x $IP netns identify 1 2
x $IP netns identify 99999999
x $IP netns identify 0
x $IP netns pids
x $IP netns pids nbinosuch
x $IP -all netns identify ''
touch /run/netns/nbistale
x $IP netns pids nbistale
x $IP netns identify
`, nbiOpts{})
	WantMatch(t, got, `\+ ip netns identify

rc=0
\+ ip netns identify \$SHELL

rc=0
\+ ip netns add nbiP
rc=0
\+ ip netns identify \$S
nbiP
rc=0
pids-ok
\+ ip netns pids nbiP extra
extra arguments specified
rc=1
\+ ip netns del nbiP
rc=0
 +1 *
\+ ip netns identify \$S

rc=0
lo +DOWN +00:00:00:00:00:00 <LOOPBACK> 
\+ ip netns pids nbiP
Cannot open network namespace: No such file or directory
rc=1
\+ ip netns identify abc
Specified string 'abc' is not a pid
rc=1
\+ ip netns identify -1
Specified string '-1' is not a pid
rc=1
\+ ip netns identify 1 2
extra arguments specified
rc=1
\+ ip netns identify 99999999
Cannot open network namespace: No such file or directory
rc=1
\+ ip netns identify 0
Cannot open network namespace: No such file or directory
rc=1
\+ ip netns pids
No netns name specified
rc=1
\+ ip netns pids nbinosuch
Cannot open network namespace: No such file or directory
rc=1
\+ ip -all netns identify 
Cannot open network namespace: No such file or directory
rc=1
\+ ip netns pids nbistale
rc=0
\+ ip netns identify

rc=0
`, "", 0)
}

// TestIPNetnsExec: exec's errors and statuses (BR-43), the namespace's
// own /sys (BR-42), / made a slave, no fork (the program keeps ip's PID),
// environment and PATH search with glibc's fallback to /bin/sh.
func TestIPNetnsExec(t *testing.T) {
	got := nbiSame(t, `
x $IP netns add nbiC
x $IP netns exec nbiC ls /sys/class/net
x $IP netns exec nbiC sh -c 'grep " /sys " /proc/self/mountinfo | cut -d" " -f4-'
x $IP netns exec nbiC sh -c 'grep " /run/netns" /proc/self/mountinfo | grep -o " master:[0-9]*" | sed "s/[0-9]*$/N/"'
grep -c "sysfs nbiC" /proc/self/mountinfo
x $IP netns exec nbinosuch-ns true
x $IP netns exec
x $IP netns exec nbiC
x $IP netns exec nbiC nosuchcmd-xyz
x $IP netns exec nbiC /etc/passwd
x $IP netns exec nbiC /run
x $IP netns exec nbiC sh -c 'exit 3'
x $IP netns exec nbiC sh -c 'kill -TERM $$'
x $IP netns exec nbiC sh -c 'kill -KILL $$'
x $IP netns exec nbiC -- true
touch /run/netns/nbistale
x $IP netns exec nbistale true
printf 'echo no-shebang "$@"\n' > /run/nbi.sh; chmod +x /run/nbi.sh
x $IP netns exec nbiC /run/nbi.sh a b
NBIVAR=kept x $IP netns exec nbiC sh -c 'echo $NBIVAR'
PATH=/run:$PATH x $IP netns exec nbiC nbi.sh via-path
sh -c 'echo $$ > /run/nbip1; exec "$IP" netns exec nbiC sh -c "echo \$\$ > /run/nbip2"'
[ -s /run/nbip1 ] && [ "$(cat /run/nbip1)" = "$(cat /run/nbip2)" ] && echo same-pid
x $IP netns exec nbiC $IP netns identify
x $IP netns exec nbiC $IP netns exec nbiC $IP netns identify
`, nbiOpts{})
	WantMatch(t, got, `\+ ip netns add nbiC
rc=0
\+ ip netns exec nbiC ls /sys/class/net
lo
rc=0
.*
/ /sys rw,relatime - sysfs nbiC rw
rc=0
.* master:N
rc=0
0
\+ ip netns exec nbinosuch-ns true
Cannot open network namespace "nbinosuch-ns": No such file or directory
rc=255
\+ ip netns exec
No netns name specified
rc=1
\+ ip netns exec nbiC
No command specified
rc=1
\+ ip netns exec nbiC nosuchcmd-xyz
exec of "nosuchcmd-xyz" failed: No such file or directory
rc=1
\+ ip netns exec nbiC /etc/passwd
exec of "/etc/passwd" failed: Permission denied
rc=1
\+ ip netns exec nbiC /run
exec of "/run" failed: Permission denied
rc=1
.*
rc=3
.*
rc=143
.*
rc=137
\+ ip netns exec nbiC -- true
exec of "--" failed: No such file or directory
rc=1
\+ ip netns exec nbistale true
setting the network namespace "nbistale" failed: Invalid argument
rc=255
\+ ip netns exec nbiC /run/nbi.sh a b
no-shebang a b
rc=0
.*
kept
rc=0
.*
no-shebang via-path
rc=0
same-pid
\+ ip netns exec nbiC ip netns identify
nbiC
rc=0
\+ ip netns exec nbiC ip netns exec nbiC ip netns identify
nbiC
rc=0
`, "", 0)
}

// TestIPNetnsEtcOverlay: /etc/netns/NAME/* is bound over /etc/* for the
// program only; entries without an /etc counterpart are reported and do
// not change the exit status.
func TestIPNetnsEtcOverlay(t *testing.T) {
	got := nbiSame(t, `
echo outside > /etc/nbifile
x $IP netns add nbiE
mkdir -p /etc/netns/nbiE/nbidir
echo inside > /etc/netns/nbiE/nbifile
touch /etc/netns/nbiE/nbinofile
x $IP netns exec nbiE sh -c 'cat /etc/nbifile; grep -c " /etc/nbifile " /proc/self/mountinfo; exit 5'
cat /etc/nbifile
grep -c " /etc/nbifile " /proc/self/mountinfo
x $IP netns add nbiF
x $IP netns exec nbiF cat /etc/nbifile
`, nbiOpts{etc: true})
	// the two failures come in directory order, which depends on the
	// file system; the differential check above covers it
	WantMatch(t, got, `\+ ip netns add nbiE
rc=0
\+ ip netns exec nbiE sh -c cat /etc/nbifile; grep -c " /etc/nbifile " /proc/self/mountinfo; exit 5
(Bind /etc/netns/nbiE/nbi(dir|nofile) -> /etc/nbi(dir|nofile) failed: No such file or directory
){2}inside
1
rc=5
outside
0
\+ ip netns add nbiF
rc=0
\+ ip netns exec nbiF cat /etc/nbifile
outside
rc=0
`, "", 0)
}

// TestIPNetnsAllExec: -all exec runs the command in every namespace, each
// after a header, ignores their statuses; -all delete removes every name
// (BR-44).
func TestIPNetnsAllExec(t *testing.T) {
	got := nbiSame(t, `
$IP netns add nbiE1; $IP netns add nbiE2
x $IP -all netns exec $SYSIP -br link
x $IP -all netns exec sh -c 'exit 4'
x $IP -all netns exec
x $IP -all netns exec $IP netns identify
x $IP -a netns e echo abbreviated
x $IP -all netns delete
x $IP netns list
x $IP -all netns exec true
umount /run/netns; rmdir /run/netns
x $IP -all netns exec true
`, nbiOpts{})
	WantMatch(t, got, `\+ ip -all netns exec /sbin/ip -br link

netns: nbiE2
lo +DOWN +00:00:00:00:00:00 <LOOPBACK> 

netns: nbiE1
lo +DOWN +00:00:00:00:00:00 <LOOPBACK> 
rc=0
\+ ip -all netns exec sh -c exit 4

netns: nbiE2

netns: nbiE1
rc=0
\+ ip -all netns exec
No command specified
rc=1
\+ ip -all netns exec ip netns identify

netns: nbiE2
nbiE2

netns: nbiE1
nbiE1
rc=0
.*
\+ ip -all netns delete
rc=0
\+ ip netns list
rc=0
\+ ip -all netns exec true
rc=0
\+ ip -all netns exec true
rc=0
`, "", 0)
}

// TestIPNetnsExecKeepsIgnored: a program that ip runs in a child (under
// -all and in a batch file) gets SIGBUS and SIGPROF ignored when ip was
// started with them ignored, as after iproute2's fork (Go's fork would
// reset them: the child ignores them again before it goes on).
func TestIPNetnsExecKeepsIgnored(t *testing.T) {
	got := nbiSame(t, `
$IP netns add nbiK
printf 'netns exec nbiK grep SigIgn /proc/self/status\nnetns exec nbiK sh -c "exit 5"\n' > /run/nbikb
x sh -c "trap '' BUS PROF; exec \"\$@\"" sh $IP -all netns exec grep SigIgn /proc/self/status
x sh -c "trap '' BUS PROF; exec \"\$@\"" sh $IP -force -b /run/nbikb
x sh -c "trap '' BUS PROF; grep SigIgn /proc/self/status"
x $IP -all netns delete
`, nbiOpts{})
	// The same as without ip in between.
	lines := strings.Split(got.Stdout, "\n")
	var seen []string
	for _, l := range lines {
		if strings.HasPrefix(l, "SigIgn:") {
			seen = append(seen, l)
		}
	}
	if len(seen) != 3 || seen[0] != seen[2] || seen[1] != seen[2] {
		t.Errorf("ignored signals differ from a direct run: %q", seen)
	}
}

// TestIPNetnsAllExecFailures: a namespace whose setup fails is reported
// once and the others still run; a command killed by a signal ends ip
// with 1 at once. iproute2 6.1 differs (its failing child went on
// through the remaining names itself, so they ran twice); nsbox follows
// the fix of iproute2 6.9, so this is golden. The children get the
// descriptors ip inherited, as after a fork, and start from the
// namespaces -n chose.
func TestIPNetnsAllExecFailures(t *testing.T) {
	got := nbiRun(t, Applet("ip"), `
$IP netns add nbiG1; touch /run/netns/nbiGstale; $IP netns add nbiG2
x $IP -all netns exec echo hi
x $IP -all netns exec sh -c 'kill -9 $$'
x $IP -all netns exec sh -c 'echo fd3 >&3' 3>/run/nbifd3
cat /run/nbifd3
x $IP -n nbiG1 -all netns exec sh -c 'readlink /proc/$PPID/ns/net >/dev/null; $IP netns identify'
`, nbiOpts{})
	Want(t, got, `+ ip -all netns exec echo hi

netns: nbiG2
hi

netns: nbiGstale
setting the network namespace "nbiGstale" failed: Invalid argument

netns: nbiG1
hi
rc=0
+ ip -all netns exec sh -c kill -9 $$

netns: nbiG2
rc=1
+ ip -all netns exec sh -c echo fd3 >&3

netns: nbiG2

netns: nbiGstale
setting the network namespace "nbiGstale" failed: Invalid argument

netns: nbiG1
rc=0
fd3
fd3
+ ip -n nbiG1 -all netns exec sh -c readlink /proc/$PPID/ns/net >/dev/null; $IP netns identify

netns: nbiG2
nbiG2

netns: nbiGstale
setting the network namespace "nbiGstale" failed: Invalid argument

netns: nbiG1
nbiG1
rc=0
`, "", 0)
}

// TestIPNetnsNetnsOption: -n NAME runs the command inside NAME (netns set
// assigns an id in NAME's table), several -n apply in order.
func TestIPNetnsNetnsOption(t *testing.T) {
	got := nbiSame(t, `
$IP netns add nbiA; $IP netns add nbiB
x $IP -n nbiA netns identify
x $IP -netns nbiA netns identify
x $IP --netns nbiA netns identify
x $IP -n nbiA -n nbiB netns identify
x $IP -n nbiA netns set nbiB 7
x $IP -n nbiA netns list
x $IP netns list
x $IP -n nbiA netns exec nbiB $IP netns identify
x $IP -n nbiA ls /sys/class/net
x $IP -n nbiB -j netns
[ "$($IP -n nbiA netns list-id)" = "$($IP netns exec nbiA $IP netns list-id)" ] && echo same-as-exec
`, nbiOpts{})
	nbiHas(t, got.Stdout,
		"+ ip -n nbiA -n nbiB netns identify\nnbiB\nrc=0\n",
		"+ ip -n nbiA netns list\nnbiB (id: 7)\nnbiA\nrc=0\n+ ip netns list\nnbiB\nnbiA\nrc=0\n",
		"same-as-exec\n")
}

// TestIPNetnsBatch: -batch FILE with comments, continuation lines,
// quotes, blank lines, -force, stdin, and exec forking per line.
func TestIPNetnsBatch(t *testing.T) {
	got := nbiSame(t, `
cat > /run/nbib1 <<'EOF'
netns add nbia   # comment
netns add "nbib c" extra
  

netns list
netns exec nbia sh -c 'exit 3'
netns list
EOF
cat > /run/nbib2 <<'EOF'
netns exec nbia sh -c "kill -9 $$"
netns list
EOF
cat > /run/nbib3 <<'EOF'
netns add nbix \
  nbiy
netns set nbix 4
netns list
netns help
netns list
EOF
printf 'netns add "unterminated\nnetns list\n' > /run/nbib4
printf 'netns list \\' > /run/nbib5
printf 'netns list \\\n' > /run/nbib6
printf 'netns exec nbia cat\nthis line is read by cat\nnetns list\n' > /run/nbib7
printf 'netns list\0 junk\nnetns add ..\nnetns list\n' > /run/nbib8
python3 -c "print('netns list ' + ' '.join(['w']*509))" > /run/nbib9
python3 -c "print('netns list ' + ' '.join(['w']*510))" > /run/nbib10
x $IP -b /run/nbib1
x $IP -force -b /run/nbib1
x $IP -b /run/nbib2
x $IP -b /run/nbib3
x $IP -b /run/nbib4
x $IP -b /run/nbib5
x $IP -b /run/nbib6
x $IP -b /run/nbib7
x $IP -b /run/nbib8
x $IP -b /run/nbib9
x $IP -b /run/nbib10
echo "netns list" | x $IP -b -
x $IP -batch /nonexistent-nbi
x $IP -all -b /run/nbib2
`, nbiOpts{})
	nbiHas(t, got.Stdout,
		"+ ip -b /run/nbib1\nnbib c\nnbia\nCommand failed /run/nbib1:6\nrc=1\n",
		"+ ip -b /run/nbib4\nUnterminated quoted string\nrc=1\n",
		"+ ip -b /run/nbib6\nMissing continuation line\nrc=0\n",
		"+ ip -b /run/nbib10\nToo many arguments to command\nrc=1\n",
		// cat shares the batch file as its stdin, but ip has already
		// buffered it, so the next line is read as a command by ip
		"+ ip -b /run/nbib7\nObject \"this\" is unknown, try \"ip help\".\nCommand failed /run/nbib7:2\nrc=1\n")
}

// TestIPNetnsBatchExecFailure: an exec line whose setup fails is one
// failed line. iproute2 6.1's child went on reading the batch itself (so
// "Command failed" came twice and later lines ran twice); nsbox follows
// the fix of iproute2 6.9, so this is golden.
func TestIPNetnsBatchExecFailure(t *testing.T) {
	got := nbiRun(t, Applet("ip"), `
$IP netns add nbia
printf 'netns exec nbinosuch true\nnetns list\n' > /run/nbib
printf 'netns exec nbia sh -c "exit 6"\nnetns list\n' > /run/nbic
x $IP -b /run/nbib
x $IP -b /run/nbib -force
x $IP -b /run/nbic
`, nbiOpts{})
	Want(t, got, `+ ip -b /run/nbib
Cannot open network namespace "nbinosuch": No such file or directory
Command failed /run/nbib:1
rc=1
+ ip -b /run/nbib -force
Cannot open network namespace "nbinosuch": No such file or directory
Command failed /run/nbib:1
nbia
rc=1
+ ip -b /run/nbic
Command failed /run/nbic:1
rc=1
`, "", 0)
}

// TestIPNetnsBatchOnTerminal: on a terminal, stdout is line-buffered,
// so names listed before a usage text come out before it, as with
// iproute2 (the usage texts themselves differ: only the order is
// compared).
func TestIPNetnsBatchOnTerminal(t *testing.T) {
	nbiSame(t, `$IP netns add nbipty
printf 'netns list\nhelp\n' > /run/nbib
script -qec "$IP -b /run/nbib" /dev/null | head -n 1
$IP netns delete nbipty`, nbiOpts{})
}

// TestIPNetnsAllUnreadableRunDir: -all delete and -all exec report a
// run directory that cannot be read, and fail.
func TestIPNetnsAllUnreadableRunDir(t *testing.T) {
	nbiSame(t, `touch /run/netns
x $IP -all netns delete
x $IP -all netns exec true
rm /run/netns; mkdir -m 0 /run/netns
x $NB $IP -all netns delete`, nbiOpts{})
}

// TestIPNetnsMonitor: monitor reports files created in and removed from
// /run/netns. nsbox writes each line at once; iproute2 needs stdbuf -oL
// for the same output through a pipe.
func TestIPNetnsMonitor(t *testing.T) {
	script := `
$IPMON netns monitor > /run/nbimon 2>&1 & M=$!
nbiwait 'grep -qs inotify /proc/'$M'/fdinfo/*'
$SYSIP netns add nbiM1; touch /run/netns/nbiMplain; $SYSIP netns del nbiM1; rm /run/netns/nbiMplain
nbiwait '[ "$(wc -l < /run/nbimon)" -ge 4 ]'
kill $M; wait $M 2>/dev/null
cat /run/nbimon
umount /run/netns; rmdir /run/netns; chmod 755 /run
x $NB $IP netns monitor
`
	ref := nbiRun(t, nbiSysIP, script, nbiOpts{env: []string{"IPMON=stdbuf -oL " + nbiSysIP}})
	got := nbiRun(t, Applet("ip"), script, nbiOpts{env: []string{"IPMON=" + Applet("ip")}})
	Same(t, got, ref)
	Want(t, got, `add nbiM1
add nbiMplain
delete nbiM1
delete nbiMplain
+ setpriv --reuid=65534 --regid=65534 --clear-groups ip netns monitor
mkdir /run/netns failed: Permission denied
rc=1
`, "", 0)
}

// TestIPNetnsInterop: what one tool makes the other uses, both ways.
func TestIPNetnsInterop(t *testing.T) {
	got := nbiRun(t, Applet("ip"), `
x $IP netns add nbiI1
x $SYSIP netns list
x $SYSIP netns exec nbiI1 ls /sys/class/net
x $SYSIP netns set nbiI1 3
x $IP netns list
$SYSIP netns exec nbiI1 sleep 300 & S=$!; waitns $S; vol S $S
x $IP netns identify $S
[ "$($IP netns pids nbiI1)" = "$($SYSIP netns pids nbiI1)" ] && [ "$($IP netns pids nbiI1)" = $S ] && echo pids-agree
kill $S; wait $S 2>/dev/null
x $SYSIP netns del nbiI1
x $IP netns list
x $SYSIP netns add nbiI2
x $IP netns exec nbiI2 ls /sys/class/net
x $IP netns set nbiI2 4
x $SYSIP netns list-id nsid 4
$IP netns exec nbiI2 sleep 300 & S=$!; waitns $S; vol S $S
x $SYSIP netns identify $S
kill $S; wait $S 2>/dev/null
x $IP netns del nbiI2
x $SYSIP netns list
x $SYSIP netns add nbiI3
x $IP -all netns delete
ls -A /run/netns
`, nbiOpts{})
	Want(t, got, `+ ip netns add nbiI1
rc=0
+ /sbin/ip netns list
nbiI1
rc=0
+ /sbin/ip netns exec nbiI1 ls /sys/class/net
lo
rc=0
+ /sbin/ip netns set nbiI1 3
rc=0
+ ip netns list
nbiI1 (id: 3)
rc=0
+ ip netns identify $S
nbiI1
rc=0
pids-agree
+ /sbin/ip netns del nbiI1
rc=0
+ ip netns list
rc=0
+ /sbin/ip netns add nbiI2
rc=0
+ ip netns exec nbiI2 ls /sys/class/net
lo
rc=0
+ ip netns set nbiI2 4
rc=0
+ /sbin/ip netns list-id nsid 4
nsid 4 (iproute2 netns name: nbiI2)
rc=0
+ /sbin/ip netns identify $S
nbiI2
rc=0
+ ip netns del nbiI2
rc=0
+ /sbin/ip netns list
rc=0
+ /sbin/ip netns add nbiI3
rc=0
+ ip -all netns delete
rc=0
`, "", 0)
}

// TestIPNetnsPersistFile: a namespace bound under /run/netns by other
// means (unshare --net=FILE, a hand-made bind) is an ordinary name (BR-13).
func TestIPNetnsPersistFile(t *testing.T) {
	got := nbiSame(t, `
mkdir -p /run/netns; touch /run/netns/nbipersist; unshare --net=/run/netns/nbipersist true
x $IP netns list
x $IP netns exec nbipersist $SYSIP -o link
x nsenter --net=/run/netns/nbipersist $SYSIP -br link
x $IP netns delete nbipersist
ls -A /run/netns
unshare -n sh -c 'touch /run/netns/nbimanual && mount --bind /proc/self/ns/net /run/netns/nbimanual && "$IP" netns list'
x $IP netns del nbimanual
ls -A /run/netns
`, nbiOpts{})
	WantMatch(t, got, `\+ ip netns list
nbipersist
rc=0
\+ ip netns exec nbipersist /sbin/ip -o link
1: lo: <LOOPBACK> mtu 65536 qdisc noop state DOWN mode DEFAULT group default qlen 1000\\    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00
rc=0
\+ nsenter --net=/run/netns/nbipersist /sbin/ip -br link
lo +DOWN +00:00:00:00:00:00 <LOOPBACK> 
rc=0
\+ ip netns delete nbipersist
rc=0
nbimanual
\+ ip netns del nbimanual
rc=0
`, "", 0)
}

// TestIPNetnsVeth: a device moved into a named namespace shows in its
// /sys/class/net and gives the peer an id on demand; deleting the
// process-less namespace destroys the device and, later, its host peer
// (BR-48).
func TestIPNetnsVeth(t *testing.T) {
	got := nbiSame(t, `
x $IP netns add nbiV
$SYSIP link add nbiv0 type veth peer name nbiv1; $SYSIP link set nbiv1 netns nbiV
x $IP netns exec nbiV $SYSIP -br link | sed -E 's/([0-9a-f]{2}:){5}[0-9a-f]{2}/MAC/; s/@if[0-9]+/@ifN/'
x $IP netns exec nbiV ls /sys/class/net
x $IP netns list
x $IP netns del nbiV
nbiwait '! $SYSIP link show nbiv0 >/dev/null 2>&1'
x $SYSIP -br link show nbiv0
`, nbiOpts{})
	WantMatch(t, got, `\+ ip netns add nbiV
rc=0
\+ ip netns exec nbiV /sbin/ip -br link
lo +DOWN +MAC <LOOPBACK> 
nbiv1@ifN +DOWN +MAC <BROADCAST,MULTICAST> 
rc=0
\+ ip netns exec nbiV ls /sys/class/net
lo
nbiv1
rc=0
\+ ip netns list
nbiV \(id: 0\)
rc=0
\+ ip netns del nbiV
rc=0
\+ /sbin/ip -br link show nbiv0
Device "nbiv0" does not exist.
rc=1
`, "", 0)
}

// TestIPNetnsUnprivileged: without root, names cannot be made or joined
// (BR-49), but listing works. First on the host, run as nobody through the
// harness (Cmd{Nobody}) with names that do not exist, so nothing can be
// changed; then in a sandbox with a real name.
func TestIPNetnsUnprivileged(t *testing.T) {
	name := fmt.Sprintf("nbiN%d", os.Getpid())
	for _, args := range [][]string{
		{"netns", "add", name}, {"netns", "attach", name, "1"}, {"netns", "list"},
		{"netns", "identify"}, {"netns", "identify", "1"}, {"netns", "delete", name},
		{"netns", "exec", name, "true"}, {"netns", "set", name, "1"},
		{"netns", "pids", name}, {"netns", "list-id"}, {"-n", name, "netns"},
	} {
		ref := Run(t, Cmd{Argv: append([]string{nbiSysIP}, args...), Nobody: true})
		got := Run(t, Cmd{Argv: append([]string{Applet("ip")}, args...), Nobody: true})
		Same(t, got, ref)
		if args[1] == "add" && got.Stderr != "mount --make-shared /run/netns failed: Operation not permitted\n" &&
			got.Stderr != "mkdir /run/netns failed: Permission denied\n" {
			t.Errorf("unprivileged add: %s", got)
		}
	}
	if _, err := os.Lstat("/run/netns/" + name); err == nil {
		t.Errorf("/run/netns/%s was created", name)
	}
	got := nbiSame(t, `
x $NB $IP netns add nbin1
x $IP netns add nbiC
x $NB $IP netns add nbin1
x $NB $IP netns exec nbiC true
x $NB $IP -n nbiC netns
x $NB $IP netns list
x $NB $IP netns set nbiC 3
x $NB $IP netns delete nbiC
x $NB $IP netns identify
x $NB $IP netns identify 1
x $NB $IP netns pids nbiC
x $NB $IP netns attach nbiz 1
x $NB $IP netns list-id
touch /run/netns/nbist; chmod 0 /run/netns/nbist
x $NB $IP netns
x $NB $IP -all netns delete
ls -A /run/netns
x $NB unshare -rn $SYSIP -br link
`, nbiOpts{})
	nbiHas(t, got.Stdout,
		"+ setpriv --reuid=65534 --regid=65534 --clear-groups ip netns add nbin1\nmount --make-shared /run/netns failed: Operation not permitted\nrc=1\n",
		"+ setpriv --reuid=65534 --regid=65534 --clear-groups ip netns exec nbiC true\nsetting the network namespace \"nbiC\" failed: Operation not permitted\nrc=255\n",
		"+ setpriv --reuid=65534 --regid=65534 --clear-groups ip netns list\nnbiC\nrc=0\n",
		"+ setpriv --reuid=65534 --regid=65534 --clear-groups ip netns set nbiC 3\nRTNETLINK answers: Operation not permitted\nrc=2\n")
	// Inside a user namespace the new namespace is made and bound, but
	// going back to the original one is refused, so add fails with 1
	// while the name works (BR-49); a masked /sys cannot be replaced
	// there (BR-42).
	got = nbiSame(t, `
unshare -r -m --propagation private sh -c 'exec 2>&1; mkdir -p /run/netns; mount -t tmpfs nbinetns /run/netns
	"$IP" netns add nbiU1; echo rc=$?; ls -l /run/netns | cut -c1-25; "$IP" netns exec nbiU1 ls /sys/class/net; echo rc=$?'
unshare -m --propagation private sh -c 'mount -t tmpfs -o ro nbimask /sys/firmware
	unshare -r -m --propagation private sh -c "exec 2>&1; mkdir -p /run/netns; mount -t tmpfs nbinetns /run/netns
		\"\$IP\" netns add nbiU2; \"\$IP\" netns exec nbiU2 ls /sys/class/net; echo rc=\$?"'
`, nbiOpts{})
	Want(t, got, `setns: Operation not permitted
rc=1
total 0
-r--r--r-- 1 root root 0 
lo
rc=0
setns: Operation not permitted
mount of /sys failed: Operation not permitted
rc=255
`, "", 0)
}

// TestIPNetnsVRF: exec first moves a process out of a VRF cgroup
// (.../vrf/NAME) into the default one, under a NAME-ns directory when its
// own namespace is named; inside an exec, where the old /sys (and its
// cgroup2 mount) is gone, a cgroup2 mounted elsewhere is used.
func TestIPNetnsVRF(t *testing.T) {
	mnt := nbiCgroup2(t)
	run := 0
	script := func() string {
		run++
		dir := fmt.Sprintf("nbiV%d-%d", os.Getpid(), run)
		c := mnt + "/" + dir
		t.Cleanup(func() { nbiRemoveTree(c) })
		return fmt.Sprintf(`
C=%s; D=%s
mkdir -p $C/vrf/red $C/nbiV2-ns/vrf/red
$IP netns add nbiV2
sh -c "echo \$\$ > $C/vrf/red/cgroup.procs; exec $IP netns exec nbiV2 cat /proc/self/cgroup" | grep "^0::" | sed "s/$D/DIR/"
sh -c "echo \$\$ > $C/vrf/red/cgroup.procs; exec $IP -all netns exec cat /proc/self/cgroup" | grep "^0::" | sed "s/$D/DIR/"
$IP netns exec nbiV2 sh -c "mkdir -p /run/nbicg; mount -t cgroup2 none /run/nbicg; echo \$\$ > /run/nbicg/$D/vrf/red/cgroup.procs; exec $IP netns exec nbiV2 cat /proc/self/cgroup" | grep "^0::" | sed "s/$D/DIR/"
$IP netns exec nbiV2 sh -c "mkdir -p /run/nbicg; mount -t cgroup2 none /run/nbicg; echo \$\$ > /run/nbicg/$D/nbiV2-ns/vrf/red/cgroup.procs; exec $IP netns exec nbiV2 cat /proc/self/cgroup" | grep "^0::" | sed "s/$D/DIR/"
sh -c "exec $IP netns exec nbiV2 cat /proc/self/cgroup" | grep -c vrf
find $C -depth -type d -exec rmdir {} \;
`, c, dir)
	}
	ref := nbiRun(t, nbiSysIP, script(), nbiOpts{})
	got := nbiRun(t, Applet("ip"), script(), nbiOpts{})
	Same(t, got, ref)
	WantMatch(t, got, `0::/.*DIR/vrf
0::/.*DIR/vrf
0::/.*DIR/nbiV2-ns/vrf
0::/.*DIR/nbiV2-ns/vrf
0
`, "", 0)
}

// nbiCgroup2 finds the cgroup2 mount (VRF cgroups live there).
func nbiCgroup2(t *testing.T) string {
	t.Helper()
	f, err := os.Open("/proc/self/mounts")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if fl := strings.Fields(sc.Text()); len(fl) > 2 && fl[2] == "cgroup2" {
			return fl[1]
		}
	}
	t.Skip("no cgroup2 mounted: VRF cgroups cannot exist here")
	return ""
}

// nbiRemoveTree removes a cgroup directory tree bottom-up (cgroup
// directories go with rmdir only).
func nbiRemoveTree(dir string) {
	var dirs []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && d.IsDir() {
			dirs = append(dirs, p)
		}
		return nil
	})
	for i := len(dirs) - 1; i >= 0; i-- {
		os.Remove(dirs[i])
	}
}

// TestIPNetnsExecLowFdLimit: the children of -all exec and of a batch
// file start under a low fd limit even when ip inherited a high fd, as
// iproute2's fork does.
func TestIPNetnsExecLowFdLimit(t *testing.T) {
	nbiSame(t, `
$IP netns add nbiL1; $IP netns add nbiL2
printf 'netns exec nbiL1 /bin/echo ran\n' > /run/nbilb
x bash -c 'exec 250</dev/null; ulimit -n 64; exec "$0" -all netns exec /bin/echo ran' $IP
x bash -c 'exec 250</dev/null; ulimit -n 64; exec "$0" -b /run/nbilb' $IP
x $IP -all netns delete
`, nbiOpts{})
}

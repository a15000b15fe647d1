package tests

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestIPNetnsAddRace: two "ip netns add" of one name at once: one wins,
// the other gets iproute2's message, and nothing is left when the name
// is deleted (also for the first add, which makes /run/netns).
func TestIPNetnsAddRace(t *testing.T) {
	script := `
for i in $(seq 25); do
	[ $i = 13 ] && { umount /run/netns 2>/dev/null; umount /run/netns 2>/dev/null; rmdir /run/netns; }
	$IP netns add nbirace 2>$TMPDIR/e1 & a=$!
	$IP netns add nbirace 2>$TMPDIR/e2 & b=$!
	wait $a; ra=$?; wait $b; rb=$?
	echo "sum=$((ra + rb))"
	cat $TMPDIR/e1 $TMPDIR/e2
	$IP netns del nbirace || echo "del failed"
done
echo "left: $(ls /run/netns | wc -l) names, $(grep -c ' nsfs ' /proc/self/mountinfo) nsfs mounts"
`
	for _, ip := range []string{Applet("ip"), nbiSysIP} {
		d := TempDir(t)
		r := nbiRun(t, ip, script, nbiOpts{env: []string{"TMPDIR=" + d}})
		want := strings.Repeat("sum=1\nCannot create namespace file \"/run/netns/nbirace\": File exists\n", 25) + "left: 0 names, 0 nsfs mounts\n"
		if ip == nbiSysIP {
			// iproute2's two first adds may both try to bind /run/netns;
			// only the totals are compared for it.
			if !strings.HasSuffix(r.Stdout, "left: 0 names, 0 nsfs mounts\n") {
				t.Errorf("iproute2: %s", r)
			}
			continue
		}
		Want(t, r, want, "", 0)
	}
}

// TestIPNetnsCycles: 1,000 add/exec/delete cycles, four at a time, leave
// no name, mount or process behind.
func TestIPNetnsCycles(t *testing.T) {
	script := `
worker() {
	for i in $(seq 250); do
		n=nbic$1-$i
		$IP netns add $n || echo "add $n failed"
		$IP netns exec $n true || echo "exec $n failed"
		$IP netns del $n || echo "del $n failed"
	done
}
worker 1 & worker 2 & worker 3 & worker 4 & wait
echo "left: $(ls /run/netns | wc -l) names, $(grep -c ' nsfs ' /proc/self/mountinfo) nsfs mounts"
`
	r := nbiRun(t, Applet("ip"), script, nbiOpts{})
	Want(t, r, "left: 0 names, 0 nsfs mounts\n", "", 0)
	WaitFor(t, "nsbox processes to end", func() bool { return len(nsboxProcs()) == 0 })
}

// TestIPNetnsReadOnlyRun: a read-only /run fails as with iproute2.
func TestIPNetnsReadOnlyRun(t *testing.T) {
	r := nbiSame(t, `mount -o remount,ro /run
x $IP netns add nbiro
x $IP netns list
mount -o remount,rw /run; mkdir -p /run/netns; mount -o remount,ro /run
x $IP netns add nbiro
x $IP netns delete nbiro
ls /run/netns | wc -l`, nbiOpts{})
	if strings.Count(r.Stdout, "Read-only file system") < 2 {
		t.Errorf("a read-only /run should refuse both adds:\n%s", r.Stdout)
	}
}

// TestIPNetnsExecSignals: ip netns exec is the program (no fork), so a
// signal that kills it is the shell's 128+N, as with iproute2.
func TestIPNetnsExecSignals(t *testing.T) {
	r := nbiSame(t, `$IP netns add nbisig
for s in HUP INT QUIT KILL TERM SEGV USR1; do
	$IP netns exec nbisig sh -c "kill -$s \$\$"; echo "$s rc=$?"
done
$IP netns del nbisig`, nbiOpts{})
	Want(t, r, "HUP rc=129\nINT rc=130\nQUIT rc=131\nKILL rc=137\nTERM rc=143\nSEGV rc=139\nUSR1 rc=138\n",
		"Hangup\nQuit\nKilled\nTerminated\nSegmentation fault\nUser defined signal 1\n", 0) // the shell's reports
}

// TestUnshareKilledWhilePersisting: SIGKILL of "unshare --fork
// --net=FILE" at any moment leaves FILE either unmounted or a complete
// nsfs bind, and no helper behind (a helper that loses its parent gives
// up without mounting).
func TestUnshareKilledWhilePersisting(t *testing.T) {
	d := PrivateDir(t)
	f := filepath.Join(d, "net")
	os.WriteFile(f, nil, 0o644)
	for round := 0; round < 20; round++ {
		args := []string{Applet("unshare"), "-f", "--net=" + f, "sleep", "1000"}
		if round%2 == 1 {
			args = []string{Applet("unshare"), "-f", "-m", "--uts=" + f, "sleep", "1000"} // through the bind helper
		}
		u := Background(t, Cmd{Argv: args})
		if round%4 < 2 {
			// Kill as soon as the child exists: before or after the bind.
			WaitFor(t, "the child", func() bool { return len(Children(u.Process.Pid)) > 0 })
		}
		kids := Children(u.Process.Pid)
		u.Process.Signal(syscall.SIGKILL)
		u.Wait()
		for _, k := range kids {
			syscall.Kill(k, syscall.SIGKILL)
		}
		WaitFor(t, "helpers and children to end", func() bool { return len(nsboxProcs()) == 0 })
		m := MountsUnder(d)
		if len(m) > 1 || (len(m) == 1 && !strings.Contains(m[0], " - nsfs nsfs ")) {
			t.Fatalf("round %d: half a bind: %q", round, m)
		}
		if len(m) == 1 {
			Sys(t, "umount", f)
		}
	}
	if m := MountsUnder(d); len(m) != 0 {
		t.Errorf("left mounted: %q", m)
	}
}

// TestIPNetnsEarlierMountNamespaces: mount namespaces made before the
// first add (services with their own, under a shared /run) see the names
// it makes, as with iproute2 6.1: /run/netns stays in /run's peer group.
func TestIPNetnsEarlierMountNamespaces(t *testing.T) {
	for _, prop := range []string{"slave", "unchanged"} {
		r := nbiSame(t, `mount --make-shared /run
mkfifo /run/nbigo
unshare -m --propagation `+prop+` sh -c 'read x < /run/nbigo; $IP netns exec nbiearly true && echo child-exec-ok' &
child=$!
nbiwait '[ "$(readlink /proc/'$child'/ns/mnt 2>/dev/null)" != "$(readlink /proc/self/ns/mnt)" ]'
x $IP netns add nbiearly
echo go > /run/nbigo
wait $child
x $IP netns delete nbiearly`, nbiOpts{})
		if !strings.Contains(r.Stdout, "child-exec-ok") {
			t.Errorf("%s: the earlier namespace does not see the name:\n%s", prop, r.Stdout)
		}
	}
}

// TestIPSignalsToIP: signals whose default action ends a process end
// nsbox's ip as they end iproute2's, while it waits for a child (-all
// exec, a batch file) or watches (monitor); the Go runtime would catch
// most of them and carry on.
func TestIPSignalsToIP(t *testing.T) {
	script := `$IP netns add nbisig
for s in USR1 ALRM PIPE XCPU 40; do # (a background job ignores INT and QUIT)
	$IP -all netns exec sleep 100 & p=$!
	nbiwait '[ -n "$(cat /proc/'$p'/task/'$p'/children 2>/dev/null)" ]'
	c=$(cat /proc/$p/task/$p/children)
	kill -$s $p; wait $p; echo "exec $s rc=$?"
	for k in $c; do kill -KILL $(cat /proc/$k/task/$k/children 2>/dev/null) $k 2>/dev/null; done
	$IP netns monitor & p=$!
	kill -$s $p; wait $p; echo "monitor $s rc=$?"
done
$IP netns del nbisig`
	// The exit codes, not the shell's "Alarm clock" reports, whose
	// timing it chooses.
	r := nbiRun(t, Applet("ip"), script, nbiOpts{})
	if ref := nbiRun(t, nbiSysIP, script, nbiOpts{}); r.Stdout != ref.Stdout {
		t.Errorf("nsbox:\n%s\niproute2:\n%s", r.Stdout, ref.Stdout)
	}
	for _, want := range []string{"exec USR1 rc=138", "monitor USR1 rc=138", "exec ALRM rc=142", "exec 40 rc=168", "monitor PIPE rc=141"} {
		if !strings.Contains(r.Stdout, want+"\n") {
			t.Errorf("want %q in:\n%s", want, r.Stdout)
		}
	}
}

// TestSignalsDuringStart: a signal that arrives while the Go runtime
// starts, before main has given the C default actions back, still ends
// ip: the pre-runtime stage holds such signals blocked until then. Each
// round sends SIGUSR1 or SIGALRM at once after the fork, with the CPUs
// busy so that the start is slow; iproute2 dies of every one.
func TestSignalsDuringStart(t *testing.T) {
	script := `for i in 1 2; do (while kill -0 $$ 2>/dev/null; do :; done) & hogs="$hogs $!"; done # they end with us
bad=0; i=0
while [ $i -lt 25 ]; do
	for s in USR1 ALRM; do
		$IP netns monitor >/dev/null 2>&1 & p=$!
		kill -$s $p
		# A survivor would watch forever: it gets a few thousand looks
		# to be gone or a zombie, then SIGKILL (rc 137), as a failure
		# guard.
		n=0
		until [ ! -e /proc/$p ] || grep -q '^State:.*Z' /proc/$p/status || [ $n -ge 3000 ]; do n=$((n + 1)); done
		kill -KILL $p 2>/dev/null
		wait $p; rc=$?
		[ $rc -eq 138 ] || [ $rc -eq 142 ] || bad=$((bad + 1))
	done
	i=$((i + 1))
done
kill -KILL $hogs
echo "survived: $bad"`
	for _, ip := range []string{Applet("ip"), nbiSysIP} {
		// stderr has the shell's job reports, in an order it chooses.
		if r := nbiRun(t, ip, script, nbiOpts{}); r.Stdout != "survived: 0\n" || r.Code != 0 {
			t.Errorf("%s: %s", ip, r)
		}
	}
}

// TestSignalsToLsns: lsns killed by SIGUSR1 dies of it, as util-linux's.
func TestSignalsToLsns(t *testing.T) {
	for _, tool := range []string{Applet("lsns"), "/usr/bin/lsns"} {
		r := Run(t, Cmd{Argv: []string{"sh", "-c", `"$0" -J >/dev/null & p=$!; kill -USR1 $p; wait $p; echo rc=$?`, tool}})
		// Killed before or after its handlers were set: the same death.
		if r.Stdout != "rc=138\n" && r.Stdout != "rc=0\n" {
			t.Errorf("%s: %s", tool, r)
		}
	}
}

#!/bin/sh
# Benchmarks (not tests): nsbox against the system's util-linux on the
# same machine, in one run. nsbox and the C tool run in turn, N times
# each (tests/benchrun); the medians are reported, and the ratio
# nsbox/util-linux.
# Usage: tests/bench.sh NSBOX_BINARY [FLOOR_BINARY]
# FLOOR_BINARY (tests/benchfloor) is the least a Go program does for
# "unshare -n true"; its row shows what the Go runtime's start alone costs.
set -eu
dir=$(mktemp -d)
# The binaries are timed as installed: copied, as install(1) and dpkg
# write them. A file the linker wrote runs measurably slower here (7% on
# "unshare true"): how a file was written decides how its page cache is
# laid out, and so how many page faults each exec takes.
cp "${1:-./nsbox-static}" "$dir/nsbox"
nsbox=$dir/nsbox
floor=
if [ -n "${2:-}" ]; then
	cp "$2" "$dir/floor"
	floor=$dir/floor
fi
ln -s "$nsbox" "$dir/unshare"
ln -s "$nsbox" "$dir/nsenter"
ln -s "$nsbox" "$dir/ip"
N=${N:-400}
cc -O2 -o "$dir/benchrun" tests/benchrun/benchrun.c

# loop_us CMD...: microseconds per run, median of 5 loops of N runs (for
# what is a shell loop itself: the ip netns cycle).
loop_us() {
	for k in 1 2 3 4 5; do
		s=$(date +%s%N)
		i=0
		while [ $i -lt $N ]; do "$@" >/dev/null 2>&1; i=$((i + 1)); done
		echo $((($(date +%s%N) - s) / N / 1000))
	done | sort -n | sed -n 3p
}

# report LABEL OURS REF: one line of the table, with the ratio.
report() {
	printf '%-34s %8s us %8s us %6s\n' "$1" "$2" "$3" "$(awk "BEGIN { printf \"%.2f\", $2 / $3 }")"
}

# row TOOL LABEL ARGS...: nsbox as TOOL against /usr/bin/TOOL, run by
# run in turn (benchrun), medians of N runs each.
row() {
	tool=$1 label=$2; shift 2
	set -- $("$dir/benchrun" "$N" "$dir/$tool" "$@" -- /usr/bin/$tool "$@")
	report "$label" "$1" "$2"
}

# A target for nsenter: its own user, mount, uts, net and pid namespaces.
# Killing the target (its pid namespace's init) ends the namespaces and
# the holder with it; it keeps no pipe of ours open meanwhile.
/usr/bin/unshare -r -m -u -n -p -f --mount-proc sleep 600 </dev/null >/dev/null 2>&1 &
holder=$!
target=
trap 'kill -KILL $target $holder 2>/dev/null; rm -rf "$dir"' EXIT
trap 'exit 1' INT TERM HUP PIPE
while [ -z "$(cat /proc/$holder/task/$holder/children 2>/dev/null)" ]; do :; done
target=$(cat /proc/$holder/task/$holder/children | tr -d ' ')

printf '%-34s %11s %11s %6s\n' "command" "nsbox" "util-linux" "ratio"
if [ -n "$floor" ]; then
	set -- $("$dir/benchrun" "$N" "$dir/unshare" -n true -- "$floor" -n true -- /usr/bin/unshare -n true)
	report "unshare -n true" "$1" "$3"
	report "  the Go floor for it" "$2" "$3"
else
	row unshare "unshare -n true" -n true
fi
row unshare "unshare -r true (re-exec)" -r true
row unshare "unshare -fp --mount-proc true" -fp --mount-proc true
row unshare "unshare -f true" -f true
row nsenter "nsenter -t P -m -u -n true" -t "$target" -m -u -n true
row nsenter "nsenter -t P -U true (re-exec)" -t "$target" -U true
row nsenter "nsenter -t P -a true (re-exec)" -t "$target" -a true
# One ip netns add/exec/delete cycle, in a private mount and network
# namespace with its own /run (nothing reaches the host's /run/netns).
ip_cycle_us() {
	for k in 1 2 3 4 5; do
		unshare -m -n --propagation private sh -c '
			mount -t tmpfs nbbench /run || exit 1
			s=$(date +%s%N); i=0
			while [ $i -lt '"$N"' ]; do
				"$0" netns add nbbench && "$0" netns exec nbbench true && "$0" netns delete nbbench
				i=$((i + 1))
			done
			echo $((($(date +%s%N) - s) / '"$N"' / 1000))' "$1"
	done | sort -n | sed -n 3p
}
report "ip netns add/exec/delete" "$(ip_cycle_us "$dir/ip")" "$(ip_cycle_us /usr/sbin/ip)"

printf '%-34s %8s bytes\n' "binary size" "$(stat -c %s "$nsbox")"

# Peak RSS of a waiting unshare --fork parent.
"$dir/unshare" -f sleep 2 &
pid=$!
while [ -z "$(cat /proc/$pid/task/$pid/children 2>/dev/null)" ]; do :; done
printf '%-34s %8s kB\n' "waiting --fork parent RSS" "$(awk '/VmRSS/ {print $2}' /proc/$pid/status)"
wait $pid

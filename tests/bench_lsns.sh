#!/bin/sh
# Benchmark (not a test): nsbox lsns against util-linux /usr/bin/lsns with
# 5,000 and then 10,000 extra processes. Prints the median of several
# runs, the nsbox/util-linux ratio, how nsbox scales from 5,000 to 10,000
# and the peak RSS of each tool.
#
#   sh tests/bench_lsns.sh NSBOX_BINARY [RUNS]
#
# Every process it starts is killed by PID when it exits.
set -eu

bin=${1:?usage: bench_lsns.sh NSBOX_BINARY [RUNS]}
runs=${2:-7}
ref=/usr/bin/lsns
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
[ -x "$bin" ] || { echo "bench_lsns: $bin is not executable" >&2; exit 1; }
[ -x "$ref" ] || { echo "bench_lsns: $ref is missing" >&2; exit 1; }

work=$(mktemp -d)
pids=$work/pids
: >"$pids"
cleanup() {
	# Kill exactly the processes started here, by PID.
	if [ -s "$pids" ]; then
		xargs kill -KILL <"$pids" 2>/dev/null || true
	fi
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ln -s "$bin" "$work/lsns"
nb=$work/lsns

# spawn N: start N more sleeping processes, recording their PIDs.
spawn() {
	i=0
	while [ "$i" -lt "$1" ]; do
		sleep 100000 &
		echo $! >>"$pids"
		i=$((i + 1))
	done
	# Let the new processes finish exec'ing before anything is timed.
	sleep 3
}

now_ns() { date +%s%N; }

# median_ms CMD...: median wall time of $runs runs, in milliseconds.
median_ms() {
	r=0
	: >"$work/times"
	while [ "$r" -lt "$runs" ]; do
		t0=$(now_ns)
		"$@" >/dev/null 2>&1
		t1=$(now_ns)
		echo $(((t1 - t0) / 1000)) >>"$work/times"
		r=$((r + 1))
	done
	sort -n "$work/times" | awk -v n="$runs" '{a[NR]=$1} END {printf "%.1f", a[int((n+1)/2)]/1000}'
}

# peak_kb CMD...: maximum resident set size of one run.
peak_kb() {
	if [ ! -x /usr/bin/time ]; then
		echo n/a
		return
	fi
	/usr/bin/time -f '%M' -o "$work/rss" "$@" >/dev/null 2>&1 || true
	tail -n 1 "$work/rss" 2>/dev/null || echo n/a
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.3f", a / b; else print "n/a" }'; }

bench() {
	n=$(ls /proc | grep -c '^[0-9]')
	echo "== $1 extra sleep processes ($n processes visible), median of $runs runs"
	printf '%-26s %12s %12s %8s %12s %12s\n' case "nsbox ms" "util ms" ratio "nsbox KiB" "util KiB"
	# One untimed run of each warms the caches for both alike.
	"$nb" >/dev/null 2>&1 || true
	"$ref" >/dev/null 2>&1 || true
	k=0
	for args in "" "-J --output-all"; do
		# shellcheck disable=SC2086
		a=$(median_ms "$nb" $args)
		# shellcheck disable=SC2086
		b=$(median_ms "$ref" $args)
		# shellcheck disable=SC2086
		ra=$(peak_kb "$nb" $args)
		# shellcheck disable=SC2086
		rb=$(peak_kb "$ref" $args)
		printf '%-26s %12s %12s %8s %12s %12s\n' "lsns $args" "$a" "$b" "$(ratio "$a" "$b")" "$ra" "$rb"
		echo "$a" >"$work/t_$1_$k"
		k=$((k + 1))
	done
}

spawn 5000
bench 5000
spawn 5000
bench 10000

echo "== nsbox scaling, time(10000) / time(5000) (target <= 2.2)"
k=0
for args in "" "-J --output-all"; do
	printf '%-26s %s\n' "lsns $args" "$(ratio "$(cat "$work/t_10000_$k")" "$(cat "$work/t_5000_$k")")"
	k=$((k + 1))
done

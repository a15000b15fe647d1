#!/bin/sh
# Benchmarks (not tests): nsbox against the system's util-linux on the
# same machine, in one run. Each command runs N times in a shell loop;
# the median of 5 such loops is reported, and the ratio nsbox/util-linux.
# Usage: tests/bench.sh NSBOX_BINARY
set -eu
nsbox=$(readlink -f "${1:-./nsbox-static}")
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
ln -s "$nsbox" "$dir/unshare"
N=${N:-200}

# loop_us CMD...: microseconds per run, median of 5 loops of N runs.
loop_us() {
	for k in 1 2 3 4 5; do
		s=$(date +%s%N)
		i=0
		while [ $i -lt $N ]; do "$@" >/dev/null 2>&1; i=$((i + 1)); done
		echo $((($(date +%s%N) - s) / N / 1000))
	done | sort -n | sed -n 3p
}

row() {
	label=$1; shift
	ours=$(loop_us "$dir/unshare" "$@")
	ref=$(loop_us /usr/bin/unshare "$@")
	printf '%-34s %8s us %8s us %6s\n' "$label" "$ours" "$ref" "$(awk "BEGIN { printf \"%.2f\", $ours / $ref }")"
}

printf '%-34s %11s %11s %6s\n' "unshare" "nsbox" "util-linux" "ratio"
row "-n true" -n true
row "-r true (user ns: re-exec)" -r true
row "-fp --mount-proc true" -fp --mount-proc true
row "-f true" -f true
printf '%-34s %8s bytes\n' "binary size" "$(stat -c %s "$nsbox")"

# Peak RSS of a waiting unshare --fork parent.
"$dir/unshare" -f sleep 2 &
pid=$!
while [ -z "$(cat /proc/$pid/task/$pid/children 2>/dev/null)" ]; do :; done
printf '%-34s %8s kB\n' "waiting --fork parent RSS" "$(awk '/VmRSS/ {print $2}' /proc/$pid/status)"
wait $pid

#!/bin/bash
# bench/rescan.sh - time a first scan and a rescan of an unchanged tree of
# many small files, and their peak memory.  Not a test: it prints figures.
#
# usage: bench/rescan.sh [FILES] [WORKDIR]     (default 50000, a temp dir)
# needs a built tree: src/piiscan, tests/runlimit, tests/fixture.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
files=${1:-50000}
work=${2:-$(mktemp -d "${TMPDIR:-/tmp}/piiscan-bench.XXXXXX")}
piiscan="$top/src/piiscan"
runlimit="$top/tests/runlimit"
fixture="$top/tests/fixture"
mkdir -p "$work/tree"
printf '%064d\n' 0 | tr 0 7 > "$work/key"
chmod 600 "$work/key"

# 100 files a directory; 1 in 50 holds a card number.
if [ ! -e "$work/tree/.done-$files" ]; then
	echo "building $files files in $work/tree ..."
	card=$("$fixture" card 4 16 1)
	i=0
	while [ "$i" -lt "$files" ]; do
		d="$work/tree/d$((i / 100))"
		mkdir -p "$d"
		for j in $(seq 0 99); do
			[ $((i + j)) -lt "$files" ] || break
			if [ $(((i + j) % 50)) -eq 0 ]; then
				printf 'ref %d card number %s\n' "$((i + j))" "$card"
			else
				printf 'order %d, amount %d.%02d, 2026-01-%02d\n' \
				    "$((i + j))" "$((i + j))" "$((j % 100))" "$((j % 28 + 1))"
			fi > "$d/f$j.txt"
		done
		i=$((i + 100))
	done
	touch "$work/tree/.done-$files"
fi

run() {   # run LABEL ARGS...: prints wall time and peak RSS
	local out label=$1
	shift
	out=$(RUNLIMIT_VERBOSE=1 "$runlimit" 3600 100000 "$piiscan" scan \
	    --db "$work/bench.db" --key-file "$work/key" --no-progress "$@" \
	    "$work/tree" 2>&1 >/dev/null | sed -n 's/^runlimit: //p')
	echo "$label: $out" >&2
	echo "$out" | sed 's/.*, \([0-9.]*\) s$/\1/'
}
rm -f "$work/bench.db"*
sync
first=$(run first)
second=$(run rescan)
echo "files $files: first scan ${first}s, rescan ${second}s, ratio $(echo "scale=3; $second / $first" | bc)"

#!/bin/bash
# bench/rescan.sh - time a first scan and a rescan of the same unchanged
# tree, side by side, with their peak memory.  Not a test: it prints
# figures.
#
# usage: bench/rescan.sh [--tree corpus|share|tiny] [--scale S] [--files N]
#                        [--cold] [--runs R] [WORKDIR]
#   corpus (default): the corpus of corpus.sh --scale S (S = 1: 51,020
#          files, 441 MB of text, small files, office documents and zips),
#          scanned whole: mostly small files (50,000 of 1-4 KiB);
#   share: the tree of share.sh with N files (default 50,000), shaped like
#          an office file share;
#   tiny:  N files of about 40 bytes (default 50,000), 100 a directory,
#          one in 50 holding a card number: the worst case for the ratio,
#          since a first scan has almost nothing to read either;
#   --cold drops the page cache before every scan (root only), as for a
#          monthly rescan of a share nobody read since;
#   R runs (default 3), the median of each printed.
# needs a built tree: src/piiscan, tests/runlimit, tests/fixture,
# tests/docgen.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
tree=corpus scale=1 files=50000 cold=false runs=3 work=
while [ $# -gt 0 ]; do
	case $1 in
	--tree) tree=${2:?--tree needs corpus, share or tiny}; shift 2 ;;
	--files) files=${2:?--files needs a number}; shift 2 ;;
	--scale) scale=${2:?--scale needs a number}; shift 2 ;;
	--cold) cold=true; shift ;;
	--runs) runs=${2:?--runs needs a number}; shift 2 ;;
	-*) echo "rescan.sh: unknown option $1" >&2; exit 2 ;;
	*) work=$1; shift ;;
	esac
done
work=${work:-${TMPDIR:-/tmp}/piiscan-bench}
piiscan="$top/src/piiscan"
runlimit="$top/tests/runlimit"
fixture="$top/tests/fixture"
mkdir -p "$work"
printf '%064d\n' 0 | tr 0 7 > "$work/key"
chmod 600 "$work/key"
if $cold && ! { sync && echo 3 > /proc/sys/vm/drop_caches; } 2>/dev/null; then
	echo "rescan.sh: --cold needs root (writes /proc/sys/vm/drop_caches)" >&2
	exit 2
fi

case $tree in
corpus)
	root="$work/corpus"
	[ "$scale" = 1 ] || root="$work/corpus-$scale"
	"$top/bench/corpus.sh" "$root" --scale "$scale" > /dev/null ;;
share)
	root="$work/share-$files"
	"$top/bench/share.sh" "$root" --files "$files" >&2 ;;
tiny)
	root="$work/tiny-$files"
	if [ ! -e "$root/.done" ]; then
		echo "building $files files in $root ..." >&2
		mkdir -p "$root"
		awk -v n="$files" -v dir="$root" -v card="$("$fixture" card 4 16 1)" 'BEGIN {
			for (i = 0; i < n; i++) {
				d = dir "/d" int(i / 100)
				if (i % 100 == 0)
					system("mkdir -p " d)
				f = d "/f" i % 100 ".txt"
				if (i % 50 == 0)
					printf "ref %d card number %s\n", i, card > f
				else
					printf "order %d, amount %d.%02d, 2026-01-%02d\n", i, i, i % 100, i % 28 + 1 > f
				close(f)
			}
		}'
		touch "$root/.done"
	fi ;;
*)	echo "rescan.sh: --tree is corpus, share or tiny" >&2; exit 2 ;;
esac
nfiles=$(find "$root" -type f ! -name '.*' | wc -l)
nbytes=$(du -sb --exclude='.*' "$root" | cut -f1)

scan() {   # scan LABEL: one scan of the tree; appends "seconds MiB" to $work/LABEL
	local out
	if $cold; then sync; echo 3 > /proc/sys/vm/drop_caches; fi
	out=$(RUNLIMIT_VERBOSE=1 "$runlimit" 7200 100000 "$piiscan" scan \
	    --db "$work/rescan.db" --key-file "$work/key" --no-progress "$root" \
	    2>&1 >/dev/null | sed -n 's/^runlimit: //p')
	# "peak RSS 38 MiB, 0.870 s"
	echo "$out" | sed 's/^peak RSS \([0-9]*\) MiB, \([0-9.]*\) s$/\2 \1/' >> "$work/$1"
}
median() {   # median FILE COLUMN
	sort -n -k"$2,$2" "$1" | awk -v c="$2" '{ v[NR] = $c } END { print v[int((NR + 1) / 2)] }'
}

: > "$work/first"
: > "$work/again"
for _ in $(seq 1 "$runs"); do
	rm -f "$work/rescan.db" "$work/rescan.db-wal" "$work/rescan.db-shm"
	scan first
	scan again
done
f=$(median "$work/first" 1) a=$(median "$work/again" 1)
printf '%s tree, %d files, %d MB, %s cache, median of %d runs:\n' "$tree" \
    "$nfiles" "$((nbytes / 1000000))" "$($cold && echo cold || echo warm)" "$runs"
printf '  first scan %s s (peak RSS %s MiB), rescan %s s (peak RSS %s MiB), rescan/first %s\n' \
    "$f" "$(median "$work/first" 2)" "$a" "$(median "$work/again" 2)" \
    "$(echo "scale=3; $a / $f" | bc | sed 's/^\./0./')"

#!/bin/bash
# bench/run.sh - piiscan against the tools a user would reach for instead
# (ripgrep, ugrep; Debian packages), on the corpus of bench/corpus.sh:
# runs interleaved, warm cache, median of RUNS, ratio piiscan/peer, and
# peak RSS.  piiscan runs twice: on the peers' task (--types card,hkid)
# and with every type it has.  Figures only: nothing here is a test.
#
# usage: bench/run.sh [WORKDIR] [--scale S] [--runs N]
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
work=${1:-${TMPDIR:-/tmp}/piiscan-bench}
shift || true
scale=1 runs=3
while [ $# -gt 0 ]; do
	case $1 in
	--scale) scale=$2; shift 2 ;;
	--runs) runs=$2; shift 2 ;;
	*) echo "usage: run.sh [WORKDIR] [--scale S] [--runs N]" >&2; exit 2 ;;
	esac
done
piiscan="$top/src/piiscan"
runlimit="$top/tests/runlimit"
for tool in rg ugrep; do
	command -v "$tool" > /dev/null || { echo "run.sh: $tool is not installed (apt-get install ripgrep ugrep)" >&2; exit 2; }
done
"$top/bench/corpus.sh" "$work/corpus" --scale "$scale"
printf '%064d\n' 0 | tr 0 5 > "$work/key"
chmod 600 "$work/key"

# What the peers look for: a card-like digit run and an HKID-like token.
# They validate nothing and record nothing.
regex='\b(?:[0-9][ -]?){12,18}[0-9]\b|\b[A-Z]{1,2}[0-9]{6} ?\(?[0-9A]\)?'

# timed LABEL CMD...: prints "seconds peak-MiB" of one run.
timed() {
	local label=$1 out
	shift
	# Output to a file, not /dev/null: grep-like tools stop at the first
	# match when they see /dev/null.
	out=$(RUNLIMIT_VERBOSE=1 "$runlimit" 3600 100000 "$@" 2>&1 >"$work/out" |
		sed -n 's/^runlimit: peak RSS \([0-9]*\) MiB, \([0-9.]*\) s$/\2 \1/p')
	echo "$out"
}

median() { sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }

# warm DIR: read the tree into the page cache, untimed.  Before every
# timed run, not once: a machine may page out what was not touched for a
# while (this one runs DAMON with a pageout scheme for memory idle a
# minute), and the all-types scan of the text takes minutes.
warm() {
	rg -c -j2 "$regex" "$1" > /dev/null 2>&1 || true
}

# bench NAME DIR PEER-ARGS...: piiscan and the peers on DIR, interleaved.
bench() {
	local name=$1 dir=$2 r t
	shift 2
	: > "$work/$name.piiscan"; : > "$work/$name.all"
	: > "$work/$name.rg"; : > "$work/$name.ugrep"
	for r in $(seq 1 "$runs"); do
		rm -f "$work/b.db"*
		warm "$dir"
		timed piiscan "$piiscan" scan --db "$work/b.db" --key-file "$work/key" \
		    --no-progress -j 2 --types card,hkid "$dir" >> "$work/$name.piiscan"
		rm -f "$work/b.db"*
		warm "$dir"
		timed all "$piiscan" scan --db "$work/b.db" --key-file "$work/key" \
		    --no-progress -j 2 "$dir" >> "$work/$name.all"
		warm "$dir"
		timed rg rg -c -j2 "$@" "$regex" "$dir" >> "$work/$name.rg"
		warm "$dir"
		timed ugrep ugrep -c -r -J2 "$@" -P "$regex" "$dir" >> "$work/$name.ugrep"
	done
	local p a rg ug prss arss
	p=$(cut -d' ' -f1 "$work/$name.piiscan" | median)
	prss=$(cut -d' ' -f2 "$work/$name.piiscan" | sort -n | tail -n 1)
	a=$(cut -d' ' -f1 "$work/$name.all" | median)
	arss=$(cut -d' ' -f2 "$work/$name.all" | sort -n | tail -n 1)
	rg=$(cut -d' ' -f1 "$work/$name.rg" | median)
	ug=$(cut -d' ' -f1 "$work/$name.ugrep" | median)
	printf '%-8s piiscan %7.3f s (%s MiB)  all types %7.3f s (%s MiB)  rg %6.3f s  ugrep %6.3f s  piiscan/rg %5.2f  piiscan/ugrep %5.2f  all/rg %5.2f\n' \
	    "$name" "$p" "$prss" "$a" "$arss" "$rg" "$ug" "$(echo "$p / $rg" | bc -l)" \
	    "$(echo "$p / $ug" | bc -l)" "$(echo "$a / $rg" | bc -l)"
}

echo "machine: $(nproc) CPUs, $(free -g | awk '/^Mem/ {print $2}') GiB; $(rg --version | sed -n 1p); ugrep $(ugrep --version | awk 'NR == 1 {print $2}'); runs $runs, median"
bench text "$work/corpus/text"
bench small "$work/corpus/small"
bench office "$work/corpus/office" -z

# The rescan of the unchanged small-file tree against its first scan.
rm -f "$work/r.db"*
warm "$work/corpus/small"
first=$(timed first "$piiscan" scan --db "$work/r.db" --key-file "$work/key" --no-progress -j 2 "$work/corpus/small")
: > "$work/rescan"
for r in $(seq 1 "$runs"); do
	timed rescan "$piiscan" scan --db "$work/r.db" --key-file "$work/key" --no-progress -j 2 \
	    "$work/corpus/small" >> "$work/rescan"
done
resc=$(cut -d' ' -f1 "$work/rescan" | median)
# What a rescan cannot do without: a stat of every file (device, inode,
# size, mtime and ctime are compared), here by find on one thread.
: > "$work/find"
for r in $(seq 1 "$runs"); do
	timed find find "$work/corpus/small" -printf '%s %T@ %C@ %i\n' >> "$work/find"
done
fnd=$(cut -d' ' -f1 "$work/find" | median)
# And that stat alone, on two threads as piiscan's -j 2, by bench/statwalk:
# the floor of any rescan on this machine.
: > "$work/floor"
for r in $(seq 1 "$runs"); do
	timed floor "$top/bench/statwalk" -j 2 "$work/corpus/small" >> "$work/floor"
done
flr=$(cut -d' ' -f1 "$work/floor" | median)
printf 'rescan   first %6.3f s  rescan %6.3f s  rescan/first %5.2f  find -printf %6.3f s  rescan/find %5.2f\n' \
    "${first%% *}" "$resc" "$(echo "$resc / ${first%% *}" | bc -l)" "$fnd" \
    "$(echo "$resc / $fnd" | bc -l)"
printf 'rescan   stat floor (statwalk -j 2) %6.3f s  floor/first %5.2f  rescan/floor %5.2f\n' \
    "$flr" "$(echo "$flr / ${first%% *}" | bc -l)" "$(echo "$resc / $flr" | bc -l)"

#!/bin/bash
# bench/shards.sh - how evenly scan --shard K/N splits a tree: files and
# bytes per shard for each N and --shard-depth D, by the shard function
# of src/shard.c (through tests/shardof; no scan is run).
#
# usage: bench/shards.sh DIR [N...]      (default N: 4 16; depths 1 2 3)
#   for each N and D: the shards' smallest and largest file count and byte
#   total, each as a share of the mean (max/mean is what a run waits for:
#   1.00 is perfect), and the number of keys (distinct paths at depth D).
# needs a built tree: tests/shardof.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
dir=${1:?usage: shards.sh DIR [N...]}
shift
counts=${*:-4 16}
list=$(mktemp)
trap 'rm -f "$list"' EXIT
# Every entry a scan records: regular files and symlinks (dot files too).
find "$dir" -mindepth 1 \( -type f -o -type l \) -printf '%P\t%s\n' > "$list"
printf '%-6s %3s %3s %7s %9s %9s %9s %9s %9s\n' tree N D keys files-min files-max \
    bytes-min bytes-max max/mean
for n in $counts; do
	for d in 1 2 3; do
		"$top/tests/shardof" "$n" "$d" < "$list" | awk -F'\t' -v n="$n" -v d="$d" \
		    -v tree="$(basename "$dir")" '
		{
			files[$1]++; bytes[$1] += $3; tf++; tb += $3
			split($2, c, "/"); key = c[1]
			for (i = 2; i <= d && i in c; i++) key = key "/" c[i]
			keys[key] = 1
		}
		END {
			fmin = bmin = -1; fmax = bmax = 0
			for (k = 1; k <= n; k++) {
				f = files[k] + 0; b = bytes[k] + 0
				if (fmin < 0 || f < fmin) fmin = f
				if (f > fmax) fmax = f
				if (bmin < 0 || b < bmin) bmin = b
				if (b > bmax) bmax = b
			}
			nk = 0; for (k in keys) nk++
			printf "%-6s %3d %3d %7d %9.2f %9.2f %9.2f %9.2f %9.2f\n", tree, n, d, nk,
			    fmin / (tf / n), fmax / (tf / n), bmin / (tb / n), bmax / (tb / n),
			    (fmax / (tf / n) > bmax / (tb / n) ? fmax / (tf / n) : bmax / (tb / n))
		}'
	done
done

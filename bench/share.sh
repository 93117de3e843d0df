#!/bin/bash
# bench/share.sh - a deterministic tree shaped like an office file share,
# for timing rescans against first scans: most files are documents,
# spreadsheets, notes and exports of a few to a few hundred KiB, a few
# are large logs, some are zips.  Sizes follow the pattern of file-system
# studies (many small files, most bytes in few large ones); the content is
# digit-dense like corpus.sh's, with planted card numbers and HKIDs.
#
# usage: bench/share.sh DIR [--files N]     (default 50,000 files)
#   per 50 files: 20 notes of 2-32 KiB, 15 docx/xlsx (copies of a pool of
#   40 made by tests/docgen), 10 CSV exports of 64-256 KiB, 4 zips of
#   documents, 1 log of 1 MiB; 100 files a directory, in department/year
#   directories.  About 50 KiB a file on average.
# needs a built tree: tests/fixture, tests/docgen.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
dir=${1:?usage: share.sh DIR [--files N]}
files=50000
[ "${2:-}" = --files ] && files=${3:?--files needs a number}
fixture="$top/tests/fixture"
docgen="$top/tests/docgen"
stamp="$dir/.share-$files"
[ -e "$stamp" ] && { echo "share: $dir is ready ($files files)"; exit 0; }
pool="$dir-pool"
mkdir -p "$dir" "$pool"
card=$("$fixture" card 4 16 9)
hkid=$("$fixture" hkid B 9)

echo "share: a pool of documents ..."
for i in $(seq 1 20); do
	{
		echo "Memo $i"
		for j in $(seq 1 $((20 * i))); do
			echo "Item $j of memo $i: order $((i * 1000 + j)) amount $((j * 37)).$((j % 100))"
		done
		[ $((i % 4)) -eq 0 ] && echo "Card number ${card:0:6}{r}${card:6}"
	} | "$docgen" docx "$pool/m$i.docx"
	{
		printf 'Staff\tA1\ts\tName\nStaff\tB1\ts\tHKID\nStaff\tC1\ts\tAmount\n'
		for j in $(seq 2 $((20 * i))); do
			printf 'Staff\tA%d\ts\tPerson %d\nStaff\tC%d\tn\t%d\n' "$j" "$j" "$j" "$((j * 1234))"
		done
		[ $((i % 5)) -eq 0 ] && printf 'Staff\tB7\ts\t%s\n' "$hkid"
	} | "$docgen" xlsx "$pool/s$i.xlsx"
done
for i in $(seq 1 10); do
	"$docgen" zip "$pool/z$i.zip" "a.docx=$pool/m$i.docx" \
	    "b.xlsx=$pool/s$i.xlsx" "c.docx=$pool/m$((i + 10)).docx"
done

echo "share: $files files ..."
awk -v n="$files" -v dir="$dir" -v pool="$pool" -v card="$card" -v hkid="$hkid" '
function text(f, bytes, pii,    s, size, line) {
	size = 0
	line = 0
	while (size < bytes) {
		line++
		if (pii && line % 97 == 0)
			s = sprintf("card number %s paid %d.%02d", card, int(rand() * 9999), int(rand() * 100))
		else if (pii && line % 89 == 0)
			s = sprintf("HKID %s(%s) on file", substr(hkid, 1, length(hkid) - 1), substr(hkid, length(hkid)))
		else
			s = sprintf("2024-%02d-%02d order %d amount %d.%02d tel %d%07d ref %d",
			    1 + int(rand() * 12), 1 + int(rand() * 28), int(rand() * 1000000000),
			    int(rand() * 99999), int(rand() * 100), 2 + int(rand() * 8),
			    int(rand() * 10000000), int(rand() * 100000))
		print s > f
		size += length(s) + 1
	}
	close(f)
}
BEGIN {
	srand(5)
	for (i = 0; i < n; i++) {
		d = sprintf("%s/dept%d/%d/%c", dir, int(i / 5000) % 10, 2015 + int(i / 500) % 10, 97 + int(i / 100) % 5)
		if (i % 100 == 0)
			system("mkdir -p " d)
		k = i % 50
		pii = i % 20 == 0
		if (k < 20)
			text(sprintf("%s/note%d.txt", d, i), 2048 * 2 ^ (i % 5), pii)
		else if (k < 35)
			cp[++ncp] = sprintf("%s/%s%d.%s %s/doc%d.%s", pool, k % 2 ? "m" : "s",
			    1 + i % 20, k % 2 ? "docx" : "xlsx", d, i, k % 2 ? "docx" : "xlsx")
		else if (k < 45)
			text(sprintf("%s/export%d.csv", d, i), 65536 * (1 + i % 4), pii)
		else if (k < 49)
			cp[++ncp] = sprintf("%s/z%d.zip %s/archive%d.zip", pool, 1 + i % 10, d, i)
		else
			text(sprintf("%s/app%d.log", d, i), 1048576, pii)
		# The copies of a directory, once its files are written.
		if (i % 100 == 99 || i == n - 1) {
			for (c = 1; c <= ncp; c++)
				system("cp " cp[c])
			ncp = 0
		}
	}
}'
touch "$stamp"
echo "share: $(find "$dir" -type f ! -name '.*' | wc -l) files, $(du -sh "$dir" | cut -f1)"

#!/bin/bash
# bench/corpus.sh - a deterministic benchmark corpus: digit-dense text
# (dates, amounts, phone and order numbers, timestamps, with planted
# values and decoys), a tree of small files, office documents and zips.
#
# usage: bench/corpus.sh DIR [--scale S]
#   S = 1 (default): 256 MiB of text in 500 files, 50,000 small files,
#   500 docx/xlsx; S = 4 gives the issue's 1 GiB / 200,000 / 2,000.
# needs a built tree: tests/fixture (values), tests/docgen (documents).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
dir=${1:?usage: corpus.sh DIR [--scale S]}
scale=1
[ "${2:-}" = --scale ] && scale=${3:?--scale needs a number}
fixture="$top/tests/fixture"
docgen="$top/tests/docgen"
mkdir -p "$dir"
stamp="$dir/.corpus-$scale"
[ -e "$stamp" ] && { echo "corpus: $dir is ready (scale $scale)"; exit 0; }

# One text file: digit-dense lines, a planted card or HKID every ~200
# lines, a decoy (Luhn-invalid, glued, wrong check) every ~150.
# awk's own generator, seeded, keeps it deterministic and fast.
text_file() {   # text_file OUT BYTES SEED CARD HKID
	awk -v bytes="$2" -v seed="$3" -v card="$4" -v hkid="$5" 'BEGIN {
		srand(seed); n = 0; line = 0
		while (n < bytes) {
			line++
			if (line % 200 == 0)
				s = sprintf("card number %s paid %d.%02d", card, int(rand() * 9999), int(rand() * 100))
			else if (line % 201 == 0)
				s = sprintf("HKID %s(%s) on file", substr(hkid, 1, length(hkid) - 1), substr(hkid, length(hkid)))
			else if (line % 150 == 0)
				s = sprintf("ref 9%s7 and X%s", card, hkid)
			else
				s = sprintf("2026-%02d-%02d %02d:%02d:%02d order %d amount %d.%02d tel %d%07d acct %d%d",
				    1 + int(rand() * 12), 1 + int(rand() * 28), int(rand() * 24), int(rand() * 60),
				    int(rand() * 60), int(rand() * 1000000000), int(rand() * 99999), int(rand() * 100),
				    2 + int(rand() * 8), int(rand() * 10000000), int(rand() * 100000000), int(rand() * 10000000))
			print s
			n += length(s) + 1
		}
	}' > "$1"
}

card=$("$fixture" card 4 16 7)
hkid=$("$fixture" hkid A 7)

echo "corpus: text ..."
mkdir -p "$dir/text"
nfiles=$((500 * scale))
for i in $(seq 1 "$nfiles"); do
	text_file "$dir/text/t$i.log" 536870 "$i" "$card" "$hkid"
done

echo "corpus: small files ..."
mkdir -p "$dir/small"
nsmall=$((50000 * scale))
awk -v n="$nsmall" -v dir="$dir/small" -v card="$card" 'BEGIN {
	srand(11)
	for (i = 0; i < n; i++) {
		d = dir "/d" int(i / 100)
		if (i % 100 == 0)
			system("mkdir -p " d)
		f = d "/f" i ".txt"
		size = 1024 + int(rand() * 3072)
		s = ""
		while (length(s) < size)
			s = s sprintf("%d-%02d-%02d order %d qty %d price %d.%02d\n", 2000 + int(rand() * 26),
			    1 + int(rand() * 12), 1 + int(rand() * 28), int(rand() * 10000000), int(rand() * 100),
			    int(rand() * 1000), int(rand() * 100))
		if (i % 40 == 0)
			s = s "card number " card "\n"
		printf "%s", s > f
		close(f)
	}
}'

echo "corpus: office documents ..."
mkdir -p "$dir/office"
ndocs=$((250 * scale))
for i in $(seq 1 "$ndocs"); do
	{
		echo "Staff memo $i"
		for j in $(seq 1 40); do
			echo "Paragraph $j of memo $i: order $((i * 1000 + j)) amount $((j * 37)).$((j % 100))"
		done
		echo "Card number ${card:0:6}{r}${card:6}"
		echo "|Name|HKID|"
		echo "|Chan|$hkid|"
	} | "$docgen" docx "$dir/office/m$i.docx"
	{
		printf 'Staff\tA1\ts\tName\nStaff\tB1\ts\tHKID\nStaff\tC1\ts\tAmount\n'
		for j in $(seq 2 200); do
			printf 'Staff\tA%d\ts\tPerson %d\nStaff\tC%d\tn\t%d\n' "$j" "$j" "$j" "$((j * 1234))"
		done
		printf 'Staff\tB100\ts\t%s\nPay\tD5\tn\t%s\n' "$hkid" "$card"
	} | "$docgen" xlsx "$dir/office/s$i.xlsx"
done

echo "corpus: zips ..."
mkdir -p "$dir/zips"
for i in $(seq 1 $((20 * scale))); do
	args=()
	for j in $(seq 1 10); do
		k=$(((i * 10 + j) % ndocs + 1))
		args+=("docs/m$k.docx=$dir/office/m$k.docx" "logs/t$j.log=$dir/text/t$j.log")
	done
	"$docgen" zip "$dir/zips/z$i.zip" "${args[@]}"
done
touch "$stamp"
du -sh "$dir"/* | sed 's/^/corpus: /'

# tar.sh - tar, cpio, 7-Zip and RAR archives and bzip2, xz, lzma, zstd, lz4
# and compress streams (libarchive, in piiscan-archive.so): members found
# with their chain and context, the type recorded, damage and every limit
# recorded as partial with its reason, hostile archives bounded.
. "$TOP_SRCDIR/tests/e2e/lib.sh"
: "${MKARCHIVE:?run through make check}"

A="$T/a"
mkdir -p "$A/src" "$A/tree"
card=$("$FIXTURE" card 4 16 41)
hkid=$("$FIXTURE" hkid K 42)
printf 'Visa %s\n' "$card" > "$A/src/card.txt"
printf 'name,hkid\nChan,%s\n' "$hkid" > "$A/src/people.csv"
masked_card=$(printf '%s' "$card" | sed 's/^\(......\).*\(....\)$/\1******\2/')
masked_hkid="K******(${hkid#???????})"

# file_status NAME: "type|status|reason" of a file record.
file_status() {
	sed -n "s|^{\"record\":\"file\",\"path\":\"$A/tree/$1\",.*\"type\":\"\([^\"]*\)\",\"status\":\"\([^\"]*\)\"\(,\"error\":\"\([^\"]*\)\"\)\{0,1\},\"findings\".*|\1\|\2\|\4|p" "$T/export"
}
findings() {   # findings NAME: member where type confidence masked, sorted
	file_findings "$A/tree/$1"
}
# mkarchive ARGS...: make a test archive; a failure is a failed test.
mkarchive() {
	"$MKARCHIVE" "$@" || ok 1 "mkarchive $1 ${2##*/}"
}
both="card.txt=$A/src/card.txt people.csv=$A/src/people.csv"
two_members="card.txt line 1 card high $masked_card
people.csv line 2 hkid high $masked_hkid"

# --- every format and stream --------------------------------------------
for format in ustar pax gnutar v7tar cpio odc; do
	mkarchive "$format" "$A/tree/$format.a" $both
done
# Each filter, and the suffix its files have.
streams="gzip:gz bzip2:bz2 xz:xz lzma:lzma zstd:zst lz4:lz4 compress:Z"
for s in $streams; do
	mkarchive "ustar+${s%:*}" "$A/tree/t-${s%:*}.tar.${s#*:}" $both
done
mkarchive raw+xz "$A/tree/card.txt.xz" "$A/src/card.txt"
mkarchive raw+zstd "$A/tree/people.csv.zst" "$A/src/people.csv"
mkarchive raw+bzip2 "$A/tree/b.tbz2" "$A/tree/ustar.a"
mkarchive 7zip "$A/tree/both.7z" $both
# A 7-Zip archive in a tar: read into memory (libarchive seeks in it).
mkarchive ustar "$A/tree/with7z.tar" inner.7z="$A/tree/both.7z"
mkarchive rar4 "$A/tree/both.rar" $both
# Chinese names: UTF-16 in 7-Zip, UTF-8 in pax and RAR 5.
for f in 7zip pax rar5; do
	mkarchive "$f" "$A/tree/zh-$f.a" "員工/名單.csv=$A/src/people.csv"
done
# Paths as tar -C dir . and tar -P write them.
mkarchive gnutar "$A/tree/dotted.tar" ./hr/card.txt="$A/src/card.txt" \
    /abs/people.csv="$A/src/people.csv" ./.hidden/card.txt="$A/src/card.txt"
mkarchive rar5 "$A/tree/both5.rar" $both
mkarchive ustar "$A/tree/withrar.tar" inner.rar="$A/tree/both.rar"
scan_dir "$A/tree"
is "$status" 1 "tar and streams: the scan finds values"
for format in ustar pax gnutar v7tar; do
	is "$(file_status "$format.a")" "tar|ok|" "$format: type tar, ok"
	is "$(findings "$format.a")" "$two_members" "$format: each member, the CSV's header kept"
done
for format in cpio odc; do
	is "$(file_status "$format.a")" "cpio|ok|" "$format cpio: type cpio, ok"
	is "$(findings "$format.a")" "$two_members" "$format cpio: each member"
done
for s in $streams; do
	filter=${s%:*} name=t-${s%:*}.tar.${s#*:}
	is "$(file_status "$name")" "$filter|ok|" "tar in $filter: type $filter, ok"
	is "$(findings "$name")" "$(printf '%s\n' "$two_members" | sed "s|^|t-$filter.tar/|")" \
	    "tar in $filter: the chain is the stream, then the member"
done
is "$(findings card.txt.xz)" "card.txt line 1 card high $masked_card" \
    "one file in xz: the member is its name without .xz"
is "$(findings people.csv.zst)" "people.csv line 2 hkid high $masked_hkid" \
    "one CSV in zstd: its header kept"
is "$(findings b.tbz2)" "$(printf '%s\n' "$two_members" | sed 's|^|b.tar/|')" \
    ".tbz2: the stream is named .tar"
is "$(file_status both.7z)" "7z|ok|" "7-Zip: type 7z, ok"
is "$(findings both.7z)" "$two_members" "7-Zip: each member, read from the file"
is "$(findings with7z.tar)" "$(printf '%s\n' "$two_members" | sed 's|^|inner.7z/|')" \
    "7-Zip in a tar: read from memory"
is "$(findings dotted.tar)" ".hidden/card.txt line 1 card high $masked_card
abs/people.csv line 2 hkid high $masked_hkid
hr/card.txt line 1 card high $masked_card" \
    "members named ./hr/... and /abs/...: the chain shows hr/... and abs/..."
for f in 7zip pax rar5; do
	is "$(findings "zh-$f.a")" "員工/名單.csv line 2 hkid high $masked_hkid" \
	    "$f: a Chinese member name, in UTF-8"
done
is "$(file_status both.rar)" "rar|ok|" "RAR 4: type rar, ok"
is "$(findings both.rar)" "$two_members" "RAR 4: each member"
is "$(file_status both5.rar)" "rar|ok|" "RAR 5: type rar, ok"
is "$(findings both5.rar)" "$two_members" "RAR 5: each member"
is "$(findings withrar.tar)" "$(printf '%s\n' "$two_members" | sed 's|^|inner.rar/|')" \
    "RAR in a tar: read from memory"

# --- damage ---------------------------------------------------------------
rm -f "$A"/tree/*
mkarchive ustar "$A/src/whole.tar" $both
size=$(stat -c %s "$A/src/whole.tar")
# The first member whole (header and one block), the second's header cut.
head -c 1200 "$A/src/whole.tar" > "$A/tree/cut.tar"
# The second member's header checksum garbled ('X' in its name).
cp "$A/src/whole.tar" "$A/tree/garbled.tar"
printf 'X' | dd of="$A/tree/garbled.tar" bs=1 seek=1026 conv=notrunc 2> /dev/null
# Only damaged headers: no member can be read (the first header's
# checksum is garbled; what follows is its data, and the second's header
# garbled too).
cp "$A/tree/garbled.tar" "$A/tree/empty-header.tar"
printf 'X' | dd of="$A/tree/empty-header.tar" bs=1 seek=2 conv=notrunc 2> /dev/null
# An xz stream cut in its second member (random, so that the cut falls in
# the middle of the stream).
head -c 600000 /dev/urandom | base64 > "$A/src/noise.txt"
mkarchive ustar+xz "$A/src/noisy.tar.xz" card.txt="$A/src/card.txt" noise.txt="$A/src/noise.txt"
head -c 300000 "$A/src/noisy.tar.xz" > "$A/tree/cut.tar.xz"
# A 7-Zip archive without its end, where its directory is.
mkarchive 7zip "$A/src/whole.7z" $both
head -c 100 "$A/src/whole.7z" > "$A/tree/cut.7z"
# A RAR cut in its second member's header.
mkarchive rar4 "$A/src/whole.rar" $both
head -c 95 "$A/src/whole.rar" > "$A/tree/cut.rar"
scan_dir "$A/tree"
is "$(file_status cut.tar)" "tar|partial|corrupt: Truncated tar archive" \
    "a tar cut in a header: partial, with libarchive's reason"
is "$(findings cut.tar)" "card.txt line 1 card high $masked_card" "... the members before it are read"
is "$(file_status garbled.tar)" "tar|partial|corrupt: Damaged tar archive" \
    "a header's checksum wrong: partial, the header skipped"
is "$(findings garbled.tar)" "card.txt line 1 card high $masked_card" "... the members before it are read"
is "$(file_status empty-header.tar)" "tar|error|corrupt: Unrecognized archive format" \
    "no header readable: error, corrupt"
case "$(file_status cut.tar.xz)" in "xz|partial|corrupt: "*) ok 0 "an xz stream cut short: partial, corrupt" ;;
*) ok 1 "an xz stream cut short: partial, corrupt"; file_status cut.tar.xz | sed 's/^/# /' ;; esac
is "$(findings cut.tar.xz)" "cut.tar/card.txt line 1 card high $masked_card" \
    "... the member before the cut is read"
case "$(file_status cut.7z)" in "7z|error|corrupt: "*) ok 0 "a 7-Zip archive cut short: error, corrupt" ;;
*) ok 1 "a 7-Zip archive cut short: error, corrupt"; file_status cut.7z | sed 's/^/# /' ;; esac
case "$(file_status cut.rar)" in "rar|partial|corrupt: "*) ok 0 "a RAR cut in a header: partial, corrupt" ;;
*) ok 1 "a RAR cut in a header: partial, corrupt"; file_status cut.rar | sed 's/^/# /' ;; esac
is "$(findings cut.rar)" "card.txt line 1 card high $masked_card" "... the member before it is read"
is "$([ "$size" -gt 2048 ] && echo ok)" ok "whole.tar holds two members ($size bytes)"

# --- 7-Zip archives made by 7-Zip, encrypted ones among them ------------
# tests/data/archive (p7zip, from `fixture card 4 16 85` and
# `fixture hkid A 86`; see tests/data/README).
rm -f "$A"/tree/*
cp "$TOP_SRCDIR"/tests/data/archive/*.7z "$A/tree/"
card85=$("$FIXTURE" card 4 16 85)
hkid86=$("$FIXTURE" hkid A 86)
masked85=$(printf '%s' "$card85" | sed 's/^\(......\).*\(....\)$/\1******\2/')
scan_dir "$A/tree"
is "$(file_status solid.7z)" "7z|ok|" "a solid LZMA2 archive by 7-Zip: ok"
is "$(findings solid.7z)" "card.txt line 1 card high $masked85
people.csv line 2 hkid high A******(${hkid86#???????})" "... each member"
is "$(file_status encrypted-data.7z)" "7z|partial|encrypted" "encrypted members: partial, encrypted"
is "$(findings encrypted-data.7z)" "" "... nothing guessed from them"
is "$(file_status encrypted-all.7z)" "7z|partial|encrypted" \
    "an encrypted directory too: partial, encrypted"
is "$(file_status mixed.7z)" "7z|partial|encrypted" "one member encrypted, one not: partial"
is "$(findings mixed.7z)" "card.txt line 1 card high $masked85" "... the other is read"

# --- limits ---------------------------------------------------------------
rm -f "$A"/tree/*
members=""
for i in 1 2 3 4 5; do members="$members c$i.txt=$A/src/card.txt"; done
mkarchive pax "$A/tree/many.tar" $members
# The card, then a hole of 300 MiB: a few KiB of archive.
mkarchive sparse "$A/tree/sparse.tar" holes.txt 300 "$A/src/card.txt"
mkarchive ustar+zstd "$A/tree/many.tar.zst" $members
# 20 tars, each in the next.
cp "$A/src/card.txt" "$A/src/level0"
for i in $(seq 1 20); do
	mkarchive ustar "$A/src/level$i" inner="$A/src/level$((i - 1))"
done
cp "$A/src/level20" "$A/tree/deep.tar"
# 16 MiB of one letter in a tar in gzip: the gzip reader's ratio limit
# cuts the tar short, and the limit is what is recorded, not the tar's
# truncation.
head -c 16777216 /dev/zero | tr '\0' a > "$A/src/letters.txt"
mkarchive ustar+gzip "$A/tree/letters.tar.gz" letters.txt="$A/src/letters.txt"
# The same letters in 7-Zip, then the card: the member's declared size
# counts against the ratio before it is read (skipping it in a solid
# block would decompress it all the same).
mkarchive 7zip "$A/tree/letters.7z" letters.txt="$A/src/letters.txt" card.txt="$A/src/card.txt"
mkarchive 7zip "$A/tree/many.7z" $members
mkarchive rar4 "$A/tree/many.rar" $members
scan_dir "$A/tree" --max-members 3 --max-expanded 100M
case "$(cat "$T/stderr")" in *"runlimit: peak RSS"*) ok 0 "hostile archives: bounded" ;;
*) ok 1 "hostile archives: bounded"; sed 's/^/# /' "$T/stderr" ;; esac
is "$(file_status many.tar)" "tar|partial|limit: members" "5 members, --max-members 3: partial"
is "$(findings many.tar | wc -l)" 3 "... the first 3 members scanned"
is "$(file_status many.tar.zst)" "zstd|partial|limit: members" "... inside zstd too"
is "$(file_status deep.tar)" "tar|partial|limit: depth" "20 tars deep: partial, limit: depth"
sparse_size=$(stat -c %s "$A/tree/sparse.tar")
is "$([ "$sparse_size" -lt 65536 ] && file_status sparse.tar)" "tar|partial|limit: ratio" \
    "a sparse member of 300 MiB in $sparse_size bytes: partial, limit: ratio"
mkarchive pax "$A/tree/noise.tar" noise.txt="$A/src/noise.txt" card.txt="$A/src/card.txt"
is "$(file_status letters.tar.gz)" "gzip|partial|limit: ratio" \
    "a tar in a gzip bomb: partial, limit: ratio"
letters_size=$(stat -c %s "$A/tree/letters.7z")
is "$([ "$letters_size" -lt 65536 ] && file_status letters.7z)" "7z|partial|limit: ratio" \
    "16 MiB of one letter in $letters_size bytes of 7-Zip: partial, limit: ratio"
is "$(findings letters.7z)" "" "... nothing read past it"
is "$(file_status many.7z)" "7z|partial|limit: members" "7-Zip, 5 members, --max-members 3: partial"
is "$(findings many.7z | wc -l)" 3 "... the first 3 members scanned"
is "$(file_status many.rar)" "rar|partial|limit: members" "RAR, 5 members, --max-members 3: partial"
scan_dir "$A/tree" --max-expanded 100K
is "$(file_status noise.tar)" "tar|partial|limit: expanded" "--max-expanded 100K: partial, limit: expanded"
scan_dir "$A/tree" --max-filesize 100
is "$(file_status many.7z)" "7z|partial|limit: filesize" \
    "--max-filesize 100: a 7-Zip archive over it is not opened"
is "$(file_status many.rar)" "rar|partial|limit: filesize" "... nor a RAR"
is "$(findings many.rar)" "" "... nothing read"

# No raw value in any inventory or output of these runs.
leak=0
for v in "$card" "$hkid" "${hkid%???}${hkid#???????}" "$card85" "$hkid86"; do
	if grep -a -q -F "$v" "$T"/*.db* "$T/stdout" "$T/stderr" "$T/export"; then
		leak=1
	fi
done
is "$leak" 0 "no raw value in the inventory, the export or the output"

done_testing

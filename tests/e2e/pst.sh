# pst.sh - Outlook stores (tests/data/mail/sample.pst, made by
# tests/pstgen with the values of make-pst.sh): every planted value found
# once under its folder and message, with place, type, confidence, mask
# and keyed hash; message counts; an .ost; a store inside a zip; an HTML
# body, labels without subject or date, CJK folder names, a Cc in the
# headers, an unnamed attachment, attached messages, a message libpff
# cannot read (stores made by tests/pstgen here); the members limit; damaged copies recorded with
# their cause, never a crash; no raw value anywhere.
. "$TOP_SRCDIR/tests/e2e/lib.sh"

S="$TOP_SRCDIR/tests/data/mail/sample.pst"
mkdir -p "$T/share" "$T/bad"
cp "$S" "$T/share/mail.pst"
# The values make-pst.sh planted (same seeds).
c1=$("$FIXTURE" card 4 16 201)
h1=$("$FIXTURE" hkid A 202)
h2=$("$FIXTURE" hkid B 203)
mc() { printf '%s******%s' "${1:0:6}" "${1: -4}"; }
mh() { printf '%s******(%s)' "${1%???????}" "${1#"${1%?}"}"; }
SHARE=$(cd "$T/share" && pwd -P)

# findings_in EXPORT ROOT: path member where type confidence masked hash,
# tab-separated, sorted.
findings_in() {
	sed -n "s|^{\"record\":\"finding\",\"path\":\"$2/\([^\"]*\)\",\"member\":\"\([^\"]*\)\",\"where\":\"\([^\"]*\)\",\"type\":\"\([^\"]*\)\",\"confidence\":\"\([^\"]*\)\",\"masked\":\"\([^\"]*\)\",\"value_hash\":\"\([^\"]*\)\"}\$|\1	\2	\3	\4	\5	\6	\7|p" "$1" |
		LC_ALL=C sort
}
# file_record EXPORT PATH: "type|status|error|messages|failed" of a file.
file_record() {
	sed -n "s|^{\"record\":\"file\",\"path\":\"$2\",.*\"type\":\"\([^\"]*\)\",\"status\":\"\([^\"]*\)\"\(,\"error\":\"\([^\"]*\)\"\)\{0,1\},\"findings\":[0-9]*\(,\"messages\":\([0-9]*\),\"messages_failed\":\([0-9]*\)\)\{0,1\}}\$|\1\|\2\|\4\|\6\|\7|p" "$1"
}

# --- the store, an .ost of it, the store in a zip --------------------
# An offline store differs in its client signature ("SO"), which both
# header checksums cover ([MS-PST] 2.2.2.6: CRC-32 from 0, no final
# inversion, over 471 and 516 bytes from offset 8); libpff reads both the
# same way.
ost=0
if command -v python3 > /dev/null 2>&1; then
	python3 - "$S" "$T/share/offline.ost" <<'PY' && ost=1
import struct, sys, zlib
d = bytearray(open(sys.argv[1], "rb").read())
d[8:10] = b"SO"
crc = lambda b: zlib.crc32(b, 0xFFFFFFFF) ^ 0xFFFFFFFF
struct.pack_into("<I", d, 4, crc(d[8:8 + 471]))
struct.pack_into("<I", d, 0x20C, crc(d[8:8 + 516]))
open(sys.argv[2], "wb").write(d)
PY
fi
"$DOCGEN" zip "$T/share/backup.zip" "2026/mail.pst=$S"

run_piiscan scan --db "$T/p.db" --key-file "$T/key" --no-progress "$T/share"
is "$status" 1 "pst: scan finds values"
is "$(cat "$T/stderr")" "" "pst: nothing on stderr"
"$PIISCAN" export --db "$T/p.db" --min-confidence low > "$T/export"

M1="Inbox/Card on file (2026-02-27T16:45:00Z)"
M2="Inbox/Payroll March (2026-03-01T09:00:00Z)"
M3="Inbox/Payroll/April payslips (2026-04-01T08:30:00Z)"
want_store() {   # want_store PATH PREFIX: the three findings of one store
	printf '%s\t%s%s\tline 3\tcard\thigh\t%s\n' "$1" "$2" "$M1" "$(mc "$c1")"
	printf '%s\t%s%s/staff.csv\tline 2\thkid\thigh\t%s\n' "$1" "$2" "$M2" "$(mh "$h1")"
	printf '%s\t%s%s\tline 2\thkid\thigh\t%s\n' "$1" "$2" "$M3" "$(mh "$h2")"
}
findings_in "$T/export" "$SHARE" | cut -f1-6 > "$T/got"
{
	want_store backup.zip "2026/mail.pst/"
	want_store mail.pst ""
	[ "$ost" = 0 ] || want_store offline.ost ""
} | LC_ALL=C sort > "$T/want"
same_file "$T/got" "$T/want" \
    "every value found once, under its folder, message and attachment"

is "$(file_record "$T/export" "$SHARE/mail.pst")" "pst|ok||3|0" \
    "the store: type pst, ok, 3 messages read, none failed"
if [ "$ost" = 1 ]; then
	is "$(file_record "$T/export" "$SHARE/offline.ost")" "ost|ok||3|0" \
	    "an offline store: type ost"
else
	skip "an offline store" "no python3 to make one"
fi
is "$(file_record "$T/export" "$SHARE/backup.zip")" "zip|ok||3|0" \
    "a store inside a zip is read from memory; its messages counted"

if [ -n "${OPENSSL:-}" ] && [ -x "$OPENSSL" ]; then
	findings_in "$T/export" "$SHARE" | grep '^mail.pst' | cut -f2,7 > "$T/got"
	{
		printf '%s\t%s\n' "$M1" "$(hmac_of card "$c1")"
		printf '%s/staff.csv\t%s\n' "$M2" "$(hmac_of hkid "${h1}")"
		printf '%s\t%s\n' "$M3" "$(hmac_of hkid "${h2}")"
	} | LC_ALL=C sort > "$T/want"
	same_file "$T/got" "$T/want" "value hashes are keyed HMACs of the values"
else
	skip "value hashes" "no openssl"
fi

# --- bodies in HTML, messages without subject or date, CJK names -----
c2=$("$FIXTURE" card 51 16 211)
h3=$("$FIXTURE" hkid C 212)
mkdir -p "$T/gen" "$T/parts"
printf '<html><body><p>Hello,</p>\n<p>Card number: %s</p></body></html>\n' "$c2" \
    > "$T/parts/b.html"
printf '%s\n' "請更新資料。" "身份證號碼 $(printf '%s(%s)' "${h3%?}" "${h3#"${h3%?}"}")" \
    > "$T/parts/zh.txt"
h5=$("$FIXTURE" hkid E 213)
# An RTF-only body (PR_RTF_COMPRESSED; libpff decompresses it), 8-bit
# text in the RTF code page.
printf '{\\rtf1\\ansi\\ansicpg1252{\\fonttbl\\f0 Arial;}\\f0 Caf\\'"'"'e9 note\\par Employee HKID: %s(%s)\\par}' \
    "${h5%?}" "${h5#"${h5%?}"}" > "$T/parts/b.rtf"
"$PSTGEN" "$T/gen/more.pst" \
    --folder Inbox --message "" - - --html "$T/parts/b.html" \
    --folder "人事部/2026" --message "個人資料" - "$T/parts/zh.txt" \
    --folder Inbox --message "RTF only" 2026-03-02T10:00:00Z - --rtf "$T/parts/b.rtf"
GEN=$(cd "$T/gen" && pwd -P)
run_piiscan scan --db "$T/g.db" --key-file "$T/key" --no-progress "$T/gen"
"$PIISCAN" export --db "$T/g.db" --min-confidence low > "$T/export"
findings_in "$T/export" "$GEN" | cut -f2-6 > "$T/got"
{
	printf 'Inbox/message 1\tline 2\tcard\thigh\t%s\n' "$(mc "$c2")"
	printf '人事部/2026/個人資料\tline 2\thkid\thigh\t%s\n' "$(mh "$h3")"
	printf 'Inbox/RTF only (2026-03-02T10:00:00Z)\tline 2\thkid\thigh\t%s\n' "$(mh "$h5")"
} | LC_ALL=C sort > "$T/want"
same_file "$T/got" "$T/want" \
    "an HTML body by line; an RTF-only body; labels without subject or date; CJK folder names"
is "$(file_record "$T/export" "$GEN/more.pst")" "pst|ok||3|0" "... 3 messages read"

# --- headers, unnamed attachments, attached messages, a broken message -
c3=$("$FIXTURE" card 4 16 222)
h4=$("$FIXTURE" hkid D 221)
printf 'Regards\n' > "$T/parts/plain.txt"
printf 'HKID %s\n' "$h4" > "$T/parts/hkid.txt"
mkdir -p "$T/gen2"
"$PSTGEN" "$T/gen2/nested.pst" \
    --message "Outer" 2026-05-01T10:00:00Z "$T/parts/plain.txt" \
        --cc "Chan $c3" --attach "" "$T/parts/hkid.txt" \
        --embed "Inner" 2026-05-02T10:00:00Z "$T/parts/hkid.txt" \
        --embed "" - "$T/parts/hkid.txt" --message-id "<abc@example.com>" \
    --message "Broken" - "$T/parts/hkid.txt" --corrupt \
    --message "Last" - "$T/parts/plain.txt"
GEN2=$(cd "$T/gen2" && pwd -P)
run_piiscan scan --db "$T/n.db" --key-file "$T/key" --no-progress "$T/gen2"
is "$(cat "$T/stderr")" "" "a store with a broken message: nothing on stderr"
"$PIISCAN" export --db "$T/n.db" --min-confidence low > "$T/export"
findings_in "$T/export" "$GEN2" | cut -f2-6 > "$T/got"
O="Inbox/Outer (2026-05-01T10:00:00Z)"
{
	printf '%s\theaders\tcard\tmedium\t%s\n' "$O" "$(mc "$c3")"
	printf '%s/attachment 1\tline 1\thkid\thigh\t%s\n' "$O" "$(mh "$h4")"
	printf '%s/Inner (2026-05-02T10:00:00Z)\tline 1\thkid\thigh\t%s\n' "$O" "$(mh "$h4")"
	printf '%s/Inner (2026-05-02T10:00:00Z)/<abc@example.com>\tline 1\thkid\thigh\t%s\n' \
	    "$O" "$(mh "$h4")"
} | LC_ALL=C sort > "$T/want"
same_file "$T/got" "$T/want" \
    "a Cc in headers; an unnamed attachment; messages attached two deep, one named by its Message-ID"
r=$(file_record "$T/export" "$GEN2/nested.pst")
case "$r" in
"pst|partial|corrupt: message 4: "*"|4|1")
	ok 0 "the broken message counted failed, the store partial: ${r#pst|partial|}" ;;
*)
	ok 1 "the broken message counted failed, the store partial"
	printf '#   got: %s\n' "$r" ;;
esac

# An attached message that cannot be read: numbered in the order begun
# (its parent is message 1, it is message 2).
mkdir -p "$T/gen3"
"$PSTGEN" "$T/gen3/badinner.pst" \
    --message "Top" - "$T/parts/plain.txt" \
        --embed "Bad" - "$T/parts/hkid.txt" --corrupt
GEN3=$(cd "$T/gen3" && pwd -P)
run_piiscan scan --db "$T/e.db" --key-file "$T/key" --no-progress "$T/gen3"
"$PIISCAN" export --db "$T/e.db" --min-confidence low > "$T/export"
r=$(file_record "$T/export" "$GEN3/badinner.pst")
case "$r" in
"pst|partial|corrupt: message 2: "*"|1|1")
	ok 0 "a broken attached message: message 2, counted failed" ;;
*)
	ok 1 "a broken attached message: message 2, counted failed"
	printf '#   got: %s\n' "$r" ;;
esac

# --- the members limit counts folders and messages --------------------
run_piiscan scan --db "$T/m.db" --key-file "$T/key" --no-progress \
    --max-members 2 "$T/share/mail.pst"
"$PIISCAN" export --db "$T/m.db" --min-confidence low > "$T/export"
is "$(file_record "$T/export" "$SHARE/mail.pst")" "pst|partial|limit: members|1|0" \
    "--max-members 2: Inbox and one message read, the store partial"
is "$(findings_in "$T/export" "$SHARE" | cut -f2)" "$M1" \
    "... the findings of that message only"

# --- damaged stores ---------------------------------------------------
size=$(wc -c < "$S")
head -c $((size / 2)) "$S" > "$T/bad/cut.pst"
head -c 600 "$S" > "$T/bad/header.pst"
# Bytes flipped all through the B-trees and the data after the header.
cp "$S" "$T/bad/flipped.pst"
off=4096
while [ "$off" -lt "$size" ]; do
	printf '\377\377\377\377\377\377\377\377' |
		dd of="$T/bad/flipped.pst" bs=1 seek="$off" conv=notrunc 2> /dev/null
	off=$((off + 1531))
done
BAD=$(cd "$T/bad" && pwd -P)
RUNLIMIT_VERBOSE=1 "$RUNLIMIT" 60 1024 "$PIISCAN" scan --db "$T/b.db" \
    --key-file "$T/key" --no-progress "$T/bad" > "$T/stdout" 2> "$T/stderr"
status=$?
ok "$([ "$status" -le 1 ]; echo $?)" "damaged stores: the scan finishes (exit $status)"
"$PIISCAN" export --db "$T/b.db" --min-confidence low > "$T/export"
for f in cut header flipped; do
	r=$(file_record "$T/export" "$BAD/$f.pst")
	case "$r" in
	pst\|partial\|corrupt:\ *|pst\|error\|corrupt:\ *)
		ok 0 "$f.pst: ${r#pst|}" ;;
	*)
		ok 1 "$f.pst: recorded as partial or error with a cause"
		printf '#   got: %s\n' "$r" ;;
	esac
done

# --- each message has the whole --max-expanded ---------------------------
# A store on disk is no bomb: three messages with 60 KB attachments under
# --max-expanded 100K are all read (more than 100K in all, the first 16 KiB
# of each, read to decide its type, aside); a 150 KB one reaches the limit alone
# (partial), and the message after it is read all the same.
mkdir -p "$T/gen4"
h6=$("$FIXTURE" hkid K 231)
for i in 1 2 3; do
	{ printf 'HKID %s\n' "$h6"; head -c 60000 /dev/zero | tr '\0' 'x'; printf '\n'; } \
	    > "$T/parts/big$i.txt"
done
{ head -c 150000 /dev/zero | tr '\0' 'y'; printf '\n'; } > "$T/parts/huge.txt"
"$PSTGEN" "$T/gen4/big.pst" \
    --message "One" 2026-04-01T08:00:00Z - --attach one.txt "$T/parts/big1.txt" \
    --message "Two" 2026-04-01T09:00:00Z - --attach two.txt "$T/parts/big2.txt" \
    --message "Three" 2026-04-01T10:00:00Z - --attach three.txt "$T/parts/big3.txt"
"$PSTGEN" "$T/gen4/huge.pst" \
    --message "Huge" 2026-04-02T08:00:00Z - --attach huge.txt "$T/parts/huge.txt" \
    --message "After" 2026-04-02T09:00:00Z - --attach after.txt "$T/parts/big1.txt"
GEN4=$(cd "$T/gen4" && pwd -P)
run_piiscan scan --db "$T/e.db" --key-file "$T/key" --no-progress --max-expanded 100K "$T/gen4"
"$PIISCAN" export --db "$T/e.db" > "$T/export"
is "$(file_record "$T/export" "$GEN4/big.pst")" "pst|ok||3|0" \
    "--max-expanded 100K: three messages of 60 KB each read whole"
is "$(findings_in "$T/export" "$GEN4" | awk -F'\t' '$1 == "big.pst" {print $2}' | LC_ALL=C sort | tr '\n' ' ')" \
    "Inbox/One (2026-04-01T08:00:00Z)/one.txt Inbox/Three (2026-04-01T10:00:00Z)/three.txt Inbox/Two (2026-04-01T09:00:00Z)/two.txt " \
    "... each attachment's HKID found"
is "$(file_record "$T/export" "$GEN4/huge.pst")" "pst|partial|limit: expanded|2|0" \
    "a 150 KB attachment reaches the limit alone: partial"
is "$(findings_in "$T/export" "$GEN4" | awk -F'\t' '$1 == "huge.pst" {print $2}')" \
    "Inbox/After (2026-04-02T09:00:00Z)/after.txt" "... and the message after it is read"

# --- nothing raw anywhere ---------------------------------------------
raw=0
for v in "$c1" "$c2" "$c3" "$h1" "$h2" "$h3" "$h4" "${h1%?}" "${h2%?}" "${h3%?}" "${h4%?}"; do
	for f in "$T/p.db" "$T/g.db" "$T/n.db" "$T/m.db" "$T/b.db" "$T/e.db" "$T/stdout" "$T/stderr"; do
		if grep -q -F -- "$v" "$f"; then
			raw=1
			echo "# raw value in ${f##*/}"
		fi
	done
done
is "$raw" 0 "no raw value in the inventories or the output"

done_testing

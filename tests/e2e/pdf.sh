# pdf.sh - PDF documents written by tests/pdfgen, and the encrypted ones
# of tests/data/pdf, scanned through the PDF helper: every planted value
# found once with its place, type, confidence, mask and keyed hash (read
# from the inventory with sqlite3); a number wrapped inside a paragraph is
# found, one split by a paragraph gap is not; tables cell by cell with
# their column headers as context; form fields with their name as context; metadata; a PDF inside a zip.  Then helpers that hang, die,
# talk nonsense or are missing, each recorded with its reason while the
# scan goes on; the descriptors a helper inherits; and no raw value
# anywhere.
. "$TOP_SRCDIR/tests/e2e/lib.sh"

: "${PDFGEN:?run through make check}"
: "${PIISCAN_PDF_HELPER:?run through make check}"
REAL_HELPER=$PIISCAN_PDF_HELPER
if [ -z "${SQLITE3:-}" ] || [ ! -x "$SQLITE3" ]; then
	echo "1..0 # SKIP sqlite3 not installed"
	exit 0
fi

c1=$("$FIXTURE" card 4 16 91)
c2=$("$FIXTURE" card 5 16 92)
c3=$("$FIXTURE" card 4 16 93)
c4=$("$FIXTURE" card 37 15 94)
h1=$("$FIXTURE" hkid A 95)
h2=$("$FIXTURE" hkid CA 96)
h3=$("$FIXTURE" hkid Z 97)
h4=$("$FIXTURE" hkid K 98)
h5=$("$FIXTURE" hkid M 99)
# The values in tests/data/pdf (tests/data/README).
e1=$("$FIXTURE" card 4 16 81)
e2=$("$FIXTURE" hkid A 82)
mc() {   # first six and last four digits shown
	local stars=""
	while [ "${#stars}" -lt $(( ${#1} - 10 )) ]; do stars="$stars*"; done
	printf '%s%s%s' "${1:0:6}" "$stars" "${1: -4}"
}
mh() { printf '%s******(%s)' "${1%???????}" "${1#"${1%?}"}"; }
br() { printf '%s(%s)' "${1%?}" "${1#"${1%?}"}"; }   # A1234563 -> A123456(3)

S="$T/share"
mkdir -p "$S" "$T/parts"
# A CV: a card wrapped to the next line of its paragraph; a number split
# by a paragraph gap (not a card); a card in kerned pieces of one TJ; a
# Chinese keyword; a bracketless HKID with no context.
"$PDFGEN" "$S/cv.pdf" <<EOF
Curriculum vitae
Applicant Chan Tai Man, paid by credit card ${c1:0:4} ${c1:4:4}
${c1:8:4} ${c1:12:4} last month.
@gap
Reference number ${c2:0:4} ${c2:4:4} ${c2:8:4}
@gap
${c2:12:4} is not part of it.
@gap
Visa ${c3:0:6}{k}${c3:6:5}{k}${c3:11}
@page
@wide 身份證號碼 $(br "$h1")
@page
Note $h2
EOF
# Tables, each cell a unit with its column's first cell as context:
# bracketless HKIDs under an HKID header (high, in the last row of a
# 40-row table too), a card broken inside its narrow cell, and a
# spreadsheet's clipped cells glued to the next ("Cheung WaA1234563");
# prose beside them as before (a bracketless HKID with no context, low).
t1=$("$FIXTURE" hkid B 101)
t2=$("$FIXTURE" card 4 16 102)
t3=$("$FIXTURE" hkid C 103)
t4=$("$FIXTURE" card 51 16 104)
t5=$("$FIXTURE" hkid D 105)
t6=$("$FIXTURE" hkid E 106)
t7=$("$FIXTURE" hkid G 107)
t8=$("$FIXTURE" hkid H 108)
t9=$("$FIXTURE" hkid K 109)
{
	echo "Staff list"
	echo "@gap"
	printf '@cells 72 Name\t145 HKID\t205 Card number\n'
	printf '@cells 72 Chan Tai Man\t145 %s\t205 %s\n' "$t1" "${t2:0:12}"
	printf '@cells 205 %s\n' "${t2:12}"
	printf '@cells 72 Lee Ka Yan\t145 %s\t205 %s\n' "$t3" "${t4:0:12}"
	printf '@cells 205 %s\n' "${t4:12}"
	printf '@cells 72 Ho Mei Ling\t145 -\t205 -\n'
	echo "@gap"
	echo "Note $t5 was filed."
	echo "@page"
	printf '@cells 72 Name\t172 HKID\t272 Ref\n'
	for i in $(seq 1 40); do
		case $i in 1) h=$t7 ;; 40) h=$t6 ;; *) h=- ;; esac
		printf '@cells 72 Person %d\t172 %s\t272 R-%03d\n' "$i" "$h" "$i"
	done
	echo "@page"
	# "Cheung Wa" in 11-point Helvetica is 58.08 points wide: the next
	# column starts where it ends.
	printf '@cells 55 Name\t113.08 HKID\t200 Amount\n'
	printf '@cells 55 Chan\t113.08 %s\t200 12.50\n' "$t9"
	printf '@cells 55 Cheung Wa\t113.08 %s\t200 7.25\n' "$t8"
	printf '@cells 55 Lee\t113.08 -\t200 3.00\n'
	printf '@cells 55 Cheung Wa\t113.08 -\t200 1.00\n'
} | "$PDFGEN" "$S/table.pdf"
# A form: fields named HKID and Remarks, one whose name holds a long
# number, and a value in the document information.
printf '%s\n' "@info Title Application form" "@info Subject Reference $c4" \
    "Application for employment" \
    "@field HKID	Identity card number	$h3" \
    "@field Remarks		$h4" \
    "@field Ref 12345678		$(br "$h5")" | "$PDFGEN" "$S/form.pdf"
cp "$S/form.pdf" "$T/parts/form.pdf"
"$DOCGEN" zip "$S/bundle.zip" "forms/form.pdf=$T/parts/form.pdf"
cp "$TOP_SRCDIR"/tests/data/pdf/*.pdf "$S/"
printf '%%PDF-1.4\ngarbage\n%%%%EOF\n' > "$S/corrupt.pdf"
SHARE=$(cd "$S" && pwd -P)

run_piiscan scan --db "$T/p.db" --key-file "$T/key" --no-progress "$S"
is "$status" 1 "scan finds values"
is "$(cat "$T/stderr" | grep -v 'corrupt.pdf: corrupt: the document cannot be opened')" "" \
    "nothing on stderr but the corrupt file"

# path, member, where, type, confidence, masked, value_hash
findings() {   # findings DB
	"$SQLITE3" -separator '	' "$1" "SELECT substr(CAST(f.path AS TEXT), length('$SHARE') + 2),
	    CAST(x.member AS TEXT), x.location, x.type,
	    CASE x.confidence WHEN 3 THEN 'high' WHEN 2 THEN 'medium' ELSE 'low' END,
	    x.masked, x.value_hash FROM findings x JOIN files f ON f.id = x.file_id" |
		LC_ALL=C sort
}
row() {   # row PATH MEMBER WHERE TYPE CONFIDENCE VALUE
	local masked
	if [ "$4" = card ]; then masked=$(mc "$6"); else masked=$(mh "$6"); fi
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "$5" "$masked" \
	    "$(hmac_of "$4" "$6")"
}
findings "$T/p.db" > "$T/got"
{
	row cv.pdf "" "page 1" card high "$c1"
	row cv.pdf "" "page 1" card high "$c3"
	row cv.pdf "" "page 2" hkid high "$h1"
	row cv.pdf "" "page 3" hkid low "$h2"
	row form.pdf "" "metadata" card medium "$c4"
	row form.pdf "" "page 1 field HKID" hkid high "$h3"
	row form.pdf "" "page 1 field Remarks" hkid low "$h4"
	row form.pdf "" "page 1 field Ref ########" hkid medium "$h5"
	row bundle.zip "forms/form.pdf" "metadata" card medium "$c4"
	row bundle.zip "forms/form.pdf" "page 1 field HKID" hkid high "$h3"
	row bundle.zip "forms/form.pdf" "page 1 field Remarks" hkid low "$h4"
	row bundle.zip "forms/form.pdf" "page 1 field Ref ########" hkid medium "$h5"
	row table.pdf "" "page 1" hkid high "$t1"
	row table.pdf "" "page 1" card high "$t2"
	row table.pdf "" "page 1" hkid high "$t3"
	row table.pdf "" "page 1" card high "$t4"
	row table.pdf "" "page 1" hkid low "$t5"
	row table.pdf "" "page 2" hkid high "$t6"
	row table.pdf "" "page 2" hkid high "$t7"
	row table.pdf "" "page 3" hkid high "$t8"
	row table.pdf "" "page 3" hkid high "$t9"
	row aes128-no-user-password.pdf "" "page 1" card high "$e1"
	row aes128-no-user-password.pdf "" "page 1" hkid high "$e2"
	row rc4-no-user-password.pdf "" "page 1" card high "$e1"
	row rc4-no-user-password.pdf "" "page 1" hkid high "$e2"
} | LC_ALL=C sort > "$T/want"
same_file "$T/got" "$T/want" \
    "every value found once: place, type, confidence, mask, keyed hash; none from a paragraph gap"

statuses() {   # statuses DB: name|type|status|error, sorted
	"$SQLITE3" "$1" "SELECT substr(CAST(path AS TEXT), length('$SHARE') + 2) || '|'
	    || type || '|' || status || '|' || coalesce(error, '') FROM files" | LC_ALL=C sort
}
statuses "$T/p.db" > "$T/got"
LC_ALL=C sort > "$T/want" <<'EOF'
aes128-no-user-password.pdf|pdf|ok|
aes256-user-password.pdf|pdf|partial|encrypted
bundle.zip|zip|ok|
corrupt.pdf|pdf|error|corrupt: the document cannot be opened
cv.pdf|pdf|ok|
form.pdf|pdf|ok|
rc4-no-user-password.pdf|pdf|ok|
table.pdf|pdf|ok|
EOF
same_file "$T/got" "$T/want" "statuses: read, encrypted with a password, corrupt"

# --- helpers that misbehave -------------------------------------------

# frames FILE WHERE TEXT: a unit as the helper writes it, into FILE.
frames() {
	local len=$(( ${#2} + 1 )) tlen=${#3}
	printf "B\\$(printf '%03o' "$len")\\000\\000\\000%s\\000" "$2" > "$1"
	printf "T\\$(printf '%03o' "$tlen")\\000\\000\\000%s" "$3" >> "$1"
	printf 'E\000\000\000\000' >> "$1"
}
c5=$("$FIXTURE" card 4 16 100)
frames "$T/unit" "page 1" "card number $c5"
helper() {   # helper NAME BODY: an executable script $T/NAME
	printf '#!/bin/sh\n%s\n' "$2" > "$T/$1"
	chmod 755 "$T/$1"
}
helper hang 'exec sleep 30'
helper hang-after-text "cat '$T/unit'; exec sleep 30"
helper crash 'kill -SEGV $$'
helper crash-after-text "cat '$T/unit'; kill -SEGV \$\$"
helper junk 'echo hello'
helper exit3 "cat '$T/unit'; exit 3"
mkdir -p "$T/one"
cp "$S/cv.pdf" "$T/one/cv.pdf"
printf 'card number %s\n' "$c5" > "$T/one/note.txt"
ONE=$(cd "$T/one" && pwd -P)
check_helper() {   # check_helper HELPER WANT-STATUS|ERROR WANT-FINDINGS DESCRIPTION [ARGS]
	local name=$1 want=$2 nfind=$3 what=$4 started ended
	shift 4
	rm -f "$T/h.db"
	started=$(date +%s)
	PIISCAN_PDF_HELPER="$T/$name" "$RUNLIMIT" 60 1024 "$PIISCAN" scan \
	    --db "$T/h.db" --key-file "$T/key" --no-progress "$@" "$ONE" \
	    > "$T/h.out" 2> "$T/h.err"
	ended=$(date +%s)
	is "$("$SQLITE3" "$T/h.db" "SELECT status || '|' || error FROM files
	    WHERE CAST(path AS TEXT) = '$ONE/cv.pdf'")" "$want" "$what"
	is "$("$SQLITE3" "$T/h.db" "SELECT count(*) FROM findings x JOIN files f
	    ON f.id = x.file_id WHERE CAST(f.path AS TEXT) = '$ONE/cv.pdf'")" "$nfind" \
	    "$what: $nfind finding(s) from what it wrote"
	is "$("$SQLITE3" "$T/h.db" "SELECT status || ' ' || findings FROM files
	    WHERE CAST(path AS TEXT) = '$ONE/note.txt'")" "ok 1" "$what: the scan goes on"
	ok "$([ $((ended - started)) -lt 20 ]; echo $?)" "$what: in $((ended - started)) s"
}
check_helper hang "error|limit: pdf time" 0 "a helper that hangs: killed at --max-pdf-time" \
    --max-pdf-time 1
check_helper hang-after-text "partial|limit: pdf time" 1 \
    "a helper that hangs after some text: partial" --max-pdf-time 1
check_helper crash "error|pdf helper: killed by signal 11" 0 "a helper that crashes"
check_helper crash-after-text "partial|pdf helper: killed by signal 11" 1 \
    "a helper that crashes after some text: partial"
check_helper junk "error|pdf helper: bad output: an unknown frame" 0 \
    "a helper that writes nonsense"
check_helper exit3 "partial|pdf helper: exit status 3" 1 "a helper that exits early"
check_helper missing "error|pdf helper: $T/missing: No such file or directory" 0 \
    "no helper: an error that names it"
is "$(grep -c "$c5" "$T/h.out" "$T/h.err" | awk -F: '{ s += $2 } END { print s }')" 0 \
    "no value printed"

# What a helper inherits: standard input (the document, or a memfd),
# output (a pipe) and error (/dev/null); nothing of the scanner's own.
helper fds "ls -l /proc/\$\$/fd | sed -n 's/.* -> //p' > '$T/fds.'\$\$; exec '$REAL_HELPER' \"\$@\""
PIISCAN_PDF_HELPER="$T/fds" run_piiscan scan --db "$T/fd.db" --key-file "$T/key" \
    --no-progress -j 2 "$S"
is "$status" 1 "through a wrapper that lists its descriptors: same result"
is "$(ls "$T"/fds.* | wc -l)" 8 "... 8 helpers (7 files, one member)"
TP=$(cd "$T" && pwd -P)
cat "$T"/fds.* | grep -v -e "^$SHARE/[a-z0-9-]*\.pdf\$" -e '^/memfd:piiscan-pdf' \
    -e '^pipe:' -e '^/dev/null$' -e "^$TP/fds\$" | sort -u > "$T/fds.other"
is "$(cat "$T/fds.other")" "" "a helper inherits no descriptor of the scanner's"

# The helper's output counts against --max-expanded.
rm -f "$T/h.db"
run_piiscan scan --db "$T/h.db" --key-file "$T/key" --no-progress --max-expanded 100 \
    "$ONE/cv.pdf"
is "$("$SQLITE3" "$T/h.db" "SELECT status || '|' || error FROM files")" \
    "partial|limit: expanded" "output past --max-expanded: killed, partial"

# Options.
run_piiscan scan --db "$T/x.db" --key-file "$T/key" --max-pdf-time 0 "$S"
is "$status" 2 "--max-pdf-time 0 is refused"
run_piiscan scan --db "$T/x.db" --key-file "$T/key" --max-pdf-memory 1M "$S"
is "$status" 2 "--max-pdf-memory below 64M is refused"

leaked=0
"$PIISCAN" export --db "$T/p.db" --min-confidence low > "$T/export"
for v in "$c1" "$c2" "$c3" "$c4" "$c5" "$h1" "$h2" "$h3" "$h4" "$h5" "$e1" "$e2" \
    "$t1" "$t2" "$t3" "$t4" "$t5" "$t6" "$t7" "$t8" "$t9" "${t2:0:12}" "${t4:0:12}" \
    "${h1%?}" "${h5%?}" "${c1:12:4} last"; do
	grep -a -q -- "$v" "$T/stdout" "$T/stderr" "$T/export" "$T/p.db" && leaked=$((leaked + 1))
done
is "$leaked" 0 "no planted value in the output, the export or the inventory"

done_testing

# documents.sh - real documents made by tests/docgen, scanned by the
# binary: every planted value found with its member and place, once.
. "$TOP_SRCDIR/tests/e2e/lib.sh"

D="$T/docs"
mkdir -p "$D/share" "$D/parts"
c1=$("$FIXTURE" card 4 16 41)
c2=$("$FIXTURE" card 51 16 42)
c3=$("$FIXTURE" card 37 15 43)
h1=$("$FIXTURE" hkid A 44)
h2=$("$FIXTURE" hkid CA 45)
h3=$("$FIXTURE" hkid Z 46)
mc() {   # first six and last four digits shown
	local stars=""
	while [ "${#stars}" -lt $(( ${#1} - 10 )) ]; do stars="$stars*"; done
	printf '%s%s%s' "${1:0:6}" "$stars" "${1: -4}"
}
mh() { printf '%s******(%s)' "${1%???????}" "${1#"${1%?}"}"; }
br() { printf '%s(%s)' "${1%?}" "${1#"${1%?}"}"; }   # A1234563 -> A123456(3)
sp() { printf '%s %s %s %s' "${1:0:4}" "${1:4:4}" "${1:8:4}" "${1:12:4}"; }

# Word: a card split across runs, an HKID table, a header.
printf '%s\n' "Payroll memo" "Paid to ${c1:0:6}{r}${c1:6:5}{r}${c1:11}" \
    "|Name|HKID No|" "|Chan|$h1|" "@header Staff ${c2}" |
	"$DOCGEN" docx "$D/share/memo.docx"
# Excel: a card stored as a number, an HKID under its header.
printf 'Staff\tA1\ts\tName\nStaff\tB1\ts\tHKID\nStaff\tA2\ts\tLee\nStaff\tB2\ts\t%s\nPay\tC3\tn\t%s\n' \
    "$h2" "$c3" | "$DOCGEN" xlsx "$D/share/staff.xlsx"
# PowerPoint: a value on slide 2 and in its notes.
printf '1\tIntro\n2\tHKID %s\n2\t@notes ref %s\n' "$(br "$h3")" "$c1" |
	"$DOCGEN" pptx "$D/share/deck.pptx"
# OpenDocument text and sheet.
printf '%s\n' "Letter" "Card {r}$(sp "$c2")" | "$DOCGEN" odt "$D/share/letter.odt"
printf 'Sheet1\tA1\ts\tHKID\nSheet1\tA2\ts\t%s\n' "$h1" | "$DOCGEN" ods "$D/share/list.ods"
# A zip holding a docx holding a value.
printf '%s\n' "Visa $c3" | "$DOCGEN" docx "$D/parts/inner.docx"
"$DOCGEN" zip "$D/share/bundle.zip" "2019/inner.docx=$D/parts/inner.docx"
# UTF-16 and Big5 text, and a gzip.
printf 'line one\r\ncredit card %s\r\n' "$c2" | iconv -f utf-8 -t utf-16 > "$D/share/u16.txt"
printf '姓名: 陳大文\n身份證號碼: %s\n' "$h2" | iconv -f utf-8 -t big5 > "$D/share/big5.txt"
printf 'x\ncard %s\n' "$c1" | gzip -c > "$D/share/note.txt.gz"

run_piiscan scan --db "$T/d.db" --key-file "$T/key" --no-progress "$D/share"
is "$status" 1 "documents: scan finds values"
"$PIISCAN" export --db "$T/d.db" --min-confidence low > "$T/export"
sed -n "s|^{\"record\":\"finding\",\"path\":\"$D/share/\([^\"]*\)\",\"member\":\"\([^\"]*\)\",\"where\":\"\([^\"]*\)\",\"type\":\"\([^\"]*\)\",\"confidence\":\"\([^\"]*\)\",\"masked\":\"\([^\"]*\)\".*|\1 [\2] \3 \4 \5 \6|p" \
    "$T/export" | LC_ALL=C sort > "$T/got"
LC_ALL=C sort > "$T/want" <<WANT
big5.txt [] line 2 hkid high $(mh "$h2")
bundle.zip [2019/inner.docx] paragraph 1 card high $(mc "$c3")
deck.pptx [] slide 2 hkid high $(mh "$h3")
deck.pptx [] slide 2 notes card medium $(mc "$c1")
letter.odt [] paragraph 2 card high $(mc "$c2")
list.ods [] Sheet1!A2 hkid high $(mh "$h1")
memo.docx [] header paragraph 1 card medium $(mc "$c2")
memo.docx [] paragraph 2 card medium $(mc "$c1")
memo.docx [] paragraph 6 hkid high $(mh "$h1")
note.txt.gz [note.txt] line 2 card high $(mc "$c1")
staff.xlsx [] Pay!C3 card medium $(mc "$c3")
staff.xlsx [] Staff!B2 hkid high $(mh "$h2")
u16.txt [] line 2 card high $(mc "$c2")
WANT
same_file "$T/got" "$T/want" \
    "every value found once, with member, place, type, confidence and mask"
is "$(grep -c '"record":"file",.*"status":"ok"' "$T/export")" 9 "every document: status ok"
grep '"record":"file"' "$T/export" | grep -v '"status":"ok"' | sed 's/^/# /'
for t in docx xlsx pptx odt ods zip gzip; do
	is "$(grep -c "\"record\":\"file\",.*\"type\":\"$t\"" "$T/export")" 1 \
	    "type $t recorded"
done
is "$(cat "$T/stderr")" "" "nothing on stderr"

done_testing

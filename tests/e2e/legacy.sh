# legacy.sh - legacy Office files made by LibreOffice (tests/data/legacy,
# see its README) scanned by the binary: every planted value found once,
# with its place, confidence, mask and keyed hash; the file types; a .doc
# inside a zip; a cut .doc and a compound file of another kind read for
# text runs; and no raw value in the inventory or the output.
. "$TOP_SRCDIR/tests/e2e/lib.sh"

L="$TOP_SRCDIR/tests/data/legacy"
mkdir -p "$T/share" "$T/parts"
cp "$L/memo.doc" "$L/tables.doc" "$L/staff.xls" "$L/deck.ppt" "$T/share/"
# The values make-fixtures.sh planted (same seeds).  In tables.doc,
# bracketless HKIDs are high under their HKID column and low under
# another; its empty cells count as paragraphs, as in docx (paragraph 1
# is its title, 2-4 the header row, 5-13 the cells below, 14 after).
c1=$("$FIXTURE" card 4 16 91); c2=$("$FIXTURE" card 51 16 92); c3=$("$FIXTURE" card 37 15 93)
c4=$("$FIXTURE" card 4 16 94); c5=$("$FIXTURE" card 55 16 95); c6=$("$FIXTURE" card 4 16 96)
h1=$("$FIXTURE" hkid A 91); h2=$("$FIXTURE" hkid CA 92); h3=$("$FIXTURE" hkid Z 93)
h4=$("$FIXTURE" hkid K 94); h5=$("$FIXTURE" hkid B 95)
h6=$("$FIXTURE" hkid E 97); h7=$("$FIXTURE" hkid M 98); h8=$("$FIXTURE" hkid P 99)
h9=$("$FIXTURE" hkid R 90)
mc() {   # first six and last four digits shown
	local stars=""
	while [ "${#stars}" -lt $(( ${#1} - 10 )) ]; do stars="$stars*"; done
	printf '%s%s%s' "${1:0:6}" "$stars" "${1: -4}"
}
mh() { printf '%s******(%s)' "${1%???????}" "${1#"${1%?}"}"; }

# A workbook inside a zip; an Outlook message of one UTF-16 body stream
# (read as a message: msg.sh has the rest); a compound file of another
# kind (read for text runs).
"$DOCGEN" zip "$T/share/old.zip" "2009/staff.xls=$L/staff.xls"
printf 'Staff HKID %s(%s)\n' "${h3%?}" "${h3#"${h3%?}"}" | iconv -f utf-8 -t utf-16le \
    > "$T/parts/body"
head -c 32 /dev/zero > "$T/parts/props"
"$OLEGEN" make "$T/share/mail.msg" "__substg1.0_1000001F=$T/parts/body" \
    "__properties_version1.0=$T/parts/props"
"$OLEGEN" make "$T/share/drawing.vsd" "VisioDocument=$T/parts/body"
SHARE=$(cd "$T/share" && pwd -P)

run_piiscan scan --db "$T/l.db" --key-file "$T/key" --no-progress "$T/share"
is "$status" 1 "legacy: scan finds values"
is "$(cat "$T/stderr")" "" "legacy: nothing on stderr"
"$PIISCAN" export --db "$T/l.db" --min-confidence low > "$T/export"
findings_of "$T/export" "$SHARE" | cut -f1-5 > "$T/got"
LC_ALL=C sort > "$T/want" <<WANT
deck.ppt	slide 2	hkid	high	$(mh "$h5")
deck.ppt	slide 2 notes	card	medium	$(mc "$c6")
drawing.vsd	VisioDocument	hkid	high	$(mh "$h3")
mail.msg	line 1	hkid	high	$(mh "$h3")
memo.doc	header paragraph 1	card	medium	$(mc "$c3")
memo.doc	paragraph 2	card	high	$(mc "$c1")
memo.doc	paragraph 3	card	medium	$(mc "$c2")
memo.doc	paragraph 7	hkid	high	$(mh "$h1")
memo.doc	paragraph 8	hkid	high	$(mh "$h2")
memo.doc	paragraph 9	hkid	medium	$(mh "$h3")
old.zip	Pay!C1	card	medium	$(mc "$c5")
old.zip	Staff!B2	hkid	high	$(mh "$h4")
old.zip	Staff!C2	card	high	$(mc "$c4")
staff.xls	Pay!C1	card	medium	$(mc "$c5")
staff.xls	Staff!B2	hkid	high	$(mh "$h4")
staff.xls	Staff!C2	card	high	$(mc "$c4")
tables.doc	paragraph 10	hkid	low	$(mh "$h7")
tables.doc	paragraph 12	hkid	high	$(mh "$h8")
tables.doc	paragraph 14	hkid	medium	$(mh "$h9")
tables.doc	paragraph 6	hkid	high	$(mh "$h6")
WANT
same_file "$T/got" "$T/want" \
    "every value found once, with place, type, confidence and mask"
is "$(grep -c '"member":"2009/staff.xls"' "$T/export")" 3 \
    "a workbook in a zip: its findings name the member"

if [ -n "${OPENSSL:-}" ] && [ -x "$OPENSSL" ]; then
	findings_of "$T/export" "$SHARE" | grep -v -e '^old.zip' -e '^tables.doc' |
		cut -f2,6 |
		LC_ALL=C sort > "$T/got"
	{
		printf 'Pay!C1\t%s\n' "$(hmac_of card "$c5")"
		printf 'Staff!B2\t%s\n' "$(hmac_of hkid "$h4")"
		printf 'Staff!C2\t%s\n' "$(hmac_of card "$c4")"
		printf 'VisioDocument\t%s\n' "$(hmac_of hkid "$h3")"
		printf 'line 1\t%s\n' "$(hmac_of hkid "$h3")"
		printf 'header paragraph 1\t%s\n' "$(hmac_of card "$c3")"
		printf 'paragraph 2\t%s\n' "$(hmac_of card "$c1")"
		printf 'paragraph 3\t%s\n' "$(hmac_of card "$c2")"
		printf 'paragraph 7\t%s\n' "$(hmac_of hkid "$h1")"
		printf 'paragraph 8\t%s\n' "$(hmac_of hkid "$h2")"
		printf 'paragraph 9\t%s\n' "$(hmac_of hkid "$h3")"
		printf 'slide 2\t%s\n' "$(hmac_of hkid "$h5")"
		printf 'slide 2 notes\t%s\n' "$(hmac_of card "$c6")"
	} | LC_ALL=C sort > "$T/want"
	same_file "$T/got" "$T/want" \
	    "value_hash: a card stored as a number hashes as its digits"
	findings_of "$T/export" "$SHARE" | grep '^tables.doc' | cut -f2,6 |
		LC_ALL=C sort > "$T/got"
	{
		printf 'paragraph 10\t%s\n' "$(hmac_of hkid "$h7")"
		printf 'paragraph 12\t%s\n' "$(hmac_of hkid "$h8")"
		printf 'paragraph 14\t%s\n' "$(hmac_of hkid "$h9")"
		printf 'paragraph 6\t%s\n' "$(hmac_of hkid "$h6")"
	} | LC_ALL=C sort > "$T/want"
	same_file "$T/got" "$T/want" "value_hash: the tables.doc values at their places"
else
	skip "value_hash of legacy Office values" "openssl not installed"
	skip "value_hash of the tables.doc values" "openssl not installed"
fi

for t in doc:memo.doc doc:tables.doc xls:staff.xls ppt:deck.ppt msg:mail.msg ole:drawing.vsd zip:old.zip; do
	is "$(grep -c "\"record\":\"file\",\"path\":\"$SHARE/${t#*:}\",.*\"type\":\"${t%%:*}\",\"status\":\"ok\"" \
	    "$T/export")" 1 "${t#*:}: type ${t%%:*}, status ok"
done

# A .doc cut in the middle: read as far as it goes, never an error.
head -c 6000 "$L/memo.doc" > "$T/share/cut.doc"
run_piiscan scan --db "$T/l.db" --key-file "$T/key" --no-progress "$T/share"
"$PIISCAN" export --db "$T/l.db" --min-confidence low > "$T/export2"
grep "\"path\":\"$SHARE/cut.doc\"" "$T/export2" | grep '"record":"file"' > "$T/cut"
ok "$(grep -c '"status":"partial"' "$T/cut" | grep -qx 1; echo $?)" \
    "cut .doc: partial ($(sed -n 's/.*"status":"\([^"]*\)".*"error":"\([^"]*\)".*/\1 \2/p' "$T/cut"))"
is "$(cat "$T/stderr")" "" "cut .doc: nothing on stderr"

# No raw value anywhere: the database (and its WAL), the exports, output.
leak=0
for v in "$c1" "$c2" "$c3" "$c4" "$c5" "$c6" "$h1" "$h2" "$h3" "$h4" "$h5" \
    "$h6" "$h7" "$h8" "$h9"; do
	if grep -a -q -F "$v" "$T"/l.db* "$T/export" "$T/export2" "$T/stdout" "$T/stderr"; then
		leak=1
	fi
done
is "$leak" 0 "no raw value in the inventory, the export or the output"

done_testing

#!/bin/bash
# make-fixtures.sh - remake memo.doc, tables.doc, staff.xls and deck.ppt,
# the legacy Office fixtures of tests/e2e/legacy.sh, with LibreOffice
# (soffice, which make check does not need): documents written by
# tests/docgen (and one flat ODS spreadsheet written here, for its
# formulas) converted to the binary formats.  The values are synthetic,
# made by tests/fixture with the seeds legacy.sh uses to compute what
# must be found.
#
# usage: tests/data/legacy/make-fixtures.sh BUILDDIR   (where tests/fixture is)
set -eu
B=$(cd "${1:?usage: make-fixtures.sh BUILDDIR}" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
F="$B/tests/fixture"
c1=$("$F" card 4 16 91); c2=$("$F" card 51 16 92); c3=$("$F" card 37 15 93)
c4=$("$F" card 4 16 94); c5=$("$F" card 55 16 95); c6=$("$F" card 4 16 96)
h1=$("$F" hkid A 91); h2=$("$F" hkid CA 92); h3=$("$F" hkid Z 93)
h4=$("$F" hkid K 94); h5=$("$F" hkid B 95)
h6=$("$F" hkid E 97); h7=$("$F" hkid M 98); h8=$("$F" hkid P 99); h9=$("$F" hkid R 90)
br() { printf '%s(%s)' "${1%?}" "${1#"${1%?}"}"; }   # A1234563 -> A123456(3)

# Word: a card split across runs after its keyword, a card without one, an
# HKID table, a Chinese keyword (a UTF-16 piece), a header.
printf '%s\n' "Legacy memo" "Card number: ${c1:0:7}{r}${c1:7}" "Reference $c2" \
    "|Name|HKID|" "|Chan|$h1|" "身份證號碼 $(br "$h2")" "Visitor $(br "$h3")" \
    "@header Staff $c3" | "$B/tests/docgen" docx "$W/memo.docx"

# Word tables: bracketless HKIDs under an HKID column and under another
# one, empty cells (one right after another cell), text after the table.
printf '%s\n' "Staff list" "|Name|HKID|Note|" "|Chan|$h6||" "|Lee||$h7|" \
    "|Ho|$h8|x|" "After $(br "$h9")" | "$B/tests/docgen" docx "$W/tables.docx"

# Excel: an HKID column, a card stored as a number under a card header, a
# card as a number with no header.  (LibreOffice writes 0 as the cached
# result of a string formula: test_ole.c makes FORMULA + STRING by hand.)
cat > "$W/staff.fods" <<FODS
<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:of="urn:oasis:names:tc:opendocument:xmlns:of:1.2"
 office:version="1.2" office:mimetype="application/vnd.oasis.opendocument.spreadsheet">
<office:body><office:spreadsheet>
<table:table table:name="Staff">
<table:table-row><table:table-cell office:value-type="string"><text:p>Name</text:p></table:table-cell>
<table:table-cell office:value-type="string"><text:p>HKID</text:p></table:table-cell>
<table:table-cell office:value-type="string"><text:p>Card number</text:p></table:table-cell></table:table-row>
<table:table-row><table:table-cell office:value-type="string"><text:p>Lee</text:p></table:table-cell>
<table:table-cell office:value-type="string"><text:p>$h4</text:p></table:table-cell>
<table:table-cell office:value-type="float" office:value="$c4"><text:p>$c4</text:p></table:table-cell></table:table-row>
<table:table-row><table:table-cell office:value-type="string"><text:p>Wong</text:p></table:table-cell>
<table:table-cell/>
<table:table-cell office:value-type="float" office:value="3.25"><text:p>3.25</text:p></table:table-cell></table:table-row>
</table:table>
<table:table table:name="Pay">
<table:table-row><table:table-cell table:number-columns-repeated="2"/>
<table:table-cell office:value-type="float" office:value="$c5"><text:p>$c5</text:p></table:table-cell></table:table-row>
</table:table>
</office:spreadsheet></office:body></office:document>
FODS

# PowerPoint: an HKID on slide 2, a card in its notes.
printf '1\tIntro\n2\tHKID %s\n2\t@notes ref %s\n' "$(br "$h5")" "$c6" |
	"$B/tests/docgen" pptx "$W/deck.pptx"

cd "$W"
soffice --headless --convert-to doc memo.docx > /dev/null 2>&1
soffice --headless --convert-to doc tables.docx > /dev/null 2>&1
soffice --headless --convert-to xls staff.fods > /dev/null 2>&1
soffice --headless --convert-to ppt deck.pptx > /dev/null 2>&1
# Office suites leave unused sectors: copy the streams into compact files,
# without the thumbnail LibreOffice puts in a presentation's summary.
for f in memo.doc tables.doc staff.xls; do
	"$B/tests/olegen" repack "$f" "$here/$f"
done
"$B/tests/olegen" repack deck.ppt "$here/deck.ppt" "$(printf '\005SummaryInformation')"
ls -l "$here"

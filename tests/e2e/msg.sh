# msg.sh - Outlook messages written by tests/msggen, scanned by the binary:
# a Unicode body with its headers, bodies that are only compressed RTF
# (stored and LZFu), only HTML, or 8-bit Big5; attachments, an attached
# message with its own attachment and an attached message inside that;
# OLE objects attached (a packaged file, a CONTENTS stream, a workbook
# stored whole);
# damaged ones (a bad CRC, a stream cut short, entries libgsf drops, a
# file cut in the middle); a message in a zip; an .rtf file.  Exact
# findings (member, where, type, confidence, mask, keyed hash), file
# types, statuses and message counts; no raw value anywhere.
. "$TOP_SRCDIR/tests/e2e/lib.sh"

: "${MSGGEN:?run through make check}"
mkdir -p "$T/share" "$T/parts"
c1=$("$FIXTURE" card 4 16 71); c2=$("$FIXTURE" card 51 16 72); c3=$("$FIXTURE" card 4 16 73)
c4=$("$FIXTURE" card 4 16 74); c5=$("$FIXTURE" card 55 16 75)
h1=$("$FIXTURE" hkid A 71); h2=$("$FIXTURE" hkid Z 72); h3=$("$FIXTURE" hkid K 73)
h4=$("$FIXTURE" hkid CA 74); h5=$("$FIXTURE" hkid M 75); h6=$("$FIXTURE" hkid B 76)
h7=$("$FIXTURE" hkid E 77)
mc() {   # first six and last four digits shown
	local stars=""
	while [ "${#stars}" -lt $(( ${#1} - 10 )) ]; do stars="$stars*"; done
	printf '%s%s%s' "${1:0:6}" "$stars" "${1: -4}"
}
mh() { printf '%s******(%s)' "${1%???????}" "${1#"${1%?}"}"; }
br() { printf '%s(%s)' "${1%?}" "${1#"${1%?}"}"; }   # A123456(3)

# In spec text "\n" is a line break; in these unquoted here-documents
# "\\" is one backslash of RTF.
"$MSGGEN" make "$T/share/unicode.msg" <<EOF
subject Payroll March
date 2026-03-01T09:00:00Z
sender Alice Wong|alice@example.com
to Bob Lee|bob@example.com
cc Carol Chan|carol@example.com
headers Received: from mx.example.com\nSubject: Payroll March\nFrom: Alice Wong <alice@example.com>\nTo: bob@example.com,\n carol@example.com\nX-Staff-Ref: $(br "$h1")\n
body Dear Bob,\n\nThe card number is ${c1}.\nRegards
EOF
"$MSGGEN" make "$T/share/stored-rtf.msg" <<EOF
subject Stored RTF
date 2026-03-02T10:00:00Z
rtf-mela {\\rtf1\\ansi\\ansicpg1252{\\fonttbl{\\f0 Arial;}}\\pard Caf\\'e9 staff\\par Credit card: ${c2}\\par}
EOF
# Big5 身份證 as \'hh, then as \u with ? fallbacks.
"$MSGGEN" make "$T/share/lzfu-rtf.msg" <<EOF
subject Compressed RTF
date 2026-03-03T11:00:00Z
rtf-lzfu {\\rtf1\\ansi\\ansicpg950{\\fonttbl{\\f0 MingLiU;}}{\\*\\generator Gen ${c3};}{\\pict\\pngblip ${c3}}\\pard Staff\\par \\'a8\\'ad\\'a5\\'f7\\'c3\\'d2 ${h2}\\par \\u36523?\\u20221?\\u35657?: $(br "$h3")\\par}
EOF
"$MSGGEN" make "$T/share/html.msg" <<EOF
subject HTML only
date 2026-03-04T12:00:00Z
html <html><body><table><tr><th>HKID</th></tr>\n<tr><td>$(br "$h4")</td></tr></table></body></html>
EOF
"$MSGGEN" make "$T/share/big5.msg" <<EOF
subject8 950 員工資料
body8 950 身份證號碼 ${h5}
EOF
"$MSGGEN" make "$T/share/badcrc.msg" <<EOF
subject Bad CRC
rtf-badcrc {\\rtf1 card number ${c3}}
EOF

# Attachments: a CSV with an hkid column, a text with no name, an
# attached message with a body and a CSV of its own, and in it another
# message without a subject.
printf 'name,hkid\nChan Tai Man,%s\n' "$h6" > "$T/parts/staff.csv"
printf 'name,card number\nLee,%s\n' "$c4" > "$T/parts/cards.csv"
printf 'just text %s\n' "$h7" > "$T/parts/note.txt"
"$MSGGEN" make "$T/share/attach.msg" <<EOF
subject Staff list
date 2026-03-05T08:30:00Z
sender HR|hr@example.com
body See attached.
attach staff.csv $T/parts/staff.csv
attach-noname $T/parts/note.txt
message
subject Fwd: cards
date 2026-03-04T16:00:00Z
body card number ${c5}
attach cards.csv $T/parts/cards.csv
message
body innermost $(br "$h1")
end
end
EOF

# A subject and a file name holding numbers: the member names them with
# their digits masked (a member name is stored as it is).
"$MSGGEN" make "$T/share/named.msg" <<EOF
subject Form for $(br "$h2")
attach card ${c2}.txt $T/parts/note.txt
EOF

# Damage: a body stream whose directory entry claims more sectors than it
# has (read to its end and recorded), and one claiming more than the
# file (libgsf drops it and the entries next to it: the property stream
# is missing); a file cut in the middle (not a compound file any more:
# read for text runs).
cp "$T/share/unicode.msg" "$T/share/cut-stream.msg"
"$MSGGEN" size "$T/share/cut-stream.msg" __substg1.0_1000001F 5000
cp "$T/share/unicode.msg" "$T/share/lost.msg"
"$MSGGEN" size "$T/share/lost.msg" __substg1.0_1000001F 100000000
head -c 3000 "$T/share/unicode.msg" > "$T/share/cut.msg"
"$DOCGEN" zip "$T/share/mail.zip" "inbox/unicode.msg=$T/share/unicode.msg"
printf '{\\rtf1\\ansi\\ansicpg1252{\\fonttbl{\\f0 Arial;}}\\pard Staff list\\par HKID %s\\par}\n' \
    "$h5" > "$T/share/letter.rtf"
SHARE=$(cd "$T/share" && pwd -P)

run_piiscan scan --db "$T/m.db" --key-file "$T/key" --no-progress "$T/share"
is "$status" 1 "msg: scan finds values"
is "$(cat "$T/stderr")" "" "msg: nothing on stderr"
"$PIISCAN" export --db "$T/m.db" --min-confidence low > "$T/export"

# path, member, where, type, confidence, masked (the cut file apart: its
# text runs are what libgsf cannot open).
sed -n "s|^{\"record\":\"finding\",\"path\":\"$SHARE/\([^\"]*\)\",\"member\":\"\([^\"]*\)\",\"where\":\"\([^\"]*\)\",\"type\":\"\([^\"]*\)\",\"confidence\":\"\([^\"]*\)\",\"masked\":\"\([^\"]*\)\",\"value_hash\":\"\([^\"]*\)\"}\$|\1	\2	\3	\4	\5	\6	\7|p" \
    "$T/export" | grep -v '^cut\.msg' | LC_ALL=C sort > "$T/all"
cut -f1-6 "$T/all" > "$T/got"
P='Payroll March (2026-03-01T09:00:00Z)'
S='Staff list (2026-03-05T08:30:00Z)'
F='Fwd: cards (2026-03-04T16:00:00Z)'
LC_ALL=C sort > "$T/want" <<WANT
attach.msg	$S	headers	email	low	h***@example.com
attach.msg	$S/$F	line 1	card	high	$(mc "$c5")
attach.msg	$S/$F/cards.csv	line 2	card	high	$(mc "$c4")
attach.msg	$S/$F/message 2	line 1	hkid	medium	$(mh "$h1")
attach.msg	$S/attachment 2	line 1	hkid	low	$(mh "$h7")
attach.msg	$S/staff.csv	line 2	hkid	high	$(mh "$h6")
big5.msg	員工資料	line 1	hkid	high	$(mh "$h5")
cut-stream.msg	$P	headers	email	low	a***@example.com
cut-stream.msg	$P	headers	email	low	b***@example.com
cut-stream.msg	$P	headers	email	low	c***@example.com
cut-stream.msg	$P	headers	hkid	medium	$(mh "$h1")
html.msg	HTML only (2026-03-04T12:00:00Z)	line 2	hkid	high	$(mh "$h4")
named.msg	Form for Z######(#)	headers	hkid	medium	$(mh "$h2")
named.msg	Form for Z######(#)/card ################.txt	line 1	hkid	low	$(mh "$h7")
letter.rtf		line 2	hkid	high	$(mh "$h5")
lost.msg	Payroll March	headers	email	low	a***@example.com
lost.msg	Payroll March	headers	hkid	medium	$(mh "$h1")
lzfu-rtf.msg	Compressed RTF (2026-03-03T11:00:00Z)	line 2	hkid	high	$(mh "$h2")
lzfu-rtf.msg	Compressed RTF (2026-03-03T11:00:00Z)	line 3	hkid	high	$(mh "$h3")
mail.zip	inbox/unicode.msg/$P	headers	email	low	a***@example.com
mail.zip	inbox/unicode.msg/$P	headers	email	low	b***@example.com
mail.zip	inbox/unicode.msg/$P	headers	email	low	c***@example.com
mail.zip	inbox/unicode.msg/$P	headers	hkid	medium	$(mh "$h1")
mail.zip	inbox/unicode.msg/$P	line 3	card	high	$(mc "$c1")
stored-rtf.msg	Stored RTF (2026-03-02T10:00:00Z)	line 2	card	high	$(mc "$c2")
unicode.msg	$P	headers	email	low	a***@example.com
unicode.msg	$P	headers	email	low	b***@example.com
unicode.msg	$P	headers	email	low	c***@example.com
unicode.msg	$P	headers	hkid	medium	$(mh "$h1")
unicode.msg	$P	line 3	card	high	$(mc "$c1")
WANT
same_file "$T/got" "$T/want" \
    "every value found once, with member, place, type, confidence and mask"

if [ -n "${OPENSSL:-}" ] && [ -x "$OPENSSL" ]; then
	grep -v -e '	email	' -e '^mail.zip' -e '^cut-stream' -e '^lost' "$T/all" |
		cut -f1,3,7 | LC_ALL=C sort > "$T/got"
	{
		printf 'attach.msg\tline 1\t%s\n' "$(hmac_of card "$c5")"
		printf 'attach.msg\tline 2\t%s\n' "$(hmac_of card "$c4")"
		printf 'attach.msg\tline 1\t%s\n' "$(hmac_of hkid "$h1")"
		printf 'attach.msg\tline 1\t%s\n' "$(hmac_of hkid "$h7")"
		printf 'attach.msg\tline 2\t%s\n' "$(hmac_of hkid "$h6")"
		printf 'big5.msg\tline 1\t%s\n' "$(hmac_of hkid "$h5")"
		printf 'html.msg\tline 2\t%s\n' "$(hmac_of hkid "$h4")"
		printf 'letter.rtf\tline 2\t%s\n' "$(hmac_of hkid "$h5")"
		printf 'lzfu-rtf.msg\tline 2\t%s\n' "$(hmac_of hkid "$h2")"
		printf 'lzfu-rtf.msg\tline 3\t%s\n' "$(hmac_of hkid "$h3")"
		printf 'named.msg\theaders\t%s\n' "$(hmac_of hkid "$h2")"
		printf 'named.msg\tline 1\t%s\n' "$(hmac_of hkid "$h7")"
		printf 'stored-rtf.msg\tline 2\t%s\n' "$(hmac_of card "$c2")"
		printf 'unicode.msg\theaders\t%s\n' "$(hmac_of hkid "$h1")"
		printf 'unicode.msg\tline 3\t%s\n' "$(hmac_of card "$c1")"
	} | LC_ALL=C sort > "$T/want"
	same_file "$T/got" "$T/want" "value_hash of every card and HKID"
else
	skip "value_hash of every card and HKID" "openssl not installed"
fi

# Types, statuses, reasons and message counts of the files.
sed -n "s|^{\"record\":\"file\",\"path\":\"$SHARE/\([^\"]*\)\",.*\"type\":\"\([^\"]*\)\",\"status\":\"\([^\"]*\)\",\(\"error\":\"\([^\"]*\)\",\)\{0,1\}\"findings\":[0-9]*\(,\"messages\":\([0-9]*\),\"messages_failed\":\([0-9]*\)\)\{0,1\}}\$|\1	\2	\3	\5	\7	\8|p" \
    "$T/export" | LC_ALL=C sort > "$T/got"
LC_ALL=C sort > "$T/want" <<'WANT'
attach.msg	msg	ok		3	0
badcrc.msg	msg	partial	corrupt: compressed RTF body	1	0
big5.msg	msg	ok		1	0
cut-stream.msg	msg	partial	corrupt: stream __substg1.0_1000001F cut short	1	0
cut.msg	ole	partial	corrupt: compound file		
html.msg	msg	ok		1	0
letter.rtf	rtf	ok			
lost.msg	msg	partial	corrupt: no property stream	1	0
lzfu-rtf.msg	msg	ok		1	0
named.msg	msg	ok		1	0
mail.zip	zip	ok		1	0
stored-rtf.msg	msg	ok		1	0
unicode.msg	msg	ok		1	0
WANT
same_file "$T/got" "$T/want" "file types, statuses and message counts"
is "$(grep -c '"path":"'"$SHARE"'/cut.msg".*"type":"card","confidence":"high"' "$T/export")" 1 \
    "cut.msg: the body's card still found in the text runs"

# OLE objects attached (method 6): a packaged file, an object whose data
# is a CONTENTS stream, and a workbook stored whole, each read as the file
# it holds: the workbook gives what staff.xls gives scanned alone.
mkdir -p "$T/objects"
printf 'Visa %s\n' "$c3" > "$T/parts/packaged.txt"
printf 'name,hkid\nLee,%s\n' "$h3" > "$T/parts/ids.csv"
XLS="$TOP_SRCDIR/tests/data/legacy/staff.xls"
"$MSGGEN" make "$T/objects/objects.msg" <<EOF
subject Objects
date 2026-03-06T09:00:00Z
body See the objects.
attach-package packaged.txt $T/parts/packaged.txt
attach-contents ids.csv $T/parts/ids.csv
attach-storage staff.xls $XLS
EOF
OBJECTS=$(cd "$T/objects" && pwd -P)
run_piiscan scan --db "$T/o.db" --key-file "$T/key" --no-progress "$OBJECTS"
is "$status" 1 "objects: scan finds values"
"$PIISCAN" export --db "$T/o.db" --min-confidence low > "$T/o.export"
# member, where, type, confidence, masked, value_hash
fields() {
	sed -n "s|^{\"record\":\"finding\",\"path\":\"$1\",\"member\":\"\([^\"]*\)\",\"where\":\"\([^\"]*\)\",\"type\":\"\([^\"]*\)\",\"confidence\":\"\([^\"]*\)\",\"masked\":\"\([^\"]*\)\",\"value_hash\":\"\([^\"]*\)\"}\$|\1	\2	\3	\4	\5	\6|p" "$2"
}
O='Objects (2026-03-06T09:00:00Z)'
cp "$XLS" "$T/objects/staff.xls"
run_piiscan scan --db "$T/x.db" --key-file "$T/key" --no-progress "$OBJECTS/staff.xls"
"$PIISCAN" export --db "$T/x.db" --min-confidence low > "$T/x.export"
rm "$T/objects/staff.xls"
{
	printf '%s/packaged.txt\tline 1\tcard\thigh\t%s\t%s\n' "$O" "$(mc "$c3")" "$(hmac_of card "$c3")"
	printf '%s/ids.csv\tline 2\thkid\thigh\t%s\t%s\n' "$O" "$(mh "$h3")" "$(hmac_of hkid "$h3")"
	fields "$OBJECTS/staff.xls" "$T/x.export" | sed "s|^|$O/staff.xls|"
} | LC_ALL=C sort > "$T/want"
fields "$OBJECTS/objects.msg" "$T/o.export" | LC_ALL=C sort > "$T/got"
[ "$(wc -l < "$T/want")" -gt 2 ]
ok $? "objects: staff.xls alone has findings"
same_file "$T/got" "$T/want" \
    "objects: the packaged file, the CONTENTS stream and the stored workbook, each as the file it holds"
is "$(grep -c "\"path\":\"$OBJECTS/objects.msg\",.*\"type\":\"msg\",\"status\":\"ok\"" "$T/o.export")" 1 \
    "objects: the message is read whole (ok)"
# Native data that is no packaged file is read as it is; an object
# attachment without its storage makes the message partial.
mkdir -p "$T/odd"
printf 'Visa %s\n' "$c4" > "$T/parts/raw.txt"
"$MSGGEN" make "$T/odd/odd.msg" <<EOF
subject Odd objects
date 2026-03-07T09:00:00Z
attach-native raw.txt $T/parts/raw.txt
attach-nothing lost.doc
EOF
ODD=$(cd "$T/odd" && pwd -P)
run_piiscan scan --db "$T/odd.db" --key-file "$T/key" --no-progress "$ODD"
"$PIISCAN" export --db "$T/odd.db" --min-confidence low > "$T/odd.export"
is "$(fields "$ODD/odd.msg" "$T/odd.export")" \
    "$(printf 'Odd objects (2026-03-07T09:00:00Z)/raw.txt\tline 1\tcard\thigh\t%s\t%s' "$(mc "$c4")" "$(hmac_of card "$c4")")" \
    "objects: native data that is no package is read as it is"
is "$(grep -c "\"path\":\"$ODD/odd.msg\",.*\"type\":\"msg\",\"status\":\"partial\",\"error\":\"corrupt: attached object lost.doc missing\"" "$T/odd.export")" 1 \
    "objects: an object without its storage: partial, named"

# No raw value anywhere: the database (and its WAL), the export, output.
leak=0
for v in "$c1" "$c2" "$c3" "$c4" "$c5" "$h1" "$h2" "$h3" "$h4" "$h5" "$h6" "$h7"; do
	if grep -a -q -F "$v" "$T"/m.db* "$T"/o.db* "$T"/odd.db* "$T/export" "$T/o.export" "$T/odd.export" "$T/stdout" "$T/stderr"; then
		leak=1
	fi
done
is "$leak" 0 "no raw value in the inventory, the export or the output"

done_testing

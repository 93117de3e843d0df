# mail.sh - Internet mail: an .eml message with every kind of part (a
# quoted-printable body with a card split by a soft line break, a Big5
# HTML body in base64, RFC 2047 headers, a CSV, a zipped workbook, a
# forwarded message with its own attachment, an inline image), an mbox
# with a damaged message and one cut short, the same mbox read as a
# stream inside gzip, and the members limit: exact findings, statuses and
# message counts.  The mails are written here, with synthetic values.
. "$TOP_SRCDIR/tests/e2e/lib.sh"

M="$T/m"
mkdir -p "$M/src" "$M/tree"

card1=$("$FIXTURE" card 411111 16 41)
card2=$("$FIXTURE" card 545454 16 42)
card3=$("$FIXTURE" card 4 16 43)
hkid1=$("$FIXTURE" hkid A 44)
hkid2=$("$FIXTURE" hkid B 45)
hkid3=$("$FIXTURE" hkid C 46)
hkid4=$("$FIXTURE" hkid D 47)
hkid5=$("$FIXTURE" hkid E 48)
hkid6=$("$FIXTURE" hkid G 49)

# bracketed A1234563: A123456(3)
br() { printf '%s(%s)' "${1%?}" "${1#???????}"; }
mask_card() { printf '%s' "$1" | sed 's/^\(......\).*\(....\)$/\1******\2/'; }
mask_hkid() { printf '%s******(%s)' "${1%???????}" "${1#???????}"; }
# expect TYPE VALUE MEMBER WHERE CONFIDENCE: one expected finding line.
expect() {
	local masked
	if [ "$1" = card ]; then masked=$(mask_card "$2"); else masked=$(mask_hkid "$2"); fi
	printf '%s|%s|%s|%s|%s|%s\n' "$3" "$4" "$1" "$5" "$masked" "$(hmac_of "$1" "$2")"
}
b64() { base64 -w 76; }

# --- the message ---------------------------------------------------------
"$DOCGEN" xlsx "$M/src/staff.xlsx" <<EOF || ok 1 "docgen xlsx"
Staff	A1	s	Name
Staff	B1	s	HKID
Staff	A2	s	Lee
Staff	B2	s	$hkid4
EOF
"$DOCGEN" zip "$M/src/records.zip" "staff.xlsx=$M/src/staff.xlsx" || ok 1 "docgen zip"

cc_name=$(printf 'HKID %s 陳大文' "$(br "$hkid1")" | base64 -w 0)
{
	cat <<EOF
Return-Path: <hr@example.com>
Received: from mail.example.com by mx.example.com; Sun, 1 Mar 2026 09:00:05 +0000
Date: Sun, 1 Mar 2026 17:00:00 +0800
From: HR Office <hr@example.com>
To: Payroll <payroll@example.com>
Cc: =?UTF-8?B?$cc_name?= <chan@example.com>
Subject: =?UTF-8?Q?=E8=96=AA=E9=85=AC_March_HKID_list?=
Message-ID: <payroll-1@example.com>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="outer"

This is a multi-part message in MIME format.

--outer
Content-Type: multipart/alternative; boundary="alt"

--alt
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: quoted-printable

Dear Payroll,
Please charge the card number ${card1:0:10}=
${card1:10} for the party.
=E9=99=B3=E5=A4=A7=E6=96=87
--alt
Content-Type: text/html; charset=big5
Content-Transfer-Encoding: base64

EOF
	printf '<html><body>\n<p>身份證號碼 %s</p>\n</body></html>\n' "$hkid2" |
	    iconv -f UTF-8 -t BIG5 | b64
	cat <<EOF
--alt--

--outer
Content-Type: text/csv; name="staff.csv"
Content-Disposition: attachment; filename="staff.csv"
Content-Transfer-Encoding: base64

EOF
	printf 'name,hkid\nChan,%s\n' "$hkid3" | b64
	cat <<EOF
--outer
Content-Type: application/zip; name="records.zip"
Content-Disposition: attachment; filename="records.zip"
Content-Transfer-Encoding: base64

EOF
	b64 < "$M/src/records.zip"
	cat <<EOF
--outer
Content-Type: message/rfc822
Content-Disposition: attachment

Date: Fri, 27 Feb 2026 10:00:00 +0000
From: Staff <staff@example.com>
To: HR Office <hr@example.com>
Subject: Leave form
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="inner"

--inner
Content-Type: text/plain

See the form attached.
--inner
Content-Type: application/octet-stream
Content-Disposition: attachment; filename="form.txt"
Content-Transfer-Encoding: base64

EOF
	printf 'HKID: %s\n' "$(br "$hkid5")" | b64
	cat <<EOF
--inner--

--outer
Content-Type: image/png
Content-Disposition: inline
Content-Transfer-Encoding: base64

iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNgAAAAAgABSK+kcQAAAABJRU5ErkJggg==
--outer--
EOF
} > "$M/tree/payroll.eml"

# No subject, no Message-ID: "message 1".
printf 'From: Clerk <clerk@example.com>\nTo: HR <hr@example.com>\n\nVisa %s\n' \
    "$card3" > "$M/tree/bare.eml"
# Encrypted (PGP/MIME, S/MIME): partial, "encrypted"; the body beside it read.
cat > "$M/tree/pgp.eml" <<EOF
From: a@example.com
Subject: sealed
Date: Mon, 2 Mar 2026 10:00:00 +0000
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="m"

--m
Content-Type: text/plain

Visa $card3
--m
Content-Type: multipart/encrypted; protocol="application/pgp-encrypted"; boundary="e"

--e
Content-Type: application/pgp-encrypted

Version: 1
--e
Content-Type: application/octet-stream

-----BEGIN PGP MESSAGE-----
hQEMA1234
-----END PGP MESSAGE-----
--e--
--m--
EOF
printf 'From: a@example.com\nSubject: sealed\nMIME-Version: 1.0\nContent-Type: application/pkcs7-mime; smime-type=enveloped-data; name="smime.p7m"\nContent-Transfer-Encoding: base64\n\nMIAGCSqGSIb3DQEHA6CAMIACAQA=\n' \
    > "$M/tree/smime.eml"
# Header-like lines that are no mail: plain text.
printf 'Date: 2026-03-01\nAuthor: Clerk\n\nVisa %s\n' "$card3" > "$M/tree/notes.txt"
# Big5 bodies that name no charset, or name US-ASCII: read as Big5, so
# the Chinese keyword before the HKID counts (high, not low).
hkid8=$("$FIXTURE" hkid M 53)
hkid9=$("$FIXTURE" hkid P 54)
{
	printf 'From: a@example.com\nSubject: undeclared\nDate: Wed, 4 Mar 2026 09:00:00 +0000\n'
	printf 'MIME-Version: 1.0\nContent-Type: text/plain\nContent-Transfer-Encoding: 8bit\n\n'
	printf '身份證號碼 %s\n' "$hkid8" | iconv -f UTF-8 -t BIG5
} > "$M/tree/undeclared.eml"
{
	printf 'From: a@example.com\nSubject: ascii\nDate: Wed, 4 Mar 2026 10:00:00 +0000\n'
	printf 'MIME-Version: 1.0\nContent-Type: text/plain; charset=us-ascii\n'
	printf 'Content-Transfer-Encoding: 8bit\n\n'
	printf '身份證號碼 %s\n' "$hkid9" | iconv -f UTF-8 -t BIG5
} > "$M/tree/ascii.eml"
# Alternatives: the plain text and the HTML say the same, the HTML one
# value more, and its related part (a CSV) the same card again.
card4=$("$FIXTURE" card 4 16 50)
card5=$("$FIXTURE" card 545454 16 51)
hkid7=$("$FIXTURE" hkid K 52)
cat > "$M/tree/alternatives.eml" <<EOF
From: HR Office <hr@example.com>
Subject: Refund
Date: Tue, 3 Mar 2026 09:00:00 +0000
MIME-Version: 1.0
Content-Type: multipart/alternative; boundary="alt"

--alt
Content-Type: text/plain

Visa $card4
HKID $hkid7
Visa $card4 again
--alt
Content-Type: multipart/related; boundary="rel"

--rel
Content-Type: text/html

<html><body>
<p>Visa $card4</p>
<p>HKID $hkid7</p>
<p>Visa $card4 again</p>
<p>Mastercard $card5</p>
</body></html>
--rel
Content-Type: text/csv; name="refunds.csv"
Content-Disposition: attachment; filename="refunds.csv"

name,card
Lee,$card4
--rel--
--alt--
EOF

# --- the mbox --------------------------------------------------------------
{
	cat <<EOF
From hr@example.com Mon Mar  2 09:00:00 2026
From: HR <hr@example.com>
Subject: Card on file
Date: Mon, 2 Mar 2026 09:00:00 +0000

The card number $card2 is on file.

From broken@example.com Mon Mar  2 09:05:00 2026
EOF
	printf '\001\002 not a header\nSubject: lost\n\nnothing here\n\n'
	cat <<EOF
From clerk@example.com Mon Mar  2 09:10:00 2026
Message-ID: <note-3@example.com>
From: Clerk <clerk@example.com>

Visa $card3

From cut@example.com Mon Mar  2 09:15:00 2026
From: HR <hr@example.com>
Subject: Cut short
Date: Mon, 2 Mar 2026 09:15:00 +0000
Content-Type: multipart/mixed; boundary="cut"

--cut
Content-Type: text/plain

HKID $(br "$hkid6")
--cut
Content-Type: text/csv; name="more.csv"
Content-Transfer-Encoding: base64

bmFtZSxoa2lk
EOF
} > "$M/tree/archive.mbox"
gzip -c "$M/tree/archive.mbox" > "$M/tree/archive.mbox.gz"

# scan_tree ARGS...: scan $M/tree into a fresh database; export all.
scan_tree() {
	rm -f "$T/mail.db"
	RUNLIMIT_VERBOSE=1 "$RUNLIMIT" 60 1024 "$PIISCAN" scan --db "$T/mail.db" \
	    --key-file "$T/key" --no-progress "$@" "$M/tree" > "$T/stdout" 2> "$T/stderr"
	status=$?
	"$PIISCAN" export --db "$T/mail.db" > "$T/export"
}
# file_of NAME: "type|status|reason|messages|failed" of a file record.
file_of() {
	sed -n "s|^{\"record\":\"file\",\"path\":\"$M/tree/$1\",.*\"type\":\"\([^\"]*\)\",\"status\":\"\([^\"]*\)\"\(,\"error\":\"\([^\"]*\)\"\)\{0,1\},\"findings\":[0-9]*\(,\"messages\":\([0-9]*\),\"messages_failed\":\([0-9]*\)\)\{0,1\}}\$|\1\|\2\|\4\|\6\|\7|p" "$T/export"
}
# findings NAME: member|where|type|confidence|masked|value_hash, sorted.
findings() {
	sed -n "s|^{\"record\":\"finding\",\"path\":\"$M/tree/$1\",\"member\":\"\([^\"]*\)\",\"where\":\"\([^\"]*\)\",\"type\":\"\([^\"]*\)\",\"confidence\":\"\([^\"]*\)\",\"masked\":\"\([^\"]*\)\",\"value_hash\":\"\([^\"]*\)\"}\$|\1\|\2\|\3\|\4\|\5\|\6|p" "$T/export" | LC_ALL=C sort
}

scan_tree
is "$status" 1 "mail: the scan finds values"
case "$(cat "$T/stderr")" in *"runlimit: peak RSS"*) ok 0 "mail: bounded" ;;
*) ok 1 "mail: bounded"; sed 's/^/# /' "$T/stderr" ;; esac

label='薪酬 March HKID list (2026-03-01T09:00:00Z)'
is "$(file_of payroll.eml)" "eml|ok||1|0" "eml: type, ok, one message read"
expect hkid "$hkid1" "$label" headers high > "$T/want"
expect card "$card1" "$label" "line 2" high >> "$T/want"
expect hkid "$hkid2" "$label" "line 2" high >> "$T/want"
expect hkid "$hkid3" "$label/staff.csv" "line 2" high >> "$T/want"
expect hkid "$hkid4" "$label/records.zip/staff.xlsx" "Staff!B2" high >> "$T/want"
expect hkid "$hkid5" "$label/Leave form (2026-02-27T10:00:00Z)/form.txt" "line 1" high >> "$T/want"
LC_ALL=C sort -o "$T/want" "$T/want"
findings payroll.eml > "$T/got"
same_file "$T/got" "$T/want" \
    "eml: RFC 2047 Cc name (headers), QP card across a soft break, Big5 HTML body, CSV, zipped xlsx, forwarded message's attachment"

is "$(file_of bare.eml)" "eml|ok||1|0" "eml without subject: ok"
is "$(findings bare.eml)" "$(expect card "$card3" "message 1" "line 1" high)" \
    "eml without subject or Message-ID: member \"message 1\""
is "$(file_of notes.txt)" "text|ok|||" "header-like text that is no mail: text"
is "$(findings undeclared.eml)" \
    "$(expect hkid "$hkid8" "undeclared (2026-03-04T09:00:00Z)" "line 1" high)" \
    "a Big5 body that names no charset: read as Big5, its keyword counts"
is "$(findings ascii.eml)" \
    "$(expect hkid "$hkid9" "ascii (2026-03-04T10:00:00Z)" "line 1" high)" \
    "a Big5 body said to be US-ASCII: the same"
label='Refund (2026-03-03T09:00:00Z)'
{
	expect card "$card4" "$label" "line 1" high
	expect hkid "$hkid7" "$label" "line 2" high
	expect card "$card4" "$label" "line 3" high
	expect card "$card5" "$label" "line 5" high
	expect card "$card4" "$label/refunds.csv" "line 2" high
} | LC_ALL=C sort > "$T/want"
findings alternatives.eml > "$T/got"
same_file "$T/got" "$T/want" \
    "alternatives: the HTML's repeats of the plain text are not found again; its own value and the attachment's are"
is "$(file_of pgp.eml)" "eml|partial|encrypted|1|0" "PGP/MIME: partial, encrypted"
is "$(findings pgp.eml | cut -d'|' -f1-4)" "sealed (2026-03-02T10:00:00Z)|line 1|card|high" \
    "... the body beside it read"
is "$(file_of smime.eml)" "eml|partial|encrypted|1|0" "S/MIME enveloped data: partial, encrypted"

is "$(file_of archive.mbox)" "mbox|partial|corrupt: message 2: invalid header|2|2" \
    "mbox: partial, first damage named, 2 messages read, 2 failed"
{
	expect card "$card2" "Card on file (2026-03-02T09:00:00Z)" "line 1" high
	expect card "$card3" "<note-3@example.com>" "line 1" high
	expect hkid "$hkid6" "Cut short (2026-03-02T09:15:00Z)" "line 1" high
} | LC_ALL=C sort > "$T/want"
findings archive.mbox > "$T/got"
same_file "$T/got" "$T/want" \
    "mbox: messages after a damaged one are read; a message cut short is searched"

is "$(file_of archive.mbox.gz)" "gzip|partial|corrupt: message 2: invalid header|2|2" \
    "mbox in gzip (read as a stream): the same counts"
sed 's/^/archive.mbox\//' "$T/want" > "$T/want.gz"
findings archive.mbox.gz > "$T/got"
same_file "$T/got" "$T/want.gz" "mbox in gzip: the same findings, under archive.mbox"
# For the test of workers at once below.
findings payroll.eml > "$T/one.eml"
sed 's|^archive\.mbox/||' "$T/got" > "$T/one.gz"

if grep -q -e "$card1" -e "$card2" -e "$card3" -e "$card4" -e "$card5" \
    -e "$hkid1" -e "$hkid2" -e "$hkid3" -e "$hkid4" -e "$hkid5" -e "$hkid6" \
    -e "$hkid7" -e "$hkid8" -e "$hkid9" \
    "$T/export" "$T/stdout" "$T/stderr" "$T/mail.db"*; then
	ok 1 "no raw value in the export, output or database"
else
	ok 0 "no raw value in the export, output or database"
fi

# --- limits ----------------------------------------------------------------
scan_tree --max-members 1
is "$(file_of archive.mbox)" "mbox|partial|limit: members|1|0" \
    "mbox, --max-members 1: one message read, partial"
is "$(findings archive.mbox | wc -l)" 1 "... its findings only"
is "$(file_of payroll.eml)" "eml|partial|limit: members|1|0" \
    "eml, --max-members 1: its first attachment only"

scan_tree --max-depth 0
is "$(file_of payroll.eml)" "eml|partial|limit: depth|1|0" \
    "eml, --max-depth 0: headers and bodies read, attachments not opened"

# --- workers at once ---------------------------------------------------------
mkdir -p "$M/src/many"
for i in $(seq 1 16); do
	cp "$M/tree/payroll.eml" "$M/src/many/p$i.eml"
	cp "$M/tree/archive.mbox.gz" "$M/src/many/a$i.mbox.gz"
done
rm -f "$M"/tree/*
mv "$M"/src/many/* "$M/tree/"
scan_tree -j 4
bad=0
for i in $(seq 1 16); do
	findings "p$i.eml" | cmp -s - "$T/one.eml" || bad=$((bad + 1))
	findings "a$i.mbox.gz" | sed "s|^a$i\.mbox/||" | cmp -s - "$T/one.gz" || bad=$((bad + 1))
done
is "$bad" 0 "-j 4: 16 messages and 16 mboxes read at once, each with the same findings"

# --- hostile mail -----------------------------------------------------------
rm -f "$M"/tree/*
{
	for i in $(seq 1 300); do
		printf 'Subject: level %d\nContent-Type: message/rfc822\n\n' "$i"
	done
	printf 'Subject: bottom\n\nVisa %s\n' "$card3"
} > "$M/tree/forwards.eml"
{
	printf 'Subject: parts\nContent-Type: multipart/mixed; boundary="b0"\n\n'
	for i in $(seq 1 2000); do
		printf -- '--b%d\nContent-Type: multipart/mixed; boundary="b%d"\n\n' $((i - 1)) "$i"
	done
	printf -- '--b2000\nContent-Type: text/plain\n\nVisa %s\n' "$card3"
} > "$M/tree/nested.eml"
{
	printf 'Subject: many\nContent-Type: multipart/mixed; boundary="b"\n\n'
	for i in $(seq 1 3000); do
		printf -- '--b\nContent-Type: application/octet-stream\n\nx\n'
	done
	printf -- '--b--\n'
} > "$M/tree/many.eml"
{
	printf 'From: a@example.com\nSubject: '
	head -c 3000000 /dev/zero | tr '\0' 'a'
	printf '\n\ncard number %s\n' "$card3"
} > "$M/tree/long.eml"
scan_tree --max-members 1000
is "$status" 1 "hostile mail: the scan ends normally"
case "$(cat "$T/stderr")" in *"runlimit: peak RSS"*) ok 0 "hostile mail: bounded" ;;
*) ok 1 "hostile mail: bounded"; sed 's/^/# /' "$T/stderr" ;; esac
is "$(file_of forwards.eml)" "eml|partial|limit: depth|1|0" \
    "300 forwarded messages inside each other: partial, limit: depth"
is "$(file_of nested.eml)" "eml|partial|corrupt: message 1: parts nested too deep|0|1" \
    "2000 nested multiparts: GMime stops, the message failed"
is "$(file_of many.eml)" "eml|partial|limit: members|1|0" \
    "3000 attachments, --max-members 1000: partial"
is "$(file_of long.eml)" "eml|ok||1|0" "a 3 MB subject: read"
is "$(findings long.eml | cut -d'|' -f2-5)" "line 1|card|high|$(mask_card "$card3")" \
    "... and the body after it"

# --- numbers in names ----------------------------------------------------------
# A subject and an attachment name are member names, stored as they are:
# their numbers are masked, the values still found and hashed.
rm -f "$M/tree/"*.eml "$M/tree/"*.mbox*
cat > "$M/tree/names.eml" <<EOF
From: hr@example.com
Subject: Form for $(br "$hkid2")
Date: Sun, 1 Mar 2026 09:00:00 +0000
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="n"

--n
Content-Type: text/plain

nothing here
--n
Content-Type: text/plain
Content-Disposition: attachment; filename="card $card2.txt"

card number $card2
--n--
EOF
scan_tree
{
	expect hkid "$hkid2" "Form for B######(#) (2026-03-01T09:00:00Z)" headers medium
	expect card "$card2" \
	    "Form for B######(#) (2026-03-01T09:00:00Z)/card ################.txt" "line 1" high
} | LC_ALL=C sort > "$T/want"
findings names.eml > "$T/got"
same_file "$T/got" "$T/want" "numbers in a subject and an attachment name: masked in the member"
if grep -q -e "$card2" -e "${hkid2%?}" "$T/export" "$T/stdout" "$T/stderr" "$T/mail.db"*; then
	ok 1 "... and nowhere stored"
else
	ok 0 "... and nowhere stored"
fi

done_testing

# pstgen.sh - tests/pstgen, the writer of the PST test stores: make-pst.sh
# remakes tests/data/mail/sample.pst byte for byte (the writer is
# deterministic, the sample in step with it); where pff-tools is
# installed, libpff reads every folder, message and attachment of the
# sample, of a store of many messages and a spoilt one (that one only
# fails) and of nested embedded messages, without another error.
. "$TOP_SRCDIR/tests/e2e/lib.sh"
: "${PSTGEN:?run through make check}"

B=$(cd "$(dirname "$PSTGEN")/.." && pwd)
M="$TOP_SRCDIR/tests/data/mail"
bash "$M/make-pst.sh" "$B" "$T" >/dev/null
ok $? "make-pst.sh runs"
cmp -s "$T/sample.pst" "$M/sample.pst"
ok $? "make-pst.sh remakes sample.pst byte for byte"

# A store of 300 messages with an attachment of 20 000 bytes each (heaps
# and tables of several blocks, two-level B-trees, several AMaps), a long
# body (a value in a subnode) and one message spoilt.
head -c 20000 /dev/zero | tr '\0' 'x' > "$T/att.txt"
for i in $(seq 1 60); do echo "line $i of a body longer than one heap allocation"; done > "$T/long.txt"
printf 'short\n' > "$T/short.txt"
set -- "$T/many.pst" --folder "Inbox/Old"
for i in $(seq 1 300); do
	set -- "$@" --message "message $i" 2026-01-01T00:00:00Z "$T/short.txt" \
	    --to "Person $i" "p$i@example.com" --attach "a$i.txt" "$T/att.txt"
done
set -- "$@" --folder Inbox --message "long" - "$T/long.txt" \
    --message "spoilt" - "$T/short.txt" --corrupt
"$PSTGEN" "$@"
ok $? "pstgen writes a store of 302 messages"
# A message embedded in a message embedded in a message, with a file.
"$PSTGEN" "$T/embed.pst" --message "Fwd: fwd" - "$T/short.txt" \
    --embed "Fwd" - "$T/short.txt" --attach note.txt "$T/short.txt" \
    --embed "Inner" - "$T/long.txt"
ok $? "pstgen writes a store with embedded messages"

if ! command -v pffexport > /dev/null; then
	skip "libpff reads sample.pst" "no pffexport (pff-tools)"
	skip "libpff reads the store of 302 messages" "no pffexport (pff-tools)"
	skip "libpff reads the embedded messages" "no pffexport (pff-tools)"
	done_testing
	exit
fi

# pffexport -v prints errors and warnings; only its progress lines are
# expected.
export_pst() {   # export_pst PST: the export tree in PST.export
	pffexport -v -m all -t "$1" "$1" 2>&1 |
	    grep -v '^Exporting\|^Opening\|^Recovering\|^Export completed\|^pffexport\|^$'
}
E="$T/sample.pst.export/Top of Personal Folders"
is "$(export_pst "$T/sample.pst")" "" "pffexport reads sample.pst without an error"
is "$(cd "$E" && find . -type f -name 'Message.txt' | sort | tr '\n' ' ')" \
    "./Inbox/Message00001/Message.txt ./Inbox/Message00002/Message.txt ./Inbox/Payroll/Message00001/Message.txt " \
    "the three messages in Inbox and Inbox/Payroll"
grep -q '^Subject:.*Card on file$' "$E/Inbox/Message00001/OutlookHeaders.txt"
ok $? "the first message's subject"
grep -q '^The card number [0-9]\{16\} is on file for the$' "$E/Inbox/Message00001/Message.txt"
ok $? "the first message's body"
is "$(head -1 "$E/Inbox/Message00002/Attachments/1_staff.csv")" $'Name,HKID\r' \
    "the attachment staff.csv"
grep -q '^Display name:.*Chan Tai Man$' "$E/Inbox/Message00001/Recipients.txt"
ok $? "the first message's recipient"

E="$T/many.pst.export/Top of Personal Folders"
is "$(export_pst "$T/many.pst" | sed -n 1p)" "Unable to retrieve type of item 2 out of 2." \
    "pffexport reads the store of 302 messages, all but the spoilt one"
is "$(find "$E/Inbox/Old" -name Message.txt | wc -l)" 300 "300 messages in Inbox/Old"
is "$(find "$E/Inbox/Old" -name '1_a*.txt' -size 20000c | wc -l)" 300 "their attachments"
same_file "$E/Inbox/Message00001/Message.txt" "$T/long.txt" "the long body"

E="$T/embed.pst.export/Top of Personal Folders/Inbox/Message00001/Attachments/Attachment00001/Message00001"
is "$(export_pst "$T/embed.pst")" "" "pffexport reads the embedded messages without an error"
same_file "$E/Attachments/1_note.txt" "$T/short.txt" "the file in the embedded message"
same_file "$E/Attachments/Attachment00002/Message00001/Message.txt" "$T/long.txt" \
    "the body of the message embedded in it"

done_testing

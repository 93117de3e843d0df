# module.sh - the OLE2 and mail extractors live in piiscan-ole-mail.so,
# the tar and compressed-stream ones in piiscan-archive.so, each loaded on
# first use: a run that meets no such file loads none of GLib, libgsf,
# GMime, libpff or libarchive; one that meets mail or a tar loads that
# module and reads it; a program without its modules, or beside a file of
# that name from elsewhere, records such files as errors with the reason
# and scans the rest.
. "$TOP_SRCDIR/tests/e2e/lib.sh"

D="$T/d"
mkdir -p "$D"
card1=$("$FIXTURE" card 4 16 71)
card2=$("$FIXTURE" card 4 16 72)
printf 'card %s\n' "$card1" > "$D/note.txt"
card3=$("$FIXTURE" card 4 16 73)
mkdir -p "$T/src"
printf 'card %s\n' "$card3" > "$T/src/pay.txt"
"$MKARCHIVE" ustar "$D/pay.tar" pay.txt="$T/src/pay.txt"
printf 'From: a@example.com\nTo: b@example.com\nSubject: pay run\nMessage-ID: <m1@example.com>\nMIME-Version: 1.0\nContent-Type: text/plain\n\ncard %s\n' \
    "$card2" > "$D/pay.eml"

if [ -n "${PIISCAN_VALGRIND:-}" ]; then
	skip "the module" "the program is valgrind's here"
	done_testing
	exit
fi

# glib_loaded ARGS...: how many of the GLib family a run started.
glib_loaded() {
	LD_DEBUG=libs "$@" 2>&1 > /dev/null |
		grep -c 'calling init: .*/lib\(gsf-1\|gmime-3\|pff\|glib-2\|gobject-2\|gio-2\)'
}
# archive_loaded ARGS...: whether a run started libarchive.
archive_loaded() {
	LD_DEBUG=libs "$@" 2>&1 > /dev/null | grep -c 'calling init: .*/libarchive\.so'
}
scan() {   # scan PROGRAM DB ARGS...
	local program=$1 db=$2
	shift 2
	"$program" scan --db "$db" --key-file "$T/key" --no-progress "$@"
}
# file_record DB NAME: the export's record of $D/NAME, from "status" on.
file_record() {
	"$PIISCAN" export --db "$1" --min-confidence low |
		sed -n "s|^{\"record\":\"file\",\"path\":\"$D/$2\",.*\\(\"status\":.*\\)}\$|\\1|p"
}

is "$(glib_loaded "$PIISCAN" --version)" 0 "--version starts none of GLib, libgsf, GMime, libpff"
is "$(archive_loaded "$PIISCAN" --version)" 0 "--version does not start libarchive"
is "$(archive_loaded scan "$PIISCAN" "$T/text0.db" "$D/note.txt")" 0 \
    "a scan of text does not start libarchive"
is "$(archive_loaded scan "$PIISCAN" "$T/tar.db" "$D/pay.tar")" 1 "a scan that meets a tar starts it"
is "$(file_record "$T/tar.db" pay.tar)" '"status":"ok","findings":1' "... and reads the tar"
is "$(glib_loaded scan "$PIISCAN" "$T/text.db" "$D/note.txt")" 0 \
    "a scan of text starts none of them"
n=$(glib_loaded scan "$PIISCAN" "$T/mail.db" "$D")
[ "$n" -gt 0 ]
ok $? "a scan that meets mail starts them"
is "$(file_record "$T/mail.db" pay.eml)" '"status":"ok","findings":3,"messages":1,"messages_failed":0' \
    "... and reads the mail (the card and the two addresses)"

# The program alone: the installed module is looked for, in $MODULE_DIR.
mkdir -p "$T/alone"
cp "$PIISCAN" "$T/alone/piiscan"
if [ -e "$MODULE_DIR/piiscan-ole-mail.so" ] || [ -e "$MODULE_DIR/piiscan-archive.so" ]; then
	skip "a program without its modules" "one is installed in $MODULE_DIR"
else
	scan "$T/alone/piiscan" "$T/alone.db" "$D" > "$T/stdout" 2> "$T/stderr"
	is "$?" 1 "without its module: a scan still ends, with the findings of the rest"
	is "$(file_record "$T/alone.db" pay.eml)" \
	    "\"status\":\"error\",\"error\":\"module: $MODULE_DIR/piiscan-ole-mail.so: cannot open shared object file: No such file or directory\",\"findings\":0" \
	    "... the mail is an error that names the module and the cause"
	is "$(file_record "$T/alone.db" note.txt)" '"status":"ok","findings":1' \
	    "... the text file is read"
	is "$(grep -c "^piiscan: $D/pay.eml: module: " "$T/stderr")" 1 "... and stderr says so once"
	is "$(file_record "$T/alone.db" pay.tar)" \
	    "\"status\":\"error\",\"error\":\"module: $MODULE_DIR/piiscan-archive.so: cannot open shared object file: No such file or directory\",\"findings\":0" \
	    "... the tar too, naming its module"
fi

# Another file of that name beside the program.
mkdir -p "$T/other"
cp "$PIISCAN" "$T/other/piiscan"
libz=$(ldd "$PIISCAN" | sed -n 's|^.*libz\.so\.1 => \([^ ]*\) .*$|\1|p')
cp "$libz" "$T/other/piiscan-ole-mail.so"
cp "$libz" "$T/other/piiscan-archive.so"
scan "$T/other/piiscan" "$T/other.db" "$D" > "$T/stdout" 2> "$T/stderr"
is "$?" 1 "beside a module of something else: the scan ends"
is "$(file_record "$T/other.db" pay.eml)" \
    "\"status\":\"error\",\"error\":\"module: $T/other/piiscan-ole-mail.so: built for another piiscan\",\"findings\":0" \
    "... the mail is an error: the module is not this piiscan's"
is "$(file_record "$T/other.db" pay.tar)" \
    "\"status\":\"error\",\"error\":\"module: $T/other/piiscan-archive.so: built for another piiscan\",\"findings\":0" \
    "... the tar too"

# No raw value in any inventory or output of these runs.
leak=0
for v in "$card1" "$card2" "$card3"; do
	if grep -a -q -F "$v" "$T"/*.db* "$T/stdout" "$T/stderr"; then
		leak=1
	fi
done
is "$leak" 0 "no raw value in the inventories or the output"

done_testing

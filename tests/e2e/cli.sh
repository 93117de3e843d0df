# cli.sh - the command line: exit codes, messages, options, errors.
. "$TOP_SRCDIR/tests/e2e/lib.sh"

run_piiscan
is "$status" 2 "no command: exit 2"
run_piiscan frobnicate
is "$status" 2 "unknown command: exit 2"
is "$(head -n 1 "$T/stderr")" "piiscan: unknown command 'frobnicate'" \
    "unknown command: named"
run_piiscan --version
is "$status" 0 "--version: exit 0"
case "$(cat "$T/stdout")" in "piiscan "[0-9]*) ok 0 "--version prints the version" ;;
*) ok 1 "--version prints the version" ;; esac
for cmd in scan report export scans stale lookup mark; do
	run_piiscan "$cmd" --help
	is "$status" 0 "$cmd --help: exit 0"
	case "$(head -n 1 "$T/stdout")" in "usage: piiscan $cmd"*) ok 0 "$cmd --help: usage" ;;
	*) ok 1 "$cmd --help: usage" ;; esac
done

mkdir -p "$T/clean" "$T/dirty"
printf 'nothing to see here, order 12345\n' > "$T/clean/a.txt"
printf 'card number %s\n' "$("$FIXTURE" card 4 16 1)" > "$T/dirty/a.txt"

run_piiscan scan --db "$T/c.db" --key-file "$T/key"
is "$status" 2 "scan without PATH: exit 2"
run_piiscan scan --db "$T/c.db" --key-file "$T/key" -j 0 "$T/clean"
is "$status" 2 "scan -j 0: exit 2"
is "$(head -n 1 "$T/stderr")" \
    "piiscan: -j: expected a number of threads from 1 to 256, not '0'" \
    "scan -j 0: message"
run_piiscan scan --db "$T/c.db" --key-file "$T/key" --max-filesize 12Q "$T/clean"
is "$status" 2 "scan --max-filesize 12Q: exit 2"
run_piiscan scan --bogus "$T/clean"
is "$status" 2 "scan with an unknown option: exit 2"

run_piiscan scan --db "$T/c.db" --key-file "$T/key" "$T/clean"
is "$status" 0 "scan of a clean tree: exit 0"
is "$(cat "$T/stdout")" \
    "scan 1 finished: 1 files (0 unchanged), 33 B read, 0 findings (0 medium or higher), 0 skipped, 0 partial, 0 errors, 0 gone" \
    "scan summary line"
run_piiscan scan --db "$T/c.db" --key-file "$T/key" "$T/dirty"
is "$status" 1 "scan of a tree with a card: exit 1"

# Options may follow the PATHs (git style).
run_piiscan scan "$T/dirty" --db "$T/after.db" --key-file "$T/key"
is "$status" 1 "options after PATH are options"
is "$(test -s "$T/after.db"; echo $?)" 0 "... the database named after PATH is used"

# Names are made safe for a terminal in messages.
run_piiscan scan --db "$T/n.db" --key-file "$T/key" "$T/gone$(printf '\377\033')"
is "$(cat "$T/stderr")" "piiscan: $T/gone\\xff\\x1b: No such file or directory" \
    "bytes that are not UTF-8 and control characters are shown as \\xNN"

# --progress draws a status line on stderr and clears it at the end.
run_piiscan scan --db "$T/prog.db" --key-file "$T/key" --progress "$T/dirty"
is "$status" 1 "--progress: the scan runs"
case "$(cat "$T/stderr")" in *"files, "*" findings, "*" errors, "*)
	ok 0 "--progress: a status line" ;;
*)	ok 1 "--progress: a status line"; od -c "$T/stderr" | head -5 | sed 's/^/# /' ;; esac
is "$(tail -c 4 "$T/stderr" | od -An -c | tr -d ' ')" '\r033[K' \
    "--progress: the line is cleared at the end"
run_piiscan scan --db "$T/prog.db" --key-file "$T/key" --no-progress "$T/dirty"
is "$(cat "$T/stderr")" "" "--no-progress: nothing on stderr"

# An unusable database: exit 2, a message naming the file and the cause.
run_piiscan scan --db "$T/no/such/dir/x.db" --key-file "$T/key" "$T/clean"
is "$status" 2 "database in a missing directory: exit 2"
is "$(cat "$T/stderr")" \
    "piiscan: cannot open database '$T/no/such/dir/x.db': No such file or directory" \
    "database in a missing directory: message"
printf 'this is not a database, just text that is long enough to matter........\n' > "$T/notdb"
run_piiscan scan --db "$T/notdb" --key-file "$T/key" "$T/clean"
is "$status" 2 "a file that is not a database: exit 2"
is "$(cat "$T/stderr")" \
    "piiscan: cannot open database '$T/notdb': file is not a database" \
    "a file that is not a database: message"

# A bad key file: exit 2 with the cause.
printf 'abc\n' > "$T/badkey"
chmod 600 "$T/badkey"
run_piiscan scan --db "$T/k.db" --key-file "$T/badkey" "$T/clean"
is "$status" 2 "a malformed key file: exit 2"
is "$(cat "$T/stderr")" \
    "piiscan: cannot use key file '$T/badkey': not a key: expected 64 hex characters" \
    "a malformed key file: message"
cp "$T/key" "$T/openkey"
chmod 644 "$T/openkey"
run_piiscan scan --db "$T/k.db" --key-file "$T/openkey" "$T/clean"
is "$status" 2 "a key file readable by others is refused"
is "$(cat "$T/stderr")" \
    "piiscan: cannot use key file '$T/openkey': it is open to group or others (mode 644); chmod 600 it" \
    "a key file readable by others: the message says why and what to do"
chmod 620 "$T/openkey"
run_piiscan lookup --db "$T/k.db" --key-file "$T/openkey" 4111111000231111
is "$status" 2 "lookup refuses a key file its group may write"
is "$(cat "$T/stderr")" \
    "piiscan: cannot use key file '$T/openkey': it is open to group or others (mode 620); chmod 600 it (lookup needs the key the scans were made with)" \
    "... with the same message"

# Run as root, scan says once that it needs only read access.
if [ "$(id -u)" -eq 0 ]; then
	env -u PIISCAN_ROOT_OK "$PIISCAN" scan --db "$T/r.db" --key-file "$T/key" \
	    --no-progress "$T/clean" > /dev/null 2> "$T/stderr"
	is "$(cat "$T/stderr")" \
	    "piiscan: warning: running as root: a scan needs only read access (see PRIVILEGES in piiscan(1); PIISCAN_ROOT_OK=1 silences this)" \
	    "run as root: one warning"
	PIISCAN_ROOT_OK=1 "$PIISCAN" scan --db "$T/r.db" --key-file "$T/key" \
	    --no-progress "$T/clean" > /dev/null 2> "$T/stderr"
	is "$(cat "$T/stderr")" "" "run as root with PIISCAN_ROOT_OK: none"
else
	skip "run as root: one warning" "not root"
	skip "run as root with PIISCAN_ROOT_OK: none" "not root"
fi

# Missing paths are reported once, recorded, and the scan goes on.
run_piiscan scan --db "$T/m.db" --key-file "$T/key" "$T/missing" "$T/dirty"
is "$status" 1 "a missing PATH does not stop the scan"
is "$(cat "$T/stderr")" "piiscan: $T/missing: No such file or directory" \
    "a missing PATH: reported once"
run_piiscan export --db "$T/m.db"
is "$(grep -c "\"path\":\"$T/missing\",.*\"status\":\"error\",\"error\":\"No such file or directory\"" "$T/stdout")" 1 \
    "a missing PATH: recorded with its error"

# Patterns: a broken pattern file stops the scan before it starts.
mkdir -p "$T/pat"
printf 'format 1\ntype card\nmatch medium [0-9\n' > "$T/pat/bad.pattern"
run_piiscan scan --db "$T/p.db" --key-file "$T/key" --patterns "$T/pat" "$T/clean"
is "$status" 2 "a broken pattern file: exit 2"
is "$(cat "$T/stderr")" \
    "piiscan: cannot load patterns: $T/pat/bad.pattern:3: bad regex at offset 4: missing terminating ] for character class" \
    "a broken pattern file: file:line and PCRE2's message"
is "$(test -e "$T/p.db"; echo $?)" 1 "a broken pattern file: no database created"

# Reading commands.
run_piiscan report --db "$T/none.db"
is "$status" 2 "report on a missing database: exit 2"
is "$(cat "$T/stderr")" "piiscan: cannot open database '$T/none.db': No such file or directory" \
    "report on a missing database: message"
run_piiscan report --db "$T/c.db" --scan 9
is "$status" 2 "report --scan of an unknown scan: exit 2"
is "$(cat "$T/stderr")" "piiscan: database '$T/c.db' has no scan 9" \
    "report --scan of an unknown scan: message"
run_piiscan report --db "$T/c.db" --scan 2
is "$status" 0 "report --scan 2: exit 0"
is "$(grep -c '^  card  *1  *0  *0  *1  *1$' "$T/stdout")" 1 \
    "report: one high card, one distinct"
run_piiscan export --db "$T/c.db" --format xml
is "$status" 2 "export --format xml: exit 2"
run_piiscan export --db "$T/c.db" --format csv --scan 2
is "$status" 0 "export --format csv: exit 0"
is "$(head -n 1 "$T/stdout" | tr -d '\r')" \
    "path,member,where,type,confidence,masked,value_hash,owner,mtime,scan_id,status,review,finding_id,scan_started,scan_finished,scan_status,scan_host,scan_user,piiscan_version,patterns_sha256,rules" \
    "csv header"
is "$(sed -n 2p "$T/stdout" | cut -d, -f1-6)" \
    "$T/dirty/a.txt,,line 1,card,high,$("$FIXTURE" card 4 16 1 | sed 's/^\(......\).*\(....\)$/\1******\2/')" \
    "csv finding row"
run_piiscan scans --db "$T/c.db"
is "$status" 0 "scans: exit 0"
is "$(wc -l < "$T/stdout")" 3 "scans: a header and two scans"
is "$(sed -n 3p "$T/stdout" | awk '{print $1, $4, $5, $6}')" "2 finished 1 1" \
    "scans: id, status, files, findings"

# Export to a file is atomic: nothing is left behind on failure.
run_piiscan export --db "$T/c.db" -o "$T/no/such/dir/out.jsonl"
is "$status" 2 "export to a missing directory: exit 2"

done_testing

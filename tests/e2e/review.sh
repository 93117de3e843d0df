# review.sh - report's sections and filters, review marks across rescans,
# CSV rows equal to JSONL finding records, export digests and records.
. "$TOP_SRCDIR/tests/e2e/lib.sh"

R="$T/rev"
mkdir -p "$R/share/hr" "$R/share/old"
c1=$("$FIXTURE" card 4 16 51)
c2=$("$FIXTURE" card 52 16 52)
h1=$("$FIXTURE" hkid B 53)
printf 'card number %s\nHKID %s(%s)\n' "$c1" "${h1%?}" "${h1#"${h1%?}"}" > "$R/share/hr/a.txt"
printf 'ref %s\nagain %s\n' "$c2" "$c1" > "$R/share/hr/b.txt"
printf 'old card %s\n' "$c2" > "$R/share/old/c.txt"
touch -d '2012-06-01 12:00:00' "$R/share/old/c.txt"
DB="$T/rev.db"
SHARE=$(cd "$R/share" && pwd -P)
run_piiscan scan --db "$DB" --key-file "$T/key" --no-progress "$R/share"
is "$status" 1 "scan"

# --- report ---------------------------------------------------------------
run_piiscan report --db "$DB"
is "$status" 0 "report"
is "$(sed -n '/^Findings/,/^$/p' "$T/stdout" | sed -n '3,4p')" \
"  card              2        2        0        4         2
  hkid              1        0        0        1         1" \
    "report: findings by type and confidence, distinct values"
is "$(grep -A3 '^Top owners' "$T/stdout" | sed -n 3p | awk '{print $1}')" 5 \
    "report: top owners"
is "$(grep -A2 '^File types holding findings' "$T/stdout" | sed -n 3p | awk '{print $1, $2}')" \
    "3 text" "report: file types holding findings"
is "$(grep -A4 '^Age of files' "$T/stdout" | awk 'NR > 2 {print $2 ":" $1}' | tr '\n' ' ')" \
    "2012:1 $(date +%Y):2 " "report: age profile by year"
run_piiscan report --db "$DB" --type hkid
is "$(sed -n '/^Findings/,/^$/p' "$T/stdout" | sed -n 3p | awk '{print $1, $5}')" "hkid 1" \
    "report --type hkid"
is "$(grep -c '^  card' "$T/stdout")" 0 "report --type hkid: no card row"
run_piiscan report --db "$DB" --path-prefix "$R/share/old"
is "$(sed -n '/^Findings/,/^$/p' "$T/stdout" | sed -n 3p | awk '{print $1, $5}')" "card 1" \
    "report --path-prefix"
mkdir -p "$R/share/old2"
run_piiscan report --db "$DB" --path-prefix "$R/share/ol"
is "$(grep -c '(none)' "$T/stdout")" 1 "report --path-prefix takes whole path components"
run_piiscan report --db "$DB" --type nosuch
is "$(grep -c '(none)' "$T/stdout")" 1 "report --type of no finding: none"

# --- review marks -----------------------------------------------------------
run_piiscan mark --db "$DB" --status test-data --reason "sample data" --file "$R/share/old/c.txt"
is "$status" 0 "mark a file"
is "$(cat "$T/stdout")" "marked file test-data" "mark a file: message"
hash2=$("$PIISCAN" export --db "$DB" | grep '"masked":"'"${c2:0:6}"'' | head -n 1 |
    sed 's/.*"value_hash":"\([0-9a-f]*\)".*/\1/')
run_piiscan mark --db "$DB" --status false-positive --reason "not a card" --value-hash "$hash2"
is "$status" 0 "mark a value"
run_piiscan report --db "$DB"
is "$(sed -n '/^Findings/,/^$/p' "$T/stdout" | sed -n 3p)" \
    "  card              1        1        0        2         1" \
    "report leaves marked findings out"
is "$(grep -c '2 findings marked false-positive or test-data left out' "$T/stdout")" 1 \
    "report says how many it left out"
run_piiscan report --db "$DB" --include-reviewed
is "$(sed -n '/^Findings/,/^$/p' "$T/stdout" | sed -n 3p | awk '{print $5}')" 4 \
    "--include-reviewed counts them"
run_piiscan scan --db "$DB" --key-file "$T/key" --no-progress "$R/share"
printf 'changed\n' >> "$R/share/hr/b.txt"
run_piiscan scan --db "$DB" --key-file "$T/key" --no-progress "$R/share"
run_piiscan report --db "$DB"
is "$(sed -n '/^Findings/,/^$/p' "$T/stdout" | sed -n 3p)" \
    "  card              1        1        0        2         1" \
    "marks hold for carried-over and re-found findings"
"$PIISCAN" export --db "$DB" --include-reviewed > "$T/all.jsonl"
# c.txt's value was marked after the file: the latest mark is shown.
is "$(grep -c '"review":"false-positive"' "$T/all.jsonl")" 2 "export shows a value's mark"
is "$(grep -c '"review":"test-data"' "$T/all.jsonl")" 0 "... the latest mark of each finding"
run_piiscan mark --db "$DB" --status confirmed --reason "checked" --value-hash "$hash2"
run_piiscan report --db "$DB"
is "$(sed -n '/^Findings/,/^$/p' "$T/stdout" | sed -n 3p | awk '{print $5}')" 4 \
    "the latest mark counts"
run_piiscan mark --db "$DB" --status maybe --reason x --file "$R/share/hr/a.txt"
is "$status" 2 "mark with an unknown status: exit 2"
run_piiscan mark --db "$DB" --status confirmed --reason x --file "$R/share/none.txt"
is "$(cat "$T/stderr")" "piiscan: mark: no such file in database '$DB'" "mark an unknown file"
run_piiscan mark --db "$DB" --list
is "$(wc -l < "$T/stdout")" 3 "mark --list: every mark"

# --- CSV equals JSONL; digests and custody records ----------------------------
run_piiscan export --db "$DB" --include-reviewed --min-confidence low -o "$T/e.jsonl"
is "$status" 0 "export jsonl to a file"
run_piiscan export --db "$DB" --include-reviewed --min-confidence low --format csv -o "$T/e.csv"
is "$status" 0 "export csv to a file"
grep '"record":"finding"' "$T/e.jsonl" |
	sed 's/^{"record":"finding","path":"\([^"]*\)","member":"\([^"]*\)","where":"\([^"]*\)","type":"\([^"]*\)","confidence":"\([^"]*\)","masked":"\([^"]*\)","value_hash":"\([^"]*\)"\(,"review":"\([^"]*\)"\)\{0,1\}}$/\1,\2,\3,\4,\5,\6,\7,\9/' \
	> "$T/from-jsonl"
tail -n +2 "$T/e.csv" | tr -d '\r' | awk -F, '{print $1","$2","$3","$4","$5","$6","$7","$12}' > "$T/from-csv"
same_file "$T/from-csv" "$T/from-jsonl" "CSV rows equal the JSONL finding records"
is "$(cd "$T" && sha256sum -c e.jsonl.sha256 e.csv.sha256 2>&1)" "e.jsonl: OK
e.csv: OK" "each export has a SHA-256 file that verifies"
if [ -n "${SQLITE3:-}" ] && [ -x "$SQLITE3" ]; then
	is "$("$SQLITE3" "$DB" "SELECT format, CAST(path AS TEXT) = '$T/e.csv', sha256 = '$(cut -c1-64 "$T/e.csv.sha256")' FROM exports ORDER BY id DESC LIMIT 1")" \
	    "csv|1|1" "the export is recorded in the inventory with its digest"
else
	skip "the export is recorded in the inventory with its digest" "no sqlite3"
fi
"$PIISCAN" export --db "$DB" > "$T/stdout-export"
head -n 1 "$T/stdout-export" > "$T/scanrec"
case "$(cat "$T/scanrec")" in *'"host":"'*'"user":"'*'"options":{'*'"rules":"'*) ok 0 "scan record: host, user, options, rules" ;;
*) ok 1 "scan record: host, user, options, rules" ;; esac

done_testing

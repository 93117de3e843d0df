# scan.sh - scan the generated tree; the export must hold exactly the
# planted values (no decoy), each with the right place, confidence, mask
# and keyed hash; no raw value may reach the database, its journal, the
# export or stderr.
. "$TOP_SRCDIR/tests/e2e/lib.sh"

"$FIXTURE" tree "$T/share"
ok $? "fixture tree generated"
SHARE=$(cd "$T/share" && pwd -P)

run_piiscan scan --db "$T/inv.db" --key-file "$T/key" -j 2 "$T/share"
is "$status" 1 "scan exits 1 when it finds something"
cp "$T/stderr" "$T/scan.stderr"
is "$(cat "$T/scan.stderr")" "" "scan prints nothing on stderr"

run_piiscan export --db "$T/inv.db" --min-confidence low -o "$T/all.jsonl"
is "$status" 0 "export --min-confidence low exits 0"

# Expected findings: the fixture's answers, with hashes from openssl.
if [ -n "${OPENSSL:-}" ] && [ -x "$OPENSSL" ]; then
	while IFS='	' read -r rel where type conf masked value; do
		printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$rel" "$where" "$type" "$conf" \
		    "$masked" "$(hmac_of "$type" "$value")"
	done < "$T/answers.tsv" | LC_ALL=C sort > "$T/want"
	findings_of "$T/all.jsonl" "$SHARE" > "$T/got"
	same_file "$T/got" "$T/want" \
	    "every planted value found once, no decoy; where, confidence, mask, HMAC exact"
else
	cut -f1-5 "$T/answers.tsv" | LC_ALL=C sort > "$T/want"
	findings_of "$T/all.jsonl" "$SHARE" | cut -f1-5 > "$T/got"
	same_file "$T/got" "$T/want" "every planted value found once, no decoy"
	skip "value_hash equals openssl's HMAC" "openssl not installed"
fi

want_count=$(wc -l < "$T/answers.tsv")
is "$(grep -c '"record":"finding"' "$T/all.jsonl")" "$want_count" \
    "finding records: as many as planted values"
is "$(grep -c '"member":""' "$T/all.jsonl")" "$want_count" \
    "member is empty outside archives"

# The default export shows medium and higher only.
run_piiscan export --db "$T/inv.db" -o "$T/default.jsonl"
want_medium=$(awk -F'\t' '$4 != "low"' "$T/answers.tsv" | wc -l)
is "$(grep -c '"record":"finding"' "$T/default.jsonl")" "$want_medium" \
    "default export: medium and higher"
is "$(grep -c '"confidence":"low"' "$T/default.jsonl")" 0 \
    "default export: no low finding"

# The scan record.
scan_line=$(head -n 1 "$T/all.jsonl")
case "$scan_line" in
'{"record":"scan","scan_id":1,"started":"'*'Z","finished":"'*'Z","status":"finished","roots":["'"$SHARE"'"],"version":"'*'","patterns_sha256":"'*'","files":11,"bytes":'*',"findings":'"$want_count"',"errors":0,"skipped":1,"partial":0,"gone":0,"host":"'*'","user":"'*'","options":{'*'},"rules":"'*'","key_id":"'*'","atime_touched":0}')
	ok 0 "scan record: id, times, roots, counts" ;;
*)
	ok 1 "scan record: id, times, roots, counts"
	echo "# $scan_line" ;;
esac
sha=$(printf '%s' "$scan_line" | sed 's/.*"patterns_sha256":"\([0-9a-f]*\)".*/\1/')
is "${#sha}" 64 "patterns_sha256 is 64 hex characters"

# The file records: one per file, with type and status.
grep '"record":"file"' "$T/all.jsonl" |
	sed "s|\"path\":\"$SHARE/|\"path\":\"|; s|\"mtime\":\"[^\"]*\"|\"mtime\":\"T\"|; s|\"owner\":\"[^\"]*\"|\"owner\":\"O\"|" \
	> "$T/files.got"
cat > "$T/files.want" <<'WANT'
{"record":"file","path":"finance/cards.tsv","size":300,"mtime":"T","owner":"O","type":"csv","status":"ok","findings":10}
{"record":"file","path":"hr/plain.txt","size":5959,"mtime":"T","owner":"O","type":"text","status":"ok","findings":14}
{"record":"file","path":"hr/staff.csv","size":1553,"mtime":"T","owner":"O","type":"csv","status":"ok","findings":41}
{"record":"file","path":"logs/big.log","size":2097165,"mtime":"T","owner":"O","type":"text","status":"ok","findings":4}
{"record":"file","path":"misc/blob.bin","size":4096,"mtime":"T","owner":"O","type":"application/octet-stream","status":"skipped","error":"unsupported: application/octet-stream","findings":0}
{"record":"file","path":"misc/crlf.txt","size":36,"mtime":"T","owner":"O","type":"text","status":"ok","findings":1}
{"record":"file","path":"misc/empty.txt","size":0,"mtime":"T","owner":"O","type":"empty","status":"ok","findings":0}
{"record":"file","path":"misc/latin1.txt","size":41,"mtime":"T","owner":"O","type":"text","status":"ok","findings":1}
{"record":"file","path":"web/data.json","size":101,"mtime":"T","owner":"O","type":"json","status":"ok","findings":2}
{"record":"file","path":"web/feed.xml","size":109,"mtime":"T","owner":"O","type":"xml","status":"ok","findings":1}
{"record":"file","path":"web/page.html","size":548,"mtime":"T","owner":"O","type":"html","status":"ok","findings":2}
WANT
same_file "$T/files.got" "$T/files.want" "file records: paths, sizes, types, statuses"

# Modes: the database (and its WAL) and an export are private.
is "$(stat -c %a "$T/inv.db")" 600 "database created with mode 0600"
is "$(stat -c %a "$T/all.jsonl")" 600 "export written with mode 0600"

# A key is made on first use, mode 0600, 64 hex characters.
run_piiscan scan --db "$T/second.db" "$T/share/misc"
is "$status" 1 "scan with the default key file"
key="$XDG_CONFIG_HOME/piiscan/key"
is "$(stat -c %a "$key" 2>/dev/null)" 600 "key file created with mode 0600"
is "$(grep -cE '^[0-9a-f]{64}$' "$key")" 1 "key file holds 64 hex characters"
is "$(grep -c 'created key file' "$T/stderr")" 1 "key creation is announced once"

# Data minimisation: no raw value, no unkeyed hash of one, anywhere.
: > "$T/forbidden"
while IFS='	' read -r rel where type conf masked value; do
	printf '%s\n' "$value" >> "$T/forbidden"
	printf '%s' "$value" | sha256sum | cut -c1-64 >> "$T/forbidden"
	printf '%s:%s' "$type" "$value" | sha256sum | cut -c1-64 >> "$T/forbidden"
done < "$T/answers.tsv"
is "$(wc -l < "$T/forbidden")" "$((want_count * 3))" "forbidden list built"
leaks=0
for f in "$T/inv.db" "$T/inv.db-wal" "$T/inv.db-shm" "$T/all.jsonl" \
    "$T/default.jsonl" "$T/scan.stderr"; do
	[ -e "$f" ] || continue
	if grep -a -F -q -f "$T/forbidden" "$f"; then
		echo "# raw value or unkeyed hash in $f"
		leaks=$((leaks + 1))
	fi
done
is "$leaks" 0 "no raw value or unkeyed hash in database, WAL, exports, stderr"
if [ -n "${SQLITE3:-}" ] && [ -x "$SQLITE3" ]; then
	"$SQLITE3" "$T/inv.db" "SELECT count(*) FROM findings WHERE length(masked) = 0 OR instr(masked, '*') = 0" > "$T/q" 2>&1
	is "$(cat "$T/q")" 0 "every stored value is masked"
else
	skip "every stored value is masked" "sqlite3 not installed"
fi

done_testing

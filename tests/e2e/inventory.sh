# inventory.sh - the SQLite inventory: schema, WAL, integrity, history.
. "$TOP_SRCDIR/tests/e2e/lib.sh"

if [ -z "${SQLITE3:-}" ] || [ ! -x "$SQLITE3" ]; then
	echo "1..0 # SKIP sqlite3 not installed"
	exit 0
fi
q() { "$SQLITE3" "$T/inv.db" "$@"; }

mkdir -p "$T/s"
card=$("$FIXTURE" card 4 16 21)
hkid=$("$FIXTURE" hkid A 22)
printf 'card number %s\nHKID %s(%s)\n' "$card" "${hkid%?}" "${hkid#???????}" > "$T/s/a.txt"
printf 'nothing\n' > "$T/s/b.txt"

"$PIISCAN" scan --db "$T/inv.db" --key-file "$T/key" "$T/s" > /dev/null 2>&1
is "$?" 1 "first scan"
is "$(q 'PRAGMA integrity_check')" ok "integrity_check passes"
is "$(q 'PRAGMA journal_mode')" wal "journal mode is WAL"
is "$(q 'PRAGMA foreign_key_check' | wc -l)" 0 "foreign keys hold"
is "$(q "SELECT value FROM meta WHERE key = 'schema_version'")" 4 "schema version recorded"
is "$(q 'SELECT id, status, files, findings, errors FROM scans')" "1|finished|2|2|0" \
    "scan row: status and counters"
is "$(q 'SELECT count(*) FROM scans WHERE finished >= started AND version != "" AND length(patterns_sha256) = 64')" 1 \
    "scan row: times, version, pattern digest"
is "$(q 'SELECT typeof(path) FROM files GROUP BY 1')" blob "paths stored as bytes"
is "$(q 'SELECT type, confidence, masked FROM findings ORDER BY type')" \
    "card|3|$(printf '%s' "$card" | sed 's/^\(......\).*\(....\)$/\1******\2/')
hkid|3|A******(${hkid#???????})" "findings: type, confidence (3 = high), mask"
is "$(q 'SELECT count(*) FROM findings WHERE length(value_hash) = 64 AND value_hash NOT GLOB "*[^0-9a-f]*"')" 2 \
    "value_hash is 64 lower-case hex characters"
is "$(q 'SELECT value_hash FROM findings WHERE type = "card"')" "$(hmac_of card "$card")" \
    "value_hash of the card equals openssl's HMAC"
is "$(q 'SELECT owner IS NOT NULL AND mtime > 0 AND size > 0 FROM files WHERE path = CAST('"'$T/s/a.txt'"' AS BLOB)')" 1 \
    "file row: owner, mtime, size"

# A second scan is a new scan; the first keeps its findings.
printf 'nothing any more\n' > "$T/s/a.txt"
"$PIISCAN" scan --db "$T/inv.db" --key-file "$T/key" "$T/s" > /dev/null 2>&1
is "$?" 0 "second scan finds nothing"
is "$(q 'SELECT id, findings FROM scans ORDER BY id')" "1|2
2|0" "scan history kept"
is "$(q 'SELECT count(*) FROM findings WHERE scan_id = 1')" 2 "first scan's findings kept"
is "$(q 'SELECT count(*) FROM files')" 2 "one row per file"
is "$(q 'SELECT min(last_scan) FROM files')" 2 "files point at their last scan"
"$PIISCAN" export --db "$T/inv.db" --scan 1 > "$T/e1"
is "$(grep -c '"record":"finding"' "$T/e1")" 2 "export --scan 1 shows the first scan's findings"
"$PIISCAN" report --db "$T/inv.db" > "$T/r2"
is "$(grep -c '(none)' "$T/r2")" 1 "report of the latest scan: no findings"
is "$(q 'PRAGMA integrity_check')" ok "integrity_check passes after two scans"

done_testing

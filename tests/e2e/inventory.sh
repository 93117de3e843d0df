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
is "$(q "SELECT group_concat(name, ' ') FROM (SELECT name FROM sqlite_schema
  WHERE type = 'index' AND tbl_name = 'finding_rows' ORDER BY 1)")" \
    "findings_scan_file findings_value_prefix" "findings indexed by file and by hash prefix"
is "$(q 'PRAGMA foreign_key_check' | wc -l)" 0 "foreign keys hold"
is "$(q "SELECT value FROM meta WHERE key = 'schema_version'")" 8 "schema version recorded"
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

# A rescan takes an unchanged file's findings over without copying them.
printf 'card number %s\n' "$card" > "$T/s/c.txt"
for i in 3 4 5; do
	"$PIISCAN" scan --db "$T/inv.db" --key-file "$T/key" "$T/s" > /dev/null 2>&1
done
is "$(q 'SELECT scan_id, count(*) FROM finding_rows GROUP BY 1')" "1|2
3|1" "findings recorded once, by the scan that read the file"
is "$(q 'SELECT scan_id, from_scan FROM carried ORDER BY 1')" "4|3
5|3" "... and carried, from it, by the scans after"
is "$(q 'SELECT scan_id, count(*) FROM findings GROUP BY 1')" "1|2
3|1
4|1
5|1" "the view findings shows them as each scan's"
is "$(q 'SELECT masked FROM findings WHERE scan_id = 5')" \
    "$(printf '%s' "$card" | sed 's/^\(......\).*\(....\)$/\1******\2/')" "... with their masked value"
"$PIISCAN" export --db "$T/inv.db" --scan 5 > "$T/e5"
is "$(grep -c '"record":"finding","path":"'"$T"'/s/c.txt"' "$T/e5")" 1 \
    "export --scan 5 shows the carried finding"

# An inventory of schema 3 (findings a table, an index on last_scan) is
# brought to this schema, its findings kept.
schema3="
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
INSERT INTO meta VALUES ('schema_version', '3');
CREATE TABLE scans(id INTEGER PRIMARY KEY, started INTEGER NOT NULL, finished INTEGER,
  status TEXT NOT NULL, roots TEXT NOT NULL, options TEXT NOT NULL, version TEXT NOT NULL,
  patterns_sha256 TEXT NOT NULL, files INTEGER NOT NULL DEFAULT 0,
  bytes INTEGER NOT NULL DEFAULT 0, findings INTEGER NOT NULL DEFAULT 0,
  errors INTEGER NOT NULL DEFAULT 0, skipped INTEGER NOT NULL DEFAULT 0,
  partial INTEGER NOT NULL DEFAULT 0);
CREATE TABLE files(id INTEGER PRIMARY KEY, path BLOB NOT NULL UNIQUE, size INTEGER,
  mtime INTEGER, ctime INTEGER, atime INTEGER, dev INTEGER, ino INTEGER, mode INTEGER,
  uid INTEGER, gid INTEGER, owner TEXT, grp TEXT, type TEXT, status TEXT NOT NULL,
  error TEXT, findings INTEGER NOT NULL DEFAULT 0,
  last_scan INTEGER NOT NULL REFERENCES scans(id));
CREATE INDEX files_last_scan ON files(last_scan);
CREATE TABLE findings(id INTEGER PRIMARY KEY, scan_id INTEGER NOT NULL REFERENCES scans(id),
  file_id INTEGER NOT NULL REFERENCES files(id), member BLOB NOT NULL DEFAULT x'',
  location TEXT NOT NULL, type TEXT NOT NULL, confidence INTEGER NOT NULL,
  masked TEXT NOT NULL, value_hash TEXT NOT NULL);
INSERT INTO scans VALUES (1, 1700000000, 1700000001, 'finished', '[\"/old\"]', '{}', '0.0.1',
  '$(printf '%064d' 0)', 1, 10, 1, 0, 0, 0);
INSERT INTO files(id, path, size, mtime, status, findings, last_scan)
  VALUES (1, CAST('/old/a.txt' AS BLOB), 10, 1600000000, 'ok', 1, 1);
INSERT INTO findings VALUES (1, 1, 1, x'', 'line 1', 'card', 3, '411111******1111',
  '$(printf '%064d' 1)');"
"$SQLITE3" "$T/old.db" "$schema3"
"$PIISCAN" scan --db "$T/old.db" --key-file "$T/key" "$T/s" > /dev/null 2>&1
is "$?" 1 "an inventory of schema 3 takes a new scan"
is "$("$SQLITE3" "$T/old.db" "SELECT value FROM meta WHERE key = 'schema_version';
  SELECT type FROM sqlite_schema WHERE name IN ('findings', 'files_last_scan',
   'findings_value_hash');
  SELECT count(*) FROM findings WHERE scan_id = 1;
  PRAGMA integrity_check")" "8
view
1
ok" "... brought to schema 8: findings a view, its old findings kept"

# An upgrade that fails half-way (a reviews table of someone else's
# making, without the column an index of schema 8 needs) changes nothing:
# the findings table is not left renamed, nor columns added.
"$SQLITE3" "$T/odd.db" "$schema3 CREATE TABLE reviews(id INTEGER PRIMARY KEY);"
"$PIISCAN" scan --db "$T/odd.db" --key-file "$T/key" "$T/s" > /dev/null 2> "$T/odd.err"
is "$?" 2 "an inventory that cannot be upgraded: exit 2"
grep -q "^piiscan: cannot open database '$T/odd.db': no such column" "$T/odd.err"
ok $? "... saying why: $(cat "$T/odd.err")"
is "$("$SQLITE3" "$T/odd.db" "SELECT value FROM meta WHERE key = 'schema_version';
  SELECT type FROM sqlite_schema WHERE name IN ('findings', 'finding_rows');
  SELECT count(*) FROM pragma_table_info('files');
  SELECT count(*) FROM scans")" "3
table
18
1" "... and is left as it was: schema 3, findings a table, no column added, no scan"

# Many findings in one file: written 32 rows a statement, then one by
# one; every row exact (line, mask, hash).
mkdir -p "$T/many"
: > "$T/many/cards.txt"
for i in $(seq 1 70); do
	printf 'ref %s\n' "$("$FIXTURE" card 4 16 "$((100 + i))")" >> "$T/many/cards.txt"
done
"$PIISCAN" scan --db "$T/many.db" --key-file "$T/key" "$T/many" > /dev/null 2>&1
is "$?" 1 "a file of 70 cards"
qm() { "$SQLITE3" "$T/many.db" "$@"; }
is "$(qm "SELECT count(*), count(DISTINCT location), count(DISTINCT value_hash) FROM findings")" \
    "70|70|70" "70 findings, one a line, 70 values"
ok=0
for i in 1 32 33 64 65 70; do
	c=$("$FIXTURE" card 4 16 "$((100 + i))")
	[ "$(qm "SELECT masked || ' ' || value_hash FROM findings WHERE location = 'line $i'")" \
	    = "$(printf '%s' "$c" | sed 's/^\(......\).*\(....\)$/\1******\2/') $(hmac_of card "$c")" ] \
	    && ok=$((ok + 1))
done
is "$ok" 6 "lines 1, 32, 33, 64, 65, 70: mask and hash of their own card"

done_testing

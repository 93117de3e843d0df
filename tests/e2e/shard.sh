# shard.sh - an estate scanned in shards and merged (doc/sharding.md):
# the recipes' commands run as N local processes, with the environment a
# Slurm job array, a Kubernetes Indexed Job or GNU parallel would give
# them; the merged inventory must equal one full scan exactly.
. "$TOP_SRCDIR/tests/e2e/lib.sh"

if [ -z "${SQLITE3:-}" ] || [ ! -x "$SQLITE3" ]; then
	echo "1..0 # SKIP sqlite3 not installed"
	exit 0
fi

# --- a labelled corpus ---------------------------------------------------
# The fixture's tree (answers.tsv says what is in it) at depth 1, again at
# depth 2, one of its files at the top, a zip, a symlink, and an excluded
# file that holds a card.
C="$T/estate"
mkdir -p "$C/site/north" "$T/parts"
"$FIXTURE" tree "$C/site/central" > /dev/null
ok $? "labelled tree generated"
C=$(cd "$C" && pwd -P)
mv "$C/site/answers.tsv" "$T/answers.tsv"
cp -R "$C/site/central" "$C/site/north/dept"
cp -R "$C/site/central" "$C/annex"
cp "$C/site/central/hr/plain.txt" "$C/top.txt"
"$DOCGEN" zip "$C/site/bundle.zip" "old/plain.txt=$C/site/central/hr/plain.txt"
ln -s site/central/hr "$C/hr-link"
printf 'card number %s\n' "$("$FIXTURE" card 4 16 5)" > "$C/annex/hr/leave.me"
for i in 1 2 3 4 5 6 7 8; do
	mkdir -p "$C/teams/t$i"
	printf 'card number %s\n' "$("$FIXTURE" card 4 16 "$((10 + i))")" > "$C/teams/t$i/card.txt"
	printf 'nothing here\n' > "$C/teams/t$i/note.txt"
done
# A root that is a file, beside the tree.
printf 'HKID %s\n' "$("$FIXTURE" hkid A 9)" > "$T/single.txt"
SINGLE="$T/single.txt"
# OPTS is split into words, unglobbed.
set -f
OPTS="--key-file $T/key --no-progress --exclude *.me -j 2"

# Comparable lines of an export: path, member, where, type, value_hash;
# and the file records: path, type, status.
found() {
	"$PIISCAN" export --db "$1" --min-confidence low |
		sed -n 's/^{"record":"finding","path":\("[^"]*"\),"member":\("[^"]*"\),"where":\("[^"]*"\),"type":\("[^"]*"\),"confidence":"[a-z]*","masked":"[^"]*","value_hash":\("[0-9a-f]*"\).*/\1 \2 \3 \4 \5/p' |
		LC_ALL=C sort
}
files_of() {
	"$PIISCAN" export --db "$1" --min-confidence low |
		sed -n 's/^{"record":"file","path":\("[^"]*"\),.*"type":\("[^"]*"\),"status":\("[^"]*"\).*/\1 \2 \3/p' |
		LC_ALL=C sort
}
distinct() {
	"$PIISCAN" report --db "$1" --min-confidence low | sed -n '/^Findings/,/^$/p'
}
counts() {
	"$SQLITE3" "$1" "SELECT (SELECT count(*) FROM scans), (SELECT count(*) FROM files),
	  (SELECT count(*) FROM finding_rows), (SELECT count(*) FROM carried),
	  (SELECT count(*) FROM reviews), (SELECT count(*) FROM exports)"
}

# --- one full scan ---------------------------------------------------------
run_piiscan scan --db "$T/full.db" $OPTS "$C" "$SINGLE"
is "$status" 1 "full scan finds something"
found "$T/full.db" > "$T/full.found"
files_of "$T/full.db" > "$T/full.files"
distinct "$T/full.db" > "$T/full.distinct"
# The labelled values, where they were planted: every copy of the tree,
# the copied file and the zip member; nothing of the excluded file.
want_per_tree=$(wc -l < "$T/answers.tsv")
want_top=$(grep -c '^hr/plain.txt	' "$T/answers.tsv")
is "$(wc -l < "$T/full.found")" \
    "$((3 * want_per_tree + 2 * want_top + 8 + 1))" \
    "full scan: every labelled value (3 trees, a copy, a zip member, 8 teams, a root file)"
is "$(grep -c 'leave.me' "$T/full.files")" 0 "full scan: the excluded file is not recorded"
is "$(grep -c '"'"$C"'/hr-link" "symlink" "skipped"' "$T/full.files")" 1 \
    "full scan: the symlink recorded, skipped"

# --- Slurm job array: sbatch --array=1-4, piiscan scan --shard auto ----------
for id in 1 2 3 4; do
	env SLURM_ARRAY_JOB_ID=4242 SLURM_ARRAY_TASK_ID=$id SLURM_ARRAY_TASK_MIN=1 \
	    SLURM_ARRAY_TASK_MAX=4 SLURM_ARRAY_TASK_COUNT=4 SLURM_JOB_ID=$((4242 + id)) \
	    "$PIISCAN" scan --shard auto --db "$T/shard-$id.db" $OPTS "$C" "$SINGLE" \
	    > "$T/slurm-$id.out" 2>&1 &
done
wait
run_piiscan merge --db "$T/slurm.db" "$T"/shard-1.db "$T"/shard-2.db "$T"/shard-3.db "$T"/shard-4.db
is "$status" 0 "slurm: merge of 4 shards exits 0"
found "$T/slurm.db" > "$T/slurm.found"
same_file "$T/slurm.found" "$T/full.found" \
    "slurm: 4 shards merged = the full scan's (path, member, where, type, value_hash)"
files_of "$T/slurm.db" > "$T/slurm.files"
same_file "$T/slurm.files" "$T/full.files" "slurm: the same files, types and statuses"
distinct "$T/slurm.db" > "$T/slurm.distinct"
same_file "$T/slurm.distinct" "$T/full.distinct" "slurm: report: the same counts and distinct values"
is "$("$SQLITE3" "$T/shard-3.db" 'SELECT shard, shard_depth, estate FROM scans')" \
    "3/4|3|slurm-4242" "slurm: task 3 of --array=1-4 is shard 3/4 of estate slurm-4242"
is "$("$PIISCAN" report --db "$T/slurm.db" | sed -n 2p)" \
    "  estate    slurm-4242: scans 1,2,3,4, 4 of 4 shards (depth 3)" \
    "slurm: the report shows the 4 shards as one scan"
"$PIISCAN" export --db "$T/slurm.db" | head -n 1 > "$T/slurm.scan"
case "$(cat "$T/slurm.scan")" in *'"key_id":"'*'","estate":"slurm-4242","shard":"'?'/4","shard_depth":3,"shards_seen":4,"scans":[1,2,3,4],'*)
	ok 0 "slurm: the jsonl scan record names the estate and its scans" ;;
*)	ok 1 "slurm: the jsonl scan record names the estate and its scans"
	sed 's/^/# /' "$T/slurm.scan" ;;
esac

# Every file in exactly one shard, the one shardof computes.
for id in 1 2 3 4; do
	"$SQLITE3" "$T/shard-$id.db" "SELECT $id, CAST(path AS TEXT) FROM files"
done | LC_ALL=C sort -t'|' -k2 > "$T/where"
is "$(cut -d'|' -f2 "$T/where" | uniq -d | wc -l)" 0 "no file in two shards"
is "$(wc -l < "$T/where")" "$(wc -l < "$T/full.files")" "as many files as the full scan"
grep -v "|$SINGLE\$" "$T/where" | sed "s#|$C/#	#" |
	awk -F'\t' '{ print $2 "\t" $1 }' | "$SHARDOF" 4 3 |
	awk -F'\t' '$1 != $3' > "$T/misplaced"
is "$(wc -l < "$T/misplaced")" 0 "each file in the shard of its path at depth 3"

# Merging a shard again changes nothing.
# (export records itself in the inventory: the counts come first.)
counts "$T/slurm.db" > "$T/counts1"
run_piiscan merge --db "$T/slurm.db" "$T/shard-2.db" "$T/shard-4.db"
is "$status" 0 "merging shards 2 and 4 again exits 0"
case "$(cat "$T/stdout")" in *"0 scans new, 0 updated, 1 already there"*"0 scans new, 0 updated, 1 already there"*)
	ok 0 "... each scan already there" ;;
*)	ok 1 "... each scan already there"; sed 's/^/# /' "$T/stdout" ;; esac
counts "$T/slurm.db" > "$T/counts2"
same_file "$T/counts2" "$T/counts1" "... the row counts of every table unchanged"
found "$T/slurm.db" > "$T/again2"
same_file "$T/again2" "$T/slurm.found" "... the export unchanged"
is "$("$SQLITE3" "$T/slurm.db" 'PRAGMA integrity_check; PRAGMA foreign_key_check')" ok \
    "merged inventory: integrity and foreign keys hold"
is "$("$SQLITE3" "$T/slurm.db" 'SELECT count(*) - count(DISTINCT path) FROM files')" 0 \
    "merged inventory: one row per path"

# --- Kubernetes Indexed Job: completionMode Indexed, completions 4 ----------
for index in 0 1 2 3; do
	env JOB_COMPLETION_INDEX=$index JOB_NAME=piiscan-estate-20261128 \
	    sh -c 'set -f; "$0" scan --shard auto --shards 4 --estate "$JOB_NAME" \
	        $2 --db "$1/k8s-$((JOB_COMPLETION_INDEX + 1)).db" "$3" "$4" \
	        || [ $? -eq 1 ]' \
	    "$PIISCAN" "$T" "$OPTS" "$C" "$SINGLE" > "$T/k8s-$index.out" 2>&1 &
done
wait
run_piiscan merge --db "$T/k8s.db" "$T"/k8s-1.db "$T"/k8s-2.db "$T"/k8s-3.db "$T"/k8s-4.db
is "$status" 0 "kubernetes: merge exits 0"
found "$T/k8s.db" > "$T/k8s.found"
same_file "$T/k8s.found" "$T/full.found" "kubernetes: merged = the full scan"
is "$("$SQLITE3" "$T/k8s-1.db" 'SELECT shard, estate FROM scans')" \
    "1/4|piiscan-estate-20261128" "kubernetes: index 0 is shard 1/4"

# --- GNU parallel over ssh: parallel --link ssh {1} piiscan scan --shard {2}/4 ---
# (each "host" a directory, ssh a subshell, scp cp)
estate=nightly-2026-11-28
for k in 1 2 3 4; do
	mkdir -p "$T/fs$k"
	( "$PIISCAN" scan --shard "$k/4" --estate $estate $OPTS \
	    --db "$T/fs$k/shard-$k.db" "$C" "$SINGLE" || test $? -eq 1 ) > "$T/fs$k/run.out" 2>&1 &
done
wait
for k in 1 2 3 4; do cp "$T/fs$k/shard-$k.db" "$T/par-$k.db"; done
run_piiscan merge --db "$T/par.db" "$T"/par-1.db "$T"/par-2.db "$T"/par-3.db "$T"/par-4.db
is "$status" 0 "parallel: merge exits 0"
found "$T/par.db" > "$T/par.found"
same_file "$T/par.found" "$T/full.found" "parallel: merged = the full scan"
# All three runs merged into one inventory: the latest estate shows.
run_piiscan merge --db "$T/slurm.db" "$T"/par-1.db "$T"/par-2.db "$T"/par-3.db "$T"/par-4.db
is "$status" 0 "a second estate run merged beside the first"
found "$T/slurm.db" > "$T/both.found"
same_file "$T/both.found" "$T/full.found" "... reports show its latest run, each file once"

# --- a different key is refused ------------------------------------------------
printf '%s\n' 1f1e1d1c1b1a191817161514131211100f0e0d0c0b0a09080706050403020100 > "$T/key2"
chmod 600 "$T/key2"
"$PIISCAN" scan --db "$T/other.db" --key-file "$T/key2" --no-progress --shard 1/4 "$C" > /dev/null 2>&1
counts "$T/slurm.db" > "$T/counts3"
run_piiscan merge --db "$T/slurm.db" "$T/other.db"
is "$status" 2 "merging an inventory of another key: exit 2"
fp_ours=$("$SQLITE3" "$T/slurm.db" 'SELECT key_id FROM scans LIMIT 1')
fp_theirs=$("$SQLITE3" "$T/other.db" 'SELECT key_id FROM scans LIMIT 1')
is "$(cat "$T/stderr")" \
    "piiscan: cannot merge '$T/other.db': made with a different key (fingerprint $fp_theirs vs $fp_ours)" \
    "... with a message naming the file and both fingerprints"
counts "$T/slurm.db" > "$T/counts4"
same_file "$T/counts4" "$T/counts3" "... and nothing of it merged"
run_piiscan merge --db "$T/new.db" "$T/shard-1.db" "$T/other.db"
is "$status" 2 "two inputs of different keys into a new inventory: exit 2"
case "$(cat "$T/stderr")" in *"cannot merge '$T/other.db': made with a different key"*)
	ok 0 "... the second named" ;;
*)	ok 1 "... the second named"; sed 's/^/# /' "$T/stderr" ;; esac
printf 'not a database at all, just text' > "$T/junk.db"
run_piiscan merge --db "$T/new.db" "$T/junk.db"
is "$status" 2 "merging a file that is no inventory: exit 2"
case "$(cat "$T/stderr")" in "piiscan: cannot merge '$T/junk.db': "*)
	ok 0 "... naming it" ;;
*)	ok 1 "... naming it"; sed 's/^/# /' "$T/stderr" ;; esac
cp "$T/shard-1.db" "$T/old.db"
"$SQLITE3" "$T/old.db" "UPDATE meta SET value = '6' WHERE key = 'schema_version'"
run_piiscan merge --db "$T/new.db" "$T/old.db"
is "$(cat "$T/stderr")" "piiscan: cannot merge '$T/old.db': an inventory of schema 6, not 8: open it once with this version of piiscan (piiscan scans --db FILE) to bring it up to date" \
    "an inventory of an older schema: refused, saying what to do"
"$PIISCAN" scans --db "$T/old.db" > /dev/null
run_piiscan merge --db "$T/new.db" "$T/old.db"
is "$status" 0 "... and merged once brought up to date"
cp "$T/shard-1.db" "$T/ro.db"
chmod 400 "$T/ro.db"
cp "$T/ro.db" "$T/ro.before"
run_piiscan merge --db "$T/new2.db" "$T/ro.db"
is "$status" 0 "an input that may only be read is merged"
cmp -s "$T/ro.db" "$T/ro.before"
ok $? "... and left as it was"
# (SQLite's read-only reader of a WAL inventory leaves an empty -wal.)
is "$(wc -c < "$T/ro.db-wal" 2>/dev/null || echo 0)" 0 "... nothing written beside it"

# --- incremental rescans per shard -----------------------------------------
# Shard 2's next run, with its own inventory: unchanged files are carried.
s2_files=$("$SQLITE3" "$T/shard-2.db" "SELECT count(*) FROM files WHERE status != 'gone'")
env SLURM_ARRAY_JOB_ID=4300 SLURM_ARRAY_TASK_ID=2 SLURM_ARRAY_TASK_MIN=1 \
    SLURM_ARRAY_TASK_COUNT=4 "$PIISCAN" scan --shard auto --db "$T/shard-2.db" \
    $OPTS "$C" "$SINGLE" > "$T/stdout" 2>&1
case "$(cat "$T/stdout")" in "scan 2 finished: $s2_files files ($s2_files unchanged), 0 B read,"*)
	ok 0 "shard 2 rescanned: every file unchanged, nothing read" ;;
*)	ok 1 "shard 2 rescanned: every file unchanged, nothing read"; sed 's/^/# /' "$T/stdout" ;; esac
# A file of shard 2 changes: only it is read again.
changed=$("$SQLITE3" "$T/shard-2.db" "SELECT CAST(path AS TEXT) FROM files
  WHERE type = 'text' AND status = 'ok' AND findings > 0 ORDER BY path LIMIT 1")
printf 'card number %s\n' "$("$FIXTURE" card 4 16 77)" >> "$changed"
env SLURM_ARRAY_JOB_ID=4301 SLURM_ARRAY_TASK_ID=2 SLURM_ARRAY_TASK_MIN=1 \
    SLURM_ARRAY_TASK_COUNT=4 "$PIISCAN" scan --shard auto --db "$T/shard-2.db" \
    $OPTS "$C" "$SINGLE" > "$T/stdout" 2>&1
case "$(cat "$T/stdout")" in "scan 3 finished: $s2_files files ($((s2_files - 1)) unchanged),"*)
	ok 0 "shard 2 after a change: one file read again" ;;
*)	ok 1 "shard 2 after a change: one file read again"; sed 's/^/# /' "$T/stdout" ;; esac
is "$("$SQLITE3" "$T/shard-2.db" "SELECT last_scan, bytes_read > 0 FROM files
  WHERE path = CAST('$changed' AS BLOB)")" "3|1" "... the changed file read by scan 3"
is "$("$SQLITE3" "$T/shard-2.db" "SELECT count(*) FROM files WHERE last_scan = 3 AND bytes_read > 0")" 1 \
    "... and no other"

# One inventory for several shards: a shard's rescan leaves the others'
# files alone, even one deleted since (its own shard's rescan says gone).
for k in 1 2; do
	"$PIISCAN" scan --shard "$k/4" --db "$T/shared.db" $OPTS "$C" > /dev/null 2>&1
done
victim=$("$SQLITE3" "$T/shared.db" "SELECT CAST(path AS TEXT) FROM files
  WHERE last_scan = 2 AND status = 'ok' ORDER BY path LIMIT 1")
rm "$victim"
"$PIISCAN" scan --shard 1/4 --db "$T/shared.db" $OPTS "$C" > /dev/null 2>&1
is "$("$SQLITE3" "$T/shared.db" "SELECT count(*) FROM files WHERE status = 'gone'")" 0 \
    "shared inventory: shard 1's rescan marks none of shard 2's files gone"
"$PIISCAN" scan --shard 2/4 --db "$T/shared.db" $OPTS "$C" > /dev/null 2>&1
is "$("$SQLITE3" "$T/shared.db" "SELECT CAST(path AS TEXT) FROM files WHERE status = 'gone'")" \
    "$victim" "... shard 2's rescan marks its deleted file gone"

# The estate after the changes: a new full scan and the next run of the
# four shards, merged, agree again.
run_piiscan scan --db "$T/full.db" $OPTS "$C" "$SINGLE"
for id in 1 2 3 4; do
	env SLURM_ARRAY_JOB_ID=4302 SLURM_ARRAY_TASK_ID=$id SLURM_ARRAY_TASK_MIN=1 \
	    SLURM_ARRAY_TASK_COUNT=4 "$PIISCAN" scan --shard auto --db "$T/shard-$id.db" \
	    $OPTS "$C" "$SINGLE" > /dev/null 2>&1 &
done
wait
run_piiscan merge --db "$T/slurm.db" "$T"/shard-1.db "$T"/shard-2.db "$T"/shard-3.db "$T"/shard-4.db
is "$status" 0 "the rescanned shards merged into the same inventory"
found "$T/full.db" > "$T/full2.found"
found "$T/slurm.db" > "$T/slurm2.found"
same_file "$T/slurm2.found" "$T/full2.found" \
    "... = a new full scan: the changed file's new value in, the deleted file's out"
is "$(grep -c "^\"$victim\"" "$T/slurm2.found")" 0 "... (nothing of the deleted file)"
# Ids: shard 1's new scan 9, shard 2's three 10-12, then 13 and 14.
is "$("$PIISCAN" report --db "$T/slurm.db" | sed -n 2p)" \
    "  estate    slurm-4302: scans 9,12,13,14, 4 of 4 shards (depth 3)" \
    "... shown as estate slurm-4302, each shard's latest scan"
files_of "$T/full.db" > "$T/full2.files"
files_of "$T/slurm.db" > "$T/slurm2.files"
same_file "$T/slurm2.files" "$T/full2.files" "... the same files and statuses (gone included)"

# --- review marks, export records, a later state of a merged scan ---------
# A reviewer marks a file in shard 3's inventory and an export is made from
# shard 4's: both travel with the merge, once.
marked=$("$SQLITE3" "$T/shard-3.db" "SELECT CAST(path AS TEXT) FROM files
  WHERE findings > 0 ORDER BY path LIMIT 1")
"$PIISCAN" mark --db "$T/shard-3.db" --status false-positive --reason "sample data" \
    --file "$marked" > /dev/null
"$PIISCAN" export --db "$T/shard-4.db" -o "$T/shard-4.jsonl" > /dev/null
"$PIISCAN" merge --db "$T/marks.db" "$T/shard-1.db" "$T/shard-2.db" "$T/shard-3.db" \
    "$T/shard-4.db" > /dev/null
is "$("$SQLITE3" "$T/marks.db" "SELECT kind, CAST(path AS TEXT), status, reason FROM reviews")" \
    "file|$marked|false-positive|sample data" "the review mark merged"
is "$("$SQLITE3" "$T/marks.db" "SELECT e.format, s.shard FROM exports e JOIN scans s ON s.id = e.scan_id")" \
    "jsonl|4/4" "the export record merged, pointing at shard 4's scan"
is "$("$PIISCAN" export --db "$T/marks.db" | grep -c "\"path\":\"$marked\",\"member\"")" 0 \
    "the marked file's findings left out of the merged export"
counts "$T/marks.db" > "$T/marks1"
"$PIISCAN" merge --db "$T/marks.db" "$T/shard-3.db" "$T/shard-4.db" > /dev/null
counts "$T/marks.db" > "$T/marks2"
same_file "$T/marks2" "$T/marks1" "merging them again adds no mark and no export record"
# A shard merged while its scan was still running (findings of half its
# files written), then merged again once finished: the later state replaces the
# earlier one.  (Ids: shards 1-3 hold 8 scans, early.db 2 more.)
cp "$T/shard-4.db" "$T/early.db"
"$SQLITE3" "$T/early.db" "UPDATE scans SET status = 'running', finished = NULL
  WHERE id = (SELECT max(id) FROM scans);
  DELETE FROM finding_rows WHERE file_id % 2 = 0 AND scan_id = (SELECT max(id) FROM scans);
  DELETE FROM carried WHERE file_id % 2 = 0 AND scan_id = (SELECT max(id) FROM scans)"
"$PIISCAN" merge --db "$T/late.db" "$T/shard-1.db" "$T/shard-2.db" "$T/shard-3.db" \
    "$T/early.db" > /dev/null
is "$("$PIISCAN" report --db "$T/late.db" | head -n 1)" "Scan 10 (running)" \
    "a running shard merged: the estate shows running"
found "$T/late.db" > "$T/late0.found"
found "$T/marks.db" > "$T/marks.found"
ok "$([ "$(wc -l < "$T/late0.found")" -lt "$(wc -l < "$T/marks.found")" ]; echo $?)" \
    "... with the findings it had written so far"
run_piiscan merge --db "$T/late.db" "$T/shard-4.db"
case "$(cat "$T/stdout")" in *"0 scans new, 1 updated,"*)
	ok 0 "the finished shard merged again: its scan updated" ;;
*)	ok 1 "the finished shard merged again: its scan updated"; sed 's/^/# /' "$T/stdout" ;; esac
found "$T/late.db" > "$T/late.found"
same_file "$T/late.found" "$T/marks.found" "... and the merged inventory holds all its findings"

# --- options -------------------------------------------------------------------
run_piiscan scan --db "$T/x.db" --shard 5/4 "$C"
is "$status" 2 "--shard 5/4: exit 2"
run_piiscan scan --db "$T/x.db" --shard 0/4 "$C"
is "$status" 2 "--shard 0/4: exit 2 (K counts from 1)"
run_piiscan scan --db "$T/x.db" --shard auto "$C"
is "$(cat "$T/stderr")" \
    "piiscan: --shard auto: neither SLURM_ARRAY_TASK_ID nor JOB_COMPLETION_INDEX is set" \
    "--shard auto without a scheduler: why"
JOB_COMPLETION_INDEX=1 run_piiscan scan --db "$T/x.db" --shard auto "$C"
is "$status" 2 "JOB_COMPLETION_INDEX without --shards: exit 2"

# --- symlinks followed -----------------------------------------------------------
# A link to a file and one to a directory outside the roots: each followed
# once, in one shard.  (A directory reached by two paths is walked once, by
# the first path a scan meets: which one is not fixed, so none here.)
rm "$C/hr-link"
mkdir -p "$T/outside/sub"
printf 'card number %s\n' "$("$FIXTURE" card 4 16 31)" > "$T/outside/sub/o.txt"
ln -s "$T/outside/sub" "$C/teams/t1/outlink"
ln -s "$C/top.txt" "$C/teams/t2/top-link.txt"
"$PIISCAN" scan --db "$T/follow.db" $OPTS --follow-symlinks "$C" > /dev/null 2>&1
for k in 1 2 3 4; do
	"$PIISCAN" scan --shard "$k/4" --db "$T/follow-$k.db" $OPTS --follow-symlinks "$C" \
	    > /dev/null 2>&1 &
done
wait
"$PIISCAN" merge --db "$T/follow-m.db" "$T/follow-1.db" "$T/follow-2.db" \
    "$T/follow-3.db" "$T/follow-4.db" > /dev/null
found "$T/follow.db" > "$T/follow.found"
found "$T/follow-m.db" > "$T/follow-m.found"
same_file "$T/follow-m.found" "$T/follow.found" "--follow-symlinks: merged shards = the full scan"
is "$(grep -c '/outlink/o.txt"' "$T/follow-m.found")" 1 "... the linked directory's file once"

done_testing

# lifecycle.sh - the inventory over many scans: incremental rescans, files
# gone, --full, rules changes, a scan killed or interrupted and resumed,
# one writer at a time, access times left alone.
. "$TOP_SRCDIR/tests/e2e/lib.sh"

if [ -z "${SQLITE3:-}" ] || [ ! -x "$SQLITE3" ]; then
	echo "1..0 # SKIP sqlite3 not installed"
	exit 0
fi
L="$T/life"
mkdir -p "$L"
"$FIXTURE" tree "$L/share" > /dev/null
SHARE=$(cd "$L/share" && pwd -P)
DB="$T/life.db"
q() { "$SQLITE3" "$DB" "$@"; }
scan() { run_piiscan scan --db "$DB" --key-file "$T/key" --no-progress "$@"; }
# The findings of a scan as comparable lines (no scan id).
findings_of_scan() {
	"$PIISCAN" export --db "$1" --scan "$2" --min-confidence low |
		grep '"record":"finding"' | LC_ALL=C sort
}

# --- incremental rescans -------------------------------------------------
scan "$L/share"
is "$status" 1 "first scan"
first_bytes=$(q 'SELECT bytes FROM scans WHERE id = 1')
ok "$([ "$first_bytes" -gt 2000000 ]; echo $?)" "first scan reads the files ($first_bytes bytes)"
scan "$L/share"
is "$status" 1 "second scan: same exit status"
case "$(cat "$T/stdout")" in "scan 2 finished: 11 files (11 unchanged), 0 B read,"*)
	ok 0 "second scan: nothing read again" ;;
*)	ok 1 "second scan: nothing read again"; sed 's/^/# /' "$T/stdout" ;; esac
findings_of_scan "$DB" 1 > "$T/f1"
findings_of_scan "$DB" 2 > "$T/f2"
same_file "$T/f2" "$T/f1" "second scan: the same findings, carried over"
is "$(q 'SELECT count(*) FROM findings WHERE scan_id = 2')" \
    "$(q 'SELECT count(*) FROM findings WHERE scan_id = 1')" "second scan: its own finding rows"
is "$(q 'SELECT last_scan, bytes_read, count(*) FROM files GROUP BY 1, 2')" "2|0|11" \
    "second scan: every file, with findings or not, is seen by scan 2, 0 B read"

printf 'and a new line\n' >> "$L/share/hr/plain.txt"
rm "$L/share/web/feed.xml"
scan "$L/share"
case "$(cat "$T/stdout")" in "scan 3 finished: 10 files (9 unchanged), 5.8 KiB read,"*", 1 gone")
	ok 0 "third scan: the changed file read again, the deleted one gone" ;;
*)	ok 1 "third scan: the changed file read again, the deleted one gone"
	sed 's/^/# /' "$T/stdout" ;; esac
is "$(q "SELECT status, last_scan FROM files WHERE path = CAST('$SHARE/web/feed.xml' AS BLOB)")" \
    "gone|3" "the deleted file is recorded gone in scan 3"
"$PIISCAN" export --db "$DB" > "$T/e3"
is "$(grep -c '"path":"'"$SHARE"'/web/feed.xml",.*"status":"gone"' "$T/e3")" 1 \
    "export shows the file gone"
is "$(grep -c '"path":"'"$SHARE"'/web/feed.xml"' "$T/e3")" 1 "... and none of its findings"

# A file left out of a scan is not gone: it is still there.
scan --exclude '*.log' "$L/share"
is "$(q "SELECT status, last_scan FROM files WHERE path = CAST('$SHARE/logs/big.log' AS BLOB)")" \
    "ok|3" "an excluded file is not marked gone, nor seen by scan 4"
is "$(q "SELECT count(*) FROM files WHERE last_scan = 4")" 9 "... the other files are"

scan --full "$L/share"
case "$(cat "$T/stdout")" in "scan 5 finished: 10 files (0 unchanged),"*)
	ok 0 "--full reads every file again" ;;
*)	ok 1 "--full reads every file again"; sed 's/^/# /' "$T/stdout" ;; esac

mkdir -p "$L/pat"
printf 'format 1\ntype staffno\nlabel Staff number\nnormalise digits\nmask first6last4\nmatch low (?<![0-9])S[0-9]{12}(?![0-9])\n' \
    > "$L/pat/staff.pattern"
scan --patterns "$L/pat" "$L/share"
case "$(cat "$T/stdout")" in "scan 6 finished: 10 files (0 unchanged),"*)
	ok 0 "other patterns: every file read again" ;;
*)	ok 1 "other patterns: every file read again"; sed 's/^/# /' "$T/stdout" ;; esac
scan --max-depth 3 "$L/share"
case "$(cat "$T/stdout")" in "scan 7 finished: 10 files (0 unchanged),"*)
	ok 0 "other limits: every file read again" ;;
*)	ok 1 "other limits: every file read again"; sed 's/^/# /' "$T/stdout" ;; esac

# --- one writer at a time --------------------------------------------------
if command -v flock > /dev/null; then
	flock -n "$DB" sleep 3 &
	holder=$!
	sleep 0.5
	scan "$L/share"
	is "$status" 2 "a second writer fails at once"
	is "$(cat "$T/stderr")" \
	    "piiscan: cannot write database '$DB': another scan is writing it (use --wait to wait for it)" \
	    "... saying why"
	run_piiscan report --db "$DB"
	is "$status" 0 "report works while the database is being written"
	scan --wait "$L/share"
	is "$status" 1 "--wait waits its turn"
	wait "$holder"
else
	for d in "a second writer fails at once" "... saying why" \
	    "report works while the database is being written" "--wait waits its turn"; do
		skip "$d" "no flock(1)"
	done
fi

# --- killed and resumed ----------------------------------------------------
K="$L/big"
mkdir -p "$K"
for d in $(seq 1 40); do
	mkdir -p "$K/d$d"
	for f in $(seq 1 25); do
		{
			printf 'card number %s\n' "$("$FIXTURE" card 4 16 "$d$f")"
			head -c 30000 /dev/zero | tr '\0' 'x'
			printf '\nHKID %s\n' "$("$FIXTURE" hkid A "$f$d")"
		} > "$K/d$d/f$f.txt"
	done
done
"$PIISCAN" scan --db "$T/whole.db" --key-file "$T/key" --no-progress -j 2 "$K" > /dev/null 2>&1
findings_of_scan "$T/whole.db" 1 | sed 's/"value_hash":"[0-9a-f]*"//' > "$T/whole"
is "$(wc -l < "$T/whole")" 2000 "uninterrupted scan: 2000 findings"

RDB="$T/resume.db"
bad=0
for delay in 0.05 0.2 0.4 0.7 0.1; do
	"$PIISCAN" scan --db "$RDB" --key-file "$T/key" --no-progress -j 2 "$K" \
	    > /dev/null 2>&1 &
	pid=$!
	sleep "$delay"
	kill -9 "$pid" 2> /dev/null
	wait "$pid" 2> /dev/null
	if [ "$("$SQLITE3" "$RDB" 'PRAGMA integrity_check' 2>&1)" != ok ]; then
		bad=$((bad + 1))
	fi
done
is "$bad" 0 "killed with -9 five times: integrity_check passes every time"
"$PIISCAN" scan --db "$RDB" --key-file "$T/key" --no-progress -j 2 "$K" \
    > "$T/stdout" 2> "$T/stderr"
is "$?" 1 "the rerun finishes"
last=$("$SQLITE3" "$RDB" 'SELECT max(id) FROM scans')
is "$("$SQLITE3" "$RDB" "SELECT status FROM scans WHERE id = $last")" finished \
    "the rerun's scan is finished"
findings_of_scan "$RDB" "$last" | sed 's/"value_hash":"[0-9a-f]*"//' > "$T/resumed"
same_file "$T/resumed" "$T/whole" "after the kills, exactly the findings of an uninterrupted scan"
is "$("$SQLITE3" "$RDB" "SELECT count(*) FROM scans WHERE status = 'running'")" 0 \
    "no scan left running"

# SIGINT: work committed, interrupted, 130; the next run takes it up.
# A large file of HKID-like tokens (each one checked, none valid) keeps
# the scan busy for seconds; the signal comes once the scan is recorded
# as running.
yes 'order A1234567 ref B7654321 id CD123456(7)' | head -c 150000000 > "$K/zz-large.txt"
rm -f "$RDB"
"$PIISCAN" scan --db "$RDB" --key-file "$T/key" --no-progress -j 1 "$K" \
    > "$T/stdout" 2> "$T/stderr" &
pid=$!
for _ in $(seq 1 100); do
	[ "$("$SQLITE3" "$RDB" "SELECT count(*) FROM scans WHERE status = 'running'" \
	    2> /dev/null)" = 1 ] && break
	sleep 0.05
done
sleep 0.3
run_piiscan report --db "$RDB"
is "$status" 0 "report reads while a scan writes"
kill -INT "$pid"
wait "$pid"
rc=$?
if [ "$rc" -eq 130 ]; then
	ok 0 "SIGINT: exit 130"
	is "$("$SQLITE3" "$RDB" 'SELECT status FROM scans WHERE id = 1')" interrupted \
	    "SIGINT: the scan is recorded interrupted"
	"$PIISCAN" scan --db "$RDB" --key-file "$T/key" --no-progress -j 1 "$K" \
	    > "$T/stdout" 2> "$T/stderr"
	is "$(cat "$T/stderr")" "piiscan: resuming scan 1" "the next run resumes it"
	findings_of_scan "$RDB" 1 | sed 's/"value_hash":"[0-9a-f]*"//' > "$T/resumed"
	same_file "$T/resumed" "$T/whole" "the resumed scan has every finding once"
else
	ok 1 "SIGINT: exit 130 (got $rc; the scan may have ended first)"
fi

# --- roots that overlap, a file read by someone else --------------------
O="$L/overlap"
mkdir -p "$O/sub"
printf 'card %s\n' "$("$FIXTURE" card 4 16 71)" > "$O/sub/a.txt"
printf 'nothing here\n' > "$O/sub/b.txt"
printf 'nothing here either\n' > "$O/c.txt"
touch -a -d '2001-02-03 04:05:06' "$O"/sub/*.txt "$O/c.txt"
for i in 1 2; do
	run_piiscan scan --db "$T/ov.db" --key-file "$T/key" --no-progress "$O" "$O/sub"
done
case "$(cat "$T/stdout")" in "scan 2 finished: 3 files (3 unchanged), 0 B read,"*)
	ok 0 "overlapping roots: a rescan finds every file unchanged, once" ;;
*)	ok 1 "overlapping roots: a rescan finds every file unchanged, once"
	sed 's/^/# /' "$T/stdout" ;; esac
is "$("$SQLITE3" "$T/ov.db" 'SELECT count(*) FROM files WHERE last_scan = 2')" 3 \
    "... and records each as seen by scan 2"
# Reading a file moves its access time (relatime: it is older than mtime)
# but not its ctime: the file is unchanged, its new atime recorded.
cat "$O/c.txt" "$O/sub/b.txt" > /dev/null
run_piiscan scan --db "$T/ov.db" --key-file "$T/key" --no-progress "$O"
is "$("$SQLITE3" "$T/ov.db" "SELECT atime FROM files ORDER BY path" | tr '\n' ' ')" \
    "$(stat -c '%X' "$O/c.txt" "$O/sub/a.txt" "$O/sub/b.txt" | tr '\n' ' ')" \
    "an unchanged file read by someone else: its new access time recorded"
is "$("$SQLITE3" "$T/ov.db" 'SELECT count(*) FROM files WHERE last_scan = 3 AND status = '"'ok'"'')" 3 \
    "... every file seen by scan 3"

# --- a large inventory ---------------------------------------------------
# From 20,000 files on, a rescan loads what the inventory knows with two
# threads, each over half of the file ids: files of both halves must be
# found unchanged, changed or gone.
B="$L/many"
for d in $(seq 1 200); do
	mkdir -p "$B/d$d"
	(cd "$B/d$d" && for f in $(seq 1 101); do : > "f$f"; done)
done
printf 'card %s\n' "$("$FIXTURE" card 4 16 81)" > "$B/d1/f1"
printf 'card %s\n' "$("$FIXTURE" card 4 16 82)" > "$B/d200/f101"
run_piiscan scan --db "$T/many.db" --key-file "$T/key" --no-progress -j 2 "$B"
is "$("$SQLITE3" "$T/many.db" 'SELECT count(*), max(id) FROM files')" "20200|20200" \
    "large inventory: 20,200 files recorded"
first_half=$("$SQLITE3" "$T/many.db" "SELECT path FROM files WHERE id = 100")
second_half=$("$SQLITE3" "$T/many.db" "SELECT path FROM files WHERE id = 15000")
gone_one=$("$SQLITE3" "$T/many.db" "SELECT path FROM files WHERE id = 20000")
run_piiscan scan --db "$T/many.db" --key-file "$T/key" --no-progress -j 2 "$B"
case "$(cat "$T/stdout")" in "scan 2 finished: 20200 files (20200 unchanged), 0 B read, 2 findings"*)
	ok 0 "large inventory: a rescan finds every file unchanged" ;;
*)	ok 1 "large inventory: a rescan finds every file unchanged"
	sed 's/^/# /' "$T/stdout" ;; esac
printf 'x\n' > "$first_half"
printf 'y\n' > "$second_half"
rm "$gone_one"
run_piiscan scan --db "$T/many.db" --key-file "$T/key" --no-progress -j 2 "$B"
case "$(cat "$T/stdout")" in "scan 3 finished: 20199 files (20197 unchanged), 4 B read, 2 findings"*", 1 gone")
	ok 0 "large inventory: a file changed in each half read again, one gone" ;;
*)	ok 1 "large inventory: a file changed in each half read again, one gone"
	sed 's/^/# /' "$T/stdout" ;; esac
is "$("$SQLITE3" "$T/many.db" 'SELECT last_scan, status, count(*) FROM files GROUP BY 1, 2')" \
    "3|gone|1
3|ok|20199" "... and every file is recorded as seen by scan 3"

# --- access times --------------------------------------------------------
A="$L/atime"
mkdir -p "$A"
for i in 1 2 3; do printf 'card %s\n' "$("$FIXTURE" card 4 16 "9$i")" > "$A/f$i.txt"; done
touch -a -d '2001-02-03 04:05:06' "$A"/f*.txt
before=$(stat -c '%X' "$A"/f*.txt | tr '\n' ' ')
"$PIISCAN" scan --db "$T/at.db" --key-file "$T/key" --no-progress "$A" > "$T/stdout" 2>&1
is "$(stat -c '%X' "$A"/f*.txt | tr '\n' ' ')" "$before" \
    "access times unchanged after a scan by the files' owner"
is "$(grep -c 'access times may' "$T/stdout")" 0 "... and the summary does not warn"
if [ "$(id -u)" -eq 0 ] && command -v setpriv > /dev/null; then
	mkdir -p "$L/nobody"
	cp "$T/key" "$L/nobody/key"
	chown -R 65534 "$L/nobody"
	chmod 755 "$T" "$L" "$A"
	chmod 644 "$A"/f*.txt
	setpriv --reuid=65534 --regid=65534 --clear-groups "$PIISCAN" scan \
	    --db "$L/nobody/at.db" --key-file "$L/nobody/key" --no-progress "$A" \
	    > "$T/stdout" 2>&1
	is "$(sed -n 2p "$T/stdout")" \
	    "access times may have been updated for 3 files (O_NOATIME not permitted on them)" \
	    "another user's files: the summary says access times may have changed"
	is "$("$SQLITE3" "$L/nobody/at.db" 'SELECT atime_touched FROM scans')" 3 \
	    "... and the scan record counts them"
else
	skip "another user's files: the summary says access times may have changed" "not root"
	skip "... and the scan record counts them" "not root"
fi

# The scan writer inserts with foreign keys off (for speed; see
# ps_inventory_batch_begin): every row it wrote over all these scans,
# rescans, resumed and killed ones must still refer to its scan and file.
is "$(q 'PRAGMA foreign_key_check')" "" \
    "after every scan above: no row refers to a scan or file that is not there"

done_testing

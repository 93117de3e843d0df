# realworld.sh - every file of ../shared/corpus/realworld (office, zip,
# gzip and PDF files written by others, malformed and malicious ones
# among them) is scanned without a crash, a hang (10 s) or unbounded
# memory (1 GiB), and gets a status.
. "$TOP_SRCDIR/tests/e2e/lib.sh"

CORPUS="${PIISCAN_CORPUS:-$TOP_SRCDIR/../shared/corpus/realworld}"
if [ ! -d "$CORPUS" ]; then
	echo "1..0 # SKIP no corpus at $CORPUS"
	exit 0
fi

bad=0
count=0
while IFS= read -r -d '' f; do
	count=$((count + 1))
	rm -f "$T/rw.db"
	"$RUNLIMIT" 10 1024 "$PIISCAN" scan --db "$T/rw.db" --key-file "$T/key" \
	    --no-progress -j 1 "$f" > /dev/null 2> "$T/rw.err"
	rc=$?
	if [ "$rc" -gt 1 ]; then
		echo "# $f: exit $rc ($(head -c 300 "$T/rw.err"))"
		bad=$((bad + 1))
		continue
	fi
	st=$("$PIISCAN" export --db "$T/rw.db" | grep -c '"record":"file",.*"status":"\(ok\|partial\|skipped\|error\)"')
	if [ "$st" != 1 ]; then
		echo "# $f: no status recorded"
		bad=$((bad + 1))
	fi
done < <(find "$CORPUS" -type f ! -name MANIFEST.tsv ! -name README.md -print0)
ok "$([ "$count" -gt 100 ]; echo $?)" "the corpus has files ($count)"
is "$bad" 0 "each file alone: exit 0 or 1 within 10 s and 1 GiB, with a status"

rm -f "$T/rw.db"
RUNLIMIT_VERBOSE=1 "$RUNLIMIT" 300 1024 "$PIISCAN" scan --db "$T/rw.db" \
    --key-file "$T/key" --no-progress "$CORPUS" > /dev/null 2> "$T/rw.err"
rc=$?
ok "$([ "$rc" -le 1 ]; echo $?)" "the whole corpus in one scan: exit $rc, under 1 GiB"
grep 'runlimit:' "$T/rw.err" | sed 's/^/# /'
is "$("$PIISCAN" export --db "$T/rw.db" | grep -c '"record":"file"')" "$((count + 2))" \
    "the whole corpus: every file recorded"
if [ -n "${SQLITE3:-}" ] && [ -x "$SQLITE3" ]; then
	is "$("$SQLITE3" "$T/rw.db" 'PRAGMA integrity_check')" ok "the inventory is sound"
else
	skip "the inventory is sound" "sqlite3 not installed"
fi

done_testing

# walk.sh - the walk: excludes, symlinks, special files, threads, limits,
# odd file names.
. "$TOP_SRCDIR/tests/e2e/lib.sh"

W="$T/w"
mkdir -p "$W/tree/sub" "$W/tree/skipme" "$W/tree/deep/a/b/c"
card1=$("$FIXTURE" card 4 16 11)
card2=$("$FIXTURE" card 51 16 12)
card3=$("$FIXTURE" card 37 15 13)
printf 'card %s\n' "$card1" > "$W/tree/sub/one.txt"
printf 'card %s\n' "$card2" > "$W/tree/skipme/two.txt"
printf 'card %s\n' "$card3" > "$W/tree/deep/a/b/c/three.log"
printf 'card %s\n' "$card1" > "$W/tree/deep/a/b/c/four.txt"
printf 'card %s\n' "$card2" > "$W/outside.txt"

# scan_count ARGS...: number of finding records of a fresh scan.
scan_count() {
	rm -f "$T/walk.db"
	"$PIISCAN" scan --db "$T/walk.db" --key-file "$T/key" --no-progress "$@" \
	    > "$T/stdout" 2> "$T/stderr"
	status=$?
	"$PIISCAN" export --db "$T/walk.db" --min-confidence low > "$T/export"
	grep -c '"record":"finding"' "$T/export"
}

is "$(scan_count "$W/tree")" 4 "all four files found"
is "$(scan_count --exclude skipme --exclude '*.log' "$W/tree")" 2 \
    "--exclude by name, for a directory and a glob"
is "$(scan_count --exclude "$W/tree/deep/*" "$W/tree")" 2 \
    "--exclude with a path pattern"
is "$(grep -c skipme "$T/export")" 2 "excluded paths are not recorded"

# Threads do not change the result.
scan_count -j 1 "$W/tree" > /dev/null
findings_of "$T/export" "$W/tree" > "$T/j1"
scan_count -j 7 "$W/tree" > /dev/null
findings_of "$T/export" "$W/tree" > "$T/j7"
same_file "$T/j7" "$T/j1" "-j 1 and -j 7 record the same findings"

# Symlinks: recorded and skipped by default, followed on request.
ln -s "$W/outside.txt" "$W/tree/link.txt"
ln -s "$W/tree" "$W/tree/sub/loop"
ln -s /dev/zero "$W/tree/zero"
ln -s "$W/nowhere" "$W/tree/dangling"
is "$(scan_count "$W/tree")" 4 "symlinks are not followed by default"
is "$(grep -c '"type":"symlink","status":"skipped","error":"symlink"' "$T/export")" 4 \
    "each symlink recorded as skipped"
if command -v timeout > /dev/null; then TO="timeout 60"; else TO=""; fi
rm -f "$T/walk.db"
$TO "$PIISCAN" scan --db "$T/walk.db" --key-file "$T/key" --follow-symlinks "$W/tree" \
    > "$T/stdout" 2> "$T/stderr"
is "$?" 1 "--follow-symlinks: a loop and /dev/zero end the scan normally"
"$PIISCAN" export --db "$T/walk.db" --min-confidence low > "$T/export"
is "$(grep -c "\"path\":\"$W/tree/link.txt\".*\"status\":\"ok\",\"findings\":1" "$T/export")" 1 \
    "--follow-symlinks: the linked file is scanned"
is "$(grep -c "\"path\":\"$W/tree/zero\",.*\"type\":\"character device\",\"status\":\"skipped\"" "$T/export")" 1 \
    "--follow-symlinks: a link to /dev/zero is skipped, not read"
is "$(grep -c "\"path\":\"$W/tree/dangling\",.*\"status\":\"error\",\"error\":\"dangling symlink\"" "$T/export")" 1 \
    "--follow-symlinks: a dangling link is an error"
is "$(cat "$T/stderr")" "piiscan: $W/tree/dangling: dangling symlink" \
    "--follow-symlinks: the dangling link reported once"

# A FIFO is never opened (reading it would block forever).
mkdir -p "$W/special"
mkfifo "$W/special/pipe"
printf 'card %s\n' "$card1" > "$W/special/ok.txt"
rm -f "$T/walk.db"
$TO "$PIISCAN" scan --db "$T/walk.db" --key-file "$T/key" "$W/special" > /dev/null 2>&1
is "$?" 1 "a FIFO does not block the scan"
"$PIISCAN" export --db "$T/walk.db" > "$T/export"
is "$(grep -c '"type":"fifo","status":"skipped","error":"not a regular file"' "$T/export")" 1 \
    "a FIFO is recorded as skipped"

# --max-filesize: the rest of a larger file is not read, and it says so.
mkdir -p "$W/big"
{
	printf 'card %s\n' "$card1"
	head -c 5000 /dev/zero | tr '\0' 'x'
	printf '\ncard %s\n' "$card2"
} > "$W/big/f.txt"
is "$(scan_count --max-filesize 1K "$W/big")" 1 "--max-filesize 1K: only the first value"
is "$(grep -c '"status":"partial","error":"limit: filesize"' "$T/export")" 1 \
    "--max-filesize: the file is recorded partial, with the reason"
is "$(scan_count --max-filesize 1M "$W/big")" 2 "--max-filesize 1M: both values"

# File names with a newline and with bytes that are not UTF-8.
mkdir -p "$W/names"
printf 'card %s\n' "$card1" > "$W/names/new
line.txt"
printf 'card %s\n' "$card1" > "$W/names/$(printf 'bad\377name.txt')"
is "$(scan_count "$W/names")" 2 "odd file names are scanned"
is "$(grep -c '"path":"[^"]*/new\\nline.txt"' "$T/export")" 2 \
    "a newline in a name is escaped in JSON"
is "$(grep -c '"path":"[^"]*/bad\\udcffname.txt"' "$T/export")" 2 \
    "a byte that is not UTF-8 is written as \\udcff"

# Unreadable files and directories (not testable as root).
if [ "$(id -u)" -ne 0 ]; then
	mkdir -p "$W/locked/in"
	printf 'card %s\n' "$card1" > "$W/locked/in/x.txt"
	printf 'card %s\n' "$card1" > "$W/locked/closed.txt"
	chmod 000 "$W/locked/closed.txt" "$W/locked/in"
	scan_count "$W/locked" > /dev/null
	is "$status" 0 "unreadable entries do not stop the scan"
	is "$(grep -c '"status":"error"' "$T/export")" 2 "unreadable entries are recorded as errors"
	chmod 700 "$W/locked/in"
else
	skip "unreadable entries do not stop the scan" "running as root"
	skip "unreadable entries are recorded as errors" "running as root"
fi

done_testing

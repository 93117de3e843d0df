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

# A directory of a few large files travels as one batch; a worker that
# runs out of work takes over half of what is left of it.  Every file is
# still scanned once, whatever the threads.
mkdir -p "$W/large"
for i in 1 2 3 4 5 6 7 8 9 10 11 12; do
	{
		yes "minutes of the meeting, item $i: the share was tidied" | head -c 400000
		printf '\ncard %s\n' "$("$FIXTURE" card 4 16 "$((i + 20))")"
		yes "records kept under the retention schedule, box $i" | head -c 400000
	} > "$W/large/f$i.txt"
done
for j in 1 2 3; do
	is "$(scan_count -j "$j" "$W/large")" 12 "12 large files, -j $j: one finding each"
	findings_of "$T/export" "$W/large" > "$T/large-j$j"
	is "$(grep -c '"record":"file"' "$T/export")" 12 "12 large files, -j $j: each recorded once"
done
same_file "$T/large-j2" "$T/large-j1" "12 large files: -j 2 and -j 1 record the same findings"
same_file "$T/large-j3" "$T/large-j1" "12 large files: -j 3 and -j 1 record the same findings"

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

# --one-file-system: a mount inside the tree is recorded, not entered.
mkdir -p "$W/fs/mnt"
printf 'card %s\n' "$card1" > "$W/fs/top.txt"
if [ "$(id -u)" -eq 0 ] && mount -t tmpfs piiscan-test "$W/fs/mnt" 2> /dev/null; then
	printf 'card %s\n' "$card2" > "$W/fs/mnt/inner.txt"
	is "$(scan_count "$W/fs")" 2 "without --one-file-system the mount is walked"
	is "$(scan_count --one-file-system "$W/fs")" 1 "--one-file-system stays on one file system"
	is "$(grep -c "\"path\":\"$W/fs/mnt\",.*\"type\":\"directory\",\"status\":\"skipped\",\"error\":\"other file system\"" "$T/export")" 1 \
	    "--one-file-system: the mount point is recorded as skipped"
	umount "$W/fs/mnt"
else
	skip "without --one-file-system the mount is walked" "cannot mount a tmpfs"
	skip "--one-file-system stays on one file system" "cannot mount a tmpfs"
	skip "--one-file-system: the mount point is recorded as skipped" "cannot mount a tmpfs"
fi

# Unreadable files and directories: recorded with their error, reported
# once each, and the scan goes on.  As root, the scan runs as nobody.
AS=""
if [ "$(id -u)" -eq 0 ] && command -v setpriv > /dev/null &&
    setpriv --reuid=65534 --regid=65534 --clear-groups true 2> /dev/null; then
	AS="setpriv --reuid=65534 --regid=65534 --clear-groups"
	chmod 755 "$T" "$W"
fi
if [ "$(id -u)" -ne 0 ] || [ -n "$AS" ]; then
	L="$W/locked"
	mkdir -p "$L/in" "$L/db"
	printf 'card %s\n' "$card1" > "$L/in/x.txt"
	printf 'card %s\n' "$card1" > "$L/closed.txt"
	printf 'card %s\n' "$card1" > "$L/open.txt"
	cp "$T/key" "$L/db/key"
	chmod 644 "$L/open.txt"
	chmod 000 "$L/closed.txt" "$L/in"
	[ -n "$AS" ] && chown -R 65534:65534 "$L/db" && chmod 755 "$L"
	$AS "$PIISCAN" scan --db "$L/db/inv.db" --key-file "$L/db/key" "$L" \
	    > "$T/stdout" 2> "$T/stderr"
	is "$?" 1 "unreadable entries do not stop the scan"
	$AS "$PIISCAN" export --db "$L/db/inv.db" --min-confidence low > "$T/export"
	is "$(grep -c '"status":"error","error":"Permission denied"' "$T/export")" 1 \
	    "an unreadable directory is recorded with its error"
	is "$(grep -c '"status":"error","error":"open: Permission denied"' "$T/export")" 1 \
	    "an unreadable file is recorded with its error"
	is "$(grep -c '"record":"finding"' "$T/export")" 1 "the readable file is scanned"
	is "$(sort "$T/stderr")" "piiscan: $L/closed.txt: open: Permission denied
piiscan: $L/in: Permission denied" "each unreadable entry reported once on stderr"
	chmod 700 "$L/in"
	chmod 600 "$L/closed.txt"
else
	for d in "unreadable entries do not stop the scan" \
	    "an unreadable directory is recorded with its error" \
	    "an unreadable file is recorded with its error" \
	    "the readable file is scanned" "each unreadable entry reported once on stderr"; do
		skip "$d" "root without setpriv"
	done
fi

# The inventory inside the tree it records is never scanned, whether the
# walk stats it (a rescan) or not (a first scan).
mkdir -p "$W/self"
printf 'card %s\n' "$card1" > "$W/self/a.txt"
for run in first rescan; do
	"$PIISCAN" scan --db "$W/self/inv.db" --key-file "$T/key" --no-progress "$W/self" \
	    > /dev/null 2>&1
	is "$("$PIISCAN" export --db "$W/self/inv.db" | grep -c '"record":"file"')" 1 \
	    "$run scan: the inventory in the tree (and its -wal, -shm) is not scanned"
done

# Directories are kept open while their files and subdirectories wait
# (to open them by name): never so many that files can no longer be
# opened.  With 64 descriptors allowed, 400 directories of a directory
# and a file each are all read.
mkdir -p "$W/wide"
for d in $(seq 1 400); do
	mkdir -p "$W/wide/d$d/e"
	printf 'card %s\n' "$card1" > "$W/wide/d$d/e/f.txt"
done
(ulimit -n 64 && "$PIISCAN" scan --db "$T/wide.db" --key-file "$T/key" --no-progress -j 2 \
    "$W/wide" > "$T/stdout" 2> "$T/stderr")
"$PIISCAN" export --db "$T/wide.db" > "$T/export"
is "$(grep -c '"record":"file",.*"status":"ok","findings":1' "$T/export")" 400 \
    "64 descriptors allowed, 400 directories: every file read"
is "$(grep -c '"status":"error"' "$T/export")" 0 "... none in error"

done_testing

# jobs.sh - the retention list (stale) and the look-up by value (lookup),
# on an inventory of planted values with known file times.
. "$TOP_SRCDIR/tests/e2e/lib.sh"

D="$T/share"
DB="$T/jobs.db"
mkdir -p "$D/old" "$D/new" "$T/parts"

# Planted values (synthetic, valid checksums).
c1=$("$FIXTURE" card 4 16 101)     # old/staff.csv and new/notes.txt
c2=$("$FIXTURE" card 51 16 102)    # old/memo.txt; new/later.txt from scan 2
c3=$("$FIXTURE" card 37 15 103)    # new/list.txt (recent, read long ago)
c4=$("$FIXTURE" card 6011 16 104)  # old/fp.txt, marked false-positive
h1=$("$FIXTURE" hkid A 105)        # old/staff.csv and new/notes.txt
h2=$("$FIXTURE" hkid AB 106)       # old/hr.zip: 2019/staff.xlsx
h3=$("$FIXTURE" hkid C 107)        # old/low.txt, low confidence only
h4=$("$FIXTURE" hkid D 108)        # new/gone.txt, removed after scan 1
cu=$("$FIXTURE" card 4 16 109)     # planted nowhere
hu=$("$FIXTURE" hkid Z 110)        # planted nowhere
RAW="$c1 $c2 $c3 $c4 $h1 $h2 $h3 $h4 $cu $hu"

# Every output of the commands is kept, to show no raw value reaches one.
: > "$T/all.out"
keep() { cat "$T/stdout" "$T/stderr" >> "$T/all.out"; }

printf 'name,hkid,card\nChan Tai Man,%s,%s\n' "$h1" "$c1" > "$D/old/staff.csv"
printf 'Card number %s on file.\n' "$c2" > "$D/old/memo.txt"
printf 'Nothing personal in here.\n' > "$D/old/clean.txt"
printf 'ref %s\n' "$h3" > "$D/old/low.txt"
printf 'Card number %s (a test card)\n' "$c4" > "$D/old/fp.txt"
printf 'Staff\tA1\ts\tHKID\nStaff\tA2\ts\t%s\n' "$h2" | "$DOCGEN" xlsx "$T/parts/staff.xlsx"
"$DOCGEN" zip "$D/old/hr.zip" "2019/staff.xlsx=$T/parts/staff.xlsx"
printf 'HKID %s\nCard number %s\n' "$h1" "$c1" > "$D/new/notes.txt"
printf 'Visa %s\n' "$c3" > "$D/new/list.txt"
printf 'HKID %s\n' "$h4" > "$D/new/gone.txt"

# File times: ten years back (and twelve for one), a day back for the
# recent ones; new/list.txt was modified lately but last read ten years ago.
OLD=$(date -d '10 years ago' +%s)
OLDER=$(date -d '12 years ago' +%s)
RECENT=$(( $(date +%s) - 86400 ))
touch -d "@$OLD" "$D/old/memo.txt" "$D/old/clean.txt" "$D/old/low.txt" \
    "$D/old/fp.txt" "$D/old/hr.zip"
touch -d "@$OLDER" "$D/old/staff.csv"
touch -d "@$RECENT" "$D/new/notes.txt" "$D/new/list.txt" "$D/new/gone.txt"
touch -a -d "@$OLD" "$D/new/list.txt"

run_piiscan scan --db "$DB" --key-file "$T/key" "$D"
is "$status" 1 "scan 1 of the share: findings"
keep
# Where the scanner may not open files with O_NOATIME, reading them moved
# their access times, and --by atime cannot be checked.
atime_kept=yes
grep -q 'access times may have been updated' "$T/stdout" && atime_kept=no
rm "$D/new/gone.txt"
printf 'Visa card %s\n' "$c2" > "$D/new/later.txt"
touch -d "@$RECENT" "$D/new/later.txt"
touch -a -d "@$OLD" "$D/new/list.txt"
run_piiscan scan --db "$DB" --key-file "$T/key" "$D"
is "$status" 1 "scan 2 of the share: findings"
keep
grep -q 'access times may have been updated' "$T/stdout" && atime_kept=no

# The start times of the two scans, as `scans` shows them.
S1=$("$PIISCAN" scans --db "$DB" | awk '$1 == 1 { print $2 }')
S2=$("$PIISCAN" scans --db "$DB" | awk '$1 == 2 { print $2 }')

# A reviewer marks old/fp.txt a false positive.
run_piiscan mark --db "$DB" --status false-positive --reason 'a test card' \
    --file "$D/old/fp.txt"
is "$status" 0 "mark old/fp.txt false-positive"
keep
times_before=$(stat -c '%n %Y %X' "$D"/old/* "$D"/new/*)

# --- expected output ----------------------------------------------------

iso() { date -u -d "@$1" +%Y-%m-%dT%H:%M:%SZ; }
owner=$(stat -c %U "$D/old/memo.txt")
size() { stat -c %s "$D/$1"; }

# What stale shows of an age in days: "10y 0m", "5m 3d", "12d".
age_text() {
	local d=$1
	if [ $((d / 365)) -gt 0 ]; then
		echo "$((d / 365))y $((d % 365 / 30))m"
	elif [ $((d % 365 / 30)) -gt 0 ]; then
		echo "$((d % 365 / 30))m $((d % 365 % 30))d"
	else
		echo "$((d % 365 % 30))d"
	fi
}

# The files expected in a listing, oldest first: PATH MTIME ATIME TYPES,
# TYPES as "card:1;hkid:1".  Set by each case in $files.
#
# stale_text NOW BY AGE DAYS: the text output for $files.
stale_text() {
	local now=$1 by=$2 age=$3 days=$4 word=modified
	[ "$by" = atime ] && word=accessed
	echo "Scan 2: files holding findings, last $word before $(iso $((now - days * 86400))) (older than $age)"
	echo "  showing   confidence medium and higher"
	echo
	printf '%s\n' "$files" | awk -v now="$now" -v by="$by" -v owner="$owner" \
	    -v word="$word" -v D="$D" '
		function age(d) {
			if (int(d / 365) > 0) return int(d / 365) "y " int(d % 365 / 30) "m"
			if (int(d % 365 / 30) > 0) return int(d % 365 / 30) "m " (d % 365 % 30) "d"
			return (d % 365 % 30) "d"
		}
		function w(cur, s) { return length(s) > cur ? length(s) : cur }
		NF == 0 { next }
		{
			n++; t = by == "atime" ? $3 : $2
			p[n] = D "/" $1; tm[n] = t; sz[n] = $5
			a[n] = age(int((now - t) / 86400))
			ty = $4; gsub(/:/, " ", ty); gsub(/;/, ", ", ty); tys[n] = ty
			wa = w(wa, a[n]); ws = w(ws, sz[n]); wt = w(wt, ty)
		}
		END {
			if (n == 0) { print "No such files."; exit }
			wa = w(wa, "age"); ws = w(ws, "size"); wt = w(wt, "findings")
			wo = w(5, owner)
			fmt = "  %-20s  %-" wa "s  %" ws "s  %-" wo "s  %-" wt "s  %s\n"
			printf fmt, word, "age", "size", "owner", "findings", "path"
			for (i = 1; i <= n; i++) {
				cmd = "date -u -d @" tm[i] " +%Y-%m-%dT%H:%M:%SZ"
				cmd | getline when; close(cmd)
				printf fmt, when, a[i], sz[i], owner, tys[i], p[i]
			}
		}'
	echo
	echo "Total: $totals"
}

stale_csv() {
	local now=$1 by=$2 path mt at types sz t
	printf 'path,owner,size,mtime,atime,age_days,findings,types\r\n'
	printf '%s\n' "$files" | while read -r path mt at types sz; do
		[ -n "$path" ] || continue
		t=$mt; [ "$by" = atime ] && t=$at
		printf '%s,%s,%s,%s,%s,%s,%s,%s\r\n' "$D/$path" "$owner" "$sz" \
		    "$(iso "$mt")" "$(iso "$at")" $(( (now - t) / 86400 )) \
		    "$(echo "$types" | tr ';' '\n' | awk -F: '{ s += $2 } END { print s }')" \
		    "$types"
	done
}

stale_jsonl() {
	local now=$1 by=$2 age=$3 days=$4 path mt at types sz t
	printf '%s\n' "$files" | while read -r path mt at types sz; do
		[ -n "$path" ] || continue
		t=$mt; [ "$by" = atime ] && t=$at
		printf '{"record":"stale_file","path":"%s","owner":"%s","size":%s,"mtime":"%s","atime":"%s","age_days":%s,"findings":%s,"by_type":{%s}}\n' \
		    "$D/$path" "$owner" "$sz" "$(iso "$mt")" "$(iso "$at")" \
		    $(( (now - t) / 86400 )) \
		    "$(echo "$types" | tr ';' '\n' | awk -F: '{ s += $2 } END { print s }')" \
		    "$(echo "$types" | sed 's/\([a-z]*\):/"\1":/g; s/;/,/g')"
	done
	printf '{"record":"stale_total","scan_id":2,"older_than":"%s","by":"%s","before":"%s",%s}\n' \
	    "$age" "$by" "$(iso $((now - days * 86400)))" "$total_json"
}

# check_stale GENERATOR DESCRIPTION GEN-ARGS... -- PIISCAN-ARGS...: the
# output is compared with what the generator makes for the time before
# the run, or (when seconds ticked over: a loaded machine) for each later
# second up to the time after it.
check_stale() {
	local gen=$1 desc=$2 t0 t1
	shift 2
	local gargs=()
	while [ "$1" != -- ]; do gargs+=("$1"); shift; done
	shift
	t0=$(date +%s)
	run_piiscan stale "$@"
	t1=$(date +%s)
	keep
	is "$status" 0 "$desc: exit 0"
	"$gen" "$t0" "${gargs[@]}" > "$T/want"
	while ! cmp -s "$T/stdout" "$T/want" && [ "$t0" -lt "$t1" ]; do
		t0=$((t0 + 1))
		"$gen" "$t0" "${gargs[@]}" > "$T/want"
	done
	same_file "$T/stdout" "$T/want" "$desc: output"
	is "$(cat "$T/stderr")" "" "$desc: nothing on stderr"
}

# --- stale ----------------------------------------------------------------

files="old/staff.csv $OLDER $OLDER card:1;hkid:1 $(size old/staff.csv)
old/hr.zip $OLD $OLD hkid:1 $(size old/hr.zip)
old/memo.txt $OLD $OLD card:1 $(size old/memo.txt)"
bytes=$(( $(size old/staff.csv) + $(size old/hr.zip) + $(size old/memo.txt) ))
totals="3 files, $bytes bytes, 4 findings (card 2, hkid 2)"
total_json="\"files\":3,\"bytes\":$bytes,\"findings\":4,\"by_type\":{\"card\":2,\"hkid\":2}"

check_stale stale_text "stale --older-than 7y" mtime 7y 2555 -- \
    --db "$DB" --older-than 7y
check_stale stale_csv "stale --older-than 7y --format csv" mtime -- \
    --db "$DB" --older-than 7y --format csv
check_stale stale_jsonl "stale --older-than 7y --format jsonl" mtime 7y 2555 -- \
    --db "$DB" --older-than 7y --format jsonl
check_stale stale_csv "stale --older-than 84m --by mtime --format csv" mtime -- \
    --db "$DB" --older-than 84m --by mtime --format csv
check_stale stale_csv "stale --older-than 3000d --format csv" mtime -- \
    --db "$DB" --older-than 3000d --format csv
check_stale stale_csv "stale --older-than 400w --format csv" mtime -- \
    --db "$DB" --older-than 400w --format csv

# -o FILE: the same bytes in the file, nothing on standard output.
run_piiscan stale --db "$DB" --older-than 7y --format csv -o "$T/stale.csv"
is "$status" 0 "stale -o FILE: exit 0"
is "$(cat "$T/stdout")" "" "stale -o FILE: nothing on standard output"
is "$(cut -d, -f1 "$T/stale.csv" | tr -d '\r' | tr '\n' ' ')" \
    "path $D/old/staff.csv $D/old/hr.zip $D/old/memo.txt " "stale -o FILE: the list"
is "$(ls "$T" | grep -c 'stale.csv.tmp')" 0 "stale -o FILE: no temporary left"

# Eleven years: only the file of twelve.
files="old/staff.csv $OLDER $OLDER card:1;hkid:1 $(size old/staff.csv)"
bytes=$(size old/staff.csv)
totals="1 file, $bytes bytes, 2 findings (card 1, hkid 1)"
check_stale stale_text "stale --older-than 11y" mtime 11y 4015 -- \
    --db "$DB" --older-than 11y

# Nothing that old: an empty list, exit 0.
files=""
totals="0 files, 0 bytes, 0 findings"
total_json="\"files\":0,\"bytes\":0,\"findings\":0,\"by_type\":{}"
check_stale stale_text "stale --older-than 20y: nothing" mtime 20y 7300 -- \
    --db "$DB" --older-than 20y
check_stale stale_jsonl "stale --older-than 20y --format jsonl: nothing" mtime 20y 7300 -- \
    --db "$DB" --older-than 20y --format jsonl
check_stale stale_csv "stale --older-than 20y --format csv: the header only" mtime -- \
    --db "$DB" --older-than 20y --format csv

# --by atime: new/list.txt was last read ten years ago.
files="old/staff.csv $OLDER $OLDER card:1;hkid:1 $(size old/staff.csv)
new/list.txt $RECENT $OLD card:1 $(size new/list.txt)
old/hr.zip $OLD $OLD hkid:1 $(size old/hr.zip)
old/memo.txt $OLD $OLD card:1 $(size old/memo.txt)"
bytes=$(( $(size old/staff.csv) + $(size new/list.txt) + $(size old/hr.zip) + $(size old/memo.txt) ))
totals="4 files, $bytes bytes, 5 findings (card 3, hkid 2)"
total_json="\"files\":4,\"bytes\":$bytes,\"findings\":5,\"by_type\":{\"card\":3,\"hkid\":2}"
if [ "$atime_kept" = yes ]; then
	check_stale stale_text "stale --by atime" atime 7y 2555 -- \
	    --db "$DB" --older-than 7y --by atime
	check_stale stale_jsonl "stale --by atime --format jsonl" atime 7y 2555 -- \
	    --db "$DB" --older-than 7y --by atime --format jsonl
else
	for i in 1 2 3 4 5 6; do
		skip "stale --by atime" "the scan could not keep access times"
	done
fi

# The reading filters narrow the list as they narrow report.
stale_paths() {   # stale_paths ARGS...: the listed paths, relative to $D
	run_piiscan stale --db "$DB" --older-than 7y --format csv "$@"
	keep
	tail -n +2 "$T/stdout" | cut -d, -f1 | sed "s|^$D/||" | tr -d '\r' | tr '\n' ' '
}
is "$(stale_paths --type hkid)" "old/staff.csv old/hr.zip " "stale --type hkid"
is "$(stale_paths --type card)" "old/staff.csv old/memo.txt " "stale --type card"
is "$(stale_paths --min-confidence low)" \
    "old/staff.csv old/hr.zip old/low.txt old/memo.txt " \
    "stale --min-confidence low: the file with a low finding too"
is "$(stale_paths --path-prefix "$D/old/memo.txt")" "old/memo.txt " "stale --path-prefix: a file"
is "$(stale_paths --scan 1)" "old/staff.csv old/hr.zip old/memo.txt " "stale --scan 1"
is "$(stale_paths --include-reviewed)" \
    "old/staff.csv old/fp.txt old/hr.zip old/memo.txt " \
    "stale --include-reviewed: the file marked false-positive too"

# Bad ages and options: exit 2, a message, nothing on standard output.
for age in 7 y 7q 7Y 1.5y -1d 7yy " 7y" "" 99999999999y; do
	run_piiscan stale --db "$DB" --older-than "$age"
	keep
	is "$status" 2 "stale --older-than '$age': exit 2"
	is "$(cat "$T/stderr")" \
	    "piiscan: --older-than: expected an age like 7y, 18m, 12w or 90d (y = 365 days, m = 30 days, w = weeks, d = days), not '$age'" \
	    "stale --older-than '$age': message"
	is "$(cat "$T/stdout")" "" "stale --older-than '$age': no output"
done
run_piiscan stale --db "$DB"
is "$status" 2 "stale without --older-than: exit 2"
is "$(cat "$T/stderr")" \
    "piiscan: stale: --older-than AGE is needed (e.g. 7y, 18m, 90d)" \
    "stale without --older-than: message"
run_piiscan stale --db "$DB" --older-than 7y --by ctime
is "$status" 2 "stale --by ctime: exit 2"
is "$(cat "$T/stderr")" "piiscan: --by: expected mtime or atime, not 'ctime'" \
    "stale --by ctime: message"
run_piiscan stale --db "$DB" --older-than 7y --format html
is "$status" 2 "stale --format html: exit 2"
is "$(cat "$T/stderr")" \
    "piiscan: --format: expected text, csv or jsonl, not 'html'" \
    "stale --format html: message"
run_piiscan stale --db "$DB" --older-than 7y --scan 9
is "$status" 2 "stale --scan 9 (no such scan): exit 2"
run_piiscan stale --db "$T/none.db" --older-than 7y
is "$status" 2 "stale on a missing database: exit 2"
is "$(test -e "$T/none.db"; echo $?)" 1 "stale on a missing database: none made"
run_piiscan stale --help
is "$status" 0 "stale --help: exit 0"
is "$(head -n 1 "$T/stdout")" "usage: piiscan stale --older-than AGE [options]" \
    "stale --help: usage"

# stale changes nothing: not even the files' access times.
is "$(stat -c '%n %Y %X' "$D"/old/* "$D"/new/*)" "$times_before" \
    "stale leaves the files and their times alone"

# --- lookup ---------------------------------------------------------------

mask_card() {
	local v=$1
	printf '%s%s%s' "${v:0:6}" "$(printf '%*s' $(( ${#v} - 10 )) '' | tr ' ' '*')" "${v: -4}"
}
mask_hkid() { printf '%s******(%s)' "${1%%[0-9]*}" "${1: -1}"; }
mc1=$(mask_card "$c1"); mc2=$(mask_card "$c2"); mcu=$(mask_card "$cu")
mh1=$(mask_hkid "$h1"); mh2=$(mask_hkid "$h2"); mh4=$(mask_hkid "$h4")
mhu=$(mask_hkid "$hu")

lookup() {   # lookup INPUT ARGS...: lookup with INPUT on standard input
	local input=$1
	shift
	printf '%s' "$input" | "$PIISCAN" lookup --db "$DB" --key-file "$T/key" "$@" \
	    > "$T/stdout" 2> "$T/stderr"
	status=$?
	keep
}

# A card written with spaces, from standard input.
lookup "$(echo "$c2" | sed 's/\(....\)/\1 /g')
" -
is "$status" 0 "lookup - of a planted card: exit 0"
cat > "$T/want" <<EOF
value 1 of 1: card $mc2: found in 2 places in scan 2
  where   confidence  scan  first seen            last seen             member  path
  line 1  high           2  $S2  $S2  -       $D/new/later.txt
  line 1  high           2  $S1  $S2  -       $D/old/memo.txt
EOF
same_file "$T/stdout" "$T/want" "lookup - of a planted card: its places"
is "$(cat "$T/stderr")" "" "lookup - of a planted card: nothing on stderr"

# An HKID in brackets and lower case, with a card, both planted twice.
lookup "$(echo "$h1" | sed 's/\(.\)$/(\1)/' | tr 'A-Z' 'a-z')
$c1
" -
is "$status" 0 "lookup - of two planted values: exit 0"
cat > "$T/want" <<EOF
value 1 of 2: hkid $mh1: found in 2 places in scan 2
  where   confidence  scan  first seen            last seen             member  path
  line 1  high           2  $S1  $S2  -       $D/new/notes.txt
  line 2  high           2  $S1  $S2  -       $D/old/staff.csv
EOF
head -n 4 "$T/stdout" > "$T/got"
same_file "$T/got" "$T/want" "lookup -: the HKID's places, numbered"
is "$(sed -n 6p "$T/stdout")" "value 2 of 2: card $mc1: found in 2 places in scan 2" \
    "lookup -: the card numbered 2 of 2"

# The places are exactly the files the export records for that hash.
if [ -n "${OPENSSL:-}" ]; then
	"$PIISCAN" export --db "$DB" --format jsonl --min-confidence low > "$T/export.jsonl"
	for v in "card:$c1" "card:$c2" "hkid:$h1" "hkid:$h2"; do
		hash=$(hmac_of "${v%%:*}" "${v#*:}")
		want=$(grep -F "\"value_hash\":\"$hash\"" "$T/export.jsonl" |
		    sed 's/^.*"path":"\([^"]*\)".*$/\1/' | sort -u | tr '\n' ' ')
		lookup "${v#*:}" --format jsonl -
		got=$(grep '"record":"place"' "$T/stdout" |
		    sed 's/^.*"path":"\([^"]*\)".*$/\1/' | sort -u | tr '\n' ' ')
		is "$got" "$want" "lookup lists exactly the files the export has (${v%%:*} ${#want})"
		is "$(grep -c "\"value_hash\":\"$hash\"" "$T/stdout")" \
		    "$(wc -l < "$T/stdout")" "lookup --format jsonl: the hash of the value"
	done
else
	skip "lookup against the export" "no openssl"
fi

# A value in an archive member, as JSON Lines.
lookup "$h2" --format jsonl -
is "$status" 0 "lookup --format jsonl: exit 0"
hash2=$(grep -o '"value_hash":"[0-9a-f]*"' "$T/stdout" | head -n 1 | cut -d'"' -f4)
cat > "$T/want" <<EOF
{"record":"value","value":1,"of":1,"type":"hkid","masked":"$mh2","value_hash":"$hash2","scan_id":2,"places":1}
{"record":"place","value":1,"of":1,"type":"hkid","masked":"$mh2","value_hash":"$hash2","path":"$D/old/hr.zip","member":"2019/staff.xlsx","where":"Staff!A2","confidence":"high","scan_id":2,"first_scan":1,"last_scan":2,"first_seen":"$S1","last_seen":"$S2","review":""}
EOF
same_file "$T/stdout" "$T/want" "lookup --format jsonl: the member and where"
is "${#hash2}" 64 "lookup --format jsonl: a keyed hash"

# lookup shows places whatever their review, with the mark.
lookup "$c4" --format jsonl -
is "$status" 0 "lookup of a value in a file marked false-positive: found"
is "$(grep -o '"path":"[^"]*".*"review":"[^"]*"' "$T/stdout" | sed 's/"path":"\([^"]*\)".*"review":"\([^"]*\)"/\1 \2/')" \
    "$D/old/fp.txt false-positive" "lookup --format jsonl: the review mark"

# Found only by an earlier scan: not in the latest, found with --all-scans.
lookup "$h4" -
is "$status" 1 "lookup of a value of a removed file: exit 1"
is "$(cat "$T/stdout")" "value 1 of 1: hkid $mh4: not found in scan 2" \
    "lookup of a value of a removed file: not found in scan 2"
lookup "$h4" --all-scans -
is "$status" 0 "lookup --all-scans: exit 0"
cat > "$T/want" <<EOF
value 1 of 1: hkid $mh4: found in 1 place across all scans
  where   confidence  scan  first seen            last seen             member  path
  line 1  high           1  $S1  $S1  -       $D/new/gone.txt
EOF
same_file "$T/stdout" "$T/want" "lookup --all-scans: found by scan 1"
lookup "$h4" --scan 1 -
is "$status" 0 "lookup --scan 1: exit 0"
is "$(head -n 1 "$T/stdout")" "value 1 of 1: hkid $mh4: found in 1 place in scan 1" \
    "lookup --scan 1: found"
lookup "$c2" --all-scans -
is "$(sed -n 1p "$T/stdout")" "value 1 of 1: card $mc2: found in 2 places across all scans" \
    "lookup --all-scans: places of every scan"

# A valid value planted nowhere: exit 1, not found.
lookup "$cu
" -
is "$status" 1 "lookup of an unplanted card: exit 1"
is "$(cat "$T/stdout")" "value 1 of 1: card $mcu: not found in scan 2" \
    "lookup of an unplanted card: not found"
is "$(cat "$T/stderr")" "" "lookup of an unplanted card: nothing on stderr"

# Values that are valid for no type: numbered, never shown; exit 2.
lookup "$c1
${c1%?}
$hu
not a number

$h1
" -
is "$status" 2 "lookup with invalid values: exit 2"
is "$(cat "$T/stderr")" "piiscan: value 2 of 5 is not a valid card, hkid, cn_id, mrz, iban, email or phone_hk value
piiscan: value 4 of 5 is not a valid card, hkid, cn_id, mrz, iban, email or phone_hk value" \
    "lookup with invalid values: numbered messages"
is "$(grep '^value' "$T/stdout")" "value 1 of 5: card $mc1: found in 2 places in scan 2
value 3 of 5: hkid $mhu: not found in scan 2
value 5 of 5: hkid $mh1: found in 2 places in scan 2" \
    "lookup with invalid values: the others are looked up"
lookup "$c1" --type hkid -
is "$status" 2 "lookup --type hkid of a card: exit 2"
is "$(cat "$T/stderr")" "piiscan: value 1 of 1 is not a valid hkid value" \
    "lookup --type hkid of a card: message"
lookup "$c1" --format jsonl --type hkid -
is "$(cat "$T/stdout")" '{"record":"invalid","value":1,"of":1}' \
    "lookup --format jsonl: an invalid value"

# Values as arguments work the same (if less privately).
"$PIISCAN" lookup --db "$DB" --key-file "$T/key" "$cu" "$h2" > "$T/stdout" 2> "$T/stderr"
status=$?
keep
is "$status" 1 "lookup VALUE VALUE: exit 1 when one is not found"
is "$(grep '^value' "$T/stdout")" "value 1 of 2: card $mcu: not found in scan 2
value 2 of 2: hkid $mh2: found in 1 place in scan 2" "lookup VALUE VALUE: numbered"

# No key file: exit 2, and none is made.
mkdir -p "$T/nokey"
printf '%s\n' "$c1" | XDG_CONFIG_HOME="$T/nokey" "$PIISCAN" lookup --db "$DB" - \
    > "$T/stdout" 2> "$T/stderr"
status=$?
keep
is "$status" 2 "lookup without a key file: exit 2"
is "$(cat "$T/stderr")" \
    "piiscan: cannot use key file '$T/nokey/piiscan/key': No such file or directory (lookup needs the key the scans were made with)" \
    "lookup without a key file: message"
is "$(cat "$T/stdout")" "" "lookup without a key file: no output"
is "$(find "$T/nokey" -mindepth 1 | wc -l)" 0 "lookup without a key file: no key made"

# Another key: a warning, and nothing can be found with it.
printf '%s\n' 1f1e1d1c1b1a191817161514131211100f0e0d0c0b0a09080706050403020100 > "$T/key2"
chmod 600 "$T/key2"
printf '%s\n' "$c1" | "$PIISCAN" lookup --db "$DB" --key-file "$T/key2" - \
    > "$T/stdout" 2> "$T/stderr"
status=$?
keep
is "$status" 1 "lookup with another key: exit 1"
is "$(cat "$T/stderr")" \
    "piiscan: warning: key file '$T/key2' is not the key scan 2 was made with; values it found cannot be looked up with it" \
    "lookup with another key: a warning"

# Usage errors.
run_piiscan lookup --db "$DB" --key-file "$T/key"
keep
is "$status" 2 "lookup without values: exit 2"
run_piiscan lookup --db "$DB" --key-file "$T/key" - "$cu"
keep
is "$status" 2 "lookup - VALUE: exit 2"
is "$(cat "$T/stderr")" \
    "piiscan: lookup: '-' (values from standard input) must be the only operand" \
    "lookup - VALUE: message"
run_piiscan lookup --db "$DB" --key-file "$T/key" --scan 1 --all-scans "$cu"
keep
is "$status" 2 "lookup --scan with --all-scans: exit 2"
run_piiscan lookup --db "$DB" --key-file "$T/key" --type passport "$cu"
keep
is "$status" 2 "lookup --type of no type: exit 2"
is "$(cat "$T/stderr")" "piiscan: --type: no type 'passport' in the pattern set" \
    "lookup --type of no type: message"
run_piiscan lookup --db "$T/none.db" --key-file "$T/key" "$cu"
keep
is "$status" 2 "lookup on a missing database: exit 2"
run_piiscan lookup --help
is "$status" 0 "lookup --help: exit 0"
is "$(head -n 1 "$T/stdout")" "usage: piiscan lookup [options] VALUE..." \
    "lookup --help: usage"

# No raw value, in any form the tests gave it, reached an output.
leaked=0
for v in $RAW; do
	if grep -F -q -e "$v" -e "${v:0:7}" "$T/all.out"; then
		echo "# a planted value reached an output: ${v:0:1}..."
		leaked=1
	fi
	spaced=$(echo "$v" | sed 's/\(....\)/\1 /g; s/ $//')
	if grep -F -q "$spaced" "$T/all.out"; then
		leaked=1
	fi
done
is "$leaked" 0 "no planted value in any output of scan, stale or lookup"
is "$(test -s "$T/all.out"; echo $?)" 0 "... and there was output to check"

done_testing

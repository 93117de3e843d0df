# archives.sh - zip and gzip: members found with their chain, every limit
# recorded as partial with its reason, hostile archives bounded in time
# and memory.
. "$TOP_SRCDIR/tests/e2e/lib.sh"

A="$T/a"
mkdir -p "$A/src" "$A/tree"
card=$("$FIXTURE" card 4 16 31)
hkid=$("$FIXTURE" hkid K 32)
printf 'Visa %s\n' "$card" > "$A/src/card.txt"
printf 'name,hkid\nChan,%s\n' "$hkid" > "$A/src/people.csv"
masked_card=$(printf '%s' "$card" | sed 's/^\(......\).*\(....\)$/\1******\2/')
masked_hkid="K******(${hkid#???????})"

# file_status NAME: "status|reason" of a file record.
file_status() {
	sed -n "s|^{\"record\":\"file\",\"path\":\"$A/tree/$1\",.*\"status\":\"\([^\"]*\)\"\(,\"error\":\"\([^\"]*\)\"\)\{0,1\},\"findings\".*|\1\|\3|p" "$T/export"
}
findings() {   # findings NAME: member where type confidence masked, sorted
	file_findings "$A/tree/$1"
}

# mkzip ARGS...: make a test archive; a failure is a failed test.
mkzip() {
	"$MKZIP" "$@" || ok 1 "mkzip $1 ${2##*/}"
}

# --- zip and gzip ------------------------------------------------------
(cd "$A/src" && mkzip many "$A/tree/plain.zip" 1 card.txt)
mkzip nested "$A/tree/nested.zip" 5 "$A/src/people.csv"
gzip -c "$A/src/people.csv" > "$A/tree/people.csv.gz"
{ gzip -c "$A/src/card.txt"; gzip -c "$A/src/people.csv"; } > "$A/tree/two.gz"
gzip -c "$A/src/people.csv" | head -c 30 > "$A/tree/cut.csv.gz"
# Over 1 MiB, a zip is read by libzip from the file, not whole into memory
# (letters alone around the card: nothing else to find).
head -c 4500000 /dev/urandom | base64 -w 0 | tr -d '0-9+/A-Z=' | fold -w 64 > "$A/src/big.txt"
echo >> "$A/src/big.txt"
printf 'Visa %s\n' "$card" >> "$A/src/big.txt"
big_line=$(wc -l < "$A/src/big.txt")
(cd "$A/src" && mkzip many "$A/tree/big.zip" 1 big.txt)
# Up to the 16 KiB read to decide a file's type, a zip is opened from
# those bytes; over it, it is read again whole: one of each.
head -c 120000 "$A/src/big.txt" > "$A/src/mid.txt"
printf '\nVisa %s\n' "$card" >> "$A/src/mid.txt"
mid_line=$(wc -l < "$A/src/mid.txt")
(cd "$A/src" && mkzip many "$A/tree/mid.zip" 1 mid.txt)
scan_dir "$A/tree"
is "$status" 1 "archives: scan finds values"
is "$(file_status plain.zip)" "ok|" "zip: ok"
is "$(findings plain.zip)" "f000000.txt line 1 card high $masked_card" \
    "zip: member and line"
big_size=$(stat -c %s "$A/tree/big.zip")
is "$([ "$big_size" -gt 1048576 ] && findings big.zip)" "f000000.txt line $big_line card high $masked_card" \
    "zip over 1 MiB ($big_size bytes): member and line"
mid_size=$(stat -c %s "$A/tree/mid.zip")
is "$([ "$mid_size" -gt 16384 ] && [ "$mid_size" -lt 1048576 ] && findings mid.zip)" \
    "f000000.txt line $mid_line card high $masked_card" \
    "zip between 16 KiB and 1 MiB ($mid_size bytes): member and line"
plain_size=$(stat -c %s "$A/tree/plain.zip")
is "$([ "$plain_size" -lt 16384 ] && echo small)" small "plain.zip is under 16 KiB ($plain_size bytes)"
is "$(findings nested.zip)" \
    "inner.zip/inner.zip/inner.zip/inner.zip/value.txt line 2 hkid high $masked_hkid" \
    "zip in zip in zip...: the member chain, CSV context kept"
is "$(file_status people.csv.gz)" "ok|" "gzip: ok"
is "$(grep -c "\"path\":\"$A/tree/people.csv.gz\",.*\"type\":\"gzip\"" "$T/export")" 1 \
    "gzip: type recorded"
is "$(findings people.csv.gz)" "people.csv line 2 hkid high $masked_hkid" \
    "gzip: member is the name without .gz; a CSV inside keeps its header"
is "$(findings two.gz)" "two line 1 card high $masked_card
two line 3 hkid high $masked_hkid" "gzip: concatenated members are one stream"
is "$(file_status cut.csv.gz)" "partial|corrupt: gzip stream truncated" \
    "gzip: a truncated stream is partial, with the reason"

# --- damaged members -----------------------------------------------------
# A small member is inflated whole; whatever does not match its directory
# entry is read again through libzip, whose words the record keeps.
rm -f "$A"/tree/*
for kind in crc short long cut garbled; do
	mkzip damaged "$A/tree/$kind.zip" "$kind" "$A/src/card.txt"
done
scan_dir "$A/tree"
is "$(file_status crc.zip)" "partial|corrupt: data.txt: CRC error" "a wrong CRC: partial, CRC error"
is "$(findings crc.zip)" "data.txt line 1 card high $masked_card" "... what was read is kept"
is "$(file_status short.zip)" "ok|" "a size declared short: libzip reads on"
is "$(findings short.zip)" "data.txt line 1 card high $masked_card" "... and the value is found"
is "$(file_status long.zip)" "ok|" "a size declared long: libzip reads what there is"
is "$(findings long.zip)" "data.txt line 1 card high $masked_card" "... and the value is found"
is "$(file_status cut.zip)" "partial|corrupt: data.txt: CRC error" "data cut short: partial"
is "$(file_status garbled.zip)" "partial|corrupt: data.txt: CRC error" "garbled data: partial"

# --- limits --------------------------------------------------------------
rm -f "$A"/tree/*
mkzip nested "$A/tree/deep.zip" 20 "$A/src/card.txt"
(cd "$A/src" && mkzip many "$A/tree/many.zip" 30 card.txt)
mkzip textbomb "$A/tree/bomb.zip" 1024
mkzip overlap "$A/tree/overlap.zip" 2000 1
mkzip liar "$A/tree/liar.zip" 64
mkzip encrypted "$A/tree/secret.zip" "$A/src/card.txt"
(cd "$A/src" && mkzip many "$A/src/whole.zip" 3 card.txt)
head -c 120 "$A/src/whole.zip" > "$A/tree/cut.zip"
scan_dir "$A/tree" --max-members 10 --max-expanded 100M --max-ratio 50
is "$status" 1 "hostile archives: the scan ends normally"
case "$(cat "$T/stderr")" in *"runlimit: peak RSS"*) ok 0 "hostile archives: bounded" ;;
*) ok 1 "hostile archives: bounded"; sed 's/^/# /' "$T/stderr" ;; esac
is "$(file_status deep.zip)" "partial|limit: depth" "20 levels deep: partial, limit: depth"
is "$(file_status many.zip)" "partial|limit: members" "30 members, --max-members 10: partial"
is "$(findings many.zip | wc -l)" 10 "... the first 10 members scanned"
is "$(file_status bomb.zip)" "partial|limit: ratio" "1 GiB of one letter: partial, limit: ratio"
is "$(file_status liar.zip)" "partial|limit: ratio" \
    "sizes that lie: the bytes produced count"
is "$(file_status secret.zip)" "partial|encrypted" "an encrypted member: partial, encrypted"
is "$(findings secret.zip)" "" "... and nothing guessed from it"
case "$(file_status cut.zip)" in "error|corrupt: "*) ok 0 "a cut zip: error, corrupt" ;;
*) ok 1 "a cut zip: error, corrupt"; file_status cut.zip | sed 's/^/# /' ;; esac

rm -f "$A"/tree/*
mkzip overlap "$A/tree/overlap.zip" 2000 1
scan_dir "$A/tree" --max-expanded 100M
is "$(file_status overlap.zip)" "partial|limit: expanded" \
    "2000 entries sharing their data: partial, limit: expanded"
mkzip nested "$A/tree/deep.zip" 20 "$A/src/card.txt"

scan_dir "$A/tree" --max-depth 30 --max-members 10 --max-expanded 100M --strict
is "$status" 3 "--strict: exit 3 when a file was not fully examined"
is "$(findings deep.zip | cut -d' ' -f2-)" "line 1 card high $masked_card" \
    "--max-depth 30 reaches 20 levels"

mkdir -p "$A/clean"
printf 'nothing here\n' > "$A/clean/a.txt"
"$PIISCAN" scan --db "$T/clean.db" --key-file "$T/key" --strict "$A/clean" > /dev/null 2>&1
is "$?" 0 "--strict: exit 0 when everything was examined and nothing found"

# The default limits hold a 1 GiB bomb in bounded memory too.
rm -f "$A"/tree/*
mkzip textbomb "$A/tree/bomb.zip" 1024
scan_dir "$A/tree"
is "$status" 0 "default limits: the bomb is stopped"
is "$(file_status bomb.zip)" "partial|limit: ratio" "default limits: limit: ratio"

done_testing

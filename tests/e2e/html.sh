# html.sh - `export --format html`: one self-contained page whose numbers
# agree with the JSON Lines export, that lists every file with findings,
# escapes what it shows, holds no raw value, and renders (when chromium is
# installed) to a screenshot that shows the charts.
. "$TOP_SRCDIR/tests/e2e/lib.sh"

S="$T/share"
"$FIXTURE" tree "$S"
# A name holding HTML's special characters, and one that is not UTF-8.
h=$("$FIXTURE" hkid A 71)
c=$("$FIXTURE" card 4 16 72)
printf 'HKID: %s(%s)\n' "${h%?}" "${h#"${h%?}"}" > "$S/hr/a<b&c\"d.txt"
printf 'card number %s\n' "$c" > "$S/misc/caf"$'\xe9'".txt"
cut -f 6 "$T/answers.tsv" > "$T/values"
printf '%s\n%s\n' "$h" "$c" >> "$T/values"

run_piiscan scan --db "$T/db" --key-file "$T/key" --no-progress "$S"
is "$status" 1 "scan finds values"

run_piiscan export --db "$T/db" --format html -o "$T/report.html"
is "$status" 0 "export --format html exits 0"
is "$(cat "$T/stderr")" "" "nothing on stderr"
P="$T/report.html"
(cd "$T" && sha256sum -c report.html.sha256 > /dev/null 2>&1)
ok $? "report.html.sha256 verifies with sha256sum -c"

# Self-contained: nothing that a browser would fetch.
ok "$(grep -Eci 'src[[:space:]]*=' "$P")" "no src= attribute"
ok "$(grep -Eio 'href[[:space:]]*=[[:space:]]*["'\'']?[^"'\''#]' "$P" | wc -l)" \
    "every href= is a link inside the page"
ok "$(grep -Eci '<(link|img|iframe|object|embed|audio|video|source|base)[[:space:]>]|url\(|@import|(https?|ftp|file):|//[a-z]' "$P")" \
    "no external resource, url() or @import"
grep -q "Content-Security-Policy\" content=\"default-src 'none'" "$P"
ok $? "a content security policy forbids fetching"
iconv -f UTF-8 -t UTF-8 "$P" > /dev/null 2>&1
ok $? "the page is valid UTF-8"

# Headline numbers: the same counts from the JSON Lines export.
"$PIISCAN" export --db "$T/db" --format jsonl > "$T/export.jsonl"
J="$T/export.jsonl"
n_of() {   # n_of KEY FILE: the headline number named KEY, without commas
	sed -n "s/.*data-n=\"$1\">\([0-9,]*\)<.*/\1/p" "$2" | tr -d ,
}
hashes_of() {   # hashes_of TYPE: distinct value hashes of that type
	grep '"record":"finding"' "$J" | grep "\"type\":\"$1\"" |
		sed 's/.*"value_hash":"\([0-9a-f]*\)".*/\1/' | sort -u | wc -l
}
is "$(n_of files-seen "$P")" \
    "$(grep '"record":"file"' "$J" | grep -vc '"status":"gone"')" "files seen"
is "$(n_of files-with-findings "$P")" \
    "$(grep '"record":"finding"' "$J" | sed 's/,"member".*//' | sort -u | wc -l)" \
    "files holding findings"
is "$(n_of findings "$P")" "$(grep -c '"record":"finding"' "$J")" "findings"
is "$(n_of distinct-hkid "$P")" "$(hashes_of hkid)" "distinct HKID numbers"
is "$(n_of distinct-card "$P")" "$(hashes_of card)" "distinct cards"
is "$(n_of not-examined "$P")" \
    "$(grep -Ec '"record":"file".*"status":"(partial|error|skipped)"' "$J")" \
    "files not fully examined"
ok "$([ "$(grep -o '<svg' "$P" | wc -l)" -ge 3 ]; echo $?)" "three SVG charts"

# Every file with findings has its row; paths written as the page writes
# them (JSON's \udcNN byte escape shown as \xNN, then HTML-escaped).
grep '"record":"finding"' "$J" | sed 's/^{"record":"finding","path":"//; s/","member":.*//' |
	sort -u | sed -e 's/\\udc\(..\)/\\x\1/g' -e 's/\\"/"/g' -e 's/&/\&amp;/g' \
	    -e 's/</\&lt;/g' -e 's/>/\&gt;/g' -e 's/"/\&quot;/g' -e "s/'/\&#39;/g" \
	    > "$T/paths"
missing=0
while IFS= read -r p; do
	grep -qF "<td class=\"path\">$p</td>" "$P" || { echo "# no row: $p"; missing=1; }
done < "$T/paths"
ok "$missing" "a table row for every file with findings ($(wc -l < "$T/paths"))"
grep -qF 'hr/a&lt;b&amp;c&quot;d.txt</td>' "$P"
ok $? "a name with <&\" is escaped"
ok "$(grep -cF 'a<b&c"d' "$P")" "and never written raw"
grep -qF 'misc/caf\xe9.txt</td>' "$P"
ok $? "a byte that is not UTF-8 is shown as \\xNN"
grep -qF 'misc/blob.bin</code></td><td>Not examined</td><td>unsupported' "$P"
ok $? "the coverage section lists the file not examined, and why"
ok "$(grep -cF -f "$T/values" "$P")" "no planted value appears"
ok "$(grep -cF -f <(sed -n 's/.*"value_hash":"\([0-9a-f]*\)".*/\1/p' "$J") "$P")" \
    "no value hash appears"

# The filter narrows the page as it narrows the records.
run_piiscan export --db "$T/db" --format html --type hkid -o "$T/hkid.html"
is "$(n_of findings "$T/hkid.html")" \
    "$("$PIISCAN" export --db "$T/db" --type hkid | grep -c '"record":"finding"')" \
    "--type hkid: findings as in the JSON Lines export"
grep -q 'of type <strong>HKID numbers</strong> only' "$T/hkid.html"
ok $? "--type hkid: the page says so"

# Rendering: a screenshot that shows the charts, and the sorting script
# allowed by the page's policy.
CHROME=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$CHROME" ]; then
	for d in "screenshot is not blank" "screenshot shows the charts" \
	    "the sorting script runs" "sorting by total puts the largest first"; do
		skip "$d" "chromium not installed"
	done
	done_testing
	exit
fi
chrome() {   # chrome ARGS... URL
	timeout 60 "$CHROME" --headless --no-sandbox --disable-gpu \
	    --disable-dev-shm-usage --no-first-run --disable-background-networking \
	    --disable-component-update --disable-sync --user-data-dir="$T/chrome" \
	    --window-size=1200,2000 "$@" 2> "$T/chrome.err"
}
printf '<!DOCTYPE html><title>empty</title>\n' > "$T/empty.html"
chrome --screenshot="$T/empty.png" "file://$T/empty.html" > /dev/null
chrome --screenshot="$T/page.png" "file://$P" > /dev/null
size=$(stat -c %s "$T/page.png" 2> /dev/null || echo 0)
blank=$(stat -c %s "$T/empty.png" 2> /dev/null || echo 0)
ok "$([ "$size" -gt 20000 ] && [ "$size" -gt $((blank * 3)) ]; echo $?)" \
    "screenshot is not blank ($size bytes; an empty page: $blank)"
if command -v python3 > /dev/null; then
	# Pixels of the bar colours (the single-series bars, and findings of
	# high confidence): the charts were drawn.
	python3 - "$T/page.png" > "$T/colours" <<'PY'
import struct, sys, zlib
data = open(sys.argv[1], 'rb').read()
pos, idat = 8, b''
while pos < len(data):
    n, kind = struct.unpack('>I4s', data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + n]
    if kind == b'IHDR':
        w, h, depth, ctype = struct.unpack('>IIBB', body[:10])
    elif kind == b'IDAT':
        idat += body
    pos += 12 + n
bpp = {2: 3, 6: 4}[ctype]
raw, stride = zlib.decompress(idat), w * bpp
prev, counts = bytearray(stride), {}
want = {'b42318': 0, '2f6db5': 0}
for y in range(h):
    f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
    for i in range(stride):
        a = line[i - bpp] if i >= bpp else 0
        b, c = prev[i], prev[i - bpp] if i >= bpp else 0
        if f == 1: line[i] = (line[i] + a) & 255
        elif f == 2: line[i] = (line[i] + b) & 255
        elif f == 3: line[i] = (line[i] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    for x in range(0, stride, bpp):
        px = '%02x%02x%02x' % (line[x], line[x + 1], line[x + 2])
        if px in want: want[px] += 1
    prev = line
print(want['2f6db5'], want['b42318'])
PY
	# The header's rule alone is some 3,000 blue pixels; the bars are more.
	read -r blue red < "$T/colours"
	ok "$([ "${blue:-0}" -gt 8000 ] && [ "${red:-0}" -gt 4000 ]; echo $?)" \
	    "screenshot shows the charts (bar pixels: blue $blue, red $red)"
else
	distinct=$(od -An -v -tu1 "$T/page.png" | tr -s ' ' '\n' | sed '/^$/d' |
		sort -u | wc -l)
	ok "$([ "$distinct" -gt 200 ]; echo $?)" \
	    "screenshot shows the charts (no python3: $distinct distinct byte values)"
fi
# Sorted by column 6 (Total, after path, owner, modified, file type and the
# two type columns), largest first: the 40 HKIDs of hr/staff.csv lead.
chrome --dump-dom "file://$P#sort-6-desc" > "$T/dom.html"
grep -q '<html lang="en" class=" js">' "$T/dom.html"
ok $? "the sorting script runs"
is "$(grep -o '<tr><td class="path">[^<][^<]*' "$T/dom.html" | head -n 1 |
	sed 's/.*">//')" \
    "$S/hr/staff.csv" "sorting by total puts the largest first"

done_testing

# types.sh - the personal-data types beyond card and HKID (cn_id, mrz,
# iban, email, phone_hk) on the published examples, each with an English
# or Chinese keyword; the same values with a digit changed; published test
# card numbers marked test-data; --types; `piiscan patterns list|test`;
# and no raw value anywhere.
. "$TOP_SRCDIR/tests/e2e/lib.sh"

mkdir -p "$T/share"
# The published examples: GB 11643 (cn_id), ICAO 9303 specimen (mrz),
# ISO 13616 (iban); the address and the number are made up.
cat > "$T/share/staff.txt" <<'EOF'
Staff record
身份证号码：11010519491231002X
IBAN: GB82 WEST 1234 5698 7654 32
Passport
P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<
L898902C36UTO7408122F1204159ZE184226B<<<<<10
電郵：chan.tai.man@example.com.hk
Mobile +852 9123 4567
EOF
cat > "$T/share/changed.txt" <<'EOF'
身份证号码：11010519491231003X
IBAN: GB82 WEST 1234 5698 7654 33
resident id 11010519491331002X
EOF
printf 'Card number: 4111 1111 1111 1111\n' > "$T/share/test-card.txt"
SHARE=$(cd "$T/share" && pwd -P)

run_piiscan scan --db "$T/inv.db" --key-file "$T/key" "$T/share"
is "$status" 1 "scan exits 1"
is "$(cat "$T/stderr")" "" "nothing on stderr"
run_piiscan export --db "$T/inv.db" --min-confidence low --include-reviewed \
    -o "$T/all.jsonl"
is "$status" 0 "export exits 0"
findings_of "$T/all.jsonl" "$SHARE" | cut -f1-5 > "$T/got"
cat > "$T/want" <<'EOF'
staff.txt	line 2	cn_id	high	110105***********X
staff.txt	line 3	iban	high	GB82**************5432
staff.txt	line 5	mrz	high	P<UTO***** TD3
staff.txt	line 7	email	high	c***@example.com.hk
staff.txt	line 8	phone_hk	medium	91****67
EOF
same_file "$T/got" "$T/want" \
    "each type found once, with a keyword; nothing in changed.txt"
grep -c '^{"record":"finding","path":"[^"]*/test-card.txt","member":"","where":"line 1","type":"card","confidence":"low","masked":"411111\*\*\*\*\*\*1111","value_hash":"[0-9a-f]*","review":"test-data"}$' \
    "$T/all.jsonl" > "$T/n"
is "$(cat "$T/n")" 1 "a published test card: low, its review test-data"

if [ -n "${OPENSSL:-}" ] && [ -x "$OPENSSL" ]; then
	findings_of "$T/all.jsonl" "$SHARE" | cut -f3,6 > "$T/got"
	{
		printf 'cn_id\t%s\n' "$(hmac_of cn_id 11010519491231002X)"
		printf 'iban\t%s\n' "$(hmac_of iban GB82WEST12345698765432)"
		printf 'mrz\t%s\n' "$(hmac_of mrz 'P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<L898902C36UTO7408122F1204159ZE184226B<<<<<10')"
		printf 'email\t%s\n' "$(hmac_of email chan.tai.man@example.com.hk)"
		printf 'phone_hk\t%s\n' "$(hmac_of phone_hk 91234567)"
	} > "$T/want"
	same_file "$T/got" "$T/want" "value_hash over each type's normalised value"
	grep -q "\"value_hash\":\"$(hmac_of card 4111111111111111)\",\"review\":\"test-data\"" \
	    "$T/all.jsonl"
	ok $? "the test card's value_hash"
else
	skip "value_hash over each type's normalised value" "openssl not installed"
	skip "the test card's value_hash" "openssl not installed"
fi

# Published test cards: low, and marked test-data once, by piiscan.
run_piiscan mark --db "$T/inv.db" --list
is "$(grep -c 'test-data' "$T/stdout")" 1 "the test card's value is marked test-data"
grep -q 'published test value' "$T/stdout"
ok $? "the mark gives its reason"
run_piiscan scan --db "$T/inv.db" --key-file "$T/key" --full "$T/share"
run_piiscan mark --db "$T/inv.db" --list
is "$(grep -c 'test-data' "$T/stdout")" 1 "a second scan adds no second mark"
run_piiscan export --db "$T/inv.db" --min-confidence low -o "$T/default.jsonl"
is "$(grep -c '"type":"card"' "$T/default.jsonl")" 0 \
    "the test card is left out of exports unless asked"

# --types.
run_piiscan scan --db "$T/only.db" --key-file "$T/key" --types card,hkid "$T/share"
is "$status" 0 "--types card,hkid: nothing medium or higher"
run_piiscan export --db "$T/only.db" --min-confidence low --include-reviewed \
    -o "$T/only.jsonl"
is "$(grep '"record":"finding"' "$T/only.jsonl" | grep -o '"type":"[a-z_]*"' | sort -u | tr '\n' ' ')" '"type":"card" ' \
    "--types card,hkid: only those types"
run_piiscan scan --db "$T/only.db" --key-file "$T/key" --types card,passport "$T/share"
is "$status" 2 "--types with an unknown id: exit 2"
is "$(cat "$T/stderr")" "piiscan: cannot load patterns: unknown type 'passport'; the types are card, hkid, cn_id, mrz, iban, email, phone_hk" \
    "--types with an unknown id: message"

# patterns list.
run_piiscan patterns list
is "$status" 0 "patterns list exits 0"
is "$(grep -v '^ ' "$T/stdout" | grep -v '^$' | tr '\n' '|')" \
    "card: Payment card number|hkid: Hong Kong Identity Card number|cn_id: Mainland China resident identity card number|mrz: Passport or ID card machine-readable zone|iban: International bank account number (IBAN)|email: E-mail address|phone_hk: Hong Kong telephone number|" \
    "patterns list: every type, with its label"
is "$(sed -n '/^phone_hk:/,$p' "$T/stdout" | sed -n '2p;3p;5p')" \
    "  validator  phone_hk
  normalise  phone_hk, mask phone
  source     builtin:phone_hk.pattern" "patterns list: validator, normaliser, mask, source"
grep -q '^  keywords   tel, telephone, phone, .* (within 100 bytes: medium)$' "$T/stdout"
ok $? "patterns list: keywords, window, the confidence they give"
grep -q '^  test data  47 published values$' "$T/stdout"
ok $? "patterns list: the card test values"

# patterns test.
run_piiscan patterns test "$T/share/staff.txt"
is "$status" 1 "patterns test: exit 1 when something matched"
cat > "$T/want" <<EOF
$T/share/staff.txt: line 2: cn_id 110105***********X high: checksum ok; keyword '身份证' 3 characters before
$T/share/staff.txt: line 3: iban GB82**************5432 high: checksum ok; keyword 'iban' 2 characters before
$T/share/staff.txt: line 5: mrz P<UTO***** TD3 high: check digits ok; keyword 'passport' 1 character before
$T/share/staff.txt: line 7: email c***@example.com.hk high: address form ok; keyword '電郵' 1 character before
$T/share/staff.txt: line 8: phone_hk 91****67 medium: number range ok; keyword 'mobile' 1 character before
EOF
same_file "$T/stdout" "$T/want" "patterns test: each match, masked, confidence and why"
run_piiscan patterns test "$T/share/test-card.txt" "$T/share/changed.txt"
is "$(cat "$T/stdout")" "$T/share/test-card.txt: line 1: card 411111******1111 low: checksum ok; published test value: low, marked test-data" \
    "patterns test: a published test value; nothing in changed.txt"
run_piiscan patterns test --types cn_id "$T/share/changed.txt"
is "$status" 0 "patterns test: exit 0 when nothing matched"
run_piiscan patterns test "$T/nonexistent"
is "$status" 2 "patterns test: a missing file, exit 2"
is "$(cat "$T/stderr")" "piiscan: cannot read '$T/nonexistent': No such file or directory" \
    "patterns test: a missing file, message"
run_piiscan patterns frob
is "$status" 2 "patterns: an unknown subcommand, exit 2"

# No raw value in the inventory, its journal, exports or output.
cat "$T"/inv.db* "$T"/*.jsonl "$T/stdout" "$T/stderr" > "$T/everything"
for raw in 11010519491231002X GB82WEST GB82\ WEST 12345698765432 L898902C3 \
    ERIKSSON chan.tai.man 91234567 9123\ 4567 4111111111111111; do
	if grep -q -F "$raw" "$T/everything"; then
		ok 1 "no raw value stored or printed: $raw"
	fi
done
ok 0 "no raw value in the inventory, exports or output"

done_testing

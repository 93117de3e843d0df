/*
 * test_finding.c - normalisers, masks, keyed hash, findings list, wipe.
 */
#include "../unit/tap.h"

#include <stdlib.h>
#include <string.h>

#include "finding.h"

/* HMAC-SHA-256 with key 00 01 .. 1f, computed independently with
 *   printf 'card:4111111111111111' | openssl dgst -sha256 -mac HMAC \
 *     -macopt hexkey:000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f
 * (and the same for 'hkid:A1234563'). */
#define HMAC_CARD_4111 \
	"47bedcc02d6b616128538acb36d6939afcfcea4e0c113ce04d446e56ffccd6c0"
#define HMAC_HKID_A123 \
	"9900eabfee6ca21e21c904d0bdf6197fdbcdf3025545a89df8bd6d526dfe2fc9"

static bool
is_lower_hex64(const char *s)
{
	if (strlen(s) != PS_HASH_HEX_LEN)
		return false;
	for (size_t i = 0; s[i] != '\0'; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

static void
test_normalise(void)
{
	const char *raw = "4111 1111-1111 1111";
	char out[64];
	size_t n;

	memset(out, 'x', sizeof out);
	n = ps_normalise_digits(raw, strlen(raw), out, sizeof out);
	is_int(n, 16, "digits: length 16");
	is_str(out, "4111111111111111", "digits: spaces and dashes dropped");

	memset(out, 'x', sizeof out);
	n = ps_normalise_digits(raw, strlen(raw), out, 17);
	is_int(n, 16, "digits: cap 17 (exact fit with NUL) works");
	is_str(out, "4111111111111111", "digits: exact fit value");

	n = ps_normalise_digits(raw, strlen(raw), out, 16);
	is_int(n, 0, "digits: cap 16 too small returns 0");
	n = ps_normalise_digits(raw, strlen(raw), out, 5);
	is_int(n, 0, "digits: cap 5 too small returns 0");
	n = ps_normalise_digits(raw, strlen(raw), out, 1);
	is_int(n, 0, "digits: cap 1 too small returns 0");

	memset(out, 'x', sizeof out);
	n = ps_normalise_digits("abc", 3, out, sizeof out);
	is_int(n, 0, "digits: no digits gives 0");
	is_str(out, "", "digits: no digits gives empty string");

	n = ps_normalise_digits("12345", 3, out, sizeof out);
	is_str(out, "123", "digits: only len bytes read");

	/* cap 0: nothing at all fits, not even the NUL; out must not be
	 * written. */
	memset(out, 'x', sizeof out);
	n = ps_normalise_digits("ab", 2, out, 0);
	is_int(n, 0, "digits: cap 0 returns 0");
	ok(out[0] == 'x', "digits: cap 0 writes nothing (got 0x%02x)",
	    (unsigned char)out[0]);

	memset(out, 'x', sizeof out);
	n = ps_normalise_alnum("a123456 (3)", 11, out, sizeof out);
	is_int(n, 8, "alnum: length 8");
	is_str(out, "A1234563", "alnum: upper-cased, brackets/spaces dropped");
	n = ps_normalise_alnum("ca182361(1)", 11, out, sizeof out);
	is_str(out, "CA1823611", "alnum: two lower-case letters");
	n = ps_normalise_alnum("G123456(A)", 10, out, sizeof out);
	is_str(out, "G123456A", "alnum: check char A kept");
	n = ps_normalise_alnum("z-9_\xe4\xb8\xad.Q", 9, out, sizeof out);
	is_str(out, "Z9Q", "alnum: punctuation and non-ASCII bytes dropped");
	n = ps_normalise_alnum("a123456 (3)", 11, out, 8);
	is_int(n, 0, "alnum: cap 8 too small returns 0");
	n = ps_normalise_alnum("a123456 (3)", 11, out, 9);
	is_int(n, 8, "alnum: cap 9 exact fit");
	n = ps_normalise_alnum("P<UTO", 5, out, sizeof out);
	is_str(out, "PUTO", "alnum: filler '<' still dropped");
}

#define TD3_LINE1 "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<"
#define TD3_LINE2 "L898902C36UTO7408122F1204159ZE184226B<<<<<10"
#define TD1_LINE1 "I<UTOD231458907<<<<<<<<<<<<<<<"
#define TD1_LINE2 "7408122F1204159UTO<<<<<<<<<<<6"
#define TD1_LINE3 "ERIKSSON<<ANNA<MARIA<<<<<<<<<<"

static void
test_normalise_mrz(void)
{
	const char *raw;
	char out[128];
	size_t n;

	raw = TD3_LINE1 "\n" TD3_LINE2 "\n";
	memset(out, 'x', sizeof out);
	n = ps_normalise_mrz(raw, strlen(raw), out, sizeof out);
	is_int(n, 88, "mrz: TD3 with newlines, 88 chars");
	is_str(out, TD3_LINE1 TD3_LINE2, "mrz: TD3 lines run together");

	raw = TD1_LINE1 "\r\n" TD1_LINE2 "\r\n" TD1_LINE3;
	n = ps_normalise_mrz(raw, strlen(raw), out, sizeof out);
	is_int(n, 90, "mrz: TD1 with CRLF, 90 chars");
	is_str(out, TD1_LINE1 TD1_LINE2 TD1_LINE3, "mrz: TD1 lines run together");

	raw = "  p<uto eriksson\t<<anna";
	n = ps_normalise_mrz(raw, strlen(raw), out, sizeof out);
	is_str(out, "P<UTOERIKSSON<<ANNA",
	    "mrz: lower case raised, spaces and tabs dropped");
	raw = "L898902C3-6/UTO.\xc2\xab";
	n = ps_normalise_mrz(raw, strlen(raw), out, sizeof out);
	is_str(out, "L898902C36UTO", "mrz: punctuation and non-ASCII dropped");

	raw = TD3_LINE1 "\n" TD3_LINE2;
	n = ps_normalise_mrz(raw, strlen(raw), out, 89);
	is_int(n, 88, "mrz: cap 89 exact fit");
	n = ps_normalise_mrz(raw, strlen(raw), out, 88);
	is_int(n, 0, "mrz: cap 88 too small returns 0");
	memset(out, 'x', sizeof out);
	n = ps_normalise_mrz(raw, strlen(raw), out, 0);
	ok(n == 0 && out[0] == 'x', "mrz: cap 0 returns 0, writes nothing");
	n = ps_normalise_mrz(" \n-", 3, out, sizeof out);
	is_int(n, 0, "mrz: nothing kept gives 0");
}

static void
test_normalise_lower(void)
{
	const char *raw = "Chan.Tai.Man@Example.COM.HK";
	char out[64];
	size_t n;

	memset(out, 'x', sizeof out);
	n = ps_normalise_lower(raw, strlen(raw), out, sizeof out);
	is_int(n, strlen(raw), "lower: same length");
	is_str(out, "chan.tai.man@example.com.hk", "lower: A-Z lowered");
	raw = "A-Z [a_z] @ 0-9 \xc3\x89\tQ";
	n = ps_normalise_lower(raw, strlen(raw), out, sizeof out);
	is_str(out, "a-z [a_z] @ 0-9 \xc3\x89\tq",
	    "lower: everything but A-Z unchanged, non-ASCII bytes too");
	n = ps_normalise_lower("AB@C.DE", 7, out, 8);
	is_int(n, 7, "lower: cap 8 exact fit");
	is_str(out, "ab@c.de", "lower: exact fit value");
	n = ps_normalise_lower("AB@C.DE", 7, out, 7);
	is_int(n, 0, "lower: cap 7 too small returns 0");
	n = ps_normalise_lower("AB@C.DE", 3, out, sizeof out);
	is_str(out, "ab@", "lower: only len bytes read");
	n = ps_normalise_lower("", 0, out, sizeof out);
	is_int(n, 0, "lower: empty gives 0");
	memset(out, 'x', sizeof out);
	n = ps_normalise_lower("A", 1, out, 0);
	ok(n == 0 && out[0] == 'x', "lower: cap 0 returns 0, writes nothing");
}

static void
test_normalise_phone_hk(void)
{
	static const struct {
		const char *raw, *want;
	} kept[] = {
		{ "9123 4567", "91234567" },
		{ "91234567", "91234567" },
		{ "+852 9123 4567", "91234567" },
		{ "(852) 9123-4567", "91234567" },
		{ "852-2123-4567", "21234567" },
		{ "85291234567", "91234567" },
		{ "tel. 2123\xc2\xa0" "4567", "21234567" },
		{ "85212345", "85212345" },  /* eight digits: 852 is the number */
	};
	static const char *const refused[] = {
		"9123 456", "9123 45678", "00852 9123 4567", "+86 139 1234 5678",
		"12345678901", "853 9123 4567", "8529123456", "", "no digits",
	};
	char out[32];
	size_t n;

	for (size_t i = 0; i < sizeof kept / sizeof kept[0]; i++) {
		memset(out, 'x', sizeof out);
		n = ps_normalise_phone_hk(kept[i].raw, strlen(kept[i].raw), out,
		    sizeof out);
		is_int(n, 8, "phone_hk: \"%s\" gives 8 digits", kept[i].raw);
		is_str(out, kept[i].want, "phone_hk: \"%s\" -> %s", kept[i].raw,
		    kept[i].want);
	}
	for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
		n = ps_normalise_phone_hk(refused[i], strlen(refused[i]), out,
		    sizeof out);
		is_int(n, 0, "phone_hk: \"%s\" refused", refused[i]);
	}
	n = ps_normalise_phone_hk("+852 9123 4567", 14, out, 9);
	is_int(n, 8, "phone_hk: cap 9 exact fit");
	is_str(out, "91234567", "phone_hk: exact fit value");
	memset(out, 'x', sizeof out);
	n = ps_normalise_phone_hk("+852 9123 4567", 14, out, 8);
	ok(n == 0 && out[0] == 'x', "phone_hk: cap 8 returns 0, writes nothing");
	n = ps_normalise_phone_hk("+852 9123 4567", 14, out, 0);
	ok(n == 0 && out[0] == 'x', "phone_hk: cap 0 returns 0, writes nothing");
	n = ps_normalise_phone_hk("9123456789", 8, out, sizeof out);
	is_str(out, "91234567", "phone_hk: only len bytes read");
}

static void
test_mask(void)
{
	char out[PS_MASK_MAX];
	char big[80];

	memset(out, 'x', sizeof out);
	ps_mask_first6last4("4111111111111111", 16, out);
	is_str(out, "411111******1111", "mask card: 16 digits");
	ps_mask_first6last4("378282246310005", 15, out);
	is_str(out, "378282*****0005", "mask card: 15-digit Amex");
	ps_mask_first6last4("6205500000000000004", 19, out);
	is_str(out, "620550*********0004", "mask card: 19 digits");
	ps_mask_first6last4("4222222222222", 13, out);
	is_str(out, "422222***2222", "mask card: 13 digits");
	ps_mask_first6last4("1234567890", 10, out);
	is_str(out, "**********", "mask card: short value all stars");

	memset(big, '7', sizeof big);
	ps_mask_first6last4(big, sizeof big, out);
	is_int(strlen(out), PS_MASK_MAX - 1, "mask card: long value capped");

	ps_mask_hkid("A1234563", 8, out);
	is_str(out, "A******(3)", "mask hkid: A1234563");
	ps_mask_hkid("CA1823611", 9, out);
	is_str(out, "CA******(1)", "mask hkid: CA1823611");
	ps_mask_hkid("G123456A", 8, out);
	is_str(out, "G******(A)", "mask hkid: G123456A");

	memset(out, 'x', sizeof out);
	ps_mask_cn_id("11010519491231002X", 18, out);
	is_str(out, "110105***********X", "mask cn_id: 11010519491231002X");
	ps_mask_cn_id("1101051949", 4, out);
	is_str(out, "******", "mask cn_id: short value all stars");
	ps_mask_cn_id(big, sizeof big, out);
	is_str(out, "******", "mask cn_id: long value all stars");

	memset(out, 'x', sizeof out);
	ps_mask_mrz(TD3_LINE1 TD3_LINE2, 88, out);
	is_str(out, "P<UTO***** TD3", "mask mrz: TD3 specimen");
	ps_mask_mrz(TD1_LINE1 TD1_LINE2 TD1_LINE3, 90, out);
	is_str(out, "I<UTO***** TD1", "mask mrz: TD1 specimen");
	ps_mask_mrz(TD3_LINE1 TD3_LINE2, 87, out);
	is_str(out, "*****", "mask mrz: other length all stars");
	ps_mask_mrz("", 0, out);
	is_str(out, "*****", "mask mrz: empty all stars");

	memset(out, 'x', sizeof out);
	ps_mask_iban("GB82WEST12345698765432", 22, out);
	is_str(out, "GB82**************5432", "mask iban: GB82WEST12345698765432");
	ps_mask_iban("DE89370400440532013000", 22, out);
	is_str(out, "DE89**************3000", "mask iban: DE");
	ps_mask_iban("NL91ABNA0417164300", 18, out);
	is_str(out, "NL91**********4300", "mask iban: NL");
	ps_mask_iban("NO9386011117947", 15, out);
	is_str(out, "NO93*******7947", "mask iban: NO, the shortest");
	ps_mask_iban("LC55HEMM000100010012001200023015", 32, out);
	is_str(out, "LC55************************3015", "mask iban: LC, the longest");
	ps_mask_iban("GB82WEST123", 11, out);
	is_str(out, "****", "mask iban: short value hidden");
	ps_mask_iban(big, sizeof big, out);
	is_str(out, "****", "mask iban: long value hidden");

	memset(out, 'x', sizeof out);
	ps_mask_email("chan.tai.man@example.com.hk", 27, out);
	is_str(out, "c***@example.com.hk", "mask email: chan.tai.man@example.com.hk");
	ps_mask_email("a@b.co", 6, out);
	is_str(out, "a***@b.co", "mask email: one-letter local part");
	ps_mask_email("plainaddress", 12, out);
	is_str(out, "***", "mask email: no '@' all hidden");
	ps_mask_email("@example.com", 12, out);
	is_str(out, "***", "mask email: empty local part all hidden");
	ps_mask_email("a@example.com@x", 13, out);
	is_str(out, "a***@example.com", "mask email: only len bytes read");
	{
		char addr[400], want[128], label[80];
		size_t n;

		/* A domain of 58 fits exactly: 5 + 58 = 63. */
		memset(label, 'd', 54);
		label[54] = '\0';
		n = (size_t)snprintf(addr, sizeof addr, "chan@%s.com", label);
		ps_mask_email(addr, n, out);
		snprintf(want, sizeof want, "c***@%s.com", label);
		is_str(out, want, "mask email: domain of 58 shown whole");
		is_int(strlen(out), PS_MASK_MAX - 1, "mask email: 63 chars");

		/* One more, and the first label goes. */
		memset(label, 'd', 55);
		label[55] = '\0';
		n = (size_t)snprintf(addr, sizeof addr, "chan@%s.com", label);
		ps_mask_email(addr, n, out);
		is_str(out, "c***@*.com", "mask email: domain of 59 cut to *.com");

		/* Labels go from the left until the rest fits. */
		memset(label, 'x', 40);
		label[40] = '\0';
		n = (size_t)snprintf(addr, sizeof addr,
		    "someone@%s.mail.%s.example.com.hk", label, label);
		ps_mask_email(addr, n, out);
		snprintf(want, sizeof want, "s***@*.%s.example.com.hk", label);
		is_str(out, want, "mask email: long domain keeps its last labels");
		ok(strlen(out) < PS_MASK_MAX, "mask email: fits the mask");

		/* Not even the top-level domain fits. */
		memset(label, 't', 63);
		label[63] = '\0';
		n = (size_t)snprintf(addr, sizeof addr, "someone@example.%s", label);
		ps_mask_email(addr, n, out);
		is_str(out, "s***@*", "mask email: no label fits, domain hidden");

		/* The longest valid address, 254 characters: 64, '@', three
		 * labels of 61 and "com"; only "com" fits behind "*.". */
		memset(addr, 'l', 64);
		n = 64;
		addr[n++] = '@';
		for (int i = 0; i < 3; i++) {
			memset(addr + n, (char)('a' + i), 61);
			n += 61;
			addr[n++] = '.';
		}
		memcpy(addr + n, "com", 3);
		n += 3;
		ps_mask_email(addr, n, out);
		is_int(n, 254, "mask email: built an address of 254");
		is_str(out, "l***@*.com", "mask email: longest address");
	}

	memset(out, 'x', sizeof out);
	ps_mask_phone("91234567", 8, out);
	is_str(out, "91****67", "mask phone: 91234567");
	ps_mask_phone("21234567", 8, out);
	is_str(out, "21****67", "mask phone: 21234567");
	ps_mask_phone("1234567", 7, out);
	is_str(out, "********", "mask phone: short value hidden");
	ps_mask_phone(big, sizeof big, out);
	is_str(out, "77****77", "mask phone: long value, same form");
}

static void
test_lookup(void)
{
	ps_normalise_fn nf = NULL;
	ps_mask_fn mf = NULL;

	ok(ps_normaliser_find("digits", &nf) && nf == ps_normalise_digits,
	    "normaliser: digits");
	ok(ps_normaliser_find("alnum", &nf) && nf == ps_normalise_alnum,
	    "normaliser: alnum");
	ok(ps_normaliser_find("mrz", &nf) && nf == ps_normalise_mrz,
	    "normaliser: mrz");
	ok(ps_normaliser_find("lower", &nf) && nf == ps_normalise_lower,
	    "normaliser: lower");
	ok(ps_normaliser_find("phone_hk", &nf) && nf == ps_normalise_phone_hk,
	    "normaliser: phone_hk");
	nf = NULL;
	ok(!ps_normaliser_find("nope", &nf) && nf == NULL,
	    "normaliser: unknown not found");
	ok(!ps_normaliser_find("", &nf), "normaliser: empty not found");
	ok(ps_mask_find("first6last4", &mf) && mf == ps_mask_first6last4,
	    "mask: first6last4");
	ok(ps_mask_find("hkid", &mf) && mf == ps_mask_hkid, "mask: hkid");
	ok(ps_mask_find("cn_id", &mf) && mf == ps_mask_cn_id, "mask: cn_id");
	ok(ps_mask_find("mrz", &mf) && mf == ps_mask_mrz, "mask: mrz");
	ok(ps_mask_find("iban", &mf) && mf == ps_mask_iban, "mask: iban");
	ok(ps_mask_find("email", &mf) && mf == ps_mask_email, "mask: email");
	ok(ps_mask_find("phone", &mf) && mf == ps_mask_phone, "mask: phone");
	mf = NULL;
	ok(!ps_mask_find("phone_hk", &mf) && mf == NULL,
	    "mask: phone_hk (a normaliser) is no mask");
	mf = NULL;
	ok(!ps_mask_find("nope", &mf) && mf == NULL, "mask: unknown not found");
	ok(!ps_mask_find("digits", &mf), "mask: a normaliser name is not a mask");
}

static void
test_hash(void)
{
	struct ps_key key, key2;
	char h[PS_HASH_HEX_LEN + 1], h2[PS_HASH_HEX_LEN + 1];

	for (int i = 0; i < PS_KEY_BYTES; i++)
		key.bytes[i] = (uint8_t)i;
	key2 = key;
	key2.bytes[31] ^= 1;

	ps_value_hash(&key, "card", "4111111111111111", 16, h);
	is_str(h, HMAC_CARD_4111, "hash: card 4111111111111111 (openssl)");
	ok(is_lower_hex64(h), "hash: 64 lower-case hex chars");

	ps_value_hash(&key, "hkid", "A1234563", 8, h);
	is_str(h, HMAC_HKID_A123, "hash: hkid A1234563 (openssl)");
	ok(is_lower_hex64(h), "hash: hkid 64 lower-case hex chars");

	ps_value_hash(&key, "card", "4111111111111111XYZ", 16, h);
	is_str(h, HMAC_CARD_4111, "hash: only len bytes of value used");

	ps_value_hash(&key2, "card", "4111111111111111", 16, h2);
	ok(strcmp(h2, HMAC_CARD_4111) != 0, "hash: different key, different hash");
	ok(is_lower_hex64(h2), "hash: other key 64 lower-case hex");

	ps_value_hash(&key, "hkid", "4111111111111111", 16, h2);
	ok(strcmp(h2, HMAC_CARD_4111) != 0, "hash: different type, different hash");

	ps_value_hash(&key, "card", "", 0, h2);
	ok(is_lower_hex64(h2) && strcmp(h2, HMAC_CARD_4111) != 0,
	    "hash: empty value hashes to other 64 hex chars");

	ps_value_hash(&key, "card", "4111111111111112", 16, h2);
	ok(strcmp(h2, HMAC_CARD_4111) != 0, "hash: different value, different hash");
}

static void
test_findings(void)
{
	struct ps_findings list = { 0 };
	struct ps_finding f = { 0 };
	char member[32];
	enum ps_error err = PS_OK;

	strcpy(member, "a.zip/b.docx");
	f.type = "card";
	f.confidence = PS_CONF_HIGH;
	strcpy(f.masked, "411111******1111");
	strcpy(f.where, "line 3");
	f.member = member;

	is_int(ps_findings_add(&list, &f), PS_OK, "add: first");
	is_int(list.count, 1, "add: count 1");
	ok(list.items[0].member != member, "add: member is a copy, not borrowed");
	strcpy(member, "changed");
	is_str(list.items[0].member, "a.zip/b.docx", "add: member copy survives");
	is_str(list.items[0].masked, "411111******1111", "add: masked copied");
	is_str(list.items[0].where, "line 3", "add: where copied");
	ok(list.items[0].type == f.type, "add: type borrowed");
	is_int(list.items[0].confidence, PS_CONF_HIGH, "add: confidence");

	f.member = NULL;
	strcpy(f.where, "line 4");
	is_int(ps_findings_add(&list, &f), PS_OK, "add: second, no member");
	is_int(list.count, 2, "add: count 2");
	ok(list.items[1].member == NULL, "add: NULL member stays NULL");
	is_str(list.items[1].where, "line 4", "add: second where");
	is_str(list.items[0].where, "line 3", "add: first unchanged");
	is_int(list.dropped, 0, "add: nothing dropped yet");

	ps_findings_clear(&list);
	is_int(list.count, 0, "clear: count 0");
	is_int(list.dropped, 0, "clear: dropped 0");
	ok(list.cap > 0 && list.items != NULL, "clear: storage kept");

	for (size_t i = 0; i < PS_MAX_FINDINGS_PER_FILE + 7; i++) {
		err = ps_findings_add(&list, &f);
		if (err != PS_OK)
			break;
	}
	is_int(err, PS_OK, "add: all %d adds returned PS_OK",
	    PS_MAX_FINDINGS_PER_FILE + 7);
	is_int(list.count, PS_MAX_FINDINGS_PER_FILE, "add: count capped at limit");
	is_int(list.dropped, 7, "add: 7 beyond the limit counted as dropped");

	/* one with a member past the limit: dropped, not stored */
	f.member = member;
	is_int(ps_findings_add(&list, &f), PS_OK, "add: past limit with member");
	is_int(list.dropped, 8, "add: dropped 8");
	is_int(list.count, PS_MAX_FINDINGS_PER_FILE, "add: count still capped");

	ps_findings_clear(&list);
	is_int(list.count, 0, "clear after limit: count 0");
	is_int(list.dropped, 0, "clear after limit: dropped reset");

	f.member = member;
	strcpy(member, "x/y");
	is_int(ps_findings_add(&list, &f), PS_OK, "add after clear");
	is_str(list.items[0].member, "x/y", "add after clear: member");

	ps_findings_free(&list);
	ok(list.items == NULL, "free: items NULL");
	is_int(list.cap, 0, "free: cap 0");
	is_int(list.count, 0, "free: count 0");
	ps_findings_free(&list);
	ok(list.items == NULL, "free twice is harmless");
}

/* add TYPE HASH MEMBER WHERE to list (hash: one hex digit, repeated). */
static void
add(struct ps_findings *list, const char *type, char hash, const char *member,
    const char *where)
{
	struct ps_finding f = { .type = type };

	memset(f.value_hash, hash, PS_HASH_HEX_LEN);
	f.member = (char *)member;
	snprintf(f.where, sizeof f.where, "%s", where);
	ps_findings_add(list, &f);
}

/* The places kept, in order: "where" of each, space-separated. */
static const char *
places(const struct ps_findings *list)
{
	static char buf[256];
	size_t n = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < list->count; i++)
		n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%s", i > 0 ? " " : "",
		    list->items[i].where);
	return buf;
}

static void
test_drop_repeats(void)
{
	struct ps_findings list = { 0 };

	/* Before the alternatives: a header's value, not compared. */
	add(&list, "card", 'a', "m", "headers");
	/* The first alternative (plain text): one card twice, an HKID. */
	add(&list, "card", 'b', "m", "p1");
	add(&list, "card", 'b', "m", "p3");
	add(&list, "hkid", 'c', "m", "p2");
	/* The second (HTML): the same three, the header's card, a card only
	 * it has, the same card in an attachment, the HKID's hash as
	 * another type, and its own repeat of the new card. */
	add(&list, "card", 'b', "m", "h1");
	add(&list, "hkid", 'c', "m", "h2");
	add(&list, "card", 'b', "m", "h3");
	add(&list, "card", 'a', "m", "h4");
	add(&list, "card", 'd', "m", "h5");
	add(&list, "card", 'b', "m/x.csv", "h6");
	add(&list, "email", 'c', "m", "h7");
	add(&list, "card", 'd', "m", "h8");
	ps_findings_drop_repeats(&list, 1, 4);
	is_str(places(&list), "headers p1 p3 p2 h4 h5 h6 h7 h8",
	    "drop repeats: what the first alternative has goes; the rest stays");
	ps_findings_drop_repeats(&list, 1, 1);
	is_int(list.count, 9, "drop repeats: nothing earlier, nothing dropped");
	ps_findings_drop_repeats(&list, 1, 9);
	is_int(list.count, 9, "drop repeats: nothing after, nothing dropped");
	add(&list, "hkid", 'c', NULL, "n1");
	add(&list, "hkid", 'c', NULL, "n2");
	ps_findings_drop_repeats(&list, 9, 10);
	is_str(places(&list), "headers p1 p3 p2 h4 h5 h6 h7 h8 n1",
	    "drop repeats: no member is a member too");
	ps_findings_free(&list);
}

static void
test_wipe(void)
{
	unsigned char buf[40];
	bool zero = true;

	memset(buf, 0xA5, sizeof buf);
	ps_wipe(buf + 4, 32);
	for (size_t i = 4; i < 36; i++)
		if (buf[i] != 0)
			zero = false;
	ok(zero, "wipe: range zeroed");
	ok(buf[0] == 0xA5 && buf[3] == 0xA5 && buf[36] == 0xA5 && buf[39] == 0xA5,
	    "wipe: bytes outside untouched");
	ps_wipe(buf, 0);
	ok(buf[0] == 0xA5, "wipe: len 0 writes nothing");
}

int
main(void)
{
	test_normalise();
	test_normalise_mrz();
	test_normalise_lower();
	test_normalise_phone_hk();
	test_mask();
	test_lookup();
	test_hash();
	test_findings();
	test_drop_repeats();
	test_wipe();
	return done_testing();
}

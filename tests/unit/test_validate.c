/*
 * test_validate.c - Luhn, card IIN/length table, HKID check, China
 * resident identity number, ICAO machine-readable zone, IBAN, e-mail
 * address, Hong Kong telephone number, validator look-up.  Only published example /
 * test numbers and synthetic ones.
 */
#include "../unit/tap.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "validate.h"

/* ---- helpers ---------------------------------------------------------- */

/* The Luhn check digit for the digits of s[0..n). */
static char
luhn_check_digit(const char *s, size_t n)
{
	unsigned sum = 0;
	int twice = 1; /* the digit left of the check digit is doubled */

	for (size_t i = n; i-- > 0;) {
		unsigned d = (unsigned)(s[i] - '0');

		if (twice) {
			d *= 2;
			if (d > 9)
				d -= 9;
		}
		sum += d;
		twice = !twice;
	}
	return (char)('0' + (10 - sum % 10) % 10);
}

/* A Luhn-valid number of `len` digits starting with `prefix`, the middle
 * filled with a fixed synthetic pattern.  out must hold len + 1 bytes. */
static const char *
make_card(char *out, const char *prefix, size_t len)
{
	size_t p = strlen(prefix);

	memcpy(out, prefix, p);
	for (size_t i = p; i + 1 < len; i++)
		out[i] = (char)('0' + (i * 7 + 3) % 10);
	out[len - 1] = luhn_check_digit(out, len - 1);
	out[len] = '\0';
	return out;
}

static bool
luhn(const char *s)
{
	return ps_luhn_ok(s, strlen(s));
}

static bool
card(const char *s)
{
	return ps_card_ok(s, strlen(s));
}

static bool
iin(const char *s)
{
	return ps_card_iin_ok(s, strlen(s));
}

static bool
hkid(const char *s)
{
	return ps_hkid_ok(s, strlen(s));
}

/* Number of single-digit changes of s that still pass Luhn (want 0). */
static int
luhn_single_changes_passing(const char *s)
{
	char buf[32];
	size_t n = strlen(s);
	int passing = 0;

	for (size_t i = 0; i < n; i++) {
		for (char d = '0'; d <= '9'; d++) {
			if (d == s[i])
				continue;
			memcpy(buf, s, n + 1);
			buf[i] = d;
			if (ps_luhn_ok(buf, n) || ps_card_ok(buf, n))
				passing++;
		}
	}
	return passing;
}

/* Independent HKID check character: weights 9..2, space = 36, A-Z = 10-35,
 * check = (11 - sum mod 11) mod 11, 10 written 'A'. */
static char
hkid_check_char(const char *letters, const char *digits)
{
	unsigned v[8], sum = 0, c;
	size_t nl = strlen(letters);

	if (nl == 1) {
		v[0] = 36;
		v[1] = (unsigned)(letters[0] - 'A' + 10);
	} else {
		v[0] = (unsigned)(letters[0] - 'A' + 10);
		v[1] = (unsigned)(letters[1] - 'A' + 10);
	}
	for (int i = 0; i < 6; i++)
		v[2 + i] = (unsigned)(digits[i] - '0');
	for (int i = 0; i < 8; i++)
		sum += (unsigned)(9 - i) * v[i];
	c = (11 - sum % 11) % 11;
	return c == 10 ? 'A' : (char)('0' + c);
}

/* Independent MOD 11-2 check character of 17 digits: weights 2^(17-i)
 * mod 11 computed here, check = (12 - sum mod 11) mod 11, 10 written X. */
static char
cn_id_check_char(const char *digits17)
{
	unsigned sum = 0, weight = 1, c;

	for (size_t i = 17; i-- > 0;) {
		weight = weight * 2 % 11;
		sum += weight * (unsigned)(digits17[i] - '0');
	}
	c = (12 - sum % 11) % 11;
	return c == 10 ? 'X' : (char)('0' + c);
}

/* A synthetic identity number: region (6 digits), birth date (8) and
 * sequence (3), then its check character.  out holds 19 bytes. */
static const char *
make_cn_id(char *out, const char *region, const char *date, const char *seq)
{
	snprintf(out, 19, "%.6s%.8s%.3s", region, date, seq);
	out[17] = cn_id_check_char(out);
	out[18] = '\0';
	return out;
}

static bool
cn_id(const char *s)
{
	return ps_cn_id_ok(s, strlen(s));
}

/* The ICAO specimens (Doc 9303), lines run together. */
#define TD3_SPECIMEN \
	"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<" \
	"L898902C36UTO7408122F1204159ZE184226B<<<<<10"
#define TD1_SPECIMEN \
	"I<UTOD231458907<<<<<<<<<<<<<<<" \
	"7408122F1204159UTO<<<<<<<<<<<6" \
	"ERIKSSON<<ANNA<MARIA<<<<<<<<<<"

/* Independent MRZ check digit of s[0..n): weights 7 3 1, digits as
 * themselves, A-Z 10-35, '<' 0. */
static char
mrz_check_digit(const char *s, size_t n)
{
	unsigned sum = 0;

	for (size_t i = 0; i < n; i++) {
		unsigned v = 0;

		if (s[i] >= '0' && s[i] <= '9')
			v = (unsigned)(s[i] - '0');
		else if (s[i] >= 'A' && s[i] <= 'Z')
			v = (unsigned)(s[i] - 'A' + 10);
		sum += v * (i % 3 == 0 ? 7 : i % 3 == 1 ? 3 : 1);
	}
	return (char)('0' + sum % 10);
}

/* Rewrite the composite check digit of a TD3 (88 chars) alone. */
static void
td3_recomposite(char *mrz)
{
	char *l2 = mrz + 44, joined[64];

	memcpy(joined, l2, 10);
	memcpy(joined + 10, l2 + 13, 7);
	memcpy(joined + 17, l2 + 21, 22);
	l2[43] = mrz_check_digit(joined, 39);
}

/* Rewrite every check digit of a TD3 from its fields; a '<' personal
 * number check is left alone. */
static void
td3_recheck(char *mrz)
{
	char *l2 = mrz + 44;

	l2[9] = mrz_check_digit(l2, 9);
	l2[19] = mrz_check_digit(l2 + 13, 6);
	l2[27] = mrz_check_digit(l2 + 21, 6);
	if (l2[42] != '<')
		l2[42] = mrz_check_digit(l2 + 28, 14);
	td3_recomposite(mrz);
}

/* Rewrite the date checks and the composite of a TD1 (90 chars), and the
 * document number's check when the number has nine characters or fewer. */
static void
td1_recheck(char *mrz)
{
	char *l1 = mrz, *l2 = mrz + 30, joined[64];

	if (l1[14] != '<')
		l1[14] = mrz_check_digit(l1 + 5, 9);
	l2[6] = mrz_check_digit(l2, 6);
	l2[14] = mrz_check_digit(l2 + 8, 6);
	memcpy(joined, l1 + 5, 25);
	memcpy(joined + 25, l2, 7);
	memcpy(joined + 32, l2 + 8, 7);
	memcpy(joined + 39, l2 + 18, 11);
	l2[29] = mrz_check_digit(joined, 50);
}

static bool
mrz(const char *s)
{
	return ps_mrz_ok(s, strlen(s));
}

/* Single changes of the digits in s[from..to) that still pass (want 0). */
static int
mrz_digit_changes_passing(const char *s, size_t from, size_t to)
{
	char b[96];
	size_t n = strlen(s);
	int passing = 0;

	for (size_t i = from; i < to; i++) {
		if (s[i] < '0' || s[i] > '9')
			continue;
		for (char d = '0'; d <= '9'; d++) {
			if (d == s[i])
				continue;
			memcpy(b, s, n + 1);
			b[i] = d;
			if (ps_mrz_ok(b, n))
				passing++;
		}
	}
	return passing;
}

/* Independent IBAN check digits for country + bban: 98 minus mod 97 of
 * bban, country and "00" read as one number, letters as 10-35.  out gets
 * the whole IBAN; it holds 40 bytes. */
static const char *
make_iban(char *out, const char *country, const char *bban)
{
	char moved[40];
	unsigned rest = 0, check;

	snprintf(moved, sizeof moved, "%s%s00", bban, country);
	for (size_t i = 0; moved[i] != '\0'; i++) {
		char c = moved[i];

		if (c >= 'A' && c <= 'Z')
			rest = (rest * 100 + (unsigned)(c - 'A' + 10)) % 97;
		else
			rest = (rest * 10 + (unsigned)(c - '0')) % 97;
	}
	check = 98 - rest;
	snprintf(out, 40, "%s%02u%s", country, check, bban);
	return out;
}

static bool
iban(const char *s)
{
	return ps_iban_ok(s, strlen(s));
}

/* Single changes of s (digits to digits, letters to letters) that still
 * pass (want 0). */
static int
iban_single_changes_passing(const char *s)
{
	char b[40];
	size_t n = strlen(s);
	int passing = 0;

	for (size_t i = 0; i < n; i++) {
		char first = s[i] >= 'A' ? 'A' : '0';
		char last = s[i] >= 'A' ? 'Z' : '9';

		for (char c = first; c <= last; c++) {
			if (c == s[i])
				continue;
			memcpy(b, s, n + 1);
			b[i] = c;
			if (ps_iban_ok(b, n))
				passing++;
		}
	}
	return passing;
}

static bool
email(const char *s)
{
	return ps_email_ok(s, strlen(s));
}

/* n copies of c at out, NUL after; returns out. */
static char *
repeat(char *out, char c, size_t n)
{
	memset(out, c, n);
	out[n] = '\0';
	return out;
}

static uint32_t lcg_state = 12345u;

static uint32_t
lcg(void)
{
	lcg_state = lcg_state * 1103515245u + 12345u;
	return (lcg_state >> 16) & 0x7fff;
}

/* ---- Luhn ------------------------------------------------------------- */

static void
test_luhn(void)
{
	static const char *const published[] = {
		"79927398713",
		"4111111111111111", "4012888888881881", "4222222222222",
		"5555555555554444", "5105105105105100", "2223003122003222",
		"378282246310005", "371449635398431", "378734493671000",
		"6011111111111117", "6011000990139424",
		"3530111333300000", "3566002020360505",
		"6200000000000005", "6205500000000000004",
		"30569309025904", "38520000023237", "36227206271667",
		"3056930009020004",
	};

	ok(luhn("79927398713"), "luhn: 79927398713 valid");
	ok(!luhn("79927398710"), "luhn: 79927398710 invalid");
	for (size_t i = 0; i < sizeof published / sizeof published[0]; i++)
		ok(luhn(published[i]), "luhn: published %s valid", published[i]);
	for (size_t i = 0; i < sizeof published / sizeof published[0]; i++)
		is_int(luhn_single_changes_passing(published[i]), 0,
		    "luhn: every single-digit change of %s invalid", published[i]);
	ok(!luhn("79927398714"), "luhn: last digit changed invalid");
	ok(!luhn("4111111111111112"), "luhn: 4111111111111112 invalid");

	ok(!ps_luhn_ok("", 0), "luhn: empty invalid");
	ok(!ps_luhn_ok("0", 0), "luhn: len 0 invalid even with data");
	ok(luhn("0"), "luhn: \"0\" valid (sum 0)");
	ok(!luhn("7992739871a"), "luhn: trailing letter invalid");
	ok(!luhn("a9927398713"), "luhn: leading letter invalid");
	ok(!luhn("79927 398713"), "luhn: embedded space invalid");
	ok(!luhn("7992-7398713"), "luhn: embedded dash invalid");
	ok(!luhn("/9927398713"), "luhn: '/' (below '0') invalid");
	ok(!luhn(":9927398713"), "luhn: ':' (above '9') invalid");
	ok(!luhn("7992739871\xff"), "luhn: high byte invalid");
	ok(ps_luhn_ok("79927398713XYZ", 11), "luhn: only len bytes read");

	/* Every length from 1 to 24, random digits (and now and then a byte
	 * that is not one): as the definition computes it, digit by digit. */
	{
		bool same = true;
		char buf[24];

		srand(14);
		for (int round = 0; round < 20000 && same; round++) {
			size_t n = 1 + (size_t)round % sizeof buf;
			unsigned sum = 0;
			bool digits = true;

			for (size_t i = 0; i < n; i++)
				buf[i] = rand() % 50 == 0 ? "/:a \xff"[rand() % 5]
				    : (char)('0' + rand() % 10);
			for (size_t i = 0; i < n; i++) {
				unsigned d = (unsigned)(buf[n - 1 - i] - '0');

				digits = digits && d <= 9;
				d = i % 2 == 1 ? d * 2 : d;
				sum += d > 9 ? d - 9 : d;
			}
			same = ps_luhn_ok(buf, n) == (digits && sum % 10 == 0);
		}
		ok(same, "luhn: random digits of every length 1 to 24 as by the definition");
	}
}

/* ---- card IIN / length table ---------------------------------------- */

/* Luhn-valid numbers of every length over every six-digit prefix: the
 * quick look at the first two digits refuses none the table issues. */
static void
test_card_prefix_quick_check(void)
{
	char buf[20];
	unsigned long differ = 0, issued = 0;

	for (size_t len = 13; len <= 19; len++) {
		for (unsigned long p = 0; p < 1000000; p++) {
			unsigned long v = p;

			for (int i = 5; i >= 0; i--, v /= 10)
				buf[i] = (char)('0' + v % 10);
			memset(buf + 6, '0', len - 6);
			for (char c = '0'; c <= '9'; c++) {
				buf[len - 1] = c;
				if (ps_luhn_ok(buf, len))
					break;
			}
			issued += ps_card_iin_ok(buf, len);
			differ += ps_card_ok(buf, len) != ps_card_iin_ok(buf, len);
		}
	}
	is_int(differ, 0, "card: the first-two-digits check agrees with the IIN table "
	    "over every six-digit prefix and length (%lu issued)", issued);
}

static void
test_card(void)
{
	char b[32];

	/* Visa */
	ok(card("4111111111111111"), "card: Visa 4111111111111111");
	ok(card("4012888888881881"), "card: Visa 4012888888881881");
	ok(card("4222222222222"), "card: Visa 13-digit 4222222222222");
	ok(card(make_card(b, "4", 19)), "card: Visa 19-digit %s", b);
	ok(iin(b), "iin: Visa 19-digit %s", b);
	ok(!card(make_card(b, "4", 14)), "card: Visa 14 digits invalid %s", b);
	ok(!card(make_card(b, "4", 15)), "card: Visa 15 digits invalid %s", b);
	ok(!card(make_card(b, "4", 17)), "card: Visa 17 digits invalid %s", b);
	ok(!card(make_card(b, "4", 18)), "card: Visa 18 digits invalid %s", b);
	ok(!card("4111111111111112"), "card: Visa with bad Luhn invalid");
	ok(iin("4111111111111112"), "iin: IIN check ignores Luhn");

	/* Mastercard */
	ok(card("5555555555554444"), "card: MC 5555555555554444");
	ok(card("5105105105105100"), "card: MC 5105105105105100");
	ok(card("2223003122003222"), "card: MC 2-series 2223003122003222");
	ok(card(make_card(b, "2221", 16)), "card: MC low edge 2221 %s", b);
	ok(card(make_card(b, "2720", 16)), "card: MC high edge 2720 %s", b);
	ok(!card(make_card(b, "2220", 16)), "card: 2220 below MC range %s", b);
	ok(!iin(b), "iin: 2220 below MC range %s", b);
	ok(!card(make_card(b, "2721", 16)), "card: 2721 above MC range %s", b);
	ok(!iin(b), "iin: 2721 above MC range %s", b);
	ok(card(make_card(b, "51", 16)), "card: MC 51 %s", b);
	ok(card(make_card(b, "55", 16)), "card: MC 55 %s", b);
	ok(!card(make_card(b, "50", 16)), "card: 50 not MC %s", b);
	ok(!card(make_card(b, "5555", 15)), "card: MC 15 digits invalid %s", b);
	ok(!card(make_card(b, "5555", 17)), "card: MC 17 digits invalid %s", b);
	ok(!card(make_card(b, "2221", 19)), "card: MC 2-series 19 invalid %s", b);

	/* American Express */
	ok(card("378282246310005"), "card: Amex 378282246310005");
	ok(card("371449635398431"), "card: Amex 371449635398431");
	ok(card("378734493671000"), "card: Amex 378734493671000");
	ok(card(make_card(b, "34", 15)), "card: Amex 34 15 digits %s", b);
	ok(!card(make_card(b, "37", 16)), "card: 37 at 16 digits invalid %s", b);
	ok(!iin(b), "iin: 37 at 16 digits invalid %s", b);
	ok(!card(make_card(b, "34", 16)), "card: 34 at 16 digits invalid %s", b);
	ok(!card(make_card(b, "37", 14)), "card: 37 at 14 digits invalid %s", b);
	ok(!card(make_card(b, "35", 15)), "card: 35 at 15 digits invalid %s", b);

	/* Discover */
	ok(card("6011111111111117"), "card: Discover 6011111111111117");
	ok(card("6011000990139424"), "card: Discover 6011000990139424");
	ok(card(make_card(b, "65", 16)), "card: Discover 65 16 digits %s", b);
	ok(card(make_card(b, "65", 19)), "card: Discover 65 19 digits %s", b);
	ok(card(make_card(b, "644", 16)), "card: Discover 644 %s", b);
	ok(card(make_card(b, "649", 16)), "card: Discover 649 %s", b);
	ok(card(make_card(b, "6011", 19)), "card: Discover 6011 19 digits %s", b);
	ok(!card(make_card(b, "6011", 15)), "card: 6011 at 15 digits invalid %s", b);
	ok(!iin(b), "iin: 6011 at 15 digits invalid %s", b);
	ok(!card(make_card(b, "643", 16)), "card: 643 invalid %s", b);
	ok(!card(make_card(b, "6010", 16)), "card: 6010 invalid %s", b);
	ok(!card(make_card(b, "6012", 16)), "card: 6012 invalid %s", b);
	ok(card(make_card(b, "622126", 16)), "card: 622126 (Discover/UnionPay) %s", b);

	/* JCB */
	ok(card("3530111333300000"), "card: JCB 3530111333300000");
	ok(card("3566002020360505"), "card: JCB 3566002020360505");
	ok(card(make_card(b, "3528", 16)), "card: JCB low edge 3528 %s", b);
	ok(card(make_card(b, "3589", 19)), "card: JCB high edge 3589, 19 digits %s", b);
	ok(!card(make_card(b, "3527", 16)), "card: 3527 below JCB %s", b);
	ok(!iin(b), "iin: 3527 below JCB %s", b);
	ok(!card(make_card(b, "3590", 16)), "card: 3590 above JCB %s", b);
	ok(!iin(b), "iin: 3590 above JCB %s", b);
	ok(!card(make_card(b, "3530", 15)), "card: JCB 15 digits invalid %s", b);

	/* UnionPay */
	ok(card("6200000000000005"), "card: UnionPay 6200000000000005");
	ok(card("6205500000000000004"), "card: UnionPay 19-digit 6205500000000000004");
	ok(card(make_card(b, "62", 19)), "card: UnionPay 62 19 digits %s", b);
	ok(card(make_card(b, "62", 17)), "card: UnionPay 62 17 digits %s", b);
	ok(!card(make_card(b, "62", 15)), "card: 62 at 15 digits invalid %s", b);

	/* Diners Club */
	ok(card("30569309025904"), "card: Diners 30569309025904 (14)");
	ok(card("36227206271667"), "card: Diners 36227206271667 (36, 14)");
	ok(card(make_card(b, "36", 14)), "card: Diners 36 at 14 %s", b);
	ok(card(make_card(b, "36", 19)), "card: Diners 36 at 19 %s", b);
	ok(card("3056930009020004"), "card: Diners 3056930009020004 (16)");
	ok(card(make_card(b, "300", 14)), "card: Carte Blanche 300 at 14 %s", b);
	ok(!card(make_card(b, "306", 14)), "card: 306 at 14 invalid %s", b);
	ok(!card(make_card(b, "300", 15)), "card: 300 at 15 invalid %s", b);
	ok(card(make_card(b, "3095", 16)), "card: Diners 3095 at 16 %s", b);
	ok(card(make_card(b, "3095", 14)), "card: Diners 3095 at 14 %s", b);
	ok(card(make_card(b, "38", 16)), "card: Diners 38 at 16 %s", b);
	ok(card(make_card(b, "39", 16)), "card: Diners 39 at 16 %s", b);
	/* Diners 38-39 were issued with 14 digits: the published test
	 * number 38520000023237 is one. */
	ok(luhn("38520000023237"), "luhn: 38520000023237 Luhn-valid");
	ok(card("38520000023237"), "card: Diners 38520000023237 (38, 14)");
	ok(card(make_card(b, "39", 14)), "card: Diners 39 at 14 %s", b);
	ok(!card(make_card(b, "39", 15)), "card: 39 at 15 invalid %s", b);

	/* outside every range (Luhn-valid, 16 digits) */
	{
		static const char *const outside[] = {
			"0", "1", "7", "8", "9", "20", "56", "58", "63", "66",
			"67", "68", "69", "31", "33", "6013", "640",
		};

		for (size_t i = 0; i < sizeof outside / sizeof outside[0]; i++) {
			make_card(b, outside[i], 16);
			ok(luhn(b) && !card(b) && !iin(b),
			    "card: prefix %s outside every range invalid %s",
			    outside[i], b);
		}
	}

	/* lengths outside 13..19 */
	ok(!card(make_card(b, "4", 12)), "card: 12 digits invalid %s", b);
	ok(!iin(b), "iin: 12 digits invalid %s", b);
	ok(!card(make_card(b, "4", 20)), "card: 20 digits invalid %s", b);
	ok(!iin(b), "iin: 20 digits invalid %s", b);
	ok(!card(make_card(b, "62", 20)), "card: UnionPay 20 digits invalid %s", b);
	ok(!ps_card_ok("", 0), "card: empty invalid");

	/* non-digits */
	ok(!card("4111 1111 1111 1111"), "card: spaces invalid (not normalised)");
	ok(!iin("411111111111111a"), "iin: letter invalid");
	ok(!iin("4111-11111111111"), "iin: dash invalid");
	ok(ps_card_ok("4111111111111111999", 16), "card: only len bytes read");
}

/* ---- HKID -------------------------------------------------------------- */

static void
test_hkid(void)
{
	static const char *const valid[] = { "A1234563", "CA1823611", "G123456A" };
	static const char checks[] = "0123456789A";
	char b[16];

	ok(hkid("A1234563"), "hkid: A1234563 valid");
	ok(hkid("CA1823611"), "hkid: CA1823611 valid");
	ok(hkid("G123456A"), "hkid: G123456A valid");
	ok(!hkid("A1234567"), "hkid: A1234567 invalid");

	for (size_t v = 0; v < sizeof valid / sizeof valid[0]; v++) {
		size_t n = strlen(valid[v]);
		int accepted = 0;

		for (size_t c = 0; checks[c] != '\0'; c++) {
			if (checks[c] == valid[v][n - 1])
				continue;
			memcpy(b, valid[v], n + 1);
			b[n - 1] = checks[c];
			if (hkid(b))
				accepted++;
		}
		is_int(accepted, 0, "hkid: %s with any other check char invalid",
		    valid[v]);
	}

	ok(!hkid("a1234563"), "hkid: lower-case letter invalid");
	ok(!hkid("cA1823611"), "hkid: lower-case first of two letters invalid");
	ok(!hkid("G123456a"), "hkid: lower-case check 'a' invalid");
	ok(!hkid("ABC1234563"), "hkid: 3 letters (10 chars) invalid");
	ok(!hkid("ABC123456"), "hkid: 3 letters + 5 digits + check invalid");
	ok(!hkid("A123453"), "hkid: 5 digits invalid");
	ok(!hkid("AB12345A"), "hkid: 2 letters + 5 digits invalid");
	ok(!hkid("A12345670"), "hkid: 7 digits invalid");
	ok(!hkid("A1234563X"), "hkid: extra trailing char invalid");
	ok(!hkid("1234563"), "hkid: no letter invalid");
	ok(!hkid("11234563"), "hkid: digit instead of letter invalid");
	ok(!hkid("A123456(3)"), "hkid: bracketed (not normalised) invalid");
	ok(!hkid(""), "hkid: empty invalid");
	ok(!hkid("A12 4563"), "hkid: space in digits invalid");
	ok(!hkid("A12A4563"), "hkid: letter among digits invalid");

	/* 'B' is never a check character, even where it would be 11 = 0. */
	{
		char d[7];
		int found = 0;

		lcg_state = 777u;
		for (int t = 0; t < 1000 && !found; t++) {
			for (int i = 0; i < 6; i++)
				d[i] = (char)('0' + lcg() % 10);
			d[6] = '\0';
			if (hkid_check_char("K", d) == '0') {
				snprintf(b, sizeof b, "K%sB", d);
				found = 1;
			}
		}
		ok(found, "hkid: found a number with check char 0");
		b[7] = '0';
		ok(hkid(b), "hkid: %s valid (check 0)", b);
		b[7] = 'B';
		ok(!hkid(b), "hkid: %s with check 'B' invalid", b);
		b[7] = 'Z';
		ok(!hkid(b), "hkid: %s with check 'Z' invalid", b);
	}

	/* Agreement with the independent helper on generated numbers. */
	{
		int disagree = 0, wrong_accepted = 0, generated = 0;
		char first_bad[16] = "";

		lcg_state = 2024u;
		for (int t = 0; t < 500; t++) {
			char letters[3], d[7], want;
			size_t nl = (lcg() & 1) ? 2 : 1, n;

			for (size_t i = 0; i < nl; i++)
				letters[i] = (char)('A' + lcg() % 26);
			letters[nl] = '\0';
			for (int i = 0; i < 6; i++)
				d[i] = (char)('0' + lcg() % 10);
			d[6] = '\0';
			want = hkid_check_char(letters, d);
			n = (size_t)snprintf(b, sizeof b, "%s%s%c", letters, d, want);
			generated++;
			if (!ps_hkid_ok(b, n)) {
				disagree++;
				if (first_bad[0] == '\0')
					memcpy(first_bad, b, n + 1);
			}
			for (const char *c = "0123456789AB"; *c != '\0'; c++) {
				if (*c == want)
					continue;
				b[n - 1] = *c;
				if (ps_hkid_ok(b, n))
					wrong_accepted++;
			}
		}
		is_int(generated, 500, "hkid: 500 numbers generated");
		if (!ok(disagree == 0, "hkid: all 500 generated numbers valid"))
			printf("#   %d rejected, first %s\n", disagree, first_bad);
		is_int(wrong_accepted, 0,
		    "hkid: every other check char rejected for all 500");
	}

	/* A few computed with the helper, spelled out. */
	ok(hkid_check_char("A", "123456") == '3', "hkid helper: A123456 -> 3");
	ok(hkid_check_char("CA", "182361") == '1', "hkid helper: CA182361 -> 1");
	ok(hkid_check_char("G", "123456") == 'A', "hkid helper: G123456 -> A");
	snprintf(b, sizeof b, "Z000000%c", hkid_check_char("Z", "000000"));
	ok(hkid(b), "hkid: Z000000 + helper check valid (%s)", b);
	snprintf(b, sizeof b, "XY999999%c", hkid_check_char("XY", "999999"));
	ok(hkid(b), "hkid: XY999999 + helper check valid (%s)", b);
}

/* ---- China resident identity number ------------------------------------ */

static void
test_cn_id(void)
{
	static const char published[] = "11010519491231002X";
	static const char checks[] = "0123456789X";
	char b[32];
	int accepted = 0;

	ok(cn_id(published), "cn_id: published %s valid", published);
	ok(cn_id_check_char(published) == 'X', "cn_id helper: %s -> X", published);

	/* MOD 11-2 catches every single substitution. */
	for (size_t i = 0; i < 17; i++) {
		for (char d = '0'; d <= '9'; d++) {
			if (d == published[i])
				continue;
			memcpy(b, published, sizeof published);
			b[i] = d;
			if (cn_id(b))
				accepted++;
		}
	}
	is_int(accepted, 0, "cn_id: every single-digit change of %s invalid",
	    published);
	accepted = 0;
	for (size_t c = 0; checks[c] != '\0'; c++) {
		memcpy(b, published, sizeof published);
		b[17] = checks[c];
		if (checks[c] != 'X' && cn_id(b))
			accepted++;
	}
	is_int(accepted, 0, "cn_id: %s with any other check char invalid",
	    published);
	ok(!cn_id("11010519491231002x"), "cn_id: lower-case x invalid");
	ok(!cn_id("11010519491231002Y"), "cn_id: check char Y invalid");
	ok(!cn_id("11010519491231002"), "cn_id: 17 chars invalid");
	ok(!cn_id("11010519491231002X0"), "cn_id: 19 chars invalid");
	ok(!cn_id("110105194912310X2X"), "cn_id: X among the digits invalid");
	ok(!cn_id("1101051949123100 X"), "cn_id: space invalid");
	ok(!ps_cn_id_ok("", 0), "cn_id: empty invalid");
	ok(ps_cn_id_ok("11010519491231002XYZ", 18), "cn_id: only len bytes read");

	/* Synthetic numbers, the check computed by the helper. */
	ok(cn_id(make_cn_id(b, "440305", "20000229", "123")),
	    "cn_id: 29 Feb 2000 (leap) valid %s", b);
	ok(cn_id(make_cn_id(b, "440305", "20240229", "123")),
	    "cn_id: 29 Feb 2024 valid %s", b);
	ok(!cn_id(make_cn_id(b, "440305", "19000229", "123")),
	    "cn_id: 29 Feb 1900 (not leap) invalid %s", b);
	ok(!cn_id(make_cn_id(b, "440305", "20230229", "123")),
	    "cn_id: 29 Feb 2023 invalid %s", b);
	ok(!cn_id(make_cn_id(b, "440305", "20000230", "123")),
	    "cn_id: 30 Feb invalid %s", b);
	ok(!cn_id(make_cn_id(b, "440305", "19990431", "123")),
	    "cn_id: 31 April invalid %s", b);
	ok(cn_id(make_cn_id(b, "440305", "19990430", "123")),
	    "cn_id: 30 April valid %s", b);
	ok(!cn_id(make_cn_id(b, "440305", "19991300", "123")),
	    "cn_id: month 13 invalid %s", b);
	ok(!cn_id(make_cn_id(b, "440305", "19990015", "123")),
	    "cn_id: month 00 invalid %s", b);
	ok(!cn_id(make_cn_id(b, "440305", "19990100", "123")),
	    "cn_id: day 00 invalid %s", b);
	ok(!cn_id(make_cn_id(b, "440305", "19990132", "123")),
	    "cn_id: day 32 invalid %s", b);
	ok(cn_id(make_cn_id(b, "440305", "19000101", "123")),
	    "cn_id: year 1900 valid %s", b);
	ok(cn_id(make_cn_id(b, "440305", "20991231", "123")),
	    "cn_id: year 2099 valid %s", b);
	ok(!cn_id(make_cn_id(b, "440305", "18991231", "123")),
	    "cn_id: year 1899 invalid %s", b);
	ok(!cn_id(make_cn_id(b, "440305", "21000101", "123")),
	    "cn_id: year 2100 invalid %s", b);

	{
		static const char *const provinces[] = {
			"11", "15", "21", "23", "31", "37", "41", "46", "50",
			"54", "61", "65", "71", "81", "82", "83",
		};
		static const char *const not_provinces[] = {
			"00", "01", "09", "10", "16", "20", "24", "30", "38",
			"40", "47", "49", "55", "60", "66", "70", "72", "80",
			"84", "90", "99",
		};
		char region[7];

		for (size_t i = 0; i < sizeof provinces / sizeof provinces[0]; i++) {
			snprintf(region, sizeof region, "%s0102", provinces[i]);
			ok(cn_id(make_cn_id(b, region, "19850615", "042")),
			    "cn_id: province %s valid %s", provinces[i], b);
		}
		for (size_t i = 0;
		    i < sizeof not_provinces / sizeof not_provinces[0]; i++) {
			snprintf(region, sizeof region, "%s0102", not_provinces[i]);
			ok(!cn_id(make_cn_id(b, region, "19850615", "042")),
			    "cn_id: province %s invalid %s", not_provinces[i], b);
		}
	}

	/* Both ends of the check: a 0 and an X found among synthetic numbers. */
	{
		bool zero = false, ten = false;
		char seq[16];

		for (unsigned i = 0; i < 1000 && !(zero && ten); i++) {
			snprintf(seq, sizeof seq, "%03u", i);
			make_cn_id(b, "310104", "19770101", seq);
			if (b[17] == '0' && !zero)
				zero = ok(cn_id(b), "cn_id: check 0 valid %s", b);
			if (b[17] == 'X' && !ten)
				ten = ok(cn_id(b), "cn_id: check X valid %s", b);
		}
		ok(zero && ten, "cn_id: found numbers with check 0 and X");
	}
}

/* ---- machine-readable zone ---------------------------------------------- */

static void
test_mrz_td3(void)
{
	char b[96];

	ok(mrz(TD3_SPECIMEN), "mrz: ICAO TD3 specimen valid");
	memcpy(b, TD3_SPECIMEN, 89);
	td3_recheck(b);
	is_str(b, TD3_SPECIMEN, "mrz helper: TD3 specimen checks recomputed alike");
	is_int(mrz_digit_changes_passing(TD3_SPECIMEN, 44, 88), 0,
	    "mrz: every single-digit change in TD3 line 2 invalid");

	memcpy(b, TD3_SPECIMEN, 89);
	b[44] = 'M';
	ok(!mrz(b), "mrz: TD3 document number letter changed invalid");
	memcpy(b, TD3_SPECIMEN, 89);
	b[5] = 'F';
	ok(mrz(b), "mrz: TD3 name changed still valid (no check covers it)");
	memcpy(b, TD3_SPECIMEN, 89);
	b[0] = 'I';
	ok(!mrz(b), "mrz: TD3 not starting with P invalid");
	memcpy(b, TD3_SPECIMEN, 89);
	b[0] = 'V';
	ok(!mrz(b), "mrz: TD3 visa (V) invalid");
	memcpy(b, TD3_SPECIMEN, 89);
	b[44 + 9] = '<';
	td3_recomposite(b);
	ok(!mrz(b), "mrz: TD3 document number check '<' invalid");
	memcpy(b, TD3_SPECIMEN, 89);
	b[44 + 19] = 'A';
	td3_recomposite(b);
	ok(!mrz(b), "mrz: TD3 letter as birth date check invalid");

	/* The personal number: all filler may carry '<' or 0 as check. */
	memcpy(b, TD3_SPECIMEN, 89);
	memset(b + 44 + 28, '<', 15);
	td3_recheck(b);
	ok(mrz(b), "mrz: TD3 empty personal number, check '<' valid");
	b[44 + 42] = '0';
	td3_recheck(b);
	ok(mrz(b), "mrz: TD3 empty personal number, check 0 valid");
	b[44 + 42] = '1';
	td3_recomposite(b);
	ok(!mrz(b), "mrz: TD3 empty personal number, check 1 invalid");
	memcpy(b, TD3_SPECIMEN, 89);
	b[44 + 42] = '<';
	td3_recheck(b);
	ok(!mrz(b), "mrz: TD3 personal number present, check '<' invalid");

	/* Dates, with every check rewritten so only the date is wrong. */
	{
		static const struct {
			const char *date, *why;
			bool valid;
		} dates[] = {
			{ "740812", "specimen birth date", true },
			{ "000229", "29 Feb", true },
			{ "991231", "31 Dec", true },
			{ "740131", "day 31", true },
			{ "741301", "month 13", false },
			{ "740001", "month 00", false },
			{ "740800", "day 00", false },
			{ "740832", "day 32", false },
			{ "74081<", "filler in the day", false },
			{ "7408A2", "letter in the day", false },
		};

		for (size_t i = 0; i < sizeof dates / sizeof dates[0]; i++) {
			memcpy(b, TD3_SPECIMEN, 89);
			memcpy(b + 44 + 13, dates[i].date, 6);
			td3_recheck(b);
			ok(mrz(b) == dates[i].valid, "mrz: TD3 birth %s (%s) %s",
			    dates[i].date, dates[i].why,
			    dates[i].valid ? "valid" : "invalid");
			memcpy(b, TD3_SPECIMEN, 89);
			memcpy(b + 44 + 21, dates[i].date, 6);
			td3_recheck(b);
			ok(mrz(b) == dates[i].valid, "mrz: TD3 expiry %s (%s) %s",
			    dates[i].date, dates[i].why,
			    dates[i].valid ? "valid" : "invalid");
		}
	}

	/* A synthetic passport of another state, checks computed here. */
	/* Document, nationality, birth, sex, expiry, personal number; the
	 * zeros are check digits for the helper to fill in. */
	memcpy(b, "P<XXXDOE<<JANE<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<"
	    "AB1234567" "0" "XXX" "900101" "0" "M" "301231" "0"
	    "ZZ1234567<<<<<" "0" "0", 89);
	td3_recheck(b);
	ok(mrz(b), "mrz: synthetic TD3 valid %s", b + 44);

	memcpy(b, TD3_SPECIMEN, 89);
	ok(!ps_mrz_ok(b, 87), "mrz: 87 chars invalid");
	ok(!ps_mrz_ok(b, 89), "mrz: 89 chars invalid");
	ok(!ps_mrz_ok(b, 44), "mrz: one line invalid");
	ok(!ps_mrz_ok("", 0), "mrz: empty invalid");
	b[20] = 'a';
	ok(!mrz(b), "mrz: lower-case letter invalid");
	b[20] = ' ';
	ok(!mrz(b), "mrz: space invalid");
	memcpy(b, TD3_SPECIMEN "XY", 91);
	ok(ps_mrz_ok(b, 88), "mrz: only len bytes read");
}

static void
test_mrz_td1(void)
{
	char b[96], l1[32];

	ok(mrz(TD1_SPECIMEN), "mrz: ICAO TD1 specimen valid");
	memcpy(b, TD1_SPECIMEN, 91);
	td1_recheck(b);
	is_str(b, TD1_SPECIMEN, "mrz helper: TD1 specimen checks recomputed alike");
	is_int(mrz_digit_changes_passing(TD1_SPECIMEN, 0, 60), 0,
	    "mrz: every single-digit change in TD1 lines 1-2 invalid");

	memcpy(b, TD1_SPECIMEN, 91);
	b[5] = 'E';
	ok(!mrz(b), "mrz: TD1 document number letter changed invalid");
	memcpy(b, TD1_SPECIMEN, 91);
	b[65] = 'X';
	ok(mrz(b), "mrz: TD1 name changed still valid (no check covers it)");
	memcpy(b, TD1_SPECIMEN, 91);
	b[0] = 'A';
	ok(mrz(b), "mrz: TD1 document code A valid");
	b[0] = 'C';
	ok(mrz(b), "mrz: TD1 document code C valid");
	b[0] = 'P';
	ok(!mrz(b), "mrz: TD1 starting with P invalid");
	b[0] = 'V';
	ok(!mrz(b), "mrz: TD1 starting with V invalid");
	memcpy(b, TD1_SPECIMEN, 91);
	b[20] = '1';
	ok(!mrz(b), "mrz: TD1 optional data changed, composite invalid");
	td1_recheck(b);
	ok(mrz(b), "mrz: TD1 optional data changed, composite rewritten valid");

	memcpy(b, TD1_SPECIMEN, 91);
	memcpy(b + 30, "741308", 6);
	td1_recheck(b);
	ok(!mrz(b), "mrz: TD1 birth month 13 invalid");
	memcpy(b, TD1_SPECIMEN, 91);
	memcpy(b + 38, "120432", 6);
	td1_recheck(b);
	ok(!mrz(b), "mrz: TD1 expiry day 32 invalid");
	memcpy(b, TD1_SPECIMEN, 91);
	memcpy(b + 38, "120431", 6);
	td1_recheck(b);
	ok(mrz(b), "mrz: TD1 expiry day 31 valid");

	/* A document number of twelve characters, D23145890123: nine in
	 * place, a filler at 14, then 123, its check digit and a filler. */
	memcpy(l1, "I<UTOD23145890<123_<<<<<<<<<<<", 31);
	l1[18] = mrz_check_digit("D23145890123", 12);
	memcpy(b, l1, 30);
	memcpy(b + 30, TD1_SPECIMEN + 30, 61);
	td1_recheck(b);
	ok(mrz(b), "mrz: TD1 long document number valid %.30s", b);
	b[17] = b[17] == '9' ? '8' : '9';
	td1_recheck(b);
	ok(!mrz(b), "mrz: TD1 long number, continuation digit changed invalid");
	memcpy(b, l1, 30);
	b[18] = (char)('0' + (l1[18] - '0' + 1) % 10);
	td1_recheck(b);
	ok(!mrz(b), "mrz: TD1 long number, wrong check digit invalid");
	memcpy(b, l1, 30);
	b[18] = mrz_check_digit("D23145890", 9);
	td1_recheck(b);
	ok(!mrz(b), "mrz: TD1 long number checked without its continuation invalid");

	/* The optional data full: fourteen more characters and the check. */
	memcpy(l1, "I<UTOD23145890<12345678901234_", 31);
	l1[29] = mrz_check_digit("D2314589012345678901234", 23);
	memcpy(b, l1, 30);
	td1_recheck(b);
	ok(mrz(b), "mrz: TD1 long number filling the optional data valid");

	/* A filler at 14 with nothing after it is no long number. */
	memcpy(b, "I<UTOD23145890<<<<<<<<<<<<<<<<", 30);
	td1_recheck(b);
	ok(!mrz(b), "mrz: TD1 filler check, no continuation invalid");
	memcpy(b, "I<UTOD23145890<7<<<<<<<<<<<<<<", 30);
	b[15] = mrz_check_digit("D23145890", 9);
	td1_recheck(b);
	ok(!mrz(b), "mrz: TD1 check digit alone after the filler invalid");

	memcpy(b, TD1_SPECIMEN, 91);
	ok(!ps_mrz_ok(b, 89), "mrz: TD1 89 chars invalid");
	ok(!ps_mrz_ok(b, 60), "mrz: TD1 two lines invalid");
	memcpy(b, TD1_SPECIMEN "<", 92);
	ok(!mrz(b), "mrz: 91 chars invalid");
}

/* ---- IBAN ---------------------------------------------------------------- */

static void
test_iban(void)
{
	static const char *const published[] = {
		"GB82WEST12345698765432", "DE89370400440532013000",
		"NL91ABNA0417164300",
	};
	char b[40];

	for (size_t i = 0; i < sizeof published / sizeof published[0]; i++) {
		ok(iban(published[i]), "iban: published %s valid", published[i]);
		is_int(iban_single_changes_passing(published[i]), 0,
		    "iban: every single change of %s invalid", published[i]);
	}
	make_iban(b, "GB", "WEST12345698765432");
	is_str(b, "GB82WEST12345698765432", "iban helper: GB check digits 82");
	make_iban(b, "DE", "370400440532013000");
	is_str(b, "DE89370400440532013000", "iban helper: DE check digits 89");
	make_iban(b, "NL", "ABNA0417164300");
	is_str(b, "NL91ABNA0417164300", "iban helper: NL check digits 91");

	ok(!iban("GB28WEST12345698765432"), "iban: check digits swapped invalid");
	ok(!iban("GB82WEST12345698765423"), "iban: last two swapped invalid");
	ok(!iban("gb82west12345698765432"), "iban: lower case invalid (not normalised)");
	ok(!iban("GB82 WEST 1234 5698 7654 32"), "iban: spaces invalid");
	ok(!iban("GB8AWEST12345698765432"), "iban: letter in the check digits invalid");
	ok(!iban("G882WEST12345698765432"), "iban: digit in the country invalid");
	ok(!iban("GB82WEST1234569876543-"), "iban: dash in the BBAN invalid");
	ok(!ps_iban_ok("", 0), "iban: empty invalid");
	ok(!ps_iban_ok("GB8", 3), "iban: 3 chars invalid");
	ok(ps_iban_ok("GB82WEST12345698765432XY", 22), "iban: only len bytes read");

	/* Country and length, check digits computed here so only they fail. */
	ok(!iban(make_iban(b, "US", "WEST12345698765432")),
	    "iban: US (no IBAN) invalid %s", b);
	ok(!iban(make_iban(b, "XX", "WEST12345698765432")),
	    "iban: XX invalid %s", b);
	ok(!iban(make_iban(b, "GB", "WEST1234569876543")),
	    "iban: GB at 21 chars invalid %s", b);
	ok(!iban(make_iban(b, "GB", "WEST123456987654321")),
	    "iban: GB at 23 chars invalid %s", b);
	ok(!iban(make_iban(b, "NL", "ABNA041716430")),
	    "iban: NL at 17 chars invalid %s", b);
	ok(iban(make_iban(b, "NO", "86011117947")), "iban: NO, 15 chars %s", b);
	ok(!iban(make_iban(b, "NO", "860111179470")), "iban: NO at 16 invalid %s", b);
	ok(iban(make_iban(b, "LC", "HEMM000100010012001200023015")),
	    "iban: LC, 32 chars %s", b);
	ok(iban(make_iban(b, "MT", "MALT011000012345MTLCAST001S")),
	    "iban: MT, 31 chars with letters %s", b);
	ok(iban(make_iban(b, "BE", "539007547034")), "iban: BE, 16 chars %s", b);
	ok(iban(make_iban(b, "RU", "04452560040702810412345678901")),
	    "iban: RU, 33 chars %s", b);
	ok(iban(make_iban(b, "XK", "1212012345678906")), "iban: XK, 20 chars %s", b);
	ok(iban(make_iban(b, "VG", "VPVG0000012345678901")), "iban: VG, 24 chars %s", b);

	/* 00, 01 and 99 are never issued, though 97, 98 and 02 in their place
	 * give the same remainder. */
	{
		static const struct {
			const char *issued, *never;
		} twins[] = { { "97", "00" }, { "98", "01" }, { "02", "99" } };

		for (size_t t = 0; t < sizeof twins / sizeof twins[0]; t++) {
			char bban[32];
			bool found = false;

			for (unsigned k = 0; k < 10000 && !found; k++) {
				snprintf(bban, sizeof bban, "WEST1234569876%04u", k);
				make_iban(b, "GB", bban);
				found = memcmp(b + 2, twins[t].issued, 2) == 0;
			}
			ok(found && iban(b), "iban: check digits %s valid %s",
			    twins[t].issued, b);
			memcpy(b + 2, twins[t].never, 2);
			ok(!iban(b), "iban: check digits %s invalid %s",
			    twins[t].never, b);
		}
	}
}

/* ---- e-mail address ------------------------------------------------------- */

static void
test_email(void)
{
	static const char *const valid[] = {
		"chan.tai.man@example.com.hk",
		"a@b.co",
		"user+tag@example.org",
		"o'brien@example.ie",
		"x!#$%&'*+/=?^_`{|}~-y@example.com",
		"Chan.Tai.Man@Example.COM.HK",
		"first-last@sub-domain.example.co.uk",
		"1234@123.example",
		"a@xn--bcher-kva.example",
		"_@example.net",
	};
	static const char *const invalid[] = {
		"plainaddress", "@example.com", "a@", "a@b", "a@localhost",
		"a@@example.com", "a@b@example.com", ".a@example.com",
		"a.@example.com", "a..b@example.com", "a@-example.com",
		"a@example-.com", "a@example.-com", "a@example..com",
		"a@.example.com", "a@example.com.", "a@example.c",
		"a@example.c0m", "a@example.123", "a@example.co-m",
		"a b@example.com", "a\"b@example.com", "\"ab\"@example.com",
		"a(b)@example.com", "a,b@example.com", "a;b@example.com",
		"a<b>@example.com", "a\\b@example.com", "a[b]@example.com",
		"a:b@example.com", "a@exa_mple.com", "a@exam ple.com",
		"a@[192.0.2.1]", "a@192.0.2.1", "\xc3\xa9@example.com",
		"a@ex\xc3\xa4mple.com", "a@example.com ", " a@example.com",
		"a@example.com\n", "",
	};
	char local[80], l1[80], l2[80], l3[80], b[400];

	for (size_t i = 0; i < sizeof valid / sizeof valid[0]; i++)
		ok(email(valid[i]), "email: %s valid", valid[i]);
	for (size_t i = 0; i < sizeof invalid / sizeof invalid[0]; i++)
		ok(!email(invalid[i]), "email: \"%s\" invalid", invalid[i]);
	ok(ps_email_ok("a@example.com@x", 13), "email: only len bytes read");

	/* Local part 64 characters, not 65. */
	snprintf(b, sizeof b, "%s@example.com", repeat(local, 'l', 64));
	ok(email(b), "email: local part of 64 valid");
	snprintf(b, sizeof b, "%s@example.com", repeat(local, 'l', 65));
	ok(!email(b), "email: local part of 65 invalid");

	/* Labels of 63, not 64; the top-level domain likewise. */
	snprintf(b, sizeof b, "a@%s.com", repeat(l1, 'd', 63));
	ok(email(b), "email: label of 63 valid");
	snprintf(b, sizeof b, "a@%s.com", repeat(l1, 'd', 64));
	ok(!email(b), "email: label of 64 invalid");
	snprintf(b, sizeof b, "a@example.%s", repeat(l1, 't', 63));
	ok(email(b), "email: top-level domain of 63 valid");
	snprintf(b, sizeof b, "a@example.%s", repeat(l1, 't', 64));
	ok(!email(b), "email: top-level domain of 64 invalid");

	/* 254 characters in all, not 255: 64 + 1 + 63.63.57.com (189). */
	repeat(local, 'l', 64);
	repeat(l1, 'a', 63);
	repeat(l2, 'b', 63);
	snprintf(b, sizeof b, "%s@%s.%s.%s.com", local, l1, l2, repeat(l3, 'c', 57));
	is_int(strlen(b), 254, "email: built an address of 254");
	ok(email(b), "email: 254 characters valid");
	snprintf(b, sizeof b, "%s@%s.%s.%s.com", local, l1, l2, repeat(l3, 'c', 58));
	is_int(strlen(b), 255, "email: built an address of 255");
	ok(!email(b), "email: 255 characters invalid");
}

/* ---- Hong Kong telephone number ------------------------------------------ */

static bool
phone_hk(const char *s)
{
	return ps_phone_hk_ok(s, strlen(s));
}

static void
test_phone_hk(void)
{
	static const char *const valid[] = {
		"21234567", "31234567", "41234567", "51234567", "61234567",
		"71234567", "81234567", "91234567", "98765432", "23456789",
		"99812345", "99012345", "80112345", "89912345", "90112345",
		"79912345", "80212345", "85212345",
	};
	static const char *const invalid[] = {
		"01234567", "11234567", "99912345", "99999999", "80012345",
		"80099999", "90012345", "90000000", "9123456", "912345678",
		"85291234567", "9123456A", "9123 456", "+9123456", "",
	};

	for (size_t i = 0; i < sizeof valid / sizeof valid[0]; i++)
		ok(phone_hk(valid[i]), "phone_hk: %s valid", valid[i]);
	for (size_t i = 0; i < sizeof invalid / sizeof invalid[0]; i++)
		ok(!phone_hk(invalid[i]), "phone_hk: \"%s\" invalid", invalid[i]);
	ok(ps_phone_hk_ok("912345678", 8), "phone_hk: only len bytes read");
}

/* ---- look-up ------------------------------------------------------------ */

static void
test_find(void)
{
	ps_validator_fn fn = NULL;

	ok(ps_validator_find("card", &fn) && fn == ps_card_ok, "find: card");
	fn = NULL;
	ok(ps_validator_find("hkid", &fn) && fn == ps_hkid_ok, "find: hkid");
	fn = NULL;
	ok(ps_validator_find("luhn", &fn) && fn == ps_luhn_ok, "find: luhn");
	fn = NULL;
	ok(ps_validator_find("cn_id", &fn) && fn == ps_cn_id_ok, "find: cn_id");
	fn = NULL;
	ok(ps_validator_find("mrz", &fn) && fn == ps_mrz_ok, "find: mrz");
	fn = NULL;
	ok(ps_validator_find("iban", &fn) && fn == ps_iban_ok, "find: iban");
	fn = NULL;
	ok(ps_validator_find("email", &fn) && fn == ps_email_ok, "find: email");
	fn = NULL;
	ok(ps_validator_find("phone_hk", &fn) && fn == ps_phone_hk_ok,
	    "find: phone_hk");
	ok(!ps_validator_find("phone", &fn), "find: phone (a mask) is no validator");
	fn = NULL;
	ok(ps_validator_find("none", &fn) && fn != NULL, "find: none");
	ok(fn != NULL && fn("anything", 8), "find: none accepts a value");
	ok(fn != NULL && fn("zz", 2) && fn("0", 1), "find: none accepts others");
	fn = NULL;
	ok(!ps_validator_find("nope", &fn), "find: nope not found");
	ok(fn == NULL, "find: nope leaves fn untouched");
	ok(!ps_validator_find("", &fn), "find: empty name not found");
	ok(!ps_validator_find("CARD", &fn), "find: names are case-sensitive");
}

int
main(void)
{
	test_luhn();
	test_card();
	test_card_prefix_quick_check();
	test_hkid();
	test_cn_id();
	test_mrz_td3();
	test_mrz_td1();
	test_iban();
	test_email();
	test_phone_hk();
	test_find();
	return done_testing();
}

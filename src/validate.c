/*
 * validate.c - checksum and issuer-range checks (see validate.h).
 */
#include "validate.h"

#include <stdint.h>
#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>

/* Luhn over at most 16 digits, all at once: placed at the right of 16
 * '0's (which add nothing), the digits from the right's second on are
 * doubled, less 9 over 9, and summed.  -1 when a byte is no digit. */
static int
luhn_sum16(const char *digits, size_t len)
{
	char block[16];
	__m128i x, doubled, sum;

	memset(block, '0', sizeof block);
	memcpy(block + sizeof block - len, digits, len);
	x = _mm_sub_epi8(_mm_loadu_si128((const __m128i *)(const void *)block),
	    _mm_set1_epi8('0'));
	/* A digit is 0..9: unsigned, x == min(x, 9). */
	if (_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_min_epu8(x, _mm_set1_epi8(9)), x))
	    != 0xffff)
		return -1;
	/* Even places from the left are odd from the right (the last is 15). */
	doubled = _mm_add_epi8(x, _mm_and_si128(x,
	    _mm_set1_epi16(0x00ff)));
	doubled = _mm_sub_epi8(doubled, _mm_and_si128(_mm_cmpgt_epi8(doubled,
	    _mm_set1_epi8(9)), _mm_set1_epi8(9)));
	sum = _mm_sad_epu8(doubled, _mm_setzero_si128());
	return _mm_cvtsi128_si32(sum) + _mm_cvtsi128_si32(_mm_srli_si128(sum, 8));
}
#endif

bool
ps_luhn_ok(const char *digits, size_t len)
{
	/* A digit doubled, less 9 when over 9; a table: the branch on it
	 * would go either way at random. */
	static const unsigned char doubled[10] = { 0, 2, 4, 6, 8, 1, 3, 5, 7, 9 };
	unsigned sum = 0, d;
	size_t i = len;

	if (len == 0)
		return false;
#if defined(__SSE2__)
	if (len <= 16) {
		int total = luhn_sum16(digits, len);

		return total >= 0 && total % 10 == 0;
	}
#endif
	/* From the right: a digit as it is, then one doubled. */
	while (i >= 2) {
		unsigned e;

		d = (unsigned)(digits[i - 1] - '0');
		e = (unsigned)(digits[i - 2] - '0');
		if (d > 9 || e > 9)
			return false;
		sum += d + doubled[e];
		i -= 2;
	}
	if (i == 1) {
		if ((d = (unsigned)(digits[0] - '0')) > 9)
			return false;
		sum += d;
	}
	return sum % 10 == 0;
}

/* The number formed by the first n digits (n <= 9). */
static unsigned long
prefix(const char *digits, size_t n)
{
	unsigned long v = 0;

	for (size_t i = 0; i < n; i++)
		v = v * 10 + (unsigned long)(digits[i] - '0');
	return v;
}

/*
 * The issued ranges: a prefix range over the first `width` digits, and the
 * lengths numbers of that range have.  A number is accepted when any row
 * matches both.  Sources: the networks' published IIN tables (ISO/IEC 7812
 * registrations as listed by the card schemes).
 */
#define IIN_WIDTH_MAX 6     /* the widest prefix of the table */

struct iin_range {
	unsigned width;          /* digits of prefix compared, <= IIN_WIDTH_MAX */
	unsigned long lo, hi;    /* inclusive prefix range */
	unsigned minlen, maxlen; /* number length, inclusive */
	unsigned extralen;       /* one more allowed length, or 0 */
};

static const struct iin_range iin_table[] = {
	/* Visa: 13 (old), 16 and 19 digits. */
	{ 1, 4, 4, 16, 16, 13 },
	{ 1, 4, 4, 19, 19, 0 },
	/* Mastercard: 51-55 and 2221-2720, 16 digits. */
	{ 2, 51, 55, 16, 16, 0 },
	{ 4, 2221, 2720, 16, 16, 0 },
	/* American Express: 34, 37, 15 digits. */
	{ 2, 34, 34, 15, 15, 0 },
	{ 2, 37, 37, 15, 15, 0 },
	/* Discover: 6011, 644-649, 65, and 622126-622925; 16-19 digits. */
	{ 4, 6011, 6011, 16, 19, 0 },
	{ 3, 644, 649, 16, 19, 0 },
	{ 2, 65, 65, 16, 19, 0 },
	{ 6, 622126, 622925, 16, 19, 0 },
	/* JCB: 3528-3589, 16-19 digits. */
	{ 4, 3528, 3589, 16, 19, 0 },
	/* UnionPay: 62, 16-19 digits. */
	{ 2, 62, 62, 16, 19, 0 },
	/* Diners Club: International 36, Carte Blanche 300-305, and 3095 and
	 * 38-39; 14 digits as issued, 16-19 on the Discover network. */
	{ 2, 36, 36, 14, 19, 0 },
	{ 3, 300, 305, 16, 19, 14 },
	{ 4, 3095, 3095, 16, 19, 14 },
	{ 2, 38, 39, 16, 19, 14 },
};

bool
ps_card_iin_ok(const char *digits, size_t len)
{
	/* prefix[w]: the number formed by the first w digits. */
	unsigned long prefix[IIN_WIDTH_MAX + 1] = { 0 };

	if (len < 13 || len > 19)
		return false;
	for (size_t i = 0; i < len; i++)
		if (digits[i] < '0' || digits[i] > '9')
			return false;
	for (size_t w = 1; w <= IIN_WIDTH_MAX; w++)
		prefix[w] = prefix[w - 1] * 10 + (unsigned long)(digits[w - 1] - '0');
	for (size_t i = 0; i < sizeof iin_table / sizeof iin_table[0]; i++) {
		const struct iin_range *r = &iin_table[i];
		unsigned long p = prefix[r->width];

		if (p < r->lo || p > r->hi)
			continue;
		if ((len >= r->minlen && len <= r->maxlen) || len == r->extralen)
			return true;
	}
	return false;
}

/*
 * card_lengths[d1 d2]: a bit for each length (13-19) that some range of
 * the table whose prefix can begin with those two digits allows.  Most
 * long digit runs of real text (account, order and reference numbers)
 * fail this before their Luhn sum is taken.  Filled from iin_table when
 * the program starts.
 */
static uint32_t card_lengths[100];

static void __attribute__((constructor))
card_lengths_init(void)
{
	for (size_t i = 0; i < sizeof iin_table / sizeof iin_table[0]; i++) {
		const struct iin_range *r = &iin_table[i];
		unsigned long lo = r->lo, hi = r->hi;
		uint32_t lengths = 0;

		for (unsigned n = r->minlen; n <= r->maxlen; n++)
			lengths |= (uint32_t)1 << n;
		if (r->extralen != 0)
			lengths |= (uint32_t)1 << r->extralen;
		if (r->width == 1) {
			/* Any second digit. */
			lo *= 10;
			hi = hi * 10 + 9;
		}
		for (unsigned w = r->width; w > 2; w--) {
			lo /= 10;
			hi /= 10;
		}
		for (unsigned long p = lo; p <= hi && p < 100; p++)
			card_lengths[p] |= lengths;
	}
}

bool
ps_card_ok(const char *digits, size_t len)
{
	unsigned d1, d2;

	if (len < 13 || len > 19)
		return false;
	d1 = (unsigned)(digits[0] - '0');
	d2 = (unsigned)(digits[1] - '0');
	if (d1 > 9 || d2 > 9 || !(card_lengths[d1 * 10 + d2] & ((uint32_t)1 << len)))
		return false;
	return ps_luhn_ok(digits, len) && ps_card_iin_ok(digits, len);
}

/* Digits are worth themselves and A-Z 10-35, as in HKID, MRZ and IBAN
 * checks; -1 for anything else. */
static int
base36_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 10;
	return -1;
}

bool
ps_hkid_ok(const char *value, size_t len)
{
	unsigned sum;
	size_t letters;
	int check;

	if (len == 8)
		letters = 1;
	else if (len == 9)
		letters = 2;
	else
		return false;
	for (size_t i = 0; i < letters; i++)
		if (value[i] < 'A' || value[i] > 'Z')
			return false;
	for (size_t i = letters; i < letters + 6; i++)
		if (value[i] < '0' || value[i] > '9')
			return false;

	/* Weights 9..2 over two letter places and six digits; a one-letter
	 * number has a space, valued 36, in the first place. */
	sum = letters == 1 ? 36 * 9 : 0;
	for (size_t i = 0; i < letters + 6; i++) {
		unsigned weight = (unsigned)(8 - (i + (2 - letters))) + 1;
		sum += weight * (unsigned)base36_value(value[i]);
	}
	if (value[len - 1] == 'A')
		check = 10;
	else if (value[len - 1] >= '0' && value[len - 1] <= '9')
		check = value[len - 1] - '0';
	else
		return false;
	return (sum + (unsigned)check) % 11 == 0;
}

static bool
all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

static bool
leap_year(unsigned long year)
{
	return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

/* True when the day exists in the Gregorian calendar. */
static bool
calendar_day_ok(unsigned long year, unsigned long month, unsigned long day)
{
	static const unsigned char month_days[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31,
	};
	unsigned long last;

	if (month < 1 || month > 12 || day < 1)
		return false;
	last = month_days[month - 1];
	if (month == 2 && leap_year(year))
		last = 29;
	return day <= last;
}

/* ---- mainland China resident identity number ---- */

/* Province-level division codes (GB/T 2260) that begin a resident
 * identity number; 81-83 are the residence permits of Hong Kong, Macao
 * and Taiwan residents, which follow the same scheme. */
static const struct {
	unsigned char lo, hi;
} cn_provinces[] = {
	{ 11, 15 }, { 21, 23 }, { 31, 37 }, { 41, 46 }, { 50, 54 },
	{ 61, 65 }, { 71, 71 }, { 81, 83 },
};

bool
ps_cn_id_ok(const char *value, size_t len)
{
	/* ISO 7064 MOD 11-2: the weights are 2^(17-i) mod 11. */
	static const unsigned char weights[17] = {
		7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2,
	};
	unsigned long province, year;
	unsigned sum = 0, check;
	bool known = false;

	if (len != 18 || !all_digits(value, 17))
		return false;
	province = prefix(value, 2);
	for (size_t i = 0; i < sizeof cn_provinces / sizeof cn_provinces[0]; i++)
		if (province >= cn_provinces[i].lo && province <= cn_provinces[i].hi)
			known = true;
	if (!known)
		return false;
	year = prefix(value + 6, 4);
	if (year < 1900 || year > 2099
	    || !calendar_day_ok(year, prefix(value + 10, 2), prefix(value + 12, 2)))
		return false;

	for (size_t i = 0; i < 17; i++)
		sum += weights[i] * (unsigned)(value[i] - '0');
	check = (12 - sum % 11) % 11;
	if (check == 10)
		return value[17] == 'X';
	return value[17] == (char)('0' + check);
}

/* ---- machine-readable zone (ICAO Doc 9303) ---- */

#define MRZ_TD3_LINE (PS_MRZ_TD3_LEN / 2)
#define MRZ_TD1_LINE (PS_MRZ_TD1_LEN / 3)

/* Digits are worth themselves, A-Z 10-35 and the filler '<' 0; -1 for a
 * character an MRZ never holds. */
static int
mrz_char_value(char c)
{
	if (c == '<')
		return 0;
	return base36_value(c);
}

/* A check digit's running sum: weights 7, 3, 1 repeat across every piece
 * added, as over the pieces written one after another. */
struct mrz_sum {
	unsigned sum;
	size_t at;
};

static void
mrz_sum_add(struct mrz_sum *s, const char *chars, size_t n)
{
	static const unsigned char weights[3] = { 7, 3, 1 };

	for (size_t i = 0; i < n; i++, s->at++)
		s->sum += weights[s->at % 3] * (unsigned)mrz_char_value(chars[i]);
}

static bool
mrz_sum_matches(const struct mrz_sum *s, char check)
{
	return check >= '0' && check <= '9'
	    && (unsigned)(check - '0') == s->sum % 10;
}

static bool
mrz_field_ok(const char *field, size_t n, char check)
{
	struct mrz_sum s = { 0, 0 };

	mrz_sum_add(&s, field, n);
	return mrz_sum_matches(&s, check);
}

/* YYMMDD.  The century is not written, so the day is held only to 01-31. */
static bool
mrz_date_ok(const char *date)
{
	unsigned long month, day;

	if (!all_digits(date, 6))
		return false;
	month = prefix(date + 2, 2);
	day = prefix(date + 4, 2);
	return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

/* Passport, two lines of 44: the checks are all on the second. */
static bool
mrz_td3_ok(const char *mrz)
{
	const char *line2 = mrz + MRZ_TD3_LINE;
	struct mrz_sum composite = { 0, 0 };

	if (mrz[0] != 'P')
		return false;
	if (!mrz_field_ok(line2, 9, line2[9]))
		return false;
	if (!mrz_date_ok(line2 + 13) || !mrz_field_ok(line2 + 13, 6, line2[19]))
		return false;
	if (!mrz_date_ok(line2 + 21) || !mrz_field_ok(line2 + 21, 6, line2[27]))
		return false;
	/* An unused personal number may carry a filler as its check digit. */
	if (line2[42] == '<') {
		for (size_t i = 28; i < 42; i++)
			if (line2[i] != '<')
				return false;
	} else if (!mrz_field_ok(line2 + 28, 14, line2[42]))
		return false;

	mrz_sum_add(&composite, line2, 10);
	mrz_sum_add(&composite, line2 + 13, 7);
	mrz_sum_add(&composite, line2 + 21, 22);
	return mrz_sum_matches(&composite, line2[43]);
}

/* Identity card, three lines of 30; the third (the name) has no check. */
static bool
mrz_td1_ok(const char *mrz)
{
	const char *line1 = mrz, *line2 = mrz + MRZ_TD1_LINE;
	struct mrz_sum number = { 0, 0 }, composite = { 0, 0 };

	if (line1[0] != 'I' && line1[0] != 'A' && line1[0] != 'C')
		return false;
	mrz_sum_add(&number, line1 + 5, 9);
	if (line1[14] != '<') {
		if (!mrz_sum_matches(&number, line1[14]))
			return false;
	} else {
		/* A number longer than nine characters goes on at the start of
		 * the optional data, followed by its check digit and a filler;
		 * at least one more character of the number is needed. */
		size_t end = 15;

		while (end < MRZ_TD1_LINE && line1[end] != '<')
			end++;
		if (end < 17)
			return false;
		mrz_sum_add(&number, line1 + 15, end - 1 - 15);
		if (!mrz_sum_matches(&number, line1[end - 1]))
			return false;
	}
	if (!mrz_date_ok(line2) || !mrz_field_ok(line2, 6, line2[6]))
		return false;
	if (!mrz_date_ok(line2 + 8) || !mrz_field_ok(line2 + 8, 6, line2[14]))
		return false;

	mrz_sum_add(&composite, line1 + 5, 25);
	mrz_sum_add(&composite, line2, 7);
	mrz_sum_add(&composite, line2 + 8, 7);
	mrz_sum_add(&composite, line2 + 18, 11);
	return mrz_sum_matches(&composite, line2[29]);
}

bool
ps_mrz_ok(const char *value, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (mrz_char_value(value[i]) < 0)
			return false;
	if (len == PS_MRZ_TD3_LEN)
		return mrz_td3_ok(value);
	if (len == PS_MRZ_TD1_LEN)
		return mrz_td1_ok(value);
	return false;
}

/* ---- IBAN (ISO 13616) ---- */

/*
 * The countries of the SWIFT IBAN registry and the length of their IBANs.
 * Territories that use a parent's code (Aland under FI, the French
 * overseas departments under FR, Jersey and Guernsey under GB) need no row.
 */
static const struct {
	char code[3];
	unsigned char length;
} iban_countries[] = {
	{ "AD", 24 }, { "AE", 23 }, { "AL", 28 }, { "AT", 20 }, { "AZ", 28 },
	{ "BA", 20 }, { "BE", 16 }, { "BG", 22 }, { "BH", 22 }, { "BI", 27 },
	{ "BR", 29 }, { "BY", 28 }, { "CH", 21 }, { "CR", 22 }, { "CY", 28 },
	{ "CZ", 24 }, { "DE", 22 }, { "DJ", 27 }, { "DK", 18 }, { "DO", 28 },
	{ "EE", 20 }, { "EG", 29 }, { "ES", 24 }, { "FI", 18 }, { "FK", 18 },
	{ "FO", 18 }, { "FR", 27 }, { "GB", 22 }, { "GE", 22 }, { "GI", 23 },
	{ "GL", 18 }, { "GR", 27 }, { "GT", 28 }, { "HR", 21 }, { "HU", 28 },
	{ "IE", 22 }, { "IL", 23 }, { "IQ", 23 }, { "IS", 26 }, { "IT", 27 },
	{ "JO", 30 }, { "KW", 30 }, { "KZ", 20 }, { "LB", 28 }, { "LC", 32 },
	{ "LI", 21 }, { "LT", 20 }, { "LU", 20 }, { "LV", 21 }, { "LY", 25 },
	{ "MC", 27 }, { "MD", 24 }, { "ME", 22 }, { "MK", 19 }, { "MN", 20 },
	{ "MR", 27 }, { "MT", 31 }, { "MU", 30 }, { "NI", 28 }, { "NL", 18 },
	{ "NO", 15 }, { "OM", 23 }, { "PK", 24 }, { "PL", 28 }, { "PS", 29 },
	{ "PT", 25 }, { "QA", 29 }, { "RO", 24 }, { "RS", 22 }, { "RU", 33 },
	{ "SA", 24 }, { "SC", 31 }, { "SD", 18 }, { "SE", 24 }, { "SI", 19 },
	{ "SK", 24 }, { "SM", 27 }, { "SO", 23 }, { "ST", 25 }, { "SV", 28 },
	{ "TL", 23 }, { "TN", 24 }, { "TR", 26 }, { "UA", 29 }, { "VA", 22 },
	{ "VG", 24 }, { "XK", 20 }, { "YE", 30 },
};

static unsigned
iban_length(const char *country)
{
	for (size_t i = 0; i < sizeof iban_countries / sizeof iban_countries[0]; i++)
		if (iban_countries[i].code[0] == country[0]
		    && iban_countries[i].code[1] == country[1])
			return iban_countries[i].length;
	return 0;
}

bool
ps_iban_ok(const char *value, size_t len)
{
	unsigned long check;
	unsigned rest = 0;

	if (len < 4 || iban_length(value) != len)
		return false;
	if (!all_digits(value + 2, 2))
		return false;
	/* 98 minus a remainder: 00, 01 and 99 are never issued. */
	check = prefix(value + 2, 2);
	if (check < 2 || check > 98)
		return false;
	for (size_t i = 4; i < len; i++)
		if (base36_value(value[i]) < 0)
			return false;

	/* Mod 97 of the number read from the fifth character on, the first
	 * four after it, each letter two digits (A = 10): kept small by
	 * taking the remainder at every step. */
	for (size_t i = 0; i < len; i++) {
		unsigned v = (unsigned)base36_value(value[(i + 4) % len]);

		rest = (rest * (v < 10 ? 10 : 100) + v) % 97;
	}
	return rest == 1;
}

/* ---- e-mail address ---- */

static bool
ascii_letter(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* RFC 5322 atext: what a dot-atom may hold between its dots. */
static bool
email_atext(char c)
{
	if (ascii_letter(c) || (c >= '0' && c <= '9'))
		return true;
	return c != '\0' && strchr("!#$%&'*+/=?^_`{|}~-", c) != NULL;
}

/* A dot-atom of 1-64 characters: no dot first, last or next to another. */
static bool
email_local_ok(const char *local, size_t n)
{
	if (n < 1 || n > 64 || local[0] == '.' || local[n - 1] == '.')
		return false;
	for (size_t i = 0; i < n; i++) {
		if (local[i] == '.') {
			if (local[i - 1] == '.')
				return false;
		} else if (!email_atext(local[i]))
			return false;
	}
	return true;
}

/* A host name label: 1-63 letters, digits and '-', no '-' at either end. */
static bool
domain_label_ok(const char *label, size_t n)
{
	if (n < 1 || n > 63 || label[0] == '-' || label[n - 1] == '-')
		return false;
	for (size_t i = 0; i < n; i++)
		if (!ascii_letter(label[i]) && !(label[i] >= '0' && label[i] <= '9')
		    && label[i] != '-')
			return false;
	return true;
}

/* Two labels or more, the last (the top-level domain) of letters only. */
static bool
email_domain_ok(const char *domain, size_t n)
{
	size_t labels = 0, start = 0;

	for (size_t i = 0; i <= n; i++) {
		if (i < n && domain[i] != '.')
			continue;
		if (!domain_label_ok(domain + start, i - start))
			return false;
		labels++;
		if (i < n)
			start = i + 1;
	}
	if (labels < 2 || n - start < 2)
		return false;
	for (size_t i = start; i < n; i++)
		if (!ascii_letter(domain[i]))
			return false;
	return true;
}

bool
ps_email_ok(const char *value, size_t len)
{
	const char *at;
	size_t local;

	if (len > 254 || (at = memchr(value, '@', len)) == NULL)
		return false;
	local = (size_t)(at - value);
	return email_local_ok(value, local)
	    && email_domain_ok(at + 1, len - local - 1);
}

/* ---- Hong Kong telephone number ---- */

bool
ps_phone_hk_ok(const char *value, size_t len)
{
	if (len != 8 || !all_digits(value, 8) || value[0] < '2')
		return false;
	/* Emergency, free-phone and premium-rate numbers, not subscribers'. */
	return memcmp(value, "999", 3) != 0 && memcmp(value, "800", 3) != 0
	    && memcmp(value, "900", 3) != 0;
}

static bool
accept_all(const char *value, size_t len)
{
	(void)value;
	return len > 0;
}

static const struct {
	const char *name;
	ps_validator_fn fn;
} validators[] = {
	{ "none", accept_all },
	{ "luhn", ps_luhn_ok },
	{ "card", ps_card_ok },
	{ "hkid", ps_hkid_ok },
	{ "cn_id", ps_cn_id_ok },
	{ "mrz", ps_mrz_ok },
	{ "iban", ps_iban_ok },
	{ "email", ps_email_ok },
	{ "phone_hk", ps_phone_hk_ok },
};

bool
ps_validator_find(const char *name, ps_validator_fn *fn)
{
	for (size_t i = 0; i < sizeof validators / sizeof validators[0]; i++) {
		if (strcmp(validators[i].name, name) == 0) {
			*fn = validators[i].fn;
			return true;
		}
	}
	return false;
}

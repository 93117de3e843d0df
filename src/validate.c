/*
 * validate.c - checksum and issuer-range checks (see validate.h).
 */
#include "validate.h"

#include <string.h>

bool
ps_luhn_ok(const char *digits, size_t len)
{
	unsigned sum = 0;
	bool twice = false;

	if (len == 0)
		return false;
	for (size_t i = len; i-- > 0;) {
		unsigned d = (unsigned)(digits[i] - '0');
		if (d > 9)
			return false;
		if (twice) {
			d *= 2;
			if (d > 9)
				d -= 9;
		}
		sum += d;
		twice = !twice;
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
struct iin_range {
	unsigned width;          /* digits of prefix compared */
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
	if (len < 13 || len > 19)
		return false;
	for (size_t i = 0; i < len; i++)
		if (digits[i] < '0' || digits[i] > '9')
			return false;
	for (size_t i = 0; i < sizeof iin_table / sizeof iin_table[0]; i++) {
		const struct iin_range *r = &iin_table[i];
		unsigned long p = prefix(digits, r->width);

		if (p < r->lo || p > r->hi)
			continue;
		if ((len >= r->minlen && len <= r->maxlen) || len == r->extralen)
			return true;
	}
	return false;
}

bool
ps_card_ok(const char *digits, size_t len)
{
	/* Luhn first: it is cheaper and refuses nine candidates in ten. */
	return ps_luhn_ok(digits, len) && ps_card_iin_ok(digits, len);
}

static int
hkid_char_value(char c)
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
		sum += weight * (unsigned)hkid_char_value(value[i]);
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

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

/*
 * finding.c - normalise, mask and keyed-hash matched values (see finding.h).
 */
#include "finding.h"
#include "validate.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

enum ps_error
ps_findings_add(struct ps_findings *list, const struct ps_finding *f)
{
	struct ps_finding *slot;

	if (list->count >= PS_MAX_FINDINGS_PER_FILE) {
		list->dropped++;
		return PS_OK;
	}
	if (list->count == list->cap) {
		size_t cap = list->cap == 0 ? 16 : list->cap * 2;
		struct ps_finding *items = realloc(list->items, cap * sizeof *items);

		if (items == NULL)
			return PS_ERR_NOMEM;
		list->items = items;
		list->cap = cap;
	}
	slot = &list->items[list->count];
	*slot = *f;
	if (f->member != NULL && (slot->member = strdup(f->member)) == NULL)
		return PS_ERR_NOMEM;
	list->count++;
	return PS_OK;
}

/* Order of findings by type, value and member, for bsearch. */
static int
compare_value(const void *a, const void *b)
{
	const struct ps_finding *x = *(const struct ps_finding *const *)a;
	const struct ps_finding *y = *(const struct ps_finding *const *)b;
	int c;

	if ((c = strcmp(x->type, y->type)) != 0
	    || (c = strcmp(x->value_hash, y->value_hash)) != 0)
		return c;
	return strcmp(x->member != NULL ? x->member : "",
	    y->member != NULL ? y->member : "");
}

void
ps_findings_drop_repeats(struct ps_findings *list, size_t first, size_t from)
{
	const struct ps_finding **earlier;
	size_t n = from - first, kept = from;

	if (first >= from || from >= list->count
	    || (earlier = malloc(n * sizeof *earlier)) == NULL)
		return;
	for (size_t i = 0; i < n; i++)
		earlier[i] = &list->items[first + i];
	qsort(earlier, n, sizeof *earlier, compare_value);
	for (size_t i = from; i < list->count; i++) {
		const struct ps_finding *f = &list->items[i];

		if (bsearch(&f, earlier, n, sizeof *earlier, compare_value) != NULL)
			free(list->items[i].member);
		else
			list->items[kept++] = list->items[i];
	}
	list->count = kept;
	free(earlier);
}

void
ps_findings_clear(struct ps_findings *list)
{
	for (size_t i = 0; i < list->count; i++)
		free(list->items[i].member);
	list->count = 0;
	list->dropped = 0;
	list->cut_short = 0;
}

void
ps_findings_free(struct ps_findings *list)
{
	ps_findings_clear(list);
	free(list->items);
	list->items = NULL;
	list->cap = 0;
}

size_t
ps_normalise_digits(const char *raw, size_t len, char *out, size_t cap)
{
	size_t n = 0;

	if (cap == 0)
		return 0;
	for (size_t i = 0; i < len; i++) {
		if (raw[i] < '0' || raw[i] > '9')
			continue;
		if (n + 1 >= cap)
			return 0;
		out[n++] = raw[i];
	}
	out[n] = '\0';
	return n;
}

/* Letters (upper-cased) and digits, and the MRZ filler '<' if asked. */
static size_t
keep_letters_digits(const char *raw, size_t len, char *out, size_t cap,
    bool keep_filler)
{
	size_t n = 0;

	if (cap == 0)
		return 0;
	for (size_t i = 0; i < len; i++) {
		char c = raw[i];

		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		else if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
		    || (c == '<' && keep_filler)))
			continue;
		if (n + 1 >= cap)
			return 0;
		out[n++] = c;
	}
	out[n] = '\0';
	return n;
}

size_t
ps_normalise_alnum(const char *raw, size_t len, char *out, size_t cap)
{
	return keep_letters_digits(raw, len, out, cap, false);
}

size_t
ps_normalise_mrz(const char *raw, size_t len, char *out, size_t cap)
{
	return keep_letters_digits(raw, len, out, cap, true);
}

size_t
ps_normalise_lower(const char *raw, size_t len, char *out, size_t cap)
{
	if (cap == 0 || len >= cap)
		return 0;
	for (size_t i = 0; i < len; i++) {
		char c = raw[i];

		out[i] = c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
	}
	out[len] = '\0';
	return len;
}

size_t
ps_normalise_phone_hk(const char *raw, size_t len, char *out, size_t cap)
{
	char first[3] = { 0 };
	size_t digits = 0, skip = 0, n = 0;

	/* Count before writing: the number is known only once all its
	 * digits are, and cap need only hold the eight kept. */
	for (size_t i = 0; i < len; i++) {
		if (raw[i] < '0' || raw[i] > '9')
			continue;
		if (digits < sizeof first)
			first[digits] = raw[i];
		digits++;
	}
	/* "+852 9123 4567": the country code is no part of the number. */
	if (digits == 11 && memcmp(first, "852", 3) == 0)
		skip = 3;
	if (digits - skip != 8 || cap < 9)
		return 0;
	for (size_t i = 0; i < len; i++) {
		if (raw[i] < '0' || raw[i] > '9')
			continue;
		if (skip > 0)
			skip--;
		else
			out[n++] = raw[i];
	}
	out[n] = '\0';
	return n;
}

void
ps_mask_first6last4(const char *value, size_t len, char out[PS_MASK_MAX])
{
	size_t n = 0;

	if (len > PS_MASK_MAX - 1)
		len = PS_MASK_MAX - 1;
	for (size_t i = 0; i < len; i++)
		out[n++] = (i < 6 || i + 4 >= len) ? value[i] : '*';
	/* Too short to hide anything by position: hide it all. */
	if (len < 11)
		memset(out, '*', len);
	out[n] = '\0';
}

void
ps_mask_hkid(const char *value, size_t len, char out[PS_MASK_MAX])
{
	size_t n = 0, letters = 0;

	while (letters < len && value[letters] >= 'A' && value[letters] <= 'Z'
	    && letters < 2)
		letters++;
	if (len < letters + 2 || len - letters + 4 > PS_MASK_MAX - 1) {
		strcpy(out, "******");
		return;
	}
	memcpy(out, value, letters);
	n = letters;
	for (size_t i = letters; i + 1 < len; i++)
		out[n++] = '*';
	out[n++] = '(';
	out[n++] = value[len - 1];
	out[n++] = ')';
	out[n] = '\0';
}

void
ps_mask_cn_id(const char *value, size_t len, char out[PS_MASK_MAX])
{
	/* Six region digits and the check character stay; anything too
	 * short to keep those apart from the birth date is hidden whole. */
	if (len < 8 || len > PS_MASK_MAX - 1) {
		strcpy(out, "******");
		return;
	}
	memcpy(out, value, 6);
	memset(out + 6, '*', len - 7);
	out[len - 1] = value[len - 1];
	out[len] = '\0';
}

void
ps_mask_mrz(const char *value, size_t len, char out[PS_MASK_MAX])
{
	const char *format;

	if (len == PS_MRZ_TD3_LEN)
		format = " TD3";
	else if (len == PS_MRZ_TD1_LEN)
		format = " TD1";
	else {
		strcpy(out, "*****");
		return;
	}
	/* Document code and issuing state name no one. */
	memcpy(out, value, 5);
	memcpy(out + 5, "*****", 5);
	memcpy(out + 10, format, strlen(format) + 1);
}

void
ps_mask_iban(const char *value, size_t len, char out[PS_MASK_MAX])
{
	/* Country, check digits and the last four, as statements print
	 * them; a value shorter than any IBAN is hidden whole. */
	if (len < 12 || len > PS_MASK_MAX - 1) {
		strcpy(out, "****");
		return;
	}
	memcpy(out, value, 4);
	memset(out + 4, '*', len - 8);
	memcpy(out + len - 4, value + len - 4, 4);
	out[len] = '\0';
}

void
ps_mask_email(const char *value, size_t len, char out[PS_MASK_MAX])
{
	const char *at = memchr(value, '@', len), *domain;
	size_t n = 0, domain_len;

	if (at == NULL || at == value) {
		strcpy(out, "***");
		return;
	}
	out[n++] = value[0];
	memcpy(out + n, "***@", 4);
	n += 4;
	domain = at + 1;
	domain_len = len - (size_t)(domain - value);

	/* A domain too long to show whole loses labels from the left, "*."
	 * standing for them; if not even the last label fits, "*" alone. */
	if (domain_len > PS_MASK_MAX - 1 - n) {
		size_t room = PS_MASK_MAX - 1 - n - 2;
		const char *kept = NULL;

		for (size_t i = 0; i < domain_len && kept == NULL; i++)
			if (domain[i] == '.' && domain_len - i - 1 <= room)
				kept = domain + i + 1;
		out[n++] = '*';
		if (kept == NULL) {
			out[n] = '\0';
			return;
		}
		out[n++] = '.';
		domain_len -= (size_t)(kept - domain);
		domain = kept;
	}
	memcpy(out + n, domain, domain_len);
	out[n + domain_len] = '\0';
}

void
ps_mask_phone(const char *value, size_t len, char out[PS_MASK_MAX])
{
	/* Two digits at each end; a value too short to hide four between
	 * them is hidden whole. */
	if (len < 8) {
		strcpy(out, "********");
		return;
	}
	memcpy(out, value, 2);
	memcpy(out + 2, "****", 4);
	memcpy(out + 6, value + len - 2, 2);
	out[8] = '\0';
}

static const struct {
	const char *name;
	ps_normalise_fn fn;
} normalisers[] = {
	{ "digits", ps_normalise_digits },
	{ "alnum", ps_normalise_alnum },
	{ "mrz", ps_normalise_mrz },
	{ "lower", ps_normalise_lower },
	{ "phone_hk", ps_normalise_phone_hk },
};

static const struct {
	const char *name;
	ps_mask_fn fn;
} masks[] = {
	{ "first6last4", ps_mask_first6last4 },
	{ "hkid", ps_mask_hkid },
	{ "cn_id", ps_mask_cn_id },
	{ "mrz", ps_mask_mrz },
	{ "iban", ps_mask_iban },
	{ "email", ps_mask_email },
	{ "phone", ps_mask_phone },
};

bool
ps_normaliser_find(const char *name, ps_normalise_fn *fn)
{
	for (size_t i = 0; i < sizeof normalisers / sizeof normalisers[0]; i++)
		if (strcmp(normalisers[i].name, name) == 0) {
			*fn = normalisers[i].fn;
			return true;
		}
	return false;
}

bool
ps_mask_find(const char *name, ps_mask_fn *fn)
{
	for (size_t i = 0; i < sizeof masks / sizeof masks[0]; i++)
		if (strcmp(masks[i].name, name) == 0) {
			*fn = masks[i].fn;
			return true;
		}
	return false;
}

struct ps_hasher {
	crypto_auth_hmacsha256_state keyed;   /* after the key, before any value */
};

/* Hash type ":" value from st, the state after the key; st is wiped. */
static void
hash_value(crypto_auth_hmacsha256_state *st, const char *type,
    const char *value, size_t len, char out[PS_HASH_HEX_LEN + 1])
{
	unsigned char mac[crypto_auth_hmacsha256_BYTES];

	crypto_auth_hmacsha256_update(st, (const unsigned char *)type, strlen(type));
	crypto_auth_hmacsha256_update(st, (const unsigned char *)":", 1);
	crypto_auth_hmacsha256_update(st, (const unsigned char *)value, len);
	crypto_auth_hmacsha256_final(st, mac);
	sodium_bin2hex(out, PS_HASH_HEX_LEN + 1, mac, sizeof mac);
	sodium_memzero(st, sizeof *st);
}

void
ps_value_hash(const struct ps_key *key, const char *type, const char *value,
    size_t len, char out[PS_HASH_HEX_LEN + 1])
{
	crypto_auth_hmacsha256_state st;

	crypto_auth_hmacsha256_init(&st, key->bytes, sizeof key->bytes);
	hash_value(&st, type, value, len, out);
}

struct ps_hasher *
ps_hasher_new(const struct ps_key *key)
{
	struct ps_hasher *h = malloc(sizeof *h);

	if (h != NULL)
		crypto_auth_hmacsha256_init(&h->keyed, key->bytes, sizeof key->bytes);
	return h;
}

void
ps_hasher_hash(const struct ps_hasher *h, const char *type, const char *value,
    size_t len, char out[PS_HASH_HEX_LEN + 1])
{
	crypto_auth_hmacsha256_state st = h->keyed;

	hash_value(&st, type, value, len, out);
}

void
ps_hasher_free(struct ps_hasher *h)
{
	if (h == NULL)
		return;
	sodium_memzero(h, sizeof *h);
	free(h);
}

void
ps_wipe(void *p, size_t len)
{
	sodium_memzero(p, len);
}

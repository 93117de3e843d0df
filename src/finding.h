/*
 * finding.h - what piiscan keeps of a match: masked value and keyed hash.
 *
 * A finding never holds the raw value.  The matcher normalises the matched
 * text into a scratch buffer, derives the mask and the keyed hash from it
 * here, and wipes the scratch copy (ps_wipe).  Pure functions: any thread.
 */
#ifndef PS_FINDING_H
#define PS_FINDING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "piiscan.h"

#define PS_KEY_BYTES 32

struct ps_key {
	uint8_t bytes[PS_KEY_BYTES];
};

struct ps_finding {
	const char *type;          /* type id, borrowed from the pattern set */
	enum ps_confidence confidence;
	char masked[PS_MASK_MAX];
	char value_hash[PS_HASH_HEX_LEN + 1];
	char where[PS_WHERE_MAX];
	char *member;              /* archive member chain, owned; NULL if none */
	bool test_data;            /* a published test value: marked test-data */
	uint64_t offset;           /* where in its unit's text (not stored) */
	/* Why the confidence, for "piiscan patterns test" (not stored): the
	 * keyword found, borrowed from the pattern set, and where: in the
	 * column header, or this many characters before (< 0) or after the
	 * value. */
	const char *keyword;
	bool keyword_in_header;
	long keyword_distance;
};

/* The findings of one file, in the order found.  Owned by one thread. */
struct ps_findings {
	struct ps_finding *items;
	size_t count, cap;
	uint64_t dropped;          /* found beyond the per-file limit */
	uint64_t cut_short;        /* searches stopped by PCRE2's match limit */
};

/* Append a copy of f (member duplicated); counts it as dropped at the
 * limit.  Returns PS_ERR_NOMEM when out of memory. */
enum ps_error ps_findings_add(struct ps_findings *list, const struct ps_finding *f);
/* Empty the list, keeping its storage. */
void ps_findings_clear(struct ps_findings *list);
/* Drop the findings from index from on that repeat one of [first, from):
 * the same type, value and member (where may differ).  For the
 * alternatives of a mail message, one text as plain text and as HTML.
 * Repeats among those from `from` on are kept: two places in one text
 * are two findings.  Out of memory, nothing is dropped. */
void ps_findings_drop_repeats(struct ps_findings *list, size_t first, size_t from);
void ps_findings_free(struct ps_findings *list);

/*
 * Normalisers turn matched text into the canonical value that is hashed:
 * "digits" keeps the digits, "alnum" keeps letters (upper-cased) and digits,
 * "mrz" keeps those and the filler '<' (so an MRZ's lines run together),
 * "lower" copies the text with A-Z lower-cased and nothing else changed,
 * "phone_hk" keeps the digits, drops a leading 852 from eleven of them,
 * and gives a result only when eight digits remain.
 * They return the length written, or 0 when the result would not fit.
 */
typedef size_t (*ps_normalise_fn)(const char *raw, size_t len, char *out, size_t cap);

/* Masks write a NUL-terminated masked form of a normalised value. */
typedef void (*ps_mask_fn)(const char *value, size_t len, char out[PS_MASK_MAX]);

/* Look-ups by the names used in pattern files; false when unknown. */
bool ps_normaliser_find(const char *name, ps_normalise_fn *fn);
bool ps_mask_find(const char *name, ps_mask_fn *fn);

size_t ps_normalise_digits(const char *raw, size_t len, char *out, size_t cap);
size_t ps_normalise_alnum(const char *raw, size_t len, char *out, size_t cap);
size_t ps_normalise_mrz(const char *raw, size_t len, char *out, size_t cap);
size_t ps_normalise_lower(const char *raw, size_t len, char *out,
    size_t cap);
size_t ps_normalise_phone_hk(const char *raw, size_t len, char *out,
    size_t cap);
/* Card: first six and last four digits, the rest '*'. */
void ps_mask_first6last4(const char *value, size_t len, char out[PS_MASK_MAX]);
/* HKID: letters and check character only, "A******(3)". */
void ps_mask_hkid(const char *value, size_t len, char out[PS_MASK_MAX]);
/* China resident identity number: the six region digits and the check
 * character, "110105***********X". */
void ps_mask_cn_id(const char *value, size_t len, char out[PS_MASK_MAX]);
/* MRZ: document code and issuing state, then the format, "P<UTO***** TD3"
 * or "I<UTO***** TD1". */
void ps_mask_mrz(const char *value, size_t len, char out[PS_MASK_MAX]);
/* IBAN: the first four and the last four characters, the rest '*',
 * "GB82**************5432". */
void ps_mask_iban(const char *value, size_t len, char out[PS_MASK_MAX]);
/* E-mail: the local part's first character, "***", then the domain,
 * "c***@example.com.hk"; a domain too long for the mask keeps its last
 * labels behind "*.". */
void ps_mask_email(const char *value, size_t len, char out[PS_MASK_MAX]);
/* Telephone number: the first two and last two digits, "91****67". */
void ps_mask_phone(const char *value, size_t len, char out[PS_MASK_MAX]);

/* value_hash = hex(HMAC-SHA-256(key, type ":" value)), lower-case. */
void ps_value_hash(const struct ps_key *key, const char *type,
    const char *value, size_t len, char out[PS_HASH_HEX_LEN + 1]);

/* The same hash for many values: the HMAC state after the key is made
 * once and copied for each value, not made again from the key (two of
 * the four SHA-256 blocks a short value costs).  One per thread. */
struct ps_hasher;
struct ps_hasher *ps_hasher_new(const struct ps_key *key);   /* NULL: no memory */
void ps_hasher_hash(const struct ps_hasher *h, const char *type,
    const char *value, size_t len, char out[PS_HASH_HEX_LEN + 1]);
void ps_hasher_free(struct ps_hasher *h);

/* Overwrite memory that held personal data, in a way the compiler keeps. */
void ps_wipe(void *p, size_t len);

#endif

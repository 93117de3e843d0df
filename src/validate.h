/*
 * validate.h - pure checksum and range checks on normalised values.
 *
 * No I/O, no allocation, no global state: any thread may call these.
 * Each validator receives a value already normalised (see finding.h):
 * the card's digits alone, or the HKID's letters, digits and check character.
 * Validators are looked up by the name a pattern file gives.
 */
#ifndef PS_VALIDATE_H
#define PS_VALIDATE_H

#include <stdbool.h>
#include <stddef.h>

/* True when the digit string passes the Luhn (mod 10) check. */
bool ps_luhn_ok(const char *digits, size_t len);

/* True when the digits start with an issued IIN of Visa, Mastercard,
 * American Express, Discover, JCB, UnionPay or Diners Club, and have a
 * length that range uses. */
bool ps_card_iin_ok(const char *digits, size_t len);

/* Luhn and IIN together: the "card" validator. */
bool ps_card_ok(const char *digits, size_t len);

/* HKID: one or two capital letters, six digits, check character 0-9 or A,
 * with the mod-11 check (a space valued 36 stands for a missing first
 * letter). */
bool ps_hkid_ok(const char *value, size_t len);

/* Mainland China resident identity number (GB 11643): 18 characters,
 * 17 digits and a check character 0-9 or X.  The first two digits are a
 * province-level code (11-15, 21-23, 31-37, 41-46, 50-54, 61-65, 71,
 * 81-83), digits 7-14 a real birth date YYYYMMDD in 1900-2099, and the
 * last the ISO 7064 MOD 11-2 check (10 written X). */
bool ps_cn_id_ok(const char *value, size_t len);

/*
 * Machine-readable zone of a passport or identity card (ICAO Doc 9303),
 * its lines run together by the "mrz" normaliser: characters A-Z, 0-9
 * and '<' only.  88 characters are a TD3 passport (2 x 44, first line
 * starting 'P'), 90 a TD1 card (3 x 30, starting 'I', 'A' or 'C').  Every
 * check digit must hold (weights 7 3 1, A-Z 10-35, '<' 0): document
 * number, birth date, expiry date, TD3's personal number (whose check may
 * be '<' when the number is all filler) and the composite.  A TD1 with
 * '<' in place of the document number's check digit has a longer number:
 * it goes on at the start of the optional data (at least one character),
 * and its check digit is the character before the next '<'.  Dates are
 * six digits with month 01-12 and day 01-31.
 */
bool ps_mrz_ok(const char *value, size_t len);

#define PS_MRZ_TD3_LEN 88
#define PS_MRZ_TD1_LEN 90

/* IBAN (ISO 13616), upper case without spaces: the code of a country in
 * the IBAN registry, two check digits 02-98, an alphanumeric BBAN, the
 * length that country's IBANs have, and mod 97 of the number rearranged
 * (first four characters moved to the end, letters as 10-35) equal to 1. */
bool ps_iban_ok(const char *value, size_t len);

/*
 * E-mail address, the practical part of RFC 5322 (addr-spec with a
 * dot-atom on both sides, no quoted strings, comments or address
 * literals): a local part of 1-64 atext characters (letters, digits and
 * !#$%&'*+/=?^_`{|}~-) with single dots between them; one '@'; a domain of
 * two or more labels of 1-63 letters, digits and '-', no label starting
 * or ending with '-', the last label 2-63 letters; at most 254 in all.
 * Either case is accepted; the "lower" normaliser gives lower case.
 */
bool ps_email_ok(const char *value, size_t len);

/*
 * Hong Kong telephone number as the "phone_hk" normaliser leaves it: eight
 * digits, a leading country code 852 already taken off.  The numbering
 * plan has no trunk prefix and gives subscribers eight-digit numbers whose
 * first digit is 2-9: 2 and 3 fixed lines; 4-7 and 9 mobile (7 also
 * paging); 8 partly mobile, partly services.  0 and 1 begin none (1 begins
 * the short service codes).  Numbers beginning 999 (emergency), 800
 * (free-phone) and 900 (premium rate) are refused: those prefixes begin
 * numbers of other lengths, not eight-digit subscriber numbers.  No check
 * digit: any other eight digits from 2 on pass.
 */
bool ps_phone_hk_ok(const char *value, size_t len);

typedef bool (*ps_validator_fn)(const char *value, size_t len);

/* The validator of that name ("none" gives a validator accepting all),
 * or NULL when there is none by that name. */
bool ps_validator_find(const char *name, ps_validator_fn *fn);

#endif

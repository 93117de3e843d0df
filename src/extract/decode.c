/*
 * decode.c - text in a common encoding to UTF-8 through iconv(3) (see
 * decode.h).
 */
#include "config.h"

#include "decode.h"

#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define OUT_SIZE    (64 * 1024) /* decoded text is emitted in pieces this big */
#define CHARSET_MAX 32
/* An incomplete character kept for the next piece: no encoding we meet
 * needs more than 4 bytes for one character (a UTF-16 surrogate pair,
 * GB18030's four-byte form), so more than this is not a cut character. */
#define CARRY_MAX   8
/* The carried bytes are completed from a copy of the next piece's first
 * bytes, so that the piece itself is never copied. */
#define JOIN_MAX    32

static const char replacement[] = "\xef\xbf\xbd"; /* U+FFFD */

struct ps_decoder {
	char declared[CHARSET_MAX];     /* as given to ps_decoder_new() */
	char charset[CHARSET_MAX];      /* in use; "" while passing through */
	iconv_t cd;                     /* (iconv_t)-1 while passing through */
	size_t unit;                    /* bytes skipped past an invalid one */

	/* Until the byte order mark question is settled, the first bytes
	 * wait here (only when a piece is shorter than a mark). */
	bool sniffing;
	unsigned char sniff[PS_BOM_MAX];
	size_t sniff_len;

	unsigned char carry[CARRY_MAX]; /* a character cut by a piece's end */
	size_t carry_len;
	char *out;                      /* OUT_SIZE bytes, only when converting */
	size_t out_len;
	size_t errors;
};

bool
ps_charset_is_passthrough(const char *charset)
{
	static const char *const names[] = { "utf-8", "utf8", "us-ascii",
		"ascii", "binary", "unknown-8bit" };

	if (charset == NULL || charset[0] == '\0')
		return true;
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcasecmp(charset, names[i]) == 0)
			return true;
	return false;
}

struct bom {
	const char *bytes;
	size_t len;
	const char *charset;
};

/* Longest first, so that UTF-32LE's FF FE 00 00 beats UTF-16LE's FF FE. */
static const struct bom boms[] = {
	{ "\xff\xfe\x00\x00", 4, "UTF-32LE" },
	{ "\x00\x00\xfe\xff", 4, "UTF-32BE" },
	{ "\xef\xbb\xbf", 3, "UTF-8" },
	{ "\xff\xfe", 2, "UTF-16LE" },
	{ "\xfe\xff", 2, "UTF-16BE" },
};

size_t
ps_bom_sniff(const unsigned char *p, size_t len, const char **charset)
{
	for (size_t i = 0; i < sizeof boms / sizeof boms[0]; i++)
		if (len >= boms[i].len && memcmp(p, boms[i].bytes, boms[i].len) == 0) {
			*charset = boms[i].charset;
			return boms[i].len;
		}
	*charset = NULL;
	return 0;
}

/* Could more bytes after p[0..len) still change what ps_bom_sniff says? */
static bool
bom_undecided(const unsigned char *p, size_t len)
{
	for (size_t i = 0; i < sizeof boms / sizeof boms[0]; i++)
		if (len < boms[i].len && memcmp(p, boms[i].bytes, len) == 0)
			return true;
	return false;
}

/* The size of one code unit: an invalid one is skipped whole, so that a
 * UTF-16 text stays in step after a stray surrogate. */
static size_t
unit_size(const char *charset)
{
	if (strncasecmp(charset, "utf-16", 6) == 0
	    || strncasecmp(charset, "utf16", 5) == 0
	    || strncasecmp(charset, "ucs-2", 5) == 0)
		return 2;
	if (strncasecmp(charset, "utf-32", 6) == 0
	    || strncasecmp(charset, "utf32", 5) == 0
	    || strncasecmp(charset, "ucs-4", 5) == 0)
		return 4;
	return 1;
}

enum ps_error
ps_decoder_new(const char *charset, struct ps_decoder **out)
{
	struct ps_decoder *d = calloc(1, sizeof *d);

	*out = NULL;
	if (d == NULL)
		return PS_ERR_NOMEM;
	if (charset != NULL)
		snprintf(d->declared, sizeof d->declared, "%s", charset);
	d->cd = (iconv_t)-1;
	d->sniffing = true;
	*out = d;
	return PS_OK;
}

/* The BOM (or its absence) has spoken: settle what the input is. */
static enum ps_error
settle(struct ps_decoder *d, const char *bom_charset)
{
	const char *use = bom_charset != NULL ? bom_charset : d->declared;

	d->sniffing = false;
	if (ps_charset_is_passthrough(use))
		return PS_OK;
	d->cd = iconv_open("UTF-8", use);
	if (d->cd == (iconv_t)-1) {
		/* A charset iconv does not know: its bytes are passed on as
		 * they are, as before decoding existed (digits still match). */
		return errno == ENOMEM ? PS_ERR_NOMEM : PS_OK;
	}
	if ((d->out = malloc(OUT_SIZE)) == NULL) {
		iconv_close(d->cd);
		d->cd = (iconv_t)-1;
		return PS_ERR_NOMEM;
	}
	snprintf(d->charset, sizeof d->charset, "%s", use);
	d->unit = unit_size(use);
	return PS_OK;
}

static enum ps_error
flush(struct ps_decoder *d, ps_decode_emit emit, void *ctx)
{
	size_t n = d->out_len;

	d->out_len = 0;
	return n > 0 ? emit(ctx, d->out, n) : PS_OK;
}

static enum ps_error
put_replacement(struct ps_decoder *d, ps_decode_emit emit, void *ctx)
{
	enum ps_error err;

	if (OUT_SIZE - d->out_len < sizeof replacement - 1
	    && (err = flush(d, emit, ctx)) != PS_OK)
		return err;
	memcpy(d->out + d->out_len, replacement, sizeof replacement - 1);
	d->out_len += sizeof replacement - 1;
	d->errors++;
	return PS_OK;
}

/*
 * Convert *in[0..*left) into the output buffer, emitting it when full.
 * Stops when all is converted, or at an incomplete character of at most
 * CARRY_MAX bytes at the end (left in *in / *left for the caller).
 * Every turn of the loop consumes input or empties the buffer, so it ends.
 */
static enum ps_error
convert(struct ps_decoder *d, char **in, size_t *left, ps_decode_emit emit,
    void *ctx)
{
	enum ps_error err;

	while (*left > 0) {
		char *op = d->out + d->out_len;
		size_t room = OUT_SIZE - d->out_len, skip;

		if (iconv(d->cd, in, left, &op, &room) != (size_t)-1) {
			d->out_len = OUT_SIZE - room;
			break;
		}
		d->out_len = OUT_SIZE - room;
		if (errno == E2BIG && d->out_len > 0) {
			if ((err = flush(d, emit, ctx)) != PS_OK)
				return err;
			continue;
		}
		if (errno == EINVAL && *left <= CARRY_MAX)
			break;
		/* EILSEQ (or anything unexpected): mark it, step over one
		 * code unit and go on. */
		if ((err = put_replacement(d, emit, ctx)) != PS_OK)
			return err;
		skip = d->unit < *left ? d->unit : *left;
		*in += skip;
		*left -= skip;
	}
	return PS_OK;
}

static void
keep_carry(struct ps_decoder *d, const char *p, size_t n)
{
	memmove(d->carry, p, n);
	d->carry_len = n;
}

/* Decode p[0..len), after any character carried from the last piece. */
static enum ps_error
decode(struct ps_decoder *d, const unsigned char *p, size_t len,
    ps_decode_emit emit, void *ctx)
{
	enum ps_error err;
	char *ip;
	size_t left;

	if (d->cd == (iconv_t)-1)
		return len > 0 ? emit(ctx, (const char *)p, len) : PS_OK;
	if (d->carry_len > 0 && len > 0) {
		char join[JOIN_MAX];
		size_t c = d->carry_len, take = len < JOIN_MAX - c ? len : JOIN_MAX - c;
		size_t used;

		memcpy(join, d->carry, c);
		memcpy(join + c, p, take);
		ip = join;
		left = c + take;
		if ((err = convert(d, &ip, &left, emit, ctx)) != PS_OK)
			return err;
		used = c + take - left;
		if (used < c) {
			/* Still incomplete: convert() stops early only within
			 * CARRY_MAX bytes of the end, so this piece was short
			 * and all of it is in join. */
			keep_carry(d, ip, left);
			return flush(d, emit, ctx);
		}
		/* The carried character is done; go on in the piece itself,
		 * where iconv stopped. */
		d->carry_len = 0;
		p += used - c;
		len -= used - c;
	}
	ip = (char *)(uintptr_t)p;  /* iconv(3) takes char ** but does not write */
	left = len;
	if ((err = convert(d, &ip, &left, emit, ctx)) != PS_OK)
		return err;
	if (left > 0)
		keep_carry(d, ip, left);
	return flush(d, emit, ctx);
}

enum ps_error
ps_decoder_feed(struct ps_decoder *d, const void *in, size_t len,
    ps_decode_emit emit, void *ctx)
{
	const unsigned char *p = in;
	enum ps_error err;

	if (d->sniffing) {
		size_t held = d->sniff_len, looked = 0, bom;
		const char *cs;

		/* Look at (copy) only as many bytes as the question needs. */
		while (looked < len && bom_undecided(d->sniff, d->sniff_len))
			d->sniff[d->sniff_len++] = p[looked++];
		if (bom_undecided(d->sniff, d->sniff_len))
			return PS_OK;
		bom = ps_bom_sniff(d->sniff, d->sniff_len, &cs);
		if ((err = settle(d, cs)) != PS_OK)
			return err;
		if (bom < held) {
			/* Bytes held from earlier pieces are text. */
			if ((err = decode(d, d->sniff + bom, held - bom, emit, ctx))
			    != PS_OK)
				return err;
		} else {
			p += bom - held;
			len -= bom - held;
		}
	}
	return decode(d, p, len, emit, ctx);
}

enum ps_error
ps_decoder_finish(struct ps_decoder *d, ps_decode_emit emit, void *ctx)
{
	enum ps_error err;
	char *op;
	size_t room;

	if (d->sniffing) {
		/* The input was shorter than a byte order mark could be. */
		const char *cs;
		size_t bom = ps_bom_sniff(d->sniff, d->sniff_len, &cs);

		if ((err = settle(d, cs)) != PS_OK)
			return err;
		if ((err = decode(d, d->sniff + bom, d->sniff_len - bom, emit, ctx))
		    != PS_OK)
			return err;
	}
	if (d->cd == (iconv_t)-1)
		return PS_OK;
	if (d->carry_len > 0) {
		d->carry_len = 0;
		if ((err = put_replacement(d, emit, ctx)) != PS_OK)
			return err;
	}
	/* A stateful converter (BIG5-HKSCS waits to see whether a letter
	 * combines with the next one) gives back what it holds. */
	for (int tries = 0; tries < 2; tries++) {
		op = d->out + d->out_len;
		room = OUT_SIZE - d->out_len;
		if (iconv(d->cd, NULL, NULL, &op, &room) != (size_t)-1 || errno != E2BIG) {
			d->out_len = OUT_SIZE - room;
			break;
		}
		d->out_len = OUT_SIZE - room;
		if ((err = flush(d, emit, ctx)) != PS_OK)
			return err;
	}
	return flush(d, emit, ctx);
}

const char *
ps_decoder_charset(const struct ps_decoder *d)
{
	return d->cd != (iconv_t)-1 ? d->charset : NULL;
}

size_t
ps_decoder_errors(const struct ps_decoder *d)
{
	return d->errors;
}

void
ps_decoder_free(struct ps_decoder *d)
{
	if (d == NULL)
		return;
	if (d->cd != (iconv_t)-1)
		iconv_close(d->cd);
	free(d->out);
	free(d);
}

const char *
ps_codepage_charset(unsigned codepage, char *buf, size_t cap)
{
	static const struct {
		unsigned cp;
		const char *name;
	} names[] = {
		{ 1200, "UTF-16LE" }, { 1201, "UTF-16BE" }, { 12000, "UTF-32LE" },
		{ 20127, "US-ASCII" }, { 65001, "UTF-8" }, { 10000, "MACINTOSH" },
		{ 20866, "KOI8-R" }, { 21866, "KOI8-U" }, { 20932, "EUC-JP" },
		{ 51932, "EUC-JP" }, { 20936, "GB2312" }, { 51936, "GB2312" },
		{ 54936, "GB18030" }, { 51949, "EUC-KR" }, { 50220, "ISO-2022-JP" },
		{ 50221, "ISO-2022-JP" }, { 50222, "ISO-2022-JP" },
		{ 50225, "ISO-2022-KR" }, { 52936, "HZ-GB-2312" },
	};

	iconv_t cd;

	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (names[i].cp == codepage)
			return names[i].name;
	/* 28591..28606: ISO-8859-1..16; the Windows and OEM pages (874,
	 * 932, 936, 949, 950, 125x, 437, 850...) are CPnnn to iconv. */
	if (codepage >= 28591 && codepage <= 28606)
		snprintf(buf, cap, "ISO-8859-%u", codepage - 28590);
	else
		snprintf(buf, cap, "CP%u", codepage);
	/* A number iconv does not know (a typo, a made-up one) would pass
	 * the bytes through as if UTF-8: the Western default instead. */
	if ((cd = iconv_open("UTF-8", buf)) == (iconv_t)-1)
		return "CP1252";
	iconv_close(cd);
	return buf;
}

/*
 * filetype.c - content to format (see filetype.h).
 *
 * libmagic decides the format and says whether text is ASCII, UTF-8 or
 * BOM'd UTF-16.  What it leaves open is settled here, only for text it
 * did not name as UTF-8 or ASCII (so the common case costs nothing): UTF-16
 * without a BOM (libmagic: binary), and 8-bit text (libmagic: iso-8859-1
 * or unknown-8bit), which may be Big5, GB18030, Latin-1 or windows-1252.
 */
#include "config.h"

#include "filetype.h"

#include "json.h"
#include "extract/decode.h"

#include <ctype.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/*
 * The thresholds of the guesses below, in percent.
 *
 * UTF-16: a byte order is taken when nearly all of its code units are
 * characters text is made of; but ASCII text read as UTF-16 is all CJK
 * ideographs ("Bush hid the facts"), so an order is refused when most of
 * its units are two printable ASCII bytes (real CJK UTF-16 has about one
 * in five such units, ASCII text all of them).
 */
#define UTF16_TEXT_PCT       95   /* units that are plausible characters
                                     (UTF-32 after a BOM too) */
#define UTF16_ASCII_PAIR_PCT 50   /* at most: units of two ASCII bytes */
/*
 * Big5 / GB18030: the head must decode with few errors, and either a fair
 * share of its ideographs are among the most common characters of that
 * script, or its high bytes come in runs (a Chinese text) rather than one
 * by one (accented letters in Latin-1).  Latin-1 text decoded as Big5 or
 * GB18030 gives rare characters only, never the common ones.
 */
#define CJK_ERROR_PCT        2    /* at most: invalid sequences per ideograph */
#define CJK_COMMON_PCT       2    /* common characters per ideograph */
#define CJK_PAIRED_PCT       50   /* high bytes next to another high byte */
#define CJK_PAIRED_MIN       4    /* ideographs needed by the runs test */

magic_t
ps_filetype_open(char *why, size_t whylen)
{
	size_t bytes_max = PS_SNIFF_BYTES;
	/* Compressed contents are our extractors' job, not libmagic's; its
	 * tar check (a header checksum) tells the old v7 archives, which
	 * have no magic string. */
	magic_t m = magic_open(MAGIC_MIME_TYPE | MAGIC_MIME_ENCODING
	    | MAGIC_NO_CHECK_COMPRESS | MAGIC_NO_CHECK_ELF
	    | MAGIC_ERROR);

	if (m == NULL) {
		snprintf(why, whylen, "libmagic: cannot start");
		return NULL;
	}
	if (magic_load(m, NULL) != 0) {
		snprintf(why, whylen, "libmagic: %s", magic_error(m));
		magic_close(m);
		return NULL;
	}
	magic_setparam(m, MAGIC_PARAM_BYTES_MAX, &bytes_max);
	return m;
}

/* Drop an incomplete UTF-8 sequence at the end, cut by the sniff size, so
 * that libmagic does not take the text for binary. */
static size_t
utf8_clean_length(const unsigned char *p, size_t len)
{
	size_t back = 0;

	while (back < 3 && back < len && (p[len - 1 - back] & 0xC0) == 0x80)
		back++;
	if (back < len) {
		unsigned char lead = p[len - 1 - back];
		size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;

		if (need > back + 1)
			return len - 1 - back;
	}
	return len;
}

static bool
has_suffix(const char *name, const char *suffix)
{
	size_t n = strlen(name), s = strlen(suffix);

	return n >= s && strcasecmp(name + n - s, suffix) == 0;
}

/* A code point that text is made of: letters of the common scripts,
 * CJK, punctuation; not controls, not unassigned-looking ranges. */
static bool
plausible(uint32_t c)
{
	return c == '\t' || c == '\n' || c == '\r' || (c >= 0x20 && c < 0x7F)
	    || (c >= 0xA0 && c < 0x0530)       /* Latin, Greek, Cyrillic */
	    || (c >= 0x0590 && c < 0x0700)     /* Hebrew, Arabic */
	    || (c >= 0x0E00 && c < 0x0E80)     /* Thai */
	    || (c >= 0x1E00 && c < 0x2200)     /* Latin extended, punctuation */
	    || (c >= 0x2460 && c < 0x2800)     /* enclosed, box drawing, shapes */
	    || (c >= 0x2E80 && c < 0xA000)     /* CJK */
	    || (c >= 0xAC00 && c < 0xD7A4)     /* Hangul */
	    || (c >= 0xF900 && c < 0xFB00)     /* CJK compatibility */
	    || (c >= 0xFE30 && c < 0xFE70)     /* CJK forms, small forms */
	    || (c >= 0xFF00 && c < 0xFFF0);    /* full and half width forms */
}

static bool
ascii_text_byte(unsigned char b)
{
	return (b >= 0x20 && b < 0x7F) || b == '\t' || b == '\n' || b == '\r';
}

/*
 * Does p[0..len) read as UTF-16 in this byte order?  *ascii counts units
 * in U+0000..U+00FF, the sign of Latin text in UTF-16.  A surrogate cut
 * by the end of the head is not held against it.
 */
static bool
utf16_fits(const unsigned char *p, size_t len, bool be, size_t *ascii,
    bool check_pairs)
{
	size_t units = len / 2, good = 0, pairs = 0;

	*ascii = 0;
	if (units == 0)
		return false;
	for (size_t i = 0; i < units; i++) {
		unsigned char lo = p[2 * i + be], hi = p[2 * i + !be];
		uint32_t u = (uint32_t)hi << 8 | lo;

		if (ascii_text_byte(lo) && ascii_text_byte(hi))
			pairs++;
		if (u >= 0xD800 && u < 0xDC00) {
			uint32_t v;

			if (i + 1 == units) {
				units--;
				break;
			}
			v = (uint32_t)p[2 * (i + 1) + !be] << 8 | p[2 * (i + 1) + be];
			if (v >= 0xDC00 && v < 0xE000) {
				good += 2;
				i++;
			}
			continue;
		}
		if (hi == 0 && plausible(u))
			(*ascii)++;
		if (plausible(u))
			good++;
	}
	if (units == 0)
		return false;
	if (check_pairs && pairs * 100 > units * UTF16_ASCII_PAIR_PCT)
		return false;
	return good * 100 >= units * UTF16_TEXT_PCT;
}

/* Does p[0..len) read as UTF-32 text in this byte order? */
static bool
utf32_fits(const unsigned char *p, size_t len, bool be)
{
	size_t units = len / 4, good = 0;

	for (size_t i = 0; i < units; i++) {
		const unsigned char *q = p + 4 * i;
		uint32_t u = be
		    ? (uint32_t)q[0] << 24 | (uint32_t)q[1] << 16 | (uint32_t)q[2] << 8 | q[3]
		    : (uint32_t)q[3] << 24 | (uint32_t)q[2] << 16 | (uint32_t)q[1] << 8 | q[0];

		if (plausible(u) || (u >= 0x10000 && u < 0x110000))
			good++;
	}
	return units > 0 && good * 100 >= units * UTF16_TEXT_PCT;
}

/* "utf-16le" or "utf-16be" when the head is BOM-less UTF-16 text. */
static const char *
utf16_guess(const unsigned char *p, size_t len)
{
	size_t le_ascii, be_ascii;
	bool le, be;

	if (len < 4)
		return NULL;
	le = utf16_fits(p, len, false, &le_ascii, true);
	be = utf16_fits(p, len, true, &be_ascii, true);
	/* Both can fit (Latin text read in the wrong order is CJK); the
	 * order that gives Latin letters is the one it was written in. */
	if (le && (!be || le_ascii >= be_ascii))
		return "utf-16le";
	if (be)
		return "utf-16be";
	return NULL;
}

/* The most common characters of each script and of personal data forms,
 * all three bytes long in UTF-8. */
static const char trad_common[] =
    "的是不了人在有我他這個們中來上大為和國到說時要就會也你對能得於著"
    "下自之年過後裡用身份證號碼姓名電話地址卡信";
static const char simp_common[] =
    "的是不了人在有我他这个们中来上大为和国到说时要就会也你对能得于着"
    "下自之年过后里用身份证号码姓名电话地址卡信";
#define COMMON_MAX ((sizeof trad_common - 1) / 3)
_Static_assert(sizeof simp_common == sizeof trad_common,
    "one common character for another");

/* What decoding the head as one charset gave.  Distinct common characters
 * decide between scripts: the wrong script's reading of a repeated name
 * can hit one common character many times, real text hits many. */
struct cjk_trial {
	const char *common;             /* the script's common characters */
	size_t ideographs, hits, distinct, errors;
	bool seen[COMMON_MAX];
};

static enum ps_error
count_cjk(void *ctx, const char *utf8, size_t len)
{
	struct cjk_trial *t = ctx;
	const unsigned char *p = (const unsigned char *)utf8;

	/* The decoder emits whole characters. */
	for (size_t i = 0; i < len; ) {
		unsigned char b = p[i];
		size_t n = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
		uint32_t c;

		if (i + n > len)
			break;
		if (n == 3) {
			c = (uint32_t)(b & 0x0F) << 12 | (uint32_t)(p[i + 1] & 0x3F) << 6
			    | (p[i + 2] & 0x3F);
			if ((c >= 0x3400 && c < 0xA000) || (c >= 0xF900 && c < 0xFB00)) {
				t->ideographs++;
				for (size_t k = 0; t->common[3 * k] != '\0'; k++)
					if (memcmp(t->common + 3 * k, p + i, 3) == 0) {
						t->hits++;
						if (!t->seen[k]) {
							t->seen[k] = true;
							t->distinct++;
						}
						break;
					}
			}
		} else if (n == 4) {
			t->ideographs++;        /* CJK extension B and beyond */
		}
		i += n;
	}
	return PS_OK;
}

/* Decode the head as charset; false when out of memory. */
static bool
cjk_try(const unsigned char *head, size_t len, const char *charset,
    struct cjk_trial *t)
{
	struct ps_decoder *d;
	bool done;

	t->ideographs = t->hits = t->distinct = t->errors = 0;
	memset(t->seen, 0, sizeof t->seen);
	if (ps_decoder_new(charset, &d) != PS_OK)
		return false;
	/* No finish: a character cut by the sniff size is no error. */
	done = ps_decoder_feed(d, head, len, count_cjk, t) == PS_OK
	    && ps_decoder_charset(d) != NULL;
	t->errors = ps_decoder_errors(d);
	ps_decoder_free(d);
	return done;
}

static bool
cjk_fits(const struct cjk_trial *t, size_t high, size_t paired)
{
	if (t->ideographs == 0 || t->errors * 100 > t->ideographs * CJK_ERROR_PCT)
		return false;
	if (t->hits > 0 && t->hits * 100 >= t->ideographs * CJK_COMMON_PCT)
		return true;
	return t->ideographs >= CJK_PAIRED_MIN
	    && paired * 100 >= high * CJK_PAIRED_PCT;
}

/* Is a better than b?  More distinct common characters, then fewer
 * errors; a tie goes to a (Big5, tried first: Hong Kong files are the
 * first users). */
static bool
cjk_better(const struct cjk_trial *a, const struct cjk_trial *b)
{
	if (a->distinct != b->distinct)
		return a->distinct > b->distinct;
	return a->errors <= b->errors;
}

/* "big5hkscs", "big5" or "gb18030" when the 8-bit head is Chinese. */
static const char *
cjk_guess(const unsigned char *p, size_t len)
{
	struct cjk_trial hk = { .common = trad_common }, b5 = { .common = trad_common };
	struct cjk_trial gb = { .common = simp_common }, *big5 = &hk;
	const char *big5_name = "big5hkscs";
	size_t high = 0, paired = 0;
	bool big5_ok, gb_ok;

	for (size_t i = 0; i < len; i++)
		if (p[i] >= 0x80) {
			high++;
			if ((i > 0 && p[i - 1] >= 0x80) || (i + 1 < len && p[i + 1] >= 0x80))
				paired++;
		}
	if (high < 2)
		return NULL;
	/* HKSCS is Big5 with the Hong Kong characters added; plain Big5
	 * only where a vendor extension made HKSCS stumble. */
	if (!cjk_try(p, len, "BIG5-HKSCS", &hk))
		return NULL;
	if (hk.errors > 0 && cjk_try(p, len, "BIG5", &b5) && b5.errors < hk.errors) {
		big5 = &b5;
		big5_name = "big5";
	}
	if (!cjk_try(p, len, "GB18030", &gb))
		return NULL;
	big5_ok = cjk_fits(big5, high, paired);
	gb_ok = cjk_fits(&gb, high, paired);
	if (big5_ok && (!gb_ok || cjk_better(big5, &gb)))
		return big5_name;
	if (gb_ok)
		return "gb18030";
	return NULL;
}

/* Does the head decode as charset without an error? */
static bool
decodes_cleanly(const unsigned char *p, size_t len, const char *charset)
{
	struct cjk_trial t = { .common = "" };

	return cjk_try(p, len, charset, &t) && t.errors == 0;
}

const char *
ps_filetype_guess_8bit(const unsigned char *p, size_t len)
{
	const char *guess = cjk_guess(p, len);

	if (guess == NULL && decodes_cleanly(p, len, "WINDOWS-1252"))
		guess = "windows-1252";
	return guess;
}

static void
set_charset(struct ps_filetype *out, const char *charset)
{
	ps_put_str(out->charset, out->charset + sizeof out->charset, charset);
}

static void
set_charset_lower(struct ps_filetype *out, const char *charset)
{
	size_t i;

	for (i = 0; charset[i] != '\0' && i + 1 < sizeof out->charset; i++)
		out->charset[i] = (char)tolower((unsigned char)charset[i]);
	out->charset[i] = '\0';
}

/*
 * The charset of text libmagic did not name as UTF-8 or ASCII, in
 * out->charset.  Returns true when the head is UTF-16 or UTF-32 text,
 * which libmagic may have taken for binary.
 */
static bool
refine_charset(const unsigned char *head, size_t len, struct ps_filetype *out)
{
	const char *cs = out->charset, *bom_cs, *guess;
	size_t bom = ps_bom_sniff(head, len, &bom_cs), ascii;
	bool unknown = strcmp(out->mime, "application/octet-stream") == 0;

	/* libmagic names UTF-16 itself when it sees a BOM and text after. */
	if (strncasecmp(cs, "utf-16", 6) == 0 || strncasecmp(cs, "utf-32", 6) == 0)
		return true;
	if (bom_cs != NULL && strcmp(bom_cs, "UTF-8") != 0) {
		/* A BOM on what libmagic took for binary: believe it when the
		 * rest reads as text in that encoding. */
		bool be = strstr(bom_cs, "BE") != NULL, fits;

		if (!unknown)
			return false;
		if (strncmp(bom_cs, "UTF-16", 6) == 0)
			fits = utf16_fits(head + bom, len - bom, be, &ascii, false);
		else
			fits = utf32_fits(head + bom, len - bom, be);
		if (!fits)
			return false;
		set_charset_lower(out, bom_cs);
		return true;
	}
	if (strcmp(cs, "binary") == 0) {
		if (!unknown || (guess = utf16_guess(head, len)) == NULL)
			return false;
		set_charset(out, guess);
		return true;
	}
	/* 8-bit text: only the charset is ours to settle; whether it is
	 * text at all (not a PDF) libmagic said with the MIME type. */
	if (out->extractor == NULL)
		return false;
	if (strcmp(cs, "iso-8859-1") == 0)
		guess = cjk_guess(head, len);
	else if (strcmp(cs, "unknown-8bit") == 0)
		guess = ps_filetype_guess_8bit(head, len);
	else
		guess = NULL;
	if (guess != NULL)
		set_charset(out, guess);
	return false;
}

/* Text libmagic found to be UTF-8 or ASCII: nothing to refine. */
static bool
utf8_or_ascii(const char *charset)
{
	return strcmp(charset, "utf-8") == 0 || strcmp(charset, "us-ascii") == 0;
}

/* Lines with the same number of delimiters (at least one), three or more
 * of them (or all the head has, at least two): what libmagic calls CSV. */
static bool
looks_like_csv(const unsigned char *p, size_t len)
{
	static const char delims[] = ",\t;|";
	const unsigned char *eol = memchr(p, '\n', len);

	if (eol == NULL)
		return false;
	for (const char *d = delims; *d != '\0'; d++) {
		size_t lines = 0, want = 0, count = 0;
		bool quoted = false, same = true;

		/* The first line must hold the delimiter (quoted or not). */
		if (memchr(p, *d, (size_t)(eol - p)) == NULL)
			continue;

		for (size_t i = 0; i < len && lines < 8 && same; i++) {
			if (p[i] == '"')
				quoted = !quoted;
			else if (!quoted && p[i] == (unsigned char)*d)
				count++;
			else if (!quoted && p[i] == '\n') {
				if (lines == 0)
					want = count;
				else if (count != want)
					same = false;
				lines++;
				count = 0;
			}
		}
		if (same && want > 0 && lines >= (len == PS_SNIFF_BYTES ? 3 : 2))
			return true;
	}
	return false;
}

static bool
starts_with_nocase(const unsigned char *p, size_t len, const char *word)
{
	size_t n = strlen(word);

	return len >= n && strncasecmp((const char *)p, word, n) == 0;
}

/* Bytes of text: ASCII that text holds (printable, white space, escape),
 * controls that it does not, and the bytes of UTF-8 sequences. */
enum { TEXT_CONTROL, TEXT_ASCII, TEXT_HIGH };
static const unsigned char text_byte[256] = {
	['\t'] = TEXT_ASCII, ['\n'] = TEXT_ASCII, ['\v'] = TEXT_ASCII,
	['\f'] = TEXT_ASCII, ['\r'] = TEXT_ASCII, [0x1b] = TEXT_ASCII,
	[0x20 ... 0x7e] = TEXT_ASCII,
	[0x80 ... 0xff] = TEXT_HIGH,
};

/* Whether the 8 bytes at p are all printable ASCII (0x20 to 0x7e). */
static bool
printable8(const unsigned char *p)
{
	const uint64_t ones = 0x0101010101010101ULL, high = 0x8080808080808080ULL;
	uint64_t w, del;

	memcpy(&w, p, sizeof w);
	del = w ^ (0x7f * ones);
	/* No byte with its high bit set, none below 0x20, none equal to 0x7f
	 * (the classic has-less and has-zero tests, exact for "any"). */
	return (w & high) == 0 && ((w - 0x20 * ones) & ~w & high) == 0
	    && ((del - ones) & ~del & high) == 0;
}

#if defined(__SSE2__)
/* Whether the 16 bytes at p are all TEXT_ASCII: printable, white space
 * (\t to \r) or escape. */
static bool
ascii_text16(const unsigned char *p)
{
	__m128i x = _mm_loadu_si128((const __m128i *)(const void *)p);
	/* Signed: bytes from 0x80 are negative, so not above 0x1f. */
	__m128i printable = _mm_andnot_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8(0x7f)),
	    _mm_cmpgt_epi8(x, _mm_set1_epi8(0x1f)));
	/* \t..\r + 0x77 are 0x80..0x84, the five smallest signed bytes. */
	__m128i space = _mm_cmplt_epi8(_mm_add_epi8(x, _mm_set1_epi8(0x77)),
	    _mm_set1_epi8(-128 + 5));
	__m128i escape = _mm_cmpeq_epi8(x, _mm_set1_epi8(0x1b));

	return _mm_movemask_epi8(_mm_or_si128(_mm_or_si128(printable, space), escape))
	    == 0xffff;
}
#endif

/* The fast path's types and their extractors, looked up once (the table
 * lookup matches patterns; every small file would pay it). */
enum fast_type { ZIP, GZIP, PDF, PST, OST, RTF, EML, MBOX, HTML, XML, JSON,
	CSV, TEXT };
static const char *const fast_mimes[] = { [ZIP] = "application/zip",
	[GZIP] = "application/gzip", [PDF] = "application/pdf",
	[RTF] = "text/rtf",
	[PST] = "application/vnd.ms-outlook", [OST] = "application/vnd.ms-outlook",
	[EML] = "message/rfc822", [MBOX] = "application/mbox",
	[HTML] = "text/html", [XML] = "text/xml",
	[JSON] = "application/json", [CSV] = "text/csv", [TEXT] = "text/plain" };
/* Types whose MIME type names another format too (an Outlook .msg file is
 * application/vnd.ms-outlook as well): their extractor is found by type. */
static const char *const fast_type_ids[] = { [PST] = "pst", [OST] = "ost" };
static const struct ps_extractor *_Atomic fast_extractors[
    sizeof fast_mimes / sizeof fast_mimes[0]];

static void
set_fast_type(struct ps_filetype *out, enum fast_type which, const char *charset)
{
	const struct ps_extractor *x = atomic_load_explicit(&fast_extractors[which],
	    memory_order_relaxed);

	if (x == NULL) {
		/* Threads racing here store the same pointer. */
		if ((size_t)which < sizeof fast_type_ids / sizeof fast_type_ids[0]
		    && fast_type_ids[which] != NULL)
			x = ps_extractor_by_type(fast_type_ids[which]);
		else
			x = ps_extractor_for_mime(fast_mimes[which]);
		atomic_store_explicit(&fast_extractors[which], x, memory_order_relaxed);
	}
	ps_put_str(out->mime, out->mime + sizeof out->mime, fast_mimes[which]);
	ps_put_str(out->charset, out->charset + sizeof out->charset, charset);
	out->extractor = x;
}

/* The length of the header field name at p ("Subject" of "Subject: x"),
 * 0 when the line is not a header field. */
static size_t
field_name(const unsigned char *p, size_t len)
{
	size_t i = 0;

	/* RFC 5322: printable ASCII but the colon; no space before it. */
	while (i < len && i < 80 && p[i] > 0x20 && p[i] < 0x7f && p[i] != ':')
		i++;
	return i > 0 && i < len && p[i] == ':' ? i : 0;
}

static bool
name_is(const unsigned char *p, size_t n, const char *name)
{
	return strlen(name) == n && strncasecmp((const char *)p, name, n) == 0;
}

/* A field only mail has (a note may start "Date:" or "X-Foo:" too). */
static bool
mail_field(const unsigned char *p, size_t n)
{
	static const char *const names[] = { "From", "To", "Cc", "Subject",
		"Message-ID", "Received", "Return-Path", "MIME-Version",
		"Delivered-To", "Reply-To", "Sender", NULL };

	for (const char *const *s = names; *s != NULL; s++)
		if (name_is(p, n, *s))
			return true;
	return false;
}

/*
 * Mail, by its first bytes: EML when the head opens with a block of header
 * fields (a known one first, at least two, one only mail has), MBOX when
 * an mbox "From " line comes before such a field; TEXT when neither.
 */
static enum fast_type
mail_guess(const unsigned char *head, size_t len)
{
	const unsigned char *p = head, *end = head + len, *eol;
	size_t fields = 0, n;
	bool mbox = false, strong = false;

	if (len >= 5 && memcmp(head, "From ", 5) == 0) {
		if ((eol = memchr(head, '\n', len < 1024 ? len : 1024)) == NULL)
			return TEXT;
		mbox = true;
		p = eol + 1;
	}
	n = field_name(p, (size_t)(end - p));
	if (n == 0 || !(mail_field(p, n) || name_is(p, n, "Date")
	    || (n > 2 && strncasecmp((const char *)p, "X-", 2) == 0)))
		return TEXT;
	/* The header block, as far as the head holds it, is all fields and
	 * their continuation lines. */
	while (p < end && fields < 64) {
		if (*p == '\n' || (*p == '\r' && p + 1 < end && p[1] == '\n'))
			break;
		if (*p == ' ' || *p == '\t') {
			if (fields == 0)
				return TEXT;
		} else if ((n = field_name(p, (size_t)(end - p))) > 0) {
			fields++;
			strong = strong || mail_field(p, n);
		} else {
			return TEXT;
		}
		if ((eol = memchr(p, '\n', (size_t)(end - p))) == NULL)
			break;
		p = eol + 1;
	}
	if (mbox)
		return fields >= 1 ? MBOX : TEXT;
	return fields >= 2 && strong ? EML : TEXT;
}

/*
 * Cheap decisions before libmagic, which costs far more than reading a
 * small file: the zip, gzip, PDF, Outlook store and RTF signatures, mail (by
 * its header fields or mbox "From " line), and text that is plain
 * ASCII or UTF-8 (no NUL, no control character but white space and
 * escape), classed as XML, HTML, JSON or CSV by its first bytes.  Anything
 * else is left to libmagic.
 */
static bool
fast_path(const unsigned char *head, size_t len, struct ps_filetype *out)
{
	enum fast_type type;
	bool ascii = true;
	size_t n = utf8_clean_length(head, len), i = 0, start;

	if (len >= 4 && memcmp(head, "PK\x03\x04", 4) == 0) {
		set_fast_type(out, ZIP, "binary");
		return true;
	}
	if (len >= 3 && head[0] == 0x1f && head[1] == 0x8b && head[2] == 8) {
		set_fast_type(out, GZIP, "binary");
		return true;
	}
	if (len >= 5 && memcmp(head, "%PDF-", 5) == 0) {
		/* Some are all ASCII: not text. */
		set_fast_type(out, PDF, "binary");
		return true;
	}
	/* Outlook stores: "!BDN", a CRC, then the client: "SM" a personal
	 * store, "SO" an offline one (libmagic would send both to OLE2). */
	if (len >= 10 && memcmp(head, "!BDN", 4) == 0
	    && (memcmp(head + 8, "SM", 2) == 0 || memcmp(head + 8, "SO", 2) == 0)) {
		set_fast_type(out, head[9] == 'O' ? OST : PST, "binary");
		return true;
	}
	/* RTF opens with this (and may hold raw 8-bit text); not JSON. */
	if (len >= 5 && memcmp(head, "{\\rtf", 5) == 0) {
		set_fast_type(out, RTF, "binary");
		return true;
	}
	/* Before the text test: mail may hold 8-bit text, and is no plain
	 * text whatever it holds. */
	if ((type = mail_guess(head, len)) != TEXT) {
		set_fast_type(out, type, "");
		return true;
	}
	while (i < n) {
		size_t k;

		/* The common case first, many bytes at a time. */
#if defined(__SSE2__)
		while (i + 16 <= n && ascii_text16(head + i))
			i += 16;
#endif
		while (i + 8 <= n && printable8(head + i))
			i += 8;
		if (i >= n)
			break;
		if (text_byte[head[i]] == TEXT_ASCII) {
			i++;
			continue;
		}
		if (text_byte[head[i]] == TEXT_CONTROL
		    || (k = ps_utf8_char_len(head + i, n - i)) == 0)
			return false;
		ascii = false;
		i += k;
	}
	start = n >= 3 && memcmp(head, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
	while (start < n && (head[start] == ' ' || head[start] == '\t'
	    || head[start] == '\r' || head[start] == '\n'))
		start++;
	if (starts_with_nocase(head + start, n - start, "<!doctype html")
	    || starts_with_nocase(head + start, n - start, "<html"))
		type = HTML;
	else if (starts_with_nocase(head + start, n - start, "<?xml"))
		type = memmem(head, n < 1024 ? n : 1024, "<html", 5) != NULL ? HTML : XML;
	else if (start < n && head[start] == '{')
		type = JSON;
	else if (looks_like_csv(head, n))
		type = CSV;
	else
		type = TEXT;
	set_fast_type(out, type, ascii ? "us-ascii" : "utf-8");
	return true;
}

void
ps_filetype_detect(magic_t magic, const unsigned char *head, size_t len,
    const char *name, struct ps_filetype *out)
{
	const char *desc, *semi, *cs;

	memset(out, 0, sizeof *out);
	if (len == 0) {
		snprintf(out->mime, sizeof out->mime, "application/x-empty");
		out->type = "empty";
		return;
	}
	if (fast_path(head, len, out))
		goto named;
	desc = magic_buffer(magic, head, utf8_clean_length(head, len));
	if (desc == NULL)
		desc = "application/octet-stream";
	semi = strchr(desc, ';');
	snprintf(out->mime, sizeof out->mime, "%.*s",
	    (int)(semi != NULL ? (size_t)(semi - desc) : strlen(desc)), desc);
	if (semi != NULL && (cs = strstr(semi, "charset=")) != NULL)
		ps_put_str(out->charset, out->charset + sizeof out->charset, cs + 8);
	out->extractor = ps_extractor_for_mime(out->mime);
	/* libmagic names some zips only in words (OOXML it cannot refine, an
	 * ODF whose mimetype member is compressed): the signature is enough. */
	if (out->extractor == NULL && len >= 4 && memcmp(head, "PK\x03\x04", 4) == 0)
		out->extractor = ps_extractor_by_type("zip");
	/* UTF-8 and ASCII (nearly every file) need nothing more. */
	if (!utf8_or_ascii(out->charset) && refine_charset(head, len, out)
	    && out->extractor == NULL) {
		snprintf(out->mime, sizeof out->mime, "text/plain");
		out->extractor = ps_extractor_by_type("text");
	}
named:
	/* libmagic names CSV only when it is sure; a .csv/.tsv name on text
	 * content is enough. */
	if (out->extractor != NULL && strcmp(out->extractor->type, "text") == 0
	    && name != NULL && (has_suffix(name, ".csv") || has_suffix(name, ".tsv")
		|| has_suffix(name, ".tab")))
		out->extractor = ps_extractor_by_type("csv");
	out->type = out->extractor != NULL ? out->extractor->type : out->mime;
}

/*
 * test_decode.c - text encodings: the decoder (BOMs, UTF-16 with and
 * without BOM, Big5, GB18030, Latin-1, characters cut between pieces,
 * invalid input), charset detection in filetype.c, and decoded text
 * through the text and CSV extractors into a capturing sink and the
 * matcher.  Byte sequences come from iconv(1) (-f utf-8 -t big5 etc.).
 */
#include "config.h"

#include <stdlib.h>

#include "../unit/tap.h"
#include "../unit/capture.h"
#include "extract.h"
#include "extract/decode.h"
#include "filetype.h"
#include "match.h"

/* "身份證號碼 A123456(3)" in UTF-8, Big5 and GB18030 (simplified). */
#define ID_UTF8  "\xe8\xba\xab\xe4\xbb\xbd\xe8\xad\x89\xe8\x99\x9f\xe7\xa2\xbc A123456(3)"
#define ID_BIG5  "\xa8\xad\xa5\xf7\xc3\xd2\xb8\xb9\xbd\x58 A123456(3)"
#define ID_GB    "\xc9\xed\xb7\xdd\xd6\xa4\xba\xc5\xc2\xeb A123456(3)"
#define IDS_UTF8 "\xe8\xba\xab\xe4\xbb\xbd\xe8\xaf\x81\xe5\x8f\xb7\xe7\xa0\x81 A123456(3)"

/* Everything emitted, and how it was emitted. */
struct out {
	char *buf;
	size_t len, cap, calls;
	const char *last;           /* pointer of the last piece */
};

static enum ps_error
collect(void *ctx, const char *utf8, size_t len)
{
	struct out *o = ctx;

	if (o->len + len + 1 > o->cap) {
		size_t cap = (o->len + len + 1) * 2;
		char *grown = realloc(o->buf, cap);

		if (grown == NULL)
			return PS_ERR_NOMEM;
		o->buf = grown;
		o->cap = cap;
	}
	memcpy(o->buf + o->len, utf8, len);
	o->len += len;
	o->buf[o->len] = '\0';
	o->calls++;
	o->last = utf8;
	return PS_OK;
}

static void
out_reset(struct out *o)
{
	o->len = o->calls = 0;
	o->last = NULL;
	if (o->buf != NULL)
		o->buf[0] = '\0';
}

static struct out got;
static size_t last_errors;
static char last_charset[32];

/* Decode in[0..len) from charset in pieces of `piece` bytes (0: one). */
static const char *
decode(const char *charset, const void *in, size_t len, size_t piece)
{
	struct ps_decoder *d;
	const unsigned char *p = in;
	enum ps_error err = PS_OK;

	out_reset(&got);
	collect(&got, "", 0);
	got.calls = 0;
	if (ps_decoder_new(charset, &d) != PS_OK)
		return "(nomem)";
	if (piece == 0)
		piece = len > 0 ? len : 1;
	for (size_t off = 0; off < len && err == PS_OK; off += piece)
		err = ps_decoder_feed(d, p + off, len - off < piece ? len - off : piece,
		    collect, &got);
	if (err == PS_OK)
		err = ps_decoder_finish(d, collect, &got);
	last_errors = ps_decoder_errors(d);
	snprintf(last_charset, sizeof last_charset, "%s",
	    ps_decoder_charset(d) != NULL ? ps_decoder_charset(d) : "(none)");
	ps_decoder_free(d);
	return err == PS_OK ? got.buf : "(error)";
}

#define DEC(cs, bytes, piece) decode(cs, bytes, sizeof(bytes) - 1, piece)

static void
test_passthrough(void)
{
	static const char text[] = "card 4111 1111 1111 1111\n";
	struct ps_decoder *d;
	const char *cs;

	ok(ps_charset_is_passthrough(NULL) && ps_charset_is_passthrough("utf-8")
	    && ps_charset_is_passthrough("us-ascii") && ps_charset_is_passthrough("binary")
	    && !ps_charset_is_passthrough("utf-16le") && !ps_charset_is_passthrough("big5"),
	    "pass-through charsets");
	out_reset(&got);
	ps_decoder_new("utf-8", &d);
	ps_decoder_feed(d, text, sizeof text - 1, collect, &got);
	ps_decoder_finish(d, collect, &got);
	ok(got.calls == 1 && got.last == text && got.len == sizeof text - 1,
	    "UTF-8: the caller's own bytes, one call, no copy");
	ok(ps_decoder_charset(d) == NULL, "UTF-8: no converter");
	ps_decoder_free(d);
	ps_decoder_free(NULL);

	is_str(DEC("utf-8", "\xef\xbb\xbfhi\n", 0), "hi\n", "UTF-8 BOM dropped");
	is_str(DEC("utf-8", "\xef\xbb\xbfhi\n", 1), "hi\n", "UTF-8 BOM dropped, 1-byte pieces");
	is_str(DEC(NULL, "\xef\xbb", 1), "\xef\xbb", "half a BOM at the end is text");
	is_str(DEC(NULL, "a", 0), "a", "one byte");
	is_str(DEC(NULL, "\xff", 0), "\xff", "a lone 0xFF passes through");
	is_str(DEC("x-no-such-charset", "abc\xe9", 0), "abc\xe9",
	    "a charset iconv does not know passes through");
	is_str(last_charset, "(none)", "... without a converter");

	is_int(ps_bom_sniff((const unsigned char *)"\xff\xfe\x00\x00", 4, &cs), 4,
	    "BOM: UTF-32LE is 4 bytes");
	is_str(cs, "UTF-32LE", "BOM: FF FE 00 00 is UTF-32LE");
	is_int(ps_bom_sniff((const unsigned char *)"\xff\xfe" "A", 3, &cs), 2,
	    "BOM: UTF-16LE is 2 bytes");
	is_int(ps_bom_sniff((const unsigned char *)"abc", 3, &cs), 0, "BOM: none");
	ok(cs == NULL, "BOM: none names no charset");
}

static void
test_utf16(void)
{
	/* "Card 4111 1111 1111 1111\n身份證" */
	static const char le[] =
	    "C\0a\0r\0d\0 \0" "4\0" "1\0" "1\0" "1\0 \0" "1\0" "1\0" "1\0" "1\0 \0"
	    "1\0" "1\0" "1\0" "1\0 \0" "1\0" "1\0" "1\0" "1\0\n\0"
	    "\xab\x8e\xfd\x4e\x49\x8b";
	static const char want[] = "Card 4111 1111 1111 1111\n"
	    "\xe8\xba\xab\xe4\xbb\xbd\xe8\xad\x89";
	char be[sizeof le + 2], bom_le[sizeof le + 2];
	size_t n = sizeof le - 1;

	be[0] = '\xfe';
	be[1] = '\xff';
	for (size_t i = 0; i < n; i += 2) {
		be[2 + i] = le[i + 1];
		be[2 + i + 1] = le[i];
	}
	memcpy(bom_le, "\xff\xfe", 2);
	memcpy(bom_le + 2, le, n);

	is_str(decode("utf-16le", le, n, 0), want, "UTF-16LE without BOM");
	is_str(decode("utf-16le", le, n, 1), want, "UTF-16LE without BOM, 1-byte pieces");
	is_str(decode("utf-16le", le, n, 3), want, "UTF-16LE without BOM, 3-byte pieces");
	is_str(decode("utf-16be", be + 2, n, 1), want, "UTF-16BE without BOM, 1-byte pieces");
	is_str(decode(NULL, be, n + 2, 1), want,
	    "UTF-16BE BOM, no charset declared, 1-byte pieces");
	is_str(last_charset, "UTF-16BE", "... the BOM chose UTF-16BE");
	is_str(decode("utf-16le", bom_le, n + 2, 1), want,
	    "UTF-16LE BOM with charset utf-16le: BOM dropped, not U+FEFF");
	is_str(decode("iso-8859-1", bom_le, n + 2, 0), want, "a BOM wins over the charset");
	is_int(last_errors, 0, "... without errors");

	/* U+1F600 as a surrogate pair, cut at every place. */
	for (size_t piece = 1; piece <= 3; piece++) {
		is_str(DEC("utf-16le", "a\0\x3d\xd8\x00\xde" "b\0", piece),
		    "a\xf0\x9f\x98\x80" "b", "surrogate pair in %zu-byte pieces", piece);
	}
	is_str(DEC(NULL, "\xff\xfe\x00\x00" "A\0\0\0\x00\xf6\x01\x00", 1),
	    "A\xf0\x9f\x98\x80", "UTF-32LE BOM, 1-byte pieces");
	is_str(DEC(NULL, "\xff\xfe", 0), "", "a UTF-16 BOM alone is empty text");
}

static void
test_cjk(void)
{
	is_str(DEC("big5", ID_BIG5, 0), ID_UTF8, "Big5 to UTF-8");
	is_str(DEC("big5", ID_BIG5, 1), ID_UTF8, "Big5 in 1-byte pieces");
	is_str(DEC("big5hkscs", ID_BIG5, 1), ID_UTF8, "Big5-HKSCS in 1-byte pieces");
	is_int(last_errors, 0, "... without errors");
	is_str(DEC("gb18030", ID_GB, 0), IDS_UTF8, "GB18030 to UTF-8");
	is_str(DEC("gb18030", ID_GB, 1), IDS_UTF8, "GB18030 in 1-byte pieces");
	is_str(DEC("gb18030", "x\x95\x32\x82\x36y", 1), "x\xf0\xa0\x80\x80y",
	    "GB18030 four-byte sequence in 1-byte pieces");
	is_str(DEC("iso-8859-1", "caf\xe9", 0), "caf\xc3\xa9", "Latin-1 \"caf\\xe9\" to UTF-8");
	is_str(DEC("windows-1252", "\x93hi\x94 \x80", 0),
	    "\xe2\x80\x9chi\xe2\x80\x9d \xe2\x82\xac", "windows-1252 quotes and euro");
}

static void
test_invalid(void)
{
	is_str(DEC("utf-16le", "a\0\x00\xdc" "b\0", 0), "a\xef\xbf\xbd" "b",
	    "UTF-16LE lone low surrogate: U+FFFD, then on");
	is_int(last_errors, 1, "... one error");
	is_str(DEC("utf-16le", "a\0\x3d\xd8" "b\0", 1), "a\xef\xbf\xbd" "b",
	    "UTF-16LE lone high surrogate in 1-byte pieces");
	is_str(DEC("utf-16le", "a\0b", 0), "a\xef\xbf\xbd", "UTF-16LE odd byte at the end");
	is_str(DEC("big5", "A\xa4 B", 0), "A\xef\xbf\xbd B",
	    "Big5 lead byte without trail: U+FFFD, the space kept");
	is_str(DEC("big5", "A\xa4", 1), "A\xef\xbf\xbd", "Big5 cut at the end");
	is_str(DEC("gb18030", "\x95\x32", 0), "\xef\xbf\xbd", "GB18030 cut at the end");
	is_str(DEC("windows-1252", "a\x81" "b", 0), "a\xef\xbf\xbd" "b",
	    "windows-1252 unassigned byte");
	is_str(DEC("utf-8", "a\xff" "b", 0), "a\xff" "b", "UTF-8 is not validated");
}

/* Much more output than the decoder's buffer, in odd-sized pieces. */
static void
test_large(void)
{
	size_t chars = 100000, n = chars * 2;
	unsigned char *in = malloc(n);
	bool same = true;

	if (in == NULL)
		return;
	for (size_t i = 0; i < chars; i++) {
		in[2 * i] = 0xAB;           /* U+8EAB 身 */
		in[2 * i + 1] = 0x8E;
	}
	decode("utf-16le", in, n, 4097);
	is_int(got.len, chars * 3, "300 KB of UTF-8 from 200 KB of UTF-16");
	for (size_t i = 0; i < chars && same; i++)
		same = memcmp(got.buf + 3 * i, "\xe8\xba\xab", 3) == 0;
	ok(same && last_errors == 0, "... every character whole, no error");
	free(in);
}

/* Whether s[0..len) is well-formed UTF-8 (no surrogates, <= U+10FFFF). */
static bool
valid_utf8(const unsigned char *s, size_t len)
{
	for (size_t i = 0; i < len; ) {
		unsigned char b = s[i];
		size_t n = b < 0x80 ? 1 : b >= 0xC2 && b < 0xE0 ? 2
		    : b >= 0xE0 && b < 0xF0 ? 3 : b >= 0xF0 && b < 0xF5 ? 4 : 0;
		uint32_t c;

		if (n == 0 || i + n > len)
			return false;
		c = n == 1 ? b : (uint32_t)(b & (0x7F >> n));
		for (size_t k = 1; k < n; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				return false;
			c = c << 6 | (s[i + k] & 0x3F);
		}
		if ((n == 3 && c < 0x800) || (n == 4 && (c < 0x10000 || c > 0x10FFFF))
		    || (c >= 0xD800 && c < 0xE000))
			return false;
		i += n;
	}
	return true;
}

/* Random bytes in random pieces: decoding always ends, never stops on
 * bad input, and gives well-formed UTF-8 of bounded size. */
static void
test_random(void)
{
	static const char *const charsets[] = { "utf-16le", "utf-16be", "utf-32le",
		"big5hkscs", "big5", "gb18030", "windows-1252", "iso-8859-1" };
	size_t n = 65536;
	unsigned char *in = malloc(n);

	if (in == NULL)
		return;
	srand(1);
	for (size_t c = 0; c < sizeof charsets / sizeof charsets[0]; c++) {
		struct ps_decoder *d;
		enum ps_error err;
		size_t off = 0;

		for (size_t i = 0; i < n; i++)
			in[i] = (unsigned char)(rand() >> 5);
		out_reset(&got);
		if (ps_decoder_new(charsets[c], &d) != PS_OK)
			break;
		for (err = PS_OK; off < n && err == PS_OK; ) {
			size_t piece = 1 + (size_t)rand() % 700;

			if (piece > n - off)
				piece = n - off;
			err = ps_decoder_feed(d, in + off, piece, collect, &got);
			off += piece;
		}
		if (err == PS_OK)
			err = ps_decoder_finish(d, collect, &got);
		ok(err == PS_OK && valid_utf8((unsigned char *)got.buf, got.len)
		    && got.len <= 3 * n, "%s: random bytes decode to valid UTF-8 "
		    "(%zu bytes, %zu replaced)", charsets[c], got.len, ps_decoder_errors(d));
		ps_decoder_free(d);
	}
	free(in);
}

/* Detection through libmagic and filetype.c. */
static void
test_detect(void)
{
	static const char ascii[] = "Card number 4111 1111 1111 1111 on file.\n"
	    "Second line of plain text.\n";
	static const char trad[] =
	    "\xe5\xa7\x93\xe5\x90\x8d: \xe9\x99\xb3\xe5\xa4\xa7\xe6\x96\x87\n"
	    ID_UTF8 "\n"
	    "\xe9\x80\x99\xe6\x98\xaf\xe6\x88\x91\xe5\x80\x91\xe7\x9a\x84"
	    "\xe8\xb3\x87\xe6\x96\x99\xe3\x80\x82\n";
	char why[256];
	magic_t mg = ps_filetype_open(why, sizeof why);
	struct ps_filetype ft;
	static unsigned char buf[PS_SNIFF_BYTES];
	size_t n;

	if (!ok(mg != NULL, "libmagic opens")) {
		printf("# %s\n", why);
		return;
	}
	/* ASCII text as UTF-16LE without BOM, repeated to a realistic size. */
	n = 0;
	while (n + 2 * (sizeof ascii - 1) <= 4000)
		for (size_t i = 0; i < sizeof ascii - 1; i++, n += 2) {
			buf[n] = (unsigned char)ascii[i];
			buf[n + 1] = 0;
		}
	ps_filetype_detect(mg, buf, n, "a.txt", &ft);
	is_str(ft.type, "text", "UTF-16LE without BOM is text");
	is_str(ft.charset, "utf-16le", "... utf-16le");
	ps_filetype_detect(mg, buf, n, "a.csv", &ft);
	is_str(ft.type, "csv", "UTF-16LE without BOM named .csv is CSV");
	/* The same as UTF-16BE with a BOM. */
	memmove(buf + 2, buf, n);
	for (size_t i = 2; i < n + 2; i += 2) {
		unsigned char t = buf[i];

		buf[i] = buf[i + 1];
		buf[i + 1] = t;
	}
	buf[0] = 0xFE;
	buf[1] = 0xFF;
	ps_filetype_detect(mg, buf, n + 2, "b.txt", &ft);
	is_str(ft.type, "text", "UTF-16BE with BOM is text");
	is_str(ft.charset, "utf-16be", "... utf-16be");
	/* Odd length: the sniff size can cut a code unit. */
	ps_filetype_detect(mg, buf + 2, n - 1, "b.txt", &ft);
	is_str(ft.charset, "utf-16be", "UTF-16BE without BOM, cut inside a unit");

	/* UTF-32LE with a BOM. */
	memcpy(buf, "\xff\xfe\x00\x00", 4);
	for (n = 4; n + 4 * (sizeof ascii - 1) <= 4000; )
		for (size_t i = 0; i < sizeof ascii - 1; i++, n += 4) {
			buf[n] = (unsigned char)ascii[i];
			buf[n + 1] = buf[n + 2] = buf[n + 3] = 0;
		}
	ps_filetype_detect(mg, buf, n, "u.txt", &ft);
	is_str(ft.type, "text", "UTF-32LE with BOM is text");
	is_str(ft.charset, "utf-32le", "... utf-32le");

	/* Chinese only, no ASCII at all, as UTF-16 both ways (身份證 ...). */
	{
		static const unsigned char cjk[] = { 0xab, 0x8e, 0xfd, 0x4e, 0x49,
			0x8b, 0x5f, 0x86, 0xbc, 0x78, 0xd9, 0x66, 0x2f, 0x66, 0x11,
			0x62, 0x11, 0x50, 0x84, 0x76, 0xc7, 0x8c, 0x99, 0x65, 0x02, 0x30 };

		for (n = 0; n + sizeof cjk <= 2600; n += sizeof cjk)
			memcpy(buf + n, cjk, sizeof cjk);
		ps_filetype_detect(mg, buf, n, "c", &ft);
		is_str(ft.charset, "utf-16le", "Chinese-only UTF-16LE without BOM");
		for (size_t i = 0; i < n; i += 2) {
			unsigned char t = buf[i];

			buf[i] = buf[i + 1];
			buf[i + 1] = t;
		}
		ps_filetype_detect(mg, buf, n, "c", &ft);
		is_str(ft.charset, "utf-16be", "Chinese-only UTF-16BE without BOM");
	}

	/* Big5: "姓名: 陳大文\n身份證號碼 A123456(3)\n這是我們的資料。\n" */
	{
		static const char big5[] = "\xa9\x6d\xa6\x57: \xb3\xaf\xa4\x6a\xa4\xe5\n"
		    ID_BIG5 "\n"
		    "\xb3\x6f\xac\x4f\xa7\xda\xad\xcc\xaa\xba\xb8\xea\xae\xc6\xa1\x43\n";
		static const char gb[] = "\xd0\xd5\xc3\xfb: \xb3\xc2\xb4\xf3\xce\xc4\n"
		    ID_GB "\n"
		    "\xd5\xe2\xca\xc7\xce\xd2\xc3\xc7\xb5\xc4\xd7\xca\xc1\xcf\xa1\xa3\n";

		ps_filetype_detect(mg, (const unsigned char *)big5, sizeof big5 - 1, "d.txt", &ft);
		is_str(ft.type, "text", "Big5 is text");
		ok(strncmp(ft.charset, "big5", 4) == 0, "Big5 detected (%s)", ft.charset);
		ps_filetype_detect(mg, (const unsigned char *)gb, sizeof gb - 1, "e.txt", &ft);
		is_str(ft.type, "text", "GB18030 is text");
		is_str(ft.charset, "gb18030", "GB18030 detected");
		/* The first is the UTF-8 of the Big5 text: it stays UTF-8. */
		ps_filetype_detect(mg, (const unsigned char *)trad, sizeof trad - 1, "f.txt", &ft);
		is_str(ft.charset, "utf-8", "the same text in UTF-8 stays utf-8");
	}

	ps_filetype_detect(mg, (const unsigned char *)ascii, sizeof ascii - 1, "g.txt", &ft);
	is_str(ft.type, "text", "ASCII is text");
	is_str(ft.charset, "us-ascii", "ASCII stays us-ascii");
	/* Text is checked eight bytes at a time: one odd byte anywhere counts. */
	for (n = 0; n < 4000; n++)
		buf[n] = (unsigned char)"Staff list, order 12345\n"[n % 24];
	buf[3001] = 0;
	ps_filetype_detect(mg, buf, 4000, "j.txt", &ft);
	ok(strcmp(ft.type, "text") != 0, "ASCII with a NUL at 3001 is not text (%s)", ft.type);
	buf[3001] = 0x01;
	ps_filetype_detect(mg, buf, 4000, "j.txt", &ft);
	ok(strcmp(ft.charset, "us-ascii") != 0 || strcmp(ft.type, "text") != 0,
	    "... nor with a control character (%s, %s)", ft.type, ft.charset);
	memcpy(buf + 3001, "\xe8\xba\xab", 3);
	ps_filetype_detect(mg, buf, 4000, "j.txt", &ft);
	is_str(ft.charset, "utf-8", "ASCII with one CJK character at 3001 is utf-8");
	buf[3001] = 0x80;
	ps_filetype_detect(mg, buf, 4000, "j.txt", &ft);
	ok(strcmp(ft.charset, "utf-8") != 0 && strcmp(ft.charset, "us-ascii") != 0,
	    "... with a stray continuation byte neither utf-8 nor ascii (%s)", ft.charset);
	{
		static const char latin1[] = "R\xe9sum\xe9 du client: carte 4111111111111111\n"
		    "Le dossier a \xe9t\xe9 v\xe9rifi\xe9 \xe0 Gen\xe8ve, pr\xe8s du ch\xe2teau.\n";
		static const char cp1252[] = "He said \x93hello\x94 \x96 and paid \x80" "5.\n";

		ps_filetype_detect(mg, (const unsigned char *)latin1, sizeof latin1 - 1, "h.txt", &ft);
		is_str(ft.type, "text", "Latin-1 is text");
		is_str(ft.charset, "iso-8859-1", "Latin-1 stays iso-8859-1, no CJK fit");
		ps_filetype_detect(mg, (const unsigned char *)cp1252, sizeof cp1252 - 1, "i.txt", &ft);
		is_str(ft.charset, "windows-1252", "windows-1252 quotes and euro");
	}

	/* Binary stays binary: random bytes, ASCII with NULs (which reads as
	 * CJK UTF-16), small integers. */
	srand(7);
	for (size_t i = 0; i < 8192; i++)
		buf[i] = (unsigned char)(rand() >> 7);
	ps_filetype_detect(mg, buf, 8192, "r", &ft);
	ok(ft.extractor == NULL, "random bytes are not opened (%s, %s)", ft.mime, ft.charset);
	n = 0;
	for (int k = 0; k < 60; k++) {
		memcpy(buf + n, "hello world this is text", 24);
		buf[n + 24] = 0;
		memcpy(buf + n + 25, " and more\n", 10);
		n += 35;
	}
	ps_filetype_detect(mg, buf, n, "s", &ft);
	ok(ft.extractor == NULL || strcmp(ft.charset, "utf-16le") != 0,
	    "ASCII with NULs is not taken for UTF-16 (%s, %s)", ft.mime, ft.charset);
	for (size_t i = 0; i < 4096; i++) {
		buf[4 * i] = (unsigned char)i;
		buf[4 * i + 1] = (unsigned char)(i >> 8);
		buf[4 * i + 2] = buf[4 * i + 3] = 0;
	}
	ps_filetype_detect(mg, buf, 16384, "t", &ft);
	ok(ft.extractor == NULL, "an array of integers is not opened (%s, %s)",
	    ft.mime, ft.charset);
	magic_close(mg);
}

/* The extractors into a capturing sink (capture.h). */

static unsigned char scratch[PS_READ_CHUNK];

/* Run fn on bytes (the first headlen as the sniffed head) with charset,
 * into sink. */
static enum ps_error
run_extract(enum ps_error (*fn)(struct ps_extract *), const char *name,
    const char *charset, const void *bytes, size_t len, size_t headlen,
    struct ps_sink *sink)
{
	struct ps_memory_reader rest = { (const unsigned char *)bytes + headlen, len - headlen, 0 };
	struct ps_input in = { .read = ps_memory_read, .ctx = &rest, .fd = -1,
		.name = name, .charset = charset, .head = bytes,
		.headlen = headlen, .limit = UINT64_MAX };
	struct ps_extract x = { .in = &in, .sink = sink, .buf = scratch };

	return fn(&x);
}

static const char *
captured(enum ps_error (*fn)(struct ps_extract *), const char *name,
    const char *charset, const void *bytes, size_t len, size_t headlen)
{
	static struct capture cap;
	struct ps_sink sink = { &cap_ops, &cap };

	cap.len = 0;
	cap.buf[0] = '\0';
	if (run_extract(fn, name, charset, bytes, len, headlen, &sink) != PS_OK)
		return "(error)";
	return cap.buf;
}

/* ASCII and UTF-8 text to UTF-16LE (BMP only), with a BOM if asked. */
static size_t
to_utf16le(const char *s, unsigned char *out, bool bom)
{
	size_t n = 0;

	if (bom) {
		out[n++] = 0xFF;
		out[n++] = 0xFE;
	}
	for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; ) {
		unsigned c;

		if (*p < 0x80)
			c = *p++;
		else if (*p < 0xE0) {
			c = (unsigned)(p[0] & 0x1F) << 6 | (p[1] & 0x3F);
			p += 2;
		} else {
			c = (unsigned)(p[0] & 0x0F) << 12 | (unsigned)(p[1] & 0x3F) << 6
			    | (p[2] & 0x3F);
			p += 3;
		}
		out[n++] = (unsigned char)c;
		out[n++] = (unsigned char)(c >> 8);
	}
	return n;
}

static void
test_extractors(void)
{
	static const char text[] = "Staff list\n" ID_UTF8 "\ncard: 4111 1111 1111 1111\n";
	static const char big5_csv[] = "\xa6\x7c\xa6\x7c,b\n1,2\n";
	static const char csv[] = "Name,HKID\n\xe9\x99\xb3\xe5\xa4\xa7\xe6\x96\x87,A123456(3)\n";
	static unsigned char u16[4096];
	size_t n;

	n = to_utf16le(text, u16, false);
	is_str(captured(ps_extract_text, "a.txt", "utf-16le", u16, n, 7),
	    "[lines|] Staff list\n" ID_UTF8 "\ncard: 4111 1111 1111 1111\n\n",
	    "text: UTF-16LE comes out as the exact UTF-8, head cut inside a unit");
	ok(strstr(captured(ps_extract_text, "a.txt", "utf-16le", u16, n, n),
	    "4111 1111 1111 1111") != NULL, "text: the card number is ASCII digits");
	n = to_utf16le(text, u16, true);
	is_str(captured(ps_extract_text, "a.txt", NULL, u16, n, n),
	    "[lines|] Staff list\n" ID_UTF8 "\ncard: 4111 1111 1111 1111\n\n",
	    "text: UTF-16LE BOM without a charset");
	is_str(captured(ps_extract_text, "a.txt", "big5", ID_BIG5 "\n", sizeof ID_BIG5, 3),
	    "[lines|] " ID_UTF8 "\n\n", "text: Big5, head cut inside a character");
	is_str(captured(ps_extract_text, "a.txt", "utf-8", "\xef\xbb\xbfhi", 5, 1),
	    "[lines|] hi\n", "text: UTF-8 BOM dropped even when the head is 1 byte");

	n = to_utf16le(csv, u16, true);
	is_str(captured(ps_extract_csv, "s.csv", "utf-16le", u16, n, n),
	    "[line 1|] Name\n[line 1|] HKID\n"
	    "[line 2|Name] \xe9\x99\xb3\xe5\xa4\xa7\xe6\x96\x87\n[line 2|HKID] A123456(3)\n",
	    "csv: UTF-16LE with BOM, fields, headers and lines decoded");
	/* Big5 trail bytes 0x7C are '|' (帆帆): the delimiter is guessed on
	 * the decoded text, not on the bytes. */
	is_str(captured(ps_extract_csv, "s.csv", "big5", big5_csv, sizeof big5_csv - 1,
	    sizeof big5_csv - 1),
	    "[line 1|] \xe5\xb8\x86\xe5\xb8\x86\n[line 1|] b\n"
	    "[line 2|\xe5\xb8\x86\xe5\xb8\x86] 1\n[line 2|b] 2\n",
	    "csv: Big5, delimiter guessed on the decoded first line");
}

/* The matcher sees decoded text: Chinese keywords work in Big5 files. */
static void
test_matcher(void)
{
	static const char big5[] = "\xa8\xad\xa5\xf7\xc3\xd2\xb8\xb9\xbd\x58 A1234563\n";
	struct ps_patterns *set = NULL;
	struct ps_matcher *m = NULL;
	struct ps_findings found = { 0 };
	struct ps_key key;
	struct ps_sink sink;
	unsigned char u16[256];
	char why[256];
	size_t n;

	for (size_t i = 0; i < sizeof key.bytes; i++)
		key.bytes[i] = (uint8_t)i;
	if (!ok(ps_patterns_load(NULL, &set, why, sizeof why) == PS_OK,
	    "patterns load")
	    || !ok((m = ps_matcher_new(set, &key)) != NULL, "matcher"))
		goto done;
	sink = ps_matcher_sink(m);
	ps_matcher_target(m, &found, NULL);
	ok(run_extract(ps_extract_text, "b.txt", "big5hkscs", big5, sizeof big5 - 1,
	    sizeof big5 - 1, &sink) == PS_OK, "Big5 text through the matcher");
	is_int(found.count, 1, "one finding in the Big5 text");
	if (found.count == 1)
		ok(strcmp(found.items[0].type, "hkid") == 0
		    && found.items[0].confidence == PS_CONF_HIGH
		    && strcmp(found.items[0].where, "line 1") == 0,
		    "Big5 \"身份證號碼 A1234563\": hkid, high (keyword decoded), line 1");

	ps_findings_clear(&found);
	n = to_utf16le("x\n\n\xe4\xbf\xa1\xe7\x94\xa8\xe5\x8d\xa1 4111111000231111\n", u16, false);
	ok(run_extract(ps_extract_text, "c.txt", "utf-16le", u16, n, n, &sink) == PS_OK,
	    "UTF-16LE text through the matcher");
	is_int(found.count, 1, "one finding in the UTF-16LE text");
	if (found.count == 1)
		ok(strcmp(found.items[0].type, "card") == 0
		    && found.items[0].confidence == PS_CONF_HIGH
		    && strcmp(found.items[0].where, "line 3") == 0,
		    "UTF-16LE \"信用卡 4111...\": card, high, line 3");
done:
	ps_findings_free(&found);
	ps_matcher_free(m);
	ps_patterns_free(set);
}

int
main(void)
{
	test_passthrough();
	test_utf16();
	test_cjk();
	test_invalid();
	test_large();
	test_random();
	test_detect();
	test_extractors();
	test_matcher();
	free(got.buf);
	return done_testing();
}

/*
 * test_rtf.c - extract/rtf.c: the [MS-OXRTFCP] decompressor on the
 * specification's own examples ("Example 1: Simple Compressed RTF" and
 * "Example 2: Reading a Token from the Dictionary that Crosses
 * WritePosition"), the stored form, CRC and
 * header failures, the output bound; and RTF to text into a capturing
 * sink: paragraphs, \'hh in the code page, \u with its fallback,
 * skipped destinations, \bin, encapsulated HTML, deep nesting.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "../unit/capture.h"
#include "../unit/tap.h"
#include "extract/rtf.h"

/* [MS-OXRTFCP] Example 1: "{\rtf1\ansi\ansicpg1252\pard hello
 * world}" CR LF, compressed. */
static const unsigned char simple[] = {
	0x2d, 0x00, 0x00, 0x00, 0x2b, 0x00, 0x00, 0x00, 0x4c, 0x5a, 0x46, 0x75,
	0xf1, 0xc5, 0xc7, 0xa7, 0x03, 0x00, 0x0a, 0x00, 0x72, 0x63, 0x70, 0x67,
	0x31, 0x32, 0x35, 0x42, 0x32, 0x0a, 0xf3, 0x20, 0x68, 0x65, 0x6c, 0x09,
	0x00, 0x20, 0x62, 0x77, 0x05, 0xb0, 0x6c, 0x64, 0x7d, 0x0a, 0x80, 0x0f,
	0xa0,
};
static const char simple_rtf[] = "{\\rtf1\\ansi\\ansicpg1252\\pard hello world}\r\n";

/* [MS-OXRTFCP] Example 2: a dictionary reference that reads
 * bytes it is itself writing. */
static const unsigned char crossing[] = {
	0x1a, 0x00, 0x00, 0x00, 0x1c, 0x00, 0x00, 0x00, 0x4c, 0x5a, 0x46, 0x75,
	0xe2, 0xd4, 0x4b, 0x51, 0x41, 0x00, 0x04, 0x20, 0x57, 0x58, 0x59, 0x5a,
	0x0d, 0x6e, 0x7d, 0x01, 0x0e, 0xb0,
};
static const char crossing_rtf[] = "{\\rtf1 WXYZWXYZWXYZWXYZWXYZ}";

static bool
decompresses_to(const unsigned char *in, size_t len, size_t max,
    enum ps_error want_err, const char *want)
{
	unsigned char *out = NULL;
	size_t outlen = 0;
	enum ps_error err = ps_rtf_decompress(in, len, max, &out, &outlen);
	bool same = err == want_err && (want == NULL ? out == NULL
	    : out != NULL && outlen == strlen(want) && memcmp(out, want, outlen) == 0);

	if (!same)
		printf("# error %d, %zu bytes: '%.*s'\n", (int)err, outlen,
		    (int)(out != NULL ? outlen : 0), out != NULL ? (const char *)out : "");
	free(out);
	return same;
}

static void
test_decompress(void)
{
	unsigned char buf[256];
	const char *stored = "{\\rtf1 stored}";
	size_t n = strlen(stored);

	ok(decompresses_to(simple, sizeof simple, 1 << 20, PS_OK, simple_rtf),
	    "spec example 1: simple compressed RTF");
	ok(decompresses_to(crossing, sizeof crossing, 1 << 20, PS_OK, crossing_rtf),
	    "spec example 2: a reference crossing the write position");

	/* Stored: COMPSIZE = n + 12, RAWSIZE, "MELA", CRC 0. */
	memset(buf, 0, sizeof buf);
	buf[0] = (unsigned char)(n + 12);
	buf[4] = (unsigned char)n;
	memcpy(buf + 8, "MELA", 4);
	memcpy(buf + 16, stored, n);
	ok(decompresses_to(buf, 16 + n, 1 << 20, PS_OK, stored), "MELA: stored RTF");
	ok(decompresses_to(buf, 16 + n, 5, PS_ERR_LIMIT, "{\\rtf"),
	    "MELA: cut at max, and said so");
	ok(decompresses_to(buf, 16 + n - 1, 1 << 20, PS_ERR_CORRUPT, NULL),
	    "MELA: COMPSIZE past the data");

	/* One bit of the data changed: the CRC says so. */
	memcpy(buf, simple, sizeof simple);
	buf[20] ^= 0x01;
	ok(decompresses_to(buf, sizeof simple, 1 << 20, PS_ERR_CORRUPT, NULL),
	    "LZFu: a changed byte fails the CRC");
	memcpy(buf, simple, sizeof simple);
	buf[12] ^= 0x80;
	ok(decompresses_to(buf, sizeof simple, 1 << 20, PS_ERR_CORRUPT, NULL),
	    "LZFu: a changed CRC field fails");
	ok(decompresses_to(simple, sizeof simple - 1, 1 << 20, PS_ERR_CORRUPT, NULL),
	    "LZFu: cut short (COMPSIZE past the data)");
	memcpy(buf, simple, sizeof simple);
	memcpy(buf + 8, "LZFv", 4);
	ok(decompresses_to(buf, sizeof simple, 1 << 20, PS_ERR_CORRUPT, NULL),
	    "unknown COMPTYPE");
	ok(decompresses_to(simple, 15, 1 << 20, PS_ERR_CORRUPT, NULL),
	    "shorter than the header");
	ok(decompresses_to(simple, sizeof simple, 10, PS_ERR_LIMIT, "{\\rtf1\\ans"),
	    "LZFu: output bounded by max");

	/* RAWSIZE smaller than the data: the output stops there. */
	memcpy(buf, simple, sizeof simple);
	buf[4] = 6;
	ok(decompresses_to(buf, sizeof simple, 1 << 20, PS_OK, "{\\rtf1"),
	    "LZFu: RAWSIZE bounds the output");
	/* A huge RAWSIZE is a hint, not an allocation. */
	memcpy(buf, simple, sizeof simple);
	buf[4] = buf[5] = buf[6] = buf[7] = 0xff;
	ok(decompresses_to(buf, sizeof simple, 1 << 20, PS_OK, simple_rtf),
	    "LZFu: a lying RAWSIZE changes nothing");
	/* Padding after COMPSIZE's end is ignored. */
	memcpy(buf, simple, sizeof simple);
	memset(buf + sizeof simple, 0xAA, 8);
	ok(decompresses_to(buf, sizeof simple + 8, 1 << 20, PS_OK, simple_rtf),
	    "LZFu: padding after the data");
}

static const char *
text_of(const char *rtf, const char **limit)
{
	static struct capture cap;
	struct ps_sink sink = { &cap_ops, &cap };
	const char *lim = NULL;

	memset(&cap, 0, sizeof cap);
	if (ps_rtf_to_sink(&sink, (const unsigned char *)rtf, strlen(rtf), &lim) != PS_OK)
		return "(error)";
	if (limit != NULL)
		*limit = lim;
	return cap.buf;
}

static void
test_text(void)
{
	const char *limit = NULL;
	char deep[4 * PS_RTF_MAX_DEPTH + 64];
	size_t n = 0;

	is_str(text_of(simple_rtf, NULL), "[lines|] hello world\n", "plain text");
	is_str(text_of("{\\rtf1 one\\par two\\line three\\par\n}", NULL),
	    "[lines|] one\ntwo\nthree\n\n", "\\par and \\line are new lines");
	is_str(text_of("{\\rtf1\\ansi\\ansicpg1252 caf\\'e9 \\'80}", NULL),
	    "[lines|] caf\xc3\xa9 \xe2\x82\xac\n", "\\'hh in windows-1252");
	is_str(text_of("{\\rtf1\\ansi\\ansicpg125 caf\\'e9}", NULL),
	    "[lines|] caf\xc3\xa9\n", "a code page iconv does not know: windows-1252");
	is_str(text_of("{\\rtf1\\ansi\\ansicpg936 \\'c9\\'ed\\'b7\\'dd\\'d6\\'a4}", NULL),
	    "[lines|] \xe8\xba\xab\xe4\xbb\xbd\xe8\xaf\x81\n", "\\'hh in code page 936 (two bytes each)");
	is_str(text_of("{\\rtf1 \\u36523?\\u20221?\\u35657?}", NULL),
	    "[lines|] \xe8\xba\xab\xe4\xbb\xbd\xe8\xad\x89\n", "\\uN, its ? fallback skipped");
	is_str(text_of("{\\rtf1\\uc2 \\u-4064\\'83\\'84x}", NULL),
	    "[lines|] \xef\x80\xa0x\n", "\\uc2: two \\'hh fallbacks skipped, negative N");
	is_str(text_of("{\\rtf1\\uc0 \\u20013 a}", NULL),
	    "[lines|] \xe4\xb8\xad" "a\n", "\\uc0: nothing skipped");
	is_str(text_of("{\\rtf1 \\u-10179?\\u-8704?}", NULL),
	    "[lines|] \xf0\x9f\x98\x80\n", "a surrogate pair of \\u");
	is_str(text_of("{\\rtf1{\\fonttbl{\\f0 Arial;}}{\\colortbl;\\red255;}"
	    "{\\stylesheet{Normal;}}{\\*\\generator Writer 4111111111111111;}"
	    "{\\pict\\pngblip 89504e47}{\\object{\\*\\objdata 0102}{\\result shown}}"
	    "{\\*\\themedata 504b}{\\info{\\author Someone}}body}", NULL),
	    "[lines|] shownbody\n", "destinations skipped, \\result kept");
	is_str(text_of("{\\rtf1 a\\bin6 }{\\}\\bc}", NULL),
	    "[lines|] ac\n", "\\bin data skipped by count, braces in it too");
	is_str(text_of("{\\rtf1 a\\tab b\\cell c\\row d\\~e\\{\\}\\\\}", NULL),
	    "[lines|] a\tb\tc\nd e{}\\\n", "tabs, cells, rows, symbols");
	is_str(text_of("{\\rtf1\\ansi\\fromhtml1 {\\*\\htmltag19 <html>}"
	    "{\\*\\htmltag64 <p class=\"card\">}\\htmlrtf {\\htmlrtf0 Card number"
	    "\\htmlrtf\\par\\htmlrtf0}{\\*\\htmltag72 </p>}}", NULL),
	    "[lines|] Card number\n\n", "encapsulated HTML: the text outside the tags");
	is_str(text_of("{\\rtf1 \\verylongcontrolwordthatgoesonandonandon123 x}", NULL),
	    "[lines|] x\n", "a long control word is read past");
	is_str(text_of("{\\rtf1 cut \\'4", NULL), "[lines|] cut \n", "cut in a \\'hh");
	is_str(text_of("{\\rtf1 end\\par", NULL), "[lines|] end\n\n", "cut after a word");
	is_str(text_of("}}}{\\rtf1 x}}}", NULL), "[lines|] x\n", "unbalanced braces");

	/* Deeper than the stack: the deep part is skipped and recorded. */
	n += (size_t)snprintf(deep, sizeof deep, "{\\rtf1 a");
	for (int i = 0; i < PS_RTF_MAX_DEPTH + 8; i++)
		deep[n++] = '{';
	deep[n++] = 'z';
	for (int i = 0; i < PS_RTF_MAX_DEPTH + 8; i++)
		deep[n++] = '}';
	deep[n++] = 'b';
	deep[n++] = '}';
	deep[n] = '\0';
	is_str(text_of(deep, &limit), "[lines|] ab\n", "nesting past the limit skipped");
	is_str(limit, "limit: rtf nesting", "and recorded");
}

int
main(void)
{
	test_decompress();
	test_text();
	return done_testing();
}

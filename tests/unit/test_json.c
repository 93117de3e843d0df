/*
 * test_json.c - JSON string escaping (surrogateescape for invalid UTF-8)
 * and ISO times.
 */
#include "../unit/tap.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "json.h"

static char esc_buf[1024];

/* ps_json_escape into a large buffer. */
static const char *
esc(const char *bytes, size_t len)
{
	size_t n;

	memset(esc_buf, 'x', sizeof esc_buf);
	n = ps_json_escape(esc_buf, sizeof esc_buf, bytes, len);
	if (n != strlen(esc_buf))
		return "(return value differs from length written)";
	return esc_buf;
}

static char str_buf[1024];

/* ps_json_string through a tmpfile, read back. */
static const char *
jstr(const char *bytes, size_t len)
{
	FILE *f = tmpfile();
	size_t n;

	if (f == NULL)
		return "(tmpfile failed)";
	ps_json_string(f, bytes, len);
	rewind(f);
	n = fread(str_buf, 1, sizeof str_buf - 1, f);
	str_buf[n] = '\0';
	fclose(f);
	return str_buf;
}

#define ESC(lit) esc((lit), sizeof(lit) - 1)
#define JSTR(lit) jstr((lit), sizeof(lit) - 1)

static void
test_escape(void)
{
	char ctl[40];

	is_str(ESC("hello, world /path/to/file.txt"),
	    "hello, world /path/to/file.txt", "escape: plain ASCII unchanged");
	is_str(ESC(""), "", "escape: empty");
	is_str(ESC("a\"b"), "a\\\"b", "escape: quote");
	is_str(ESC("a\\b"), "a\\\\b", "escape: backslash");
	is_str(ESC("\"\\\""), "\\\"\\\\\\\"", "escape: quote backslash quote");
	is_str(ESC("a/b"), "a/b", "escape: slash not escaped");
	is_str(ESC("l1\nl2"), "l1\\nl2", "escape: \\n named");
	is_str(ESC("a\tb"), "a\\tb", "escape: \\t named");
	is_str(ESC("a\rb"), "a\\rb", "escape: \\r named");
	is_str(ESC("\x01"), "\\u0001", "escape: 0x01");
	is_str(ESC("\x08"), "\\u0008", "escape: 0x08 (backspace) as \\u");
	is_str(ESC("\x0c"), "\\u000c", "escape: 0x0c lower-case hex");
	is_str(ESC("\x1b[0m"), "\\u001b[0m", "escape: ESC lower-case hex");
	is_str(ESC("\x1f"), "\\u001f", "escape: 0x1f");
	is_str(ESC("\x7f"), "\\u007f", "escape: DEL as \\u007f");
	is_str(ESC(" ~"), " ~", "escape: 0x20 and 0x7e unchanged");
	is_str(ESC("a\0b"), "a\\u0000b", "escape: NUL byte");

	/* all of 0x00..0x1f */
	{
		int bad = 0;

		for (int c = 0; c < 0x20; c++) {
			char in[1] = { (char)c };
			const char *want;

			if (c == '\n')
				want = "\\n";
			else if (c == '\t')
				want = "\\t";
			else if (c == '\r')
				want = "\\r";
			else {
				snprintf(ctl, sizeof ctl, "\\u%04x", (unsigned)c);
				want = ctl;
			}
			if (strcmp(esc(in, 1), want) != 0) {
				printf("#   0x%02x: got '%s' want '%s'\n", c,
				    esc_buf, want);
				bad++;
			}
		}
		is_int(bad, 0, "escape: every control byte 0x00-0x1f");
	}

	/* valid UTF-8 passes through */
	is_str(ESC("\xe8\xba\xab\xe4\xbb\xbd\xe8\xad\x89"),
	    "\xe8\xba\xab\xe4\xbb\xbd\xe8\xad\x89", "escape: 身份證 unchanged");
	is_str(ESC("\xf0\x9f\x98\x80"), "\xf0\x9f\x98\x80",
	    "escape: 4-byte emoji U+1F600 unchanged");
	is_str(ESC("caf\xc3\xa9"), "caf\xc3\xa9", "escape: 2-byte U+00E9");
	is_str(ESC("\xc2\x80"), "\xc2\x80", "escape: U+0080 (lowest 2-byte)");
	is_str(ESC("\xe0\xa0\x80"), "\xe0\xa0\x80", "escape: U+0800 (lowest 3-byte)");
	is_str(ESC("\xed\x9f\xbf"), "\xed\x9f\xbf", "escape: U+D7FF");
	is_str(ESC("\xee\x80\x80"), "\xee\x80\x80", "escape: U+E000");
	is_str(ESC("\xef\xbf\xbf"), "\xef\xbf\xbf", "escape: U+FFFF");
	is_str(ESC("\xf0\x90\x80\x80"), "\xf0\x90\x80\x80",
	    "escape: U+10000 (lowest 4-byte)");
	is_str(ESC("\xf4\x8f\xbf\xbf"), "\xf4\x8f\xbf\xbf", "escape: U+10FFFF");

	/* invalid bytes: \udcXX per byte, lower-case hex */
	is_str(ESC("\xff"), "\\udcff", "escape: 0xff");
	is_str(ESC("\xfe"), "\\udcfe", "escape: 0xfe");
	is_str(ESC("a\x80z"), "a\\udc80z", "escape: lone continuation 0x80");
	is_str(ESC("\xbf"), "\\udcbf", "escape: lone continuation 0xbf");
	is_str(ESC("\xc0\x80"), "\\udcc0\\udc80", "escape: overlong C0 80");
	is_str(ESC("\xc1\xbf"), "\\udcc1\\udcbf", "escape: overlong C1 BF");
	is_str(ESC("\xe0\x9f\xbf"), "\\udce0\\udc9f\\udcbf",
	    "escape: overlong 3-byte E0 9F BF");
	is_str(ESC("\xf0\x8f\xbf\xbf"), "\\udcf0\\udc8f\\udcbf\\udcbf",
	    "escape: overlong 4-byte F0 8F BF BF");
	is_str(ESC("x\xe8\xba"), "x\\udce8\\udcba",
	    "escape: truncated 3-byte sequence at end");
	is_str(ESC("\xe8\xba" "b"), "\\udce8\\udcbab",
	    "escape: truncated 3-byte sequence before ASCII");
	is_str(ESC("\xf0\x9f\x98"), "\\udcf0\\udc9f\\udc98",
	    "escape: truncated 4-byte sequence at end");
	is_str(ESC("\xc3"), "\\udcc3", "escape: truncated 2-byte at end");
	is_str(ESC("\xed\xa0\x80"), "\\udced\\udca0\\udc80",
	    "escape: encoded surrogate ED A0 80");
	is_str(ESC("\xed\xbf\xbf"), "\\udced\\udcbf\\udcbf",
	    "escape: encoded surrogate ED BF BF");
	is_str(ESC("\xf4\x90\x80\x80"), "\\udcf4\\udc90\\udc80\\udc80",
	    "escape: beyond U+10FFFF");
	is_str(ESC("\xf5\x80\x80\x80"), "\\udcf5\\udc80\\udc80\\udc80",
	    "escape: F5 lead byte");
	is_str(ESC("\xe8\xba\xab\xff\xe4\xbb\xbd"), "\xe8\xba\xab\\udcff\xe4\xbb\xbd",
	    "escape: invalid byte between valid characters");
	is_str(ESC("\xc3\x22"), "\\udcc3\\\"",
	    "escape: lead byte then quote: quote still escaped");
	is_str(ESC("\xe8\n"), "\\udce8\\n",
	    "escape: lead byte then newline: newline still escaped");
}

static void
test_escape_cut(void)
{
	char buf[64];
	size_t n;

	memset(buf, 'x', sizeof buf);
	n = ps_json_escape(buf, 4, "abcdef", 6);
	is_int(n, 6, "cut: returns full length 6");
	is_str(buf, "abc", "cut: cap 4 holds 3 chars + NUL");

	memset(buf, 'x', sizeof buf);
	n = ps_json_escape(buf, 1, "abcdef", 6);
	is_int(n, 6, "cut: cap 1 returns 6");
	is_str(buf, "", "cut: cap 1 gives empty string");

	memset(buf, 'x', sizeof buf);
	n = ps_json_escape(buf, 0, "abcdef", 6);
	is_int(n, 6, "cut: cap 0 returns 6");
	ok(buf[0] == 'x', "cut: cap 0 writes nothing");

	n = ps_json_escape(NULL, 0, "a\"\xff", 3);
	is_int(n, 1 + 2 + 6, "cut: NULL/0 measures escaped length");

	memset(buf, 'x', sizeof buf);
	n = ps_json_escape(buf, 7, "abcdef", 6);
	is_int(n, 6, "cut: cap 7 exact fit returns 6");
	is_str(buf, "abcdef", "cut: cap 7 exact fit");

	memset(buf, 'x', sizeof buf);
	n = ps_json_escape(buf, 6, "abcdef", 6);
	is_str(buf, "abcde", "cut: cap 6 drops the last char");

	memset(buf, 'x', sizeof buf);
	n = ps_json_escape(buf, 5, "\xff\xfe", 2);
	is_int(n, 12, "cut: escapes counted in full length");
	ok(memchr(buf, '\0', 5) != NULL, "cut: NUL within cap for escapes");
	is_str(buf, "", "cut: a \\udcXX escape is not split");

	memset(buf, 'x', sizeof buf);
	n = ps_json_escape(buf, 3, "\xe8\xba\xab", 3);
	is_int(n, 3, "cut: 3-byte character length");
	is_str(buf, "", "cut: UTF-8 character is not split");

	/* The text kept when cut must be a prefix of the full text: a
	 * later, shorter piece must not be written after one that did not
	 * fit. */
	memset(buf, 'x', sizeof buf);
	n = ps_json_escape(buf, 3, "a\"b", 3);
	is_int(n, 4, "cut: a\\\"b full length 4");
	is_str(buf, "a", "cut: a\"b at cap 3 is the prefix \"a\", not \"ab\"");

	memset(buf, 'x', sizeof buf);
	n = ps_json_escape(buf, 5, "/\xff/x", 4);
	is_str(buf, "/", "cut: /<ff>/x at cap 5 is the prefix \"/\"");

	memset(buf, 'x', sizeof buf);
	n = ps_json_escape(buf, 3, "\xe8\xba\xabz", 4);
	is_str(buf, "", "cut: 身z at cap 3 is \"\", not \"z\"");

	/* every cap, a mixed string: NUL-terminated within cap, prefix of
	 * the full text, full length returned */
	{
		static const char in[] = "A\"\xff\xe8\xba\xab\n\\\x01z\xf0\x9f\x98\x80.";
		char full[128];
		size_t flen = ps_json_escape(full, sizeof full, in, sizeof in - 1);
		int bad_len = 0, bad_nul = 0, bad_prefix = 0;

		for (size_t cap = 1; cap <= flen + 1; cap++) {
			memset(buf, 'x', sizeof buf);
			if (ps_json_escape(buf, cap, in, sizeof in - 1) != flen)
				bad_len++;
			if (memchr(buf, '\0', cap) == NULL) {
				bad_nul++;
				continue;
			}
			if (strncmp(buf, full, strlen(buf)) != 0) {
				if (bad_prefix == 0)
					printf("#   cap %zu: got '%s'\n", cap, buf);
				bad_prefix++;
			}
		}
		is_int(flen, strlen(full), "cut: full length equals text written");
		is_int(bad_len, 0, "cut: every cap returns the full length");
		is_int(bad_nul, 0, "cut: every cap NUL-terminated within cap");
		is_int(bad_prefix, 0, "cut: every cap gives a prefix of the full text");
	}
}

static void
test_string(void)
{
	is_str(JSTR("plain"), "\"plain\"", "string: quotes around plain text");
	is_str(JSTR(""), "\"\"", "string: empty");
	is_str(JSTR("a\"b\\c\nd"), "\"a\\\"b\\\\c\\nd\"", "string: escapes");
	is_str(JSTR("\x02\t\r"), "\"\\u0002\\t\\r\"", "string: control bytes");
	is_str(JSTR("\xe8\xba\xab\xe4\xbb\xbd\xe8\xad\x89\xf0\x9f\x98\x80"),
	    "\"\xe8\xba\xab\xe4\xbb\xbd\xe8\xad\x89\xf0\x9f\x98\x80\"",
	    "string: UTF-8 unchanged");
	is_str(JSTR("\xff\x80\xc0\x80\xed\xa0\x80"),
	    "\"\\udcff\\udc80\\udcc0\\udc80\\udced\\udca0\\udc80\"",
	    "string: invalid bytes as \\udcXX");
	is_str(JSTR("x\xe8\xba"), "\"x\\udce8\\udcba\"",
	    "string: truncated sequence at end");
	is_str(JSTR("a\0b"), "\"a\\u0000b\"", "string: NUL byte");
	{
		char big[300];

		memset(big, 'q', sizeof big);
		jstr(big, sizeof big);
		is_int(strlen(str_buf), sizeof big + 2, "string: 300 bytes + quotes");
	}
}

static void
test_time(void)
{
	char buf[32];

	ps_time_iso(0, buf, sizeof buf);
	is_str(buf, "1970-01-01T00:00:00Z", "time: epoch");
	/* date -u -d @1795770000 +%Y-%m-%dT%H:%M:%SZ */
	ps_time_iso(1795770000, buf, sizeof buf);
	is_str(buf, "2026-11-27T09:00:00Z", "time: 1795770000");
	ps_time_iso(951782400, buf, sizeof buf);
	is_str(buf, "2000-02-29T00:00:00Z", "time: leap day 2000");
	ps_time_iso(INT64_C(2147483648), buf, sizeof buf);
	is_str(buf, "2038-01-19T03:14:08Z", "time: past 2^31");
	ps_time_iso(INT64_C(4102444800), buf, sizeof buf);
	is_str(buf, "2100-01-01T00:00:00Z", "time: 2100");
	ps_time_iso(-1, buf, sizeof buf);
	is_str(buf, "1969-12-31T23:59:59Z", "time: -1");
	memset(buf, 'x', sizeof buf);
	ps_time_iso(1795770000, buf, 21);
	is_str(buf, "2026-11-27T09:00:00Z", "time: 21-byte buffer suffices");
}

int
main(void)
{
	test_escape();
	test_escape_cut();
	test_string();
	test_time();
	return done_testing();
}

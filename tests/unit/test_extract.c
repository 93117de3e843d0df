/*
 * test_extract.c - the extractors through a capturing sink, the input
 * limit, and type detection.
 */
#include "config.h"

#include <stdlib.h>

#include "../unit/tap.h"
#include "../unit/capture.h"
#include "extract.h"
#include "filetype.h"

static unsigned char scratch[PS_READ_CHUNK];

/* Run extractor fn on text (first `headlen` bytes as the sniffed head). */
static const char *
extract(enum ps_error (*fn)(struct ps_extract *), const char *name,
    const char *text, size_t headlen, uint64_t limit, bool *truncated)
{
	static struct capture cap;
	size_t len = strlen(text);
	struct ps_memory_reader rest = { (const unsigned char *)text + headlen, len - headlen, 0 };
	struct ps_input in = { .read = ps_memory_read, .ctx = &rest, .fd = -1,
		.name = name, .head = (const unsigned char *)text,
		.headlen = headlen, .limit = limit };
	struct ps_sink sink = { &cap_ops, &cap };
	struct ps_extract x = { .in = &in, .sink = &sink, .buf = scratch };

	cap.len = 0;
	cap.buf[0] = '\0';
	if (fn(&x) != PS_OK)
		return "(error)";
	if (truncated != NULL)
		*truncated = in.limit_hit != NULL;
	return cap.buf;
}

static void
test_text(void)
{
	bool trunc = true;

	is_str(extract(ps_extract_text, "a.txt", "one\ntwo\n", 3, UINT64_MAX, &trunc),
	    "[lines|] one\ntwo\n\n", "text: one unit, head then stream");
	ok(!trunc, "text: not truncated");
	is_str(extract(ps_extract_text, "a.txt", "\xef\xbb\xbfhi", 5, UINT64_MAX, NULL),
	    "[lines|] hi\n", "text: UTF-8 byte order mark dropped");
	is_str(extract(ps_extract_text, "a.txt", "0123456789", 4, 6, &trunc),
	    "[lines|] 012345\n", "text: limit stops reading");
	ok(trunc, "text: limit reached with more to read is truncated");
	is_str(extract(ps_extract_text, "a.txt", "012345", 6, 6, &trunc),
	    "[lines|] 012345\n", "text: exactly at the limit");
	ok(!trunc, "text: exactly at the limit is not truncated");
}

static void
test_csv(void)
{
	const char *csv =
	    "Name,HKID No,Note\n"
	    "Chan,A1234563,\"likes, commas\"\n"
	    "\"Lee \"\"Jr\"\"\",,\"two\nlines\"\n"
	    "Wong,B,\n";

	is_str(extract(ps_extract_csv, "s.csv", csv, 20, UINT64_MAX, NULL),
	    "[line 1|] Name\n[line 1|] HKID No\n[line 1|] Note\n"
	    "[line 2|Name] Chan\n[line 2|HKID No] A1234563\n[line 2|Note] likes, commas\n"
	    "[line 3|Name] Lee \"Jr\"\n[line 3|Note] two\nlines\n"
	    "[line 5|Name] Wong\n[line 5|HKID No] B\n",
	    "csv: fields, headers as context, quotes, lines");
	is_str(extract(ps_extract_csv, "s.tsv", "a,b\tc\n1,2\t3\n", 4, UINT64_MAX, NULL),
	    "[line 1|] a,b\n[line 1|] c\n[line 2|a,b] 1,2\n[line 2|c] 3\n",
	    "tsv: tab by name");
	is_str(extract(ps_extract_csv, "s.csv", "a;b;c\r\n1;2;3\r\n", 14, UINT64_MAX, NULL),
	    "[line 1|] a\n[line 1|] b\n[line 1|] c\n[line 2|a] 1\n[line 2|b] 2\n[line 2|c] 3\n",
	    "csv: semicolons guessed, CRLF");
	is_str(extract(ps_extract_csv, "s.csv", "a,,c\n1,2,3,4\n", 6, UINT64_MAX, NULL),
	    "[line 1|] a\n[line 1|] c\n[line 2|a] 1\n[line 2|] 2\n[line 2|c] 3\n[line 2|] 4\n",
	    "csv: no header for an empty header field, nor past the header row's end");
	is_str(extract(ps_extract_csv, "s.csv", "h\n\"unterminated", 2, UINT64_MAX, NULL),
	    "[line 1|] h\n[line 2|h] unterminated\n", "csv: an unterminated quote ends at EOF");
	{
		/* 1,030 columns: headers are kept up to the 1,024th. */
		static char wide[20000];
		char *p = wide, *end = wide + sizeof wide;
		const char *got;

		for (int row = 0; row < 2; row++)
			for (int c = 0; c < 1030; c++)
				p += snprintf(p, (size_t)(end - p), "%s%d%c", row == 0 ? "h" : "v", c,
				    c == 1029 ? '\n' : ',');
		got = extract(ps_extract_csv, "w.csv", wide, 64, UINT64_MAX, NULL);
		ok(strstr(got, "[line 2|h0] v0\n") != NULL && strstr(got, "[line 2|h100] v100\n") != NULL
		    && strstr(got, "[line 2|h1023] v1023\n") != NULL,
		    "csv: a header row of 1,030 columns gives the first 1,024 their headers");
		ok(strstr(got, "[line 2|] v1024\n") != NULL && strstr(got, "[line 2|] v1029\n") != NULL,
		    "... and none to the columns past them");
	}
}

static void
test_filetype(void)
{
	char why[256];
	magic_t mg = ps_filetype_open(why, sizeof why);
	struct ps_filetype ft;
	unsigned char buf[PS_SNIFF_BYTES];

	if (!ok(mg != NULL, "libmagic opens")) {
		printf("# %s\n", why);
		return;
	}
#define DETECT(text, name) ps_filetype_detect(mg, (const unsigned char *)(text), \
	strlen(text), name, &ft)
	DETECT("Hello there, this is plain text.\nSecond line.\n", "a.dat");
	is_str(ft.type, "text", "plain text");
	DETECT("Hello there, this is plain text.\nSecond line.\n", "a.csv");
	is_str(ft.type, "csv", "text named .csv is CSV");
	DETECT("<!DOCTYPE html>\n<html><head><title>x</title></head><body>hi</body></html>\n", "x");
	is_str(ft.type, "html", "HTML");
	DETECT("{\"a\": [1, 2, {\"b\": \"c\"}], \"d\": null}\n", "x");
	is_str(ft.type, "json", "JSON");
	DETECT("<?xml version=\"1.0\"?>\n<a><b>text</b></a>\n", "x");
	is_str(ft.type, "xml", "XML");
	/* Mail, by its first bytes, before the text fast path. */
	DETECT("Return-Path: <a@example.com>\nReceived: from x by y\n\nbody\n", "x");
	is_str(ft.type, "eml", "mail: Return-Path, Received");
	DETECT("Date: Sun, 1 Mar 2026 09:00:00 +0000\nFrom: a@example.com\n"
	    "Subject: hi\n\nbody\n", "x");
	is_str(ft.type, "eml", "mail: Date first, then From and Subject");
	DETECT("X-Mailer: x\nSubject: folded\n  on two lines\r\nTo: b@example.com\r\n\r\n", "x");
	is_str(ft.type, "eml", "mail: an X- field first, continuation lines, CRLF");
	DETECT("Subject: caf\xe9\nFrom: a@example.com\n\n\xe9t\xe9\n", "x");
	is_str(ft.type, "eml", "mail with 8-bit bytes (not UTF-8): still mail");
	DETECT("From a@example.com Mon Mar  2 09:00:00 2026\nSubject: one\n\nbody\n", "x");
	is_str(ft.type, "mbox", "mbox: a From line, then a header field");
	DETECT("Date: 2026-03-01\nAuthor: Clerk\n\nnotes\n", "x");
	is_str(ft.type, "text", "Date and Author fields without a mail field: text");
	DETECT("Subject: notes\n\nonly one field\n", "x");
	is_str(ft.type, "text", "one field alone: text");
	DETECT("From the desk of the clerk\n\nnotes\n", "x");
	is_str(ft.type, "text", "a line starting \"From \" without a field after it: text");
	DETECT("To: all staff\nplease read this\nSubject: x\n", "x");
	is_str(ft.type, "text", "a line that is no field inside the block: text");
	ps_filetype_detect(mg, buf, 0, "e", &ft);
	is_str(ft.type, "empty", "empty");
	for (size_t i = 0; i < 4096; i++)
		buf[i] = (unsigned char)(i * 7 + (i >> 3));
	ps_filetype_detect(mg, buf, 4096, "b", &ft);
	ok(ft.extractor == NULL, "binary data is not opened (%s)", ft.mime);
	/* UTF-8 text cut inside a character at the sniff size stays text. */
	for (size_t i = 0; i + 3 <= sizeof buf; i += 3)
		memcpy(buf + i, "\xe8\xba\xab", 3);
	memcpy(buf + sizeof buf - 1, "\xe8", 1);
	ps_filetype_detect(mg, buf, sizeof buf, "c", &ft);
	is_str(ft.type, "text", "UTF-8 cut at the sniff size is still text");
	is_str(ft.charset, "utf-8", "... with charset utf-8");
	/* The fast path takes text 16 and 8 bytes at a time, then a byte at
	 * a time: every ASCII or control byte decides the same at every
	 * place inside a 41-byte text (the first and last bytes have rules
	 * of their own), and the bytes of ASCII text (printable, \t to \r,
	 * escape) make it us-ascii text. */
	{
		bool same = true;

		for (unsigned v = 0; v < 128 && same; v++) {
			char first[sizeof ft.mime + sizeof ft.charset];

			for (size_t at = 1; at < 40 && same; at++) {
				char got[sizeof first];

				memset(buf, 'a', 41);
				buf[at] = (unsigned char)v;
				ps_filetype_detect(mg, buf, 41, "t", &ft);
				snprintf(got, sizeof got, "%s;%s", ft.mime, ft.charset);
				if (at == 1)
					memcpy(first, got, sizeof got);
				same = strcmp(got, first) == 0;
			}
			if (same && ((v >= 0x20 && v < 0x7f) || (v >= '\t' && v <= '\r') || v == 0x1b))
				same = strcmp(first, "text/plain;us-ascii") == 0;
		}
		ok(same, "ASCII text: every byte value decides the same at every place");
		/* ... and a control byte at the end is seen too. */
		memset(buf, 'a', 41);
		buf[40] = 0x01;
		ps_filetype_detect(mg, buf, 41, "t", &ft);
		ok(ft.extractor == NULL, "a control byte as the last byte: not text (%s)",
		    ft.mime);
	}
	magic_close(mg);
}

int
main(void)
{
	test_text();
	test_csv();
	test_filetype();
	return done_testing();
}

/*
 * test_pdf.c - the scanner's reader of the PDF helper's frames (extract/
 * pdf.h): units into a capturing sink, whole and a byte at a time; notes
 * turned into reasons; and every way a stream can break the rules.  The
 * helper itself is tested through the binary (tests/e2e/pdf.sh).
 */
#include "config.h"

#include "../unit/tap.h"
#include "../unit/capture.h"
#include "extract/pdf.h"

struct stream {
	unsigned char b[4096];
	size_t len;
};

static void
put_frame(struct stream *s, int type, const void *payload, size_t len)
{
	s->b[s->len++] = (unsigned char)type;
	s->b[s->len++] = (unsigned char)len;
	s->b[s->len++] = (unsigned char)(len >> 8);
	s->b[s->len++] = (unsigned char)(len >> 16);
	s->b[s->len++] = (unsigned char)(len >> 24);
	memcpy(s->b + s->len, payload, len);
	s->len += len;
}

static void
put_unit(struct stream *s, const char *where, const char *context, const char *text)
{
	char head[512];
	size_t w = strlen(where), c = strlen(context);

	memcpy(head, where, w + 1);
	memcpy(head + w + 1, context, c);
	put_frame(s, 'B', head, w + 1 + c);
	put_frame(s, 'T', text, strlen(text));
	put_frame(s, 'E', "", 0);
}

/* Feed the stream whole (step 0) or step bytes at a time. */
static enum ps_error
feed(struct ps_pdf_reader *r, struct capture *cap, const struct stream *s, size_t step)
{
	struct ps_sink sink = { &cap_ops, cap };
	enum ps_error err = PS_OK;

	memset(cap, 0, sizeof *cap);
	ps_pdf_reader_init(r, &sink);
	for (size_t i = 0; i < s->len && err == PS_OK; i += step > 0 ? step : s->len) {
		size_t n = step > 0 && step < s->len - i ? step : s->len - i;

		err = ps_pdf_reader_feed(r, s->b + i, n);
	}
	if (err == PS_OK || err == PS_ERR_CORRUPT) {
		enum ps_error fin = ps_pdf_reader_finish(r);

		if (err == PS_OK)
			err = fin;
	}
	return err;
}

static void
test_units(void)
{
	static const size_t steps[] = { 0, 1, 3, 7 };
	struct ps_pdf_reader r;
	struct capture cap;
	struct stream s = { 0 };

	put_unit(&s, "metadata", "title", "Staff list");
	put_frame(&s, 'B', "page 1", 7);
	put_frame(&s, 'T', "Card number 4111 ", 17);
	put_frame(&s, 'T', "", 0);
	put_frame(&s, 'T', "1111 1111 1111", 14);
	put_frame(&s, 'E', "", 0);
	put_frame(&s, 'N', "page 2", 6);
	put_unit(&s, "page 3 field HKID", "HKID Identity card", "A1234563");
	put_frame(&s, 'D', "", 0);
	for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
		is_int(feed(&r, &cap, &s, steps[i]), PS_OK, "frames in pieces of %zu: read",
		    steps[i]);
		is_str(cap.buf, "[metadata|title] Staff list\n"
		    "[page 1|] Card number 4111 1111 1111 1111\n"
		    "[page 3 field HKID|HKID Identity card] A1234563\n",
		    "frames in pieces of %zu: units, places, contexts, text joined", steps[i]);
		ok(r.done && r.text_seen && r.fatal == NULL && r.broken == NULL,
		    "frames in pieces of %zu: done", steps[i]);
		is_str(r.partial, "corrupt: page 2", "a page note is a partial reason");
	}
}

static void
test_notes(void)
{
	static const struct {
		const char *note, *fatal;
	} cases[] = {
		{ "encrypted", "encrypted" },
		{ "invalid", "corrupt: not a PDF document" },
		{ "damaged", "corrupt: the document cannot be opened" },
	};
	struct ps_pdf_reader r;
	struct capture cap;

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct stream s = { 0 };

		put_frame(&s, 'N', cases[i].note, strlen(cases[i].note));
		put_frame(&s, 'D', "", 0);
		is_int(feed(&r, &cap, &s, 0), PS_OK, "note %s: read", cases[i].note);
		is_str(r.fatal != NULL ? r.fatal : "", cases[i].fatal, "note %s: reason",
		    cases[i].note);
		ok(!r.text_seen && cap.len == 0, "note %s: no text", cases[i].note);
	}
}

/* A place with a newline, bytes that are not UTF-8 and a control
 * character: stored as printable text. */
static void
test_cleaning(void)
{
	struct ps_pdf_reader r;
	struct capture cap;
	struct stream s = { 0 };

	put_unit(&s, "page 1 field a\nb\xff\x01\xe8\xba\xab", "c\td", "x");
	put_frame(&s, 'D', "", 0);
	is_int(feed(&r, &cap, &s, 0), PS_OK, "odd place: read");
	is_str(cap.buf, "[page 1 field a?b??\xe8\xba\xab|c?d] x\n",
	    "odd place and context: control characters and bad bytes made '?'");
}

static void
test_broken(void)
{
	static const struct {
		const char *what, *bytes;
		size_t len;
		const char *broken;
		const char *text;       /* what reached the sink */
	} cases[] = {
		{ "unknown type", "hello", 5, "an unknown frame", "" },
		{ "text outside a unit", "T\1\0\0\0x", 6, "text outside a unit", "" },
		{ "end outside a unit", "E\0\0\0\0", 5, "an end outside a unit", "" },
		{ "unit without a place", "B\1\0\0\0\0", 6, "a unit without a place", "" },
		{ "empty unit frame", "B\0\0\0\0", 5, "a unit without a place", "" },
		{ "place too long", "B\377\377\0\0", 5, "a place or context too long", "" },
		{ "text frame too long", "B\2\0\0\0p\0T\1\0\1\0", 12, "a frame too long",
		  "[p|] \n" },
		{ "unit inside a unit", "B\2\0\0\0p\0B\2\0\0\0q\0", 14,
		  "a unit begins inside another", "[p|] \n" },
		{ "done inside a unit", "B\2\0\0\0p\0D\0\0\0\0", 12, "the end inside a unit",
		  "[p|] \n" },
		{ "done with a payload", "D\1\0\0\0x", 6, "a bad end", "" },
		{ "unknown note", "N\3\0\0\0foo", 8, "an unknown note", "" },
		{ "note with a bad number", "N\6\0\0\0page x", 11, "a note with a bad number", "" },
		{ "note with a zero page", "N\6\0\0\0page 0", 11, "a note with a bad number", "" },
		{ "huge page number", "N\031\0\0\0page 99999999999999999999", 30,
		  "a note with a bad number", "" },
		{ "empty note", "N\0\0\0\0", 5, "a bad note", "" },
		{ "output after the end", "D\0\0\0\0E", 6, NULL, "" },
	};
	struct ps_pdf_reader r;
	struct capture cap;

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct stream s = { 0 };
		enum ps_error err;

		memcpy(s.b, cases[i].bytes, cases[i].len);
		s.len = cases[i].len;
		err = feed(&r, &cap, &s, 0);
		if (cases[i].broken == NULL) {
			/* Only a header's first byte: waits for the rest. */
			ok(err == PS_OK && r.done, "%s: incomplete header waits", cases[i].what);
		} else {
			is_int(err, PS_ERR_CORRUPT, "%s: refused", cases[i].what);
			is_str(r.broken != NULL ? r.broken : "", cases[i].broken,
			    "%s: says how", cases[i].what);
		}
		is_str(cap.buf, cases[i].text, "%s: an open unit is ended", cases[i].what);
		/* Broken, or (the last case) a frame after the end. */
		is_int(ps_pdf_reader_feed(&r, "D\0\0\0\0", 5), PS_ERR_CORRUPT,
		    "%s: nothing more is taken", cases[i].what);
	}
}

int
main(void)
{
	test_units();
	test_notes();
	test_cleaning();
	test_broken();
	return done_testing();
}

/*
 * oletext.c - text helpers of the legacy Office readers (see ole.h):
 * windows-1252 and UTF-16 to UTF-8, paragraph units, and text runs.
 */
#include "config.h"

#include "ole.h"

#include <stdio.h>
#include <string.h>

/* 0x80..0x9F of windows-1252; 0 where the code page has no character. */
static const uint16_t cp1252_high[32] = {
	0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
	0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
};

uint32_t
ps_ole_cp1252(unsigned char b)
{
	if (b >= 0x80 && b < 0xA0 && cp1252_high[b - 0x80] != 0)
		return cp1252_high[b - 0x80];
	return b;
}

size_t
ps_ole_utf8(uint32_t c, char *out)
{
	if ((c >= 0xD800 && c < 0xE000) || c > 0x10FFFF)
		c = 0xFFFD;
	if (c < 0x80) {
		out[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		out[0] = (char)(0xC0 | c >> 6);
		out[1] = (char)(0x80 | (c & 0x3F));
		return 2;
	}
	if (c < 0x10000) {
		out[0] = (char)(0xE0 | c >> 12);
		out[1] = (char)(0x80 | (c >> 6 & 0x3F));
		out[2] = (char)(0x80 | (c & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | c >> 18);
	out[1] = (char)(0x80 | (c >> 12 & 0x3F));
	out[2] = (char)(0x80 | (c >> 6 & 0x3F));
	out[3] = (char)(0x80 | (c & 0x3F));
	return 4;
}

void
ps_para_init(struct ps_para *p, struct ps_sink *sink)
{
	memset(p, 0, sizeof *p);
	p->sink = sink;
}

static void
para_flush(struct ps_para *p)
{
	if (p->err == PS_OK && p->len > 0) {
		if (!p->open) {
			struct ps_unit unit = { .where = p->where, .context = p->context };

			if ((p->err = ps_sink_begin(p->sink, &unit)) != PS_OK)
				return;
			p->open = true;
		}
		p->err = ps_sink_text(p->sink, p->buf, p->len);
	}
	p->len = 0;
}

void
ps_para_put(struct ps_para *p, uint32_t c)
{
	if (p->err != PS_OK)
		return;
	if (p->len + 4 > sizeof p->buf)
		para_flush(p);
	p->len += ps_ole_utf8(c, p->buf + p->len);
}

void
ps_para_end(struct ps_para *p)
{
	para_flush(p);
	if (p->open) {
		enum ps_error err = ps_sink_end(p->sink);

		if (p->err == PS_OK)
			p->err = err;
		p->open = false;
	}
	/* What was buffered is personal data as often as not. */
	memset(p->buf, 0, sizeof p->buf);
}

static bool
printable8(unsigned char b)
{
	return (b >= 0x20 && b < 0x7F) || b == '\t';
}

/* A UTF-16 code unit that text is made of: Latin, punctuation, CJK,
 * Hangul, full-width forms. */
static bool
printable16(uint32_t u)
{
	return u == '\t' || (u >= 0x20 && u < 0x7F) || (u >= 0xA0 && u < 0x0250)
	    || (u >= 0x2000 && u < 0x2070) || (u >= 0x3000 && u < 0xA000)
	    || (u >= 0xAC00 && u < 0xD7A4) || (u >= 0xFF00 && u < 0xFFF0);
}

static void
runs8(struct ps_para *pa, const unsigned char *p, size_t len, bool *first)
{
	size_t start = 0;

	for (size_t i = 0; i <= len && pa->err == PS_OK; i++) {
		if (i < len && printable8(p[i]))
			continue;
		if (i - start >= PS_OLE_RUN_MIN) {
			if (!*first)
				ps_para_put(pa, '\n');
			*first = false;
			for (size_t k = start; k < i; k++)
				ps_para_put(pa, p[k]);
		}
		start = i + 1;
	}
}

/*
 * UTF-16LE runs starting at byte offset align.  A run all of whose units
 * are two printable ASCII bytes is 8-bit text read the wrong way (runs8
 * has it), not UTF-16.
 */
static void
runs16(struct ps_para *pa, const unsigned char *p, size_t len, size_t align,
    bool *first)
{
	size_t units = len > align ? (len - align) / 2 : 0, start = 0, pairs = 0;

	for (size_t i = 0; i <= units && pa->err == PS_OK; i++) {
		const unsigned char *q = p + align + 2 * i;
		uint32_t u = i < units ? ps_ole_u16(q) : 0;

		if (i < units && printable16(u)) {
			if (printable8(q[0]) && printable8(q[1]))
				pairs++;
			continue;
		}
		if (i - start >= PS_OLE_RUN_MIN && pairs < i - start) {
			if (!*first)
				ps_para_put(pa, '\n');
			*first = false;
			for (size_t k = start; k < i; k++)
				ps_para_put(pa, ps_ole_u16(p + align + 2 * k));
		}
		start = i + 1;
		pairs = 0;
	}
}

enum ps_error
ps_ole_text_runs(struct ps_extract *x, const unsigned char *p, size_t len,
    const char *where)
{
	struct ps_para pa;
	bool first = true;

	ps_para_init(&pa, x->sink);
	snprintf(pa.where, sizeof pa.where, "%s", where);
	runs8(&pa, p, len, &first);
	runs16(&pa, p, len, 0, &first);
	runs16(&pa, p, len, 1, &first);
	ps_para_end(&pa);
	return pa.err;
}

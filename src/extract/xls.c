/*
 * xls.c - Excel 97-2003 workbooks (BIFF8, [MS-XLS]) and Excel 5/95 ones
 * (BIFF5): every cell with a value is one unit located "Sheet!C7", with
 * its column's header (the sheet's first row with anything in it) as
 * context, through the grid of xml.h as xlsx.c does.
 *
 * The Workbook stream is a sequence of records.  The globals substream
 * names the sheets (BOUNDSHEET) and holds the shared strings (SST, which
 * CONTINUE records extend: a string cut by a record boundary goes on in
 * the next with a fresh 8-bit/16-bit flag; rich text runs and phonetic
 * data are skipped); each sheet's substream holds its cells: LABELSST,
 * LABEL and RSTRING (text), NUMBER, RK and MULRK (numbers), FORMULA (the
 * cached number, or the STRING record after it).  Numbers are written as
 * the integer they stand for when they are one, as xlsx.c does, so a card
 * number stored as a number is all its digits.  Charts and other
 * substreams inside a sheet are passed over.
 *
 * A stream that does not start with a BOF record is read for text runs
 * and recorded partial; a FILEPASS record (an encrypted workbook) stops
 * the reading, recorded partial "encrypted".
 */
#include "config.h"

#include "ole.h"
#include "xml.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../finding.h"

#define RT_FORMULA     0x0006
#define RT_EOF         0x000A
#define RT_FILEPASS    0x002F
#define RT_CONTINUE    0x003C
#define RT_BOUNDSHEET  0x0085
#define RT_MULRK       0x00BD
#define RT_RSTRING     0x00D6
#define RT_SST         0x00FC
#define RT_LABELSST    0x00FD
#define RT_NUMBER      0x0203
#define RT_LABEL       0x0204
#define RT_STRING      0x0207
#define RT_RK          0x027E
#define RT_BOF         0x0809

#define DT_GLOBALS     0x0005
#define DT_SHEET       0x0010
#define DT_MACRO       0x0040

#define MAX_STRING_BYTES ((size_t)128 << 20) /* shared strings kept */
#define MAX_SUBSTREAMS   8                   /* nested BOF..EOF tracked */
#define MAX_SHEETS       65536
#define NAME_MAX_BYTES   40

/* The record stream and the record being read. */
struct biff {
	const unsigned char *s;
	size_t len, pos;                /* pos: the next record's header */
	uint16_t type;
	const unsigned char *data;
	size_t dlen, at;                /* at: this record's offset */
	bool cut;                       /* a record runs past the end */
};

static bool
next_record(struct biff *b)
{
	uint16_t n;

	if (!ps_ole_has(b->len, b->pos, 4))
		return false;
	n = ps_ole_u16(b->s + b->pos + 2);
	if (!ps_ole_has(b->len, b->pos + 4, n)) {
		b->cut = true;
		return false;
	}
	b->type = ps_ole_u16(b->s + b->pos);
	b->at = b->pos;
	b->data = b->s + b->pos + 4;
	b->dlen = n;
	b->pos += 4 + (size_t)n;
	return true;
}

static bool
next_is_continue(const struct biff *b)
{
	return ps_ole_has(b->len, b->pos, 4)
	    && ps_ole_u16(b->s + b->pos) == RT_CONTINUE;
}

/* Bytes of a record and the CONTINUE records after it, as one run
 * (except inside a string's characters: see read_string). */
struct cursor {
	struct biff *b;
	size_t i;                       /* into b->data */
};

/* More bytes in this record, or in a CONTINUE after it. */
static bool
cur_more(struct cursor *c)
{
	while (c->i >= c->b->dlen) {
		if (!next_is_continue(c->b) || !next_record(c->b))
			return false;
		c->i = 0;
	}
	return true;
}

static bool
cur_u8(struct cursor *c, unsigned *v)
{
	if (!cur_more(c))
		return false;
	*v = c->b->data[c->i++];
	return true;
}

static bool
cur_u16(struct cursor *c, unsigned *v)
{
	unsigned lo, hi;

	if (!cur_u8(c, &lo) || !cur_u8(c, &hi))
		return false;
	*v = lo | hi << 8;
	return true;
}

static bool
cur_u32(struct cursor *c, uint32_t *v)
{
	unsigned lo, hi;

	if (!cur_u16(c, &lo) || !cur_u16(c, &hi))
		return false;
	*v = (uint32_t)lo | (uint32_t)hi << 16;
	return true;
}

static bool
cur_skip(struct cursor *c, uint64_t n)
{
	while (n > 0) {
		size_t k;

		if (!cur_more(c))
			return false;
		k = c->b->dlen - c->i;
		if (k > n)
			k = (size_t)n;
		c->i += k;
		n -= k;
	}
	return true;
}

/* A string being decoded to UTF-8: at most 65535 characters. */
struct text {
	char buf[65535 * 3 + 8];
	size_t len;
	uint32_t high;                  /* a UTF-16 high surrogate waiting */
};

static void
text_put16(struct text *t, uint32_t u)
{
	if (t->high != 0) {
		uint32_t h = t->high;

		t->high = 0;
		if (u >= 0xDC00 && u < 0xE000) {
			t->len += ps_ole_utf8(0x10000 + ((h - 0xD800) << 10) + (u - 0xDC00),
			    t->buf + t->len);
			return;
		}
		t->len += ps_ole_utf8(0xFFFD, t->buf + t->len);
	}
	if (u >= 0xD800 && u < 0xDC00)
		t->high = u;
	else
		t->len += ps_ole_utf8(u, t->buf + t->len);
}

enum string_read {
	STRING_WHOLE,
	STRING_NONE,                    /* the records ended before it */
	STRING_CUT,                     /* they ended inside it */
};

/*
 * An XLUnicodeString (LABEL, STRING; with rich: the
 * XLUnicodeRichExtendedString of the SST) into t; BIFF5: 8-bit
 * characters with no flags.  cch_bytes: 1 or 2, the size of the count.
 * When the records end first, t holds what was read.
 */
static enum string_read
read_string(struct cursor *c, bool biff8, unsigned cch_bytes, bool rich,
    struct text *t)
{
	unsigned cch, flags = 0, runs = 0;
	uint32_t ext = 0;
	bool wide;

	t->len = 0;
	t->high = 0;
	if (!(cch_bytes == 1 ? cur_u8(c, &cch) : cur_u16(c, &cch)))
		return STRING_NONE;
	if (biff8 && !cur_u8(c, &flags))
		return STRING_CUT;
	if (rich && (flags & 0x08) && !cur_u16(c, &runs))
		return STRING_CUT;
	if (rich && (flags & 0x04) && !cur_u32(c, &ext))
		return STRING_CUT;
	wide = (flags & 0x01) != 0;
	for (unsigned k = 0; k < cch; k++) {
		unsigned lo, hi = 0;

		/* Characters cut by a record boundary go on in a CONTINUE
		 * record that starts with their flags again. */
		if (c->i >= c->b->dlen) {
			if (!next_is_continue(c->b) || !next_record(c->b))
				goto cut;
			c->i = 0;
			if (biff8) {
				if (c->b->dlen == 0)
					goto cut;
				wide = (c->b->data[c->i++] & 0x01) != 0;
			}
		}
		if (!cur_u8(c, &lo) || (wide && !cur_u8(c, &hi)))
			goto cut;
		if (!biff8)
			t->len += ps_ole_utf8(ps_ole_cp1252((unsigned char)lo), t->buf + t->len);
		else
			text_put16(t, lo | hi << 8);
	}
	if (t->high != 0)
		text_put16(t, 0);
	if (!cur_skip(c, 4 * (uint64_t)runs) || !cur_skip(c, ext))
		return STRING_CUT;
	return STRING_WHOLE;
cut:
	if (t->high != 0)
		text_put16(t, 0);
	return STRING_CUT;
}

/* The shared strings: string i is text[start[i] .. start[i + 1] or len). */
struct strings {
	char *text;
	size_t len, cap;
	size_t *start;
	size_t count, scap;
};

static enum ps_error
strings_add(struct strings *s, const char *p, size_t n)
{
	if (s->count == s->scap) {
		size_t cap = s->scap == 0 ? 1024 : s->scap * 2;
		size_t *grown = realloc(s->start, cap * sizeof *grown);

		if (grown == NULL)
			return PS_ERR_NOMEM;
		s->start = grown;
		s->scap = cap;
	}
	if (s->len + n > s->cap) {
		size_t cap = s->cap == 0 ? 64 * 1024 : s->cap;
		char *grown;

		while (cap < s->len + n)
			cap *= 2;
		if ((grown = realloc(s->text, cap)) == NULL)
			return PS_ERR_NOMEM;
		s->text = grown;
		s->cap = cap;
	}
	memcpy(s->text + s->len, p, n);
	s->start[s->count++] = s->len;
	s->len += n;
	return PS_OK;
}

static void
strings_free(struct strings *s)
{
	/* Cell text is personal data: leave none of it in freed memory. */
	if (s->text != NULL)
		ps_wipe(s->text, s->len);
	free(s->text);
	free(s->start);
}

struct sheet {
	uint32_t offset;                /* of its BOF in the stream */
	char name[NAME_MAX_BYTES];
};

struct xls {
	struct ps_extract *x;
	struct biff b;
	bool biff8;
	struct strings sst;
	struct sheet *sheets;
	size_t nsheets, cap, next_sheet;
	struct ps_grid grid;
	struct text t;
	uint16_t kinds[MAX_SUBSTREAMS];
	unsigned depth, extra;
	bool in_sheet;                  /* cells are read */
	bool pending;                   /* a string formula waits for STRING */
	uint32_t prow, pcol;
};

static enum ps_error
read_sst(struct xls *w)
{
	struct cursor c = { &w->b, 8 };
	uint32_t unique = w->b.dlen >= 8 ? ps_ole_u32(w->b.data + 4) : 0;
	enum ps_error err = PS_OK;

	/* The count is a claim: reading stops where the records do. */
	for (uint32_t i = 0; i < unique && err == PS_OK; i++) {
		enum string_read got = read_string(&c, true, 2, true, &w->t);

		if (got == STRING_NONE)
			break;
		if (w->sst.len + w->t.len > MAX_STRING_BYTES) {
			ps_extract_partial(w->x, "limit: shared strings");
			break;
		}
		err = strings_add(&w->sst, w->t.buf, w->t.len);
		if (got == STRING_CUT) {
			ps_extract_partial(w->x, "corrupt: shared strings");
			break;
		}
	}
	return err;
}

static void
read_boundsheet(struct xls *w)
{
	struct cursor c = { &w->b, 6 };
	struct sheet *sh;

	if (w->b.dlen < 6 || w->nsheets >= MAX_SHEETS)
		return;
	if (w->nsheets == w->cap) {
		size_t cap = w->cap == 0 ? 16 : w->cap * 2;
		struct sheet *grown = realloc(w->sheets, cap * sizeof *grown);

		if (grown == NULL)
			return;
		w->sheets = grown;
		w->cap = cap;
	}
	sh = &w->sheets[w->nsheets++];
	sh->offset = ps_ole_u32(w->b.data);
	read_string(&c, w->biff8, 1, false, &w->t);
	sh->name[0] = '\0';
	ps_xml_append(sh->name, sizeof sh->name, w->t.buf, w->t.len);
}

/* A sheet's BOF: its name from BOUNDSHEET, by offset or else by order. */
static enum ps_error
start_sheet(struct xls *w)
{
	char fallback[24];
	const char *name = NULL;

	for (size_t i = 0; i < w->nsheets && name == NULL; i++)
		if (w->sheets[i].offset == w->b.at) {
			name = w->sheets[i].name;
			w->next_sheet = i + 1;
		}
	if (name == NULL && w->next_sheet < w->nsheets)
		name = w->sheets[w->next_sheet++].name;
	if (name == NULL) {
		snprintf(fallback, sizeof fallback, "Sheet%zu", ++w->next_sheet);
		name = fallback;
	}
	return ps_grid_sheet(&w->grid, w->x->sink, name);
}

static enum ps_error
cell(struct xls *w, unsigned row, unsigned col, const char *s, size_t n)
{
	enum ps_error err;

	ps_grid_cell(&w->grid, (uint64_t)row + 1, col);
	if ((err = ps_grid_text(&w->grid, s, n)) != PS_OK)
		return err;
	return ps_grid_end_cell(&w->grid, 1);
}

/* A number as xlsx.c would read its text: the shortest decimal that
 * gives the double back, as an integer's digits when it is one. */
static enum ps_error
number_cell(struct xls *w, unsigned row, unsigned col, double v)
{
	char s[48], digits[48];

	if (!isfinite(v))
		return PS_OK;
	for (int prec = 15; prec <= 17; prec++) {
		snprintf(s, sizeof s, "%.*g", prec, v);
		if (strtod(s, NULL) == v)
			break;
	}
	if (ps_xml_integer_text(s, digits, sizeof digits))
		return cell(w, row, col, digits, strlen(digits));
	return cell(w, row, col, s, strlen(s));
}

static double
rk_value(uint32_t rk)
{
	double v;

	if (rk & 0x02) {
		int32_t i = (int32_t)(rk & 0xFFFFFFFC) / 4;

		v = i;
	} else {
		uint64_t bits = (uint64_t)(rk & 0xFFFFFFFC) << 32;

		memcpy(&v, &bits, sizeof v);
	}
	return rk & 0x01 ? v / 100 : v;
}

static double
double_at(const unsigned char *p)
{
	uint64_t bits = (uint64_t)ps_ole_u32(p) | (uint64_t)ps_ole_u32(p + 4) << 32;
	double v;

	memcpy(&v, &bits, sizeof v);
	return v;
}

/* A record of a sheet's substream. */
static enum ps_error
sheet_record(struct xls *w)
{
	const unsigned char *d = w->b.data;
	size_t n = w->b.dlen;
	unsigned row = n >= 4 ? ps_ole_u16(d) : 0, col = n >= 4 ? ps_ole_u16(d + 2) : 0;
	struct cursor c = { &w->b, 6 };
	uint32_t isst;

	switch (w->b.type) {
	case RT_LABELSST:
		if (n < 10 || (isst = ps_ole_u32(d + 6)) >= w->sst.count)
			return PS_OK;
		w->pending = false;
		return cell(w, row, col, w->sst.text + w->sst.start[isst],
		    (isst + 1 < w->sst.count ? w->sst.start[isst + 1] : w->sst.len)
		    - w->sst.start[isst]);
	case RT_LABEL:
	case RT_RSTRING:
		if (n < 8)
			return PS_OK;
		w->pending = false;
		read_string(&c, w->biff8, 2, false, &w->t);
		return cell(w, row, col, w->t.buf, w->t.len);
	case RT_NUMBER:
		if (n < 14)
			return PS_OK;
		w->pending = false;
		return number_cell(w, row, col, double_at(d + 6));
	case RT_RK:
		if (n < 10)
			return PS_OK;
		w->pending = false;
		return number_cell(w, row, col, rk_value(ps_ole_u32(d + 6)));
	case RT_MULRK: {
		enum ps_error err = PS_OK;

		w->pending = false;
		/* rw, colFirst, (ixfe, rk)..., colLast */
		for (size_t i = 0; n >= 6 && 4 + 6 * (i + 1) <= n - 2 && err == PS_OK; i++)
			err = number_cell(w, row, col + (unsigned)i,
			    rk_value(ps_ole_u32(d + 4 + 6 * i + 2)));
		return err;
	}
	case RT_FORMULA:
		if (n < 14)
			return PS_OK;
		w->pending = false;
		if (d[12] == 0xFF && d[13] == 0xFF) {
			/* Not a number: a string (in the STRING record that
			 * follows), a boolean, an error or nothing. */
			if (d[6] == 0x00) {
				w->pending = true;
				w->prow = row;
				w->pcol = col;
			}
			return PS_OK;
		}
		return number_cell(w, row, col, double_at(d + 6));
	case RT_STRING:
		if (!w->pending)
			return PS_OK;
		w->pending = false;
		c.i = 0;
		read_string(&c, w->biff8, 2, false, &w->t);
		return cell(w, w->prow, w->pcol, w->t.buf, w->t.len);
	}
	return PS_OK;
}

static enum ps_error
records(struct xls *w)
{
	enum ps_error err = PS_OK;

	while (err == PS_OK && next_record(&w->b)) {
		const unsigned char *d = w->b.data;

		if (ps_extract_stopping(w->x))
			return PS_ERR_STOP;
		switch (w->b.type) {
		case RT_BOF: {
			uint16_t dt = w->b.dlen >= 4 ? ps_ole_u16(d + 2) : 0;

			if (w->depth == MAX_SUBSTREAMS || w->extra > 0) {
				w->extra++;
				continue;
			}
			w->kinds[w->depth++] = dt;
			w->in_sheet = w->depth == 1 && (dt == DT_SHEET || dt == DT_MACRO);
			w->pending = false;
			if (w->in_sheet)
				err = start_sheet(w);
			continue;
		}
		case RT_EOF:
			if (w->extra > 0)
				w->extra--;
			else if (w->depth > 0)
				w->depth--;
			w->in_sheet = w->depth == 1
			    && (w->kinds[0] == DT_SHEET || w->kinds[0] == DT_MACRO);
			continue;
		case RT_FILEPASS:
			ps_extract_partial(w->x, "encrypted");
			return PS_OK;
		}
		if (w->depth <= 1 && w->extra == 0 && w->b.type == RT_SST && w->sst.count == 0)
			err = read_sst(w);
		else if (w->depth <= 1 && w->extra == 0 && w->b.type == RT_BOUNDSHEET)
			read_boundsheet(w);
		else if (w->in_sheet && w->extra == 0)
			err = sheet_record(w);
	}
	if (err == PS_OK && w->b.cut)
		ps_extract_partial(w->x, "corrupt: Workbook cut short");
	return err;
}

enum ps_error
ps_ole_xls(struct ps_extract *x, struct ps_ole *o)
{
	struct ps_ole_stream s = { 0 };
	struct xls *w;
	enum ps_error err;
	const char *name = "Workbook";

	ps_extract_set_type(x, "xls");
	if ((w = calloc(1, sizeof *w)) == NULL)
		return PS_ERR_NOMEM;
	w->x = x;
	err = ps_ole_stream(o, name, &s);
	if (err == PS_ERR_OPEN)
		err = ps_ole_stream(o, name = "Book", &s);
	if (err != PS_OK) {
		err = err == PS_ERR_NOMEM ? err : PS_OK;
		goto done;
	}
	w->b.s = s.data;
	w->b.len = s.len;
	/* A BOF first, which says BIFF8 (0x0600) or BIFF5 (0x0500). */
	if (s.len < 8 || ps_ole_u16(s.data) != RT_BOF) {
		ps_extract_partial(x, "corrupt: BIFF");
		err = ps_ole_text_runs(x, s.data, s.len, name);
		goto done;
	}
	w->biff8 = ps_ole_u16(s.data + 4) >= 0x0600;
	err = records(w);
done:
	ps_grid_free(&w->grid);
	strings_free(&w->sst);
	free(w->sheets);
	ps_wipe(&w->t, sizeof w->t);
	free(w);
	ps_ole_stream_free(&s);
	return err;
}

/*
 * pdftable.c - tables in a PDF page, from the boxes of its characters
 * (pdftable.h).
 *
 * The page's lines are first grouped into rows (lines on one baseline:
 * poppler gives each cell of a wide table a line of its own) and each
 * row into words, sorted left to right.  Then, from each row on, a
 * window of rows is grown while its words keep falling into the same
 * columns; the first window that has columns and every row that still
 * fits them make a table.
 */
#include "config.h"

#include "pdftable.h"
#include "piiscan.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Distances, in points, within which two x positions are one. */
#define EPS             0.6
/* A gap between two characters of a line wider than this share of the
 * line's height splits a word even without a space. */
#define WORD_GAP        0.3
/* Rows of a table are no further apart than this share of a row's
 * height (paragraph gaps included: a table's rows may be padded). */
#define ROW_GAP         1.0
/* A gap at least this share of a row's height wide is a column gap
 * without further evidence; a word space is about a quarter of it. */
#define WIDE_GAP        0.8
/* How many rows past the last window that made a table are tried
 * before the table is closed. */
#define LOOKAHEAD       3
/* Words that line up start (or end) within this distance of each other:
 * the cells of a table are placed exactly, prose only by chance. */
#define ALIGN           0.15
/* A narrow gap (or a glued line) is a column gap only in a table of at
 * least this many rows: in fewer, prose lines line up by chance. */
#define NARROW_ROWS     4
/* The longest mark of a list item ("1.", "(a)", a bullet). */
#define LIST_MARK       3

struct glyph {
	const char *s;          /* its UTF-8 bytes in the line */
	unsigned char n;
	double x1, x2;
};

struct word {
	double x1, x2;
	size_t g0, g1;          /* glyphs[g0, g1) */
};

struct row {
	size_t l0, l1;          /* lines[l0, l1) */
	size_t w0, w1;          /* words[w0, w1), left to right */
	double y1, y2, x1, x2;
	bool odd;               /* not a candidate for a table */
};

struct gap {
	double lo, hi;
};

struct table {
	size_t r0, r1;          /* rows[r0, r1) */
	size_t ngaps;
	struct gap *gaps;       /* column gaps, left to right */
};

struct ps_pdf_layout {
	const struct ps_pdf_line *lines;
	size_t nlines;
	struct glyph *glyphs;
	size_t nglyphs;
	struct word *words;
	size_t nwords;
	struct row *rows;
	size_t nrows;
	struct table *tables;
	size_t ntables;
	uint64_t work;
};

/* What a row has at a gap. */
struct at_gap {
	bool left, right;       /* words wholly left / right of it */
	bool crossed;           /* a word runs into it, not as a glued cell */
	bool glued;             /* a word runs across it without a gap */
	bool starts, ends;      /* a word starts at its right / ends at its left edge */
	bool digits;            /* the words beside it end and begin with digits */
};

struct buf {
	char *p;
	size_t len, cap;
};

static size_t
utf8_len(const char *s, size_t left)
{
	unsigned char c = (unsigned char)*s;
	size_t n = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;

	return n <= left ? n : left;
}

static bool
is_blank(const char *s, size_t n)
{
	return (n == 1 && (*s == ' ' || *s == '\t'))
	    || (n == 2 && (unsigned char)s[0] == 0xC2 && (unsigned char)s[1] == 0xA0)
	    || (n == 3 && (unsigned char)s[0] == 0xE3 && (unsigned char)s[1] == 0x80
	    && (unsigned char)s[2] == 0x80);
}

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static double
overlap(double a1, double a2, double b1, double b2)
{
	return (a2 < b2 ? a2 : b2) - (a1 > b1 ? a1 : b1);
}

/*
 * The words of line li, appended to the layout; false when the line is
 * odd: no boxes, characters not on one baseline, or going backwards
 * (rotated or overprinted text).  Its box in *box.
 */
static bool
line_words(struct ps_pdf_layout *lo, size_t li, size_t *gcap, size_t *wcap,
    struct ps_pdf_box *box)
{
	const struct ps_pdf_line *l = &lo->lines[li];
	const struct ps_pdf_box *first = NULL, *prev = NULL;
	bool in_word = false;
	size_t k = 0;

	if (l->boxes == NULL)
		return false;
	for (size_t i = 0; i < l->len; k++) {
		size_t n = utf8_len(l->start + i, l->len - i);
		const struct ps_pdf_box *b = &l->boxes[k];
		double h;

		if (is_blank(l->start + i, n)) {
			in_word = false;
			i += n;
			continue;
		}
		if (first == NULL) {
			first = b;
			*box = *b;
		}
		h = first->y2 - first->y1;
		if (b->y2 - b->y1 < h)
			h = b->y2 - b->y1;
		if (!(b->x2 >= b->x1) || !(h > 0)
		    || overlap(b->y1, b->y2, first->y1, first->y2) < h / 2)
			return false;
		if (prev != NULL && b->x1 < prev->x1 - EPS)
			return false;
		if (prev != NULL && b->x1 - prev->x2 > WORD_GAP * (first->y2 - first->y1))
			in_word = false;
		if (!ps_grow((void **)&lo->glyphs, gcap, lo->nglyphs + 1, sizeof *lo->glyphs))
			return false;
		lo->glyphs[lo->nglyphs] = (struct glyph){ l->start + i, (unsigned char)n,
			b->x1, b->x2 };
		if (!in_word) {
			if (!ps_grow((void **)&lo->words, wcap, lo->nwords + 1, sizeof *lo->words))
				return false;
			lo->words[lo->nwords++] = (struct word){ b->x1, b->x2, lo->nglyphs,
				lo->nglyphs };
			in_word = true;
		}
		lo->words[lo->nwords - 1].g1 = ++lo->nglyphs;
		if (b->x2 > lo->words[lo->nwords - 1].x2)
			lo->words[lo->nwords - 1].x2 = b->x2;
		if (b->x1 < box->x1)
			box->x1 = b->x1;
		if (b->x2 > box->x2)
			box->x2 = b->x2;
		if (b->y1 < box->y1)
			box->y1 = b->y1;
		if (b->y2 > box->y2)
			box->y2 = b->y2;
		prev = b;
		i += n;
	}
	return first != NULL;
}

/* Sort a row's words left to right; odd when two overlap. */
static bool
sort_words(struct word *w, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		struct word t = w[i];
		size_t j = i;

		for (; j > 0 && w[j - 1].x1 > t.x1; j--)
			w[j] = w[j - 1];
		w[j] = t;
	}
	for (size_t i = 1; i < n; i++)
		if (w[i].x1 < w[i - 1].x2 - EPS)
			return false;
	return true;
}

/* Lines into rows, rows into words. */
static bool
make_rows(struct ps_pdf_layout *lo)
{
	size_t gcap = 0, wcap = 0, rcap = 0;

	for (size_t i = 0; i < lo->nlines; i++) {
		struct ps_pdf_box box = { 0 };
		size_t w0 = lo->nwords, g0 = lo->nglyphs;
		bool good = line_words(lo, i, &gcap, &wcap, &box);
		struct row *r = lo->nrows > 0 ? &lo->rows[lo->nrows - 1] : NULL;

		if (!good) {
			lo->nwords = w0;
			lo->nglyphs = g0;
		}
		if (good && r != NULL && !r->odd && r->l1 == i) {
			double h = r->y2 - r->y1 < box.y2 - box.y1 ? r->y2 - r->y1
			    : box.y2 - box.y1;

			if (overlap(r->y1, r->y2, box.y1, box.y2) > h / 2) {
				r->l1 = i + 1;
				r->w1 = lo->nwords;
				if (box.x1 < r->x1)
					r->x1 = box.x1;
				if (box.x2 > r->x2)
					r->x2 = box.x2;
				if (box.y1 < r->y1)
					r->y1 = box.y1;
				if (box.y2 > r->y2)
					r->y2 = box.y2;
				continue;
			}
		}
		if (!ps_grow((void **)&lo->rows, &rcap, lo->nrows + 1, sizeof *lo->rows))
			return false;
		lo->rows[lo->nrows++] = (struct row){ i, i + 1, w0, lo->nwords,
			box.y1, box.y2, box.x1, box.x2, !good };
	}
	for (size_t i = 0; i < lo->nrows; i++) {
		struct row *r = &lo->rows[i];

		if (!r->odd && (r->w1 - r->w0 > PS_PDF_TABLE_MAX_WORDS
		    || !sort_words(lo->words + r->w0, r->w1 - r->w0)))
			r->odd = true;
	}
	return true;
}

/* Can rows i and i + 1 be rows of one table? */
static bool
linked(const struct ps_pdf_layout *lo, size_t i)
{
	const struct row *a = &lo->rows[i], *b = &lo->rows[i + 1];
	double h = a->y2 - a->y1 > b->y2 - b->y1 ? a->y2 - a->y1 : b->y2 - b->y1;

	return !a->odd && !b->odd && b->y1 > a->y1 + h / 2
	    && b->y1 - a->y2 <= ROW_GAP * h && overlap(a->x1, a->x2, b->x1, b->x2) > 0;
}

/* Where word w, running across x = hi, starts the next cell: the first
 * glyph at hi, when it starts exactly there, touching the one before. */
static size_t
glue_point(const struct ps_pdf_layout *lo, const struct word *w, double hi)
{
	for (size_t g = w->g0; g < w->g1; g++) {
		char a, b;

		if (lo->glyphs[g].x1 < hi - EPS)
			continue;
		if (g == w->g0 || fabs(lo->glyphs[g].x1 - hi) > ALIGN
		    || lo->glyphs[g - 1].x2 < hi - ALIGN)
			return SIZE_MAX;
		/* Not inside a word or a number: two cells glued read as one
		 * thing ending and another beginning ("WaP4811317"). */
		a = lo->glyphs[g - 1].s[0];
		b = lo->glyphs[g].s[0];
		if ((a >= 'a' && a <= 'z' && b >= 'a' && b <= 'z')
		    || (is_digit(a) && is_digit(b)))
			return SIZE_MAX;
		return g;
	}
	return SIZE_MAX;
}

static void
row_at_gap(const struct ps_pdf_layout *lo, const struct row *r, const struct gap *gp,
    struct at_gap *a)
{
	const struct word *w = lo->words + r->w0;
	size_t n = r->w1 - r->w0, low = 0, high = n;

	memset(a, 0, sizeof *a);
	/* The first word that ends right of the gap's left edge. */
	while (low < high) {
		size_t mid = (low + high) / 2;

		if (w[mid].x2 > gp->lo + EPS)
			high = mid;
		else
			low = mid + 1;
	}
	a->left = low > 0;
	a->ends = low > 0 && fabs(w[low - 1].x2 - gp->lo) <= ALIGN;
	if (low == n)
		return;
	if (w[low].x1 >= gp->hi - EPS) {
		a->right = true;
		a->starts = fabs(w[low].x1 - gp->hi) <= ALIGN;
		a->digits = a->left && is_digit(lo->glyphs[w[low - 1].g1 - 1].s[0])
		    && is_digit(lo->glyphs[w[low].g0].s[0]);
	} else if (glue_point(lo, &w[low], gp->hi) != SIZE_MAX) {
		a->glued = a->left = a->right = a->starts = true;
	} else {
		a->crossed = true;
	}
}

struct event {
	double x;
	int d;
};

static int
event_cmp(const void *a, const void *b)
{
	const struct event *p = a, *q = b;

	return p->x < q->x ? -1 : p->x > q->x;
}

static int
double_cmp(const void *a, const void *b)
{
	const double *p = a, *q = b;

	return *p < *q ? -1 : *p > *q;
}

/* Is gap g of rows[r0, r1) a column gap?  wide: without more evidence;
 * glue: a line at which some rows' text runs on without a gap. */
static bool
good_gap(struct ps_pdf_layout *lo, size_t r0, size_t r1, const struct gap *g,
    bool wide, bool glue)
{
	size_t nrows = r1 - r0, left = 0, right = 0, starts = 0, ends = 0;
	size_t beside = 0, digits = 0, glued = 0;

	lo->work += nrows;
	for (size_t r = r0; r < r1; r++) {
		struct at_gap a;

		row_at_gap(lo, &lo->rows[r], g, &a);
		if (a.crossed)
			return false;
		left += a.left;
		right += a.right;
		starts += a.starts && !a.glued;
		ends += a.ends;
		glued += a.glued;
		beside += a.left && a.right && !a.glued;
		digits += a.digits;
	}
	if (left < 2 || right < 2 || (glue && glued == 0))
		return false;
	if (wide && !glue)
		return true;
	/* Narrow: the groups of a number line up in a column of numbers,
	 * and a few prose lines can share a gap by chance. */
	return nrows >= NARROW_ROWS && !(digits > 0 && 2 * digits >= beside)
	    && (glue ? starts >= 2 && 3 * (starts + glued) >= 2 * nrows
	    : 3 * starts >= 2 * nrows || 3 * ends >= 2 * nrows);
}

/* Are the characters of rows[r0, r1) all of one width (a typewriter
 * font, where every character boundary would look like a glued cell)? */
static bool
fixed_pitch(struct ps_pdf_layout *lo, size_t r0, size_t r1)
{
	double min = HUGE_VAL, max = -HUGE_VAL;

	for (size_t r = r0; r < r1; r++)
		for (size_t w = lo->rows[r].w0; w < lo->rows[r].w1; w++)
			for (size_t g = lo->words[w].g0; g < lo->words[w].g1; g++) {
				double d = lo->glyphs[g].x2 - lo->glyphs[g].x1;

				lo->work++;
				if (d < min)
					min = d;
				if (d > max)
					max = d;
			}
	return max - min < 2 * ALIGN;
}

/* Two columns, the first of marks no longer than LIST_MARK characters:
 * a list with bullets or numbers, or footnotes, not a table. */
static bool
is_list(const struct ps_pdf_layout *lo, size_t r0, size_t r1, const struct gap *g)
{
	for (size_t r = r0; r < r1; r++) {
		size_t n = 0;

		for (size_t w = lo->rows[r].w0; w < lo->rows[r].w1
		    && lo->words[w].x2 <= g->lo + EPS; w++)
			n += lo->words[w].g1 - lo->words[w].g0;
		if (n > LIST_MARK)
			return false;
	}
	return true;
}

static int
gap_cmp(const void *a, const void *b)
{
	const struct gap *p = a, *q = b;

	return p->lo < q->lo ? -1 : p->lo > q->lo;
}

/*
 * The column gaps of rows[r0, r1): x-ranges that no row has a word in,
 * with words on both sides, wide or lined up with words; and lines at
 * which most rows start a word and the others run on without a gap (a
 * clipped spreadsheet cell).  Returns how many (0: not a table), or -1
 * when out of memory.
 */
static long
find_gaps(struct ps_pdf_layout *lo, size_t r0, size_t r1, struct gap **out)
{
	size_t nrows = r1 - r0, nev = 0, ngaps = 0, cap = 0, multi = 0, kept = 0;
	size_t nx = 0, count = 0;
	struct event *ev;
	struct gap *gaps = NULL;
	double *xs = NULL, h = 0, open = 0;
	bool is_open = false, started = false;
	long result = -1;

	*out = NULL;
	for (size_t r = r0; r < r1; r++) {
		nev += 2 * (lo->rows[r].w1 - lo->rows[r].w0);
		h += lo->rows[r].y2 - lo->rows[r].y1;
	}
	h /= (double)nrows;
	lo->work += nev;
	if ((ev = malloc((nev > 0 ? nev : 1) * sizeof *ev)) == NULL)
		return -1;
	nev = 0;
	for (size_t r = r0; r < r1; r++)
		for (size_t w = lo->rows[r].w0; w < lo->rows[r].w1; w++) {
			ev[nev++] = (struct event){ lo->words[w].x1, 1 };
			ev[nev++] = (struct event){ lo->words[w].x2, -1 };
		}
	qsort(ev, nev, sizeof *ev, event_cmp);
	/* The x-ranges no word reaches into, between the first and the last. */
	for (size_t i = 0; i < nev; ) {
		double x = ev[i].x;
		long c = (long)count;

		for (; i < nev && ev[i].x == x; i++)
			c += ev[i].d;
		count = c > 0 ? (size_t)c : 0;
		if (started && count == 0 && !is_open) {
			is_open = true;
			open = x;
		} else if (count > 0 && is_open) {
			is_open = false;
			if (!ps_grow((void **)&gaps, &cap, ngaps + 1, sizeof *gaps))
				goto done;
			gaps[ngaps++] = (struct gap){ open, x };
		}
		started = true;
	}
	for (size_t g = 0; g < ngaps; g++)
		if (good_gap(lo, r0, r1, &gaps[g], gaps[g].hi - gaps[g].lo >= WIDE_GAP * h,
		    false))
			gaps[kept++] = gaps[g];
	ngaps = kept;
	/* Lines where words start in most rows, the others glued there. */
	if (nrows >= NARROW_ROWS && !fixed_pitch(lo, r0, r1)) {
		if ((xs = malloc((nev / 2 > 0 ? nev / 2 : 1) * sizeof *xs)) == NULL)
			goto done;
		for (size_t r = r0; r < r1; r++)
			for (size_t w = lo->rows[r].w0 + 1; w < lo->rows[r].w1; w++)
				xs[nx++] = lo->words[w].x1;
		qsort(xs, nx, sizeof *xs, double_cmp);
		for (size_t i = 0, j; i < nx; i = j) {
			struct gap line = { xs[i], xs[i] };
			bool inside = false;

			for (j = i + 1; j < nx && xs[j] - xs[i] <= ALIGN; j++)
				;
			if (j - i < 2)
				continue;
			for (size_t g = 0; g < kept; g++)
				inside |= xs[i] >= gaps[g].lo - EPS && xs[i] <= gaps[g].hi + EPS;
			if (inside || !good_gap(lo, r0, r1, &line, false, true))
				continue;
			if (!ps_grow((void **)&gaps, &cap, ngaps + 1, sizeof *gaps))
				goto done;
			gaps[ngaps++] = line;
		}
		if (ngaps > 1)  /* gaps is NULL while there are none */
			qsort(gaps, ngaps, sizeof *gaps, gap_cmp);
	}
	if (ngaps + 1 > PS_PDF_TABLE_MAX_COLUMNS || (ngaps == 1 && is_list(lo, r0, r1, gaps)))
		ngaps = 0;
	/* At least two rows with words in two columns. */
	for (size_t r = r0; r < r1 && ngaps > 0; r++) {
		const struct row *row = &lo->rows[r];
		size_t first = 0, last = 0;

		if (row->w1 == row->w0)
			continue;
		for (size_t g = 0; g < ngaps; g++) {
			first += lo->words[row->w0].x1 >= gaps[g].hi - EPS;
			last += lo->words[row->w1 - 1].x2 > gaps[g].hi + EPS;
		}
		multi += last > first;
	}
	if (multi < 2)
		ngaps = 0;
	result = (long)ngaps;
	if (ngaps > 0) {
		*out = gaps;
		gaps = NULL;
	}
done:
	free(xs);
	free(gaps);
	free(ev);
	return result;
}

/* Has the table a wide gap that none of gaps[0, n) overlaps? */
static bool
loses_wide_gap(const struct ps_pdf_layout *lo, size_t r0, size_t r1,
    const struct table *t, const struct gap *gaps, size_t n)
{
	double h = 0;

	for (size_t r = r0; r < r1; r++)
		h += lo->rows[r].y2 - lo->rows[r].y1;
	h /= (double)(r1 - r0);
	for (size_t i = 0; i < t->ngaps; i++) {
		bool kept = false;

		if (t->gaps[i].hi - t->gaps[i].lo < WIDE_GAP * h)
			continue;
		for (size_t j = 0; j < n && !kept; j++)
			kept = overlap(t->gaps[i].lo, t->gaps[i].hi, gaps[j].lo, gaps[j].hi) >= 0;
		if (!kept)
			return true;
	}
	return false;
}

/* Grow a table from row r0; its end in *r1 and gaps in *t, or false. */
static bool
grow_table(struct ps_pdf_layout *lo, size_t r0, struct table *t, bool *oom)
{
	size_t last = r0;

	memset(t, 0, sizeof *t);
	for (size_t r = r0 + 1; r < lo->nrows && linked(lo, r - 1)
	    && r - r0 < PS_PDF_TABLE_MAX_ROWS && r - last <= LOOKAHEAD
	    && lo->work <= PS_PDF_TABLE_MAX_WORK; r++) {
		struct gap *gaps;
		long n;

		if ((n = find_gaps(lo, r0, r + 1, &gaps)) < 0) {
			*oom = true;
			break;
		}
		/* A row that takes a wide gap away does not belong (yet); a
		 * narrow one may have been spaces that lined up in the first
		 * rows. */
		if (n > 0 && loses_wide_gap(lo, r0, r + 1, t, gaps, (size_t)n)) {
			free(gaps);
		} else if (n > 0) {
			free(t->gaps);
			t->gaps = gaps;
			t->ngaps = (size_t)n;
			last = r;
		}
	}
	if (t->ngaps == 0)
		return false;
	t->r0 = r0;
	t->r1 = last + 1;
	return true;
}

struct ps_pdf_layout *
ps_pdf_layout_new(const struct ps_pdf_line *lines, size_t n)
{
	struct ps_pdf_layout *lo = calloc(1, sizeof *lo);
	size_t glyphs = 0, tcap = 0;
	bool oom = false;

	if (lo == NULL)
		return NULL;
	lo->lines = lines;
	lo->nlines = n;
	for (size_t i = 0; i < n; i++)
		glyphs += lines[i].len;
	if (n > PS_PDF_TABLE_MAX_LINES || glyphs > PS_PDF_TABLE_MAX_GLYPHS * 4)
		return lo;
	if (!make_rows(lo))
		goto fail;
	if (lo->nglyphs > PS_PDF_TABLE_MAX_GLYPHS)
		return lo;
	for (size_t r = 0; r + 1 < lo->nrows && lo->work <= PS_PDF_TABLE_MAX_WORK; ) {
		struct table t;

		if (!grow_table(lo, r, &t, &oom)) {
			if (oom)
				goto fail;
			r++;
			continue;
		}
		if (!ps_grow((void **)&lo->tables, &tcap, lo->ntables + 1, sizeof *lo->tables)) {
			free(t.gaps);
			goto fail;
		}
		lo->tables[lo->ntables++] = t;
		r = t.r1;
	}
	return lo;
fail:
	ps_pdf_layout_free(lo);
	return NULL;
}

/* --- cells ------------------------------------------------------------ */

static void
put(struct buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > PS_PDF_TABLE_MAX_GLYPHS * 4
	    || !ps_grow((void **)&b->p, &b->cap, b->len + n + 1, 1))
		return;
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static size_t
column_of(const struct table *t, double x)
{
	size_t c = 0;

	while (c < t->ngaps && x >= t->gaps[c].hi - EPS)
		c++;
	return c;
}

/* One row of cells, and what is needed to join the next row to it. */
struct cells {
	struct buf *text;       /* per column */
	double *x2;             /* right end of each column's text */
	size_t filled;          /* columns with text */
};

static void
cells_clear(struct cells *c, size_t ncols)
{
	for (size_t i = 0; i < ncols; i++) {
		c->text[i].len = 0;
		c->x2[i] = -HUGE_VAL;
	}
	c->filled = 0;
}

/* The visual row r split at the table's columns. */
static void
split_row(const struct ps_pdf_layout *lo, const struct table *t, size_t r,
    struct cells *c)
{
	const struct row *row = &lo->rows[r];
	size_t ncols = t->ngaps + 1;

	cells_clear(c, ncols);
	for (size_t w = row->w0; w < row->w1; w++) {
		const struct word *wd = &lo->words[w];
		size_t prev = SIZE_MAX;

		for (size_t g = wd->g0; g < wd->g1; g++) {
			const struct glyph *gl = &lo->glyphs[g];
			size_t col = column_of(t, gl->x1);
			struct buf *b = &c->text[col];

			if (col != prev && b->len > 0)
				put(b, " ", 1);
			if (b->len == 0)
				c->filled++;
			put(b, gl->s, gl->n);
			if (gl->x2 > c->x2[col])
				c->x2[col] = gl->x2;
			prev = col;
		}
	}
}

/* Does visual row cur continue the cells of the table row so far (a
 * row broken over lines)?  When it has nothing in the first column,
 * fewer cells than the row's first line, and only under its cells. */
static bool
continues(const struct cells *row, const struct cells *cur, size_t ncols)
{
	if (cur->text[0].len > 0 || cur->filled >= row->filled)
		return false;
	for (size_t i = 0; i < ncols; i++)
		if (cur->text[i].len > 0 && row->text[i].len == 0)
			return false;
	return true;
}

static void
emit_row(const struct cells *row, const struct buf *header, bool first,
    size_t ncols, ps_pdf_cell_fn *fn, void *arg)
{
	for (size_t i = 0; i < ncols; i++)
		if (row->text[i].len > 0)
			fn(arg, first ? NULL : header[i].p != NULL ? header[i].p : "",
			    row->text[i].p, row->text[i].len);
}

size_t
ps_pdf_layout_table(struct ps_pdf_layout *lo, size_t line, ps_pdf_cell_fn *fn,
    void *arg)
{
	const struct table *t = NULL;
	size_t ncols, next;
	struct buf *bufs = NULL;
	double *x2s = NULL, *right = NULL;
	struct cells vis[2], row;
	bool first = true;

	for (size_t i = 0; i < lo->ntables && t == NULL; i++)
		if (lo->rows[lo->tables[i].r0].l0 == line)
			t = &lo->tables[i];
	if (t == NULL)
		return line;
	next = lo->rows[t->r1 - 1].l1;
	ncols = t->ngaps + 1;
	/* Per column: the header, two visual rows and the table row. */
	if ((bufs = calloc(4 * ncols, sizeof *bufs)) == NULL
	    || (x2s = calloc(4 * ncols, sizeof *x2s)) == NULL)
		goto done;
	right = x2s + 3 * ncols;
	for (size_t k = 0; k < 2; k++)
		vis[k] = (struct cells){ bufs + (1 + k) * ncols, x2s + k * ncols, 0 };
	row = (struct cells){ bufs + 3 * ncols, x2s + 2 * ncols, 0 };
	/* Where each column's text ends: a line that reaches it is full. */
	for (size_t c = 0; c < ncols; c++)
		right[c] = -HUGE_VAL;
	for (size_t r = t->r0; r < t->r1; r++) {
		split_row(lo, t, r, &vis[0]);
		for (size_t c = 0; c < ncols; c++)
			if (vis[0].x2[c] > right[c])
				right[c] = vis[0].x2[c];
	}
	cells_clear(&row, ncols);
	for (size_t r = t->r0; r < t->r1; r++) {
		struct cells *cur = &vis[(r - t->r0) % 2], *prev = &vis[(r - t->r0 + 1) % 2];
		double h = lo->rows[r].y2 - lo->rows[r].y1;

		split_row(lo, t, r, cur);
		if (r > t->r0 && continues(&row, cur, ncols)) {
			for (size_t c = 0; c < ncols; c++) {
				struct buf *b = &row.text[c];
				const struct buf *s = &cur->text[c];

				if (s->len == 0)
					continue;
				/* A number broken because its cell is full goes on
				 * without a space, as does a word broken at a hyphen. */
				if (b->len > 0 && !(b->p[b->len - 1] == '-' || (is_digit(b->p[b->len - 1])
				    && is_digit(s->p[0]) && prev->x2[c] >= right[c] - h / 2)))
					put(b, " ", 1);
				put(b, s->p, s->len);
			}
			continue;
		}
		if (r > t->r0) {
			emit_row(&row, bufs, first, ncols, fn, arg);
			if (first)
				for (size_t c = 0; c < ncols; c++) {
					bufs[c].len = 0;
					put(&bufs[c], row.text[c].p != NULL ? row.text[c].p : "",
					    row.text[c].len);
				}
			first = false;
		}
		cells_clear(&row, ncols);
		for (size_t c = 0; c < ncols; c++)
			put(&row.text[c], cur->text[c].p != NULL ? cur->text[c].p : "",
			    cur->text[c].len);
		row.filled = cur->filled;
	}
	emit_row(&row, bufs, first, ncols, fn, arg);
done:
	if (bufs != NULL)
		for (size_t i = 0; i < 4 * ncols; i++)
			free(bufs[i].p);
	free(bufs);
	free(x2s);
	return next;
}

void
ps_pdf_layout_free(struct ps_pdf_layout *lo)
{
	if (lo == NULL)
		return;
	for (size_t i = 0; i < lo->ntables; i++)
		free(lo->tables[i].gaps);
	free(lo->tables);
	free(lo->rows);
	free(lo->words);
	free(lo->glyphs);
	free(lo);
}

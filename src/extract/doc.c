/*
 * doc.c - Word 97-2003 documents ([MS-DOC]): the text through the piece
 * table.  The FIB at the start of the WordDocument stream says where the
 * CLX is in the table stream (0Table or 1Table); its PlcPcd maps ranges of
 * character positions to pieces of the WordDocument stream, 8-bit
 * (windows-1252) or UTF-16LE.  The text is cut into units like docx.c
 * cuts its paragraphs: at paragraph marks, cell marks and section breaks,
 * located "paragraph N" in the main text, "footnote N", "header
 * paragraph N" (headers and footers), "comment N", "endnote N" and "text
 * box paragraph N" in the other stories; formatting runs do not cut the
 * text, so a number is whole whatever its formatting.  Field
 * instructions are code, not text, and are skipped; field results are
 * read.
 *
 * Tables are told by the paragraph properties (docpap.c): each paragraph
 * is looked up by its mark, found ahead of its first character so that
 * it opens its unit knowing its cell.  As in docx, a table's first row
 * gives each column its header, the context of the cells below it, and
 * a row's end mark is no paragraph; a nested table has headers of its
 * own (MAX_TABLE_DEPTH levels kept, deeper cells have none).  A column
 * is a cell's place in its row: merged and unequal cells are not mapped
 * to a grid.  Without usable properties (none, damaged, or held in the
 * Data stream) cells are told by their marks alone and have no header;
 * a cell mark right after another is then taken for a row end, so an
 * empty cell is not counted.
 *
 * A document whose piece table cannot be read is read for text runs and
 * recorded partial; Word 6/95 documents too, unless their text is one
 * simple 8-bit range.  An encrypted or obfuscated one is recorded
 * partial "encrypted".
 */
#include "config.h"

#include "ole.h"
#include "xml.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../finding.h"

#define WIDENT            0xA5EC
#define NFIB_WORD97       0x00C1
#define F_COMPLEX         0x0004
#define F_ENCRYPTED       0x0100
#define F_WHICH_TABLE     0x0200
#define F_OBFUSCATED      0x8000
#define FIB_BASE          32
#define FC_MIN            0x18     /* Word 6/95 non-complex text range */
#define FC_MAC            0x1C
#define IFC_BTEPAPX       13       /* fcPlcfBtePapx, the 14th fc/lcb pair */
#define IFC_CLX           33       /* fcClx is the 34th fc/lcb pair */
#define MAX_FIELD_DEPTH   32
/* Pieces may only cover the WordDocument stream so many times over
 * (they never overlap in a real file). */
#define MAX_PIECE_PASSES  2
/* Nested tables whose column headers are kept, and columns per table
 * (a row has at most 63 cells, [MS-DOC] 2.4.3). */
#define MAX_TABLE_DEPTH   8
#define MAX_COLUMNS       64

/* The stories of a document, in character position order ([MS-DOC]
 * 2.3.1 to 2.3.8: main, footnotes, headers, macro (unused), comments,
 * endnotes, text boxes, header text boxes). */
enum { NSTORIES = 8 };
static const char *const story_label[NSTORIES] = {
	"paragraph", "footnote", "header paragraph", "paragraph", "comment",
	"endnote", "text box paragraph", "text box paragraph",
};
/* Their ccp fields, as indexes into FibRgLw97. */
static const unsigned story_ccp[NSTORIES] = { 3, 4, 5, 6, 7, 8, 9, 10 };

/* A table being read: its first row's cell texts are the headers. */
struct doc_table {
	uint64_t row, col;
	unsigned used;                  /* headers set */
	char headers[MAX_COLUMNS][PS_HEADER_MAX];
};

/* The tables the current paragraph is in, outermost first. */
struct doc_tables {
	unsigned depth;
	struct doc_table t[MAX_TABLE_DEPTH];
};

/* What a paragraph or cell mark ends. */
enum mark { MARK_PARA, MARK_CELL, MARK_ROW, MARK_UNKNOWN };

/* The piece table, borrowed from the streams. */
struct doc_pieces {
	const unsigned char *plc;       /* PlcPcd */
	size_t n;
	const unsigned char *wd;
};

struct doc_text {
	struct ps_para para;
	/* With paragraph properties (paps.plc not NULL), cells and rows are
	 * told by them and the cells below a table's first row get its
	 * cells' texts as context; without, by their marks alone. */
	struct ps_doc_paps paps;
	struct doc_pieces pcs;
	size_t piece;                   /* being read, and its character */
	uint32_t k;
	uint64_t fc;                    /* of the character being read */
	struct doc_tables *tables;      /* malloc'd at the first table */
	char *header;                   /* being written by this paragraph */
	uint64_t story_end[NSTORIES];   /* cp where each story ends */
	unsigned story;
	uint64_t counter[NSTORIES];     /* paragraphs (or notes) started */
	uint64_t cp;                    /* of the next character */
	bool started;                   /* a paragraph is counted */
	bool after_cell;                /* the last mark was a cell mark */
	/* Fields: for each open field, whether its instruction is being
	 * read (text up to the separator is code). */
	bool instr[MAX_FIELD_DEPTH];
	unsigned depth, extra_depth, hidden;
};

static void
next_story(struct doc_text *t)
{
	unsigned s = t->story;

	while (t->story + 1 < NSTORIES && t->cp >= t->story_end[t->story])
		t->story++;
	/* A table does not go on into another story. */
	if (t->story != s && t->tables != NULL)
		t->tables->depth = 0;
}

/* Piece i: its character positions, where its text is in the
 * WordDocument stream, and whether it is 8-bit. */
static void
piece_at(const struct doc_pieces *pc, size_t i, uint32_t *cp0, uint32_t *cp1,
    uint64_t *off, bool *narrow)
{
	uint32_t fc = ps_ole_u32(pc->plc + 4 * (pc->n + 1) + 8 * i + 2);

	*cp0 = ps_ole_u32(pc->plc + 4 * i);
	*cp1 = ps_ole_u32(pc->plc + 4 * (i + 1));
	*narrow = (fc & 0x40000000) != 0;
	*off = *narrow ? (fc & 0x3FFFFFFF) / 2 : fc & 0x3FFFFFFF;
}

/* The first mark at or after the character being read (the one that
 * ends its paragraph): the character and its WordDocument offset, where
 * its paragraph's properties are found.  The pieces were checked. */
static bool
find_mark(const struct doc_text *t, uint32_t *c, uint64_t *fc)
{
	uint32_t k = t->k;

	for (size_t i = t->piece; i < t->pcs.n; i++, k = 0) {
		uint32_t cp0, cp1;
		uint64_t off;
		bool narrow;

		piece_at(&t->pcs, i, &cp0, &cp1, &off, &narrow);
		for (; k < cp1 - cp0; k++) {
			uint64_t at = off + (narrow ? k : 2 * (uint64_t)k);
			uint32_t ch = narrow ? t->pcs.wd[at] : ps_ole_u16(t->pcs.wd + at);

			if (ch == 0x0D || ch == 0x07 || ch == 0x0C) {
				*c = ch;
				*fc = at;
				return true;
			}
		}
	}
	return false;
}

/* What the mark c at WordDocument offset fc ends, by its paragraph's
 * properties ([MS-DOC] 2.4.3): at depth 1 cells and rows end with 0x07,
 * deeper with a paragraph mark flagged as a cell or a row end. */
static enum mark
mark_kind(const struct doc_text *t, uint32_t c, uint64_t fc, struct ps_doc_pap *pap)
{
	if (t->paps.plc == NULL || !ps_doc_pap_get(&t->paps, fc, pap))
		return MARK_UNKNOWN;
	if (c != 0x07)
		return pap->depth <= 1 ? MARK_PARA
		    : pap->inner_ttp ? MARK_ROW : pap->inner_cell ? MARK_CELL : MARK_PARA;
	/* A cell mark outside any table: left to the marks alone. */
	if (pap->depth == 0)
		return MARK_UNKNOWN;
	return pap->ttp ? MARK_ROW : MARK_CELL;
}

/* The paragraph being read is at table depth depth: tables deeper end,
 * new ones start.  Its table, or NULL (none, or too deep to keep). */
static struct doc_table *
table_enter(struct doc_text *t, unsigned depth)
{
	struct doc_tables *ts = t->tables;

	if (ts == NULL) {
		if (depth == 0)
			return NULL;
		if ((ts = t->tables = malloc(sizeof *ts)) == NULL) {
			t->para.err = PS_ERR_NOMEM;
			return NULL;
		}
		ts->depth = 0;
	}
	if (ts->depth > depth)
		ts->depth = depth;
	for (; ts->depth < depth; ts->depth++) {
		if (ts->depth < MAX_TABLE_DEPTH) {
			struct doc_table *tab = &ts->t[ts->depth];

			tab->row = tab->col = 0;
			tab->used = 0;
		}
	}
	return depth == 0 || depth > MAX_TABLE_DEPTH ? NULL : &ts->t[depth - 1];
}

/* Header c of tab, to write: those before it set (empty) first. */
static char *
header_to_write(struct doc_table *tab, uint64_t c)
{
	for (; tab->used <= c; tab->used++)
		tab->headers[tab->used][0] = '\0';
	return tab->headers[c];
}

/* A paragraph starts: in a table's first row its text is its column's
 * header (the paragraphs of a cell joined by a space); below, that
 * header is its context. */
static void
cell_start(struct doc_text *t)
{
	struct ps_doc_pap pap;
	struct doc_table *tab;
	uint64_t fc;
	uint32_t c;
	enum mark m;

	if (t->paps.plc == NULL || !find_mark(t, &c, &fc))
		return;
	m = mark_kind(t, c, fc, &pap);
	if (m == MARK_UNKNOWN || m == MARK_ROW)
		return;
	if ((tab = table_enter(t, pap.depth)) == NULL || tab->col >= MAX_COLUMNS)
		return;
	if (tab->row == 0) {
		t->header = header_to_write(tab, tab->col);
		if (t->header[0] != '\0')
			ps_xml_append(t->header, PS_HEADER_MAX, " ", 1);
	} else if (tab->col < tab->used && tab->headers[tab->col][0] != '\0') {
		t->para.context = tab->headers[tab->col];
	}
}

static void
start_para(struct doc_text *t)
{
	unsigned s = t->story;
	/* The other stories share the labels' counters. */
	unsigned k = s == 3 ? 0 : s == 7 ? 6 : s;

	if (t->started)
		return;
	t->started = true;
	snprintf(t->para.where, sizeof t->para.where, "%s %llu", story_label[s],
	    (unsigned long long)++t->counter[k]);
	cell_start(t);
}

static void
end_para(struct doc_text *t)
{
	start_para(t);          /* an empty paragraph is counted too */
	ps_para_end(&t->para);
	t->para.context = NULL;
	t->header = NULL;
	t->started = false;
}

/* A row ends (its mark is no paragraph, as in docx). */
static void
row_end(struct doc_table *tab)
{
	if (tab != NULL) {
		tab->row++;
		tab->col = 0;
	}
}

/* A paragraph, cell or row mark, or a section or page break. */
static void
mark(struct doc_text *t, uint32_t c)
{
	struct ps_doc_pap pap;
	struct doc_table *tab;
	enum mark m = mark_kind(t, c, t->fc, &pap);

	if (m == MARK_UNKNOWN) {
		/* By the marks alone: a row ends with a mark of its own
		 * right after its last cell's (and so does an empty cell
		 * after another, which this takes for a row end). */
		if (c == 0x07 && t->after_cell && !t->started) {
			t->after_cell = false;
			if (t->tables != NULL && t->tables->depth > 0)
				row_end(table_enter(t, t->tables->depth));
			return;
		}
		end_para(t);
		t->after_cell = c == 0x07;
		return;
	}
	tab = table_enter(t, pap.depth);
	if (m != MARK_ROW || t->started)
		end_para(t);
	if (m == MARK_CELL && tab != NULL && tab->col < UINT64_MAX)
		tab->col++;
	if (m == MARK_ROW)
		row_end(tab);
	t->after_cell = m == MARK_CELL;
}

static void
field_char(struct doc_text *t, uint32_t c)
{
	if (c == 0x13) {                /* field begins: its instruction */
		if (t->depth == MAX_FIELD_DEPTH || t->extra_depth > 0) {
			t->extra_depth++;
			return;
		}
		t->instr[t->depth++] = true;
		t->hidden++;
	} else if (c == 0x14) {         /* separator: the result follows */
		if (t->extra_depth == 0 && t->depth > 0 && t->instr[t->depth - 1]) {
			t->instr[t->depth - 1] = false;
			t->hidden--;
		}
	} else if (t->extra_depth > 0) { /* 0x15: field ends */
		t->extra_depth--;
	} else if (t->depth > 0) {
		if (t->instr[--t->depth])
			t->hidden--;
	}
}

/* One character of the document text at position t->cp. */
static void
doc_char(struct doc_text *t, uint32_t c)
{
	next_story(t);
	t->cp++;
	switch (c) {
	case 0x0D:                      /* paragraph mark */
	case 0x0C:                      /* section or page break */
	case 0x07:                      /* cell mark, or a row's end mark */
		mark(t, c);
		return;
	case 0x13: case 0x14: case 0x15:
		field_char(t, c);
		return;
	}
	if (t->hidden > 0)
		return;
	switch (c) {
	case 0x09:                      /* tab */
		c = ' ';
		break;
	case 0x0B: case 0x0E:           /* line and column breaks */
		c = '\n';
		break;
	case 0x1E:                      /* non-breaking hyphen */
		c = '-';
		break;
	case 0xA0:                      /* non-breaking space */
		c = ' ';
		break;
	default:
		/* Optional hyphens, pictures, note and comment references,
		 * drawn objects: not text. */
		if (c < 0x20)
			return;
	}
	start_para(t);
	ps_para_put(&t->para, c);
	if (t->header != NULL) {
		char u[4];

		ps_xml_append(t->header, PS_HEADER_MAX, u, ps_ole_utf8(c, u));
	}
}

/* The text of Word 6/95 without fast saves: one 8-bit range. */
static enum ps_error
word6(struct ps_extract *x, const struct ps_ole_stream *wd, struct doc_text *t)
{
	uint32_t fc_min = ps_ole_u32(wd->data + FC_MIN), fc_mac = ps_ole_u32(wd->data + FC_MAC);

	if (fc_mac < fc_min || !ps_ole_has(wd->len, fc_min, fc_mac - fc_min))
		return PS_ERR_CORRUPT;
	for (uint32_t i = fc_min; i < fc_mac && t->para.err == PS_OK; i++)
		doc_char(t, ps_ole_cp1252(wd->data[i]));
	end_para(t);
	(void)x;
	return t->para.err;
}

/* The PlcPcd of the CLX at clx[0..len), or NULL; *n pieces. */
static const unsigned char *
find_plcpcd(const unsigned char *clx, size_t len, size_t *n)
{
	size_t i = 0;

	/* Prc entries (property modifiers) come first: skipped. */
	while (i < len && clx[i] == 0x01) {
		if (!ps_ole_has(len, i + 1, 2))
			return NULL;
		i += 3 + ps_ole_u16(clx + i + 1);
	}
	if (i >= len || clx[i] != 0x02 || !ps_ole_has(len, i + 1, 4))
		return NULL;
	{
		uint32_t lcb = ps_ole_u32(clx + i + 1);

		if (!ps_ole_has(len, i + 5, lcb) || lcb < 16 || (lcb - 4) % 12 != 0)
			return NULL;
		*n = (lcb - 4) / 12;
	}
	return clx + i + 5;
}

/* The document text through the piece table; PS_ERR_CORRUPT when there
 * is none to read (nothing sent yet then). */
static enum ps_error
pieces(struct ps_extract *x, const struct ps_ole_stream *wd,
    const struct ps_ole_stream *table, uint32_t fc_clx, uint32_t lcb_clx,
    struct doc_text *t)
{
	const unsigned char *plc;
	uint64_t work = 0, max_work = (uint64_t)wd->len * MAX_PIECE_PASSES;
	size_t n;

	if (!ps_ole_has(table->len, fc_clx, lcb_clx)
	    || (plc = find_plcpcd(table->data + fc_clx, lcb_clx, &n)) == NULL)
		return PS_ERR_CORRUPT;
	/* Character positions must go up, and the pieces fit the stream. */
	for (size_t i = 0; i < n; i++) {
		const unsigned char *pcd = plc + 4 * (n + 1) + 8 * i;
		uint32_t cp0 = ps_ole_u32(plc + 4 * i), cp1 = ps_ole_u32(plc + 4 * (i + 1));
		uint32_t fc = ps_ole_u32(pcd + 2);
		bool narrow = (fc & 0x40000000) != 0;
		uint64_t off = narrow ? (fc & 0x3FFFFFFF) / 2 : fc & 0x3FFFFFFF;

		if (cp1 < cp0 || !ps_ole_has(wd->len, off, (uint64_t)(cp1 - cp0) * (narrow ? 1 : 2)))
			return PS_ERR_CORRUPT;
		if ((work += (uint64_t)(cp1 - cp0) * (narrow ? 1 : 2)) > max_work)
			return PS_ERR_CORRUPT;
	}
	t->pcs.plc = plc;
	t->pcs.n = n;
	t->pcs.wd = wd->data;
	for (size_t i = 0; i < n && t->para.err == PS_OK; i++) {
		uint32_t cp0, cp1;
		uint64_t off;
		bool narrow;

		if (ps_extract_stopping(x))
			return PS_ERR_STOP;
		piece_at(&t->pcs, i, &cp0, &cp1, &off, &narrow);
		t->cp = cp0;
		t->piece = i;
		for (uint32_t k = 0; k < cp1 - cp0 && t->para.err == PS_OK; k++) {
			const unsigned char *p = wd->data + off + (narrow ? k : 2 * (uint64_t)k);

			t->k = k;
			t->fc = off + (narrow ? k : 2 * (uint64_t)k);
			doc_char(t, narrow ? ps_ole_cp1252(p[0]) : ps_ole_u16(p));
		}
	}
	end_para(t);
	return t->para.err;
}

/* Where each story ends, from the FIB's ccp fields (rgLw, count cslw). */
static void
stories(struct doc_text *t, const unsigned char *rglw, uint16_t cslw)
{
	uint64_t end = 0;

	for (unsigned s = 0; s < NSTORIES; s++) {
		if (story_ccp[s] < cslw)
			end += ps_ole_u32(rglw + 4 * story_ccp[s]);
		t->story_end[s] = end;
	}
	/* Whatever follows the last story (its closing mark) is its own. */
	t->story_end[NSTORIES - 1] = UINT64_MAX;
}

/* The fallback: text runs of the WordDocument stream. */
static enum ps_error
runs(struct ps_extract *x, const struct ps_ole_stream *wd, const char *why)
{
	ps_extract_partial(x, "%s", why);
	return ps_ole_text_runs(x, wd->data, wd->len, "WordDocument");
}

enum ps_error
ps_ole_doc(struct ps_extract *x, struct ps_ole *o)
{
	struct ps_ole_stream wd = { 0 }, table = { 0 };
	struct doc_text t;
	enum ps_error err;
	uint16_t nfib, flags, csw, cslw, cb;
	size_t pos;

	ps_extract_set_type(x, "doc");
	memset(&t, 0, sizeof t);
	ps_para_init(&t.para, x->sink);
	if ((err = ps_ole_stream(o, "WordDocument", &wd)) != PS_OK)
		return err == PS_ERR_NOMEM ? err : PS_OK;
	if (!ps_ole_has(wd.len, 0, FIB_BASE + 2) || ps_ole_u16(wd.data) != WIDENT) {
		err = runs(x, &wd, "corrupt: FIB");
		goto done;
	}
	nfib = ps_ole_u16(wd.data + 2);
	flags = ps_ole_u16(wd.data + 0x0A);
	if (flags & (F_ENCRYPTED | F_OBFUSCATED)) {
		ps_extract_partial(x, "encrypted");
		goto done;
	}
	if (nfib < NFIB_WORD97) {
		for (unsigned s = 0; s < NSTORIES; s++)
			t.story_end[s] = UINT64_MAX;
		if ((flags & F_COMPLEX) || (err = word6(x, &wd, &t)) == PS_ERR_CORRUPT)
			err = runs(x, &wd, "unsupported: Word 6/95 document");
		goto done;
	}
	/* FibBase, then counted arrays: rgW, rgLw, rgFcLcb. */
	csw = ps_ole_u16(wd.data + FIB_BASE);
	pos = FIB_BASE + 2 + 2 * (size_t)csw;
	if (!ps_ole_has(wd.len, pos, 2)) {
		err = runs(x, &wd, "corrupt: FIB");
		goto done;
	}
	cslw = ps_ole_u16(wd.data + pos);
	pos += 2;
	if (!ps_ole_has(wd.len, pos, 4 * (size_t)cslw + 2)) {
		err = runs(x, &wd, "corrupt: FIB");
		goto done;
	}
	stories(&t, wd.data + pos, cslw);
	pos += 4 * (size_t)cslw;
	cb = ps_ole_u16(wd.data + pos);
	pos += 2;
	if (cb <= IFC_CLX || !ps_ole_has(wd.len, pos, 8 * (size_t)IFC_CLX + 8)) {
		err = runs(x, &wd, "corrupt: FIB");
		goto done;
	}
	err = ps_ole_stream(o, flags & F_WHICH_TABLE ? "1Table" : "0Table", &table);
	if (err == PS_ERR_NOMEM)
		goto done;
	if (err != PS_OK) {
		err = runs(x, &wd, "corrupt: no table stream");
		goto done;
	}
	/* Without usable paragraph properties, cells are told by their
	 * marks alone and have no header. */
	(void)ps_doc_paps_init(&t.paps, &wd, &table,
	    ps_ole_u32(wd.data + pos + 8 * IFC_BTEPAPX),
	    ps_ole_u32(wd.data + pos + 8 * IFC_BTEPAPX + 4));
	err = pieces(x, &wd, &table, ps_ole_u32(wd.data + pos + 8 * IFC_CLX),
	    ps_ole_u32(wd.data + pos + 8 * IFC_CLX + 4), &t);
	if (err == PS_ERR_CORRUPT)
		err = runs(x, &wd, "corrupt: piece table");
done:
	ps_para_end(&t.para);
	if (t.tables != NULL) {
		/* A header row may well hold personal data. */
		ps_wipe(t.tables, sizeof *t.tables);
		free(t.tables);
	}
	ps_ole_stream_free(&table);
	ps_ole_stream_free(&wd);
	return err;
}

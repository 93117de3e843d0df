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
 * read.  Table cells have no column header as context (that would need
 * the paragraph properties).
 *
 * A document whose piece table cannot be read is read for text runs and
 * recorded partial; Word 6/95 documents too, unless their text is one
 * simple 8-bit range.  An encrypted or obfuscated one is recorded
 * partial "encrypted".
 */
#include "config.h"

#include "ole.h"

#include <stdio.h>
#include <string.h>

#define WIDENT            0xA5EC
#define NFIB_WORD97       0x00C1
#define F_COMPLEX         0x0004
#define F_ENCRYPTED       0x0100
#define F_WHICH_TABLE     0x0200
#define F_OBFUSCATED      0x8000
#define FIB_BASE          32
#define FC_MIN            0x18     /* Word 6/95 non-complex text range */
#define FC_MAC            0x1C
#define IFC_CLX           33       /* fcClx is the 34th fc/lcb pair */
#define MAX_FIELD_DEPTH   32
/* Pieces may only cover the WordDocument stream so many times over
 * (they never overlap in a real file). */
#define MAX_PIECE_PASSES  2

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

struct doc_text {
	struct ps_para para;
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
	while (t->story + 1 < NSTORIES && t->cp >= t->story_end[t->story])
		t->story++;
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
}

static void
end_para(struct doc_text *t)
{
	start_para(t);          /* an empty paragraph is counted too */
	ps_para_end(&t->para);
	t->started = false;
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
		end_para(t);
		t->after_cell = false;
		return;
	case 0x07:                      /* cell mark, or a row's end mark */
		/* A row ends with a mark of its own right after its last
		 * cell's: no paragraph in docx, none here. */
		if (t->after_cell && !t->started) {
			t->after_cell = false;
			return;
		}
		end_para(t);
		t->after_cell = true;
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
	for (size_t i = 0; i < n && t->para.err == PS_OK; i++) {
		const unsigned char *pcd = plc + 4 * (n + 1) + 8 * i;
		uint32_t cp0 = ps_ole_u32(plc + 4 * i), cp1 = ps_ole_u32(plc + 4 * (i + 1));
		uint32_t fc = ps_ole_u32(pcd + 2);
		bool narrow = (fc & 0x40000000) != 0;
		const unsigned char *p = wd->data + (narrow ? (fc & 0x3FFFFFFF) / 2 : fc & 0x3FFFFFFF);

		if (ps_extract_stopping(x))
			return PS_ERR_STOP;
		t->cp = cp0;
		for (uint32_t k = 0; k < cp1 - cp0 && t->para.err == PS_OK; k++)
			doc_char(t, narrow ? ps_ole_cp1252(p[k]) : ps_ole_u16(p + 2 * k));
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
	err = pieces(x, &wd, &table, ps_ole_u32(wd.data + pos + 8 * IFC_CLX),
	    ps_ole_u32(wd.data + pos + 8 * IFC_CLX + 4), &t);
	if (err == PS_ERR_CORRUPT)
		err = runs(x, &wd, "corrupt: piece table");
done:
	ps_para_end(&t.para);
	ps_ole_stream_free(&table);
	ps_ole_stream_free(&wd);
	return err;
}

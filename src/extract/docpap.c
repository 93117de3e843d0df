/*
 * docpap.c - the paragraph properties of Word 97-2003 documents that
 * tell tables apart ([MS-DOC] 2.4.3, 2.4.6.1, 2.9.x): a paragraph's table
 * depth and whether its mark ends a cell or a row.  Nothing else of the
 * formatting is read.
 *
 * The PlcBtePapx in the table stream (FIB fcPlcfBtePapx/lcbPlcfBtePapx)
 * maps ranges of WordDocument offsets to PAPX FKPs, 512-byte pages of
 * that stream; each page maps the offsets of its paragraphs' marks to a
 * PAPX, a style and a grpprl of sprms.  The plex and every page are
 * checked once by ps_doc_paps_init(), so a lookup only has to bound the
 * PAPX it reads; one that does not fit its page, or sprms that do not
 * fit their PAPX, make that paragraph's properties unknown.
 *
 * Not read: property changes in the piece table (Prm, left by fast
 * saves), paragraph styles (Word writes the table sprms directly), and a
 * PAPX moved to the Data stream (sprmPHugePapx, for rows of many cells):
 * ps_doc_pap_get() says it does not know then.
 */
#include "config.h"

#include "ole.h"

#include <string.h>

#define FKP_SIZE        512
#define FKP_MAX_RUNS    0x1D    /* PAPX entries of one page */
#define BX_SIZE         13      /* BxPap: bOffset and a PHE */
#define PN_MASK         0x3FFFFF
/* Deeper than any real document (Word stops far below), so that a
 * hostile depth stays small. */
#define MAX_DEPTH       64

#define SPRM_PFINTABLE        0x2416
#define SPRM_PFTTP            0x2417
#define SPRM_PFINNERTABLECELL 0x244B
#define SPRM_PFINNERTTP       0x244C
#define SPRM_PHUGEPAPX        0x6646
#define SPRM_PITAP            0x6649
#define SPRM_PDTAP            0x664A
#define SPRM_PCHGTABS         0xC615
#define SPRM_TDEFTABLE        0xD608

/* The page a PnFkpPapx names, or NULL if it lies outside the stream. */
static const unsigned char *
fkp_page(const struct ps_doc_paps *pp, size_t i)
{
	uint64_t off = (uint64_t)(ps_ole_u32(pp->plc + 4 * (pp->n + 1) + 4 * i) & PN_MASK)
	    * FKP_SIZE;

	if (!ps_ole_has(pp->wd_len, off, FKP_SIZE))
		return NULL;
	return pp->wd + off;
}

/* A page: a run count that fits and offsets that go up. */
static bool
fkp_valid(const unsigned char *page)
{
	unsigned crun = page[FKP_SIZE - 1];

	if (crun == 0 || crun > FKP_MAX_RUNS
	    || 4 * (crun + 1) + BX_SIZE * crun > FKP_SIZE - 1)
		return false;
	for (unsigned j = 0; j < crun; j++)
		if (ps_ole_u32(page + 4 * (j + 1)) < ps_ole_u32(page + 4 * j))
			return false;
	return true;
}

bool
ps_doc_paps_init(struct ps_doc_paps *pp, const struct ps_ole_stream *wd,
    const struct ps_ole_stream *table, uint32_t fc, uint32_t lcb)
{
	memset(pp, 0, sizeof *pp);
	if (lcb < 12 || (lcb - 4) % 8 != 0 || !ps_ole_has(table->len, fc, lcb))
		return false;
	pp->wd = wd->data;
	pp->wd_len = wd->len;
	pp->plc = table->data + fc;
	pp->n = (lcb - 4) / 8;
	for (size_t i = 0; i < pp->n; i++) {
		const unsigned char *page = fkp_page(pp, i);

		if (ps_ole_u32(pp->plc + 4 * (i + 1)) < ps_ole_u32(pp->plc + 4 * i)
		    || page == NULL || !fkp_valid(page)) {
			memset(pp, 0, sizeof *pp);
			return false;
		}
	}
	return true;
}

/* The largest i < n with a[i] <= v < a[n], or n: a holds n + 1 offsets
 * that go up. */
static size_t
search(const unsigned char *a, size_t n, uint64_t v)
{
	size_t lo = 0, hi = n;

	if (v < ps_ole_u32(a) || v >= ps_ole_u32(a + 4 * n))
		return n;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (ps_ole_u32(a + 4 * mid) <= v)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

/* The size of the operand of sprm at p[0..len) (the sprm read), or 0
 * when it does not fit. */
static size_t
operand_size(uint16_t sprm, const unsigned char *p, size_t len)
{
	static const unsigned char fixed[8] = { 1, 1, 2, 4, 2, 2, 0, 3 };
	size_t n = fixed[sprm >> 13];

	if (n == 0 && sprm == SPRM_TDEFTABLE) {
		/* A two-byte count, one more than the bytes after it. */
		if (len < 2 || ps_ole_u16(p) == 0)
			return 0;
		n = 1 + (size_t)ps_ole_u16(p);
	} else if (n == 0 && sprm == SPRM_PCHGTABS && len > 0 && p[0] == 255) {
		/* Its real size is in its tab counts. */
		size_t del, add;

		if (len < 2 || (del = p[1], len < 3 + 4 * del))
			return 0;
		add = p[2 + 4 * del];
		n = 3 + 4 * del + 3 * add;
	} else if (n == 0) {
		if (len < 1)
			return 0;
		n = 1 + (size_t)p[0];
	}
	return n <= len ? n : 0;
}

/* The table sprms of a grpprl; false when one does not fit. */
static bool
read_grpprl(const unsigned char *p, size_t len, struct ps_doc_pap *pap)
{
	bool in_table = false, has_itap = false;
	int64_t itap = 0, dtap = 0;
	size_t i = 0;

	while (i + 2 <= len) {
		uint16_t sprm = ps_ole_u16(p + i);
		const unsigned char *op = p + i + 2;
		size_t n = operand_size(sprm, op, len - i - 2);

		if (n == 0)
			return false;
		switch (sprm) {
		case SPRM_PFINTABLE:
			in_table = op[0] != 0;
			break;
		case SPRM_PFTTP:
			pap->ttp = op[0] != 0;
			break;
		case SPRM_PFINNERTABLECELL:
			pap->inner_cell = op[0] != 0;
			break;
		case SPRM_PFINNERTTP:
			pap->inner_ttp = op[0] != 0;
			break;
		case SPRM_PITAP:
			itap = ps_ole_u32(op);
			has_itap = true;
			break;
		case SPRM_PDTAP:
			dtap = (int32_t)ps_ole_u32(op);
			break;
		case SPRM_PHUGEPAPX:
			pap->huge = true;
			break;
		}
		i += 2 + n;
	}
	itap = (has_itap ? itap : in_table ? 1 : 0) + dtap;
	pap->depth = itap < 0 ? 0 : itap > MAX_DEPTH ? MAX_DEPTH : (unsigned)itap;
	return true;
}

bool
ps_doc_pap_get(const struct ps_doc_paps *pp, uint64_t fc, struct ps_doc_pap *pap)
{
	const unsigned char *page, *papx;
	size_t i, j, crun, off, size;

	memset(pap, 0, sizeof *pap);
	if (pp->plc == NULL || (i = search(pp->plc, pp->n, fc)) == pp->n)
		return false;
	page = fkp_page(pp, i);
	crun = page[FKP_SIZE - 1];
	if ((j = search(page, crun, fc)) == crun)
		return false;
	/* No PAPX: the default properties, not in a table. */
	if ((off = 2 * (size_t)page[4 * (crun + 1) + BX_SIZE * j]) == 0)
		return true;
	/* A count of 16-bit words (less a byte), or a zero and a count of
	 * words; then the style index and the sprms. */
	if (off + 2 > FKP_SIZE - 1)
		return false;
	if (page[off] != 0) {
		size = 2 * (size_t)page[off] - 1;
		papx = page + off + 1;
	} else {
		size = 2 * (size_t)page[off + 1];
		papx = page + off + 2;
	}
	if (size < 2 || !ps_ole_has(FKP_SIZE - 1, (size_t)(papx - page), size)
	    || !read_grpprl(papx + 2, size - 2, pap) || pap->huge) {
		memset(pap, 0, sizeof *pap);
		return false;
	}
	return true;
}

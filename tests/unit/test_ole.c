/*
 * test_ole.c - legacy Office files (doc, xls, ppt) and other OLE2
 * compound files through the real pipeline.  The files are written here,
 * stream by stream, with libgsf: so each record and each piece is exactly
 * what the test needs, the damaged and hostile ones too (a bad FIB, a
 * piece table pointing outside its stream, huge lengths, shared strings
 * across CONTINUE records and a count that lies, nested containers, cut
 * records).  They are scanned with ps_scan_file() and the exact findings
 * checked: type, confidence, masked value and where; and the file's type,
 * status and reason.  Values are the published test cards and the
 * synthetic HKIDs of the other tests.
 */
#include "config.h"

#include "../unit/scanfile.h"

#include <gsf/gsf-outfile-msole.h>
#include <gsf/gsf-outfile.h>
#include <gsf/gsf-output-stdio.h>
#include <gsf/gsf-utils.h>

/* --- bytes --- */

struct bytes {
	unsigned char p[1 << 16];
	size_t len;
};

static void
put(struct bytes *b, const void *p, size_t n)
{
	if (b->len + n <= sizeof b->p) {
		memcpy(b->p + b->len, p, n);
		b->len += n;
	}
}

static void
put8(struct bytes *b, unsigned v)
{
	unsigned char c = (unsigned char)v;

	put(b, &c, 1);
}

static void
put16(struct bytes *b, unsigned v)
{
	put8(b, v & 0xFF);
	put8(b, v >> 8 & 0xFF);
}

static void
put32(struct bytes *b, uint32_t v)
{
	put16(b, v & 0xFFFF);
	put16(b, v >> 16);
}

static void
set16(struct bytes *b, size_t at, unsigned v)
{
	b->p[at] = (unsigned char)(v & 0xFF);
	b->p[at + 1] = (unsigned char)(v >> 8 & 0xFF);
}

static void
set32(struct bytes *b, size_t at, uint32_t v)
{
	set16(b, at, v & 0xFFFF);
	set16(b, at + 2, v >> 16);
}

/* UTF-8 (BMP only) as UTF-16LE code units; returns the units written. */
static size_t
put_utf16(struct bytes *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t units = 0;

	while (*p != '\0') {
		unsigned c;

		if (*p < 0x80) {
			c = *p++;
		} else if (*p < 0xE0) {
			c = (unsigned)(p[0] & 0x1F) << 6 | (p[1] & 0x3F);
			p += 2;
		} else {
			c = (unsigned)(p[0] & 0x0F) << 12 | (unsigned)(p[1] & 0x3F) << 6
			    | (p[2] & 0x3F);
			p += 3;
		}
		put16(b, c);
		units++;
	}
	return units;
}

/* --- compound files --- */

struct stream {
	const char *name;
	const struct bytes *data;
};

/* Write a compound file of those streams (NULL-ended) into dir. */
static bool
ole_write(const char *name, const struct stream *streams)
{
	GError *err = NULL;
	GsfOutput *out = gsf_output_stdio_new(path_of(name), &err);
	GsfOutfile *ole;
	bool good = true;

	if (out == NULL)
		return false;
	ole = gsf_outfile_msole_new(out);
	g_object_unref(out);
	for (const struct stream *s = streams; s->name != NULL; s++) {
		GsfOutput *c = gsf_outfile_new_child(ole, s->name, FALSE);

		good &= c != NULL && (s->data->len == 0
		    || gsf_output_write(c, s->data->len, s->data->p))
		    && gsf_output_close(c);
		if (c != NULL)
			g_object_unref(c);
	}
	good &= gsf_output_close(GSF_OUTPUT(ole));
	g_object_unref(ole);
	return good;
}

static struct ps_file_result *
scan_ole(const char *name, const struct stream *streams)
{
	struct ps_file_result *r;

	if (!ok(ole_write(name, streams), "%s written", name))
		return NULL;
	if ((r = scan(name, NULL)) == NULL)
		ok(0, "%s scanned", name);
	return r;
}

static void
status_is(const struct ps_file_result *r, const char *type, const char *status,
    const char *reason, const char *what)
{
	if (!ok(strcmp(r->type, type) == 0 && strcmp(r->status, status) == 0
	    && strcmp(r->reason, reason) == 0, "%s: %s %s '%s'", what, type, status,
	    reason))
		show(r);
}

/* --- Word --- */

#define FIB_LEN     (32 + 2 + 28 + 2 + 88 + 2 + 93 * 8)
#define TEXT_AT     1024

struct doc {
	struct bytes wd, table;
	uint32_t cps[16], fcs[16];
	size_t npieces;
	uint32_t cp;
	size_t fkp;                     /* first PAPX page (doc_papx) */
};

/* A FIB for Word 97 (nFib 0xC1), tables in 1Table, with flags. */
static void
doc_begin(struct doc *d, unsigned flags)
{
	memset(d, 0, sizeof *d);
	put16(&d->wd, 0xA5EC);
	put16(&d->wd, 0x00C1);
	while (d->wd.len < 0x0A)
		put8(&d->wd, 0);
	put16(&d->wd, 0x0200 | flags);
	while (d->wd.len < 32)
		put8(&d->wd, 0);
	put16(&d->wd, 14);              /* csw */
	for (int i = 0; i < 14; i++)
		put16(&d->wd, 0);
	put16(&d->wd, 22);              /* cslw */
	for (int i = 0; i < 22; i++)
		put32(&d->wd, 0);
	put16(&d->wd, 93);              /* cbRgFcLcb */
	for (int i = 0; i < 93 * 2; i++)
		put32(&d->wd, 0);
	while (d->wd.len < TEXT_AT)
		put8(&d->wd, 0);
}

/* A piece of text: 8-bit ("compressed") or UTF-16LE. */
static void
doc_piece(struct doc *d, const char *text, bool narrow)
{
	uint32_t n, fc = (uint32_t)d->wd.len;

	if (narrow) {
		n = (uint32_t)strlen(text);
		put(&d->wd, text, n);
		fc = fc * 2 | 0x40000000;
	} else {
		n = (uint32_t)put_utf16(&d->wd, text);
	}
	d->cps[d->npieces] = d->cp;
	d->fcs[d->npieces++] = fc;
	d->cp += n;
}

/* The CLX in the table stream, the story lengths in the FIB. */
static void
doc_end(struct doc *d, uint32_t ccp_text, uint32_t ccp_ftn)
{
	size_t rglw = 32 + 2 + 28 + 2, fclcb = rglw + 88 + 2;
	uint32_t lcb = (uint32_t)(4 * (d->npieces + 1) + 8 * d->npieces);

	set32(&d->wd, rglw + 4 * 3, ccp_text);
	set32(&d->wd, rglw + 4 * 4, ccp_ftn);
	put8(&d->table, 0x01);          /* a Prc to skip */
	put16(&d->table, 2);
	put16(&d->table, 0);
	put8(&d->table, 0x02);
	put32(&d->table, lcb);
	for (size_t i = 0; i < d->npieces; i++)
		put32(&d->table, d->cps[i]);
	put32(&d->table, d->cp);
	for (size_t i = 0; i < d->npieces; i++) {
		put16(&d->table, 0);
		put32(&d->table, d->fcs[i]);
		put16(&d->table, 0);
	}
	set32(&d->wd, fclcb + 8 * 33, 0);
	set32(&d->wd, fclcb + 8 * 33 + 4, (uint32_t)d->table.len);
}

/* The document most tests start from. */
static void
doc_sample(struct doc *d, unsigned flags)
{
	uint32_t main_len;

	doc_begin(d, flags);
	doc_piece(d, "Memo\rCard number 4111 1110 ", true);
	doc_piece(d, "0023 1111\r身份證號碼 A123456(3)\r", false);
	doc_piece(d, "\x13 MERGEFIELD 5555551000484444 \x14G123456(A)\x15 merged\r"
	    "HKID\aName\a\aA1234563\aChan\a\a"
	    "After the table 378282100280005\r", true);
	main_len = d->cp;
	doc_piece(d, "\x02 Source CA182361(1)\r", true);
	doc_end(d, main_len, d->cp - main_len);
}

static void
test_doc(void)
{
	struct doc d;
	struct stream streams[] = { { "WordDocument", &d.wd }, { "1Table", &d.table },
		{ NULL, NULL } };
	struct ps_file_result *r;

	doc_sample(&d, 0);
	if ((r = scan_ole("a.doc", streams)) != NULL) {
		status_is(r, "doc", "ok", "", "doc");
		FOUND(r, "card", HIGH, "411111******1111", "paragraph 2", "",
		    "doc: a card across an 8-bit and a UTF-16 piece, keyword before");
		FOUND(r, "hkid", HIGH, "A******(3)", "paragraph 3", "",
		    "doc: Chinese keyword in a UTF-16 piece");
		FOUND(r, "hkid", MEDIUM, "G******(A)", "paragraph 4", "",
		    "doc: a field's result is read");
		FOUND(r, "hkid", LOW, "A******(3)", "paragraph 7", "",
		    "doc: cells are paragraphs (without paragraph properties, no "
		    "header context), row marks are not");
		FOUND(r, "card", MEDIUM, "378282*****0005", "paragraph 9", "",
		    "doc: numbering goes on after the table");
		FOUND(r, "hkid", MEDIUM, "CA******(1)", "footnote 1", "",
		    "doc: the footnote story");
		is_int(r->findings.count, 6, "doc: field instructions are not read");
		ps_file_result_free(r);
	}

	doc_sample(&d, 0x0100);
	if ((r = scan_ole("enc.doc", streams)) != NULL) {
		status_is(r, "doc", "partial", "encrypted", "encrypted doc");
		is_int(r->findings.count, 0, "encrypted doc: nothing read");
		ps_file_result_free(r);
	}
}

/*
 * Paragraph properties: PAPX FKP pages (of at most FKP_RUNS runs, so a
 * document of a few tables takes two) for the marks (0x0D, 0x07) of the
 * pieces, in order, one code each: 'p' none (not in a table), 'c' a cell
 * at depth 1, 'r' a row end at depth 1, 'C' and 'R' the same at depth 2
 * (sprmPItap 2, sprmPFInnerTableCell, sprmPFInnerTtp), 'P' a paragraph
 * at depth 2.  The pages follow the text in WordDocument (d->fkp is the
 * first), the PlcBtePapx the CLX in the table stream (so after
 * doc_end()).
 */
#define FKP_RUNS 20

static void
doc_papx(struct doc *d, const char *codes)
{
	static const struct {
		char code;
		const char *grpprl;
		size_t len;
	} kinds[] = {
		{ 'c', "\x16\x24\x01", 3 },
		{ 'r', "\x16\x24\x01\x17\x24\x01", 6 },
		{ 'C', "\x16\x24\x01\x49\x66\x02\x00\x00\x00\x4B\x24\x01", 12 },
		{ 'R', "\x16\x24\x01\x49\x66\x02\x00\x00\x00\x4C\x24\x01", 12 },
		{ 'P', "\x16\x24\x01\x49\x66\x02\x00\x00\x00", 9 },
	};
	enum { NKINDS = sizeof kinds / sizeof kinds[0], MAX_RUNS = 64 };
	uint32_t rgfc[MAX_RUNS + 1];
	int kind[MAX_RUNS];
	size_t nrun = 0, fclcb = 32 + 2 + 28 + 2 + 88 + 2, npages;
	struct bytes plc = { .len = 0 };

	rgfc[0] = TEXT_AT;
	for (size_t i = 0; i < d->npieces; i++) {
		uint32_t cp1 = i + 1 < d->npieces ? d->cps[i + 1] : d->cp;
		bool narrow = (d->fcs[i] & 0x40000000) != 0;
		uint32_t off = narrow ? (d->fcs[i] & 0x3FFFFFFF) / 2 : d->fcs[i];

		for (uint32_t k = 0; k < cp1 - d->cps[i]; k++) {
			uint32_t fc = off + (narrow ? k : 2 * k);
			unsigned c = narrow ? d->wd.p[fc] : d->wd.p[fc] | d->wd.p[fc + 1] << 8;

			if ((c != 0x0D && c != 0x07) || *codes == '\0' || nrun == MAX_RUNS)
				continue;
			kind[nrun] = -1;
			for (int j = 0; j < NKINDS; j++)
				if (kinds[j].code == *codes)
					kind[nrun] = j;
			codes++;
			rgfc[++nrun] = fc + (narrow ? 1 : 2);
		}
	}
	while (d->wd.len % 512 != 0)
		put8(&d->wd, 0);
	d->fkp = d->wd.len;
	npages = (nrun + FKP_RUNS - 1) / FKP_RUNS;
	for (size_t pg = 0; pg < npages; pg++) {
		unsigned char page[512] = { 0 }, boff[NKINDS];
		size_t first = pg * FKP_RUNS, crun = nrun - first, top = 511;

		if (crun > FKP_RUNS)
			crun = FKP_RUNS;
		/* The PAPXs, from the end of the page down: a count of words
		 * less a byte when the istd and sprms are an odd number of
		 * bytes, else a zero and a count of words. */
		for (int k = 0; k < NKINDS; k++) {
			size_t n = 2 + kinds[k].len, size = n % 2 ? n + 1 : n + 2, at;

			top = (top - size) & ~(size_t)1;
			at = top;
			if (n % 2) {
				page[at++] = (unsigned char)((n + 1) / 2);
			} else {
				page[at++] = 0;
				page[at++] = (unsigned char)(n / 2);
			}
			at += 2;                /* istd 0 */
			memcpy(page + at, kinds[k].grpprl, kinds[k].len);
			boff[k] = (unsigned char)(top / 2);
		}
		for (size_t j = 0; j <= crun; j++) {
			uint32_t v = rgfc[first + j];

			page[4 * j] = v & 0xFF;
			page[4 * j + 1] = v >> 8 & 0xFF;
			page[4 * j + 2] = v >> 16 & 0xFF;
			page[4 * j + 3] = v >> 24 & 0xFF;
		}
		for (size_t j = 0; j < crun; j++)
			page[4 * (crun + 1) + 13 * j] =
			    kind[first + j] < 0 ? 0 : boff[kind[first + j]];
		page[511] = (unsigned char)crun;
		put(&d->wd, page, sizeof page);
	}
	for (size_t pg = 0; pg <= npages; pg++)
		put32(&plc, rgfc[pg < npages ? pg * FKP_RUNS : nrun]);
	for (size_t pg = 0; pg < npages; pg++)
		put32(&plc, (uint32_t)(d->fkp / 512 + pg));
	set32(&d->wd, fclcb + 8 * 13, (uint32_t)d->table.len);
	set32(&d->wd, fclcb + 8 * 13 + 4, (uint32_t)plc.len);
	put(&d->table, plc.p, plc.len);
}

/*
 * A document with tables and their paragraph properties: a header row
 * (Name, HKID, Card), a row with an HKID under HKID and an empty cell, a
 * row of two empty cells and a value under Card; a second table whose
 * second column is not HKID; a nested table in a cell whose header is
 * HKID.  The HKID cell's text is cut across an 8-bit and a UTF-16 piece.
 */
static const char doc_tables_codes[] =
    "p" "cccr" "cccr" "cccr" "p" "ccr" "ccr" "p" "cr" "CRCRcr" "p";

static void
doc_tables(struct doc *d)
{
	doc_begin(d, 0);
	doc_piece(d, "Staff\r" "Name\aHKID\aCard\a\a" "Chan\aA123", true);
	doc_piece(d, "4563\a\a\a" "\a\aCA1823611\a\a", false);
	doc_piece(d, "Between\r" "Ref\aNote\a\a" "x\aA1234563\a\a" "Gap\r"
	    "Outer\a\a" "HKID\r\r" "G123456A\r\r" "\a\a" "End CA182361(1)\r", true);
	doc_end(d, d->cp, 0);
}

static void
test_doc_tables(void)
{
	struct doc d;
	struct stream streams[] = { { "WordDocument", &d.wd }, { "1Table", &d.table },
		{ NULL, NULL } };
	size_t fclcb = 32 + 2 + 28 + 2 + 88 + 2;
	struct ps_file_result *r;

	doc_tables(&d);
	doc_papx(&d, doc_tables_codes);
	if ((r = scan_ole("tables.doc", streams)) != NULL) {
		status_is(r, "doc", "ok", "", "doc tables");
		FOUND(r, "hkid", HIGH, "A******(3)", "paragraph 6", "",
		    "doc tables: a bracketless HKID under an HKID column is high, "
		    "across two pieces, row marks not counted");
		FOUND(r, "hkid", LOW, "CA******(1)", "paragraph 10", "",
		    "doc tables: under another column it is not; empty cells "
		    "are counted, not taken for row ends");
		FOUND(r, "hkid", LOW, "A******(3)", "paragraph 15", "",
		    "doc tables: a new table has its own headers");
		FOUND(r, "hkid", HIGH, "G******(A)", "paragraph 19", "",
		    "doc tables: a nested table has its own headers; its row "
		    "marks are not paragraphs");
		FOUND(r, "hkid", MEDIUM, "CA******(1)", "paragraph 21", "",
		    "doc tables: after the tables, no context");
		is_int(r->findings.count, 5, "doc tables: header cells are not findings");
		ps_file_result_free(r);
	}

	/* Without usable properties: the marks alone, no headers, and
	 * the second of two empty cells taken for a row end. */
	doc_tables(&d);
	doc_papx(&d, doc_tables_codes);
	d.wd.p[d.fkp + 511] = 0;                /* crun 0 */
	if ((r = scan_ole("crun.doc", streams)) != NULL) {
		status_is(r, "doc", "ok", "", "FKP with no runs");
		FOUND(r, "hkid", LOW, "A******(3)", "paragraph 6", "",
		    "FKP with no runs: cells have no header");
		FOUND(r, "hkid", LOW, "CA******(1)", "paragraph 9", "",
		    "FKP with no runs: an empty cell after another is a row end");
		ps_file_result_free(r);
	}
	doc_tables(&d);
	doc_papx(&d, doc_tables_codes);
	set32(&d.table, d.table.len - 4, 0x3FFFFF);     /* a page far away */
	if ((r = scan_ole("pn.doc", streams)) != NULL) {
		status_is(r, "doc", "ok", "", "FKP outside the stream");
		FOUND(r, "hkid", LOW, "A******(3)", "paragraph 6", "",
		    "FKP outside the stream: cells have no header");
		ps_file_result_free(r);
	}
	doc_tables(&d);
	doc_papx(&d, doc_tables_codes);
	set32(&d.wd, fclcb + 8 * 13 + 4, 0xFFFFFFF4);   /* an lcb that lies */
	if ((r = scan_ole("lcbpap.doc", streams)) != NULL) {
		status_is(r, "doc", "ok", "", "PlcBtePapx too long");
		FOUND(r, "hkid", LOW, "A******(3)", "paragraph 6", "",
		    "PlcBtePapx too long: cells have no header");
		ps_file_result_free(r);
	}
	doc_tables(&d);
	doc_papx(&d, doc_tables_codes);
	set32(&d.table, d.table.len - 16, TEXT_AT - 1); /* offsets go down */
	if ((r = scan_ole("down.doc", streams)) != NULL) {
		FOUND(r, "hkid", LOW, "A******(3)", "paragraph 6", "",
		    "PlcBtePapx going down: cells have no header");
		ps_file_result_free(r);
	}

	/* Hostile PAPXs: a count running past the page, sprms running past
	 * their PAPX, a table depth of two billion.  Never more than the
	 * marks alone give, never a crash. */
	doc_tables(&d);
	doc_papx(&d, doc_tables_codes);
	for (size_t at = d.fkp; at < d.wd.len - 1; at++)
		if (d.wd.p[at] == 0x49 && d.wd.p[at + 1] == 0x66)
			set32(&d.wd, at + 2, 0x7FFFFFFF);
	if ((r = scan_ole("itap.doc", streams)) != NULL) {
		status_is(r, "doc", "ok", "", "huge table depth");
		FOUND(r, "hkid", HIGH, "A******(3)", "paragraph 6", "",
		    "huge table depth: the outer table is still read");
		FOUND(r, "hkid", LOW, "G******(A)", "paragraph 19", "",
		    "huge table depth: too deep for headers");
		ps_file_result_free(r);
	}
	doc_tables(&d);
	doc_papx(&d, doc_tables_codes);
	for (size_t at = d.fkp; at < d.wd.len - 1; at++) {
		if (d.wd.p[at] == 0x16 && d.wd.p[at + 1] == 0x24) {
			d.wd.p[at] = 0x08;      /* spra 6: a length byte */
			d.wd.p[at + 1] = 0xC6;
			d.wd.p[at + 2] = 0xF0;
		}
	}
	for (size_t j = 0; j < 4; j++)  /* and PAPXs beyond the page */
		d.wd.p[d.fkp + 4 * (FKP_RUNS + 1) + 13 * j] = 0xFF;
	if ((r = scan_ole("sprm.doc", streams)) != NULL) {
		status_is(r, "doc", "ok", "", "sprms past their PAPX");
		FOUND(r, "hkid", LOW, "A******(3)", "paragraph 6", "",
		    "sprms past their PAPX: cells have no header");
		is_int(r->findings.count, 5, "sprms past their PAPX: every value");
		ps_file_result_free(r);
	}
}

/* Damaged Word files: the text runs of the WordDocument stream instead. */
static void
test_doc_damaged(void)
{
	struct doc d;
	struct stream both[] = { { "WordDocument", &d.wd }, { "1Table", &d.table },
		{ NULL, NULL } };
	struct stream alone[] = { { "WordDocument", &d.wd }, { NULL, NULL } };
	struct ps_file_result *r;
	size_t fclcb = 32 + 2 + 28 + 2 + 88 + 2;
	char text[300];

	doc_sample(&d, 0);
	set16(&d.wd, 0, 0x1234);
	if ((r = scan_ole("fib.doc", both)) != NULL) {
		status_is(r, "doc", "partial", "corrupt: FIB", "bad FIB");
		/* One unit for the stream: keywords reach across runs. */
		FOUND(r, "card", HIGH, "378282*****0005", "WordDocument", "",
		    "bad FIB: 8-bit text runs are read");
		is_int(count(r, "hkid", HIGH, "A******(3)", "WordDocument", ""), 2,
		    "bad FIB: UTF-16 text runs are read (and the 8-bit cell)");
		FOUND(r, "card", HIGH, "555555******4444", "WordDocument", "",
		    "bad FIB: field instructions are text to the fallback");
		is_int(r->findings.count, 6, "bad FIB: every value in the stream");
		ps_file_result_free(r);
	}

	doc_sample(&d, 0);
	if ((r = scan_ole("notable.doc", alone)) != NULL) {
		status_is(r, "doc", "partial", "corrupt: no table stream",
		    "missing table stream");
		is_int(r->findings.count, 6, "missing table stream: text runs");
		ps_file_result_free(r);
	}

	doc_sample(&d, 0);
	set32(&d.wd, fclcb + 8 * 33 + 4, 0xFFFFFFF0);
	if ((r = scan_ole("lcb.doc", both)) != NULL) {
		status_is(r, "doc", "partial", "corrupt: piece table", "huge lcbClx");
		ps_file_result_free(r);
	}

	/* A piece beyond the stream, and a PlcPcd length that lies. */
	doc_sample(&d, 0);
	set32(&d.table, 5 + 1 + 4 + 4 * 5 + 2, 0x7FFFFFF0);
	if ((r = scan_ole("piece.doc", both)) != NULL) {
		status_is(r, "doc", "partial", "corrupt: piece table", "piece outside");
		ps_file_result_free(r);
	}
	doc_sample(&d, 0);
	set32(&d.table, 5 + 1, 0x40000000);
	if ((r = scan_ole("plc.doc", both)) != NULL) {
		status_is(r, "doc", "partial", "corrupt: piece table", "PlcPcd too long");
		ps_file_result_free(r);
	}

	/* A FIB cut short. */
	doc_sample(&d, 0);
	d.wd.len = 40;
	if ((r = scan_ole("short.doc", both)) != NULL) {
		status_is(r, "doc", "partial", "corrupt: FIB", "FIB cut short");
		ps_file_result_free(r);
	}

	/* Fields nested deeper than tracked, then more ends than starts. */
	memset(text, '\x13', 100);
	memcpy(text + 100, "HKID A123456(3)", 15);
	memset(text + 115, '\x15', 150);
	snprintf(text + 265, sizeof text - 265, "\x14 G123456(A)\r");
	doc_begin(&d, 0);
	doc_piece(&d, text, true);
	doc_end(&d, d.cp, 0);
	if ((r = scan_ole("fields.doc", both)) != NULL) {
		status_is(r, "doc", "ok", "", "nested fields");
		FOUND(r, "hkid", MEDIUM, "G******(A)", "paragraph 1", "",
		    "nested fields: text after the last end is read, without the "
		    "keyword hidden in the instructions");
		is_int(r->findings.count, 1, "nested fields: instructions stay hidden");
		ps_file_result_free(r);
	}
}

/* --- Excel --- */

static size_t
rec(struct bytes *b, unsigned type, const struct bytes *data)
{
	size_t at = b->len;

	put16(b, type);
	put16(b, (unsigned)data->len);
	put(b, data->p, data->len);
	return at;
}

static void
bof(struct bytes *b, unsigned dt)
{
	struct bytes d = { .len = 0 };

	put16(&d, 0x0600);
	put16(&d, dt);
	put32(&d, 0);
	put32(&d, 0);
	put32(&d, 0);
	rec(b, 0x0809, &d);
}

static void
eof(struct bytes *b)
{
	struct bytes d = { .len = 0 };

	rec(b, 0x000A, &d);
}

/* A sheet's name, 8-bit. */
static size_t
boundsheet(struct bytes *b, const char *name)
{
	struct bytes d = { .len = 0 };

	put32(&d, 0);
	put8(&d, 0);
	put8(&d, 0);
	put8(&d, (unsigned)strlen(name));
	put8(&d, 0);
	put(&d, name, strlen(name));
	return rec(b, 0x0085, &d) + 4;
}

static void
cell_head(struct bytes *d, unsigned row, unsigned col)
{
	put16(d, row);
	put16(d, col);
	put16(d, 15);
}

static void
labelsst(struct bytes *b, unsigned row, unsigned col, uint32_t i)
{
	struct bytes d = { .len = 0 };

	cell_head(&d, row, col);
	put32(&d, i);
	rec(b, 0x00FD, &d);
}

static void
number(struct bytes *b, unsigned row, unsigned col, double v)
{
	struct bytes d = { .len = 0 };
	uint64_t bits;

	memcpy(&bits, &v, sizeof bits);
	cell_head(&d, row, col);
	put32(&d, (uint32_t)bits);
	put32(&d, (uint32_t)(bits >> 32));
	rec(b, 0x0203, &d);
}

/*
 * A workbook: sheet "Staff" with an HKID column (a shared string split
 * across a CONTINUE record, 8-bit then 16-bit), a card number stored as
 * a number, RK and MULRK numbers, a string formula's STRING record; sheet
 * "Notes" with a LABEL.  sst_count: the unique count the SST claims.
 */
static void
xls_sample(struct bytes *b, uint32_t sst_count, bool filepass)
{
	struct bytes d = { .len = 0 };
	size_t sheet1, sheet2;

	b->len = 0;
	bof(b, 0x0005);
	if (filepass) {
		put16(&d, 0);
		rec(b, 0x002F, &d);
		d.len = 0;
	}
	sheet1 = boundsheet(b, "Staff");
	sheet2 = boundsheet(b, "Notes");
	/* SST: "HKID" (rich: 1 run, phonetic: 4 bytes), "Name",
	 * "CA1823611" cut after "CA18" into a CONTINUE in UTF-16. */
	put32(&d, 3);
	put32(&d, sst_count);
	put16(&d, 4);
	put8(&d, 0x0C);
	put16(&d, 1);
	put32(&d, 4);
	put(&d, "HKID", 4);
	put32(&d, 0);                   /* the run */
	put(&d, "\x01\x02", 2);         /* the phonetic data, cut ... */
	rec(b, 0x00FC, &d);
	d.len = 0;
	put(&d, "\x03\x04", 2);         /* ... and continued */
	put16(&d, 4);
	put8(&d, 0);
	put(&d, "Name", 4);
	put16(&d, 9);
	put8(&d, 0);
	put(&d, "CA18", 4);
	rec(b, 0x003C, &d);
	d.len = 0;
	put8(&d, 0x01);                 /* the rest in 16 bits */
	put_utf16(&d, "23611");
	rec(b, 0x003C, &d);
	eof(b);

	set32(b, sheet1, (uint32_t)b->len);
	bof(b, 0x0010);
	labelsst(b, 0, 0, 0);
	labelsst(b, 0, 1, 1);
	d.len = 0;                      /* LABEL C1 "Card number" */
	cell_head(&d, 0, 2);
	put16(&d, 11);
	put8(&d, 0);
	put(&d, "Card number", 11);
	rec(b, 0x0204, &d);
	labelsst(b, 1, 0, 2);
	number(b, 1, 2, 4111111000231111.0);
	d.len = 0;                      /* RK B2: 1234 as an integer */
	cell_head(&d, 1, 1);
	put32(&d, 1234u << 2 | 2);
	rec(b, 0x027E, &d);
	d.len = 0;                      /* MULRK A4:B4: 12.5 and -3 */
	put16(&d, 3);
	put16(&d, 0);
	put16(&d, 15);
	put32(&d, 1250u << 2 | 3);
	put16(&d, 15);
	put32(&d, (uint32_t)-3 << 2 | 2);
	put16(&d, 1);
	rec(b, 0x00BD, &d);
	/* A chart inside the sheet: its records are not cells. */
	bof(b, 0x0020);
	number(b, 9, 9, 5555551000484444.0);
	eof(b);
	d.len = 0;                      /* FORMULA A3, string result */
	cell_head(&d, 2, 0);
	put(&d, "\x00\x00\x00\x00\x00\x00\xff\xff", 8);
	put16(&d, 0);
	put32(&d, 0);
	put16(&d, 0);
	rec(b, 0x0006, &d);
	d.len = 0;                      /* SHRFMLA between them: ignored */
	put32(&d, 0);
	rec(b, 0x04BC, &d);
	d.len = 0;
	put16(&d, 8);
	put8(&d, 0);
	put(&d, "G123456A", 8);
	rec(b, 0x0207, &d);
	eof(b);

	set32(b, sheet2, (uint32_t)b->len);
	bof(b, 0x0010);
	d.len = 0;
	cell_head(&d, 4, 27);
	put16(&d, 21);
	put8(&d, 0x01);
	put_utf16(&d, "Visa 5555551000484444");
	rec(b, 0x0204, &d);
	eof(b);
}

static void
test_xls(void)
{
	struct bytes wb;
	struct stream streams[] = { { "Workbook", &wb }, { NULL, NULL } };
	struct ps_file_result *r;

	xls_sample(&wb, 3, false);
	if ((r = scan_ole("a.xls", streams)) != NULL) {
		status_is(r, "xls", "ok", "", "xls");
		FOUND(r, "hkid", HIGH, "CA******(1)", "Staff!A2", "",
		    "xls: a shared string across CONTINUE records, under an HKID header");
		FOUND(r, "card", HIGH, "411111******1111", "Staff!C2", "",
		    "xls: a card stored as a number, all its digits, header context");
		FOUND(r, "hkid", HIGH, "G******(A)", "Staff!A3", "",
		    "xls: a string formula's cached result");
		FOUND(r, "card", HIGH, "555555******4444", "Notes!AB5", "",
		    "xls: a LABEL in UTF-16 on the second sheet");
		is_int(r->findings.count, 4, "xls: chart records are not cells");
		ps_file_result_free(r);
	}

	/* The shared strings' count claims a million: reading stops at the
	 * end of the records, and nothing is wrong with the file. */
	xls_sample(&wb, 1000000, false);
	if ((r = scan_ole("count.xls", streams)) != NULL) {
		status_is(r, "xls", "ok", "", "SST count lies");
		is_int(r->findings.count, 4, "SST count lies: the same findings");
		ps_file_result_free(r);
	}

	xls_sample(&wb, 3, true);
	if ((r = scan_ole("enc.xls", streams)) != NULL) {
		status_is(r, "xls", "partial", "encrypted", "FILEPASS");
		is_int(r->findings.count, 0, "FILEPASS: nothing read");
		ps_file_result_free(r);
	}

	/* Cut in the middle of the second sheet's LABEL. */
	xls_sample(&wb, 3, false);
	wb.len -= 20;
	if ((r = scan_ole("cut.xls", streams)) != NULL) {
		status_is(r, "xls", "partial", "corrupt: Workbook cut short", "cut");
		is_int(r->findings.count, 3, "cut: the first sheet is read");
		ps_file_result_free(r);
	}

	/* Not BIFF at all: text runs. */
	memcpy(wb.p, "junk", 4);
	wb.len = 4;
	put(&wb, "HKID A123456(3) ", 16);
	if ((r = scan_ole("junk.xls", streams)) != NULL) {
		status_is(r, "xls", "partial", "corrupt: BIFF", "no BOF");
		FOUND(r, "hkid", HIGH, "A******(3)", "Workbook", "",
		    "no BOF: text runs of the stream");
		ps_file_result_free(r);
	}
}

/* --- PowerPoint --- */

static size_t
ppt_container(struct bytes *b, unsigned type, unsigned instance)
{
	size_t at = b->len;

	put16(b, instance << 4 | 0x0F);
	put16(b, type);
	put32(b, 0);
	return at;
}

static void
ppt_close(struct bytes *b, size_t at)
{
	set32(b, at + 4, (uint32_t)(b->len - at - 8));
}

static void
ppt_atom(struct bytes *b, unsigned type, const struct bytes *d)
{
	put16(b, 0);
	put16(b, type);
	put32(b, (uint32_t)d->len);
	put(b, d->p, d->len);
}

static void
ppt_text(struct bytes *b, const char *text, bool wide)
{
	struct bytes d = { .len = 0 };

	if (wide)
		put_utf16(&d, text);
	else
		put(&d, text, strlen(text));
	ppt_atom(b, wide ? 0x0FA0 : 0x0FA8, &d);
}

static void
slide_persist(struct bytes *b, uint32_t id)
{
	struct bytes d = { .len = 0 };

	put32(&d, 0);
	put32(&d, 0);
	put32(&d, 0);
	put32(&d, id);
	put32(&d, 0);
	ppt_atom(b, 0x03F3, &d);
}

static void
ppt_sample(struct bytes *b, bool crypt)
{
	struct bytes d = { .len = 0 };
	size_t doc, list, slide, notes, box;

	b->len = 0;
	doc = ppt_container(b, 0x03E8, 0);
	list = ppt_container(b, 0x0FF0, 0);
	slide_persist(b, 256);
	ppt_text(b, "Title\rHKID G123456(A)", true);
	slide_persist(b, 257);
	ppt_text(b, "Card 5555551000484444", false);
	ppt_close(b, list);
	ppt_close(b, doc);
	if (crypt) {
		ppt_atom(b, 0x2F14, &d);
	}
	/* Slides 1 and 2; text in slide 2's drawing. */
	slide = ppt_container(b, 0x03EE, 0);
	ppt_close(b, slide);
	slide = ppt_container(b, 0x03EE, 0);
	box = ppt_container(b, 0xF00D, 0);
	ppt_text(b, "身份證 A123456(3)", true);
	ppt_close(b, box);
	ppt_close(b, slide);
	/* The notes of the slide with id 257, the second. */
	notes = ppt_container(b, 0x03F0, 0);
	put32(&d, 257);
	put32(&d, 0);
	ppt_atom(b, 0x03F1, &d);
	ppt_text(b, "ref 378282100280005", false);
	ppt_close(b, notes);
}

static void
test_ppt(void)
{
	struct bytes pd;
	struct stream streams[] = { { "PowerPoint Document", &pd }, { NULL, NULL } };
	struct ps_file_result *r;

	ppt_sample(&pd, false);
	if ((r = scan_ole("a.ppt", streams)) != NULL) {
		status_is(r, "ppt", "ok", "", "ppt");
		FOUND(r, "hkid", HIGH, "G******(A)", "slide 1", "",
		    "ppt: slide list text (UTF-16), a paragraph of its own");
		FOUND(r, "card", HIGH, "555555******4444", "slide 2", "",
		    "ppt: 8-bit text of the second slide");
		FOUND(r, "hkid", HIGH, "A******(3)", "slide 2", "",
		    "ppt: text in a slide's drawing, Chinese keyword");
		FOUND(r, "card", MEDIUM, "378282*****0005", "slide 2 notes", "",
		    "ppt: notes placed by their slide id");
		is_int(r->findings.count, 4, "ppt: nothing else");
		ps_file_result_free(r);
	}

	ppt_sample(&pd, true);
	if ((r = scan_ole("enc.ppt", streams)) != NULL) {
		status_is(r, "ppt", "partial", "encrypted", "CryptSession10Container");
		ps_file_result_free(r);
	}

	/* An atom claiming more than there is. */
	ppt_sample(&pd, false);
	set32(&pd, pd.len - 19 - 4, 0x7FFFFFFF);
	if ((r = scan_ole("cut.ppt", streams)) != NULL) {
		status_is(r, "ppt", "partial", "corrupt: PowerPoint Document cut short",
		    "huge atom length");
		is_int(r->findings.count, 3, "huge atom length: the rest is read");
		ps_file_result_free(r);
	}

	/* Containers nested 5000 deep, with a text atom at the bottom. */
	pd.len = 0;
	for (int i = 0; i < 5000; i++)
		ppt_container(&pd, 0x03EE, 0);
	ppt_text(&pd, "HKID A123456(3)", false);
	for (size_t at = 0; at < 5000 * 8; at += 8)
		ppt_close(&pd, at);
	if ((r = scan_ole("deep.ppt", streams)) != NULL) {
		status_is(r, "ppt", "ok", "", "deep nesting");
		FOUND(r, "hkid", HIGH, "A******(3)", "slide 32", "",
		    "deep nesting: the innermost slide tracked");
		ps_file_result_free(r);
	}
}

/* --- other compound files --- */

static void
test_other(void)
{
	struct bytes msg = { .len = 0 }, bin = { .len = 0 }, pkg = { .len = 0 };
	/* Of no kind read here (Outlook messages are: msg.sh). */
	struct stream message[] = { { "VisioDocument", &msg },
		{ "Contents", &bin }, { NULL, NULL } };
	struct stream encrypted[] = { { "EncryptionInfo", &bin },
		{ "EncryptedPackage", &pkg }, { NULL, NULL } };
	struct ps_file_result *r;
	FILE *fp;

	put_utf16(&msg, "Dear HR, my HKID is A123456(3).");
	put(&bin, "\x01\x02" "Card 5555551000484444" "\x00\x03", 25);
	if ((r = scan_ole("a.vsd", message)) != NULL) {
		status_is(r, "ole", "ok", "", "other compound file");
		FOUND(r, "hkid", HIGH, "A******(3)", "VisioDocument", "",
		    "other compound file: UTF-16 runs, located by stream");
		FOUND(r, "card", HIGH, "555555******4444", "Contents", "",
		    "other compound file: 8-bit runs");
		ps_file_result_free(r);
	}

	put(&pkg, "ciphertext", 10);
	if ((r = scan_ole("enc.docx", encrypted)) != NULL) {
		status_is(r, "ole", "partial", "encrypted", "encrypted OOXML");
		ps_file_result_free(r);
	}

	/* A compound file cut to its header and a little more. */
	ok(ole_write("cut.doc", message), "cut.doc written");
	if ((fp = fopen(path_of("cut.doc"), "r+")) != NULL) {
		ok(ftruncate(fileno(fp), 700) == 0, "cut.doc cut");
		fclose(fp);
	}
	if ((r = scan("cut.doc", NULL)) != NULL) {
		ok(strcmp(r->status, "error") != 0, "cut compound file: no error (%s %s %s)",
		    r->type, r->status, r->reason);
		ps_file_result_free(r);
	}
}

int
main(void)
{
	/* The compound files are written here, not by docgen. */
	(void)gen;
	(void)gen_zip;
	(void)write_file;
	gsf_init();
	if (!scanfile_setup("ole"))
		return done_testing();
	test_doc();
	test_doc_damaged();
	test_doc_tables();
	test_xls();
	test_ppt();
	test_other();
	return scanfile_teardown();
}

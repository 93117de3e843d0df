/*
 * xlsx.c - Excel workbooks (OOXML SpreadsheetML): every cell of every
 * worksheet, in workbook order, is one unit located "Sheet!C7", with the
 * header of its column as context (the sheet's first row with anything in
 * it).  Shared strings are read into memory first (within the file's
 * expanded-bytes budget and a cap of their own); sheets are streamed.
 * Numeric cells are written as the integer they stand for when they are
 * one ("4.111111111111111E+15" is 4111111111111111).  Objects under
 * xl/embeddings/ are scanned as children.
 */
#include "config.h"

#include "xml.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../finding.h"

#define MAX_STRING_BYTES ((size_t)128 << 20) /* shared strings kept */
#define MAX_SHEETS       65536
#define NAME_MAX_BYTES   128
#define RID_MAX          64
#define VALUE_MAX        64       /* a number or a string index */
#define MAX_ROW          ((uint64_t)1 << 40)

/* The shared strings: string i is text[start[i] .. start[i + 1] or len). */
struct strings {
	char *text;
	size_t len, cap;
	size_t *start;
	size_t count, scap;
};

struct sheet {
	char name[NAME_MAX_BYTES];
	char rid[RID_MAX];
};

struct sheets {
	struct sheet *items;
	size_t count, cap;
};

static enum ps_error
strings_append(struct strings *s, const char *p, size_t n)
{
	if (s->len + n > s->cap) {
		size_t cap = s->cap == 0 ? 64 * 1024 : s->cap;
		char *grown;

		while (cap < s->len + n)
			cap *= 2;
		if (cap > MAX_STRING_BYTES)
			cap = MAX_STRING_BYTES;
		if ((grown = realloc(s->text, cap)) == NULL)
			return PS_ERR_NOMEM;
		s->text = grown;
		s->cap = cap;
	}
	memcpy(s->text + s->len, p, n);
	s->len += n;
	return PS_OK;
}

static enum ps_error
strings_push(struct strings *s, size_t start)
{
	if (s->count == s->scap) {
		size_t cap = s->scap == 0 ? 1024 : s->scap * 2;
		size_t *grown = realloc(s->start, cap * sizeof *grown);

		if (grown == NULL)
			return PS_ERR_NOMEM;
		s->start = grown;
		s->scap = cap;
	}
	s->start[s->count++] = start;
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

/* The text of string i; false when there is no such string. */
static bool
strings_get(const struct strings *s, const char *index, const char **p, size_t *n)
{
	size_t i = 0;

	if (*index < '0' || *index > '9')
		return false;
	for (; *index >= '0' && *index <= '9'; index++) {
		if (i > s->count)
			return false;
		i = i * 10 + (size_t)(*index - '0');
	}
	if (*index != '\0' || i >= s->count)
		return false;
	*p = s->text + s->start[i];
	*n = (i + 1 < s->count ? s->start[i + 1] : s->len) - s->start[i];
	return true;
}

/* Rich-text runs (r/t) of an si are joined; phonetic guides (rPh) are
 * not the text. */
static enum ps_error
load_strings(struct ps_extract *x, zip_t *za, const char *name, struct strings *s)
{
	struct ps_xml xr;
	enum ps_error err, cerr;
	int t_depth = -1;
	bool in_si = false;
	size_t start = 0;

	if ((err = ps_xml_open(&xr, x, za, name)) != PS_OK)
		return err == PS_ERR_NOMEM ? err : PS_OK;
	while (err == PS_OK && ps_xml_next(&xr)) {
		int type = ps_xml_type(&xr), depth = ps_xml_depth(&xr);

		if (type == XML_READER_TYPE_ELEMENT) {
			if (ps_xml_start(&xr, "si")) {
				start = s->len;
				in_si = !ps_xml_empty(&xr);
				if (!in_si)
					err = strings_push(s, start);
			} else if (ps_xml_start(&xr, "rPh")) {
				ps_xml_skip(&xr);
			} else if (in_si && ps_xml_start(&xr, "t") && !ps_xml_empty(&xr)) {
				t_depth = depth;
			}
		} else if (type == XML_READER_TYPE_END_ELEMENT) {
			if (depth == t_depth) {
				t_depth = -1;
			} else if (in_si && strcmp(ps_xml_local(&xr), "si") == 0) {
				in_si = false;
				err = strings_push(s, start);
			}
		} else if (t_depth >= 0 && depth == t_depth + 1 && ps_xml_is_text(&xr)) {
			const char *v = ps_xml_value(&xr);
			size_t n = v != NULL ? strlen(v) : 0;

			if (s->len + n > MAX_STRING_BYTES) {
				ps_extract_partial(x, "limit: shared strings");
				break;
			}
			err = strings_append(s, v, n);
		}
	}
	cerr = ps_xml_close(&xr);
	return err != PS_OK ? err : cerr;
}

/* Sheet names and relationship ids from xl/workbook.xml, in order. */
static enum ps_error
load_sheets(struct ps_extract *x, zip_t *za, struct sheets *list)
{
	struct ps_xml xr;
	enum ps_error err, cerr;
	/* Each sheet is a part of its own: a list longer than the archive
	 * repeats sheets, and would read them again and again. */
	zip_int64_t members = zip_get_num_entries(za, 0);
	size_t max = members < MAX_SHEETS ? (size_t)members : MAX_SHEETS;

	if ((err = ps_xml_open(&xr, x, za, "xl/workbook.xml")) != PS_OK)
		return err == PS_ERR_NOMEM ? err : PS_OK;
	while (err == PS_OK && ps_xml_next(&xr)) {
		struct sheet *sh;

		if (!ps_xml_start(&xr, "sheet"))
			continue;
		if (list->count >= max) {
			ps_extract_partial(x, "corrupt: xl/workbook.xml: more sheets than parts");
			break;
		}
		if (list->count == list->cap) {
			size_t cap = list->cap == 0 ? 16 : list->cap * 2;
			struct sheet *grown = realloc(list->items, cap * sizeof *grown);

			if (grown == NULL) {
				err = PS_ERR_NOMEM;
				break;
			}
			list->items = grown;
			list->cap = cap;
		}
		sh = &list->items[list->count++];
		ps_xml_attr(&xr, "name", -1, sh->name, sizeof sh->name);
		ps_xml_attr(&xr, "id", 1, sh->rid, sizeof sh->rid);
	}
	cerr = ps_xml_close(&xr);
	return err != PS_OK ? err : cerr;
}

/* "C7" -> column 2, row 7; false when it is not a cell reference. */
static bool
parse_ref(const char *ref, uint64_t *col, uint64_t *row)
{
	uint64_t c = 0, r = 0;
	size_t letters = 0, digits = 0;

	for (; *ref >= 'A' && *ref <= 'Z'; ref++)
		if (++letters > 4)
			return false;
		else
			c = c * 26 + (uint64_t)(*ref - 'A' + 1);
	for (; *ref >= '0' && *ref <= '9'; ref++) {
		if (++digits > 12)
			return false;
		r = r * 10 + (uint64_t)(*ref - '0');
	}
	if (*ref != '\0' || letters == 0 || r == 0)
		return false;
	*col = c - 1;
	*row = r;
	return true;
}

static uint64_t
parse_row(const char *s)
{
	uint64_t r = 0;

	for (; *s >= '0' && *s <= '9'; s++)
		if ((r = r * 10 + (uint64_t)(*s - '0')) > MAX_ROW)
			return 0;
	return *s == '\0' ? r : 0;
}

enum cell_kind {
	CELL_NONE,      /* boolean, error: nothing to read */
	CELL_NUMBER,    /* v holds a number */
	CELL_SHARED,    /* v holds a shared string's index */
	CELL_STRING,    /* v holds the text (formula string, date) */
	CELL_INLINE,    /* is/t holds the text */
};

static enum cell_kind
cell_kind(const char *t)
{
	if (t == NULL || t[0] == '\0' || strcmp(t, "n") == 0)
		return CELL_NUMBER;
	if (strcmp(t, "s") == 0)
		return CELL_SHARED;
	if (strcmp(t, "inlineStr") == 0)
		return CELL_INLINE;
	if (strcmp(t, "b") == 0 || strcmp(t, "e") == 0)
		return CELL_NONE;
	return CELL_STRING;
}

struct sheet_state {
	struct ps_grid *grid;
	const struct strings *strings;
	uint64_t row, next_col;
	int cell_depth, v_depth, t_depth;
	enum cell_kind kind;
	char value[VALUE_MAX];
	size_t vlen;
};

static enum ps_error
cell_start(struct sheet_state *st, struct ps_xml *xr)
{
	const char *ref = ps_xml_attr_value(xr, "r", 0);
	uint64_t col = st->next_col, row = st->row;

	if (ref != NULL && parse_ref(ref, &col, &row)) {
		st->row = row;
	} else {
		col = st->next_col;
		row = st->row;
	}
	st->next_col = col + 1;
	st->kind = cell_kind(ps_xml_attr_value(xr, "t", 0));
	st->vlen = 0;
	st->value[0] = '\0';
	st->cell_depth = ps_xml_depth(xr);
	st->v_depth = st->t_depth = -1;
	ps_grid_cell(st->grid, row, col);
	return PS_OK;
}

static enum ps_error
cell_end(struct sheet_state *st)
{
	char digits[40];
	const char *p;
	size_t n;
	enum ps_error err = PS_OK;

	if (st->kind == CELL_SHARED && strings_get(st->strings, st->value, &p, &n))
		err = ps_grid_text(st->grid, p, n);
	else if (st->kind == CELL_NUMBER && ps_xml_integer_text(st->value, digits, sizeof digits))
		err = ps_grid_text(st->grid, digits, strlen(digits));
	else if (st->kind == CELL_NUMBER)
		err = ps_grid_text(st->grid, st->value, st->vlen);
	if (err == PS_OK)
		err = ps_grid_end_cell(st->grid, 1);
	st->cell_depth = -1;
	return err;
}

static enum ps_error
cell_text(struct sheet_state *st, const char *s, size_t n)
{
	if (st->kind == CELL_INLINE)
		return ps_grid_text(st->grid, s, n);
	if (st->kind == CELL_STRING)
		return ps_grid_text(st->grid, s, n);
	/* An index or a number: short; anything longer is kept cut. */
	st->vlen = ps_xml_append(st->value, sizeof st->value, s, n);
	return PS_OK;
}

/* Stream one worksheet: rows and cells are handled as they come. */
static enum ps_error
read_sheet(struct ps_extract *x, zip_t *za, const char *part,
    struct ps_grid *grid, const struct strings *strings)
{
	struct sheet_state st = { grid, strings, 0, 0, -1, -1, -1, CELL_NONE, "", 0 };
	struct ps_xml xr;
	enum ps_error err, cerr;

	if ((err = ps_xml_open(&xr, x, za, part)) != PS_OK)
		return err == PS_ERR_NOMEM ? err : PS_OK;
	while (err == PS_OK && ps_xml_next(&xr)) {
		int type = ps_xml_type(&xr), depth = ps_xml_depth(&xr);

		if (type == XML_READER_TYPE_ELEMENT) {
			const char *local = ps_xml_local(&xr);

			if (st.cell_depth < 0 && ps_xml_name_is(local, "row")) {
				const char *rowattr = ps_xml_attr_value(&xr, "r", 0);
				uint64_t r = rowattr != NULL ? parse_row(rowattr) : 0;

				st.row = r > 0 ? r : st.row + 1;
				st.next_col = 0;
			} else if (st.cell_depth < 0 && ps_xml_name_is(local, "c")) {
				err = cell_start(&st, &xr);
				if (err == PS_OK && ps_xml_empty(&xr))
					err = cell_end(&st);
			} else if (st.cell_depth < 0) {
				/* Outside cells: nothing of the sheet's text. */
				if (!ps_xml_name_is(local, "sheetData") && !ps_xml_name_is(local, "worksheet"))
					ps_xml_skip(&xr);
			} else if (ps_xml_name_is(local, "v") && !ps_xml_empty(&xr)) {
				st.v_depth = depth;
			} else if (ps_xml_name_is(local, "t") && !ps_xml_empty(&xr)) {
				st.t_depth = depth;
			} else if (ps_xml_name_is(local, "rPh") || ps_xml_name_is(local, "f")) {
				ps_xml_skip(&xr);
			}
		} else if (type == XML_READER_TYPE_END_ELEMENT) {
			if (depth == st.cell_depth)
				err = cell_end(&st);
			else if (depth == st.v_depth)
				st.v_depth = -1;
			else if (depth == st.t_depth)
				st.t_depth = -1;
		} else if (st.cell_depth >= 0 && ps_xml_is_text(&xr)) {
			size_t n = 0;
			const char *s = ps_xml_text(&xr, &n);
			bool in_v = st.v_depth >= 0 && depth == st.v_depth + 1
			    && st.kind != CELL_INLINE;
			bool in_t = st.t_depth >= 0 && depth == st.t_depth + 1
			    && st.kind == CELL_INLINE;

			if (s != NULL && (in_v || in_t))
				err = cell_text(&st, s, n);
		}
	}
	/* A sheet cut short still delivers its last cell. */
	if (err == PS_OK && st.cell_depth >= 0)
		err = cell_end(&st);
	cerr = ps_xml_close(&xr);
	return err != PS_OK ? err : cerr;
}

static bool
embedded(const char *name)
{
	return strncmp(name, "xl/embeddings/", 14) == 0;
}

bool
ps_xlsx_claims(zip_t *za)
{
	return ps_zip_find(za, "xl/workbook.xml") >= 0;
}

enum ps_error
ps_extract_xlsx(struct ps_extract *x, zip_t *za)
{
	struct strings strings = { 0 };
	struct sheets sheets = { 0 };
	struct ps_rels rels = { 0 };
	struct ps_grid grid = { 0 };
	const struct ps_rel *sst;
	enum ps_error err;

	err = ps_rels_load(&rels, x, za, "xl/_rels/workbook.xml.rels", "xl/");
	if (err == PS_OK) {
		sst = ps_rels_of_type(&rels, "sharedStrings");
		err = load_strings(x, za, sst != NULL && sst->part != NULL ? sst->part
		    : "xl/sharedStrings.xml", &strings);
	}
	if (err == PS_OK)
		err = load_sheets(x, za, &sheets);
	for (size_t i = 0; i < sheets.count && err == PS_OK; i++) {
		const struct ps_rel *rel = ps_rels_find(&rels, sheets.items[i].rid);
		char part[64];

		/* Without its relationship, the usual part name. */
		if (rel == NULL || rel->part == NULL)
			snprintf(part, sizeof part, "xl/worksheets/sheet%zu.xml", i + 1);
		if ((err = ps_grid_sheet(&grid, x->sink, sheets.items[i].name)) == PS_OK)
			err = read_sheet(x, za, rel != NULL && rel->part != NULL
			    ? rel->part : part, &grid, &strings);
	}
	if (err == PS_OK)
		err = ps_zip_scan_members(x, za, embedded);
	ps_grid_free(&grid);
	ps_rels_free(&rels);
	free(sheets.items);
	strings_free(&strings);
	return err;
}

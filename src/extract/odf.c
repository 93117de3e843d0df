/*
 * odf.c - OpenDocument packages: text (odt), spreadsheets (ods) and
 * presentations (odp), told apart by the "mimetype" member (or, without
 * one, by META-INF/manifest.xml).
 *
 * odt: content.xml's paragraphs and headings, one unit each ("paragraph
 * N") with spans joined, tables with the first row as context; the page
 * headers and footers of styles.xml ("header paragraph N").  ods: every
 * cell ("Sheet!C7") with its column's header as context, as in xlsx;
 * repeated rows and cells only move the position (a repeated cell with
 * text is read once, at its first position), so a million repeated empty
 * cells cost nothing.  odp: paragraphs of each draw:page ("slide N") and
 * of its notes ("slide N notes").  A password-protected document (its
 * manifest has encryption data for content.xml) is recorded as
 * "encrypted".  Embedded objects ("Object 1/...") are scanned as children.
 */
#include "config.h"

#include "xml.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MIMETYPE_MAX   100             /* bytes of "mimetype" read */
#define MANIFEST_MAX   (64 * 1024)     /* bytes of the manifest read to claim */
#define MAX_REPEAT     ((uint64_t)1 << 40)

static const char *const paragraphs[] = { "p", "h", NULL };
static const char *const tabs[] = { "tab", NULL };
static const char *const breaks[] = { "line-break", NULL };
/* Note citations ("1") would glue digits to the text around them;
 * annotation authors and dates are not the document's text; styles hold
 * no text. */
static const char *const skips[] = { "note-citation", "creator", "date",
	"creator-initials", "automatic-styles", "font-face-decls", "styles",
	"scripts", NULL };
/* A spanned cell is followed by covered cells, so no span is added. */
static const char *const cells[] = { "table-cell", "covered-table-cell", NULL };

static const struct ps_flow_syntax odf_syntax = {
	.paragraphs = paragraphs,
	.texts = NULL,
	.tabs = tabs,
	.breaks = breaks,
	.spaces = "s",
	.skips = skips,
	.table = "table",
	.row = "table-row",
	.cells = cells,
	.repeat = "number-columns-repeated",
	.collapse = true,
};

/* --- which package ----------------------------------------------------- */

/* The media type of the package root from the manifest, read from its
 * first MANIFEST_MAX bytes. */
static bool
manifest_type(zip_t *za, char *type, size_t cap)
{
	zip_file_t *zf = zip_fopen(za, "META-INF/manifest.xml", 0);
	char *data = NULL, path[8];
	zip_int64_t n;
	struct ps_xml xr;
	bool found = false;

	if (zf == NULL)
		return false;
	if ((data = malloc(MANIFEST_MAX)) == NULL)
		goto done;
	n = zip_fread(zf, data, MANIFEST_MAX);
	if (n <= 0 || ps_xml_open_memory(&xr, data, (size_t)n) != PS_OK)
		goto done;
	while (!found && ps_xml_next(&xr))
		found = ps_xml_start(&xr, "file-entry")
		    && ps_xml_attr(&xr, "full-path", 0, path, sizeof path)
		    && strcmp(path, "/") == 0
		    && ps_xml_attr(&xr, "media-type", 0, type, cap);
	ps_xml_close(&xr);
done:
	free(data);
	zip_fclose(zf);
	return found;
}

/* Whether the package's media type is want (or its template). */
static bool
odf_claims(zip_t *za, const char *want)
{
	char type[MIMETYPE_MAX + 1];
	size_t n = strlen(want);

	if (ps_zip_find(za, "mimetype") >= 0) {
		zip_file_t *zf = zip_fopen(za, "mimetype", 0);
		zip_int64_t got;

		if (zf == NULL)
			return false;
		got = zip_fread(zf, type, MIMETYPE_MAX);
		zip_fclose(zf);
		if (got < 0)
			return false;
		type[got] = '\0';
		/* Some writers end it with a newline. */
		while (got > 0 && (type[got - 1] == '\n' || type[got - 1] == '\r'
		    || type[got - 1] == ' '))
			type[--got] = '\0';
	} else if (ps_zip_find(za, "content.xml") < 0
	    || !manifest_type(za, type, sizeof type)) {
		return false;
	}
	return strncmp(type, want, n) == 0
	    && (type[n] == '\0' || strcmp(type + n, "-template") == 0);
}

bool
ps_odt_claims(zip_t *za)
{
	return odf_claims(za, "application/vnd.oasis.opendocument.text");
}

bool
ps_ods_claims(zip_t *za)
{
	return odf_claims(za, "application/vnd.oasis.opendocument.spreadsheet");
}

bool
ps_odp_claims(zip_t *za)
{
	return odf_claims(za, "application/vnd.oasis.opendocument.presentation");
}

/* --- shared ------------------------------------------------------------ */

/*
 * Whether the manifest says content.xml is encrypted (a password-
 * protected document: the zip is plain, its parts are not).  Such a
 * document is recorded as "encrypted" rather than as corrupt XML.
 */
static enum ps_error
content_encrypted(struct ps_extract *x, zip_t *za, bool *encrypted)
{
	struct ps_xml xr;
	enum ps_error err;
	bool content = false;
	char path[32];

	*encrypted = false;
	if ((err = ps_xml_open(&xr, x, za, "META-INF/manifest.xml")) != PS_OK)
		return err == PS_ERR_NOMEM ? err : PS_OK;
	while (!*encrypted && ps_xml_next(&xr)) {
		if (ps_xml_start(&xr, "file-entry"))
			content = ps_xml_attr(&xr, "full-path", 0, path, sizeof path)
			    && strcmp(path, "content.xml") == 0;
		else if (ps_xml_start(&xr, "encryption-data") && content)
			*encrypted = true;
	}
	return ps_xml_close(&xr);
}

/* The package's own parts may be read: not encrypted. */
static enum ps_error
readable(struct ps_extract *x, zip_t *za, bool *ok)
{
	bool encrypted;
	enum ps_error err = content_encrypted(x, za, &encrypted);

	if (err == PS_OK && encrypted)
		ps_extract_partial(x, "encrypted");
	*ok = err == PS_OK && !encrypted;
	return err;
}

/* "Object 1/content.xml", and "Object 2" itself when it is a file (an
 * OLE object from another office suite). */
static bool
embedded(const char *name)
{
	const char *slash;

	if (strncmp(name, "Object ", 7) != 0)
		return false;
	slash = strchr(name, '/');
	return slash == NULL || strcmp(slash, "/content.xml") == 0;
}

static uint64_t
parse_repeat(struct ps_xml *xr, const char *attr)
{
	char val[24];
	uint64_t v = 0;

	if (!ps_xml_attr(xr, attr, 0, val, sizeof val))
		return 1;
	for (const char *p = val; *p >= '0' && *p <= '9'; p++)
		if ((v = v * 10 + (uint64_t)(*p - '0')) > MAX_REPEAT)
			return MAX_REPEAT;
	return v > 0 ? v : 1;
}

static enum ps_error
read_flow(struct ps_flow *f, zip_t *za, const char *name)
{
	struct ps_xml xr;
	enum ps_error err, cerr;

	if ((err = ps_xml_open(&xr, f->x, za, name)) != PS_OK)
		return err == PS_ERR_NOMEM ? err : PS_OK;
	err = ps_flow_run(f, &xr);
	cerr = ps_xml_close(&xr);
	return err != PS_OK ? err : cerr;
}

/* --- odt --------------------------------------------------------------- */

/* styles.xml: page headers and footers are numbered apart; anything else
 * there is located "styles". */
struct page_parts {
	uint64_t header, footer;
	uint64_t *current;
};

static bool
page_hook(struct ps_flow *f, struct ps_xml *xr, bool end)
{
	struct page_parts *pp = f->arg;
	const char *local = ps_xml_local(xr);
	bool header = strncmp(local, "header", 6) == 0
	    && (local[6] == '\0' || strcmp(local + 6, "-left") == 0
		|| strcmp(local + 6, "-first") == 0);
	bool footer = strncmp(local, "footer", 6) == 0
	    && (local[6] == '\0' || strcmp(local + 6, "-left") == 0
		|| strcmp(local + 6, "-first") == 0);

	if (!header && !footer)
		return false;
	if (!end && pp->current == NULL) {
		pp->current = header ? &pp->header : &pp->footer;
		snprintf(f->label, sizeof f->label, "%s paragraph",
		    header ? "header" : "footer");
		f->count = true;
		f->paragraphs = *pp->current;
	} else if (end && pp->current != NULL) {
		*pp->current = f->paragraphs;
		pp->current = NULL;
		snprintf(f->label, sizeof f->label, "styles");
		f->count = false;
	}
	return false;
}

enum ps_error
ps_extract_odt(struct ps_extract *x, zip_t *za)
{
	struct ps_flow f = { .syn = &odf_syntax, .x = x };
	struct page_parts pp = { 0, 0, NULL };
	enum ps_error err;

	bool ok;

	snprintf(f.label, sizeof f.label, "paragraph");
	f.count = true;
	if ((err = readable(x, za, &ok)) == PS_OK && ok)
		err = read_flow(&f, za, "content.xml");
	if (err == PS_OK && ok) {
		snprintf(f.label, sizeof f.label, "styles");
		f.count = false;
		f.hook = page_hook;
		f.arg = &pp;
		err = read_flow(&f, za, "styles.xml");
	}
	if (err == PS_OK)
		err = ps_zip_scan_members(x, za, embedded);
	ps_flow_free(&f);
	return err;
}

/* --- odp --------------------------------------------------------------- */

struct pages {
	size_t n;
};

static bool
slide_hook(struct ps_flow *f, struct ps_xml *xr, bool end)
{
	struct pages *pg = f->arg;

	if (strcmp(ps_xml_local(xr), "page") == 0 && !end)
		snprintf(f->label, sizeof f->label, "slide %zu", ++pg->n);
	else if (strcmp(ps_xml_local(xr), "notes") == 0)
		snprintf(f->label, sizeof f->label, end ? "slide %zu" : "slide %zu notes",
		    pg->n);
	return false;
}

enum ps_error
ps_extract_odp(struct ps_extract *x, zip_t *za)
{
	struct ps_flow f = { .syn = &odf_syntax, .x = x };
	struct pages pg = { 0 };
	enum ps_error err;
	bool ok;

	/* Master pages (styles.xml) hold layout placeholders, not slides. */
	snprintf(f.label, sizeof f.label, "presentation");
	f.hook = slide_hook;
	f.arg = &pg;
	if ((err = readable(x, za, &ok)) == PS_OK && ok)
		err = read_flow(&f, za, "content.xml");
	if (err == PS_OK)
		err = ps_zip_scan_members(x, za, embedded);
	ps_flow_free(&f);
	return err;
}

/* --- ods --------------------------------------------------------------- */

struct ods {
	struct ps_grid grid;
	struct ps_extract *x;
	int table_depth, row_depth, cell_depth;
	uint64_t row, rows_repeat, col, cols_repeat;
	unsigned paras;                 /* paragraphs seen in the cell */
	bool in_para, last_space, numeric;
};

/* Cell text with ODF's white-space rule (see flow_text in xml.c). */
static enum ps_error
ods_text(struct ods *o, const char *s, size_t n, bool literal)
{
	char buf[1024];
	size_t k = 0;
	enum ps_error err = PS_OK;

	if (literal) {
		o->last_space = true;
		return ps_grid_text(&o->grid, s, n);
	}
	for (size_t i = 0; i < n && err == PS_OK; i++) {
		char c = s[i];

		if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
			if (o->last_space)
				continue;
			c = ' ';
			o->last_space = true;
		} else {
			o->last_space = false;
		}
		buf[k++] = c;
		if (k == sizeof buf) {
			err = ps_grid_text(&o->grid, buf, k);
			k = 0;
		}
	}
	if (err == PS_OK)
		err = ps_grid_text(&o->grid, buf, k);
	return err;
}

static enum ps_error
ods_cell_end(struct ods *o)
{
	enum ps_error err = ps_grid_end_cell(&o->grid, o->cols_repeat);

	o->col = o->col + o->cols_repeat < o->col ? UINT64_MAX : o->col + o->cols_repeat;
	o->cell_depth = -1;
	o->in_para = false;
	return err;
}

/*
 * A numeric cell whose value is an integer is that integer (the shown
 * text may be "4.11E+15"); otherwise its paragraphs are the text.
 * Returns true when the value was written.
 */
static bool
ods_numeric(struct ods *o, struct ps_xml *xr, enum ps_error *err)
{
	char type[24], value[80], digits[40];

	if (!ps_xml_attr(xr, "value-type", 0, type, sizeof type)
	    || (strcmp(type, "float") != 0 && strcmp(type, "currency") != 0
		&& strcmp(type, "percentage") != 0)
	    || !ps_xml_attr(xr, "value", 0, value, sizeof value)
	    || !ps_xml_integer_text(value, digits, sizeof digits))
		return false;
	*err = ps_grid_text(&o->grid, digits, strlen(digits));
	return true;
}

static enum ps_error
ods_start(struct ods *o, struct ps_xml *xr)
{
	const char *local = ps_xml_local(xr);
	int depth = ps_xml_depth(xr);
	enum ps_error err = PS_OK;
	char name[128];

	if (o->cell_depth >= 0) {
		/* Inside a cell: its paragraphs' text. */
		if (ps_xml_name_in(local, skips)) {
			ps_xml_skip(xr);
		} else if (ps_xml_name_in(local, paragraphs)) {
			if (o->paras++ > 0 && o->grid.open)
				err = ods_text(o, "\n", 1, true);
			o->in_para = !ps_xml_empty(xr);
			o->last_space = true;
		} else if (!o->in_para) {
			return PS_OK;
		} else if (strcmp(local, "s") == 0) {
			uint64_t c = parse_repeat(xr, "c");

			err = ods_text(o, "                ", c < 16 ? (size_t)c : 16, true);
		} else if (strcmp(local, "tab") == 0) {
			err = ods_text(o, " ", 1, true);
		} else if (strcmp(local, "line-break") == 0) {
			err = ods_text(o, "\n", 1, true);
		}
		return err;
	}
	if (strcmp(local, "table") == 0 && o->table_depth < 0) {
		o->table_depth = depth;
		ps_xml_attr(xr, "name", 0, name, sizeof name);
		err = ps_grid_sheet(&o->grid, o->x->sink, name);
		o->row = 1;
		o->row_depth = -1;
	} else if (o->table_depth >= 0 && strcmp(local, "table-row") == 0
	    && o->row_depth < 0) {
		o->row_depth = depth;
		o->rows_repeat = parse_repeat(xr, "number-rows-repeated");
		o->col = 0;
	} else if (o->row_depth >= 0 && ps_xml_name_in(local, cells)) {
		o->cell_depth = depth;
		o->cols_repeat = parse_repeat(xr, "number-columns-repeated");
		o->paras = 0;
		o->in_para = false;
		ps_grid_cell(&o->grid, o->row, o->col);
		if (ods_numeric(o, xr, &err)) {
			ps_xml_skip(xr);
			return err != PS_OK ? err : ods_cell_end(o);
		}
		if (ps_xml_empty(xr))
			err = ods_cell_end(o);
	} else if (o->table_depth >= 0 && o->row_depth < 0
	    && strcmp(local, "table-column") != 0 && strcmp(local, "table-rows") != 0
	    && strcmp(local, "table-row-group") != 0
	    && strcmp(local, "table-header-rows") != 0) {
		/* Table-level matter that is not rows (shapes, named ranges). */
		ps_xml_skip(xr);
	}
	return err;
}

static void
ods_row_end(struct ods *o)
{
	/* A repeated row with text is read once, at its first position. */
	o->row = o->row + o->rows_repeat < o->row ? UINT64_MAX : o->row + o->rows_repeat;
	o->row_depth = -1;
}

static enum ps_error
ods_end(struct ods *o, struct ps_xml *xr)
{
	int depth = ps_xml_depth(xr);

	if (depth == o->cell_depth)
		return ods_cell_end(o);
	if (o->cell_depth >= 0) {
		if (ps_xml_is_one(xr, paragraphs))
			o->in_para = false;
	} else if (depth == o->row_depth) {
		ods_row_end(o);
	} else if (depth == o->table_depth) {
		o->table_depth = -1;
	}
	return PS_OK;
}

static enum ps_error
read_sheets(struct ods *o, zip_t *za)
{
	struct ps_xml xr;
	enum ps_error err, cerr;

	if ((err = ps_xml_open(&xr, o->x, za, "content.xml")) != PS_OK)
		return err == PS_ERR_NOMEM ? err : PS_OK;
	while (err == PS_OK && ps_xml_next(&xr)) {
		int type = ps_xml_type(&xr);

		if (type == XML_READER_TYPE_ELEMENT) {
			err = ods_start(o, &xr);
			/* An empty element has no end of its own. */
			if (err == PS_OK && ps_xml_empty(&xr) && o->cell_depth < 0
			    && ps_xml_depth(&xr) == o->row_depth)
				ods_row_end(o);
		} else if (type == XML_READER_TYPE_END_ELEMENT) {
			err = ods_end(o, &xr);
		} else if (o->in_para && ps_xml_is_text(&xr)) {
			const char *s = ps_xml_value(&xr);

			if (s != NULL)
				err = ods_text(o, s, strlen(s), false);
		}
	}
	if (err == PS_OK && o->cell_depth >= 0)
		err = ods_cell_end(o);
	cerr = ps_xml_close(&xr);
	return err != PS_OK ? err : cerr;
}

enum ps_error
ps_extract_ods(struct ps_extract *x, zip_t *za)
{
	struct ods o = { .x = x, .table_depth = -1, .row_depth = -1,
		.cell_depth = -1 };
	enum ps_error err;
	bool ok;

	if ((err = readable(x, za, &ok)) == PS_OK && ok)
		err = read_sheets(&o, za);
	if (err == PS_OK)
		err = ps_zip_scan_members(x, za, embedded);
	ps_grid_free(&o.grid);
	return err;
}

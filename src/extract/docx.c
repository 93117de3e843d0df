/*
 * docx.c - Word documents (OOXML WordprocessingML): the body with its
 * tables and text boxes, headers, footers, footnotes, endnotes and
 * comments.  Each paragraph is one unit with its runs joined ("paragraph
 * 4", "header paragraph 1", "footnote 2", "comment 1"); cells of a
 * table's later rows have the first row's cell as context.  Objects
 * embedded under word/embeddings/ are scanned as children afterwards.
 */
#include "config.h"

#include "xml.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const paragraphs[] = { "p", NULL };
/* Deleted text is still in the file, so it is read too. */
static const char *const texts[] = { "t", "delText", NULL };
static const char *const tabs[] = { "tab", "ptab", NULL };
static const char *const breaks[] = { "br", "cr", NULL };
/* Paragraph properties hold tab stops (w:tabs/w:tab), not text; field
 * instructions are code, not text; mc:Fallback repeats mc:Choice. */
static const char *const skips[] = { "pPr", "instrText", "delInstrText",
	"Fallback", NULL };
static const char *const cells[] = { "tc", NULL };

static const struct ps_flow_syntax docx_syntax = {
	.paragraphs = paragraphs,
	.texts = texts,
	.tabs = tabs,
	.breaks = breaks,
	.skips = skips,
	.table = "tbl",
	.row = "tr",
	.cells = cells,
	.span = "gridSpan",
};

/* Footnotes, endnotes and comments are numbered by note, not paragraph. */
struct notes {
	const char *element;
	unsigned n;
};

static bool
note_hook(struct ps_flow *f, struct ps_xml *xr, bool end)
{
	struct notes *nt = f->arg;
	char type[32];

	if (end || !ps_xml_start(xr, nt->element))
		return false;
	/* Separators between the text and its notes are not notes. */
	if (ps_xml_attr(xr, "type", 0, type, sizeof type) && strcmp(type, "normal") != 0)
		return true;
	snprintf(f->label, sizeof f->label, "%s %u", nt->element, ++nt->n);
	return false;
}

/* Read one part as flow text; a missing or broken part is not an error
 * of the document (the latter is recorded on the file). */
static enum ps_error
read_part(struct ps_flow *f, zip_t *za, const char *name, const char *label,
    uint64_t *counter, struct notes *notes)
{
	struct ps_xml xr;
	enum ps_error err, cerr;

	if ((err = ps_xml_open(&xr, f->x, za, name)) != PS_OK)
		return err == PS_ERR_NOMEM ? err : PS_OK;
	snprintf(f->label, sizeof f->label, "%s", label);
	f->count = counter != NULL;
	f->paragraphs = counter != NULL ? *counter : 0;
	f->hook = notes != NULL ? note_hook : NULL;
	f->arg = notes;
	err = ps_flow_run(f, &xr);
	if (counter != NULL)
		*counter = f->paragraphs;
	cerr = ps_xml_close(&xr);
	return err != PS_OK ? err : cerr;
}

/* "word/header3.xml" is a header part: prefix, digits, ".xml". */
static bool
numbered_part(const char *name, const char *prefix)
{
	size_t n = strlen(prefix);

	if (strncmp(name, prefix, n) != 0)
		return false;
	name += n;
	while (*name >= '0' && *name <= '9')
		name++;
	return strcmp(name, ".xml") == 0;
}

/* header2.xml before header10.xml. */
static int
by_number(const void *a, const void *b)
{
	const char *x = *(const char *const *)a, *y = *(const char *const *)b;
	size_t lx = strlen(x), ly = strlen(y);

	return lx != ly ? (lx < ly ? -1 : 1) : strcmp(x, y);
}

/* Every header (or footer) part, in the order of their numbers. */
static enum ps_error
read_numbered(struct ps_flow *f, zip_t *za, const char *prefix,
    const char *label)
{
	zip_int64_t n = zip_get_num_entries(za, 0);
	const char **names = NULL;
	size_t count = 0;
	uint64_t counter = 0;
	enum ps_error err = PS_OK;

	if (n <= 0)
		return PS_OK;
	if ((names = calloc((size_t)n, sizeof *names)) == NULL)
		return PS_ERR_NOMEM;
	for (zip_int64_t i = 0; i < n; i++) {
		const char *name = zip_get_name(za, (zip_uint64_t)i, ZIP_FL_ENC_RAW);

		if (name != NULL && numbered_part(name, prefix))
			names[count++] = name;
	}
	qsort(names, count, sizeof *names, by_number);
	for (size_t i = 0; i < count && err == PS_OK; i++)
		err = read_part(f, za, names[i], label, &counter, NULL);
	free(names);
	return err;
}

static bool
embedded(const char *name)
{
	return strncmp(name, "word/embeddings/", 16) == 0;
}

bool
ps_docx_claims(zip_t *za)
{
	return ps_zip_find(za, "word/document.xml") >= 0;
}

enum ps_error
ps_extract_docx(struct ps_extract *x, zip_t *za)
{
	struct ps_flow f = { .syn = &docx_syntax, .x = x };
	struct notes footnotes = { "footnote", 0 }, endnotes = { "endnote", 0 };
	struct notes comments = { "comment", 0 };
	uint64_t body = 0;
	enum ps_error err;

	err = read_part(&f, za, "word/document.xml", "paragraph", &body, NULL);
	if (err == PS_OK)
		err = read_numbered(&f, za, "word/header", "header paragraph");
	if (err == PS_OK)
		err = read_numbered(&f, za, "word/footer", "footer paragraph");
	if (err == PS_OK)
		err = read_part(&f, za, "word/footnotes.xml", "footnote", NULL, &footnotes);
	if (err == PS_OK)
		err = read_part(&f, za, "word/endnotes.xml", "endnote", NULL, &endnotes);
	if (err == PS_OK)
		err = read_part(&f, za, "word/comments.xml", "comment", NULL, &comments);
	/* Children only now: no unit of the document is open any more. */
	if (err == PS_OK)
		err = ps_zip_scan_members(x, za, embedded);
	ps_flow_free(&f);
	return err;
}

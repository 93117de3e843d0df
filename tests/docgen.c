/*
 * docgen.c - writes real office documents for the tests, from a simple
 * spec on standard input.
 *
 * usage: docgen docx|odt  OUT     lines: a paragraph each; "{r}" splits a
 *                                 line into runs (spans) of alternating
 *                                 formatting; "|a|b|" is a table row
 *                                 (consecutive rows are one table);
 *                                 "@header T", "@footer T", "@comment T",
 *                                 "@footnote T" (a comment or footnote is
 *                                 anchored at the end of the paragraph
 *                                 before it); "@member NAME FILE" adds
 *                                 FILE as member NAME (docx: an embedded
 *                                 package under word/embeddings/)
 *        docgen xlsx|ods  OUT     lines: SHEET<TAB>REF<TAB>KIND<TAB>VALUE,
 *                                 KIND s (shared string; ods: string),
 *                                 i (inline string; ods: string), n
 *                                 (number, VALUE written as given), e (ods:
 *                                 VALUE empty cells, number-columns-repeated)
 *        docgen pptx|odp  OUT     lines: SLIDE<TAB>TEXT, SLIDE<TAB>@notes
 *                                 TEXT, SLIDE<TAB>|a|b| (table rows)
 *        docgen zip OUT NAME=FILE...   a zip of those files (deflated)
 *
 * The packages are complete enough for libmagic and office suites:
 * [Content_Types].xml first and relationships for OOXML; "mimetype"
 * first and stored, and META-INF/manifest.xml, for ODF.  On purpose,
 * xlsx sheet parts and pptx slide parts are numbered in reverse of their
 * order, so that a reader must follow the workbook and presentation
 * relationships to get the order right.  ods sheets end with the huge
 * repeated empty rows office suites write.
 *
 * Test-only code: it exits on the first error, with a message.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#define OOXML_W  "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#define OOXML_R  "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define OOXML_S  "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
#define OOXML_A  "http://schemas.openxmlformats.org/drawingml/2006/main"
#define OOXML_P  "http://schemas.openxmlformats.org/presentationml/2006/main"
#define PKG_RELS "http://schemas.openxmlformats.org/package/2006/relationships"
#define PKG_CT   "http://schemas.openxmlformats.org/package/2006/content-types"
#define REL(t)   "http://schemas.openxmlformats.org/officeDocument/2006/relationships/" t
#define CT(t)    "application/vnd.openxmlformats-officedocument." t

#define ODF_NS \
	" xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\"" \
	" xmlns:style=\"urn:oasis:names:tc:opendocument:xmlns:style:1.0\"" \
	" xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\"" \
	" xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\"" \
	" xmlns:draw=\"urn:oasis:names:tc:opendocument:xmlns:drawing:1.0\"" \
	" xmlns:fo=\"urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0\"" \
	" xmlns:svg=\"urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0\"" \
	" xmlns:presentation=\"urn:oasis:names:tc:opendocument:xmlns:presentation:1.0\"" \
	" xmlns:dc=\"http://purl.org/dc/elements/1.1/\"" \
	" office:version=\"1.2\""

#define XML_DECL "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"

static const char *progname = "docgen";

static void __attribute__((noreturn, format(printf, 1, 2)))
die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", progname);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static void *
xrealloc(void *p, size_t n)
{
	if ((p = realloc(p, n)) == NULL)
		die("out of memory");
	return p;
}

static char *
xstrdup(const char *s)
{
	char *d = strdup(s);

	if (d == NULL)
		die("out of memory");
	return d;
}

/* --- growing text ---------------------------------------------------- */

struct buf {
	char *p;
	size_t len, cap;
};

static void
put(struct buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		b->p = xrealloc(b->p, b->cap);
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void
puts_(struct buf *b, const char *s)
{
	put(b, s, strlen(s));
}

static void __attribute__((format(printf, 2, 3)))
bprintf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;
	char small[512];

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0)
		die("format error");
	if ((size_t)n < sizeof small) {
		put(b, small, (size_t)n);
		return;
	}
	{
		char *big = xrealloc(NULL, (size_t)n + 1);

		va_start(ap, fmt);
		vsnprintf(big, (size_t)n + 1, fmt, ap);
		va_end(ap);
		put(b, big, (size_t)n);
		free(big);
	}
}

/* XML-escaped text. */
static void
esc(struct buf *b, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		switch (s[i]) {
		case '&': puts_(b, "&amp;"); break;
		case '<': puts_(b, "&lt;"); break;
		case '>': puts_(b, "&gt;"); break;
		case '"': puts_(b, "&quot;"); break;
		default: put(b, s + i, 1); break;
		}
	}
}

static void
escs(struct buf *b, const char *s)
{
	esc(b, s, strlen(s));
}

/* --- the package ----------------------------------------------------- */

static zip_t *
package_open(const char *out)
{
	int ze;
	zip_t *za = zip_open(out, ZIP_CREATE | ZIP_TRUNCATE, &ze);

	if (za == NULL) {
		zip_error_t err;

		zip_error_init_with_code(&err, ze);
		die("%s: %s", out, zip_error_strerror(&err));
	}
	return za;
}

/* Add name with the bytes of b (taken over); stored or deflated. */
static void
add(zip_t *za, const char *name, struct buf *b, int stored)
{
	zip_source_t *src;
	zip_int64_t idx;

	if (b->p == NULL)
		puts_(b, "");
	if ((src = zip_source_buffer(za, b->p, b->len, 1)) == NULL)
		die("%s: %s", name, zip_strerror(za));
	if ((idx = zip_file_add(za, name, src, ZIP_FL_OVERWRITE | ZIP_FL_ENC_UTF_8)) < 0) {
		zip_source_free(src);
		die("%s: %s", name, zip_strerror(za));
	}
	if (zip_set_file_compression(za, (zip_uint64_t)idx,
	    stored ? ZIP_CM_STORE : ZIP_CM_DEFLATE, 0) != 0)
		die("%s: %s", name, zip_strerror(za));
	memset(b, 0, sizeof *b);
}

static void
add_text(zip_t *za, const char *name, const char *text)
{
	struct buf b = { 0 };

	puts_(&b, text);
	add(za, name, &b, 0);
}

static void
add_file(zip_t *za, const char *name, const char *path)
{
	struct buf b = { 0 };
	char chunk[8192];
	size_t n;
	FILE *fp = fopen(path, "rb");

	if (fp == NULL)
		die("%s: %s", path, strerror(errno));
	while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
		put(&b, chunk, n);
	if (ferror(fp))
		die("%s: read error", path);
	fclose(fp);
	add(za, name, &b, 0);
}

static void
package_close(zip_t *za, const char *out)
{
	if (zip_close(za) != 0)
		die("%s: %s", out, zip_strerror(za));
}

/* --- the spec ---------------------------------------------------------- */

struct lines {
	char **v;
	size_t n;
};

static struct lines
read_lines(void)
{
	struct lines l = { NULL, 0 };
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;

	while ((n = getline(&line, &cap, stdin)) >= 0) {
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		l.v = xrealloc(l.v, (l.n + 1) * sizeof *l.v);
		l.v[l.n++] = xstrdup(line);
	}
	free(line);
	return l;
}

/* Split "|a|b|" into cells; returns the count. */
static size_t
split_cells(const char *line, char ***cells)
{
	size_t n = 0;
	const char *p = line + 1;

	*cells = NULL;
	while (*p != '\0') {
		const char *bar = strchr(p, '|');
		size_t len = bar != NULL ? (size_t)(bar - p) : strlen(p);

		*cells = xrealloc(*cells, (n + 1) * sizeof **cells);
		(*cells)[n] = xrealloc(NULL, len + 1);
		memcpy((*cells)[n], p, len);
		(*cells)[n][len] = '\0';
		n++;
		if (bar == NULL)
			break;
		p = bar + 1;
	}
	return n;
}

static void
free_cells(char **cells, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(cells[i]);
	free(cells);
}

/* The "{r}"-separated runs of text (at most max). */
static size_t
split_runs(const char *text, const char **part, size_t *len, size_t max)
{
	size_t n = 0;

	while (n < max) {
		const char *next = strstr(text, "{r}");

		part[n] = text;
		len[n++] = next != NULL ? (size_t)(next - text) : strlen(text);
		if (next == NULL)
			break;
		text = next + 3;
	}
	return n;
}

#define MAX_RUNS 64

/* "C7" -> column 2, row 7. */
static void
parse_ref(const char *ref, unsigned long *col, unsigned long *row)
{
	unsigned long c = 0;
	char *end;

	for (; *ref >= 'A' && *ref <= 'Z'; ref++)
		c = c * 26 + (unsigned long)(*ref - 'A' + 1);
	*row = strtoul(ref, &end, 10);
	if (c == 0 || *row == 0 || *end != '\0')
		die("bad cell reference");
	*col = c - 1;
}

static void
column_name(unsigned long col, char out[16])
{
	char rev[16];
	size_t n = 0;

	col++;
	while (col > 0) {
		col--;
		rev[n++] = (char)('A' + col % 26);
		col /= 26;
	}
	for (size_t i = 0; i < n; i++)
		out[i] = rev[n - 1 - i];
	out[n] = '\0';
}

/* --- docx -------------------------------------------------------------- */

static void
docx_runs(struct buf *b, const char *text)
{
	const char *part[MAX_RUNS];
	size_t len[MAX_RUNS], n = split_runs(text, part, len, MAX_RUNS);

	for (size_t i = 0; i < n; i++) {
		puts_(b, "<w:r>");
		if (i % 2 == 1)
			puts_(b, "<w:rPr><w:b/></w:rPr>");
		puts_(b, "<w:t xml:space=\"preserve\">");
		esc(b, part[i], len[i]);
		puts_(b, "</w:t></w:r>");
	}
}

static void
docx_para(struct buf *b, const char *text)
{
	puts_(b, "<w:p>");
	docx_runs(b, text);
	puts_(b, "</w:p>");
}

struct table {
	struct buf rows;
	size_t cols, nrows;
};

static void
docx_table_flush(struct buf *body, struct table *t)
{
	if (t->nrows == 0)
		return;
	puts_(body, "<w:tbl><w:tblPr><w:tblStyle w:val=\"TableGrid\"/>"
	    "<w:tblW w:w=\"0\" w:type=\"auto\"/></w:tblPr><w:tblGrid>");
	for (size_t i = 0; i < t->cols; i++)
		puts_(body, "<w:gridCol w:w=\"2000\"/>");
	puts_(body, "</w:tblGrid>");
	put(body, t->rows.p, t->rows.len);
	puts_(body, "</w:tbl>");
	free(t->rows.p);
	memset(t, 0, sizeof *t);
}

static void
docx_table_row(struct table *t, const char *line)
{
	char **cells;
	size_t n = split_cells(line, &cells);

	puts_(&t->rows, "<w:tr>");
	for (size_t i = 0; i < n; i++) {
		puts_(&t->rows, "<w:tc><w:tcPr><w:tcW w:w=\"2000\" w:type=\"dxa\"/></w:tcPr>");
		docx_para(&t->rows, cells[i]);
		puts_(&t->rows, "</w:tc>");
	}
	puts_(&t->rows, "</w:tr>");
	if (n > t->cols)
		t->cols = n;
	t->nrows++;
	free_cells(cells, n);
}

static void
docx_part(zip_t *za, const char *name, const char *root, struct buf *inner)
{
	struct buf b = { 0 };

	bprintf(&b, XML_DECL "<w:%s xmlns:w=\"" OOXML_W "\" xmlns:r=\"" OOXML_R "\">",
	    root);
	put(&b, inner->p != NULL ? inner->p : "", inner->len);
	bprintf(&b, "</w:%s>", root);
	add(za, name, &b, 0);
	free(inner->p);
	memset(inner, 0, sizeof *inner);
}

static const char *
content_type_of(const char *name)
{
	const char *dot = strrchr(name, '.');

	if (dot != NULL && strcmp(dot, ".xlsx") == 0)
		return CT("spreadsheetml.sheet");
	if (dot != NULL && strcmp(dot, ".docx") == 0)
		return CT("wordprocessingml.document");
	if (dot != NULL && strcmp(dot, ".pptx") == 0)
		return CT("presentationml.presentation");
	return "application/octet-stream";
}

static void
make_docx(const char *out, struct lines *l)
{
	struct buf body = { 0 }, header = { 0 }, footer = { 0 }, comments = { 0 };
	struct buf notes = { 0 }, types = { 0 }, rels = { 0 };
	struct table t = { 0 };
	int para_open = 0, ncomments = 0, nnotes = 0, nmembers = 0;
	char **member_names = NULL, **member_files = NULL;
	zip_t *za;

	for (size_t i = 0; i < l->n; i++) {
		const char *line = l->v[i];

		if (line[0] == '|') {
			if (para_open)
				puts_(&body, "</w:p>");
			para_open = 0;
			docx_table_row(&t, line);
			continue;
		}
		docx_table_flush(&body, &t);
		if (strncmp(line, "@header ", 8) == 0) {
			docx_para(&header, line + 8);
		} else if (strncmp(line, "@footer ", 8) == 0) {
			docx_para(&footer, line + 8);
		} else if (strncmp(line, "@comment ", 9) == 0) {
			if (!para_open)
				puts_(&body, "<w:p>");
			para_open = 1;
			bprintf(&body, "<w:r><w:commentReference w:id=\"%d\"/></w:r>", ncomments);
			bprintf(&comments, "<w:comment w:id=\"%d\" w:author=\"docgen\" "
			    "w:date=\"2020-01-01T00:00:00Z\" w:initials=\"D\">", ncomments);
			docx_para(&comments, line + 9);
			puts_(&comments, "</w:comment>");
			ncomments++;
		} else if (strncmp(line, "@footnote ", 10) == 0) {
			if (!para_open)
				puts_(&body, "<w:p>");
			para_open = 1;
			nnotes++;
			bprintf(&body, "<w:r><w:rPr><w:vertAlign w:val=\"superscript\"/></w:rPr>"
			    "<w:footnoteReference w:id=\"%d\"/></w:r>", nnotes);
			bprintf(&notes, "<w:footnote w:id=\"%d\">", nnotes);
			docx_para(&notes, line + 10);
			puts_(&notes, "</w:footnote>");
		} else if (strncmp(line, "@member ", 8) == 0) {
			char *name = xstrdup(line + 8), *sp = strchr(name, ' ');

			if (sp == NULL)
				die("@member NAME FILE");
			*sp = '\0';
			member_names = xrealloc(member_names, (size_t)(nmembers + 1) * sizeof *member_names);
			member_files = xrealloc(member_files, (size_t)(nmembers + 1) * sizeof *member_files);
			member_names[nmembers] = name;
			member_files[nmembers++] = sp + 1;
		} else {
			if (para_open)
				puts_(&body, "</w:p>");
			puts_(&body, "<w:p>");
			docx_runs(&body, line);
			para_open = 1;
		}
	}
	if (para_open)
		puts_(&body, "</w:p>");
	if (t.nrows > 0) {
		docx_table_flush(&body, &t);
		puts_(&body, "<w:p/>");     /* Word ends a body with a paragraph */
	}

	za = package_open(out);
	puts_(&types, XML_DECL "<Types xmlns=\"" PKG_CT "\">"
	    "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
	    "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
	    "<Override PartName=\"/word/document.xml\" ContentType=\"" CT("wordprocessingml.document.main+xml") "\"/>");
	puts_(&rels, XML_DECL "<Relationships xmlns=\"" PKG_RELS "\">");
	if (header.len > 0) {
		puts_(&types, "<Override PartName=\"/word/header1.xml\" ContentType=\"" CT("wordprocessingml.header+xml") "\"/>");
		puts_(&rels, "<Relationship Id=\"rIdH\" Type=\"" REL("header") "\" Target=\"header1.xml\"/>");
	}
	if (footer.len > 0) {
		puts_(&types, "<Override PartName=\"/word/footer1.xml\" ContentType=\"" CT("wordprocessingml.footer+xml") "\"/>");
		puts_(&rels, "<Relationship Id=\"rIdF\" Type=\"" REL("footer") "\" Target=\"footer1.xml\"/>");
	}
	if (ncomments > 0) {
		puts_(&types, "<Override PartName=\"/word/comments.xml\" ContentType=\"" CT("wordprocessingml.comments+xml") "\"/>");
		puts_(&rels, "<Relationship Id=\"rIdC\" Type=\"" REL("comments") "\" Target=\"comments.xml\"/>");
	}
	if (nnotes > 0) {
		puts_(&types, "<Override PartName=\"/word/footnotes.xml\" ContentType=\"" CT("wordprocessingml.footnotes+xml") "\"/>");
		puts_(&rels, "<Relationship Id=\"rIdN\" Type=\"" REL("footnotes") "\" Target=\"footnotes.xml\"/>");
	}
	for (int i = 0; i < nmembers; i++) {
		const char *dot = strrchr(member_names[i], '.');

		if (dot != NULL && strchr(dot, '/') == NULL)
			bprintf(&types, "<Default Extension=\"%s\" ContentType=\"%s\"/>",
			    dot + 1, content_type_of(member_names[i]));
		if (strncmp(member_names[i], "word/", 5) == 0)
			bprintf(&rels, "<Relationship Id=\"rIdM%d\" Type=\"" REL("package")
			    "\" Target=\"%s\"/>", i, member_names[i] + 5);
	}
	puts_(&types, "</Types>");
	puts_(&rels, "</Relationships>");
	add(za, "[Content_Types].xml", &types, 0);
	add_text(za, "_rels/.rels", XML_DECL "<Relationships xmlns=\"" PKG_RELS "\">"
	    "<Relationship Id=\"rId1\" Type=\"" REL("officeDocument") "\" Target=\"word/document.xml\"/>"
	    "</Relationships>");

	puts_(&body, "<w:sectPr>");
	if (header.len > 0)
		puts_(&body, "<w:headerReference w:type=\"default\" r:id=\"rIdH\"/>");
	if (footer.len > 0)
		puts_(&body, "<w:footerReference w:type=\"default\" r:id=\"rIdF\"/>");
	puts_(&body, "<w:pgSz w:w=\"11906\" w:h=\"16838\"/></w:sectPr>");
	{
		struct buf doc = { 0 };

		puts_(&doc, "<w:body>");
		put(&doc, body.p, body.len);
		puts_(&doc, "</w:body>");
		free(body.p);
		docx_part(za, "word/document.xml", "document", &doc);
	}
	add(za, "word/_rels/document.xml.rels", &rels, 0);
	if (header.len > 0)
		docx_part(za, "word/header1.xml", "hdr", &header);
	if (footer.len > 0)
		docx_part(za, "word/footer1.xml", "ftr", &footer);
	if (ncomments > 0)
		docx_part(za, "word/comments.xml", "comments", &comments);
	if (nnotes > 0) {
		struct buf all = { 0 };

		/* Word's separators come first: not notes of the author's. */
		puts_(&all, "<w:footnote w:type=\"separator\" w:id=\"-1\"><w:p><w:r>"
		    "<w:separator/></w:r></w:p></w:footnote>"
		    "<w:footnote w:type=\"continuationSeparator\" w:id=\"0\"><w:p><w:r>"
		    "<w:continuationSeparator/></w:r></w:p></w:footnote>");
		put(&all, notes.p, notes.len);
		free(notes.p);
		docx_part(za, "word/footnotes.xml", "footnotes", &all);
	}
	for (int i = 0; i < nmembers; i++) {
		add_file(za, member_names[i], member_files[i]);
		free(member_names[i]);
	}
	free(member_names);
	free(member_files);
	package_close(za, out);
}

/* --- cells (xlsx, ods) ------------------------------------------------- */

struct cell {
	size_t sheet;
	unsigned long row, col;
	char kind;
	const char *value;
	size_t order;
};

struct sheetlist {
	char **names;
	size_t n;
	struct cell *cells;
	size_t ncells;
};

static int
cell_order(const void *a, const void *b)
{
	const struct cell *x = a, *y = b;

	if (x->sheet != y->sheet)
		return x->sheet < y->sheet ? -1 : 1;
	if (x->row != y->row)
		return x->row < y->row ? -1 : 1;
	if (x->col != y->col)
		return x->col < y->col ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

static struct sheetlist
read_cells(struct lines *l)
{
	struct sheetlist s = { 0 };

	for (size_t i = 0; i < l->n; i++) {
		char *f[4], *p = l->v[i];
		struct cell *c;
		size_t k, sh;

		if (p[0] == '\0')
			continue;
		for (k = 0; k < 4; k++) {
			f[k] = p;
			if (k < 3) {
				if ((p = strchr(p, '\t')) == NULL)
					die("line %zu: SHEET<TAB>REF<TAB>KIND<TAB>VALUE", i + 1);
				*p++ = '\0';
			}
		}
		for (sh = 0; sh < s.n && strcmp(s.names[sh], f[0]) != 0; sh++)
			;
		if (sh == s.n) {
			s.names = xrealloc(s.names, (s.n + 1) * sizeof *s.names);
			s.names[s.n++] = f[0];
		}
		s.cells = xrealloc(s.cells, (s.ncells + 1) * sizeof *s.cells);
		c = &s.cells[s.ncells];
		c->sheet = sh;
		parse_ref(f[1], &c->col, &c->row);
		c->kind = f[2][0];
		c->value = f[3];
		c->order = s.ncells++;
		if (strchr("sine", c->kind) == NULL || f[2][1] != '\0')
			die("line %zu: KIND is s, i, n or e", i + 1);
	}
	qsort(s.cells, s.ncells, sizeof *s.cells, cell_order);
	return s;
}

/* --- xlsx -------------------------------------------------------------- */

static void
xlsx_runs(struct buf *b, const char *text)
{
	const char *part[MAX_RUNS];
	size_t len[MAX_RUNS], n = split_runs(text, part, len, MAX_RUNS);

	if (n == 1) {
		puts_(b, "<t xml:space=\"preserve\">");
		escs(b, text);
		puts_(b, "</t>");
		return;
	}
	for (size_t i = 0; i < n; i++) {
		puts_(b, "<r>");
		if (i % 2 == 1)
			puts_(b, "<rPr><b/></rPr>");
		puts_(b, "<t xml:space=\"preserve\">");
		esc(b, part[i], len[i]);
		puts_(b, "</t></r>");
	}
}

static void
make_xlsx(const char *out, struct lines *l)
{
	struct sheetlist s = read_cells(l);
	struct buf types = { 0 }, wb = { 0 }, rels = { 0 }, sst = { 0 };
	size_t nstrings = 0, ci = 0;
	zip_t *za = package_open(out);

	puts_(&types, XML_DECL "<Types xmlns=\"" PKG_CT "\">"
	    "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
	    "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
	    "<Override PartName=\"/xl/workbook.xml\" ContentType=\"" CT("spreadsheetml.sheet.main+xml") "\"/>"
	    "<Override PartName=\"/xl/sharedStrings.xml\" ContentType=\"" CT("spreadsheetml.sharedStrings+xml") "\"/>");
	for (size_t i = 0; i < s.n; i++)
		bprintf(&types, "<Override PartName=\"/xl/worksheets/sheet%zu.xml\" "
		    "ContentType=\"" CT("spreadsheetml.worksheet+xml") "\"/>", i + 1);
	puts_(&types, "</Types>");
	add(za, "[Content_Types].xml", &types, 0);
	add_text(za, "_rels/.rels", XML_DECL "<Relationships xmlns=\"" PKG_RELS "\">"
	    "<Relationship Id=\"rId1\" Type=\"" REL("officeDocument") "\" Target=\"xl/workbook.xml\"/>"
	    "</Relationships>");

	puts_(&wb, XML_DECL "<workbook xmlns=\"" OOXML_S "\" xmlns:r=\"" OOXML_R "\"><sheets>");
	puts_(&rels, XML_DECL "<Relationships xmlns=\"" PKG_RELS "\">");
	for (size_t i = 0; i < s.n; i++) {
		puts_(&wb, "<sheet name=\"");
		escs(&wb, s.names[i]);
		bprintf(&wb, "\" sheetId=\"%zu\" r:id=\"rIdS%zu\"/>", i + 1, i + 1);
		bprintf(&rels, "<Relationship Id=\"rIdS%zu\" Type=\"" REL("worksheet")
		    "\" Target=\"worksheets/sheet%zu.xml\"/>", i + 1, s.n - i);
	}
	puts_(&wb, "</sheets></workbook>");
	puts_(&rels, "<Relationship Id=\"rIdT\" Type=\"" REL("sharedStrings")
	    "\" Target=\"/xl/sharedStrings.xml\"/></Relationships>");
	add(za, "xl/workbook.xml", &wb, 0);
	add(za, "xl/_rels/workbook.xml.rels", &rels, 0);

	for (size_t i = 0; i < s.n; i++) {
		struct buf ws = { 0 };
		unsigned long row = 0;
		char name[64];

		puts_(&ws, XML_DECL "<worksheet xmlns=\"" OOXML_S "\" xmlns:r=\"" OOXML_R "\">"
		    "<sheetData>");
		for (; ci < s.ncells && s.cells[ci].sheet == i; ci++) {
			struct cell *c = &s.cells[ci];
			char col[16];

			if (c->row != row) {
				if (row != 0)
					puts_(&ws, "</row>");
				bprintf(&ws, "<row r=\"%lu\">", c->row);
				row = c->row;
			}
			column_name(c->col, col);
			bprintf(&ws, "<c r=\"%s%lu\"", col, c->row);
			if (c->kind == 's') {
				bprintf(&ws, " t=\"s\"><v>%zu</v></c>", nstrings++);
				puts_(&sst, "<si>");
				xlsx_runs(&sst, c->value);
				puts_(&sst, "</si>");
			} else if (c->kind == 'i') {
				puts_(&ws, " t=\"inlineStr\"><is>");
				xlsx_runs(&ws, c->value);
				puts_(&ws, "</is></c>");
			} else if (c->kind == 'n') {
				puts_(&ws, "><v>");
				escs(&ws, c->value);
				puts_(&ws, "</v></c>");
			} else {
				puts_(&ws, "/>");
			}
		}
		if (row != 0)
			puts_(&ws, "</row>");
		puts_(&ws, "</sheetData></worksheet>");
		snprintf(name, sizeof name, "xl/worksheets/sheet%zu.xml", s.n - i);
		add(za, name, &ws, 0);
	}
	{
		struct buf all = { 0 };

		bprintf(&all, XML_DECL "<sst xmlns=\"" OOXML_S "\" count=\"%zu\" "
		    "uniqueCount=\"%zu\">", nstrings, nstrings);
		put(&all, sst.p != NULL ? sst.p : "", sst.len);
		puts_(&all, "</sst>");
		free(sst.p);
		add(za, "xl/sharedStrings.xml", &all, 0);
	}
	package_close(za, out);
	free(s.names);
	free(s.cells);
}

/* --- pptx -------------------------------------------------------------- */

struct slide_item {
	unsigned long slide;
	int notes;
	const char *text;
};

static void
pptx_para(struct buf *b, const char *text)
{
	const char *part[MAX_RUNS];
	size_t len[MAX_RUNS], n = split_runs(text, part, len, MAX_RUNS);

	puts_(b, "<a:p>");
	for (size_t i = 0; i < n; i++) {
		bprintf(b, "<a:r><a:rPr lang=\"en-US\"%s/><a:t>", i % 2 == 1 ? " b=\"1\"" : "");
		esc(b, part[i], len[i]);
		puts_(b, "</a:t></a:r>");
	}
	puts_(b, "</a:p>");
}

static void
pptx_shape(struct buf *b, int id, const struct slide_item *items, size_t n,
    unsigned long slide, int notes)
{
	bprintf(b, "<p:sp><p:nvSpPr><p:cNvPr id=\"%d\" name=\"Text %d\"/>"
	    "<p:cNvSpPr txBox=\"1\"/><p:nvPr/></p:nvSpPr><p:spPr/><p:txBody>"
	    "<a:bodyPr/><a:lstStyle/>", id, id);
	for (size_t i = 0; i < n; i++)
		if (items[i].slide == slide && items[i].notes == notes
		    && items[i].text[0] != '|')
			pptx_para(b, items[i].text);
	puts_(b, "<a:p><a:endParaRPr lang=\"en-US\"/></a:p></p:txBody></p:sp>");
}

static void
pptx_table(struct buf *b, const struct slide_item *items, size_t n,
    unsigned long slide)
{
	struct buf rows = { 0 };
	size_t cols = 0, nrows = 0;

	for (size_t i = 0; i < n; i++) {
		char **cells;
		size_t k;

		if (items[i].slide != slide || items[i].notes || items[i].text[0] != '|')
			continue;
		k = split_cells(items[i].text, &cells);
		puts_(&rows, "<a:tr h=\"370840\">");
		for (size_t j = 0; j < k; j++) {
			puts_(&rows, "<a:tc><a:txBody><a:bodyPr/><a:lstStyle/>");
			pptx_para(&rows, cells[j]);
			puts_(&rows, "</a:txBody><a:tcPr/></a:tc>");
		}
		puts_(&rows, "</a:tr>");
		cols = k > cols ? k : cols;
		nrows++;
		free_cells(cells, k);
	}
	if (nrows == 0)
		return;
	puts_(b, "<p:graphicFrame><p:nvGraphicFramePr><p:cNvPr id=\"9\" name=\"Table\"/>"
	    "<p:cNvGraphicFramePr><a:graphicFrameLocks noGrp=\"1\"/></p:cNvGraphicFramePr>"
	    "<p:nvPr/></p:nvGraphicFramePr><p:xfrm><a:off x=\"0\" y=\"0\"/>"
	    "<a:ext cx=\"6096000\" cy=\"741680\"/></p:xfrm><a:graphic>"
	    "<a:graphicData uri=\"http://schemas.openxmlformats.org/drawingml/2006/table\">"
	    "<a:tbl><a:tblGrid>");
	for (size_t i = 0; i < cols; i++)
		puts_(b, "<a:gridCol w=\"2032000\"/>");
	puts_(b, "</a:tblGrid>");
	put(b, rows.p, rows.len);
	puts_(b, "</a:tbl></a:graphicData></a:graphic></p:graphicFrame>");
	free(rows.p);
}

#define PPTX_TREE_START "<p:cSld><p:spTree><p:nvGrpSpPr><p:cNvPr id=\"1\" name=\"\"/>" \
	"<p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr/>"
#define PPTX_TREE_END "</p:spTree></p:cSld>"
#define PPTX_NS " xmlns:a=\"" OOXML_A "\" xmlns:r=\"" OOXML_R "\" xmlns:p=\"" OOXML_P "\""

static void
make_pptx(const char *out, struct lines *l)
{
	struct slide_item *items = xrealloc(NULL, (l->n + 1) * sizeof *items);
	struct buf types = { 0 }, pres = { 0 }, rels = { 0 };
	unsigned long nslides = 0;
	size_t n = 0;
	zip_t *za;

	for (size_t i = 0; i < l->n; i++) {
		char *end, *tab = strchr(l->v[i], '\t');
		unsigned long slide;

		if (l->v[i][0] == '\0')
			continue;
		slide = strtoul(l->v[i], &end, 10);
		if (tab == NULL || end != tab || slide == 0 || slide > 10000)
			die("line %zu: SLIDE<TAB>TEXT", i + 1);
		items[n].slide = slide;
		items[n].notes = strncmp(tab + 1, "@notes ", 7) == 0;
		items[n].text = tab + 1 + (items[n].notes ? 7 : 0);
		n++;
		if (slide > nslides)
			nslides = slide;
	}
	za = package_open(out);
	puts_(&types, XML_DECL "<Types xmlns=\"" PKG_CT "\">"
	    "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
	    "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
	    "<Override PartName=\"/ppt/presentation.xml\" ContentType=\"" CT("presentationml.presentation.main+xml") "\"/>");
	for (unsigned long s = 1; s <= nslides; s++)
		bprintf(&types, "<Override PartName=\"/ppt/slides/slide%lu.xml\" "
		    "ContentType=\"" CT("presentationml.slide+xml") "\"/>"
		    "<Override PartName=\"/ppt/notesSlides/notesSlide%lu.xml\" "
		    "ContentType=\"" CT("presentationml.notesSlide+xml") "\"/>", s, s);
	puts_(&types, "</Types>");
	add(za, "[Content_Types].xml", &types, 0);
	add_text(za, "_rels/.rels", XML_DECL "<Relationships xmlns=\"" PKG_RELS "\">"
	    "<Relationship Id=\"rId1\" Type=\"" REL("officeDocument") "\" Target=\"ppt/presentation.xml\"/>"
	    "</Relationships>");

	puts_(&pres, XML_DECL "<p:presentation" PPTX_NS "><p:sldIdLst>");
	puts_(&rels, XML_DECL "<Relationships xmlns=\"" PKG_RELS "\">");
	for (unsigned long s = 1; s <= nslides; s++) {
		bprintf(&pres, "<p:sldId id=\"%lu\" r:id=\"rId%lu\"/>", 255 + s, s);
		bprintf(&rels, "<Relationship Id=\"rId%lu\" Type=\"" REL("slide")
		    "\" Target=\"slides/slide%lu.xml\"/>", s, nslides + 1 - s);
	}
	puts_(&pres, "</p:sldIdLst><p:sldSz cx=\"9144000\" cy=\"6858000\"/>"
	    "<p:notesSz cx=\"6858000\" cy=\"9144000\"/></p:presentation>");
	puts_(&rels, "</Relationships>");
	add(za, "ppt/presentation.xml", &pres, 0);
	add(za, "ppt/_rels/presentation.xml.rels", &rels, 0);

	for (unsigned long s = 1; s <= nslides; s++) {
		unsigned long file = nslides + 1 - s;
		struct buf sl = { 0 }, nt = { 0 }, sr = { 0 };
		char name[96];

		puts_(&sl, XML_DECL "<p:sld" PPTX_NS ">" PPTX_TREE_START);
		pptx_shape(&sl, 2, items, n, s, 0);
		pptx_table(&sl, items, n, s);
		puts_(&sl, PPTX_TREE_END "</p:sld>");
		snprintf(name, sizeof name, "ppt/slides/slide%lu.xml", file);
		add(za, name, &sl, 0);

		puts_(&nt, XML_DECL "<p:notes" PPTX_NS ">" PPTX_TREE_START);
		pptx_shape(&nt, 3, items, n, s, 1);
		puts_(&nt, PPTX_TREE_END "</p:notes>");
		snprintf(name, sizeof name, "ppt/notesSlides/notesSlide%lu.xml", file);
		add(za, name, &nt, 0);

		bprintf(&sr, XML_DECL "<Relationships xmlns=\"" PKG_RELS "\">"
		    "<Relationship Id=\"rId1\" Type=\"" REL("notesSlide")
		    "\" Target=\"../notesSlides/notesSlide%lu.xml\"/></Relationships>", file);
		snprintf(name, sizeof name, "ppt/slides/_rels/slide%lu.xml.rels", file);
		add(za, name, &sr, 0);
	}
	package_close(za, out);
	free(items);
}

/* --- ODF --------------------------------------------------------------- */

/* Text with ODF's spaces: a run of spaces is one space and text:s. */
static void
odf_esc(struct buf *b, const char *s, size_t n, int at_start)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == ' ') {
			size_t k = 0;

			while (i + k < n && s[i + k] == ' ')
				k++;
			if (at_start && i == 0)
				bprintf(b, "<text:s text:c=\"%zu\"/>", k);
			else if (k > 1)
				bprintf(b, " <text:s text:c=\"%zu\"/>", k - 1);
			else
				puts_(b, " ");
			i += k - 1;
		} else if (s[i] == '\t') {
			puts_(b, "<text:tab/>");
		} else {
			esc(b, s + i, 1);
		}
	}
}

static void
odf_runs(struct buf *b, const char *text)
{
	const char *part[MAX_RUNS];
	size_t len[MAX_RUNS], n = split_runs(text, part, len, MAX_RUNS);

	for (size_t i = 0; i < n; i++) {
		if (i % 2 == 1) {
			puts_(b, "<text:span text:style-name=\"B\">");
			odf_esc(b, part[i], len[i], 0);
			puts_(b, "</text:span>");
		} else {
			odf_esc(b, part[i], len[i], i == 0);
		}
	}
}

static void
odf_para(struct buf *b, const char *text)
{
	puts_(b, "<text:p>");
	odf_runs(b, text);
	puts_(b, "</text:p>");
}

static void
odf_table_row(struct table *t, const char *line)
{
	char **cells;
	size_t n = split_cells(line, &cells);

	puts_(&t->rows, "<table:table-row>");
	for (size_t i = 0; i < n; i++) {
		puts_(&t->rows, "<table:table-cell office:value-type=\"string\">");
		odf_para(&t->rows, cells[i]);
		puts_(&t->rows, "</table:table-cell>");
	}
	puts_(&t->rows, "</table:table-row>");
	if (n > t->cols)
		t->cols = n;
	t->nrows++;
	free_cells(cells, n);
}

static void
odf_table_flush(struct buf *b, struct table *t, int *ntables)
{
	if (t->nrows == 0)
		return;
	bprintf(b, "<table:table table:name=\"Table%d\">"
	    "<table:table-column table:number-columns-repeated=\"%zu\"/>", ++*ntables,
	    t->cols);
	put(b, t->rows.p, t->rows.len);
	puts_(b, "</table:table>");
	free(t->rows.p);
	memset(t, 0, sizeof *t);
}

static void
odf_package(const char *out, const char *mime, struct buf *content,
    struct buf *styles)
{
	zip_t *za = package_open(out);
	struct buf b = { 0 };

	puts_(&b, mime);
	add(za, "mimetype", &b, 1);
	bprintf(&b, XML_DECL "<manifest:manifest xmlns:manifest=\""
	    "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\" manifest:version=\"1.2\">"
	    "<manifest:file-entry manifest:full-path=\"/\" manifest:version=\"1.2\" "
	    "manifest:media-type=\"%s\"/>"
	    "<manifest:file-entry manifest:full-path=\"content.xml\" manifest:media-type=\"text/xml\"/>"
	    "<manifest:file-entry manifest:full-path=\"styles.xml\" manifest:media-type=\"text/xml\"/>"
	    "</manifest:manifest>", mime);
	add(za, "META-INF/manifest.xml", &b, 0);
	add(za, "content.xml", content, 0);
	add(za, "styles.xml", styles, 0);
	package_close(za, out);
}

#define ODF_AUTO_STYLES "<office:automatic-styles><style:style style:name=\"B\" " \
	"style:family=\"text\"><style:text-properties fo:font-weight=\"bold\"/>" \
	"</style:style></office:automatic-styles>"

static void
make_odt(const char *out, struct lines *l)
{
	struct buf body = { 0 }, header = { 0 }, footer = { 0 }, content = { 0 };
	struct buf styles = { 0 };
	struct table t = { 0 };
	int para_open = 0, ntables = 0, nnotes = 0;

	for (size_t i = 0; i < l->n; i++) {
		const char *line = l->v[i];

		if (line[0] == '|') {
			if (para_open)
				puts_(&body, "</text:p>");
			para_open = 0;
			odf_table_row(&t, line);
			continue;
		}
		odf_table_flush(&body, &t, &ntables);
		if (strncmp(line, "@header ", 8) == 0) {
			odf_para(&header, line + 8);
		} else if (strncmp(line, "@footer ", 8) == 0) {
			odf_para(&footer, line + 8);
		} else if (strncmp(line, "@comment ", 9) == 0) {
			if (!para_open)
				puts_(&body, "<text:p>");
			para_open = 1;
			puts_(&body, "<office:annotation><dc:creator>docgen</dc:creator>"
			    "<dc:date>2020-01-01T00:00:00</dc:date>");
			odf_para(&body, line + 9);
			puts_(&body, "</office:annotation>");
		} else if (strncmp(line, "@footnote ", 10) == 0) {
			if (!para_open)
				puts_(&body, "<text:p>");
			para_open = 1;
			nnotes++;
			bprintf(&body, "<text:note text:id=\"ftn%d\" text:note-class=\"footnote\">"
			    "<text:note-citation>%d</text:note-citation><text:note-body>",
			    nnotes, nnotes);
			odf_para(&body, line + 10);
			puts_(&body, "</text:note-body></text:note>");
		} else if (strncmp(line, "@member ", 8) == 0) {
			die("@member is for docx only");
		} else {
			if (para_open)
				puts_(&body, "</text:p>");
			puts_(&body, "<text:p>");
			odf_runs(&body, line);
			para_open = 1;
		}
	}
	if (para_open)
		puts_(&body, "</text:p>");
	odf_table_flush(&body, &t, &ntables);

	puts_(&content, XML_DECL "<office:document-content" ODF_NS ">" ODF_AUTO_STYLES
	    "<office:body><office:text>");
	put(&content, body.p != NULL ? body.p : "", body.len);
	puts_(&content, "</office:text></office:body></office:document-content>");
	free(body.p);

	puts_(&styles, XML_DECL "<office:document-styles" ODF_NS "><office:styles/>"
	    "<office:automatic-styles><style:page-layout style:name=\"pm1\"/>"
	    "</office:automatic-styles><office:master-styles>"
	    "<style:master-page style:name=\"Standard\" style:page-layout-name=\"pm1\">");
	if (header.len > 0) {
		puts_(&styles, "<style:header>");
		put(&styles, header.p, header.len);
		puts_(&styles, "</style:header>");
	}
	if (footer.len > 0) {
		puts_(&styles, "<style:footer>");
		put(&styles, footer.p, footer.len);
		puts_(&styles, "</style:footer>");
	}
	puts_(&styles, "</style:master-page></office:master-styles></office:document-styles>");
	free(header.p);
	free(footer.p);
	odf_package(out, "application/vnd.oasis.opendocument.text", &content, &styles);
}

static void
make_ods(const char *out, struct lines *l)
{
	struct sheetlist s = read_cells(l);
	struct buf content = { 0 }, styles = { 0 };
	size_t ci = 0;

	puts_(&content, XML_DECL "<office:document-content" ODF_NS ">" ODF_AUTO_STYLES
	    "<office:body><office:spreadsheet>");
	for (size_t i = 0; i < s.n; i++) {
		unsigned long next = 1, col = 0, row = 0;
		int row_open = 0;

		puts_(&content, "<table:table table:name=\"");
		escs(&content, s.names[i]);
		puts_(&content, "\"><table:table-column table:number-columns-repeated=\"1024\"/>");
		for (; ci < s.ncells && s.cells[ci].sheet == i; ci++) {
			struct cell *c = &s.cells[ci];

			if (row_open && c->row != row) {
				puts_(&content, "</table:table-row>");
				row_open = 0;
				next = row + 1;
			}
			if (!row_open) {
				/* Empty rows up to this one. */
				if (c->row > next + 1)
					bprintf(&content, "<table:table-row table:number-rows-repeated=\"%lu\">"
					    "<table:table-cell table:number-columns-repeated=\"1024\"/>"
					    "</table:table-row>", c->row - next);
				else if (c->row == next + 1)
					puts_(&content, "<table:table-row><table:table-cell/></table:table-row>");
				row = c->row;
				col = 0;
				puts_(&content, "<table:table-row>");
				row_open = 1;
			}
			if (c->col > col + 1)
				bprintf(&content, "<table:table-cell table:number-columns-repeated=\"%lu\"/>",
				    c->col - col);
			else if (c->col == col + 1)
				puts_(&content, "<table:table-cell/>");
			if (c->kind == 'e') {
				unsigned long k = strtoul(c->value, NULL, 10);

				bprintf(&content, "<table:table-cell table:number-columns-repeated=\"%lu\"/>", k);
				col = c->col + k;
				continue;
			}
			if (c->kind == 'n') {
				puts_(&content, "<table:table-cell office:value-type=\"float\" office:value=\"");
				escs(&content, c->value);
				puts_(&content, "\"><text:p>");
				escs(&content, c->value);
				puts_(&content, "</text:p></table:table-cell>");
			} else {
				puts_(&content, "<table:table-cell office:value-type=\"string\">");
				odf_para(&content, c->value);
				puts_(&content, "</table:table-cell>");
			}
			col = c->col + 1;
		}
		if (row_open)
			puts_(&content, "</table:table-row>");
		/* What office suites write for the rest of the sheet. */
		puts_(&content, "<table:table-row table:number-rows-repeated=\"1048000\">"
		    "<table:table-cell table:number-columns-repeated=\"1024\"/></table:table-row>"
		    "</table:table>");
	}
	puts_(&content, "</office:spreadsheet></office:body></office:document-content>");
	puts_(&styles, XML_DECL "<office:document-styles" ODF_NS "><office:styles/>"
	    "</office:document-styles>");
	odf_package(out, "application/vnd.oasis.opendocument.spreadsheet", &content, &styles);
	free(s.names);
	free(s.cells);
}

static void
make_odp(const char *out, struct lines *l)
{
	struct buf content = { 0 }, styles = { 0 };
	unsigned long nslides = 0;

	for (size_t i = 0; i < l->n; i++)
		if (l->v[i][0] != '\0') {
			unsigned long s = strtoul(l->v[i], NULL, 10);

			if (s == 0 || s > 10000 || strchr(l->v[i], '\t') == NULL)
				die("line %zu: SLIDE<TAB>TEXT", i + 1);
			nslides = s > nslides ? s : nslides;
		}
	puts_(&content, XML_DECL "<office:document-content" ODF_NS ">" ODF_AUTO_STYLES
	    "<office:body><office:presentation>");
	for (unsigned long s = 1; s <= nslides; s++) {
		struct table t = { 0 };
		int ntables = 0, notes = 0;

		bprintf(&content, "<draw:page draw:name=\"page%lu\" draw:master-page-name=\"Default\">"
		    "<draw:frame presentation:class=\"outline\" svg:width=\"20cm\" svg:height=\"10cm\" "
		    "svg:x=\"1cm\" svg:y=\"1cm\"><draw:text-box>", s);
		for (size_t i = 0; i < l->n; i++) {
			const char *tab = strchr(l->v[i], '\t');

			if (l->v[i][0] == '\0' || strtoul(l->v[i], NULL, 10) != s)
				continue;
			if (tab[1] == '|')
				odf_table_row(&t, tab + 1);
			else if (strncmp(tab + 1, "@notes ", 7) == 0)
				notes = 1;
			else
				odf_para(&content, tab + 1);
		}
		puts_(&content, "</draw:text-box></draw:frame>");
		if (t.nrows > 0) {
			puts_(&content, "<draw:frame svg:width=\"20cm\" svg:height=\"5cm\" "
			    "svg:x=\"1cm\" svg:y=\"12cm\">");
			odf_table_flush(&content, &t, &ntables);
			puts_(&content, "</draw:frame>");
		}
		if (notes) {
			puts_(&content, "<presentation:notes><draw:page-thumbnail/>"
			    "<draw:frame presentation:class=\"notes\"><draw:text-box>");
			for (size_t i = 0; i < l->n; i++) {
				const char *tab = strchr(l->v[i], '\t');

				if (l->v[i][0] != '\0' && strtoul(l->v[i], NULL, 10) == s
				    && strncmp(tab + 1, "@notes ", 7) == 0)
					odf_para(&content, tab + 8);
			}
			puts_(&content, "</draw:text-box></draw:frame></presentation:notes>");
		}
		puts_(&content, "</draw:page>");
	}
	puts_(&content, "</office:presentation></office:body></office:document-content>");
	puts_(&styles, XML_DECL "<office:document-styles" ODF_NS "><office:styles/>"
	    "<office:master-styles><style:master-page style:name=\"Default\"/>"
	    "</office:master-styles></office:document-styles>");
	odf_package(out, "application/vnd.oasis.opendocument.presentation", &content, &styles);
}

/* --- zip --------------------------------------------------------------- */

static void
make_zip(const char *out, int argc, char **argv)
{
	zip_t *za = package_open(out);

	for (int i = 0; i < argc; i++) {
		char *eq = strchr(argv[i], '=');

		if (eq == NULL)
			die("NAME=FILE expected: %s", argv[i]);
		*eq = '\0';
		add_file(za, argv[i], eq + 1);
	}
	package_close(za, out);
}

int
main(int argc, char **argv)
{
	struct lines l;
	const char *kind, *out;

	if (argc < 3) {
		fprintf(stderr, "usage: docgen docx|xlsx|pptx|odt|ods|odp OUT < spec\n"
		    "       docgen zip OUT NAME=FILE...\n");
		return 2;
	}
	kind = argv[1];
	out = argv[2];
	if (strcmp(kind, "zip") == 0) {
		make_zip(out, argc - 3, argv + 3);
		return 0;
	}
	l = read_lines();
	if (strcmp(kind, "docx") == 0)
		make_docx(out, &l);
	else if (strcmp(kind, "xlsx") == 0)
		make_xlsx(out, &l);
	else if (strcmp(kind, "pptx") == 0)
		make_pptx(out, &l);
	else if (strcmp(kind, "odt") == 0)
		make_odt(out, &l);
	else if (strcmp(kind, "ods") == 0)
		make_ods(out, &l);
	else if (strcmp(kind, "odp") == 0)
		make_odp(out, &l);
	else
		die("unknown kind: %s", kind);
	for (size_t i = 0; i < l.n; i++)
		free(l.v[i]);
	free(l.v);
	return 0;
}

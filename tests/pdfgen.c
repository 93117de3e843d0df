/*
 * pdfgen.c - writes small, valid PDF files for the tests, from a simple
 * spec on standard input.
 *
 * usage: pdfgen OUT < spec
 *
 * Spec lines:
 *   TEXT                    a line of text on the current page, in
 *                           Helvetica, shown with Tj; "{k}" splits it into
 *                           the pieces of one TJ array, kerned a little
 *                           (no space between them)
 *   @wide TEXT              a line in a Type 0 font (Identity-H, with a
 *                           ToUnicode map), for text beyond Latin-1, such
 *                           as Chinese (characters of the BMP only)
 *   @cells X TEXT<TAB>X TEXT...
 *                           one line of pieces, each at its own x (in
 *                           points from the page's left edge), as the
 *                           cells of a table row
 *   @gap                    a paragraph gap: the next line starts two
 *                           lines lower
 *   @page                   a new page (the first one is implicit)
 *   @info KEY VALUE         an entry of the document information
 *                           dictionary (Title, Author, Subject, Keywords)
 *   @field NAME<TAB>LABEL<TAB>VALUE
 *                           an AcroForm text field on the current page,
 *                           filled in with VALUE; LABEL (its /TU, the
 *                           name a form shows the user) may be empty
 *
 * Lines are 14 points apart from the top of a US Letter page.  The file
 * has a classic cross-reference table and an Info dictionary.
 *
 * Test-only code: it exits on the first error, with a message.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_PAGES   64
#define MAX_FIELDS  64
#define MAX_INFO    8
#define MAX_OBJECTS (16 + 2 * MAX_PAGES + MAX_FIELDS)

struct buf {
	char *p;
	size_t len, cap;
};

struct field {
	char *name, *label, *value;
	int page;
	double y;
};

static struct buf pages[MAX_PAGES];
static double ypos[MAX_PAGES];
static int npages = 1;
static struct field fields[MAX_FIELDS];
static int nfields;
static char *info_keys[MAX_INFO], *info_values[MAX_INFO];
static int ninfo;

static void __attribute__((noreturn, format(printf, 1, 2)))
die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "pdfgen: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static void
put(struct buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		if ((b->p = realloc(b->p, b->cap)) == NULL)
			die("out of memory");
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void __attribute__((format(printf, 2, 3)))
putf(struct buf *b, const char *fmt, ...)
{
	char tmp[4096];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof tmp)
		die("line too long");
	put(b, tmp, (size_t)n);
}

static char *
dup(const char *s)
{
	char *d = strdup(s);

	if (d == NULL)
		die("out of memory");
	return d;
}

/* A literal string: ( ) and \ escaped. */
static void
put_literal(struct buf *b, const char *s, size_t n)
{
	put(b, "(", 1);
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '(' || s[i] == ')' || s[i] == '\\')
			put(b, "\\", 1);
		put(b, s + i, 1);
	}
	put(b, ")", 1);
}

/* UTF-8 to code points of the BMP; returns how many. */
static size_t
decode_utf8(const char *s, unsigned *out, size_t cap)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = 0;

	while (*p != '\0' && n < cap) {
		unsigned c = *p++;

		if (c >= 0xE0 && c < 0xF0 && p[0] != '\0' && p[1] != '\0') {
			c = (c & 0x0F) << 12 | (unsigned)(p[0] & 0x3F) << 6 | (p[1] & 0x3F);
			p += 2;
		} else if (c >= 0xC0 && c < 0xE0 && p[0] != '\0') {
			c = (c & 0x1F) << 6 | (p[0] & 0x3F);
			p++;
		} else if (c >= 0x80) {
			die("only UTF-8 of the BMP is supported");
		}
		out[n++] = c;
	}
	return n;
}

/* A text string for the document: ASCII as a literal, else UTF-16BE with
 * its byte order mark, in hex. */
static void
put_text_string(struct buf *b, const char *s)
{
	unsigned cps[1024];
	size_t n;
	bool ascii = true;

	for (const char *p = s; *p != '\0'; p++)
		if ((unsigned char)*p >= 0x80)
			ascii = false;
	if (ascii) {
		put_literal(b, s, strlen(s));
		return;
	}
	n = decode_utf8(s, cps, 1024);
	put(b, "<FEFF", 5);
	for (size_t i = 0; i < n; i++)
		putf(b, "%04X", cps[i]);
	put(b, ">", 1);
}

static double
next_line(void)
{
	double y = ypos[npages - 1];

	if (y < 40)
		die("page %d is full", npages);
	ypos[npages - 1] -= 14;
	return y;
}

static void
add_line(const char *text)
{
	struct buf *b = &pages[npages - 1];
	const char *split = strstr(text, "{k}");

	putf(b, "BT /F1 11 Tf 72 %.0f Td ", next_line());
	if (split == NULL) {
		put_literal(b, text, strlen(text));
		put(b, " Tj ET\n", 7);
		return;
	}
	put(b, "[", 1);
	while (split != NULL) {
		put_literal(b, text, (size_t)(split - text));
		put(b, " -30 ", 5);
		text = split + 3;
		split = strstr(text, "{k}");
	}
	put_literal(b, text, strlen(text));
	put(b, "] TJ ET\n", 8);
}

static void
add_cells(char *spec)
{
	struct buf *b = &pages[npages - 1];
	double y = next_line();

	for (char *piece = strtok(spec, "\t"); piece != NULL; piece = strtok(NULL, "\t")) {
		char *text = strchr(piece, ' '), *end;
		double x;

		if (text == NULL)
			die("@cells X TEXT<TAB>X TEXT...");
		*text++ = '\0';
		x = strtod(piece, &end);
		if (*end != '\0' || end == piece)
			die("@cells: bad position %s", piece);
		putf(b, "BT /F1 11 Tf %.2f %.0f Td ", x, y);
		put_literal(b, text, strlen(text));
		put(b, " Tj ET\n", 7);
	}
}

static void
add_wide(const char *text)
{
	struct buf *b = &pages[npages - 1];
	unsigned cps[1024];
	size_t n = decode_utf8(text, cps, 1024);

	putf(b, "BT /F2 11 Tf 72 %.0f Td <", next_line());
	for (size_t i = 0; i < n; i++)
		putf(b, "%04X", cps[i]);
	put(b, "> Tj ET\n", 8);
}

static void
add_field(char *spec)
{
	char *label = strchr(spec, '\t'), *value;
	struct field *f;

	if (label == NULL || (value = strchr(label + 1, '\t')) == NULL)
		die("@field NAME<TAB>LABEL<TAB>VALUE");
	*label++ = '\0';
	*value++ = '\0';
	if (nfields == MAX_FIELDS)
		die("too many fields");
	f = &fields[nfields++];
	f->name = dup(spec);
	f->label = dup(label);
	f->value = dup(value);
	f->page = npages - 1;
	f->y = next_line();
}

static void
read_spec(void)
{
	char line[4096];

	ypos[0] = 740;
	while (fgets(line, sizeof line, stdin) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		if (strcmp(line, "@page") == 0) {
			if (npages == MAX_PAGES)
				die("too many pages");
			ypos[npages++] = 740;
		} else if (strcmp(line, "@gap") == 0) {
			ypos[npages - 1] -= 14;
		} else if (strncmp(line, "@cells ", 7) == 0) {
			add_cells(line + 7);
		} else if (strncmp(line, "@wide ", 6) == 0) {
			add_wide(line + 6);
		} else if (strncmp(line, "@info ", 6) == 0) {
			char *value = strchr(line + 6, ' ');

			if (value == NULL || ninfo == MAX_INFO)
				die("@info KEY VALUE");
			*value++ = '\0';
			info_keys[ninfo] = dup(line + 6);
			info_values[ninfo++] = dup(value);
		} else if (strncmp(line, "@field ", 7) == 0) {
			add_field(line + 7);
		} else {
			add_line(line);
		}
	}
}

static struct buf out;
static size_t offsets[MAX_OBJECTS];
static int nobjects;

static void
begin_obj(int n)
{
	if (n >= MAX_OBJECTS)
		die("too many objects");
	offsets[n] = out.len;
	if (n > nobjects)
		nobjects = n;
	putf(&out, "%d 0 obj\n", n);
}

static void
stream_obj(int n, const char *dict, const struct buf *data)
{
	begin_obj(n);
	putf(&out, "<< %s /Length %zu >>\nstream\n", dict, data->len);
	put(&out, data->p != NULL ? data->p : "", data->len);
	put(&out, "\nendstream\nendobj\n", 18);
}

/* Objects: 1 catalog, 2 pages, 3 Helvetica, 4 Type 0 font, 5 its CID
 * font, 6 its descriptor, 7 its ToUnicode map, 8 info, then each page
 * and its content, then the fields. */
#define PAGE_OBJ(i)    (9 + 2 * (i))
#define CONTENT_OBJ(i) (10 + 2 * (i))
#define FIELD_OBJ(j)   (9 + 2 * npages + (j))

static void
write_pdf(const char *path)
{
	static const char tounicode[] =
	    "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
	    "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
	    "/CMapName /Adobe-Identity-UCS def /CMapType 2 def\n"
	    "1 begincodespacerange <0000> <FFFF> endcodespacerange\n"
	    "1 beginbfrange <0000> <FFFF> <0000> endbfrange\n"
	    "endcmap CMapName currentdict /CMap defineresource pop end end\n";
	struct buf tu = { 0 };
	size_t xref;
	FILE *fp;

	put(&out, "%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", 15);
	begin_obj(1);
	put(&out, "<< /Type /Catalog /Pages 2 0 R", 30);
	if (nfields > 0) {
		putf(&out, " /AcroForm << /Fields [");
		for (int j = 0; j < nfields; j++)
			putf(&out, " %d 0 R", FIELD_OBJ(j));
		putf(&out, " ] /DA (/F1 0 Tf 0 g) /DR << /Font << /F1 3 0 R >> >> >>");
	}
	putf(&out, " >>\nendobj\n");
	begin_obj(2);
	putf(&out, "<< /Type /Pages /Count %d /Kids [", npages);
	for (int i = 0; i < npages; i++)
		putf(&out, " %d 0 R", PAGE_OBJ(i));
	putf(&out, " ] >>\nendobj\n");
	begin_obj(3);
	putf(&out, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica "
	    "/Encoding /WinAnsiEncoding >>\nendobj\n");
	begin_obj(4);
	putf(&out, "<< /Type /Font /Subtype /Type0 /BaseFont /MingLiU /Encoding /Identity-H "
	    "/DescendantFonts [5 0 R] /ToUnicode 7 0 R >>\nendobj\n");
	begin_obj(5);
	putf(&out, "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /MingLiU "
	    "/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "
	    "/FontDescriptor 6 0 R /DW 1000 /CIDToGIDMap /Identity >>\nendobj\n");
	begin_obj(6);
	putf(&out, "<< /Type /FontDescriptor /FontName /MingLiU /Flags 4 "
	    "/FontBBox [0 -200 1000 800] /ItalicAngle 0 /Ascent 800 /Descent -200 "
	    "/CapHeight 700 /StemV 80 >>\nendobj\n");
	put(&tu, tounicode, sizeof tounicode - 1);
	stream_obj(7, "", &tu);
	free(tu.p);
	begin_obj(8);
	put(&out, "<<", 2);
	for (int i = 0; i < ninfo; i++) {
		putf(&out, " /%s ", info_keys[i]);
		put_text_string(&out, info_values[i]);
	}
	putf(&out, " /Producer (piiscan pdfgen) >>\nendobj\n");
	for (int i = 0; i < npages; i++) {
		int annots = 0;

		begin_obj(PAGE_OBJ(i));
		putf(&out, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
		    "/Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents %d 0 R",
		    CONTENT_OBJ(i));
		for (int j = 0; j < nfields; j++)
			if (fields[j].page == i)
				putf(&out, "%s %d 0 R", annots++ == 0 ? " /Annots [" : "",
				    FIELD_OBJ(j));
		putf(&out, "%s >>\nendobj\n", annots > 0 ? " ]" : "");
		stream_obj(CONTENT_OBJ(i), "", &pages[i]);
	}
	for (int j = 0; j < nfields; j++) {
		struct field *f = &fields[j];

		begin_obj(FIELD_OBJ(j));
		putf(&out, "<< /Type /Annot /Subtype /Widget /FT /Tx /F 4 /P %d 0 R "
		    "/Rect [200 %.0f 400 %.0f] /DA (/F1 10 Tf 0 g) /T ",
		    PAGE_OBJ(f->page), f->y - 4, f->y + 10);
		put_text_string(&out, f->name);
		if (f->label[0] != '\0') {
			put(&out, " /TU ", 5);
			put_text_string(&out, f->label);
		}
		put(&out, " /V ", 4);
		put_text_string(&out, f->value);
		putf(&out, " >>\nendobj\n");
	}
	xref = out.len;
	putf(&out, "xref\n0 %d\n0000000000 65535 f \n", nobjects + 1);
	for (int n = 1; n <= nobjects; n++)
		putf(&out, "%010zu 00000 n \n", offsets[n]);
	putf(&out, "trailer\n<< /Size %d /Root 1 0 R /Info 8 0 R >>\nstartxref\n%zu\n%%%%EOF\n",
	    nobjects + 1, xref);
	if ((fp = fopen(path, "wb")) == NULL || fwrite(out.p, 1, out.len, fp) != out.len
	    || fclose(fp) != 0)
		die("cannot write %s", path);
}

int
main(int argc, char **argv)
{
	if (argc != 2)
		die("usage: pdfgen OUT < spec");
	read_spec();
	write_pdf(argv[1]);
	return 0;
}

/*
 * pdftext.c - piiscan-pdf, the PDF helper: reads one PDF document from
 * its standard input with poppler and writes its text as frames on its
 * standard output (pdfframe.h).
 *
 * usage: piiscan-pdf --max-time SECONDS --max-memory BYTES < doc.pdf
 *
 * The scanner (extract/pdf.c) starts one per document with posix_spawn
 * and reads its frames under a wall-clock timeout and an output cap.  PDF
 * parsing is the riskiest code piiscan runs, so it happens here, in a
 * process that first closes every descriptor but 0, 1 and 2, limits its
 * own CPU time, address space, file size (0: it writes no file),
 * descriptors and core dumps, and dies with its parent.
 *
 * What is written, in this order:
 *   - the document information: title, author, subject, keywords, each
 *     a unit located "metadata", with its key as context;
 *   - each page as units "page N": its text in reading order, the
 *     lines of one paragraph joined by a space (so a number wrapped to
 *     the next line is whole again), paragraphs separated by a newline;
 *     the text before a table, each cell of the table (pdftable.h: its
 *     column's first cell as context) and the text after it are units
 *     of their own, all "page N";
 *   - the page's form fields with a value (text fields, the chosen items
 *     of choice fields), each a unit "page N field NAME" whose context is
 *     the field's name and label, so a field named "HKID" gives its value
 *     the context a column header gives a cell;
 *   - the page's annotations with text (comments, free text), each a
 *     unit "page N comment".
 * A document that needs a password, or cannot be opened, gives a note
 * and nothing else.  stderr is /dev/null: poppler's messages are not
 * wanted.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <poppler.h>

#include "pdfframe.h"
#include "pdftable.h"

#define MAX_OPEN_FILES  32
#define WHERE_MAX       63      /* PS_WHERE_MAX - 1 */
/* A gap between two lines taller than this share of a line's height
 * starts a new paragraph. */
#define PARAGRAPH_GAP   0.6

#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif

#ifdef UNDER_ASAN
/* glib and poppler keep caches until exit; they are not our leaks. */
const char *__asan_default_options(void);
const char *
__asan_default_options(void)
{
	return "detect_leaks=0";
}
#endif

static void
frame(int type, const void *payload, size_t len)
{
	unsigned char h[PS_PDF_FRAME_HEADER] = { (unsigned char)type,
		(unsigned char)len, (unsigned char)(len >> 8),
		(unsigned char)(len >> 16), (unsigned char)(len >> 24) };

	if (fwrite(h, 1, sizeof h, stdout) != sizeof h
	    || (len > 0 && fwrite(payload, 1, len, stdout) != len))
		exit(3);
}

static void
text(const char *s, size_t len)
{
	while (len > 0) {
		size_t n = len < PS_PDF_FRAME_MAX ? len : PS_PDF_FRAME_MAX;

		frame(PS_PDF_FRAME_TEXT, s, n);
		s += n;
		len -= n;
	}
}

/* The longest prefix of s, at most max bytes, that ends on a whole
 * UTF-8 character. */
static size_t
utf8_prefix(const char *s, size_t max)
{
	size_t n = strlen(s);

	if (n <= max)
		return n;
	n = max;
	while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
		n--;
	return n;
}

static void
begin(const char *where, const char *context)
{
	char payload[WHERE_MAX + 1 + PS_PDF_CONTEXT_MAX];
	size_t w = utf8_prefix(where, WHERE_MAX);
	size_t c = context != NULL ? utf8_prefix(context, PS_PDF_CONTEXT_MAX) : 0;

	memcpy(payload, where, w);
	payload[w] = '\0';
	if (c > 0)
		memcpy(payload + w + 1, context, c);
	frame(PS_PDF_FRAME_BEGIN, payload, w + 1 + c);
}

static void
end(void)
{
	frame(PS_PDF_FRAME_END, NULL, 0);
}

static void
note(const char *code, int page)
{
	char buf[64];
	int n = page > 0 ? snprintf(buf, sizeof buf, "%s %d", code, page)
	    : snprintf(buf, sizeof buf, "%s", code);

	frame(PS_PDF_FRAME_NOTE, buf, (size_t)n);
}

/* One unit of a short text, when there is text. */
static void
unit(const char *where, const char *context, const char *s)
{
	if (s == NULL || *s == '\0')
		return;
	begin(where, context);
	text(s, strlen(s));
	end();
}

static uint64_t
number(const char *s)
{
	char *endp;
	uint64_t v;

	errno = 0;
	v = strtoull(s, &endp, 10);
	if (errno != 0 || *s == '\0' || *endp != '\0')
		exit(2);
	return v;
}

static void
set_limit(int resource, rlim_t soft, rlim_t hard)
{
	struct rlimit rl = { soft, hard };

	if (setrlimit(resource, &rl) != 0)
		exit(2);
}

/*
 * Before anything reads the document: no descriptor but the three
 * standard ones, the limits the scanner gave, no core, no new
 * privileges, and death with the parent.
 */
static void
confine(uint64_t seconds, uint64_t memory)
{
	long fd;

	if (syscall(SYS_close_range, 3U, ~0U, 0U) != 0)
		for (fd = 3; fd < 4096; fd++)
			close((int)fd);
	set_limit(RLIMIT_CPU, (rlim_t)seconds, (rlim_t)seconds + 1);
#ifndef UNDER_ASAN
	/* ASan reserves terabytes of address space for its shadow. */
	set_limit(RLIMIT_AS, (rlim_t)memory, (rlim_t)memory);
#else
	(void)memory;
#endif
	set_limit(RLIMIT_FSIZE, 0, 0);
	set_limit(RLIMIT_CORE, 0, 0);
	set_limit(RLIMIT_NOFILE, MAX_OPEN_FILES, MAX_OPEN_FILES);
	prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
	prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
	if (getppid() == 1)
		exit(2);
}

static void
metadata(PopplerDocument *doc)
{
	static const struct {
		const char *key;
		gchar *(*get)(PopplerDocument *);
	} fields[] = {
		{ "title", poppler_document_get_title },
		{ "author", poppler_document_get_author },
		{ "subject", poppler_document_get_subject },
		{ "keywords", poppler_document_get_keywords },
	};

	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
		gchar *s = fields[i].get(doc);

		unit("metadata", fields[i].key, s);
		g_free(s);
	}
}

struct line {
	const char *start;
	size_t len;
	double x1, y1, x2, y2;  /* bounding box; y grows downwards */
	bool boxed;             /* has a visible character */
};

/* Does cur start a new paragraph after prev?  On a page, a paragraph's
 * lines follow each other closely, one below the other; a wider gap, a
 * jump back up (a new column) or a line beside the last starts another.
 * Lines on the same baseline (poppler splits some) are one paragraph. */
static bool
new_paragraph(const struct line *prev, const struct line *cur)
{
	double h = prev->y2 - prev->y1;
	double overlap;

	if (!prev->boxed || !cur->boxed)
		return true;
	if (cur->y2 - cur->y1 > h)
		h = cur->y2 - cur->y1;
	overlap = (prev->y2 < cur->y2 ? prev->y2 : cur->y2)
	    - (prev->y1 > cur->y1 ? prev->y1 : cur->y1);
	if (overlap > h / 2)
		return false;
	if (cur->y1 < prev->y1)
		return true;
	if (cur->y1 - prev->y2 > PARAGRAPH_GAP * h)
		return true;
	return cur->x1 > prev->x2 || cur->x2 < prev->x1;
}

/* The text of a page on its way out: paragraphs gathered in text, and
 * written as a unit before a table's cells and at the end. */
struct page_out {
	const char *where;
	GString *text;
};

static void
flush(struct page_out *po)
{
	if (po->text->len > 0) {
		begin(po->where, NULL);
		text(po->text->str, po->text->len);
		end();
		g_string_truncate(po->text, 0);
	}
}

/* A cell of a table (pdftable.h): a unit of its own, with its column's
 * header as context. */
static void
cell(void *arg, const char *context, const char *s, size_t len)
{
	struct page_out *po = arg;

	flush(po);
	begin(po->where, context);
	text(s, len);
	end();
}

/*
 * The page's text as units "where": its lines joined into paragraphs,
 * from poppler's text (lines ended by newlines) and its layout (one
 * rectangle per character of that text), and its tables cell by cell
 * (pdftable.h).  Without a layout that fits, every line is a paragraph
 * of its own: nothing is joined by guesswork.
 */
static void
page_text(PopplerPage *page, const char *where)
{
	gchar *all = poppler_page_get_text(page);
	PopplerRectangle *rects = NULL;
	struct ps_pdf_box *boxes = NULL;
	guint nrects = 0, k = 0;
	GArray *lines, *plines;
	struct ps_pdf_layout *layout = NULL;
	struct page_out po = { where, g_string_new(NULL) };
	struct line prev = { 0 };
	bool have_prev = false, layout_ok;
	const char *p;

	if (all == NULL) {
		g_string_free(po.text, TRUE);
		return;
	}
	lines = g_array_new(FALSE, TRUE, sizeof(struct line));
	plines = g_array_new(FALSE, TRUE, sizeof(struct ps_pdf_line));
	layout_ok = poppler_page_get_text_layout(page, &rects, &nrects)
	    && (glong)nrects == g_utf8_strlen(all, -1);
	if (layout_ok) {
		boxes = g_new(struct ps_pdf_box, nrects > 0 ? nrects : 1);
		for (guint i = 0; i < nrects; i++)
			boxes[i] = (struct ps_pdf_box){ rects[i].x1, rects[i].y1,
				rects[i].x2, rects[i].y2 };
	}
	for (p = all; *p != '\0'; ) {
		const char *eol = strchr(p, '\n');
		size_t len = eol != NULL ? (size_t)(eol - p) : strlen(p);
		struct line cur = { p, len, 0, 0, 0, 0, false };
		struct ps_pdf_line pl = { p, 0, layout_ok && k < nrects ? boxes + k : NULL };

		for (const char *c = p; c < p + len; c = g_utf8_next_char(c), k++) {
			PopplerRectangle *r;

			if (!layout_ok || k >= nrects || g_unichar_isspace(g_utf8_get_char(c)))
				continue;
			r = &rects[k];
			if (!cur.boxed || r->x1 < cur.x1)
				cur.x1 = r->x1;
			if (!cur.boxed || r->y1 < cur.y1)
				cur.y1 = r->y1;
			if (!cur.boxed || r->x2 > cur.x2)
				cur.x2 = r->x2;
			if (!cur.boxed || r->y2 > cur.y2)
				cur.y2 = r->y2;
			cur.boxed = true;
		}
		k++;                    /* the newline */
		p += len + (eol != NULL);
		while (cur.len > 0 && (cur.start[cur.len - 1] == ' '
		    || cur.start[cur.len - 1] == '\r'))
			cur.len--;
		if (cur.len == 0)
			continue;
		/* The layout has a box for every character of the text; a
		 * line that would run past them has none. */
		pl.len = cur.len;
		if (pl.boxes != NULL && (size_t)g_utf8_strlen(cur.start, (gssize)cur.len)
		    > nrects - (size_t)(pl.boxes - boxes))
			pl.boxes = NULL;
		g_array_append_val(lines, cur);
		g_array_append_val(plines, pl);
	}
	if (layout_ok)
		layout = ps_pdf_layout_new((struct ps_pdf_line *)(void *)plines->data,
		    plines->len);
	for (guint i = 0; i < lines->len; ) {
		struct line *cur = &g_array_index(lines, struct line, i);
		size_t next = layout != NULL ? ps_pdf_layout_table(layout, i, cell, &po) : i;

		if (next != i) {
			flush(&po);
			have_prev = false;
			i = (guint)next;
			continue;
		}
		if (have_prev) {
			/* A word broken at a hyphen is joined without a space
			 * ("4111-1111-" and "1111-1111"). */
			if (new_paragraph(&prev, cur))
				g_string_append_c(po.text, '\n');
			else if (prev.start[prev.len - 1] != '-')
				g_string_append_c(po.text, ' ');
		}
		g_string_append_len(po.text, cur->start, (gssize)cur->len);
		prev = *cur;
		have_prev = true;
		i++;
	}
	flush(&po);
	ps_pdf_layout_free(layout);
	g_array_free(plines, TRUE);
	g_array_free(lines, TRUE);
	g_string_free(po.text, TRUE);
	g_free(boxes);
	g_free(rects);
	g_free(all);
}

/* "page 3 field NAME": long runs of digits in a name are not kept (a
 * name is stored in the inventory; a value must not be). */
static void
field_where(char *where, size_t cap, int pageno, const char *name)
{
	size_t n = (size_t)snprintf(where, cap, "page %d field ", pageno), run = 0;

	for (const char *s = name; *s != '\0' && n + 1 < cap; s++) {
		char c = *s;

		run = c >= '0' && c <= '9' ? run + 1 : 0;
		if ((unsigned char)c < 0x20 || c == 0x7f)
			c = ' ';
		where[n++] = run >= 5 ? '#' : c;
		if (run == 5)
			memset(where + n - 5, '#', 5);
	}
	where[n] = '\0';
}

static gchar *
field_value(PopplerFormField *f)
{
	GString *s;
	gint n;

	switch (poppler_form_field_get_field_type(f)) {
	case POPPLER_FORM_FIELD_TEXT:
		return poppler_form_field_text_get_text(f);
	case POPPLER_FORM_FIELD_CHOICE:
		s = g_string_new(NULL);
		if (poppler_form_field_choice_is_editable(f)) {
			gchar *t = poppler_form_field_choice_get_text(f);

			if (t != NULL)
				g_string_append(s, t);
			g_free(t);
		}
		n = poppler_form_field_choice_get_n_items(f);
		for (gint i = 0; i < n; i++)
			if (poppler_form_field_choice_is_item_selected(f, i)) {
				gchar *t = poppler_form_field_choice_get_item(f, i);

				if (t != NULL) {
					if (s->len > 0)
						g_string_append_c(s, '\n');
					g_string_append(s, t);
				}
				g_free(t);
			}
		return g_string_free(s, FALSE);
	default:
		return NULL;
	}
}

/* The page's filled-in form fields; a field with widgets on several
 * pages is read once. */
static void
page_fields(PopplerPage *page, int pageno, GHashTable *seen)
{
	GList *map = poppler_page_get_form_field_mapping(page);

	for (GList *m = map; m != NULL; m = m->next) {
		PopplerFormField *f = ((PopplerFormFieldMapping *)m->data)->field;
		gchar *name = poppler_form_field_get_name(f);
		gchar *label = poppler_form_field_get_alternate_ui_name(f);
		gchar *value = field_value(f);
		char where[WHERE_MAX + 1];

		if (value != NULL && *value != '\0' && name != NULL
		    && !g_hash_table_contains(seen, name)) {
			gchar *context = g_strjoin(" ", name, label != NULL ? label : "",
			    NULL);

			field_where(where, sizeof where, pageno, name);
			unit(where, context, value);
			g_free(context);
			g_hash_table_add(seen, name);
			name = NULL;
		}
		g_free(value);
		g_free(label);
		g_free(name);
	}
	poppler_page_free_form_field_mapping(map);
}

/* Comments and other annotations with text of their own. */
static void
page_annotations(PopplerPage *page, int pageno)
{
	GList *map = poppler_page_get_annot_mapping(page);
	char where[WHERE_MAX + 1];

	snprintf(where, sizeof where, "page %d comment", pageno);
	for (GList *m = map; m != NULL; m = m->next) {
		PopplerAnnot *a = ((PopplerAnnotMapping *)m->data)->annot;
		gchar *contents;

		if (poppler_annot_get_annot_type(a) == POPPLER_ANNOT_WIDGET)
			continue;
		contents = poppler_annot_get_contents(a);
		unit(where, NULL, contents);
		g_free(contents);
	}
	poppler_page_free_annot_mapping(map);
}

static void
pages(PopplerDocument *doc)
{
	GHashTable *seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	int n = poppler_document_get_n_pages(doc);

	for (int i = 0; i < n; i++) {
		PopplerPage *page = poppler_document_get_page(doc, i);
		char where[WHERE_MAX + 1];

		if (page == NULL) {
			note(PS_PDF_NOTE_PAGE, i + 1);
			continue;
		}
		snprintf(where, sizeof where, "page %d", i + 1);
		page_text(page, where);
		page_fields(page, i + 1, seen);
		page_annotations(page, i + 1);
		g_object_unref(page);
	}
	g_hash_table_destroy(seen);
}

int
main(int argc, char **argv)
{
	static char outbuf[PS_PDF_FRAME_MAX];
	uint64_t seconds = 0, memory = 0;
	PopplerDocument *doc;
	GError *error = NULL;

	for (int i = 1; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--max-time") == 0)
			seconds = number(argv[i + 1]);
		else if (strcmp(argv[i], "--max-memory") == 0)
			memory = number(argv[i + 1]);
		else
			return 2;
	}
	if (argc % 2 != 1 || seconds == 0 || memory == 0) {
		fprintf(stderr, "usage: piiscan-pdf --max-time SECONDS --max-memory BYTES "
		    "< doc.pdf\n");
		return 2;
	}
	confine(seconds, memory);
	setvbuf(stdout, outbuf, _IOFBF, sizeof outbuf);
	/* The scanner read the head of the file to know it for a PDF, and
	 * poppler reads from where the descriptor stands. */
	lseek(STDIN_FILENO, 0, SEEK_SET);

	doc = poppler_document_new_from_fd(STDIN_FILENO, NULL, &error);
	if (doc == NULL) {
		if (error != NULL && error->domain == POPPLER_ERROR
		    && error->code == POPPLER_ERROR_ENCRYPTED)
			note(PS_PDF_NOTE_ENCRYPTED, 0);
		else if (error != NULL && error->domain == POPPLER_ERROR
		    && error->code == POPPLER_ERROR_INVALID)
			note(PS_PDF_NOTE_INVALID, 0);
		else
			note(PS_PDF_NOTE_DAMAGED, 0);
		g_clear_error(&error);
	} else {
		metadata(doc);
		pages(doc);
		g_object_unref(doc);
	}
	frame(PS_PDF_FRAME_DONE, NULL, 0);
	return fflush(stdout) == 0 ? 0 : 3;
}

/*
 * xml.c - XML parts of office packages: a safe streaming reader, .rels
 * parts, word-processor flow and spreadsheet grid (see xml.h).
 */
#include "config.h"

#include "xml.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * No network, no entity substitution, no DTD loading or validation, and
 * libxml2's own size limits kept (no XML_PARSE_HUGE): an entity bomb
 * stays a reference that is never expanded, an external entity is never
 * read, and libxml2 stops a document nested over 256 levels deep.
 */
#define READER_OPTIONS  (XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING)

#define REL_ATTR_MAX    1024    /* bytes kept of a relationship's attribute */
#define MAX_RELS        65536   /* relationships read from one part */
#define MAX_SPAN        65536   /* columns one cell may cover */
#define MAX_SPACES      16      /* spaces written for one ODF text:s */

#if LIBXML_VERSION >= 21200
typedef const xmlError *ps_xml_error_t;
#else
typedef xmlErrorPtr ps_xml_error_t;
#endif

/* --- the reader ------------------------------------------------------- */

static pthread_once_t libxml_once = PTHREAD_ONCE_INIT;

/* External entities and DTDs are never wanted: even if an option slipped
 * through, nothing outside the package is read. */
static xmlParserInputPtr
refuse_entity(const char *url, const char *id, xmlParserCtxtPtr ctxt)
{
	(void)url;
	(void)id;
	(void)ctxt;
	return NULL;
}

static void
libxml_init(void)
{
	xmlInitParser();
	xmlSetExternalEntityLoader(refuse_entity);
}

static void
ignore_generic(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

static void
ignore_structured(void *ctx, ps_xml_error_t error)
{
	(void)ctx;
	(void)error;
}

/* libxml2 keeps its default error handlers per thread: this thread's
 * print nothing (library code never prints). */
static void
libxml_quiet(void)
{
	pthread_once(&libxml_once, libxml_init);
	xmlSetGenericErrorFunc(NULL, ignore_generic);
	xmlSetStructuredErrorFunc(NULL, ignore_structured);
}

/*
 * Keep libxml2's first fatal message for the file's record.  Messages
 * name elements and entities, not text; still, long digit runs are
 * blanked so that nothing resembling a value can reach the inventory.
 */
static void
record_error(void *arg, ps_xml_error_t e)
{
	struct ps_xml *xr = arg;
	size_t n = 0, run = 0;

	if (e == NULL || e->level < XML_ERR_FATAL || xr->error[0] != '\0'
	    || e->message == NULL)
		return;
	for (const char *p = e->message; *p != '\0' && n + 1 < sizeof xr->error; p++) {
		char c = *p;

		if (c == '\n' || c == '\r' || c == '\t')
			c = ' ';
		xr->error[n++] = c;
		run = c >= '0' && c <= '9' ? run + 1 : 0;
		if (run == 5)
			memset(xr->error + n - 5, '#', 5);
		else if (run > 5)
			xr->error[n - 1] = '#';
	}
	while (n > 0 && xr->error[n - 1] == ' ')
		n--;
	xr->error[n] = '\0';
}

static int
reader_read(void *ctx, char *buf, int len)
{
	struct ps_xml *xr = ctx;
	ssize_t n;

	if (len <= 0)
		return 0;
	n = ps_input_read(&xr->in, buf, (size_t)len);
	return n < 0 ? -1 : (int)n;
}

static enum ps_error
make_reader(struct ps_xml *xr)
{
	libxml_quiet();
	if (xr->opened)
		xr->reader = xmlReaderForIO(reader_read, NULL, xr, NULL, NULL,
		    READER_OPTIONS);
	if (xr->reader == NULL)
		return PS_ERR_NOMEM;
	xmlTextReaderSetStructuredErrorHandler(xr->reader, record_error, xr);
	return PS_OK;
}

enum ps_error
ps_xml_open(struct ps_xml *xr, struct ps_extract *x, zip_t *za, const char *name)
{
	zip_int64_t index = ps_zip_find(za, name);
	enum ps_error err;

	memset(xr, 0, sizeof *xr);
	xr->x = x;
	xr->member = name;
	if (index < 0)
		return PS_ERR_OPEN;
	if ((err = ps_zip_member_open(x, za, (zip_uint64_t)index, &xr->m, &xr->in)) != PS_OK)
		return err;
	xr->opened = true;
	if ((err = make_reader(xr)) != PS_OK) {
		ps_zip_member_close(x, &xr->m, &xr->in);
		xr->opened = false;
	}
	return err;
}

enum ps_error
ps_xml_open_memory(struct ps_xml *xr, const char *data, size_t len)
{
	memset(xr, 0, sizeof *xr);
	libxml_quiet();
	if (len > INT32_MAX)
		return PS_ERR_LIMIT;
	xr->reader = xmlReaderForMemory(data, (int)len, NULL, NULL, READER_OPTIONS);
	if (xr->reader == NULL)
		return PS_ERR_NOMEM;
	xmlTextReaderSetStructuredErrorHandler(xr->reader, record_error, xr);
	return PS_OK;
}

bool
ps_xml_next(struct ps_xml *xr)
{
	for (;;) {
		int rc;

		if (xr->done)
			return false;
		if (xr->x != NULL && (++xr->nodes & 1023) == 0
		    && ps_extract_stopping(xr->x)) {
			xr->stopped = xr->done = true;
			return false;
		}
		rc = xr->skip ? xmlTextReaderNext(xr->reader)
		    : xmlTextReaderRead(xr->reader);
		xr->skip = false;
		if (rc != 1) {
			xr->done = true;
			xr->failed = rc < 0;
			return false;
		}
		if (ps_xml_type(xr) == XML_READER_TYPE_ELEMENT
		    && ps_xml_depth(xr) >= PS_XML_MAX_DEPTH) {
			if (xr->x != NULL)
				ps_extract_partial(xr->x, "limit: xml depth");
			xr->skip = !ps_xml_empty(xr);
			continue;
		}
		return true;
	}
}

void
ps_xml_skip(struct ps_xml *xr)
{
	if (ps_xml_type(xr) == XML_READER_TYPE_ELEMENT && !ps_xml_empty(xr))
		xr->skip = true;
}

enum ps_error
ps_xml_close(struct ps_xml *xr)
{
	if (xr->reader != NULL)
		xmlFreeTextReader(xr->reader);
	xr->reader = NULL;
	if (xr->opened) {
		/* A limit that cut the part short explains the parse error
		 * it caused; it is recorded instead. */
		bool cut = xr->m.ratio_hit || xr->m.error[0] != '\0'
		    || xr->in.limit_hit != NULL;

		ps_zip_member_close(xr->x, &xr->m, &xr->in);
		if (xr->failed && !cut)
			ps_extract_partial(xr->x, "corrupt: %s: %s", xr->member,
			    xr->error[0] != '\0' ? xr->error : "malformed XML");
		xr->opened = false;
	}
	return xr->stopped ? PS_ERR_STOP : PS_OK;
}

int
ps_xml_type(const struct ps_xml *xr)
{
	return xmlTextReaderNodeType(xr->reader);
}

int
ps_xml_depth(const struct ps_xml *xr)
{
	return xmlTextReaderDepth(xr->reader);
}

bool
ps_xml_empty(const struct ps_xml *xr)
{
	return xmlTextReaderIsEmptyElement(xr->reader) == 1;
}

const char *
ps_xml_local(const struct ps_xml *xr)
{
	const xmlChar *name = xmlTextReaderConstLocalName(xr->reader);

	return name != NULL ? (const char *)name : "";
}

const char *
ps_xml_value(const struct ps_xml *xr)
{
	return (const char *)xmlTextReaderConstValue(xr->reader);
}

bool
ps_xml_is_text(const struct ps_xml *xr)
{
	int t = ps_xml_type(xr);

	return t == XML_READER_TYPE_TEXT || t == XML_READER_TYPE_CDATA
	    || t == XML_READER_TYPE_WHITESPACE
	    || t == XML_READER_TYPE_SIGNIFICANT_WHITESPACE;
}

bool
ps_xml_start(const struct ps_xml *xr, const char *name)
{
	return ps_xml_type(xr) == XML_READER_TYPE_ELEMENT
	    && strcmp(ps_xml_local(xr), name) == 0;
}

bool
ps_xml_is_one(const struct ps_xml *xr, const char *const *names)
{
	const char *local = ps_xml_local(xr);

	for (; names != NULL && *names != NULL; names++)
		if (strcmp(local, *names) == 0)
			return true;
	return false;
}

void
ps_xml_append(char *dst, size_t cap, const char *s, size_t n)
{
	size_t len = strnlen(dst, cap), room;

	if (len + 1 >= cap)
		return;
	room = cap - 1 - len;
	if (n > room) {
		/* s[n] is the first byte left out: if it continues a
		 * character, leave out the start of that character too. */
		n = room;
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
	}
	memcpy(dst + len, s, n);
	dst[len + n] = '\0';
}

bool
ps_xml_attr(struct ps_xml *xr, const char *local, int ns, char *buf, size_t cap)
{
	bool found = false;

	if (cap > 0)
		buf[0] = '\0';
	if (xmlTextReaderMoveToFirstAttribute(xr->reader) != 1)
		return false;
	do {
		const xmlChar *name = xmlTextReaderConstLocalName(xr->reader);
		const xmlChar *uri = xmlTextReaderConstNamespaceUri(xr->reader);
		const xmlChar *value;

		/* xmlns:r="..." is a namespace, not an attribute r. */
		if (name == NULL || strcmp((const char *)name, local) != 0
		    || xmlTextReaderIsNamespaceDecl(xr->reader) == 1)
			continue;
		if ((ns > 0 && uri == NULL) || (ns < 0 && uri != NULL))
			continue;
		value = xmlTextReaderConstValue(xr->reader);
		if (value != NULL && cap > 0)
			ps_xml_append(buf, cap, (const char *)value,
			    strlen((const char *)value));
		found = true;
		break;
	} while (xmlTextReaderMoveToNextAttribute(xr->reader) == 1);
	xmlTextReaderMoveToElement(xr->reader);
	return found;
}

static int
hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Append one path segment (percent-decoded), resolving "." and "..". */
static bool
push_segment(char *out, size_t cap, size_t *len, const char *seg, size_t n)
{
	if (n == 0 || (n == 1 && seg[0] == '.'))
		return true;
	if (n == 2 && seg[0] == '.' && seg[1] == '.') {
		if (*len == 0)
			return false;       /* above the package root */
		while (*len > 0 && out[*len - 1] != '/')
			(*len)--;
		if (*len > 0)
			(*len)--;           /* the '/' before the segment */
		out[*len] = '\0';
		return true;
	}
	if (*len > 0) {
		if (*len + 1 >= cap)
			return false;
		out[(*len)++] = '/';
	}
	for (size_t i = 0; i < n; i++) {
		char c = seg[i];

		if (c == '%' && i + 2 < n && hex_value(seg[i + 1]) >= 0
		    && hex_value(seg[i + 2]) >= 0) {
			c = (char)(hex_value(seg[i + 1]) * 16 + hex_value(seg[i + 2]));
			i += 2;
		}
		if (*len + 1 >= cap)
			return false;
		out[(*len)++] = c;
	}
	out[*len] = '\0';
	return true;
}

static bool
push_path(char *out, size_t cap, size_t *len, const char *path)
{
	while (*path != '\0') {
		const char *slash = strchr(path, '/');
		size_t n = slash != NULL ? (size_t)(slash - path) : strlen(path);

		if (!push_segment(out, cap, len, path, n))
			return false;
		path += n;
		if (*path == '/')
			path++;
	}
	return true;
}

bool
ps_xml_resolve(const char *dir, const char *target, char *out, size_t cap)
{
	size_t len = 0;

	if (cap == 0)
		return false;
	out[0] = '\0';
	if (target[0] == '/')
		target++;
	else if (!push_path(out, cap, &len, dir))
		return false;
	return push_path(out, cap, &len, target) && len > 0;
}

bool
ps_xml_integer_text(const char *num, char *out, size_t cap)
{
	char digits[72];
	size_t nd = 0, frac = 0, end;
	long exp = 0, e;
	bool neg = false, any = false, dot = false, rounded = false;
	const char *p = num;

	while (*p == ' ')
		p++;
	if (*p == '-' || *p == '+')
		neg = *p++ == '-';
	for (; (*p >= '0' && *p <= '9') || (*p == '.' && !dot); p++) {
		if (*p == '.') {
			dot = true;
			continue;
		}
		any = true;
		if (dot)
			frac++;
		if (nd == 0 && *p == '0')
			continue;           /* leading zeros carry no digit */
		if (nd == sizeof digits)
			return false;
		digits[nd++] = *p;
	}
	if (!any)
		return false;
	if (*p == 'e' || *p == 'E') {
		bool eneg = false, eany = false;

		p++;
		if (*p == '-' || *p == '+')
			eneg = *p++ == '-';
		for (; *p >= '0' && *p <= '9'; p++) {
			eany = true;
			if (exp < 1000)
				exp = exp * 10 + (*p - '0');
		}
		if (!eany)
			return false;
		if (eneg)
			exp = -exp;
	}
	while (*p == ' ')
		p++;
	if (*p != '\0')
		return false;
	/* The value is digits[0..nd) * 10^e. */
	e = exp - (long)frac;
	for (;;) {
		if (nd == 0) {
			if (cap < 2)
				return false;
			memcpy(out, "0", 2);
			return true;
		}
		if (e < 0) {
			size_t k = (size_t)-e, i;

			for (i = 0; i < k && i < nd && digits[nd - 1 - i] == '0'; i++)
				;
			if (i == k && k < nd) {
				nd -= k;        /* trailing zeros after the point */
				e = 0;
			}
		}
		if (e >= 0 || rounded || nd <= 16)
			break;
		/* Not an integer as written; with more digits than a double
		 * holds, the tail is noise: round to 16 and look again. */
		rounded = true;
		e += (long)(nd - 16);
		end = 16;
		if (digits[16] >= '5') {
			size_t i = end;

			while (i > 0 && digits[i - 1] == '9')
				digits[--i] = '0';
			if (i == 0) {
				memmove(digits + 1, digits, end);
				digits[0] = '1';
				end++;
			} else {
				digits[i - 1]++;
			}
		}
		nd = end;
	}
	if (e < 0 || nd + (size_t)e > 30 || (size_t)neg + nd + (size_t)e + 1 > cap)
		return false;
	{
		size_t n = 0;

		if (neg)
			out[n++] = '-';
		memcpy(out + n, digits, nd);
		n += nd;
		memset(out + n, '0', (size_t)e);
		n += (size_t)e;
		out[n] = '\0';
	}
	return true;
}

void
ps_xml_column_name(uint64_t col, char out[16])
{
	char rev[16];
	size_t n = 0;

	/* Bijective base 26, without the col + 1 that would overflow. */
	do {
		rev[n++] = (char)('A' + col % 26);
		col /= 26;
	} while (col-- > 0 && n < sizeof rev - 1);
	for (size_t i = 0; i < n; i++)
		out[i] = rev[n - 1 - i];
	out[n] = '\0';
}

/* --- relationships ----------------------------------------------------- */

static enum ps_error
rels_add(struct ps_rels *rels, const char *id, const char *type,
    const char *part)
{
	struct ps_rel *r;
	const char *slash = strrchr(type, '/');

	if (rels->count == rels->cap) {
		size_t cap = rels->cap == 0 ? 16 : rels->cap * 2;
		struct ps_rel *grown = realloc(rels->items, cap * sizeof *grown);

		if (grown == NULL)
			return PS_ERR_NOMEM;
		rels->items = grown;
		rels->cap = cap;
	}
	r = &rels->items[rels->count];
	r->id = strdup(id);
	r->type = strdup(slash != NULL ? slash + 1 : type);
	r->part = part != NULL ? strdup(part) : NULL;
	if (r->id == NULL || r->type == NULL || (part != NULL && r->part == NULL)) {
		free(r->id);
		free(r->type);
		free(r->part);
		return PS_ERR_NOMEM;
	}
	rels->count++;
	return PS_OK;
}

/* By id (a broken part repeating an id gets one of them). */
static int
rel_order(const void *a, const void *b)
{
	const struct ps_rel *x = a, *y = b;

	return strcmp(x->id, y->id);
}

enum ps_error
ps_rels_load(struct ps_rels *rels, struct ps_extract *x, zip_t *za,
    const char *name, const char *dir)
{
	struct ps_xml xr;
	enum ps_error err = PS_OK, cerr;
	char *id = NULL, *type = NULL, *target = NULL, *mode = NULL, *part = NULL;

	if ((err = ps_xml_open(&xr, x, za, name)) != PS_OK)
		return err == PS_ERR_NOMEM ? err : PS_OK;
	id = malloc(REL_ATTR_MAX);
	type = malloc(REL_ATTR_MAX);
	target = malloc(REL_ATTR_MAX);
	mode = malloc(32);
	part = malloc(REL_ATTR_MAX);
	if (id == NULL || type == NULL || target == NULL || mode == NULL
	    || part == NULL) {
		err = PS_ERR_NOMEM;
		goto done;
	}
	while (err == PS_OK && ps_xml_next(&xr)) {
		bool external;

		if (!ps_xml_start(&xr, "Relationship"))
			continue;
		if (rels->count >= MAX_RELS)
			break;
		if (!ps_xml_attr(&xr, "Id", 0, id, REL_ATTR_MAX)
		    || !ps_xml_attr(&xr, "Target", 0, target, REL_ATTR_MAX))
			continue;
		ps_xml_attr(&xr, "Type", 0, type, REL_ATTR_MAX);
		ps_xml_attr(&xr, "TargetMode", 0, mode, 32);
		external = strcmp(mode, "External") == 0;
		if (!external && !ps_xml_resolve(dir, target, part, REL_ATTR_MAX))
			continue;
		err = rels_add(rels, id, type, external ? NULL : part);
	}
done:
	free(id);
	free(type);
	free(target);
	free(mode);
	free(part);
	cerr = ps_xml_close(&xr);
	/* Sorted by id: a part may list as many slides or sheets as there
	 * are relationships, and each is looked up. */
	if (rels->count > 1)
		qsort(rels->items, rels->count, sizeof *rels->items, rel_order);
	return err != PS_OK ? err : cerr;
}

const struct ps_rel *
ps_rels_find(const struct ps_rels *rels, const char *id)
{
	struct ps_rel key = { (char *)id, NULL, NULL };

	if (rels->count == 0)
		return NULL;
	return bsearch(&key, rels->items, rels->count, sizeof *rels->items, rel_order);
}

const struct ps_rel *
ps_rels_of_type(const struct ps_rels *rels, const char *type)
{
	for (size_t i = 0; i < rels->count; i++)
		if (strcmp(rels->items[i].type, type) == 0)
			return &rels->items[i];
	return NULL;
}

void
ps_rels_free(struct ps_rels *rels)
{
	for (size_t i = 0; i < rels->count; i++) {
		free(rels->items[i].id);
		free(rels->items[i].type);
		free(rels->items[i].part);
	}
	free(rels->items);
	memset(rels, 0, sizeof *rels);
}

/* --- word-processor flow ----------------------------------------------- */

static uint64_t
parse_count(const char *s, uint64_t max)
{
	uint64_t v = 0;

	if (*s < '0' || *s > '9')
		return 0;
	for (; *s >= '0' && *s <= '9'; s++) {
		v = v * 10 + (uint64_t)(*s - '0');
		if (v > max)
			return max;
	}
	return v;
}

/* The innermost table whose state is kept, or NULL. */
static struct ps_flow_table *
flow_table(struct ps_flow *f)
{
	if (f->ntable == 0 || f->extra_table > 0)
		return NULL;
	return &f->tables[f->ntable - 1];
}

/* The header being read: text of a cell in a table's first row. */
static char *
flow_header(struct ps_flow *f)
{
	struct ps_flow_table *t = flow_table(f);

	if (t == NULL || t->cell_depth < 0 || t->row > 0 || t->col >= PS_XML_MAX_COLUMNS
	    || t->headers == NULL)
		return NULL;
	return t->headers[t->col];
}

static void
flow_end_unit(struct ps_flow *f)
{
	if (f->unit_open) {
		enum ps_error err = ps_sink_end(f->x->sink);

		if (f->err == PS_OK)
			f->err = err;
		f->unit_open = false;
	}
}

static void
flow_emit(struct ps_flow *f, const char *s, size_t n)
{
	struct ps_flow_para *p;
	char *header;

	if (f->err != PS_OK || n == 0 || f->npara == 0)
		return;
	p = &f->paras[f->npara - 1];
	if (!f->unit_open) {
		struct ps_unit unit = { p->where, 0, p->context };

		if ((f->err = ps_sink_begin(f->x->sink, &unit)) != PS_OK)
			return;
		f->unit_open = true;
	}
	f->err = ps_sink_text(f->x->sink, s, n);
	if ((header = flow_header(f)) != NULL) {
		struct ps_flow_table *t = flow_table(f);

		ps_xml_append(header, PS_XML_HEADER_MAX, s, n);
		if (t->used < t->col + 1)
			t->used = t->col + 1;
	}
}

/* Text as written, or with ODF's white-space rule: every run of spaces,
 * tabs and newlines is one space, and none at a paragraph's start. */
static void
flow_text(struct ps_flow *f, const char *s, size_t n)
{
	char buf[1024];
	size_t k = 0;

	if (!f->syn->collapse) {
		flow_emit(f, s, n);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
			if (f->last_space)
				continue;
			c = ' ';
			f->last_space = true;
		} else {
			f->last_space = false;
		}
		buf[k++] = c;
		if (k == sizeof buf) {
			flow_emit(f, buf, k);
			k = 0;
		}
	}
	flow_emit(f, buf, k);
}

static void
flow_literal(struct ps_flow *f, const char *s, size_t n)
{
	flow_emit(f, s, n);
	f->last_space = true;
}

static void
para_start(struct ps_flow *f, int depth)
{
	struct ps_flow_table *t = flow_table(f);
	struct ps_flow_para *p;
	char *header;

	/* A paragraph inside another (a text box, a note) is a unit of its
	 * own; the outer one goes on as a new unit after it. */
	flow_end_unit(f);
	if (f->count)
		f->paragraphs++;
	f->last_space = true;
	if (f->npara == PS_FLOW_MAX_PARAS) {
		f->extra_para++;
		return;
	}
	p = &f->paras[f->npara++];
	p->depth = depth;
	if (f->count)
		snprintf(p->where, sizeof p->where, "%s %llu", f->label,
		    (unsigned long long)f->paragraphs);
	else
		snprintf(p->where, sizeof p->where, "%s", f->label);
	p->context = NULL;
	if (t != NULL && t->cell_depth >= 0 && t->row > 0
	    && t->col < PS_XML_MAX_COLUMNS && t->headers != NULL
	    && t->headers[t->col][0] != '\0')
		p->context = t->headers[t->col];
	/* Paragraphs of one header cell are joined by a space. */
	if ((header = flow_header(f)) != NULL && header[0] != '\0')
		ps_xml_append(header, PS_XML_HEADER_MAX, " ", 1);
}

static void
para_end(struct ps_flow *f)
{
	flow_end_unit(f);
	if (f->extra_para > 0)
		f->extra_para--;
	else if (f->npara > 0)
		f->npara--;
}

static void
table_start(struct ps_flow *f, int depth)
{
	struct ps_flow_table *t;

	if (f->ntable == PS_FLOW_MAX_TABLES || f->extra_table > 0) {
		f->extra_table++;
		return;
	}
	t = &f->tables[f->ntable];
	if (t->headers == NULL
	    && (t->headers = calloc(PS_XML_MAX_COLUMNS, PS_XML_HEADER_MAX)) == NULL) {
		f->err = PS_ERR_NOMEM;
		return;
	}
	/* Clear the headers a previous table at this level left. */
	for (uint64_t c = 0; c < t->used; c++)
		t->headers[c][0] = '\0';
	t->used = 0;
	t->depth = depth;
	t->row_depth = t->cell_depth = -1;
	t->row = t->col = 0;
	t->span = 1;
	f->ntable++;
}

static void
table_end(struct ps_flow *f)
{
	if (f->extra_table > 0)
		f->extra_table--;
	else if (f->ntable > 0)
		f->ntable--;
}

static void
cell_end(struct ps_flow_table *t)
{
	if (t->row == 0 && t->col < PS_XML_MAX_COLUMNS)
		for (uint64_t c = t->col + 1; c < t->col + t->span
		    && c < PS_XML_MAX_COLUMNS; c++) {
			memcpy(t->headers[c], t->headers[t->col], PS_XML_HEADER_MAX);
			if (t->used < c + 1)
				t->used = c + 1;
		}
	t->col = t->col + t->span < t->col ? UINT64_MAX : t->col + t->span;
	t->cell_depth = -1;
}

/* An element ends (or an empty one was just read). */
static void
flow_element_end(struct ps_flow *f, struct ps_xml *xr)
{
	const struct ps_flow_syntax *syn = f->syn;
	struct ps_flow_table *t = flow_table(f);
	const char *local = ps_xml_local(xr);
	int depth = ps_xml_depth(xr);

	if (f->hook != NULL)
		f->hook(f, xr, true);
	if (ps_xml_is_one(xr, syn->paragraphs)) {
		para_end(f);
	} else if (depth == f->text_depth) {
		f->text_depth = -1;
	} else if (syn->table != NULL && strcmp(local, syn->table) == 0) {
		table_end(f);
	} else if (t != NULL && depth == t->row_depth) {
		t->row++;
		t->row_depth = -1;
	} else if (t != NULL && depth == t->cell_depth) {
		cell_end(t);
	}
}

static void
flow_element_start(struct ps_flow *f, struct ps_xml *xr)
{
	const struct ps_flow_syntax *syn = f->syn;
	struct ps_flow_table *t = flow_table(f);
	const char *local = ps_xml_local(xr);
	int depth = ps_xml_depth(xr);
	char val[24];

	if (ps_xml_is_one(xr, syn->skips)
	    || (f->hook != NULL && f->hook(f, xr, false))) {
		ps_xml_skip(xr);
		return;
	}
	if (ps_xml_is_one(xr, syn->paragraphs)) {
		para_start(f, depth);
	} else if (syn->texts != NULL && ps_xml_is_one(xr, syn->texts)) {
		f->text_depth = depth;
	} else if (ps_xml_is_one(xr, syn->tabs)) {
		flow_literal(f, " ", 1);
	} else if (ps_xml_is_one(xr, syn->breaks)) {
		flow_literal(f, "\n", 1);
	} else if (syn->spaces != NULL && strcmp(local, syn->spaces) == 0) {
		static const char spaces[MAX_SPACES + 1] = "                ";
		uint64_t c = 1;

		if (ps_xml_attr(xr, "c", 0, val, sizeof val))
			c = parse_count(val, MAX_SPACES);
		flow_literal(f, spaces, c > 0 ? (size_t)c : 1);
	} else if (syn->table != NULL && strcmp(local, syn->table) == 0) {
		table_start(f, depth);
	} else if (t != NULL && syn->row != NULL && strcmp(local, syn->row) == 0
	    && t->row_depth < 0) {
		t->row_depth = depth;
		t->col = 0;
	} else if (t != NULL && ps_xml_is_one(xr, syn->cells) && t->row_depth >= 0
	    && t->cell_depth < 0) {
		t->cell_depth = depth;
		t->span = 1;
		if (syn->repeat != NULL && ps_xml_attr(xr, syn->repeat, 0, val, sizeof val)
		    && (t->span = parse_count(val, MAX_SPAN)) == 0)
			t->span = 1;
	} else if (t != NULL && syn->span != NULL && strcmp(local, syn->span) == 0
	    && t->cell_depth >= 0) {
		if (ps_xml_attr(xr, "val", 0, val, sizeof val)
		    && (t->span = parse_count(val, MAX_SPAN)) == 0)
			t->span = 1;
	}
	if (ps_xml_empty(xr))
		flow_element_end(f, xr);
}

enum ps_error
ps_flow_run(struct ps_flow *f, struct ps_xml *xr)
{
	f->npara = f->extra_para = 0;
	f->ntable = f->extra_table = 0;
	f->text_depth = -1;
	f->unit_open = false;
	f->last_space = true;
	f->err = PS_OK;
	while (f->err == PS_OK && ps_xml_next(xr)) {
		int type = ps_xml_type(xr);

		if (type == XML_READER_TYPE_ELEMENT) {
			flow_element_start(f, xr);
		} else if (type == XML_READER_TYPE_END_ELEMENT) {
			flow_element_end(f, xr);
		} else if (ps_xml_is_text(xr)) {
			const char *s = ps_xml_value(xr);
			bool in_text = f->syn->texts == NULL
			    || (f->text_depth >= 0 && ps_xml_depth(xr) == f->text_depth + 1);

			if (s != NULL && in_text)
				flow_text(f, s, strlen(s));
		}
	}
	/* A part cut short still delivers its last paragraph. */
	flow_end_unit(f);
	if (f->err == PS_OK && xr->stopped)
		f->err = PS_ERR_STOP;
	return f->err;
}

void
ps_flow_free(struct ps_flow *f)
{
	for (int i = 0; i < PS_FLOW_MAX_TABLES; i++) {
		free(f->tables[i].headers);
		f->tables[i].headers = NULL;
	}
}

/* --- spreadsheet grid -------------------------------------------------- */

enum ps_error
ps_grid_sheet(struct ps_grid *g, struct ps_sink *sink, const char *name)
{
	if (g->headers == NULL
	    && (g->headers = calloc(PS_XML_MAX_COLUMNS, PS_XML_HEADER_MAX)) == NULL)
		return PS_ERR_NOMEM;
	if (g->header_row != 0)
		for (size_t c = 0; c < PS_XML_MAX_COLUMNS; c++)
			g->headers[c][0] = '\0';
	g->sink = sink;
	g->sheet[0] = '\0';
	ps_xml_append(g->sheet, sizeof g->sheet, name, strlen(name));
	g->header_row = 0;
	g->row = 1;
	g->col = 0;
	g->open = false;
	return PS_OK;
}

void
ps_grid_cell(struct ps_grid *g, uint64_t row, uint64_t col)
{
	g->row = row;
	g->col = col;
}

enum ps_error
ps_grid_text(struct ps_grid *g, const char *s, size_t n)
{
	enum ps_error err;

	if (n == 0)
		return PS_OK;
	if (!g->open) {
		struct ps_unit unit = { g->where, 0, NULL };
		char col[16];

		/* The first row with anything in it is the header row. */
		if (g->header_row == 0)
			g->header_row = g->row;
		ps_xml_column_name(g->col, col);
		snprintf(g->where, sizeof g->where, "%s!%s%llu", g->sheet, col,
		    (unsigned long long)g->row);
		if (g->row > g->header_row && g->col < PS_XML_MAX_COLUMNS
		    && g->headers[g->col][0] != '\0')
			unit.context = g->headers[g->col];
		if ((err = ps_sink_begin(g->sink, &unit)) != PS_OK)
			return err;
		g->open = true;
	}
	if (g->row == g->header_row && g->col < PS_XML_MAX_COLUMNS)
		ps_xml_append(g->headers[g->col], PS_XML_HEADER_MAX, s, n);
	return ps_sink_text(g->sink, s, n);
}

enum ps_error
ps_grid_end_cell(struct ps_grid *g, uint64_t span)
{
	if (!g->open)
		return PS_OK;
	g->open = false;
	if (g->row == g->header_row && g->col < PS_XML_MAX_COLUMNS)
		for (uint64_t c = g->col + 1; c < g->col + span
		    && c < PS_XML_MAX_COLUMNS; c++)
			memcpy(g->headers[c], g->headers[g->col], PS_XML_HEADER_MAX);
	return ps_sink_end(g->sink);
}

void
ps_grid_free(struct ps_grid *g)
{
	free(g->headers);
	g->headers = NULL;
}

/* --- embedded objects -------------------------------------------------- */

enum ps_error
ps_xml_scan_embedded(struct ps_extract *x, zip_t *za,
    bool (*want)(const char *name))
{
	zip_int64_t n = zip_get_num_entries(za, 0);
	uint64_t max = ps_extract_max_members(x), opened = 0;
	enum ps_error err = PS_OK;

	for (zip_int64_t i = 0; i < n && err == PS_OK; i++) {
		const char *name = zip_get_name(za, (zip_uint64_t)i, 0);
		size_t len = name != NULL ? strlen(name) : 0;
		struct ps_zip_member m;
		struct ps_input in;

		if (len == 0 || name[len - 1] == '/' || !want(name))
			continue;
		if (opened++ >= max) {
			ps_extract_partial(x, "limit: members");
			break;
		}
		if (ps_zip_member_open(x, za, (zip_uint64_t)i, &m, &in) != PS_OK)
			continue;
		err = ps_extract_child(x, name, &in);
		ps_zip_member_close(x, &m, &in);
	}
	return err;
}

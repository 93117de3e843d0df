/*
 * xml.c - the safe streaming reader for XML parts of office packages, and
 * the small helpers their extractors share (see xml.h).  Relationships
 * are in rels.c, word-processor text in flow.c, spreadsheet cells in
 * grid.c.
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

/*
 * xml.c - the safe streaming reader for XML parts of office packages, and
 * the small helpers their extractors share (see xml.h).  Relationships
 * are in rels.c, word-processor text in flow.c, spreadsheet cells in
 * grid.c.
 */
#include "config.h"

#include "xml.h"
#include "../digits.h"

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
#define PARSER_OPTIONS  (XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING)

#define CHUNK           16384           /* bytes given to the parser at once */
/* First sizes of the queue's arrays, about what a chunk of a sheet fills
 * (cells of a few bytes, three nodes each): a part then does not grow
 * them a dozen times from nothing. */
#define FIRST_EVENTS 1024
#define FIRST_ATTRS  1024
#define FIRST_ARENA  (CHUNK * 2)
/* Text of one node is handed out in pieces of at most this (the reader
 * refused text nodes over 10 MB as "huge"): memory stays bounded. */
#define TEXT_PIECE_MAX  (1024 * 1024)

#if LIBXML_VERSION >= 21200
typedef const xmlError *ps_xml_error_t;
#else
typedef xmlErrorPtr ps_xml_error_t;
#endif

static pthread_once_t libxml_once = PTHREAD_ONCE_INIT;
static xmlSAXHandler sax;

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

static void on_start(void *ctx, const xmlChar *local, const xmlChar *prefix,
    const xmlChar *uri, int nb_namespaces, const xmlChar **namespaces,
    int nb_attributes, int nb_defaulted, const xmlChar **attributes);
static void on_end(void *ctx, const xmlChar *local, const xmlChar *prefix,
    const xmlChar *uri);
static void on_text(void *ctx, const xmlChar *ch, int len);
static void on_cdata(void *ctx, const xmlChar *ch, int len);
static void record_error(void *ctx, ps_xml_error_t e);

/*
 * libxml2's own SAX2 handlers for the document and its DTD (so that
 * declared entities stay declared, as with its reader), ours for the
 * content, which is queued instead of built into a tree.
 */
static void
libxml_init(void)
{
	xmlInitParser();
	xmlSetExternalEntityLoader(refuse_entity);
	xmlSAXVersion(&sax, 2);
	sax.startElementNs = on_start;
	sax.endElementNs = on_end;
	sax.characters = on_text;
	sax.ignorableWhitespace = on_text;
	sax.cdataBlock = on_cdata;
	sax.reference = NULL;
	sax.comment = NULL;
	sax.processingInstruction = NULL;
	sax.serror = record_error;
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
 * The part a callback is for.  An entity's replacement text is parsed in
 * a context of its own (libxml2 checks it once): none of that is text of
 * the document, where the reference stays unexpanded.
 */
static struct ps_xml *
part_of(void *ctx)
{
	xmlParserCtxtPtr ctxt = ctx;
	struct ps_xml *xr = ctxt != NULL ? ctxt->_private : NULL;

	return xr != NULL && xr->ctxt == ctxt ? xr : NULL;
}

/*
 * Keep libxml2's first fatal message for the file's record.  Messages
 * name elements and entities, not text; still, long digit runs are
 * blanked so that nothing resembling a value can reach the inventory.
 */
static void
record_error(void *ctx, ps_xml_error_t e)
{
	xmlParserCtxtPtr ctxt = ctx;
	struct ps_xml *xr = ctxt != NULL ? ctxt->_private : NULL;
	size_t n = 0, run = 0;

	if (xr == NULL || e == NULL || e->level < XML_ERR_FATAL
	    || xr->error[0] != '\0' || e->message == NULL)
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

/* --- the queue of parsed nodes ------------------------------------------ */

static void
out_of_memory(struct ps_xml *xr)
{
	xr->nomem = true;
	xmlStopParser(xr->ctxt);
}

/*
 * The queue's arrays kept between the parts one thread reads (extract.h),
 * unless a part grew them past this: a pathological part's memory is
 * given back.
 */
#define SPARE_MAX_BYTES (256 * 1024)
/*
 * The parser is kept too: making one and freeing it costs more than
 * parsing a small part (3 of 4 us for a workbook.xml).  Its dictionary of
 * names lives as long as it does, so one that has gathered more than a
 * document's worth of names, or attribute room for an element of
 * hundreds of attributes, is let go.
 */
#define SPARE_MAX_NAMES 4096
#define SPARE_MAX_ATTRS 1024

struct ps_xml_spare {
	struct ps_xml_arrays arrays;    /* events NULL: none */
	xmlParserCtxtPtr ctxt;          /* a parser at rest, or NULL */
};

struct ps_xml_spare *
ps_xml_spare_new(void)
{
	return calloc(1, sizeof(struct ps_xml_spare));
}

static void
arrays_free(struct ps_xml_arrays *a)
{
	free(a->events);
	free(a->attrs);
	free(a->arena);
	memset(a, 0, sizeof *a);
}

void
ps_xml_spare_free(struct ps_xml_spare *spare)
{
	if (spare != NULL) {
		arrays_free(&spare->arrays);
		if (spare->ctxt != NULL)
			xmlFreeParserCtxt(spare->ctxt);
	}
	free(spare);
}

/* A part being opened takes the spare arrays, if there are any. */
static void
take_spare(struct ps_xml *xr, struct ps_xml_spare *spare)
{
	if (spare == NULL || spare->arrays.events == NULL)
		return;
	xr->arrays = spare->arrays;
	memset(&spare->arrays, 0, sizeof spare->arrays);
}

/* A part being closed leaves its arrays for the next, or frees them. */
static void
leave_spare(struct ps_xml *xr, struct ps_xml_spare *spare)
{
	const struct ps_xml_arrays *a = &xr->arrays;

	if (spare != NULL && spare->arrays.events == NULL && a->events != NULL
	    && a->attrs != NULL && a->arena != NULL
	    && a->cap * sizeof *a->events <= SPARE_MAX_BYTES
	    && a->cap_attrs * sizeof *a->attrs <= SPARE_MAX_BYTES
	    && a->arena_cap <= SPARE_MAX_BYTES) {
		spare->arrays = *a;
		memset(&xr->arrays, 0, sizeof xr->arrays);
	} else {
		arrays_free(&xr->arrays);
	}
	xr->count = xr->next = xr->nattrs = xr->arena_len = 0;
}

/* Room for need items in a queue array, which starts at first (ps_grow). */
static bool
grow_from(void **items, size_t *cap, size_t need, size_t first, size_t size)
{
	return ps_grow(items, cap, need > first ? need : first, size);
}

/* Copy n bytes of s, NUL-ended, to the arena; SIZE_MAX when out of memory. */
static size_t
arena_add(struct ps_xml *xr, const xmlChar *s, size_t n)
{
	size_t at = xr->arena_len;

	if (!grow_from((void **)&xr->arrays.arena, &xr->arrays.arena_cap, at + n + 1, FIRST_ARENA, 1)) {
		out_of_memory(xr);
		return SIZE_MAX;
	}
	memcpy(xr->arrays.arena + at, s, n);
	xr->arrays.arena[at + n] = '\0';
	xr->arena_len = at + n + 1;
	return at;
}

/*
 * An attribute value to the arena.  Not substituting entities, libxml2
 * hands out a literal '&' as "&#38;" (so that a tree could parse it
 * again); the reader gave '&'.  Other references come decoded.
 */
static size_t
arena_add_value(struct ps_xml *xr, const xmlChar *s, size_t n)
{
	static const char amp[] = "&#38;";
	size_t at, k = 0;

	if (memchr(s, '&', n) == NULL)
		return arena_add(xr, s, n);
	if ((at = arena_add(xr, s, n)) == SIZE_MAX)
		return SIZE_MAX;
	for (size_t i = 0; i < n; i++) {
		xr->arrays.arena[at + k++] = (char)s[i];
		if (s[i] == '&' && n - i >= sizeof amp - 1
		    && memcmp(s + i, amp, sizeof amp - 1) == 0)
			i += sizeof amp - 2;
	}
	xr->arrays.arena[at + k] = '\0';
	xr->arena_len = at + k + 1;
	return at;
}

static struct ps_xml_event *
push_event(struct ps_xml *xr, int type, int depth, const xmlChar *local)
{
	struct ps_xml_event *ev;

	if (!grow_from((void **)&xr->arrays.events, &xr->arrays.cap, xr->count + 1, FIRST_EVENTS,
	    sizeof *xr->arrays.events)) {
		out_of_memory(xr);
		return NULL;
	}
	ev = &xr->arrays.events[xr->count++];
	memset(ev, 0, sizeof *ev);
	ev->type = type;
	ev->depth = depth;
	ev->local = (const char *)local;
	return ev;
}

/* Inside a subtree being skipped that the parser has not finished: not
 * worth queueing. */
static bool
skipped(const struct ps_xml *xr, int depth)
{
	return xr->drop_depth >= 0 && depth > xr->drop_depth;
}

static void
on_start(void *ctx, const xmlChar *local, const xmlChar *prefix,
    const xmlChar *uri, int nb_namespaces, const xmlChar **namespaces,
    int nb_attributes, int nb_defaulted, const xmlChar **attributes)
{
	struct ps_xml *xr = part_of(ctx);
	xmlParserInputPtr input = xr != NULL ? xr->ctxt->input : NULL;
	struct ps_xml_event *ev;
	int depth;

	(void)prefix;
	(void)uri;
	(void)nb_namespaces;
	(void)namespaces;
	(void)nb_defaulted;
	if (xr == NULL)
		return;
	depth = xr->depth++;
	xr->text_open = false;
	/* The parser calls this with "/>" still ahead for <a/>, and the end
	 * right after: xmlTextReaderIsEmptyElement() looks the same way. */
	xr->empty_end = input != NULL && input->cur != NULL && input->cur[0] == '/'
	    && input->cur[1] == '>';
	if (skipped(xr, depth)
	    || (ev = push_event(xr, XML_READER_TYPE_ELEMENT, depth, local)) == NULL)
		return;
	ev->empty = xr->empty_end;
	if (nb_attributes <= 0)
		return;
	if (!grow_from((void **)&xr->arrays.attrs, &xr->arrays.cap_attrs,
	    xr->nattrs + (size_t)nb_attributes, FIRST_ATTRS, sizeof *xr->arrays.attrs)) {
		out_of_memory(xr);
		return;
	}
	ev->attr = xr->nattrs;
	for (int i = 0; i < nb_attributes; i++) {
		const xmlChar **a = attributes + 5 * i;  /* local, prefix, URI, value, end */
		struct ps_xml_attribute *at = &xr->arrays.attrs[xr->nattrs];

		at->local = (const char *)a[0];
		at->in_ns = a[2] != NULL;
		if ((at->value = arena_add_value(xr, a[3], (size_t)(a[4] - a[3]))) == SIZE_MAX)
			return;
		xr->nattrs++;
		ev->nattr++;
	}
}

static void
on_end(void *ctx, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri)
{
	struct ps_xml *xr = part_of(ctx);
	int depth;

	(void)prefix;
	(void)uri;
	if (xr == NULL)
		return;
	depth = --xr->depth;
	xr->text_open = false;
	if (xr->empty_end) {
		xr->empty_end = false;
		return;
	}
	if (!skipped(xr, depth))
		push_event(xr, XML_READER_TYPE_END_ELEMENT, depth, local);
	if (depth == xr->drop_depth)
		xr->drop_depth = -1;        /* what follows is read again */
}

static void
add_text(struct ps_xml *xr, int type, const xmlChar *ch, int len)
{
	struct ps_xml_event *ev = xr->count > 0 ? &xr->arrays.events[xr->count - 1] : NULL;

	if (len <= 0 || skipped(xr, xr->depth))
		return;
	/* Text comes in pieces (chunks, references, buffers): one node's is
	 * one event, as the reader merged it; its bytes end the arena. */
	if (type == XML_READER_TYPE_TEXT && xr->text_open && ev != NULL
	    && ev->len + (size_t)len <= TEXT_PIECE_MAX) {
		xr->arena_len--;                /* the NUL */
		if (arena_add(xr, ch, (size_t)len) != SIZE_MAX)
			ev->len += (size_t)len;
		return;
	}
	if ((ev = push_event(xr, type, xr->depth, NULL)) == NULL)
		return;
	ev->local = type == XML_READER_TYPE_TEXT ? "#text" : "#cdata-section";
	if ((ev->text = arena_add(xr, ch, (size_t)len)) == SIZE_MAX)
		return;
	ev->len = (size_t)len;
	xr->text_open = type == XML_READER_TYPE_TEXT;
}

static void
on_text(void *ctx, const xmlChar *ch, int len)
{
	struct ps_xml *xr = part_of(ctx);

	if (xr != NULL)
		add_text(xr, XML_READER_TYPE_TEXT, ch, len);
}

static void
on_cdata(void *ctx, const xmlChar *ch, int len)
{
	struct ps_xml *xr = part_of(ctx);

	if (xr != NULL) {
		add_text(xr, XML_READER_TYPE_CDATA, ch, len);
		xr->text_open = false;
	}
}

/* Events that may be handed out: text at the end may go on. */
static size_t
ready(const struct ps_xml *xr)
{
	return xr->text_open && !xr->fed_all ? xr->count - 1 : xr->count;
}

/* Forget the events handed out, keeping text that may go on. */
static void
compact(struct ps_xml *xr)
{
	if (xr->next < xr->count) {
		struct ps_xml_event *ev = &xr->arrays.events[xr->next];

		/* Only open text is left: no attributes, its bytes last. */
		memmove(xr->arrays.arena, xr->arrays.arena + ev->text, ev->len + 1);
		ev->text = 0;
		xr->arrays.events[0] = *ev;
		xr->count = 1;
		xr->arena_len = ev->len + 1;
	} else {
		xr->count = 0;
		xr->arena_len = 0;
	}
	xr->next = 0;
	xr->nattrs = 0;
}

/* Give the parser the next chunk of the part (all of it said, the end). */
static void
feed(struct ps_xml *xr)
{
	char buf[CHUNK];
	const char *chunk = buf;
	ssize_t n;
	int rc;

	if (xr->mem != NULL) {
		/* The parser copies what it is given: no copy of ours. */
		chunk = xr->mem + xr->mem_off;
		n = (ssize_t)(xr->mem_len - xr->mem_off < CHUNK ? xr->mem_len - xr->mem_off
		    : CHUNK);
		xr->mem_off += (size_t)n;
	} else {
		n = ps_input_read(&xr->in, buf, sizeof buf);
	}
	if (n < 0) {
		xr->failed = xr->fed_all = true;
		return;
	}
	rc = xmlParseChunk(xr->ctxt, chunk, (int)n, n == 0);
	if (n == 0)
		xr->fed_all = true;
	if (rc != 0 || xr->ctxt->wellFormed == 0 || xr->nomem) {
		xr->failed = xr->fed_all = true;
		xr->text_open = false;
	}
}

/* A parser for a new part: the spare one, reset, or a new one. */
static enum ps_error
make_parser(struct ps_xml *xr, struct ps_xml_spare *spare)
{
	libxml_quiet();
	xr->skip_depth = xr->drop_depth = -1;
	if (spare != NULL && spare->ctxt != NULL) {
		xr->ctxt = spare->ctxt;
		spare->ctxt = NULL;
		if (xmlCtxtResetPush(xr->ctxt, NULL, 0, NULL, NULL) != 0) {
			xmlFreeParserCtxt(xr->ctxt);
			xr->ctxt = NULL;
		} else {
			/* As a new parser given no bytes yet: the encoding is
			 * found from the part's first bytes (a BOM, UTF-16);
			 * the reset would take UTF-8 for granted. */
			xr->ctxt->charset = XML_CHAR_ENCODING_NONE;
		}
	}
	if (xr->ctxt == NULL) {
		xr->ctxt = xmlCreatePushParserCtxt(&sax, NULL, NULL, 0, NULL);
		if (xr->ctxt == NULL)
			return PS_ERR_NOMEM;
		xmlCtxtUseOptions(xr->ctxt, PARSER_OPTIONS);
	}
	xr->ctxt->_private = xr;
	return PS_OK;
}

/*
 * A parser is kept only after a part it read to a clean end: a reset
 * does not unwind the namespaces of elements left open, and a stopped
 * parser's state is best not carried into another file.
 */
static void
drop_parser(struct ps_xml *xr, struct ps_xml_spare *spare)
{
	xmlParserCtxtPtr ctxt = xr->ctxt;

	if (ctxt == NULL)
		return;
	xr->ctxt = NULL;
	if (ctxt->myDoc != NULL)
		xmlFreeDoc(ctxt->myDoc);
	ctxt->myDoc = NULL;
	ctxt->_private = NULL;
	if (spare != NULL && spare->ctxt == NULL && xr->fed_all && !xr->failed
	    && !xr->nomem && ctxt->instate == XML_PARSER_EOF && ctxt->nsNr == 0
	    && ctxt->maxatts <= SPARE_MAX_ATTRS
	    && (ctxt->dict == NULL || xmlDictSize(ctxt->dict) <= SPARE_MAX_NAMES))
		spare->ctxt = ctxt;
	else
		xmlFreeParserCtxt(ctxt);
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
	take_spare(xr, x->xml_spare);
	if ((err = make_parser(xr, x->xml_spare)) != PS_OK) {
		leave_spare(xr, x->xml_spare);
		ps_zip_member_close(x, &xr->m, &xr->in);
		xr->opened = false;
	}
	return err;
}

enum ps_error
ps_xml_open_memory(struct ps_xml *xr, const char *data, size_t len)
{
	memset(xr, 0, sizeof *xr);
	if (len > INT32_MAX)
		return PS_ERR_LIMIT;
	xr->mem = data != NULL ? data : "";
	xr->mem_len = len;
	return make_parser(xr, NULL);
}

/*
 * Skip the subtree of the element ev, just handed out: its nodes already
 * queued are passed over as they come; if its end is not among them, the
 * callbacks drop the rest of it as the parser reaches it.
 */
static void
skip_subtree(struct ps_xml *xr, const struct ps_xml_event *ev)
{
	xr->skip_depth = xr->drop_depth = ev->depth;
	for (size_t i = xr->next; i < xr->count; i++)
		if (xr->arrays.events[i].depth <= ev->depth) {
			xr->drop_depth = -1;
			break;
		}
}

const struct ps_xml_event ps_xml_no_event = { .type = XML_READER_TYPE_NONE, .local = "" };

bool
ps_xml_next(struct ps_xml *xr)
{
	for (;;) {
		const struct ps_xml_event *ev;

		if (xr->done)
			return false;
		if (xr->x != NULL && (++xr->nodes & 1023) == 0
		    && ps_extract_stopping(xr->x)) {
			xr->stopped = xr->done = true;
			return false;
		}
		while (xr->next >= ready(xr)) {
			if (xr->fed_all) {
				xr->done = true;
				return false;
			}
			compact(xr);
			feed(xr);
		}
		ev = &xr->arrays.events[xr->next++];
		if (xr->skip_depth >= 0) {
			/* The subtree being skipped, and its end. */
			if (ev->depth > xr->skip_depth)
				continue;
			if (ev->type == XML_READER_TYPE_END_ELEMENT
			    && ev->depth == xr->skip_depth) {
				xr->skip_depth = -1;
				continue;
			}
			xr->skip_depth = -1;
		}
		if (ev->type == XML_READER_TYPE_ELEMENT && ev->depth >= PS_XML_MAX_DEPTH) {
			if (xr->x != NULL)
				ps_extract_partial(xr->x, "limit: xml depth");
			if (!ev->empty)
				skip_subtree(xr, ev);
			continue;
		}
		return true;
	}
}

void
ps_xml_skip(struct ps_xml *xr)
{
	const struct ps_xml_event *ev = ps_xml_current(xr);

	if (ev->type == XML_READER_TYPE_ELEMENT && !ev->empty)
		skip_subtree(xr, ev);
}

enum ps_error
ps_xml_close(struct ps_xml *xr)
{
	struct ps_xml_spare *spare = xr->x != NULL ? xr->x->xml_spare : NULL;

	drop_parser(xr, spare);
	leave_spare(xr, spare);
	if (xr->opened) {
		/* A limit that cut the part short explains the parse error
		 * it caused; it is recorded instead. */
		bool cut = xr->m.ratio_hit || xr->m.error[0] != '\0'
		    || xr->in.limit_hit != NULL;

		ps_zip_member_close(xr->x, &xr->m, &xr->in);
		if (xr->nomem && !cut)
			ps_extract_partial(xr->x, "corrupt: %s: out of memory", xr->member);
		else if (xr->failed && !cut)
			ps_extract_partial(xr->x, "corrupt: %s: %s", xr->member,
			    xr->error[0] != '\0' ? xr->error : "malformed XML");
		xr->opened = false;
	}
	return xr->stopped ? PS_ERR_STOP : PS_OK;
}

size_t
ps_xml_append(char *dst, size_t cap, const char *s, size_t n)
{
	size_t len = strnlen(dst, cap), room;

	if (len + 1 >= cap)
		return len;
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
	return len + n;
}

bool
ps_xml_attr(struct ps_xml *xr, const char *local, int ns, char *buf, size_t cap)
{
	const char *value = ps_xml_attr_value(xr, local, ns);

	if (cap > 0) {
		buf[0] = '\0';
		if (value != NULL)
			ps_xml_append(buf, cap, value, strlen(value));
	}
	return value != NULL;
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
	size_t nd = 0, frac = 0, end, plain = 0;
	long exp = 0, e;
	bool neg = false, any = false, dot = false, rounded = false;
	const char *p = num;

	/* Digits with no leading zero (most numbers of a sheet) stand for
	 * themselves, within the bounds the reading below keeps. */
	while (ps_is_digit(num[plain]))
		plain++;
	if (plain > 0 && num[plain] == '\0' && (num[0] != '0' || plain == 1)
	    && plain <= 30 && plain < cap) {
		memcpy(out, num, plain + 1);
		return true;
	}
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

/*
 * xml.h - the XML parts of office packages (OOXML, ODF), for extract/
 * files only.
 *
 * A part is parsed by libxml2's push parser, a chunk at a time from
 * ps_input_read(), so every byte counts against the file's limits, with
 * the network off, no entity substitution, no DTD loading and no error
 * output: a malformed part is recorded on the file as "corrupt: <member>:
 * <why>" and what was read before the fault is kept.  Its SAX2 callbacks
 * queue the nodes of a chunk (no tree is built); ps_xml_next() hands them
 * out one at a time, as xmlTextReader would.
 *
 * On top of the reader: relationship parts (.rels), the "flow" of
 * word-processor text (paragraphs whose runs are joined into one unit,
 * tables whose first row gives the column headers used as context), and
 * the "grid" of spreadsheet cells ("Sheet!C7", header row as context).
 * These are used by docx.c, xlsx.c, pptx.c and odf.c; a struct of each
 * kind belongs to one extraction on one thread.
 */
#ifndef PS_XML_H
#define PS_XML_H

#include <string.h>

#include <libxml/parser.h>
#include <libxml/xmlreader.h>   /* XML_READER_TYPE_* */

#include "headers.h"
#include "zipmember.h"

#define PS_XML_MAX_DEPTH    200     /* elements nested deeper are skipped */

/* One node of a part, as libxml2's SAX2 callbacks gave it. */
struct ps_xml_event {
	int type;                       /* XML_READER_TYPE_ELEMENT, _END_ELEMENT,
					 * _TEXT or _CDATA */
	int depth;                      /* as xmlTextReaderDepth() counts */
	bool empty;                     /* an element written <a/> */
	const char *local;              /* in the parser's dictionary */
	size_t text, len;               /* text: offset in arena, bytes */
	size_t attr, nattr;             /* an element's attributes in attrs[] */
};

struct ps_xml_attribute {
	const char *local;              /* in the parser's dictionary */
	bool in_ns;                     /* prefixed: r:id */
	size_t value;                   /* offset of the NUL-ended value in arena */
};

/* The queue's arrays (kept between parts: struct ps_xml_spare). */
struct ps_xml_arrays {
	struct ps_xml_event *events;
	size_t cap;
	struct ps_xml_attribute *attrs;
	size_t cap_attrs;
	char *arena;
	size_t arena_cap;
};

/* One XML part being read. */
struct ps_xml {
	xmlParserCtxtPtr ctxt;
	struct ps_extract *x;           /* NULL for a part read from memory */
	const char *member;             /* borrowed name, for the error record */
	struct ps_zip_member m;
	struct ps_input in;
	bool opened;                    /* m and in are in use */
	const char *mem;                /* a part in memory (borrowed) */
	size_t mem_len, mem_off;
	/* Nodes parsed and not yet read: events[next..count), the current
	 * one events[next - 1]; their strings in arena[0..arena_len). */
	struct ps_xml_arrays arrays;
	size_t count, next, nattrs, arena_len;
	int depth;                      /* elements open in the parser */
	int skip_depth;                 /* reading past the subtree of the
					 * element at this depth, or -1 */
	int drop_depth;                 /* the same for the callbacks, until
					 * the parser ends that element */
	bool text_open;                 /* the last event is text that the next
					 * chunk may continue */
	bool empty_end;                 /* the next element end is the one of
					 * an empty element: not an event */
	bool fed_all;                   /* the parser has had the whole part */
	bool done, failed, stopped, nomem;
	unsigned long nodes;
	char error[96];                 /* libxml2's first fatal message */
};

/*
 * Open the member called name of za.  PS_OK: open, read with
 * ps_xml_next() and close with ps_xml_close().  PS_ERR_OPEN: there is no
 * such member (nothing recorded).  PS_ERR_CORRUPT: it could not be opened
 * (recorded on the file).  PS_ERR_NOMEM.
 */
enum ps_error ps_xml_open(struct ps_xml *xr, struct ps_extract *x, zip_t *za,
    const char *name);
/* The same over bytes in memory (borrowed until close); errors are only
 * noted in xr (failed). */
enum ps_error ps_xml_open_memory(struct ps_xml *xr, const char *data, size_t len);

/* Move to the next node; false at the end, on a fatal error, or when the
 * scan is being stopped (xr->stopped). */
bool ps_xml_next(struct ps_xml *xr);
/* Skip the subtree of the current element on the next ps_xml_next(). */
void ps_xml_skip(struct ps_xml *xr);

/*
 * Close, recording a broken limit or the part's corruption on the file.
 * Returns PS_ERR_STOP when the scan is being stopped, else PS_OK.
 */
enum ps_error ps_xml_close(struct ps_xml *xr);

/* The current node (inline: extractors ask several times a node). */
extern const struct ps_xml_event ps_xml_no_event;

static inline const struct ps_xml_event *
ps_xml_current(const struct ps_xml *xr)
{
	return xr->next > 0 && xr->next <= xr->count ? &xr->arrays.events[xr->next - 1]
	    : &ps_xml_no_event;
}

/* XML_READER_TYPE_* */
static inline int
ps_xml_type(const struct ps_xml *xr)
{
	return ps_xml_current(xr)->type;
}

static inline int
ps_xml_depth(const struct ps_xml *xr)
{
	return ps_xml_current(xr)->depth;
}

/* <element/> */
static inline bool
ps_xml_empty(const struct ps_xml *xr)
{
	return ps_xml_current(xr)->empty;
}

static inline const char *
ps_xml_local(const struct ps_xml *xr)
{
	const char *local = ps_xml_current(xr)->local;

	return local != NULL ? local : "";
}

/* Text, CDATA or white space. */
static inline bool
ps_xml_is_text(const struct ps_xml *xr)
{
	int t = ps_xml_type(xr);

	return t == XML_READER_TYPE_TEXT || t == XML_READER_TYPE_CDATA;
}

/* Its text, for text nodes (NUL-ended, *len bytes when len is not
 * NULL); NULL for others. */
static inline const char *
ps_xml_text(const struct ps_xml *xr, size_t *len)
{
	const struct ps_xml_event *ev = ps_xml_current(xr);

	if (!ps_xml_is_text(xr))
		return NULL;
	if (len != NULL)
		*len = ev->len;
	return xr->arrays.arena + ev->text;
}

static inline const char *
ps_xml_value(const struct ps_xml *xr)
{
	return ps_xml_text(xr, NULL);
}

/* Whether a name is the given one: inline, so that a comparison with a
 * short constant is a few byte compares, not a call. */
static inline bool
ps_xml_name_is(const char *local, const char *name)
{
	return local[0] == name[0] && strcmp(local, name) == 0;
}

/* An element start whose local name (prefix ignored) is name. */
static inline bool
ps_xml_start(const struct ps_xml *xr, const char *name)
{
	return ps_xml_type(xr) == XML_READER_TYPE_ELEMENT
	    && ps_xml_name_is(ps_xml_local(xr), name);
}
/* A local name is one of the NULL-ended list (inline: asked of every
 * element, with the name at hand). */
static inline bool
ps_xml_name_in(const char *local, const char *const *names)
{
	for (; names != NULL && *names != NULL; names++)
		if (ps_xml_name_is(local, *names))
			return true;
	return false;
}

/* The current node's local name is one of the NULL-ended list. */
static inline bool
ps_xml_is_one(const struct ps_xml *xr, const char *const *names)
{
	return ps_xml_name_in(ps_xml_local(xr), names);
}

/*
 * Copy the value of the current element's attribute with that local name
 * into buf (truncated at a character boundary).  ns: 0 any attribute,
 * 1 only one in a namespace (r:id), -1 only one without (id).  False
 * when there is none (buf is then "").
 */
bool ps_xml_attr(struct ps_xml *xr, const char *local, int ns, char *buf,
    size_t cap);
/* The same value where the reader keeps it (NUL-ended, valid until the
 * next ps_xml_next()), or NULL.  Inline for the same reason. */
static inline const char *
ps_xml_attr_value(const struct ps_xml *xr, const char *local, int ns)
{
	const struct ps_xml_event *ev = ps_xml_current(xr);

	if (ev->type != XML_READER_TYPE_ELEMENT)
		return NULL;
	/* Namespace declarations (xmlns:r="...") are not among them. */
	for (size_t i = ev->attr; i < ev->attr + ev->nattr; i++) {
		const struct ps_xml_attribute *a = &xr->arrays.attrs[i];

		if (ps_xml_name_is(a->local, local) && (ns == 0 || (ns > 0) == a->in_ns))
			return xr->arrays.arena + a->value;
	}
	return NULL;
}

/* Append at most n bytes of s to the NUL-terminated dst of cap bytes,
 * never leaving a cut UTF-8 character at the end; dst's new length. */
size_t ps_xml_append(char *dst, size_t cap, const char *s, size_t n);

/*
 * A part name from a relationship target: absolute ("/xl/a.xml") or
 * relative to dir ("xl/", "ppt/slides/"), with "." and ".." resolved.
 * False when it leaves the package or does not fit.
 */
bool ps_xml_resolve(const char *dir, const char *target, char *out, size_t cap);

/*
 * The integer a spreadsheet's number text stands for: "4111111111111111",
 * "4.111111111111111E+15" and "4111111111111111.0" all give
 * "4111111111111111".  Exact decimal arithmetic on the mantissa's digits,
 * never a double; a mantissa longer than a double's 16 significant
 * digits is first rounded to 16 (the rest is the writer's noise).  False
 * when it is not an integer of at most 30 digits (the caller keeps the
 * text as it is).
 */
bool ps_xml_integer_text(const char *num, char *out, size_t cap);

/* Spreadsheet column letters of a 0-based column: 0 "A", 27 "AB". */
void ps_xml_column_name(uint64_t col, char out[16]);

/* --- relationships (OOXML "_rels" parts) --- */

struct ps_rel {
	char *id;
	char *type;                     /* the last segment of Type: "worksheet" */
	char *part;                     /* resolved part name; NULL when external */
};

struct ps_rels {
	struct ps_rel *items;
	size_t count, cap;
};

/* Read the relationships part name (missing: none); targets resolve
 * against dir.  Only PS_ERR_NOMEM and PS_ERR_STOP are returned. */
enum ps_error ps_rels_load(struct ps_rels *rels, struct ps_extract *x,
    zip_t *za, const char *name, const char *dir);
const struct ps_rel *ps_rels_find(const struct ps_rels *rels, const char *id);
/* One of that type (the lowest id), or NULL. */
const struct ps_rel *ps_rels_of_type(const struct ps_rels *rels, const char *type);
void ps_rels_free(struct ps_rels *rels);

/* --- word-processor flow: paragraphs and tables --- */

/* What the elements of one format are called (local names). */
struct ps_flow_syntax {
	const char *const *paragraphs;  /* w:p, a:p, text:p/text:h */
	const char *const *texts;       /* elements holding run text (w:t);
					 * NULL: any text in a paragraph (ODF) */
	const char *const *tabs;        /* written as a space */
	const char *const *breaks;      /* written as a newline */
	const char *spaces;             /* ODF text:s, count in attribute "c" */
	const char *const *skips;       /* subtrees never read */
	const char *table, *row;
	const char *const *cells;
	const char *span;               /* docx w:gridSpan in a cell (w:val) */
	const char *repeat;             /* ODF number-columns-repeated */
	bool collapse;                  /* ODF white-space collapsing */
};

#define PS_FLOW_MAX_PARAS   32      /* nested paragraphs tracked (text boxes) */
#define PS_FLOW_MAX_TABLES  8       /* nested tables with headers */
#define PS_FLOW_LABEL_MAX   48

struct ps_flow_table {
	int depth, row_depth, cell_depth;
	uint64_t row;                   /* rows ended so far; 0: the header row */
	uint64_t col, span;
	struct ps_headers headers;
};

struct ps_flow_para {
	int depth;
	char where[PS_WHERE_MAX];
	const char *context;
};

struct ps_flow {
	/* Set by the caller. */
	const struct ps_flow_syntax *syn;
	struct ps_extract *x;
	char label[PS_FLOW_LABEL_MAX];  /* where: "slide 2", or "paragraph" + N */
	bool count;                     /* number paragraphs after the label */
	uint64_t paragraphs;            /* paragraphs counted so far */
	/* Called at every element start (end false) and end; returning true
	 * at a start skips the element's subtree. */
	bool (*hook)(struct ps_flow *f, struct ps_xml *xr, bool end);
	void *arg;

	/* Private to xml.c. */
	struct ps_flow_para paras[PS_FLOW_MAX_PARAS];
	int npara, extra_para;
	struct ps_flow_table tables[PS_FLOW_MAX_TABLES];
	int ntable, extra_table;
	int text_depth;
	bool unit_open, last_space;
	enum ps_error err;
};

/* Read the whole part xr as flow text.  The caller closes xr; f keeps its
 * counters and may read more parts; ps_flow_free() at the end. */
enum ps_error ps_flow_run(struct ps_flow *f, struct ps_xml *xr);
void ps_flow_free(struct ps_flow *f);

/* --- spreadsheet grid: cells with the header row as context --- */

struct ps_grid {
	struct ps_sink *sink;
	char sheet[40];                 /* sheet name as shown in where */
	uint64_t header_row;            /* 1-based; 0 until a non-empty cell */
	struct ps_headers headers;
	uint64_t row, col;              /* the current cell, row 1-based */
	bool open;                      /* a unit is open for the cell */
};

/* Start a sheet (headers forgotten). */
enum ps_error ps_grid_sheet(struct ps_grid *g, struct ps_sink *sink,
    const char *name);
/* Move to the cell at row (1-based), col (0-based). */
void ps_grid_cell(struct ps_grid *g, uint64_t row, uint64_t col);
/* Text of the current cell, in pieces. */
enum ps_error ps_grid_text(struct ps_grid *g, const char *s, size_t n);
/* End the current cell, which covers span columns (a repeated header
 * cell names them all). */
enum ps_error ps_grid_end_cell(struct ps_grid *g, uint64_t span);
void ps_grid_free(struct ps_grid *g);

/* Objects embedded in a document are scanned with ps_zip_scan_members()
 * (zipmember.h) and a filter on their names. */

#endif

/*
 * ole.h - legacy Office files (OLE2 compound documents), for extract/
 * files only.
 *
 * ole.c opens the compound file with libgsf, decides by its streams what
 * it holds and hands it to doc.c (Word 97-2003, "WordDocument"), xls.c
 * (Excel BIFF8 and BIFF5, "Workbook" or "Book") or ppt.c (PowerPoint
 * 97-2003, "PowerPoint Document").  These read whole streams into memory
 * through ps_ole_stream(), which checks each stream's size against the
 * container's and charges it to the file's expanded-bytes budget; they
 * parse them with the bounds helpers below and never trust a length or
 * an offset read from the file.  oletext.c has what they share: code
 * page and UTF-16 conversion, paragraph units, and the fallback that
 * pulls 8-bit and UTF-16LE text runs out of a stream that cannot be
 * parsed.
 *
 * A struct ps_ole and everything read through it belong to one
 * extraction on one thread.
 */
#ifndef PS_OLE_H
#define PS_OLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <gsf/gsf-infile.h>

#include "../extract.h"

/* Largest compound file held in memory to be opened. */
#define PS_OLE_MAX_FILE    ((uint64_t)256 << 20)

struct ps_ole;                  /* an opened compound file (ole.c) */

/* A stream's bytes, malloc'd, owned by the caller (ps_ole_stream_free). */
struct ps_ole_stream {
	unsigned char *data;
	size_t len;
};

/*
 * Read the stream called name (case ignored) at the root of the file.
 * PS_OK: s is filled.  PS_ERR_OPEN: there is no such stream (nothing
 * recorded).  PS_ERR_CORRUPT or PS_ERR_LIMIT: it could not be read, and
 * why is recorded on the file.  PS_ERR_NOMEM.
 */
enum ps_error ps_ole_stream(struct ps_ole *o, const char *name,
    struct ps_ole_stream *s);
/* Wipes (stream text is personal data) and frees; s may be empty. */
void ps_ole_stream_free(struct ps_ole_stream *s);

/*
 * Storages inside the file (an Outlook message's recipients and
 * attachments), for readers that walk them.  The root is borrowed from
 * o; a child from ps_ole_child() is the caller's (g_object_unref).
 */
GsfInfile *ps_ole_root(struct ps_ole *o);
/* The child of storage called name (case ignored), or NULL. */
GsfInput *ps_ole_child(GsfInfile *storage, const char *name);
/* ps_ole_stream() for a stream of that storage. */
enum ps_error ps_ole_stream_in(struct ps_ole *o, GsfInfile *storage,
    const char *name, struct ps_ole_stream *s);
/* A stream of that storage to be read bit by bit: PS_OK (*in is the
 * caller's, its size checked against the file's), PS_ERR_OPEN (none) or
 * PS_ERR_CORRUPT (recorded). */
enum ps_error ps_ole_stream_open(struct ps_ole *o, GsfInfile *storage,
    const char *name, GsfInput **in);

/* The formats: each records its type with ps_extract_set_type(). */
enum ps_error ps_ole_doc(struct ps_extract *x, struct ps_ole *o);
enum ps_error ps_ole_xls(struct ps_extract *x, struct ps_ole *o);
enum ps_error ps_ole_ppt(struct ps_extract *x, struct ps_ole *o);
enum ps_error ps_ole_msg(struct ps_extract *x, struct ps_ole *o);

/* --- Word paragraph properties (docpap.c), for doc.c --- */

/* The PAPX FKPs of a document; the pointers borrow the streams given to
 * ps_doc_paps_init(), which must outlive it.  Nothing to free. */
struct ps_doc_paps {
	const unsigned char *wd;        /* WordDocument stream */
	size_t wd_len;
	const unsigned char *plc;       /* PlcBtePapx, NULL if none */
	size_t n;                       /* its FKP pages */
};

/* What a paragraph's properties say of tables. */
struct ps_doc_pap {
	unsigned depth;                 /* table depth, 0 outside tables */
	bool ttp;                       /* sprmPFTtp: ends a row (depth 1) */
	bool inner_cell;                /* sprmPFInnerTableCell (depth > 1) */
	bool inner_ttp;                 /* sprmPFInnerTtp (depth > 1) */
	bool huge;                      /* sprmPHugePapx: the rest elsewhere */
};

/* The PlcBtePapx at table[fc..fc+lcb) and the pages it names, checked:
 * false (and pp empty) if any of it is missing or malformed. */
bool ps_doc_paps_init(struct ps_doc_paps *pp, const struct ps_ole_stream *wd,
    const struct ps_ole_stream *table, uint32_t fc, uint32_t lcb);
/* The properties of the paragraph whose mark is at WordDocument offset
 * fc.  False when they are unknown (pap is then all zero). */
bool ps_doc_pap_get(const struct ps_doc_paps *pp, uint64_t fc,
    struct ps_doc_pap *pap);

/* --- bounds: little-endian reads that check the offset --- */

/* p[off..off+n) lies inside len bytes (no overflow). */
static inline bool
ps_ole_has(size_t len, uint64_t off, uint64_t n)
{
	return off <= len && n <= len - off;
}

static inline uint16_t
ps_ole_u16(const unsigned char *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static inline uint32_t
ps_ole_u32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16
	    | (uint32_t)p[3] << 24;
}

/* --- text (oletext.c) --- */

/* windows-1252 byte to Unicode (the table [MS-DOC] gives for 8-bit
 * pieces); undefined bytes map to themselves. */
uint32_t ps_ole_cp1252(unsigned char b);

/* Append the UTF-8 form of code point c (a surrogate or an out-of-range
 * value becomes U+FFFD) to out; returns the bytes written (1..4). */
size_t ps_ole_utf8(uint32_t c, char *out);

/*
 * Paragraph units: characters are put one at a time; the unit opens at
 * the first one, with the where set at that moment, and ends at
 * ps_para_end().  Errors from the sink stick in err and stop the rest.
 */
struct ps_para {
	struct ps_sink *sink;
	char where[PS_WHERE_MAX];
	/* Borrowed, read when the unit opens (a cell's column header). */
	const char *context;
	bool open;
	char buf[1024];
	size_t len;
	enum ps_error err;
};

void ps_para_init(struct ps_para *p, struct ps_sink *sink);
void ps_para_put(struct ps_para *p, uint32_t c);
void ps_para_end(struct ps_para *p);

/*
 * The fallback for a stream that cannot be parsed: its runs of printable
 * 8-bit text and of UTF-16LE text (at least PS_OLE_RUN_MIN characters
 * each) as one unit located where, a newline between runs, so that a
 * keyword in one run still gives context to a value in the next.
 */
#define PS_OLE_RUN_MIN 4
enum ps_error ps_ole_text_runs(struct ps_extract *x, const unsigned char *p,
    size_t len, const char *where);

#endif

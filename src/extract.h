/*
 * extract.h - the extractor interface.
 *
 * An extractor turns one input (bytes plus what filetype.c decided about
 * them) into units of UTF-8 text sent to a sink, and may hand children
 * (archive members) back to the scanner with ps_extract_child(), which is
 * where every limit is checked.  It never knows about threads, the
 * matcher or the database.  Formats are listed in one table
 * (extract/table.c); adding a format is a new file and one row there.
 *
 * An extractor must not hand over a child while it has a unit open on its
 * sink (the child's text goes to the same matcher).
 */
#ifndef PS_EXTRACT_H
#define PS_EXTRACT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <zip.h>

#include "piiscan.h"
#include "sink.h"

/*
 * A byte stream being extracted: first the bytes already read to decide
 * the type (head), then the rest from read().  At most `limit` bytes are
 * delivered, and no more than *budget when budget is set (the bytes an
 * archive may still expand to); reaching either sets limit_hit to the
 * reason, which the scan records as partial.
 */
struct ps_input {
	ssize_t (*read)(void *ctx, void *buf, size_t len); /* -1 + errno on error */
	void *ctx;
	int fd;                         /* the file itself, or -1 */
	const char *name;               /* file or member name, for type hints */
	const char *charset;            /* as libmagic reported it, or NULL */
	const unsigned char *head;
	size_t headlen, headpos;
	bool ended;                     /* nothing follows the head */
	uint64_t limit, consumed;
	uint64_t *budget;               /* shared expanded-bytes budget, or NULL */
	const char *limit_hit;          /* "limit: ..." once a limit stopped reading */
	int error;                      /* errno of a failed read, or 0 */
};

/* Read up to len bytes; 0 at the end (or at a limit), -1 on error with
 * errno set (and in->error). */
ssize_t ps_input_read(struct ps_input *in, void *buf, size_t len);

/* Bytes in memory as a stream: a ps_input read callback over it. */
struct ps_memory_reader {
	const unsigned char *data;
	size_t len, pos;
};
ssize_t ps_memory_read(void *reader, void *buf, size_t len);

/* The --max-ratio rule: at least PS_RATIO_FLOOR bytes produced, and
 * max_ratio or more for each byte of their source (a member's compressed
 * size, or the bytes of an archive read so far; none counts as one). */
bool ps_ratio_exceeded(uint64_t produced, uint64_t source, unsigned max_ratio);

/* Say that a limit of the reader behind in stopped it (the first reason
 * is kept): what reads in takes its end for the limit's, not for damage,
 * and the scan records the limit. */
void ps_input_cut(struct ps_input *in, const char *reason);

/* Read the whole input into memory (at most max bytes, else a limit is
 * hit and PS_ERR_LIMIT returned).  *data is malloc'd. */
enum ps_error ps_input_slurp(struct ps_input *in, uint64_t max,
    unsigned char **data, size_t *len);

struct ps_scan_ctx;                 /* the scan of one file (scan.c) */
struct ps_extract;

/* A member that must be read at random (a nested archive or store) into
 * memory: at most the file's expanded-bytes budget and
 * PS_MAX_NESTED_ARCHIVE.  PS_OK with *data NULL when a limit stopped it
 * (in->limit_hit says which: recorded as partial); PS_ERR_IO with
 * x->reason set; PS_ERR_NOMEM.  *data is malloc'd. */
enum ps_error ps_input_slurp_nested(struct ps_extract *x, unsigned char **data,
    size_t *len);

/* For an extractor that reads the file behind in->fd itself (random
 * access): its size, counted as consumed.  Over in->limit, limit_hit is
 * set and *fits is false; PS_ERR_IO (reason set) when fstat fails.  The
 * extractor makes the descriptor blocking (ps_fd_blocking) before it, or
 * a library, reads it. */
enum ps_error ps_input_whole_file(struct ps_extract *x, bool *fits);

/* A file is opened O_NONBLOCK (a FIFO put in its place must not hang the
 * open), which regular files ignore on most file systems; for those that
 * honour it the flag is cleared on a read's EAGAIN, and before a library
 * reads the descriptor.  True when fd had the flag and has it no more. */
bool ps_fd_blocking(int fd);

struct libdeflate_decompressor;

/* One extraction: what the extractor reads, where it writes, the scan it
 * belongs to, and why it failed when it returns an error. */
struct ps_extract {
	struct ps_input *in;
	struct ps_sink *sink;
	struct ps_scan_ctx *scan;
	unsigned char *buf;             /* scratch of PS_READ_CHUNK bytes */
	struct ps_xml_spare *xml_spare; /* the thread's, or NULL */
	/* The thread's decompressor for zip members; NULL: libzip inflates */
	struct libdeflate_decompressor *inflater;
	char reason[128];               /* why, when returning an error */
};

/*
 * What the XML reader (extract/xml.c) keeps between the parts one thread
 * reads at one nesting level, so that each part does not allocate and
 * grow its queue again: a document has several parts, a thread reads
 * thousands of documents.  Made and freed by the scan.
 */
struct ps_xml_spare;
struct ps_xml_spare *ps_xml_spare_new(void);
void ps_xml_spare_free(struct ps_xml_spare *spare);

/*
 * Scan a child of the input being extracted: an archive member, named
 * name inside it.  Its type is decided from its content; every limit is
 * checked here.  in needs read/ctx (and may set limit); the rest is filled
 * in.  Problems inside the child are recorded on the file (partial) and do
 * not fail the parent: only PS_ERR_NOMEM and PS_ERR_STOP are returned.
 */
enum ps_error ps_extract_child(struct ps_extract *x, const char *name,
    struct ps_input *in);

/*
 * Name a part of the input that is not a byte stream of its own (a folder
 * or a message of a mail store): until ps_extract_leave(), findings and
 * children are under name in the member chain.  PS_OK: call
 * ps_extract_leave() once done.  PS_ERR_LIMIT: nested too deep (recorded
 * as partial; skip the part, do not leave).  PS_ERR_NOMEM.  Like a child,
 * never while a unit is open on the sink.
 */
enum ps_error ps_extract_enter(struct ps_extract *x, const char *name);
void ps_extract_leave(struct ps_extract *x);

/*
 * The expanded-bytes budget of a message of a mail store: a store on disk
 * is no bomb (its bytes are its own, and it may hold gigabytes of
 * attachments), so each of its messages, attached messages included, may
 * expand to the whole --max-expanded, and one that reaches it leaves the
 * next ones their own; inside an archive the messages share what the
 * archive left.  Call ps_extract_message_begin() before a message's
 * parts and ps_extract_message_end() with what it returned after them.
 */
uint64_t ps_extract_message_begin(struct ps_extract *x);
void ps_extract_message_end(struct ps_extract *x, uint64_t saved);

/* Add to the file's counts of mail messages read and failed (a mail store
 * or a message file; recorded on the file, shown in exports). */
void ps_extract_messages(struct ps_extract *x, uint64_t read, uint64_t failed);
/* Alternatives (a mail message's plain text and HTML): the findings so
 * far, before each alternative; after one, drop what it repeats of those
 * found since first (see ps_findings_drop_repeats). */
size_t ps_extract_findings_count(const struct ps_extract *x);
void ps_extract_drop_repeats(struct ps_extract *x, size_t first, size_t from);

/* Record that the file was not fully examined (the first reason is kept
 * for the file): "encrypted", "limit: members", "corrupt: ...". */
void ps_extract_partial(struct ps_extract *x, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Name the file's type more precisely than its MIME type did ("docx" for
 * a zip that holds a Word document); only the outermost level counts. */
void ps_extract_set_type(struct ps_extract *x, const char *type);

/* Limits an extractor needs to know itself (scan.h has all of them). */
uint64_t ps_extract_max_members(const struct ps_extract *x);
unsigned ps_extract_max_ratio(const struct ps_extract *x);
/* The PDF helper's time (seconds) and address space (bytes). */
void ps_extract_pdf_limits(const struct ps_extract *x, unsigned *seconds,
    uint64_t *memory);
/* The expanded-bytes budget left for this file (and a pointer to it for
 * inputs an extractor makes itself). */
uint64_t *ps_extract_budget(struct ps_extract *x);
/* True when the scan is being stopped: extractors should return soon. */
bool ps_extract_stopping(const struct ps_extract *x);

struct ps_extractor {
	const char *type;               /* type id recorded for the file */
	const char *const *mimes;       /* fnmatch(3) patterns, NULL-ended */
	enum ps_error (*extract)(struct ps_extract *x);
};

/* The extractor for a MIME type, or NULL when the type is not opened. */
const struct ps_extractor *ps_extractor_for_mime(const char *mime);
/* The extractor with that type id, or NULL. */
const struct ps_extractor *ps_extractor_by_type(const char *type);
/* The type ids of every format opened, comma-separated ("zip,gzip,..."),
 * cut to cap bytes: part of the rules a file was examined under. */
void ps_extractor_types(char *buf, size_t cap);

/*
 * Packages: zip archives with a known layout (OOXML, ODF).  The zip
 * extractor asks each in turn whether it claims an opened archive; the one
 * that does extracts it instead of the members being scanned one by one.
 */
struct ps_package {
	const char *type;               /* "docx", "xlsx", "odt", ... */
	bool (*claims)(zip_t *za);
	enum ps_error (*extract)(struct ps_extract *x, zip_t *za);
};

/* The package claiming za, or NULL. */
const struct ps_package *ps_package_for(zip_t *za);

/* The formats (extract/ *.c). */
enum ps_error ps_extract_text(struct ps_extract *x);
enum ps_error ps_extract_csv(struct ps_extract *x);
enum ps_error ps_extract_zip(struct ps_extract *x);
enum ps_error ps_extract_gzip(struct ps_extract *x);
enum ps_error ps_extract_pdf(struct ps_extract *x);
enum ps_error ps_extract_ole(struct ps_extract *x);     /* extract/ole.c */
enum ps_error ps_extract_eml(struct ps_extract *x);     /* extract/mime.c */
enum ps_error ps_extract_mbox(struct ps_extract *x);    /* extract/mime.c */
enum ps_error ps_extract_pst(struct ps_extract *x);     /* extract/pst.c */
enum ps_error ps_extract_rtf(struct ps_extract *x);     /* extract/rtf.c */
/* tar, cpio; 7-Zip; RAR; bzip2, xz, lzma, zstd, lz4, compress (extract/archive.c) */
enum ps_error ps_extract_tar(struct ps_extract *x);
enum ps_error ps_extract_7z(struct ps_extract *x);
enum ps_error ps_extract_rar(struct ps_extract *x);
enum ps_error ps_extract_compressed(struct ps_extract *x);

/* The name of the one member of a compressed file: its base name less
 * the suffix (".gz", ".xz", ...; ".tgz", ".txz", ... become ".tar"), or
 * "data" (extract/gzip.c). */
void ps_unpacked_name(const char *name, char *out, size_t cap);

/* Packages (extract/docx.c, xlsx.c, pptx.c, odf.c): claims and extractors
 * for the packages[] table of extract/table.c. */
bool ps_docx_claims(zip_t *za);
enum ps_error ps_extract_docx(struct ps_extract *x, zip_t *za);
bool ps_xlsx_claims(zip_t *za);
enum ps_error ps_extract_xlsx(struct ps_extract *x, zip_t *za);
bool ps_pptx_claims(zip_t *za);
enum ps_error ps_extract_pptx(struct ps_extract *x, zip_t *za);
bool ps_odt_claims(zip_t *za);
enum ps_error ps_extract_odt(struct ps_extract *x, zip_t *za);
bool ps_ods_claims(zip_t *za);
enum ps_error ps_extract_ods(struct ps_extract *x, zip_t *za);
bool ps_odp_claims(zip_t *za);
enum ps_error ps_extract_odp(struct ps_extract *x, zip_t *za);

#endif

/*
 * extract.h - the extractor interface.
 *
 * An extractor turns one input (bytes plus what filetype.c decided about
 * them) into units of UTF-8 text sent to a sink.  It never knows about
 * threads, the matcher or the database.  Formats are listed in one table
 * (extract/table.c); adding a format is a new file and one row there.
 */
#ifndef PS_EXTRACT_H
#define PS_EXTRACT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "piiscan.h"
#include "sink.h"

/*
 * A byte stream being extracted: first the bytes already read to decide
 * the type (head), then the rest from read().  At most `limit` bytes are
 * delivered; reaching it sets truncated, which the scan records as
 * partial.
 */
struct ps_input {
	ssize_t (*read)(void *ctx, void *buf, size_t len); /* -1 + errno on error */
	void *ctx;
	const char *name;               /* file name, for type hints */
	const char *charset;            /* as libmagic reported it, or NULL */
	const unsigned char *head;
	size_t headlen, headpos;
	uint64_t limit, consumed;
	bool truncated;
};

/* Read up to len bytes; 0 at the end (or at the limit), -1 on error with
 * errno set. */
ssize_t ps_input_read(struct ps_input *in, void *buf, size_t len);

/* One extraction: what the extractor reads, where it writes, and where it
 * explains a partial result or an error. */
struct ps_extract {
	struct ps_input *in;
	struct ps_sink *sink;
	unsigned char *buf;             /* scratch of PS_READ_CHUNK bytes */
	char reason[128];               /* why partial / error, set by extractor */
};

struct ps_extractor {
	const char *type;               /* type id recorded for the file */
	const char *const *mimes;       /* fnmatch(3) patterns, NULL-ended */
	enum ps_error (*extract)(struct ps_extract *x);
};

/* The extractor for a MIME type, or NULL when the type is not opened. */
const struct ps_extractor *ps_extractor_for_mime(const char *mime);
/* The extractor with that type id, or NULL. */
const struct ps_extractor *ps_extractor_by_type(const char *type);

/* The formats (extract/ *.c). */
enum ps_error ps_extract_text(struct ps_extract *x);
enum ps_error ps_extract_csv(struct ps_extract *x);

#endif

/*
 * scan.h - scanning one file: open it safely, decide its type, extract its
 * text into the matcher, and describe the outcome in a ps_file_result.
 *
 * This is the one place where extraction starts, so it is where the limits
 * are checked.  A ps_worker holds one thread's tools; it is used by that
 * thread only.  The pattern set, key and config it borrows are shared
 * read-only.
 */
#ifndef PS_SCAN_H
#define PS_SCAN_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>

#include "filetype.h"
#include "finding.h"
#include "match.h"
#include "patterns.h"

struct ps_limits {
	uint64_t max_filesize;   /* bytes read from one file */
};

/* The outcome of one file; produced by a worker, consumed (and freed) by
 * the inventory writer. */
struct ps_file_result {
	char *path;              /* absolute, owned */
	struct stat st;
	bool have_stat;
	bool via_link;           /* path is a symlink the walk follows */
	char type[96];           /* type id, or the MIME type when not opened */
	const char *status;      /* "ok", "partial", "skipped", "error" */
	char reason[160];        /* why partial / skipped / error; "" when ok */
	uint64_t bytes_read;
	struct ps_findings findings;
};

/* Takes ownership of path; NULL when out of memory (path freed). */
struct ps_file_result *ps_file_result_new(char *path);
void ps_file_result_free(struct ps_file_result *r);
/* Set status and a printf-style reason. */
void ps_file_result_set(struct ps_file_result *r, const char *status,
    const char *fmt, ...) __attribute__((format(printf, 3, 4)));

struct ps_worker {
	magic_t magic;
	struct ps_matcher *matcher;
	unsigned char *buf;      /* PS_READ_CHUNK read buffer */
	unsigned char *head;     /* PS_SNIFF_BYTES sniff buffer */
	const struct ps_limits *limits;
};

/* NULL with the cause in why when a tool cannot be made. */
struct ps_worker *ps_worker_new(const struct ps_patterns *set,
    const struct ps_key *key, const struct ps_limits *limits,
    char *why, size_t whylen);
void ps_worker_free(struct ps_worker *w);

/*
 * Scan the regular file r->path, whose lstat is r->st.  Never fails as a
 * whole: every problem is written into r (status and reason); only running
 * out of memory is returned.
 */
enum ps_error ps_scan_file(struct ps_worker *w, struct ps_file_result *r);

#endif

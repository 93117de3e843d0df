/*
 * scan.h - scanning one file: open it safely, decide its type, extract its
 * text (and its members', recursively) into the matcher, and describe the
 * outcome in a ps_file_result.
 *
 * This is the one place where extraction starts, for a file and for every
 * child inside it (ps_extract_child), so it is where the limits are
 * checked.  A ps_worker holds one thread's tools; it is used by that
 * thread only.  The pattern set, key and limits it borrows are shared
 * read-only.
 */
#ifndef PS_SCAN_H
#define PS_SCAN_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>

#include "filetype.h"
#include "finding.h"
#include "match.h"
#include "patterns.h"

/* Defaults in the spirit of ClamAV's (libclamav/default.h). */
#define PS_DEFAULT_MAX_EXPANDED  ((uint64_t)400 << 20)
#define PS_DEFAULT_MAX_DEPTH     17
#define PS_DEFAULT_MAX_MEMBERS   10000
#define PS_DEFAULT_MAX_RATIO     200
/* A member must produce this much before its ratio is judged. */
#define PS_RATIO_FLOOR           ((uint64_t)1 << 20)
/* Largest archive member held in memory to be opened as an archive. */
#define PS_MAX_NESTED_ARCHIVE    ((uint64_t)256 << 20)
/* The PDF helper (extract/pdf.c): seconds of wall-clock and CPU time,
 * and bytes of address space, per document. */
#define PS_DEFAULT_MAX_PDF_TIME    30
#define PS_DEFAULT_MAX_PDF_MEMORY  ((uint64_t)512 << 20)

struct ps_limits {
	uint64_t max_filesize;   /* bytes read from one file on disk */
	uint64_t max_expanded;   /* bytes produced from its archives, all levels */
	unsigned max_depth;      /* archive nesting */
	uint64_t max_members;    /* members opened per archive */
	unsigned max_ratio;      /* bytes produced per compressed byte, per member */
	unsigned max_pdf_time;   /* seconds per PDF document (0: the default) */
	uint64_t max_pdf_memory; /* address space of its helper (0: the default) */
};

/*
 * What the scan of each file is measured against, to decide whether a
 * file changed since the inventory last saw it (incremental rescans) or
 * was already done by this scan (a resumed one).
 */
struct ps_lookup;
struct ps_prior;
struct ps_plan {
	const struct ps_lookup *known; /* the inventory's files; NULL: read all */
	int64_t scan_id;
	const char *rules;       /* digest of patterns, key and limits */
	bool full;               /* --full: read every file again */
};

/* The inventory's id of the regular file at path, whose lstat is st, when
 * the plan finds it unchanged with nothing to record but this scan (no
 * findings, not read since): a rescan's walk then hands the writer that
 * id alone, without opening the file.  0 otherwise.  *prior: what the
 * inventory holds of path (NULL: nothing), for the file's scan. */
int64_t ps_plan_carry_in_bulk(const struct ps_plan *plan, const char *path,
    const struct stat *st, const struct ps_prior **prior);

/* The outcome of one file; produced by a worker, consumed (and freed) by
 * the inventory writer. */
struct ps_file_result {
	char *path;              /* absolute, owned */
	int dirfd;               /* the directory it is listed in, open, or -1:
	                          * opened by name there, not by path */
	bool looked_up;          /* the walk asked the plan: prior is the answer */
	const struct ps_prior *prior;
	struct stat st;
	bool have_stat;
	bool via_link;           /* path is a symlink the walk follows */
	bool new_path;           /* the inventory held no row of it at the start */
	bool carry;              /* unchanged: findings carried from prior_scan */
	bool carry_in_bulk;      /* ...with nothing to copy or update but the
	                          * scan it was seen in (done in bulk) */
	bool done;               /* already recorded by this (resumed) scan */
	bool atime_touched;      /* opened without O_NOATIME (not permitted) */
	int64_t prior_file_id, prior_scan, prior_findings;
	char type[96];           /* type id, or the MIME type when not opened */
	const char *status;      /* "ok", "partial", "skipped", "error" */
	char reason[160];        /* why partial / skipped / error; "" when ok */
	uint64_t bytes_read;
	/* A mail store's (or message's) messages read and failed; -1 when
	 * the file holds no mail. */
	int64_t messages, messages_failed;
	struct ps_findings findings;
};

/* Takes ownership of path; NULL when out of memory (path freed). */
struct ps_file_result *ps_file_result_new(char *path);
void ps_file_result_free(struct ps_file_result *r);
/* Set status and a printf-style reason. */
void ps_file_result_set(struct ps_file_result *r, const char *status,
    const char *fmt, ...) __attribute__((format(printf, 3, 4)));

struct libdeflate_decompressor;

/* Buffers of one nesting level: a parent keeps reading its own while a
 * child reads into the next level's. */
struct ps_level {
	unsigned char *head;     /* PS_SNIFF_BYTES */
	unsigned char *buf;      /* PS_READ_CHUNK */
	struct ps_xml_spare *xml_spare;
	struct libdeflate_decompressor *inflater;
};

struct ps_worker {
	magic_t magic;
	const struct ps_plan *plan;
	struct ps_matcher *matcher;
	struct ps_level *levels; /* levels[0] for files, [d] at depth d */
	size_t nlevels;
	const struct ps_limits *limits;
	atomic_bool *stop;       /* set when the scan is being stopped */
};

/* NULL with the cause in why when a tool cannot be made. */
struct ps_worker *ps_worker_new(const struct ps_patterns *set,
    const struct ps_key *key, const struct ps_limits *limits,
    const struct ps_plan *plan, atomic_bool *stop, char *why, size_t whylen);
void ps_worker_free(struct ps_worker *w);

/*
 * Scan the regular file r->path, whose lstat (or stat, via_link) is r->st.
 * A file the plan finds unchanged is not opened: r->carry is set.  Never
 * fails as a whole: every problem is written into r (status and reason);
 * only running out of memory is returned.
 */
enum ps_error ps_scan_file(struct ps_worker *w, struct ps_file_result *r);
/*
 * Scan len bytes at data as the content of a file named r->path: by the
 * extractor of `type` ("text", "zip", "docx"...), or, when type is NULL,
 * by the one its content calls for.  For the fuzz targets, and for
 * content that is not a file of its own.
 */
enum ps_error ps_scan_buffer(struct ps_worker *w, struct ps_file_result *r,
    const void *data, size_t len, const char *type);

#endif

/*
 * inventory.h - the SQLite inventory: the only code that speaks SQL.
 *
 * Writing: during a scan one writer thread owns the connection
 * (writer.c); it puts files in batched transactions with prepared
 * statements.  Reading: report, export and scans open their own
 * connection and walk rows through callbacks.  A connection is used by one
 * thread at a time.
 *
 * Stored per finding: type, confidence, masked value, keyed hash, where.
 * Never stored: a raw value, an unkeyed hash of one, or text around it.
 */
#ifndef PS_INVENTORY_H
#define PS_INVENTORY_H

#include <stdbool.h>
#include <stdint.h>

#include "piiscan.h"
#include "scan.h"

#define PS_SCHEMA_VERSION 8

struct ps_inventory;

/* Once, before any other inventory call (main thread). */
void ps_inventory_init(void);

/* How to open: PS_INV_WRITE makes the file (mode 0600) and the schema
 * when missing and takes the writer lock first (PS_INV_WAIT: wait for
 * it rather than fail); without it the inventory must exist. */
#define PS_INV_WRITE 1
#define PS_INV_WAIT  2
#define PS_INV_URI   4  /* SQLite URI file names may be attached (merge) */
/* On error the cause is in why. */
enum ps_error ps_inventory_open(const char *path, int how,
    struct ps_inventory **out, char *why, size_t whylen);
void ps_inventory_close(struct ps_inventory *inv);
/* The last SQLite error message of this connection. */
const char *ps_inventory_errmsg(const struct ps_inventory *inv);

/* What a scan row holds. Strings owned by the row (ps_scan_row_clear). */
struct ps_scan_row {
	int64_t id;
	int64_t started, finished;  /* seconds since the epoch; 0 if unset */
	char *status;               /* running, finished, interrupted, failed */
	char *roots;                /* JSON array of the roots */
	char *options;              /* JSON object of the options */
	char *version;
	char *patterns_sha256;
	char *rules;                /* digest of what decides the findings */
	char *key_id;               /* keyed fingerprint of the key, never the key */
	char *host, *user;          /* where and by whom the scan ran */
	char *uid;                  /* 32 random hex digits made at scan time:
	                             * the scan's identity when merged */
	char *estate;               /* the estate scan it is part of, or NULL */
	char *shard;                /* "K/N" when it scanned one shard, or NULL */
	int64_t shard_depth;        /* --shard-depth of a shard scan */
	int64_t files, bytes, findings, errors, skipped, partial, gone;
	int64_t atime_touched;      /* files whose access time may have changed */
	/* Read back (scan_get) for a scan of an estate: the scans that make
	 * it up together, as "5,6,7,8", and how many they are; totals, times
	 * and status above are then theirs together. */
	char *scan_ids;
	int64_t nscans;
	int64_t shards_seen, shards_total;  /* slots covered; N, or 0 */
};
void ps_scan_row_clear(struct ps_scan_row *row);

/* --- writing (one writer thread) --- */

/* Start a new scan (its id into row->id); it becomes the current one. */
enum ps_error ps_inventory_scan_begin(struct ps_inventory *inv,
    struct ps_scan_row *row);
/* When the latest scan was cut short (running or interrupted) with the
 * same roots, options and rules as want, make it current again and set
 * *id; else *id = 0. */
enum ps_error ps_inventory_resumable(struct ps_inventory *inv,
    const struct ps_scan_row *want, int64_t *id);
enum ps_error ps_inventory_set_current(struct ps_inventory *inv,
    int64_t scan_id, const char *rules);
/* Record one file of the current scan, with its findings (or, for an
 * unchanged file, the findings carried from its last scan), in the
 * current batch. */
enum ps_error ps_inventory_put_file(struct ps_inventory *inv,
    const struct ps_file_result *r);
/* Files new to the inventory (r->new_path) that put_new_files records
 * with one statement: a caller gathers this many before calling it. */
#define PS_FILES_PER_INSERT 32
/* Record n files of the current scan that are new to the inventory
 * (r->new_path, not carried), with their findings, in the current batch:
 * PS_FILES_PER_INSERT rows a statement, the rest as put_file does; a
 * path there after all is updated as put_file would. */
enum ps_error ps_inventory_put_new_files(struct ps_inventory *inv,
    struct ps_file_result *const *r, size_t n);
/* Record unchanged files that put_file was not given (carried without
 * findings or attributes to update) as seen by the current scan, in the
 * current batch: one statement per run of consecutive ids; sorts ids. */
enum ps_error ps_inventory_carry_unchanged(struct ps_inventory *inv,
    int64_t *ids, size_t n);
/* Mark files gone in the current scan. */
enum ps_error ps_inventory_mark_gone(struct ps_inventory *inv,
    const int64_t *ids, size_t n);
/* Begin / commit a batch of put_file calls. */
enum ps_error ps_inventory_batch_begin(struct ps_inventory *inv);
enum ps_error ps_inventory_batch_commit(struct ps_inventory *inv);
void ps_inventory_batch_rollback(struct ps_inventory *inv);
/* Make the index of findings by value again if the scan's writer dropped
 * it to write many findings faster (see inventory.c), or a scan killed
 * before its end left it dropped; no-op when it is there. */
enum ps_error ps_inventory_index_values(struct ps_inventory *inv);
/* What decides a scan's exit status. */
struct ps_scan_outcome {
	int64_t reportable;         /* findings at medium or higher */
	int64_t incomplete;         /* files partial, in error, or of a type
	                             * not opened */
};
/* Store status and end time; count the scan's totals from its rows into
 * the scan record and into row, and its outcome. */
enum ps_error ps_inventory_scan_end(struct ps_inventory *inv,
    struct ps_scan_row *row, int64_t atime_touched,
    struct ps_scan_outcome *outcome);

/* Record that an export was made (chain of custody). */
enum ps_error ps_inventory_record_export(struct ps_inventory *inv,
    int64_t scan_id, const char *format, const char *path, const char *sha256,
    const char *user, const char *host);

/* --- merging (inventory_merge.c) --- */

#define PS_MERGE_KEY_LEN 65
struct ps_merge_stats {
	int64_t scans_added, scans_updated, scans_known;
	int64_t files;              /* file rows of the input */
	int64_t findings, reviews, exports;  /* rows added */
};
/*
 * Merge the inventory at path (opened read-only) into inv, opened with
 * PS_INV_WRITE | PS_INV_URI, in one transaction.  key holds the key
 * fingerprint the inputs must share ("" at first: then that of inv's
 * scans, or of the first input that has one).  On failure the cause is
 * in why: PS_ERR_CORRUPT not an inventory of this schema, PS_ERR_KEY
 * made with another key, PS_ERR_DB otherwise.
 */
enum ps_error ps_inventory_merge(struct ps_inventory *inv, const char *path,
    char key[PS_MERGE_KEY_LEN], struct ps_merge_stats *stats, char *why,
    size_t whylen);

/* --- reading --- */

/* The scan with that id, or the latest when id is 0.  PS_ERR_DB with an
 * empty errmsg when there is none. */
enum ps_error ps_inventory_scan_get(struct ps_inventory *inv, int64_t id,
    struct ps_scan_row *row, bool *found);
enum ps_error ps_inventory_scans_each(struct ps_inventory *inv,
    int (*fn)(void *ctx, const struct ps_scan_row *row), void *ctx);

/* What a reading command shows: one scan's findings, narrowed. */
struct ps_filter {
	int64_t scan_id;
	enum ps_confidence min_conf;
	const char *type;           /* one type id, or NULL for all */
	const char *path_prefix;    /* leading bytes of the path, or NULL */
	bool include_reviewed;      /* keep findings marked false-positive or
				     * test-data (left out by default) */
};

struct ps_file_row {
	const unsigned char *path;  /* bytes, not NUL-terminated */
	size_t path_len;
	int64_t size, mtime, atime;
	const char *owner, *type, *status, *error;
	int64_t findings;
	int64_t messages, messages_failed;  /* -1 when not mail */
};
/* Files the scan saw (filter: scan and path prefix), by path. */
enum ps_error ps_inventory_files_each(struct ps_inventory *inv,
    const struct ps_filter *filter,
    int (*fn)(void *ctx, const struct ps_file_row *row), void *ctx);

struct ps_finding_row {
	int64_t id, scan_id;
	const unsigned char *path;
	size_t path_len;
	const unsigned char *member;
	size_t member_len;
	const char *where, *type, *masked, *value_hash;
	enum ps_confidence confidence;
	const char *owner, *file_status;
	const char *review;         /* the latest review mark, or "" */
	int64_t size, mtime;
};
/* The findings the filter selects, by path and order found. */
enum ps_error ps_inventory_findings_each(struct ps_inventory *inv,
    const struct ps_filter *filter,
    int (*fn)(void *ctx, const struct ps_finding_row *row), void *ctx);

/* Rows of an aggregate query for report: up to two text columns, a blob
 * and a count.  Which query is chosen by `what`. */
enum ps_report_query {
	PS_Q_STATUS,        /* status, reason, -, files */
	PS_Q_BY_TYPE,       /* type, confidence name, -, findings */
	PS_Q_DISTINCT,      /* type, -, -, distinct value hashes */
	PS_Q_FILE_COUNTS,   /* -, -, path, findings (files with findings) */
	PS_Q_BY_OWNER,      /* owner, -, -, findings */
	PS_Q_BY_FILETYPE,   /* file type, -, -, files with findings */
	PS_Q_BY_YEAR,       /* year of mtime, -, -, files with findings */
	PS_Q_COUNT,         /* reviewed findings left out, -, -, findings shown */
};
struct ps_agg_row {
	const char *a, *b;
	const unsigned char *blob;
	size_t blob_len;
	int64_t count;
};
enum ps_error ps_inventory_aggregate(struct ps_inventory *inv,
    enum ps_report_query what, const struct ps_filter *filter,
    int (*fn)(void *ctx, const struct ps_agg_row *row), void *ctx);

/* --- review marks (inventory_review.c) --- */

/* A person's decision; the status is one of false-positive, test-data,
 * confirmed, remediated. */
struct ps_review {
	const char *status, *reason, *by;
};

/* Mark one finding (by id; the mark names it by path, member, place and
 * hash, so it holds across rescans), every finding in a file, or every
 * finding of a value.  *found is false when there is no such target. */
enum ps_error ps_inventory_mark_finding(struct ps_inventory *inv,
    int64_t finding_id, const struct ps_review *rv, bool *found);
enum ps_error ps_inventory_mark_file(struct ps_inventory *inv, const char *path,
    const struct ps_review *rv, bool *found);
enum ps_error ps_inventory_mark_value(struct ps_inventory *inv,
    const char *value_hash, const struct ps_review *rv, bool *found);

struct ps_review_row {
	int64_t id, at;
	const char *kind, *where, *value_hash, *status, *reason, *by;
	const unsigned char *path, *member;
	size_t path_len, member_len;
};
enum ps_error ps_inventory_reviews_each(struct ps_inventory *inv,
    int (*fn)(void *ctx, const struct ps_review_row *row), void *ctx);

/* --- what the inventory knows of the files under a scan's roots --- */

struct ps_lookup;

/* What the inventory holds of a path. */
struct ps_prior {
	int64_t file_id, last_scan;
	int64_t dev, ino, size, mtime_ns, ctime_ns, atime;
	int64_t findings;
	char status[12];
	bool same_rules;            /* recorded under the rules given to load */
};

/* Load every file at or under the roots into memory (a rescan's workers
 * look up each file they meet); rules is the scan's rules digest. */
enum ps_error ps_lookup_load(struct ps_inventory *inv, char *const *roots,
    size_t nroots, const char *rules, struct ps_lookup **out);
void ps_lookup_free(struct ps_lookup *lk);
size_t ps_lookup_count(const struct ps_lookup *lk);
/* What the inventory holds of path, NULL if nothing; the path counts as
 * seen by this scan from then on.  Safe from many threads. */
const struct ps_prior *ps_lookup_file(const struct ps_lookup *lk,
    const char *path);
/* Call fn for each loaded file that was never looked up and is not gone
 * already (when the walk is over: the files it did not meet); stops at,
 * and returns, fn's first non-zero result. */
int ps_lookup_unseen_each(const struct ps_lookup *lk,
    int (*fn)(void *ctx, int64_t file_id, const char *path), void *ctx);

/* --- stale and lookup (inventory_values.c) --- */

/* Which time of a file stale compares with its cut-off. */
enum ps_file_time { PS_BY_MTIME, PS_BY_ATIME };

/* One type's findings in one file.  Pointers live until fn returns. */
struct ps_stale_row {
	int64_t file_id;
	const unsigned char *path;  /* bytes, not NUL-terminated */
	size_t path_len;
	const char *owner;          /* "" when unknown */
	int64_t size, mtime, atime;
	const char *type;
	int64_t count;              /* findings of that type in the file */
};
/* The findings the filter selects in files whose mtime (or atime) is
 * before `before` (seconds since the epoch), counted per file and type:
 * oldest file first, then by path; a file's rows are consecutive, by type. */
enum ps_error ps_inventory_stale_each(struct ps_inventory *inv,
    const struct ps_filter *filter, enum ps_file_time by, int64_t before,
    int (*fn)(void *ctx, const struct ps_stale_row *row), void *ctx);

/* A place where one value hash was found.  Pointers live until fn returns. */
struct ps_place_row {
	int64_t scan_id;            /* the scan it is shown from */
	const unsigned char *path;
	size_t path_len;
	const unsigned char *member;
	size_t member_len;
	const char *where, *type, *masked;
	enum ps_confidence confidence;
	int64_t first_scan, last_scan;  /* earliest and latest scan it was in */
	int64_t first_seen, last_seen;  /* their start times */
	const char *review;         /* the latest review mark, or "" */
};
/* The places (file, member, where) where value_hash was found in scan
 * scan_id, or in any scan when scan_id is 0 (each then shown from the
 * latest scan it was found in); by path and order found. */
enum ps_error ps_inventory_places_each(struct ps_inventory *inv,
    const char *value_hash, int64_t scan_id,
    int (*fn)(void *ctx, const struct ps_place_row *row), void *ctx);

#endif

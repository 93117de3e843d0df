/*
 * inventory_private.h - the connection object and the SQL the inventory
 * files share (inventory.c, inventory_read.c, inventory_values.c,
 * inventory_review.c, inventory_lookup.c); nothing outside them includes it.
 */
#ifndef PS_INVENTORY_PRIVATE_H
#define PS_INVENTORY_PRIVATE_H

#include <sqlite3.h>
#include <stdbool.h>

#define PS_NAME_CACHE 64

struct ps_name_cache_entry {
	unsigned id;
	char *name;
};

/* Rows x of finding_rows that hold the value :hash, found through the
 * index on the first 8 hex digits of value_hash.  The + keeps SQLite
 * from putting the constant in place of value_hash inside the indexed
 * expression, which would leave the index unused. */
#define X_HOLDS_VALUE \
	"substr(x.value_hash, 1, 8) = substr(:hash, 1, 8) AND +x.value_hash = :hash"

/* The index of findings by value (X_HOLDS_VALUE), in the schema, and made
 * again after a scan or merge that put it off to write many findings. */
#define VALUE_INDEX "CREATE INDEX IF NOT EXISTS findings_value_prefix" \
	"  ON finding_rows(substr(value_hash, 1, 8))"
#define DEFER_INDEX_FLOOR 50000

/* How many findings written make it worth dropping the value index of
 * an inventory of rows findings, to make it again from all of them. */
int64_t ps_defer_index_at(int64_t rows);

struct ps_inventory {
	sqlite3 *db;
	/* Writer statements, prepared on first use. */
	sqlite3_stmt *upsert_file, *insert_file, *file_id, *delete_findings, *insert_finding;
	sqlite3_stmt *insert_findings;  /* FINDINGS_PER_INSERT at once */
	sqlite3_stmt *insert_files;     /* PS_FILES_PER_INSERT at once */
	sqlite3_stmt *file_path;        /* the path of a file id */
	sqlite3_stmt *mark_test_value;
	sqlite3_stmt *carry_findings, *carry_file, *carry_range;
	int64_t scan_id;            /* the scan being written */
	bool resumed;               /* ...taken up again: it may hold rows */
	/* Findings the writer has put in, and how many make it drop the
	 * value index to build it again at the end (see defer_value_index). */
	int64_t findings_put, defer_index_at;
	bool value_index_deferred;  /* dropped; ps_inventory_index_values */
	char rules[40];             /* its rules digest */
	int lock_fd;                /* the writer lock, or -1 */
	struct ps_name_cache_entry users[PS_NAME_CACHE], groups[PS_NAME_CACHE];
	/* Names pushed out of the cache that a statement may still hold
	 * (see cached_name). */
	char **retired;
	size_t nretired, cap_retired;
};

/*
 * The filter of the reading commands, in SQL over findings x joined to
 * files f, with named parameters bound by ps_inventory_bind_filter():
 * report, export, stale and the HTML page select exactly the same
 * findings.
 */
/* The latest review mark of finding x in file f: of the value anywhere,
 * of the file, or of this very finding (kept across rescans, which give
 * findings new ids).
 */
#define REVIEW_OF_X \
	"(SELECT r.status FROM reviews r WHERE" \
	" (r.kind = 'value' AND r.value_hash = x.value_hash)" \
	" OR (r.kind = 'file' AND r.path = f.path)" \
	" OR (r.kind = 'finding' AND r.path = f.path AND r.member = x.member" \
	"  AND r.location = x.location AND r.value_hash = x.value_hash)" \
	" ORDER BY r.marked_at DESC, r.id DESC LIMIT 1)"

/*
 * The scans that the reading commands show as scan :scan.  A scan of no
 * estate is alone.  A scan of an estate (scan --estate, or a shard scan)
 * is shown with the other scans of its estate: for each slot (roots,
 * shard and shard depth) other than its own, the latest scan of that
 * slot, so that a shard scanned again replaces its earlier scan and each
 * file is counted once.  Latest means started last, then the higher id.
 */
#define SAME_SLOT(a, b) \
	a ".roots = " b ".roots AND " a ".shard IS " b ".shard" \
	" AND " a ".shard_depth IS " b ".shard_depth"
#define SCAN_SET \
	"(SELECT t.id FROM scans s JOIN scans t ON t.id = s.id" \
	" OR (t.estate = s.estate AND NOT (" SAME_SLOT("t", "s") ")" \
	"  AND NOT EXISTS (SELECT 1 FROM scans u WHERE u.estate = t.estate" \
	"   AND " SAME_SLOT("u", "t") " AND (u.started > t.started" \
	"    OR (u.started = t.started AND u.id > t.id))))" \
	" WHERE s.id = :scan)"

/* The path prefix names a file or a directory: the path itself, or paths
 * under it (/srv/hr selects /srv/hr/a, not /srv/hr2). */
#define PATH_FILTER \
	" (:prefix IS NULL OR f.path = :prefix" \
	"  OR substr(f.path, 1, length(:under)) = :under)"

/* Findings x of files f that the filter selects. */
#define FINDING_FILTER \
	" x.scan_id IN " SCAN_SET " AND x.confidence >= :conf" \
	" AND (:type IS NULL OR x.type = :type) AND" PATH_FILTER \
	" AND (:reviewed OR coalesce(" REVIEW_OF_X ", '')" \
	"  NOT IN ('false-positive', 'test-data'))"

void ps_inventory_bind_filter(sqlite3_stmt *st, const struct ps_filter *f);
/* Column i as text, "" for NULL. */
const char *ps_inventory_column_str(sqlite3_stmt *st, int i);

#endif

/*
 * inventory_values.c - the queries behind stale (files with findings past
 * an age) and lookup (the places a keyed value hash was found).
 */
#include "config.h"

#include "inventory.h"
#include "inventory_private.h"

#include <string.h>


/* --- stale ------------------------------------------------------------- */

/* One row per file and type; a file with no recorded time is never
 * older than anything. */
#define STALE_SQL(TIME) \
	"SELECT f.id, f.path, coalesce(f.owner, ''), coalesce(f.size, 0)," \
	" coalesce(f.mtime, 0), coalesce(f.atime, 0), x.type, count(*)" \
	" FROM findings x JOIN files f ON f.id = x.file_id" \
	" WHERE" FINDING_FILTER " AND f." TIME " < :before" \
	" GROUP BY f.id, x.type ORDER BY f." TIME ", f.path, x.type"

enum ps_error
ps_inventory_stale_each(struct ps_inventory *inv, const struct ps_filter *filter,
    enum ps_file_time by, int64_t before,
    int (*fn)(void *ctx, const struct ps_stale_row *row), void *ctx)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (sqlite3_prepare_v2(inv->db, by == PS_BY_ATIME ? STALE_SQL("atime")
		: STALE_SQL("mtime"), -1, &st, NULL) != SQLITE_OK)
		return PS_ERR_DB;
	ps_inventory_bind_filter(st, filter);
	sqlite3_bind_int64(st, sqlite3_bind_parameter_index(st, ":before"), before);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct ps_stale_row row;

		row.file_id = sqlite3_column_int64(st, 0);
		row.path = sqlite3_column_blob(st, 1);
		row.path_len = (size_t)sqlite3_column_bytes(st, 1);
		row.owner = ps_inventory_column_str(st, 2);
		row.size = sqlite3_column_int64(st, 3);
		row.mtime = sqlite3_column_int64(st, 4);
		row.atime = sqlite3_column_int64(st, 5);
		row.type = ps_inventory_column_str(st, 6);
		row.count = sqlite3_column_int64(st, 7);
		if (fn(ctx, &row))
			break;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? PS_OK : PS_ERR_DB;
}

/* --- lookup ------------------------------------------------------------ */

/*
 * Places (file, member, where) of one value hash: those of scan :scan, or
 * of every scan when :scan is 0 (then the latest scan each was found in).
 * First and last seen are over the whole history of the place.  The
 * review mark is the one report and export apply, through x and f.
 */
static const char places_sql[] =
	/* The view findings, for this value only: its rows as recorded and
	 * as carried by later scans. */
	"WITH v AS ("
	"  SELECT x.id, x.scan_id, x.file_id, x.member, x.location, x.type,"
	"   x.confidence, x.masked, x.value_hash"
	"  FROM finding_rows x WHERE " X_HOLDS_VALUE
	"  UNION ALL"
	"  SELECT x.id, c.scan_id, x.file_id, x.member, x.location, x.type,"
	"   x.confidence, x.masked, x.value_hash"
	"  FROM finding_rows x JOIN carried c"
	"   ON c.from_scan = x.scan_id AND c.file_id = x.file_id"
	"  WHERE " X_HOLDS_VALUE "),"
	" p AS ("
	"  SELECT file_id, member, location, type, value_hash,"
	"   max(confidence) AS confidence, max(masked) AS masked,"
	"   max(scan_id) AS scan_id, min(id) AS first_id"
	"  FROM v WHERE :scan = 0 OR scan_id IN " SCAN_SET
	"  GROUP BY file_id, member, location, type),"
	" seen AS ("
	"  SELECT file_id, member, location, min(scan_id) AS first_scan,"
	"   max(scan_id) AS last_scan"
	"  FROM v GROUP BY file_id, member, location)"
	" SELECT x.scan_id, f.path, x.member, x.location, x.type, x.confidence,"
	"  x.masked, s.first_scan, s.last_scan,"
	"  coalesce((SELECT started FROM scans WHERE id = s.first_scan), 0),"
	"  coalesce((SELECT started FROM scans WHERE id = s.last_scan), 0),"
	"  coalesce(" REVIEW_OF_X ", '')"
	" FROM p x JOIN files f ON f.id = x.file_id"
	" JOIN seen s ON s.file_id = x.file_id AND s.member = x.member"
	"  AND s.location = x.location"
	" ORDER BY f.path, x.member, x.first_id";

enum ps_error
ps_inventory_places_each(struct ps_inventory *inv, const char *value_hash,
    int64_t scan_id, int (*fn)(void *ctx, const struct ps_place_row *row),
    void *ctx)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (sqlite3_prepare_v2(inv->db, places_sql, -1, &st, NULL) != SQLITE_OK)
		return PS_ERR_DB;
	sqlite3_bind_text(st, sqlite3_bind_parameter_index(st, ":hash"),
	    value_hash, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, sqlite3_bind_parameter_index(st, ":scan"), scan_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct ps_place_row row;

		row.scan_id = sqlite3_column_int64(st, 0);
		row.path = sqlite3_column_blob(st, 1);
		row.path_len = (size_t)sqlite3_column_bytes(st, 1);
		row.member = sqlite3_column_blob(st, 2);
		row.member_len = (size_t)sqlite3_column_bytes(st, 2);
		row.where = ps_inventory_column_str(st, 3);
		row.type = ps_inventory_column_str(st, 4);
		row.confidence = (enum ps_confidence)sqlite3_column_int(st, 5);
		row.masked = ps_inventory_column_str(st, 6);
		row.first_scan = sqlite3_column_int64(st, 7);
		row.last_scan = sqlite3_column_int64(st, 8);
		row.first_seen = sqlite3_column_int64(st, 9);
		row.last_seen = sqlite3_column_int64(st, 10);
		row.review = ps_inventory_column_str(st, 11);
		if (fn(ctx, &row))
			break;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? PS_OK : PS_ERR_DB;
}

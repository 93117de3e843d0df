/*
 * inventory_read.c - the queries behind report, export and scans.
 */
#include "config.h"

#include "inventory.h"
#include "inventory_private.h"

#include <stdlib.h>
#include <string.h>

static char *
column_dup(sqlite3_stmt *st, int i)
{
	const unsigned char *s = sqlite3_column_text(st, i);

	return s != NULL ? strdup((const char *)s) : NULL;
}

static const char *
column_str(sqlite3_stmt *st, int i)
{
	const unsigned char *s = sqlite3_column_text(st, i);

	return s != NULL ? (const char *)s : "";
}

#define SCAN_COLUMNS \
	"id, started, coalesce(finished, 0), status, roots, options, version," \
	" patterns_sha256, files, bytes, findings, errors, skipped, partial," \
	" coalesce(rules, ''), coalesce(key_id, ''), gone, atime_touched"

static void
read_scan_row(sqlite3_stmt *st, struct ps_scan_row *row)
{
	row->id = sqlite3_column_int64(st, 0);
	row->started = sqlite3_column_int64(st, 1);
	row->finished = sqlite3_column_int64(st, 2);
	row->status = column_dup(st, 3);
	row->roots = column_dup(st, 4);
	row->options = column_dup(st, 5);
	row->version = column_dup(st, 6);
	row->patterns_sha256 = column_dup(st, 7);
	row->files = sqlite3_column_int64(st, 8);
	row->bytes = sqlite3_column_int64(st, 9);
	row->findings = sqlite3_column_int64(st, 10);
	row->errors = sqlite3_column_int64(st, 11);
	row->skipped = sqlite3_column_int64(st, 12);
	row->partial = sqlite3_column_int64(st, 13);
	row->rules = column_dup(st, 14);
	row->key_id = column_dup(st, 15);
	row->gone = sqlite3_column_int64(st, 16);
	row->atime_touched = sqlite3_column_int64(st, 17);
}

enum ps_error
ps_inventory_scan_get(struct ps_inventory *inv, int64_t id,
    struct ps_scan_row *row, bool *found)
{
	sqlite3_stmt *st = NULL;
	enum ps_error err = PS_ERR_DB;
	int rc;

	*found = false;
	if (sqlite3_prepare_v2(inv->db, id > 0
		? "SELECT " SCAN_COLUMNS " FROM scans WHERE id = ?1"
		: "SELECT " SCAN_COLUMNS " FROM scans ORDER BY id DESC LIMIT 1",
		-1, &st, NULL) != SQLITE_OK)
		return PS_ERR_DB;
	if (id > 0)
		sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		read_scan_row(st, row);
		*found = true;
	}
	if (rc == SQLITE_ROW || rc == SQLITE_DONE)
		err = PS_OK;
	sqlite3_finalize(st);
	return err;
}

enum ps_error
ps_inventory_scans_each(struct ps_inventory *inv,
    int (*fn)(void *ctx, const struct ps_scan_row *row), void *ctx)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (sqlite3_prepare_v2(inv->db, "SELECT " SCAN_COLUMNS
		" FROM scans ORDER BY id", -1, &st, NULL) != SQLITE_OK)
		return PS_ERR_DB;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct ps_scan_row row = { 0 };
		int stop;

		read_scan_row(st, &row);
		stop = fn(ctx, &row);
		ps_scan_row_clear(&row);
		if (stop)
			break;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? PS_OK : PS_ERR_DB;
}

enum ps_error
ps_inventory_files_each(struct ps_inventory *inv, int64_t scan_id,
    int (*fn)(void *ctx, const struct ps_file_row *row), void *ctx)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (sqlite3_prepare_v2(inv->db,
		"SELECT path, coalesce(size, 0), coalesce(mtime, 0), owner, type,"
		" status, error, findings FROM files WHERE last_scan = ?1"
		" ORDER BY path", -1, &st, NULL) != SQLITE_OK)
		return PS_ERR_DB;
	sqlite3_bind_int64(st, 1, scan_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct ps_file_row row;

		row.path = sqlite3_column_blob(st, 0);
		row.path_len = (size_t)sqlite3_column_bytes(st, 0);
		row.size = sqlite3_column_int64(st, 1);
		row.mtime = sqlite3_column_int64(st, 2);
		row.owner = column_str(st, 3);
		row.type = column_str(st, 4);
		row.status = column_str(st, 5);
		row.error = column_str(st, 6);
		row.findings = sqlite3_column_int64(st, 7);
		if (fn(ctx, &row))
			break;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? PS_OK : PS_ERR_DB;
}

enum ps_error
ps_inventory_findings_each(struct ps_inventory *inv, int64_t scan_id,
    enum ps_confidence min_conf,
    int (*fn)(void *ctx, const struct ps_finding_row *row), void *ctx)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (sqlite3_prepare_v2(inv->db,
		"SELECT f.path, x.member, x.location, x.type, x.confidence, x.masked,"
		" x.value_hash FROM findings x JOIN files f ON f.id = x.file_id"
		" WHERE x.scan_id = ?1 AND x.confidence >= ?2"
		" ORDER BY f.path, x.id", -1, &st, NULL) != SQLITE_OK)
		return PS_ERR_DB;
	sqlite3_bind_int64(st, 1, scan_id);
	sqlite3_bind_int(st, 2, (int)min_conf);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct ps_finding_row row;

		row.path = sqlite3_column_blob(st, 0);
		row.path_len = (size_t)sqlite3_column_bytes(st, 0);
		row.member = sqlite3_column_blob(st, 1);
		row.member_len = (size_t)sqlite3_column_bytes(st, 1);
		row.where = column_str(st, 2);
		row.type = column_str(st, 3);
		row.confidence = (enum ps_confidence)sqlite3_column_int(st, 4);
		row.masked = column_str(st, 5);
		row.value_hash = column_str(st, 6);
		if (fn(ctx, &row))
			break;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? PS_OK : PS_ERR_DB;
}

static const char *const aggregate_sql[] = {
	[PS_Q_STATUS] =
	    "SELECT status, coalesce(error, ''), NULL, count(*) FROM files"
	    " WHERE last_scan = ?1 GROUP BY status, error ORDER BY status, 4 DESC",
	[PS_Q_BY_TYPE] =
	    "SELECT type, CASE confidence WHEN 3 THEN 'high' WHEN 2 THEN 'medium'"
	    " ELSE 'low' END, NULL, count(*) FROM findings"
	    " WHERE scan_id = ?1 AND confidence >= ?2"
	    " GROUP BY type, confidence ORDER BY type, confidence DESC",
	[PS_Q_DISTINCT] =
	    "SELECT type, NULL, NULL, count(DISTINCT value_hash) FROM findings"
	    " WHERE scan_id = ?1 AND confidence >= ?2 GROUP BY type ORDER BY type",
	[PS_Q_FILE_COUNTS] =
	    "SELECT NULL, NULL, f.path, count(*) FROM findings x"
	    " JOIN files f ON f.id = x.file_id"
	    " WHERE x.scan_id = ?1 AND x.confidence >= ?2 GROUP BY x.file_id",
};

enum ps_error
ps_inventory_aggregate(struct ps_inventory *inv, enum ps_report_query what,
    int64_t scan_id, enum ps_confidence min_conf,
    int (*fn)(void *ctx, const struct ps_agg_row *row), void *ctx)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (sqlite3_prepare_v2(inv->db, aggregate_sql[what], -1, &st, NULL)
	    != SQLITE_OK)
		return PS_ERR_DB;
	sqlite3_bind_int64(st, 1, scan_id);
	if (sqlite3_bind_parameter_count(st) >= 2)
		sqlite3_bind_int(st, 2, (int)min_conf);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct ps_agg_row row;

		row.a = column_str(st, 0);
		row.b = column_str(st, 1);
		row.blob = sqlite3_column_blob(st, 2);
		row.blob_len = (size_t)sqlite3_column_bytes(st, 2);
		row.count = sqlite3_column_int64(st, 3);
		if (fn(ctx, &row))
			break;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? PS_OK : PS_ERR_DB;
}

/*
 * inventory_read.c - the queries behind report, export and scans.
 */
#include "config.h"

#include "inventory.h"
#include "inventory_private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *
column_dup(sqlite3_stmt *st, int i)
{
	const unsigned char *s = sqlite3_column_text(st, i);

	return s != NULL ? strdup((const char *)s) : NULL;
}

const char *
ps_inventory_column_str(sqlite3_stmt *st, int i)
{
	const unsigned char *s = sqlite3_column_text(st, i);

	return s != NULL ? (const char *)s : "";
}

#define SCAN_COLUMNS \
	"id, started, coalesce(finished, 0), status, roots, options, version," \
	" patterns_sha256, files, bytes, findings, errors, skipped, partial," \
	" coalesce(rules, ''), coalesce(key_id, ''), gone, atime_touched," \
	" coalesce(host, ''), coalesce(user, ''), uid, estate, shard," \
	" coalesce(shard_depth, 0)"

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
	row->host = column_dup(st, 18);
	row->user = column_dup(st, 19);
	row->uid = column_dup(st, 20);
	row->estate = column_dup(st, 21);
	row->shard = column_dup(st, 22);
	row->shard_depth = sqlite3_column_int64(st, 23);
	row->nscans = 1;
}

/*
 * A scan of an estate is shown with the other scans of its estate
 * (SCAN_SET): their totals summed, from the first start to the last end,
 * and one status: finished when every one finished and, for shards,
 * every shard of N is there ("incomplete" when one is missing).
 */
static enum ps_error
read_estate(struct ps_inventory *inv, struct ps_scan_row *row)
{
	sqlite3_stmt *st = NULL;
	enum ps_error err = PS_ERR_DB;
	const char *status;
	int64_t running, failed, interrupted, open_ended;
	unsigned k, n;

	if (sqlite3_prepare_v2(inv->db,
		"SELECT count(*), min(started), max(coalesce(finished, 0)),"
		" sum(finished IS NULL), group_concat(id, ','),"
		" sum(files), sum(bytes), sum(findings), sum(errors), sum(skipped),"
		" sum(partial), sum(gone), sum(atime_touched),"
		" count(DISTINCT coalesce(shard, '') || roots),"
		" sum(status = 'running'), sum(status = 'failed'),"
		" sum(status = 'interrupted'),"
		" CASE WHEN count(DISTINCT roots) > 1 THEN"
		"  (SELECT json_group_array(value) FROM (SELECT DISTINCT j.value"
		"   FROM scans r, json_each(r.roots) j WHERE r.id IN " SCAN_SET
		"   ORDER BY 1)) END"
		" FROM (SELECT * FROM scans WHERE id IN " SCAN_SET " ORDER BY id)",
		-1, &st, NULL) != SQLITE_OK)
		return PS_ERR_DB;
	sqlite3_bind_int64(st, sqlite3_bind_parameter_index(st, ":scan"), row->id);
	if (sqlite3_step(st) != SQLITE_ROW)
		goto done;
	row->nscans = sqlite3_column_int64(st, 0);
	row->started = sqlite3_column_int64(st, 1);
	open_ended = sqlite3_column_int64(st, 3);
	row->finished = open_ended > 0 ? 0 : sqlite3_column_int64(st, 2);
	free(row->scan_ids);
	if ((row->scan_ids = column_dup(st, 4)) == NULL) {
		err = PS_ERR_NOMEM;
		goto done;
	}
	row->files = sqlite3_column_int64(st, 5);
	row->bytes = sqlite3_column_int64(st, 6);
	row->findings = sqlite3_column_int64(st, 7);
	row->errors = sqlite3_column_int64(st, 8);
	row->skipped = sqlite3_column_int64(st, 9);
	row->partial = sqlite3_column_int64(st, 10);
	row->gone = sqlite3_column_int64(st, 11);
	row->atime_touched = sqlite3_column_int64(st, 12);
	row->shards_seen = sqlite3_column_int64(st, 13);
	running = sqlite3_column_int64(st, 14);
	failed = sqlite3_column_int64(st, 15);
	interrupted = sqlite3_column_int64(st, 16);
	row->shards_total = row->shard != NULL && sscanf(row->shard, "%u/%u", &k, &n) == 2
	    ? (int64_t)n : 0;
	status = running > 0 ? "running" : failed > 0 ? "failed"
	    : interrupted > 0 ? "interrupted"
	    : row->shards_total > 0 && row->shards_seen < row->shards_total
	    ? "incomplete" : "finished";
	free(row->status);
	if ((row->status = strdup(status)) == NULL) {
		err = PS_ERR_NOMEM;
		goto done;
	}
	if (sqlite3_column_type(st, 17) != SQLITE_NULL) {
		free(row->roots);
		if ((row->roots = column_dup(st, 17)) == NULL) {
			err = PS_ERR_NOMEM;
			goto done;
		}
	}
	err = PS_OK;
done:
	sqlite3_finalize(st);
	return err;
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
		/* The latest: started last (a merged inventory's ids follow the
		 * order of the merges, not of the scans). */
		: "SELECT " SCAN_COLUMNS " FROM scans ORDER BY started DESC, id DESC"
		  " LIMIT 1",
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
	if (err == PS_OK && *found && row->estate != NULL)
		err = read_estate(inv, row);
	if (err != PS_OK && *found) {
		ps_scan_row_clear(row);
		*found = false;
	}
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

void
ps_inventory_bind_filter(sqlite3_stmt *st, const struct ps_filter *f)
{
	int i;

	if ((i = sqlite3_bind_parameter_index(st, ":scan")) > 0)
		sqlite3_bind_int64(st, i, f->scan_id);
	if ((i = sqlite3_bind_parameter_index(st, ":conf")) > 0)
		sqlite3_bind_int(st, i, (int)f->min_conf);
	if ((i = sqlite3_bind_parameter_index(st, ":type")) > 0 && f->type != NULL)
		sqlite3_bind_text(st, i, f->type, -1, SQLITE_STATIC);
	if ((i = sqlite3_bind_parameter_index(st, ":prefix")) > 0
	    && f->path_prefix != NULL)
		sqlite3_bind_blob(st, i, f->path_prefix, (int)strlen(f->path_prefix),
		    SQLITE_STATIC);
	if ((i = sqlite3_bind_parameter_index(st, ":under")) > 0
	    && f->path_prefix != NULL) {
		size_t n = strlen(f->path_prefix);
		char *under = malloc(n + 2);

		/* The directory with its slash ("/" stays "/"). */
		if (under != NULL) {
			memcpy(under, f->path_prefix, n);
			if (n == 0 || under[n - 1] != '/')
				under[n++] = '/';
			sqlite3_bind_blob(st, i, under, (int)n, free);
		}
	}
	if ((i = sqlite3_bind_parameter_index(st, ":reviewed")) > 0)
		sqlite3_bind_int(st, i, f->include_reviewed);
}

enum ps_error
ps_inventory_files_each(struct ps_inventory *inv, const struct ps_filter *filter,
    int (*fn)(void *ctx, const struct ps_file_row *row), void *ctx)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (sqlite3_prepare_v2(inv->db,
		"SELECT path, coalesce(size, 0), coalesce(mtime, 0), coalesce(atime, 0),"
		" owner, type, status, error, findings, coalesce(messages, -1),"
		" coalesce(messages_failed, -1) FROM files f"
		" WHERE last_scan IN " SCAN_SET " AND" PATH_FILTER " ORDER BY path",
		-1, &st, NULL) != SQLITE_OK)
		return PS_ERR_DB;
	ps_inventory_bind_filter(st, filter);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct ps_file_row row;

		row.path = sqlite3_column_blob(st, 0);
		row.path_len = (size_t)sqlite3_column_bytes(st, 0);
		row.size = sqlite3_column_int64(st, 1);
		row.mtime = sqlite3_column_int64(st, 2);
		row.atime = sqlite3_column_int64(st, 3);
		row.owner = ps_inventory_column_str(st, 4);
		row.type = ps_inventory_column_str(st, 5);
		row.status = ps_inventory_column_str(st, 6);
		row.error = ps_inventory_column_str(st, 7);
		row.findings = sqlite3_column_int64(st, 8);
		row.messages = sqlite3_column_int64(st, 9);
		row.messages_failed = sqlite3_column_int64(st, 10);
		if (fn(ctx, &row))
			break;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? PS_OK : PS_ERR_DB;
}

enum ps_error
ps_inventory_findings_each(struct ps_inventory *inv,
    const struct ps_filter *filter,
    int (*fn)(void *ctx, const struct ps_finding_row *row), void *ctx)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (sqlite3_prepare_v2(inv->db,
		"SELECT x.id, x.scan_id, f.path, x.member, x.location, x.type,"
		" x.confidence, x.masked, x.value_hash, coalesce(f.owner, ''),"
		" f.status, coalesce(" REVIEW_OF_X ", ''), coalesce(f.size, 0),"
		" coalesce(f.mtime, 0)"
		" FROM findings x JOIN files f ON f.id = x.file_id"
		" WHERE" FINDING_FILTER " ORDER BY f.path, x.id", -1, &st, NULL)
	    != SQLITE_OK)
		return PS_ERR_DB;
	ps_inventory_bind_filter(st, filter);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct ps_finding_row row;

		row.id = sqlite3_column_int64(st, 0);
		row.scan_id = sqlite3_column_int64(st, 1);
		row.path = sqlite3_column_blob(st, 2);
		row.path_len = (size_t)sqlite3_column_bytes(st, 2);
		row.member = sqlite3_column_blob(st, 3);
		row.member_len = (size_t)sqlite3_column_bytes(st, 3);
		row.where = ps_inventory_column_str(st, 4);
		row.type = ps_inventory_column_str(st, 5);
		row.confidence = (enum ps_confidence)sqlite3_column_int(st, 6);
		row.masked = ps_inventory_column_str(st, 7);
		row.value_hash = ps_inventory_column_str(st, 8);
		row.owner = ps_inventory_column_str(st, 9);
		row.file_status = ps_inventory_column_str(st, 10);
		row.review = ps_inventory_column_str(st, 11);
		row.size = sqlite3_column_int64(st, 12);
		row.mtime = sqlite3_column_int64(st, 13);
		if (fn(ctx, &row))
			break;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? PS_OK : PS_ERR_DB;
}

#define FROM_FINDINGS " FROM findings x JOIN files f ON f.id = x.file_id WHERE"

static const char *const aggregate_sql[] = {
	[PS_Q_STATUS] =
	    "SELECT status, coalesce(error, ''), NULL, count(*) FROM files f"
	    " WHERE last_scan IN " SCAN_SET " AND" PATH_FILTER
	    " GROUP BY status, error ORDER BY status, 4 DESC",
	[PS_Q_BY_TYPE] =
	    "SELECT x.type, CASE x.confidence WHEN 3 THEN 'high' WHEN 2 THEN 'medium'"
	    " ELSE 'low' END, NULL, count(*)" FROM_FINDINGS FINDING_FILTER
	    " GROUP BY x.type, x.confidence ORDER BY x.type, x.confidence DESC",
	[PS_Q_DISTINCT] =
	    "SELECT x.type, NULL, NULL, count(DISTINCT x.value_hash)" FROM_FINDINGS
	    FINDING_FILTER " GROUP BY x.type ORDER BY x.type",
	[PS_Q_FILE_COUNTS] =
	    "SELECT NULL, NULL, f.path, count(*)" FROM_FINDINGS FINDING_FILTER
	    " GROUP BY x.file_id",
	[PS_Q_BY_OWNER] =
	    "SELECT coalesce(f.owner, '?'), NULL, NULL, count(*)" FROM_FINDINGS
	    FINDING_FILTER " GROUP BY 1 ORDER BY 4 DESC, 1",
	[PS_Q_BY_FILETYPE] =
	    "SELECT coalesce(f.type, '?'), NULL, NULL, count(DISTINCT x.file_id)"
	    FROM_FINDINGS FINDING_FILTER " GROUP BY 1 ORDER BY 4 DESC, 1",
	[PS_Q_BY_YEAR] =
	    "SELECT strftime('%Y', f.mtime, 'unixepoch'), NULL, NULL,"
	    " count(DISTINCT x.file_id)" FROM_FINDINGS FINDING_FILTER
	    " GROUP BY 1 ORDER BY 1",
	[PS_Q_COUNT] =
	    "SELECT (SELECT count(*) FROM findings x JOIN files f ON f.id = x.file_id"
	    "  WHERE x.scan_id IN " SCAN_SET " AND x.confidence >= :conf"
	    "  AND (:type IS NULL OR x.type = :type) AND" PATH_FILTER ")"
	    " - count(*), NULL, NULL, count(*)" FROM_FINDINGS FINDING_FILTER,
};

enum ps_error
ps_inventory_aggregate(struct ps_inventory *inv, enum ps_report_query what,
    const struct ps_filter *filter,
    int (*fn)(void *ctx, const struct ps_agg_row *row), void *ctx)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (sqlite3_prepare_v2(inv->db, aggregate_sql[what], -1, &st, NULL)
	    != SQLITE_OK)
		return PS_ERR_DB;
	ps_inventory_bind_filter(st, filter);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct ps_agg_row row;

		row.a = ps_inventory_column_str(st, 0);
		row.b = ps_inventory_column_str(st, 1);
		row.blob = sqlite3_column_blob(st, 2);
		row.blob_len = (size_t)sqlite3_column_bytes(st, 2);
		row.count = sqlite3_column_int64(st, 3);
		if (fn(ctx, &row))
			break;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? PS_OK : PS_ERR_DB;
}

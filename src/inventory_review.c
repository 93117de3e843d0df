/*
 * inventory_review.c - review marks: what a person decided about a
 * finding, a file or a value.  Marks name their target by what stays the
 * same across rescans (path, member, place, keyed hash), not by row id.
 */
#include "config.h"

#include "inventory.h"
#include "inventory_private.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static enum ps_error
insert_review(struct ps_inventory *inv, const char *kind, const void *path,
    size_t path_len, const void *member, size_t member_len, const char *location,
    const char *value_hash, const struct ps_review *rv)
{
	sqlite3_stmt *st = NULL;
	enum ps_error err = PS_ERR_DB;

	if (sqlite3_prepare_v2(inv->db,
		"INSERT INTO reviews(kind, path, member, location, value_hash, status,"
		" reason, marked_by, marked_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
		-1, &st, NULL) != SQLITE_OK)
		return PS_ERR_DB;
	sqlite3_bind_text(st, 1, kind, -1, SQLITE_STATIC);
	if (path != NULL)
		sqlite3_bind_blob(st, 2, path, (int)path_len, SQLITE_TRANSIENT);
	/* A finding's member is a blob, empty outside archives (SQLite hands
	 * an empty blob back as NULL). */
	if (member != NULL)
		sqlite3_bind_blob(st, 3, member, (int)member_len, SQLITE_TRANSIENT);
	else if (strcmp(kind, "finding") == 0)
		sqlite3_bind_zeroblob(st, 3, 0);
	if (location != NULL)
		sqlite3_bind_text(st, 4, location, -1, SQLITE_TRANSIENT);
	if (value_hash != NULL)
		sqlite3_bind_text(st, 5, value_hash, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 6, rv->status, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, rv->reason, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 8, rv->by, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 9, (int64_t)time(NULL));
	if (sqlite3_step(st) == SQLITE_DONE)
		err = PS_OK;
	sqlite3_finalize(st);
	return err;
}

enum ps_error
ps_inventory_mark_finding(struct ps_inventory *inv, int64_t finding_id,
    const struct ps_review *rv, bool *found)
{
	sqlite3_stmt *st = NULL;
	enum ps_error err = PS_ERR_DB;
	int rc;

	*found = false;
	if (sqlite3_prepare_v2(inv->db,
		"SELECT f.path, x.member, x.location, x.value_hash FROM findings x"
		" JOIN files f ON f.id = x.file_id WHERE x.id = ?1", -1, &st, NULL)
	    != SQLITE_OK)
		return PS_ERR_DB;
	sqlite3_bind_int64(st, 1, finding_id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*found = true;
		err = insert_review(inv, "finding", sqlite3_column_blob(st, 0),
		    (size_t)sqlite3_column_bytes(st, 0), sqlite3_column_blob(st, 1),
		    (size_t)sqlite3_column_bytes(st, 1),
		    (const char *)sqlite3_column_text(st, 2),
		    (const char *)sqlite3_column_text(st, 3), rv);
	} else if (rc == SQLITE_DONE) {
		err = PS_OK;
	}
	sqlite3_finalize(st);
	return err;
}

/* Whether sql (one ?1 blob or text parameter) finds a row. */
static enum ps_error
exists(struct ps_inventory *inv, const char *sql, const void *key, size_t len,
    bool blob, bool *found)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (sqlite3_prepare_v2(inv->db, sql, -1, &st, NULL) != SQLITE_OK)
		return PS_ERR_DB;
	if (blob)
		sqlite3_bind_blob(st, 1, key, (int)len, SQLITE_STATIC);
	else
		sqlite3_bind_text(st, 1, key, (int)len, SQLITE_STATIC);
	rc = sqlite3_step(st);
	*found = rc == SQLITE_ROW;
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? PS_OK : PS_ERR_DB;
}

enum ps_error
ps_inventory_mark_file(struct ps_inventory *inv, const char *path,
    const struct ps_review *rv, bool *found)
{
	enum ps_error err = exists(inv, "SELECT 1 FROM files WHERE path = ?1", path,
	    strlen(path), true, found);

	if (err != PS_OK || !*found)
		return err;
	return insert_review(inv, "file", path, strlen(path), NULL, 0, NULL, NULL, rv);
}

enum ps_error
ps_inventory_mark_value(struct ps_inventory *inv, const char *value_hash,
    const struct ps_review *rv, bool *found)
{
	/* In finding_rows: a carried row is one of them under a later scan. */
	enum ps_error err = exists(inv,
	    "SELECT 1 FROM finding_rows x WHERE " X_HOLDS_VALUE " LIMIT 1", value_hash,
	    strlen(value_hash), false, found);

	if (err != PS_OK || !*found)
		return err;
	return insert_review(inv, "value", NULL, 0, NULL, 0, NULL, value_hash, rv);
}

enum ps_error
ps_inventory_reviews_each(struct ps_inventory *inv,
    int (*fn)(void *ctx, const struct ps_review_row *row), void *ctx)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (sqlite3_prepare_v2(inv->db,
		"SELECT id, kind, path, member, coalesce(location, ''),"
		" coalesce(value_hash, ''), status, reason, coalesce(marked_by, ''),"
		" marked_at FROM reviews ORDER BY id", -1, &st, NULL) != SQLITE_OK)
		return PS_ERR_DB;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct ps_review_row row;

		row.id = sqlite3_column_int64(st, 0);
		row.kind = (const char *)sqlite3_column_text(st, 1);
		row.path = sqlite3_column_blob(st, 2);
		row.path_len = (size_t)sqlite3_column_bytes(st, 2);
		row.member = sqlite3_column_blob(st, 3);
		row.member_len = (size_t)sqlite3_column_bytes(st, 3);
		row.where = (const char *)sqlite3_column_text(st, 4);
		row.value_hash = (const char *)sqlite3_column_text(st, 5);
		row.status = (const char *)sqlite3_column_text(st, 6);
		row.reason = (const char *)sqlite3_column_text(st, 7);
		row.by = (const char *)sqlite3_column_text(st, 8);
		row.at = sqlite3_column_int64(st, 9);
		if (fn(ctx, &row))
			break;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? PS_OK : PS_ERR_DB;
}

/*
 * inventory_lookup.c - what the inventory knows of a path, for a worker
 * deciding whether a file changed since it was last scanned.  Each worker
 * has its own read-only connection (WAL lets it read while the writer
 * writes).
 */
#include "config.h"

#include "inventory.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct ps_lookup {
	sqlite3 *db;
	sqlite3_stmt *by_path;
};

enum ps_error
ps_lookup_open(const char *path, struct ps_lookup **out, char *why, size_t whylen)
{
	struct ps_lookup *lk = calloc(1, sizeof *lk);

	if (lk == NULL)
		return PS_ERR_NOMEM;
	if (sqlite3_open_v2(path, &lk->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX,
		NULL) != SQLITE_OK
	    || sqlite3_busy_timeout(lk->db, 10000) != SQLITE_OK
	    /* Pages through the map, not a read(2) each: a rescan looks up
	     * every file. */
	    || sqlite3_exec(lk->db, "PRAGMA mmap_size = 268435456", NULL, NULL,
		NULL) != SQLITE_OK
	    || sqlite3_prepare_v3(lk->db,
		"SELECT id, last_scan, coalesce(dev, -1), coalesce(ino, -1),"
		" coalesce(size, -1), coalesce(mtime_ns, -1), coalesce(ctime_ns, -1),"
		" status, coalesce(rules, ''), findings FROM files WHERE path = ?1",
		-1, SQLITE_PREPARE_PERSISTENT, &lk->by_path, NULL) != SQLITE_OK) {
		snprintf(why, whylen, "%s", lk->db != NULL ? sqlite3_errmsg(lk->db)
		    : "out of memory");
		ps_lookup_close(lk);
		return PS_ERR_DB;
	}
	*out = lk;
	return PS_OK;
}

void
ps_lookup_close(struct ps_lookup *lk)
{
	if (lk == NULL)
		return;
	sqlite3_finalize(lk->by_path);
	sqlite3_close(lk->db);
	free(lk);
}

bool
ps_lookup_file(struct ps_lookup *lk, const char *path, struct ps_prior *p)
{
	sqlite3_stmt *st = lk->by_path;
	bool found = false;

	sqlite3_reset(st);
	sqlite3_bind_blob(st, 1, path, (int)strlen(path), SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		p->file_id = sqlite3_column_int64(st, 0);
		p->last_scan = sqlite3_column_int64(st, 1);
		p->dev = sqlite3_column_int64(st, 2);
		p->ino = sqlite3_column_int64(st, 3);
		p->size = sqlite3_column_int64(st, 4);
		p->mtime_ns = sqlite3_column_int64(st, 5);
		p->ctime_ns = sqlite3_column_int64(st, 6);
		snprintf(p->status, sizeof p->status, "%s",
		    (const char *)sqlite3_column_text(st, 7));
		snprintf(p->rules, sizeof p->rules, "%s",
		    (const char *)sqlite3_column_text(st, 8));
		p->findings = sqlite3_column_int64(st, 9);
		found = true;
	}
	sqlite3_reset(st);
	return found;
}

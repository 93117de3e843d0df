/*
 * inventory.c - schema, opening, and the writer's statements (see
 * inventory.h).  Reading queries are in inventory_read.c.
 */
#include "config.h"

#include "inventory.h"
#include "inventory_private.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char schema[] =
	"CREATE TABLE IF NOT EXISTS meta("
	"  key TEXT PRIMARY KEY, value TEXT NOT NULL);"
	"CREATE TABLE IF NOT EXISTS scans("
	"  id INTEGER PRIMARY KEY,"
	"  started INTEGER NOT NULL,"
	"  finished INTEGER,"
	"  status TEXT NOT NULL,"
	"  roots TEXT NOT NULL,"
	"  options TEXT NOT NULL,"
	"  version TEXT NOT NULL,"
	"  patterns_sha256 TEXT NOT NULL,"
	"  files INTEGER NOT NULL DEFAULT 0,"
	"  bytes INTEGER NOT NULL DEFAULT 0,"
	"  findings INTEGER NOT NULL DEFAULT 0,"
	"  errors INTEGER NOT NULL DEFAULT 0,"
	"  skipped INTEGER NOT NULL DEFAULT 0,"
	"  partial INTEGER NOT NULL DEFAULT 0);"
	"CREATE TABLE IF NOT EXISTS files("
	"  id INTEGER PRIMARY KEY,"
	"  path BLOB NOT NULL UNIQUE,"
	"  size INTEGER, mtime INTEGER, ctime INTEGER, atime INTEGER,"
	"  dev INTEGER, ino INTEGER, mode INTEGER,"
	"  uid INTEGER, gid INTEGER, owner TEXT, grp TEXT,"
	"  type TEXT, status TEXT NOT NULL, error TEXT,"
	"  findings INTEGER NOT NULL DEFAULT 0,"
	"  last_scan INTEGER NOT NULL REFERENCES scans(id));"
	"CREATE INDEX IF NOT EXISTS files_last_scan ON files(last_scan);"
	"CREATE TABLE IF NOT EXISTS findings("
	"  id INTEGER PRIMARY KEY,"
	"  scan_id INTEGER NOT NULL REFERENCES scans(id),"
	"  file_id INTEGER NOT NULL REFERENCES files(id),"
	"  member BLOB NOT NULL DEFAULT x'',"
	"  location TEXT NOT NULL,"
	"  type TEXT NOT NULL,"
	"  confidence INTEGER NOT NULL CHECK (confidence BETWEEN 1 AND 3),"
	"  masked TEXT NOT NULL,"
	"  value_hash TEXT NOT NULL);"
	"CREATE INDEX IF NOT EXISTS findings_scan_file ON findings(scan_id, file_id);"
	"CREATE INDEX IF NOT EXISTS findings_value_hash ON findings(value_hash);"
	"INSERT OR IGNORE INTO meta(key, value) VALUES ('schema_version', '1');";

static const char sql_upsert_file[] =
	"INSERT INTO files(path, size, mtime, ctime, atime, dev, ino, mode, uid, gid,"
	"  owner, grp, type, status, error, findings, last_scan)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)"
	" ON CONFLICT(path) DO UPDATE SET size = ?2, mtime = ?3, ctime = ?4,"
	"  atime = ?5, dev = ?6, ino = ?7, mode = ?8, uid = ?9, gid = ?10,"
	"  owner = ?11, grp = ?12, type = ?13, status = ?14, error = ?15,"
	"  findings = ?16, last_scan = ?17"
	" RETURNING id";
static const char sql_delete_findings[] =
	"DELETE FROM findings WHERE scan_id = ?1 AND file_id = ?2";
static const char sql_insert_finding[] =
	"INSERT INTO findings(scan_id, file_id, member, location, type, confidence,"
	"  masked, value_hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";

const char *
ps_inventory_errmsg(const struct ps_inventory *inv)
{
	return inv->db != NULL ? sqlite3_errmsg(inv->db) : "no database";
}

/* Create the file ourselves so that it is born with mode 0600 (SQLite
 * gives its -wal and -shm files the same mode). */
static int
create_private(const char *path)
{
	int fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);

	if (fd < 0)
		return errno == EEXIST ? 0 : -1;
	close(fd);
	return 0;
}

static enum ps_error
exec(struct ps_inventory *inv, const char *sql)
{
	return sqlite3_exec(inv->db, sql, NULL, NULL, NULL) == SQLITE_OK
	    ? PS_OK : PS_ERR_DB;
}

enum ps_error
ps_inventory_open(const char *path, bool create, struct ps_inventory **out,
    char *why, size_t whylen)
{
	struct ps_inventory *inv = calloc(1, sizeof *inv);
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
	struct stat st;

	if (inv == NULL)
		return PS_ERR_NOMEM;
	if (create && create_private(path) != 0) {
		snprintf(why, whylen, "%s", strerror(errno));
		goto fail;
	}
	if (!create && stat(path, &st) != 0) {
		snprintf(why, whylen, "%s", strerror(errno));
		goto fail;
	}
	if (sqlite3_open_v2(path, &inv->db, flags, NULL) != SQLITE_OK) {
		snprintf(why, whylen, "%s", inv->db != NULL
		    ? sqlite3_errmsg(inv->db) : "out of memory");
		goto fail;
	}
	sqlite3_extended_result_codes(inv->db, 1);
	sqlite3_busy_timeout(inv->db, 10000);
	if (exec(inv, "PRAGMA foreign_keys = ON") != PS_OK
	    || (create && exec(inv, "PRAGMA journal_mode = WAL") != PS_OK)
	    || exec(inv, "PRAGMA synchronous = NORMAL") != PS_OK
	    || (create && exec(inv, schema) != PS_OK)
	    || exec(inv, "SELECT count(*) FROM scans") != PS_OK) {
		snprintf(why, whylen, "%s", sqlite3_errmsg(inv->db));
		goto fail;
	}
	*out = inv;
	return PS_OK;
fail:
	ps_inventory_close(inv);
	return PS_ERR_DB;
}

void
ps_inventory_close(struct ps_inventory *inv)
{
	if (inv == NULL)
		return;
	sqlite3_finalize(inv->upsert_file);
	sqlite3_finalize(inv->delete_findings);
	sqlite3_finalize(inv->insert_finding);
	sqlite3_close(inv->db);
	for (size_t i = 0; i < PS_NAME_CACHE; i++) {
		free(inv->users[i].name);
		free(inv->groups[i].name);
	}
	free(inv);
}

void
ps_scan_row_clear(struct ps_scan_row *row)
{
	free(row->status);
	free(row->roots);
	free(row->options);
	free(row->version);
	free(row->patterns_sha256);
	memset(row, 0, sizeof *row);
}

enum ps_error
ps_inventory_scan_begin(struct ps_inventory *inv, struct ps_scan_row *row)
{
	sqlite3_stmt *st = NULL;
	enum ps_error err = PS_ERR_DB;

	if (sqlite3_prepare_v2(inv->db,
		"INSERT INTO scans(started, status, roots, options, version,"
		" patterns_sha256) VALUES (?1, ?2, ?3, ?4, ?5, ?6)", -1, &st,
		NULL) != SQLITE_OK)
		goto done;
	sqlite3_bind_int64(st, 1, row->started);
	sqlite3_bind_text(st, 2, row->status, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, row->roots, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, row->options, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, row->version, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, row->patterns_sha256, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		goto done;
	row->id = sqlite3_last_insert_rowid(inv->db);
	err = PS_OK;
done:
	sqlite3_finalize(st);
	return err;
}

enum ps_error
ps_inventory_scan_end(struct ps_inventory *inv, const struct ps_scan_row *row)
{
	sqlite3_stmt *st = NULL;
	enum ps_error err = PS_ERR_DB;

	if (sqlite3_prepare_v2(inv->db,
		"UPDATE scans SET finished = ?2, status = ?3, files = ?4, bytes = ?5,"
		" findings = ?6, errors = ?7, skipped = ?8, partial = ?9"
		" WHERE id = ?1", -1, &st, NULL) != SQLITE_OK)
		goto done;
	sqlite3_bind_int64(st, 1, row->id);
	sqlite3_bind_int64(st, 2, row->finished);
	sqlite3_bind_text(st, 3, row->status, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, row->files);
	sqlite3_bind_int64(st, 5, row->bytes);
	sqlite3_bind_int64(st, 6, row->findings);
	sqlite3_bind_int64(st, 7, row->errors);
	sqlite3_bind_int64(st, 8, row->skipped);
	sqlite3_bind_int64(st, 9, row->partial);
	if (sqlite3_step(st) == SQLITE_DONE)
		err = PS_OK;
done:
	sqlite3_finalize(st);
	return err;
}

enum ps_error
ps_inventory_batch_begin(struct ps_inventory *inv)
{
	return exec(inv, "BEGIN IMMEDIATE");
}

enum ps_error
ps_inventory_batch_commit(struct ps_inventory *inv)
{
	return exec(inv, "COMMIT");
}

void
ps_inventory_batch_rollback(struct ps_inventory *inv)
{
	exec(inv, "ROLLBACK");
}

/* uid/gid to name, cached: a share has few owners and many files. */
static const char *
cached_name(struct ps_name_cache_entry *cache, unsigned id, bool user)
{
	struct ps_name_cache_entry *e = &cache[id % PS_NAME_CACHE];
	char buf[4096];
	char *name = NULL;

	if (e->name != NULL && e->id == id)
		return e->name;
	if (user) {
		struct passwd pw, *res = NULL;

		if (getpwuid_r((uid_t)id, &pw, buf, sizeof buf, &res) == 0 && res != NULL)
			name = strdup(res->pw_name);
	} else {
		struct group gr, *res = NULL;

		if (getgrgid_r((gid_t)id, &gr, buf, sizeof buf, &res) == 0 && res != NULL)
			name = strdup(res->gr_name);
	}
	if (name == NULL && asprintf(&name, "%u", id) < 0)
		return NULL;
	free(e->name);
	e->name = name;
	e->id = id;
	return name;
}

static enum ps_error
prepare_writer(struct ps_inventory *inv)
{
	if (inv->upsert_file != NULL)
		return PS_OK;
	if (sqlite3_prepare_v3(inv->db, sql_upsert_file, -1,
		SQLITE_PREPARE_PERSISTENT, &inv->upsert_file, NULL) != SQLITE_OK
	    || sqlite3_prepare_v3(inv->db, sql_delete_findings, -1,
		SQLITE_PREPARE_PERSISTENT, &inv->delete_findings, NULL) != SQLITE_OK
	    || sqlite3_prepare_v3(inv->db, sql_insert_finding, -1,
		SQLITE_PREPARE_PERSISTENT, &inv->insert_finding, NULL) != SQLITE_OK)
		return PS_ERR_DB;
	return PS_OK;
}

static int
bind_text_or_null(sqlite3_stmt *st, int i, const char *s)
{
	if (s == NULL || s[0] == '\0')
		return sqlite3_bind_null(st, i);
	return sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
}

static enum ps_error
put_findings(struct ps_inventory *inv, int64_t scan_id, int64_t file_id,
    const struct ps_findings *list)
{
	sqlite3_stmt *st = inv->insert_finding;

	for (size_t i = 0; i < list->count; i++) {
		const struct ps_finding *f = &list->items[i];

		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, scan_id);
		sqlite3_bind_int64(st, 2, file_id);
		if (f->member != NULL)
			sqlite3_bind_blob(st, 3, f->member, (int)strlen(f->member),
			    SQLITE_TRANSIENT);
		else
			sqlite3_bind_zeroblob(st, 3, 0);
		sqlite3_bind_text(st, 4, f->where, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 5, f->type, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int(st, 6, (int)f->confidence);
		sqlite3_bind_text(st, 7, f->masked, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 8, f->value_hash, -1, SQLITE_TRANSIENT);
		if (sqlite3_step(st) != SQLITE_DONE)
			return PS_ERR_DB;
	}
	sqlite3_reset(st);
	return PS_OK;
}

enum ps_error
ps_inventory_put_file(struct ps_inventory *inv, int64_t scan_id,
    const struct ps_file_result *r)
{
	sqlite3_stmt *st;
	int64_t file_id;

	if (prepare_writer(inv) != PS_OK)
		return PS_ERR_DB;
	st = inv->upsert_file;
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	sqlite3_bind_blob(st, 1, r->path, (int)strlen(r->path), SQLITE_STATIC);
	if (r->have_stat) {
		sqlite3_bind_int64(st, 2, (int64_t)r->st.st_size);
		sqlite3_bind_int64(st, 3, (int64_t)r->st.st_mtime);
		sqlite3_bind_int64(st, 4, (int64_t)r->st.st_ctime);
		sqlite3_bind_int64(st, 5, (int64_t)r->st.st_atime);
		sqlite3_bind_int64(st, 6, (int64_t)r->st.st_dev);
		sqlite3_bind_int64(st, 7, (int64_t)r->st.st_ino);
		sqlite3_bind_int64(st, 8, (int64_t)r->st.st_mode);
		sqlite3_bind_int64(st, 9, (int64_t)r->st.st_uid);
		sqlite3_bind_int64(st, 10, (int64_t)r->st.st_gid);
		bind_text_or_null(st, 11, cached_name(inv->users, r->st.st_uid, true));
		bind_text_or_null(st, 12, cached_name(inv->groups, r->st.st_gid, false));
	}
	bind_text_or_null(st, 13, r->type);
	sqlite3_bind_text(st, 14, r->status, -1, SQLITE_STATIC);
	bind_text_or_null(st, 15, r->reason);
	sqlite3_bind_int64(st, 16, (int64_t)(r->findings.count + r->findings.dropped));
	sqlite3_bind_int64(st, 17, scan_id);
	if (sqlite3_step(st) != SQLITE_ROW)
		return PS_ERR_DB;
	file_id = sqlite3_column_int64(st, 0);
	if (sqlite3_step(st) != SQLITE_DONE)
		return PS_ERR_DB;
	sqlite3_reset(st);

	st = inv->delete_findings;
	sqlite3_reset(st);
	sqlite3_bind_int64(st, 1, scan_id);
	sqlite3_bind_int64(st, 2, file_id);
	if (sqlite3_step(st) != SQLITE_DONE)
		return PS_ERR_DB;
	sqlite3_reset(st);
	return put_findings(inv, scan_id, file_id, &r->findings);
}

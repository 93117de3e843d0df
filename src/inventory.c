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
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
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
	"  partial INTEGER NOT NULL DEFAULT 0,"
	"  gone INTEGER NOT NULL DEFAULT 0,"
	"  atime_touched INTEGER NOT NULL DEFAULT 0,"
	"  rules TEXT,"
	"  key_id TEXT,"
	"  host TEXT,"
	"  user TEXT,"
	"  uid TEXT,"
	"  estate TEXT,"
	"  shard TEXT,"
	"  shard_depth INTEGER);"
	"CREATE TABLE IF NOT EXISTS files("
	"  id INTEGER PRIMARY KEY,"
	"  path BLOB NOT NULL UNIQUE,"
	"  size INTEGER, mtime INTEGER, ctime INTEGER, atime INTEGER,"
	"  dev INTEGER, ino INTEGER, mode INTEGER,"
	"  uid INTEGER, gid INTEGER, owner TEXT, grp TEXT,"
	"  type TEXT, status TEXT NOT NULL, error TEXT,"
	"  findings INTEGER NOT NULL DEFAULT 0,"
	"  last_scan INTEGER NOT NULL REFERENCES scans(id),"
	"  mtime_ns INTEGER, ctime_ns INTEGER,"
	"  bytes_read INTEGER NOT NULL DEFAULT 0,"
	"  rules TEXT,"
	/* A mail store's messages read and failed; NULL when not mail. */
	"  messages INTEGER, messages_failed INTEGER);"
	/* No index on last_scan: most queries of a scan read most files
	 * anyway, and a rescan updates every row's last_scan (an index
	 * would double that cost). */
	"DROP INDEX IF EXISTS files_last_scan;"
	/* Findings as recorded by the scan that read the file.  A rescan
	 * does not copy an unchanged file's findings: it says, in carried,
	 * which scan's it takes over, and the view findings shows every
	 * scan's findings, recorded or carried, as rows of that scan. */
	"CREATE TABLE IF NOT EXISTS finding_rows("
	"  id INTEGER PRIMARY KEY,"
	"  scan_id INTEGER NOT NULL REFERENCES scans(id),"
	"  file_id INTEGER NOT NULL REFERENCES files(id),"
	"  member BLOB NOT NULL DEFAULT x'',"
	"  location TEXT NOT NULL,"
	"  type TEXT NOT NULL,"
	"  confidence INTEGER NOT NULL CHECK (confidence BETWEEN 1 AND 3),"
	"  masked TEXT NOT NULL,"
	"  value_hash TEXT NOT NULL);"
	"CREATE INDEX IF NOT EXISTS findings_scan_file ON finding_rows(scan_id, file_id);"
	/* Values are looked up by the first 8 hex digits of their hash (32
	 * bits; the whole hash is compared after): the smallest index that
	 * keeps a scan writing millions of findings in SQLite's cache (all
	 * types on 258 MB of text: 19.4 s with 16 digits, 16.4 s with 8),
	 * with a stray candidate per lookup only past billions of values. */
	"DROP INDEX IF EXISTS findings_value_hash;"
	"DROP INDEX IF EXISTS findings_hash_prefix;"
	VALUE_INDEX ";"
	"CREATE TABLE IF NOT EXISTS carried("
	"  scan_id INTEGER NOT NULL REFERENCES scans(id),"
	"  file_id INTEGER NOT NULL REFERENCES files(id),"
	"  from_scan INTEGER NOT NULL REFERENCES scans(id),"
	"  PRIMARY KEY (scan_id, file_id)) WITHOUT ROWID;"
	"CREATE INDEX IF NOT EXISTS carried_from ON carried(from_scan, file_id);"
	"CREATE VIEW IF NOT EXISTS findings AS"
	" SELECT id, scan_id, file_id, member, location, type, confidence, masked,"
	"  value_hash FROM finding_rows"
	" UNION ALL"
	" SELECT x.id, c.scan_id, x.file_id, x.member, x.location, x.type,"
	"  x.confidence, x.masked, x.value_hash"
	" FROM carried c JOIN finding_rows x"
	"  ON x.scan_id = c.from_scan AND x.file_id = c.file_id;"
	"CREATE TABLE IF NOT EXISTS reviews("
	"  id INTEGER PRIMARY KEY,"
	"  kind TEXT NOT NULL CHECK (kind IN ('finding', 'file', 'value')),"
	"  path BLOB, member BLOB, location TEXT, value_hash TEXT,"
	"  status TEXT NOT NULL CHECK (status IN ('false-positive', 'test-data',"
	"   'confirmed', 'remediated')),"
	"  reason TEXT NOT NULL,"
	"  marked_by TEXT, marked_at INTEGER NOT NULL);"
	"CREATE INDEX IF NOT EXISTS reviews_value_hash ON reviews(value_hash);"
	"CREATE INDEX IF NOT EXISTS reviews_path ON reviews(path);"
	"CREATE TABLE IF NOT EXISTS exports("
	"  id INTEGER PRIMARY KEY,"
	"  made INTEGER NOT NULL, made_by TEXT, host TEXT,"
	"  scan_id INTEGER NOT NULL REFERENCES scans(id),"
	"  format TEXT NOT NULL, path BLOB NOT NULL, sha256 TEXT NOT NULL);"
	"INSERT OR IGNORE INTO meta(key, value) VALUES ('schema_version', '8');";

/* Columns added since schema 1, for inventories made by older versions. */
static const struct {
	const char *table, *column, *definition;
} added_columns[] = {
	{ "scans", "gone", "INTEGER NOT NULL DEFAULT 0" },
	{ "scans", "atime_touched", "INTEGER NOT NULL DEFAULT 0" },
	{ "scans", "rules", "TEXT" },
	{ "scans", "key_id", "TEXT" },
	{ "files", "mtime_ns", "INTEGER" },
	{ "files", "ctime_ns", "INTEGER" },
	{ "files", "bytes_read", "INTEGER NOT NULL DEFAULT 0" },
	{ "files", "rules", "TEXT" },
	{ "scans", "host", "TEXT" },
	{ "scans", "user", "TEXT" },
	{ "files", "messages", "INTEGER" },
	{ "files", "messages_failed", "INTEGER" },
	/* Schema 7: a scan's own identity (for merge), and its place in an
	 * estate scan split into shards. */
	{ "scans", "uid", "TEXT" },
	{ "scans", "estate", "TEXT" },
	{ "scans", "shard", "TEXT" },
	{ "scans", "shard_depth", "INTEGER" },
};

#define INSERT_FILES \
	"INSERT OR FAIL INTO files(path, size, mtime, ctime, atime, dev, ino, mode, uid, gid," \
	"  owner, grp, type, status, error, findings, last_scan, mtime_ns, ctime_ns," \
	"  bytes_read, rules, messages, messages_failed) VALUES "
#define SQL_INSERT_FILE INSERT_FILES \
	"(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16," \
	"  ?17, ?18, ?19, ?20, ?21, ?22, ?23)"
#define FILE_COLUMNS 23
/* A path the inventory did not hold when the scan began: a plain insert,
 * which SQLite runs without the statement journal an upsert opens (a
 * third of the cost of a row). */
static const char sql_insert_file[] = SQL_INSERT_FILE;
static const char sql_upsert_file[] =
	SQL_INSERT_FILE
	" ON CONFLICT(path) DO UPDATE SET size = ?2, mtime = ?3, ctime = ?4,"
	"  atime = ?5, dev = ?6, ino = ?7, mode = ?8, uid = ?9, gid = ?10,"
	"  owner = ?11, grp = ?12, type = ?13, status = ?14, error = ?15,"
	"  findings = ?16, last_scan = ?17, mtime_ns = ?18, ctime_ns = ?19,"
	"  bytes_read = ?20, rules = ?21, messages = ?22, messages_failed = ?23";
/* No RETURNING above: SQLite buffers its rows in a temporary table, a
 * b-tree opened and a page zeroed for every file; the id of a new row is
 * the last rowid inserted, that of an updated one is looked up. */
static const char sql_file_id[] = "SELECT id FROM files WHERE path = ?1";
static const char sql_file_path[] = "SELECT path FROM files WHERE id = ?1";
/* An unchanged file: the new scan takes over the findings of the scan
 * that read it (the one the previous scan took them from, if it did). */
static const char sql_carry_findings[] =
	"INSERT OR REPLACE INTO carried(scan_id, file_id, from_scan)"
	" VALUES (?1, ?2, coalesce((SELECT from_scan FROM carried"
	"  WHERE scan_id = ?3 AND file_id = ?2), ?3))";
static const char sql_carry_file[] =
	"UPDATE files SET last_scan = ?1, atime = ?3, bytes_read = 0 WHERE id = ?2";
/* Unchanged files, a run of ids at a time. */
static const char sql_carry_range[] =
	"UPDATE files SET last_scan = ?1, bytes_read = 0"
	" WHERE id BETWEEN ?2 AND ?3 AND last_scan != ?1";
static const char sql_delete_findings[] =
	"DELETE FROM finding_rows WHERE scan_id = ?1 AND file_id = ?2";
/* A published test value found: marked test-data once, by piiscan. */
static const char sql_mark_test_value[] =
	"INSERT INTO reviews(kind, value_hash, status, reason, marked_by, marked_at)"
	" SELECT 'value', ?1, 'test-data', 'published test value', 'piiscan', ?2"
	" WHERE NOT EXISTS (SELECT 1 FROM reviews WHERE value_hash = ?1"
	"  AND kind = 'value' AND status = 'test-data')";

#define INSERT_FINDINGS "INSERT OR FAIL INTO finding_rows(scan_id, file_id, member," \
	" location, type, confidence, masked, value_hash) VALUES "
static const char sql_insert_finding[] = INSERT_FINDINGS "(?,?,?,?,?,?,?,?)";
/* Findings FINDINGS_PER_INSERT at a time, the rest one by one: a
 * statement's run costs about what its rows do. */
#define FINDINGS_PER_INSERT 32
#define FINDING_COLUMNS 8

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

static bool
has_column(struct ps_inventory *inv, const char *table, const char *column)
{
	sqlite3_stmt *st = NULL;
	bool found = false;
	char sql[128];

	snprintf(sql, sizeof sql, "SELECT 1 FROM pragma_table_info('%s') WHERE name = ?1",
	    table);
	if (sqlite3_prepare_v2(inv->db, sql, -1, &st, NULL) != SQLITE_OK)
		return false;
	sqlite3_bind_text(st, 1, column, -1, SQLITE_STATIC);
	found = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return found;
}

/* Before schema 5, findings was the table finding_rows is now: rename it
 * before the schema makes the view of that name. */
static enum ps_error
rename_findings_table(struct ps_inventory *inv)
{
	sqlite3_stmt *st = NULL;
	bool is_table;

	if (sqlite3_prepare_v2(inv->db, "SELECT 1 FROM sqlite_schema"
		" WHERE type = 'table' AND name = 'findings'", -1, &st, NULL) != SQLITE_OK)
		return PS_ERR_DB;
	is_table = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return is_table ? exec(inv, "ALTER TABLE findings RENAME TO finding_rows")
	    : PS_OK;
}

/* Bring an inventory made by an older piiscan to this schema. */
static enum ps_error
migrate(struct ps_inventory *inv)
{
	char sql[256];

	for (size_t i = 0; i < sizeof added_columns / sizeof added_columns[0]; i++) {
		if (has_column(inv, added_columns[i].table, added_columns[i].column))
			continue;
		snprintf(sql, sizeof sql, "ALTER TABLE %s ADD COLUMN %s %s",
		    added_columns[i].table, added_columns[i].column,
		    added_columns[i].definition);
		if (exec(inv, sql) != PS_OK)
			return PS_ERR_DB;
	}
	snprintf(sql, sizeof sql, "UPDATE meta SET value = '%d'"
	    " WHERE key = 'schema_version'", PS_SCHEMA_VERSION);
	return exec(inv, sql);
}

/* Whether the inventory is at this schema already: then opening writes
 * nothing, so reading commands need no write access and never wait for a
 * scan's lock. */
static bool
current_schema(struct ps_inventory *inv)
{
	sqlite3_stmt *st = NULL;
	bool current = false;

	if (sqlite3_prepare_v2(inv->db, "SELECT value FROM meta"
		" WHERE key = 'schema_version'", -1, &st, NULL) != SQLITE_OK)
		return false;
	if (sqlite3_step(st) == SQLITE_ROW)
		current = sqlite3_column_int(st, 0) == PS_SCHEMA_VERSION;
	sqlite3_finalize(st);
	return current;
}

/*
 * A new inventory's tables, or an older one's upgrade, in one
 * transaction: an upgrade cut short leaves the inventory as it was, and
 * a new one is written once instead of a commit per table.
 */
static enum ps_error
bring_to_schema(struct ps_inventory *inv, char *why, size_t whylen)
{
	bool empty = false;
	sqlite3_stmt *st = NULL;

	if (exec(inv, "BEGIN IMMEDIATE") == PS_OK
	    && sqlite3_prepare_v2(inv->db, "SELECT count(*) FROM sqlite_schema", -1, &st,
		NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		empty = sqlite3_column_int(st, 0) == 0;
	sqlite3_finalize(st);
	/* A new inventory is made at this schema: nothing to migrate. */
	if (!sqlite3_get_autocommit(inv->db) && rename_findings_table(inv) == PS_OK
	    && exec(inv, schema) == PS_OK && (empty || migrate(inv) == PS_OK)
	    && exec(inv, "COMMIT") == PS_OK)
		return PS_OK;
	snprintf(why, whylen, "%s", sqlite3_errmsg(inv->db));
	if (!sqlite3_get_autocommit(inv->db))
		exec(inv, "ROLLBACK");
	return PS_ERR_DB;
}

static void free_retired(struct ps_inventory *inv);
static enum ps_error lock_writer(struct ps_inventory *inv, const char *path,
    bool wait, char *why, size_t whylen);

enum ps_error
ps_inventory_open(const char *path, int how, struct ps_inventory **out,
    char *why, size_t whylen)
{
	bool create = (how & PS_INV_WRITE) != 0;
	enum ps_error err = PS_ERR_DB;
	struct ps_inventory *inv = calloc(1, sizeof *inv);
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
	struct stat st;

	if (inv == NULL)
		return PS_ERR_NOMEM;
	if (how & PS_INV_URI)
		flags |= SQLITE_OPEN_URI;
	inv->lock_fd = -1;
	if (create && create_private(path) != 0) {
		snprintf(why, whylen, "%s", strerror(errno));
		goto fail;
	}
	if (!create && stat(path, &st) != 0) {
		snprintf(why, whylen, "%s", strerror(errno));
		goto fail;
	}
	/* The lock comes before anything is written, schema included. */
	if (create && (err = lock_writer(inv, path, (how & PS_INV_WAIT) != 0, why,
		whylen)) != PS_OK)
		goto fail;
	err = PS_ERR_DB;
	if (sqlite3_open_v2(path, &inv->db, flags, NULL) != SQLITE_OK) {
		snprintf(why, whylen, "%s", inv->db != NULL
		    ? sqlite3_errmsg(inv->db) : "out of memory");
		goto fail;
	}
	sqlite3_extended_result_codes(inv->db, 1);
	sqlite3_busy_timeout(inv->db, 10000);
	/* 8 KiB pages for a new inventory: a scan's rows go in with about
	 * 4% less CPU than with 4 KiB (bench/README); existing inventories
	 * keep theirs. */
	if (exec(inv, "PRAGMA foreign_keys = ON") != PS_OK
	    || (create && exec(inv, "PRAGMA page_size = 8192") != PS_OK)
	    || (create && exec(inv, "PRAGMA journal_mode = WAL") != PS_OK)
	    || exec(inv, "PRAGMA synchronous = NORMAL") != PS_OK
	    || exec(inv, "PRAGMA mmap_size = 67108864") != PS_OK
	    || exec(inv, "PRAGMA cache_size = -32768") != PS_OK
	    || (!create && exec(inv, "SELECT count(*) FROM scans") != PS_OK)) {
		snprintf(why, whylen, "%s", sqlite3_errmsg(inv->db));
		goto fail;
	}
	if (!current_schema(inv) && bring_to_schema(inv, why, whylen) != PS_OK)
		goto fail;
	*out = inv;
	return PS_OK;
fail:
	ps_inventory_close(inv);
	return err;
}

void
ps_inventory_close(struct ps_inventory *inv)
{
	if (inv == NULL)
		return;
	/* A scan that dropped the value index and ended before it could
	 * make it again (ps_inventory_index_values) leaves it to this last
	 * chance, then to the next scan. */
	if (inv->value_index_deferred)
		ps_inventory_index_values(inv);
	sqlite3_finalize(inv->upsert_file);
	sqlite3_finalize(inv->insert_file);
	sqlite3_finalize(inv->file_id);
	sqlite3_finalize(inv->carry_range);
	sqlite3_finalize(inv->delete_findings);
	sqlite3_finalize(inv->insert_finding);
	sqlite3_finalize(inv->insert_findings);
	sqlite3_finalize(inv->insert_files);
	sqlite3_finalize(inv->file_path);
	sqlite3_finalize(inv->mark_test_value);
	sqlite3_finalize(inv->carry_findings);
	sqlite3_finalize(inv->carry_file);
	sqlite3_close(inv->db);
	if (inv->lock_fd >= 0)
		close(inv->lock_fd);
	for (size_t i = 0; i < PS_NAME_CACHE; i++) {
		free(inv->users[i].name);
		free(inv->groups[i].name);
	}
	free_retired(inv);
	free(inv->retired);
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
	free(row->rules);
	free(row->key_id);
	free(row->host);
	free(row->user);
	free(row->uid);
	free(row->estate);
	free(row->shard);
	free(row->scan_ids);
	memset(row, 0, sizeof *row);
}

enum ps_error
ps_inventory_scan_begin(struct ps_inventory *inv, struct ps_scan_row *row)
{
	sqlite3_stmt *st = NULL;
	enum ps_error err = PS_ERR_DB;

	if (sqlite3_prepare_v2(inv->db,
		"INSERT INTO scans(started, status, roots, options, version,"
		" patterns_sha256, rules, key_id, host, user, uid, estate, shard,"
		" shard_depth)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
		-1, &st, NULL) != SQLITE_OK)
		goto done;
	sqlite3_bind_int64(st, 1, row->started);
	sqlite3_bind_text(st, 2, row->status, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, row->roots, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, row->options, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, row->version, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, row->patterns_sha256, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, row->rules, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 8, row->key_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 9, row->host, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 10, row->user, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 11, row->uid, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 12, row->estate, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 13, row->shard, -1, SQLITE_STATIC);
	if (row->shard != NULL)
		sqlite3_bind_int64(st, 14, row->shard_depth);
	if (sqlite3_step(st) != SQLITE_DONE)
		goto done;
	row->id = sqlite3_last_insert_rowid(inv->db);
	err = ps_inventory_set_current(inv, row->id, row->rules);
done:
	sqlite3_finalize(st);
	return err;
}

enum ps_error
ps_inventory_set_current(struct ps_inventory *inv, int64_t scan_id,
    const char *rules)
{
	inv->scan_id = scan_id;
	snprintf(inv->rules, sizeof inv->rules, "%s", rules);
	return PS_OK;
}

enum ps_error
ps_inventory_resumable(struct ps_inventory *inv, const struct ps_scan_row *want,
    int64_t *id)
{
	sqlite3_stmt *st = NULL;
	enum ps_error err = PS_ERR_DB;
	int rc;

	*id = 0;
	/* Only the latest scan, and only when it was cut short with the same
	 * roots, options and rules. */
	if (sqlite3_prepare_v2(inv->db,
		"SELECT id FROM scans WHERE id = (SELECT max(id) FROM scans)"
		" AND status IN ('running', 'interrupted') AND roots = ?1"
		" AND options = ?2 AND rules = ?3 AND estate IS ?4", -1, &st, NULL)
	    != SQLITE_OK)
		return PS_ERR_DB;
	sqlite3_bind_text(st, 1, want->roots, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, want->options, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, want->rules, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, want->estate, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*id = sqlite3_column_int64(st, 0);
	if (rc == SQLITE_ROW || rc == SQLITE_DONE)
		err = PS_OK;
	sqlite3_finalize(st);
	if (err == PS_OK && *id > 0) {
		if (sqlite3_prepare_v2(inv->db, "UPDATE scans SET status = 'running',"
			" finished = NULL WHERE id = ?1", -1, &st, NULL) != SQLITE_OK)
			return PS_ERR_DB;
		sqlite3_bind_int64(st, 1, *id);
		err = sqlite3_step(st) == SQLITE_DONE ? PS_OK : PS_ERR_DB;
		sqlite3_finalize(st);
		if (err == PS_OK)
			err = ps_inventory_set_current(inv, *id, want->rules);
		inv->resumed = err == PS_OK;
	}
	return err;
}

static enum ps_error prepare_writer(struct ps_inventory *inv);

static int
compare_ids(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

enum ps_error
ps_inventory_carry_unchanged(struct ps_inventory *inv, int64_t *ids, size_t n)
{
	sqlite3_stmt *st;
	enum ps_error err = PS_OK;

	if (n == 0)
		return PS_OK;
	if (prepare_writer(inv) != PS_OK)
		return PS_ERR_DB;
	/* The files of a batch come a directory at a time, in about the
	 * order the first scan gave them ids: sorted, they form few runs. */
	qsort(ids, n, sizeof *ids, compare_ids);
	st = inv->carry_range;
	for (size_t i = 0; i < n && err == PS_OK;) {
		size_t j = i;

		while (j + 1 < n && ids[j + 1] <= ids[j] + 1)
			j++;
		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, inv->scan_id);
		sqlite3_bind_int64(st, 2, ids[i]);
		sqlite3_bind_int64(st, 3, ids[j]);
		if (sqlite3_step(st) != SQLITE_DONE)
			err = PS_ERR_DB;
		i = j + 1;
	}
	sqlite3_reset(st);
	return err;
}

enum ps_error
ps_inventory_mark_gone(struct ps_inventory *inv, const int64_t *ids, size_t n)
{
	sqlite3_stmt *st = NULL;
	enum ps_error err = PS_OK;

	if (n == 0)
		return PS_OK;
	if (exec(inv, "BEGIN IMMEDIATE") != PS_OK
	    || sqlite3_prepare_v2(inv->db,
		"UPDATE files SET status = 'gone', error = NULL, findings = 0,"
		" bytes_read = 0, last_scan = ?1 WHERE id = ?2", -1, &st, NULL) != SQLITE_OK) {
		exec(inv, "ROLLBACK");
		return PS_ERR_DB;
	}
	for (size_t i = 0; i < n && err == PS_OK; i++) {
		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, inv->scan_id);
		sqlite3_bind_int64(st, 2, ids[i]);
		if (sqlite3_step(st) != SQLITE_DONE)
			err = PS_ERR_DB;
	}
	sqlite3_finalize(st);
	if (err == PS_OK)
		err = exec(inv, "COMMIT");
	else
		exec(inv, "ROLLBACK");
	return err;
}

/* Read one row of integers from a statement with :scan bound to scan_id. */
static enum ps_error
query_counts(struct ps_inventory *inv, const char *sql, int64_t scan_id,
    int64_t *out, int n)
{
	sqlite3_stmt *st = NULL;
	enum ps_error err = PS_ERR_DB;

	if (sqlite3_prepare_v2(inv->db, sql, -1, &st, NULL) != SQLITE_OK)
		return PS_ERR_DB;
	sqlite3_bind_int64(st, sqlite3_bind_parameter_index(st, ":scan"), scan_id);
	if (sqlite3_step(st) == SQLITE_ROW) {
		for (int i = 0; i < n; i++)
			out[i] = sqlite3_column_int64(st, i);
		err = PS_OK;
	}
	sqlite3_finalize(st);
	return err;
}

/*
 * The files of scan scan_id: files (not gone), bytes read, errors,
 * skipped, partial, gone, and incomplete (partial, in error, or of a
 * type not opened).  One pass counts the rows, their bytes and those
 * not "ok", a second (only when there are such) those by status: a count
 * FILTERed by status for each total, in one pass, costs 2.2 times both
 * passes on a large scan and 2.8 times the first alone.
 */
static enum ps_error
file_counts(struct ps_inventory *inv, int64_t scan_id, int64_t files[7])
{
	sqlite3_stmt *st = NULL;
	int64_t all[3];
	int rc;

	if (query_counts(inv, "SELECT count(*), coalesce(sum(bytes_read), 0),"
		" count(*) FILTER (WHERE status != 'ok')"
		" FROM files WHERE last_scan = :scan", scan_id, all, 3) != PS_OK)
		return PS_ERR_DB;
	memset(files, 0, 7 * sizeof files[0]);
	files[0] = all[0];
	files[1] = all[1];
	if (all[2] == 0)
		return PS_OK;
	if (sqlite3_prepare_v2(inv->db, "SELECT status, count(*),"
		" count(*) FILTER (WHERE error LIKE 'unsupported%') FROM files"
		" WHERE last_scan = ?1 AND status != 'ok' GROUP BY status", -1, &st,
		NULL) != SQLITE_OK)
		return PS_ERR_DB;
	sqlite3_bind_int64(st, 1, scan_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *status = (const char *)sqlite3_column_text(st, 0);
		int64_t n = sqlite3_column_int64(st, 1);

		if (status == NULL)
			continue;
		if (strcmp(status, "error") == 0)
			files[2] = n;
		else if (strcmp(status, "skipped") == 0)
			files[3] = n;
		else if (strcmp(status, "partial") == 0)
			files[4] = n;
		else if (strcmp(status, "gone") == 0)
			files[5] = n;
		if (strcmp(status, "partial") == 0 || strcmp(status, "error") == 0)
			files[6] += n;
		else if (strcmp(status, "skipped") == 0)
			files[6] += sqlite3_column_int64(st, 2);
	}
	sqlite3_finalize(st);
	files[0] -= files[5];
	return rc == SQLITE_DONE ? PS_OK : PS_ERR_DB;
}

enum ps_error
ps_inventory_scan_end(struct ps_inventory *inv, struct ps_scan_row *row,
    int64_t atime_touched, struct ps_scan_outcome *outcome)
{
	sqlite3_stmt *st = NULL;
	enum ps_error err = PS_ERR_DB;
	int64_t files[7], findings[2];

	/* Totals come from the rows, so that a resumed scan counts what its
	 * earlier runs recorded too: one pass over the files, one over the
	 * findings (the tables behind the view, which would build every row
	 * whole). */
	if (file_counts(inv, row->id, files) != PS_OK
	    || query_counts(inv,
		"SELECT count(*), count(*) FILTER (WHERE confidence >= 2) FROM ("
		" SELECT confidence FROM finding_rows WHERE scan_id = :scan"
		" UNION ALL SELECT x.confidence FROM carried c JOIN finding_rows x"
		"  ON x.scan_id = c.from_scan AND x.file_id = c.file_id"
		"  WHERE c.scan_id = :scan)", row->id, findings, 2) != PS_OK)
		return PS_ERR_DB;
	if (sqlite3_prepare_v2(inv->db,
		"UPDATE scans SET finished = ?2, status = ?3,"
		" atime_touched = atime_touched + ?4, files = ?5, bytes = ?6,"
		" errors = ?7, skipped = ?8, partial = ?9, gone = ?10, findings = ?11"
		" WHERE id = ?1 RETURNING atime_touched", -1, &st, NULL) != SQLITE_OK)
		goto done;
	sqlite3_bind_int64(st, 1, row->id);
	sqlite3_bind_int64(st, 2, row->finished);
	sqlite3_bind_text(st, 3, row->status, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, atime_touched);
	for (int i = 0; i < 6; i++)
		sqlite3_bind_int64(st, 5 + i, files[i]);
	sqlite3_bind_int64(st, 11, findings[0]);
	if (sqlite3_step(st) != SQLITE_ROW)
		goto done;
	row->atime_touched = sqlite3_column_int64(st, 0);
	if (sqlite3_step(st) != SQLITE_DONE)
		goto done;
	row->files = files[0];
	row->bytes = files[1];
	row->errors = files[2];
	row->skipped = files[3];
	row->partial = files[4];
	row->gone = files[5];
	row->findings = findings[0];
	outcome->reportable = findings[1];
	outcome->incomplete = files[6];
	err = PS_OK;
done:
	sqlite3_finalize(st);
	return err;
}

/*
 * A batch of the scan writer's rows.  Its many-row statements would each
 * keep a statement journal (to undo a statement that fails half-way),
 * which spilled to a file in /var/tmp written again for every statement
 * (35,000 of the 40,500 writes of the text benchmark); and each row
 * would look its scan and file up for its foreign keys.  Neither is
 * needed here: a statement that fails rolls the whole batch back, and
 * the writer's ids are the scan it began and the files it has just
 * written in the same transaction.  So, for the batch only: foreign keys
 * off (every other writer keeps them on; the tests check the scan's
 * rows with PRAGMA foreign_key_check), inserts OR FAIL (no undo of a
 * statement), and what journal is left in memory.  Both pragmas are
 * set outside the transaction, where they take effect.
 */
enum ps_error
ps_inventory_batch_begin(struct ps_inventory *inv)
{
	if (exec(inv, "PRAGMA temp_store = MEMORY") != PS_OK
	    || exec(inv, "PRAGMA foreign_keys = OFF") != PS_OK)
		return PS_ERR_DB;
	if (exec(inv, "BEGIN IMMEDIATE") != PS_OK) {
		exec(inv, "PRAGMA foreign_keys = ON");
		return PS_ERR_DB;
	}
	return PS_OK;
}

enum ps_error
ps_inventory_batch_commit(struct ps_inventory *inv)
{
	enum ps_error err = exec(inv, "COMMIT");

	if (err == PS_OK)
		err = exec(inv, "PRAGMA foreign_keys = ON");
	return err;
}

void
ps_inventory_batch_rollback(struct ps_inventory *inv)
{
	exec(inv, "ROLLBACK");
	exec(inv, "PRAGMA foreign_keys = ON");
}

/* uid/gid to name, cached: a share has few owners and many files.  A
 * name is bound to the statement without a copy, so one pushed out of
 * the cache waits in inv->retired until the statement has run. */
static const char *
cached_name(struct ps_inventory *inv, struct ps_name_cache_entry *cache,
    unsigned id, bool user)
{
	struct ps_name_cache_entry *e = &cache[id % PS_NAME_CACHE];
	char buf[4096];
	char *name = NULL;

	if (e->name != NULL && e->id == id)
		return e->name;
	if (e->name != NULL && inv->nretired == inv->cap_retired) {
		size_t cap = inv->cap_retired == 0 ? 16 : inv->cap_retired * 2;
		char **retired = realloc(inv->retired, cap * sizeof *retired);

		if (retired == NULL)
			return NULL;
		inv->retired = retired;
		inv->cap_retired = cap;
	}
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
	if (e->name != NULL)
		inv->retired[inv->nretired++] = e->name;
	e->name = name;
	e->id = id;
	return name;
}

/* Free the names pushed out of the cache: no statement holds them now. */
static void
free_retired(struct ps_inventory *inv)
{
	for (size_t i = 0; i < inv->nretired; i++)
		free(inv->retired[i]);
	inv->nretired = 0;
}

/* Prepare head followed by `rows` copies of row ("(?,?,...)"), comma
 * separated: the statements that insert many findings or files at once. */
static enum ps_error
prepare_rows(struct ps_inventory *inv, const char *head, const char *row,
    int rows, sqlite3_stmt **out)
{
	size_t hn = strlen(head), rn = strlen(row), n = hn;
	char *sql = malloc(hn + (size_t)rows * (rn + 1) + 1);
	enum ps_error err;

	if (sql == NULL)
		return PS_ERR_NOMEM;
	memcpy(sql, head, hn);
	for (int i = 0; i < rows; i++) {
		if (i > 0)
			sql[n++] = ',';
		memcpy(sql + n, row, rn);
		n += rn;
	}
	sql[n] = '\0';
	err = sqlite3_prepare_v3(inv->db, sql, (int)n, SQLITE_PREPARE_PERSISTENT,
	    out, NULL) == SQLITE_OK ? PS_OK : PS_ERR_DB;
	free(sql);
	return err;
}

/* The statement inserting FINDINGS_PER_INSERT findings. */
static enum ps_error
prepare_insert_findings(struct ps_inventory *inv)
{
	return prepare_rows(inv, INSERT_FINDINGS, "(?,?,?,?,?,?,?,?)",
	    FINDINGS_PER_INSERT, &inv->insert_findings);
}

/* The statement inserting PS_FILES_PER_INSERT files' rows: anonymous
 * parameters, FILE_COLUMNS a row in the order of bind_file. */
static enum ps_error
prepare_insert_files(struct ps_inventory *inv)
{
	return prepare_rows(inv, INSERT_FILES,
	    "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
	    PS_FILES_PER_INSERT, &inv->insert_files);
}

/*
 * A scan that writes many findings puts off the value index: inserted
 * one by one, in the random order of their hashes, they cost a read and
 * a write of an index page each once the index outgrows SQLite's cache
 * (all types on 1 GiB of text, 13.6 million findings: 143 s), and their
 * many-row statements keep a statement journal besides, because the
 * index calls a function (substr).  Without the index the same scan
 * takes 16 s, and building it from the rows afterwards, sorted, 7 s.
 * Past DEFER_INDEX_FLOOR findings of the scan, and a quarter of the rows
 * there were, the index is dropped; ps_inventory_index_values() makes it
 * again.  (merge does the same within its transaction.)
 */
int64_t
ps_defer_index_at(int64_t rows)
{
	return rows / 4 > DEFER_INDEX_FLOOR ? rows / 4 : DEFER_INDEX_FLOOR;
}

/* The highest finding id (standing for the row count, which would be a
 * pass over the table) and whether the value index is there; false on
 * error. */
static bool
value_index_state(struct ps_inventory *inv, int64_t *rows, bool *present)
{
	sqlite3_stmt *st = NULL;
	bool ok = false;

	if (sqlite3_prepare_v2(inv->db, "SELECT (SELECT max(id) FROM finding_rows),"
		" EXISTS (SELECT 1 FROM sqlite_schema WHERE type = 'index'"
		"  AND name = 'findings_value_prefix')", -1, &st, NULL) == SQLITE_OK
	    && sqlite3_step(st) == SQLITE_ROW) {
		*rows = sqlite3_column_int64(st, 0);
		*present = sqlite3_column_int(st, 1) != 0;
		ok = true;
	}
	sqlite3_finalize(st);
	return ok;
}

static enum ps_error
plan_value_index(struct ps_inventory *inv)
{
	int64_t rows = 0;
	bool present = false;

	if (!value_index_state(inv, &rows, &present))
		return PS_ERR_DB;
	inv->findings_put = 0;
	inv->defer_index_at = ps_defer_index_at(rows);
	/* Gone already: a scan that put it off was killed before the end. */
	inv->value_index_deferred = !present;
	return PS_OK;
}

/* Count findings put in; drop the value index once they are many. */
static enum ps_error
defer_value_index(struct ps_inventory *inv, size_t added)
{
	inv->findings_put += (int64_t)added;
	if (inv->value_index_deferred || inv->findings_put < inv->defer_index_at)
		return PS_OK;
	inv->value_index_deferred = true;
	return exec(inv, "DROP INDEX IF EXISTS findings_value_prefix");
}

enum ps_error
ps_inventory_index_values(struct ps_inventory *inv)
{
	int64_t rows = 0;
	bool present = false;

	if (inv == NULL)
		return PS_OK;
	/* Also when this scan wrote nothing (a resumed scan with all its
	 * files recorded) after one killed with the index dropped. */
	if (!inv->value_index_deferred) {
		if (!value_index_state(inv, &rows, &present))
			return PS_ERR_DB;
		if (present)
			return PS_OK;
	}
	/* Sorted in at most the cache's memory, the rest in temporary
	 * files: not in memory as the scan's batches keep their journal. */
	/* Tried once: a build that failed (no room for its temporary files)
	 * is left to the next scan, not tried again on closing. */
	inv->value_index_deferred = false;
	if (exec(inv, "PRAGMA temp_store = DEFAULT") != PS_OK
	    || exec(inv, VALUE_INDEX) != PS_OK)
		return PS_ERR_DB;
	return PS_OK;
}

static enum ps_error
prepare_writer(struct ps_inventory *inv)
{
	if (inv->upsert_file != NULL)
		return PS_OK;
	if (sqlite3_prepare_v3(inv->db, sql_upsert_file, -1,
		SQLITE_PREPARE_PERSISTENT, &inv->upsert_file, NULL) != SQLITE_OK
	    || sqlite3_prepare_v3(inv->db, sql_insert_file, -1,
		SQLITE_PREPARE_PERSISTENT, &inv->insert_file, NULL) != SQLITE_OK
	    || sqlite3_prepare_v3(inv->db, sql_carry_range, -1,
		SQLITE_PREPARE_PERSISTENT, &inv->carry_range, NULL) != SQLITE_OK
	    || sqlite3_prepare_v3(inv->db, sql_file_id, -1,
		SQLITE_PREPARE_PERSISTENT, &inv->file_id, NULL) != SQLITE_OK
	    || sqlite3_prepare_v3(inv->db, sql_delete_findings, -1,
		SQLITE_PREPARE_PERSISTENT, &inv->delete_findings, NULL) != SQLITE_OK
	    || sqlite3_prepare_v3(inv->db, sql_insert_finding, -1,
		SQLITE_PREPARE_PERSISTENT, &inv->insert_finding, NULL) != SQLITE_OK
	    || prepare_insert_findings(inv) != PS_OK
	    || sqlite3_prepare_v3(inv->db, sql_file_path, -1,
		SQLITE_PREPARE_PERSISTENT, &inv->file_path, NULL) != SQLITE_OK
	    || sqlite3_prepare_v3(inv->db, sql_mark_test_value, -1,
		SQLITE_PREPARE_PERSISTENT, &inv->mark_test_value, NULL) != SQLITE_OK
	    || sqlite3_prepare_v3(inv->db, sql_carry_findings, -1,
		SQLITE_PREPARE_PERSISTENT, &inv->carry_findings, NULL) != SQLITE_OK
	    || sqlite3_prepare_v3(inv->db, sql_carry_file, -1,
		SQLITE_PREPARE_PERSISTENT, &inv->carry_file, NULL) != SQLITE_OK
	    || plan_value_index(inv) != PS_OK)
		return PS_ERR_DB;
	return PS_OK;
}

static enum ps_error
mark_test_value(struct ps_inventory *inv, const char *value_hash)
{
	sqlite3_stmt *st = inv->mark_test_value;
	int rc;

	sqlite3_reset(st);
	sqlite3_bind_text(st, 1, value_hash, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, (int64_t)time(NULL));
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? PS_OK : PS_ERR_DB;
}

/* Bind finding f to the parameters after `at` (scan_id first). */
static void
bind_finding(sqlite3_stmt *st, int at, int64_t scan_id, int64_t file_id,
    const struct ps_finding *f)
{
	sqlite3_bind_int64(st, at + 1, scan_id);
	sqlite3_bind_int64(st, at + 2, file_id);
	/* SQLITE_STATIC: the finding outlives the step, and a copy of each
	 * text would cost a malloc. */
	if (f->member != NULL)
		sqlite3_bind_blob(st, at + 3, f->member, (int)strlen(f->member),
		    SQLITE_STATIC);
	else
		sqlite3_bind_zeroblob(st, at + 3, 0);
	sqlite3_bind_text(st, at + 4, f->where, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, at + 5, f->type, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, at + 6, (int)f->confidence);
	sqlite3_bind_text(st, at + 7, f->masked, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, at + 8, f->value_hash, PS_HASH_HEX_LEN, SQLITE_STATIC);
}

static enum ps_error
put_findings(struct ps_inventory *inv, int64_t scan_id, int64_t file_id,
    const struct ps_findings *list)
{
	size_t i = 0;

	/* FINDINGS_PER_INSERT at a time, then one by one. */
	while (i < list->count) {
		sqlite3_stmt *st = list->count - i >= FINDINGS_PER_INSERT
		    ? inv->insert_findings : inv->insert_finding;
		size_t rows = st == inv->insert_findings ? FINDINGS_PER_INSERT : 1;

		sqlite3_reset(st);
		for (size_t r = 0; r < rows; r++)
			bind_finding(st, (int)(r * FINDING_COLUMNS), scan_id, file_id,
			    &list->items[i + r]);
		if (sqlite3_step(st) != SQLITE_DONE)
			return PS_ERR_DB;
		sqlite3_reset(st);
		for (size_t r = 0; r < rows; r++)
			if (list->items[i + r].test_data
			    && mark_test_value(inv, list->items[i + r].value_hash) != PS_OK)
				return PS_ERR_DB;
		i += rows;
	}
	return PS_OK;
}

/* An unchanged file: the new scan takes over its findings. */
static enum ps_error
carry_file(struct ps_inventory *inv, const struct ps_file_result *r)
{
	sqlite3_stmt *st = inv->carry_findings;

	if (r->prior_scan != inv->scan_id && r->prior_findings > 0) {
		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, inv->scan_id);
		sqlite3_bind_int64(st, 2, r->prior_file_id);
		sqlite3_bind_int64(st, 3, r->prior_scan);
		if (sqlite3_step(st) != SQLITE_DONE)
			return PS_ERR_DB;
		sqlite3_reset(st);
	}
	st = inv->carry_file;
	sqlite3_reset(st);
	sqlite3_bind_int64(st, 1, inv->scan_id);
	sqlite3_bind_int64(st, 2, r->prior_file_id);
	sqlite3_bind_int64(st, 3, (int64_t)r->st.st_atime);
	if (sqlite3_step(st) != SQLITE_DONE)
		return PS_ERR_DB;
	sqlite3_reset(st);
	return PS_OK;
}

static int64_t
nanoseconds(const struct timespec *ts)
{
	return (int64_t)ts->tv_sec * 1000000000 + ts->tv_nsec;
}

/* Text of a row, or NULL for "".  SQLITE_STATIC: the text outlives the
 * step that reads it (the result it belongs to is freed after it, a
 * cached name only once the statement ran, see cached_name), and a copy
 * would cost a malloc a column. */
static int
bind_text_or_null(sqlite3_stmt *st, int i, const char *s)
{
	if (s == NULL || s[0] == '\0')
		return sqlite3_bind_null(st, i);
	return sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
}

/* The columns of a file's row, for the insert or the upsert: parameters
 * at + 1 to at + FILE_COLUMNS.  Every one is bound each time (NULL where
 * there is no value), which costs less than clearing them all first. */
static void
bind_file(struct ps_inventory *inv, sqlite3_stmt *st, int at,
    const struct ps_file_result *r)
{
	sqlite3_bind_blob(st, at + 1, r->path, (int)strlen(r->path), SQLITE_STATIC);
	if (r->have_stat) {
		sqlite3_bind_int64(st, at + 2, (int64_t)r->st.st_size);
		sqlite3_bind_int64(st, at + 3, (int64_t)r->st.st_mtime);
		sqlite3_bind_int64(st, at + 4, (int64_t)r->st.st_ctime);
		sqlite3_bind_int64(st, at + 5, (int64_t)r->st.st_atime);
		sqlite3_bind_int64(st, at + 6, (int64_t)r->st.st_dev);
		sqlite3_bind_int64(st, at + 7, (int64_t)r->st.st_ino);
		sqlite3_bind_int64(st, at + 8, (int64_t)r->st.st_mode);
		sqlite3_bind_int64(st, at + 9, (int64_t)r->st.st_uid);
		sqlite3_bind_int64(st, at + 10, (int64_t)r->st.st_gid);
		bind_text_or_null(st, at + 11, cached_name(inv, inv->users, r->st.st_uid,
		    true));
		bind_text_or_null(st, at + 12, cached_name(inv, inv->groups, r->st.st_gid,
		    false));
		sqlite3_bind_int64(st, at + 18, nanoseconds(&r->st.st_mtim));
		sqlite3_bind_int64(st, at + 19, nanoseconds(&r->st.st_ctim));
	} else {
		for (int i = 2; i <= 12; i++)
			sqlite3_bind_null(st, at + i);
		sqlite3_bind_null(st, at + 18);
		sqlite3_bind_null(st, at + 19);
	}
	bind_text_or_null(st, at + 13, r->type);
	sqlite3_bind_text(st, at + 14, r->status, -1, SQLITE_STATIC);
	bind_text_or_null(st, at + 15, r->reason);
	sqlite3_bind_int64(st, at + 16, (int64_t)(r->findings.count + r->findings.dropped));
	sqlite3_bind_int64(st, at + 17, inv->scan_id);
	sqlite3_bind_int64(st, at + 20, (int64_t)r->bytes_read);
	/* Only a file that was examined under these rules may be carried
	 * over later. */
	bind_text_or_null(st, at + 21, strcmp(r->status, "error") != 0 ? inv->rules : NULL);
	if (r->messages >= 0) {
		sqlite3_bind_int64(st, at + 22, r->messages);
		sqlite3_bind_int64(st, at + 23, r->messages_failed);
	} else {
		sqlite3_bind_null(st, at + 22);
		sqlite3_bind_null(st, at + 23);
	}
}

/* The findings of file r, whose row is file_id. */
static enum ps_error
put_file_findings(struct ps_inventory *inv, int64_t file_id,
    const struct ps_file_result *r)
{
	sqlite3_stmt *st;

	/* Only a resumed scan may have recorded findings of this file. */
	if (inv->resumed) {
		st = inv->delete_findings;
		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, inv->scan_id);
		sqlite3_bind_int64(st, 2, file_id);
		if (sqlite3_step(st) != SQLITE_DONE)
			return PS_ERR_DB;
		sqlite3_reset(st);
	}
	if (put_findings(inv, inv->scan_id, file_id, &r->findings) != PS_OK)
		return PS_ERR_DB;
	return defer_value_index(inv, r->findings.count);
}

enum ps_error
ps_inventory_put_file(struct ps_inventory *inv, const struct ps_file_result *r)
{
	sqlite3_stmt *st;
	int64_t file_id, before;
	int rc;

	if (prepare_writer(inv) != PS_OK)
		return PS_ERR_DB;
	if (r->carry)
		return carry_file(inv, r);
	before = sqlite3_last_insert_rowid(inv->db);
	rc = SQLITE_CONSTRAINT;
	if (r->new_path) {
		/* New by the files known when the scan began; should the
		 * path be there after all, the upsert does it. */
		sqlite3_reset(inv->insert_file);
		bind_file(inv, inv->insert_file, 0, r);
		rc = sqlite3_step(inv->insert_file);
		sqlite3_reset(inv->insert_file);
	}
	/* Extended result codes are on: SQLITE_CONSTRAINT_UNIQUE. */
	if ((rc & 0xff) == SQLITE_CONSTRAINT) {
		sqlite3_reset(inv->upsert_file);
		bind_file(inv, inv->upsert_file, 0, r);
		rc = sqlite3_step(inv->upsert_file);
		sqlite3_reset(inv->upsert_file);
	}
	free_retired(inv);
	if (rc != SQLITE_DONE)
		return PS_ERR_DB;
	file_id = sqlite3_last_insert_rowid(inv->db);
	if (file_id == before) {
		/* Updated, not inserted (a new row never reuses the last id). */
		st = inv->file_id;
		sqlite3_reset(st);
		sqlite3_bind_blob(st, 1, r->path, (int)strlen(r->path), SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_ROW)
			return PS_ERR_DB;
		file_id = sqlite3_column_int64(st, 0);
		sqlite3_reset(st);
	}

	return put_file_findings(inv, file_id, r);
}

/* The id of the file at path; 0 when there is none or on error. */
static int64_t
file_id_of(struct ps_inventory *inv, const char *path)
{
	sqlite3_stmt *st = inv->file_id;
	int64_t id = 0;

	sqlite3_reset(st);
	sqlite3_bind_blob(st, 1, path, (int)strlen(path), SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return id;
}

/* Whether the row of file id holds path. */
static bool
file_has_path(struct ps_inventory *inv, int64_t id, const char *path)
{
	sqlite3_stmt *st = inv->file_path;
	bool same = false;

	sqlite3_reset(st);
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) == SQLITE_ROW) {
		size_t len = strlen(path);

		same = (size_t)sqlite3_column_bytes(st, 0) == len
		    && memcmp(sqlite3_column_blob(st, 0), path, len) == 0;
	}
	sqlite3_reset(st);
	return same;
}

/* PS_FILES_PER_INSERT new files' rows with one statement.  SQLite gives
 * the rows of a table without explicit ids the largest id plus one, in
 * the order of the VALUES, so the files' ids are the last one inserted
 * and those just before it; the first row is looked at to make sure
 * (should SQLite pick ids otherwise, each is looked up by its path).
 * A path already there after all fails the whole statement, which
 * SQLite undoes: then each file goes in as put_file puts it. */
static enum ps_error
put_new_group(struct ps_inventory *inv, struct ps_file_result *const *r)
{
	sqlite3_stmt *st = inv->insert_files;
	int64_t first;
	bool in_order;
	int rc;

	/* Prepared on first use: a scan of few new files never needs it. */
	if (st == NULL) {
		if (prepare_insert_files(inv) != PS_OK)
			return PS_ERR_DB;
		st = inv->insert_files;
	}
	sqlite3_reset(st);
	for (int i = 0; i < PS_FILES_PER_INSERT; i++)
		bind_file(inv, st, i * FILE_COLUMNS, r[i]);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	free_retired(inv);
	if ((rc & 0xff) == SQLITE_CONSTRAINT) {
		for (int i = 0; i < PS_FILES_PER_INSERT; i++)
			if (ps_inventory_put_file(inv, r[i]) != PS_OK)
				return PS_ERR_DB;
		return PS_OK;
	}
	if (rc != SQLITE_DONE)
		return PS_ERR_DB;
	first = sqlite3_last_insert_rowid(inv->db) - (PS_FILES_PER_INSERT - 1);
	in_order = file_has_path(inv, first, r[0]->path);
	for (int i = 0; i < PS_FILES_PER_INSERT; i++) {
		int64_t id = in_order ? first + i : file_id_of(inv, r[i]->path);

		if (id <= 0 || put_file_findings(inv, id, r[i]) != PS_OK)
			return PS_ERR_DB;
	}
	return PS_OK;
}

enum ps_error
ps_inventory_put_new_files(struct ps_inventory *inv,
    struct ps_file_result *const *r, size_t n)
{
	size_t i = 0;

	if (prepare_writer(inv) != PS_OK)
		return PS_ERR_DB;
	for (; n - i >= PS_FILES_PER_INSERT; i += PS_FILES_PER_INSERT)
		if (put_new_group(inv, r + i) != PS_OK)
			return PS_ERR_DB;
	for (; i < n; i++)
		if (ps_inventory_put_file(inv, r[i]) != PS_OK)
			return PS_ERR_DB;
	return PS_OK;
}

static enum ps_error
lock_writer(struct ps_inventory *inv, const char *path, bool wait, char *why,
    size_t whylen)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		snprintf(why, whylen, "%s", strerror(errno));
		return PS_ERR_DB;
	}
	/* flock(2) locks do not meet SQLite's fcntl(2) locks on Linux: this
	 * one only keeps a second scan from writing at the same time. */
	while (flock(fd, LOCK_EX | (wait ? 0 : LOCK_NB)) != 0) {
		if (errno == EINTR)
			continue;
		bool busy = errno == EWOULDBLOCK;

		snprintf(why, whylen, "%s", busy
		    ? "another scan is writing it (use --wait to wait for it)"
		    : strerror(errno));
		close(fd);
		return busy ? PS_ERR_BUSY : PS_ERR_DB;
	}
	inv->lock_fd = fd;
	return PS_OK;
}

enum ps_error
ps_inventory_record_export(struct ps_inventory *inv, int64_t scan_id,
    const char *format, const char *path, const char *sha256,
    const char *user, const char *host)
{
	sqlite3_stmt *st = NULL;
	enum ps_error err = PS_ERR_DB;

	if (sqlite3_prepare_v2(inv->db,
		"INSERT INTO exports(made, made_by, host, scan_id, format, path, sha256)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", -1, &st, NULL) != SQLITE_OK)
		return PS_ERR_DB;
	sqlite3_bind_int64(st, 1, (int64_t)time(NULL));
	sqlite3_bind_text(st, 2, user, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, host, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, scan_id);
	sqlite3_bind_text(st, 5, format, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 6, path, (int)strlen(path), SQLITE_STATIC);
	sqlite3_bind_text(st, 7, sha256, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_DONE)
		err = PS_OK;
	sqlite3_finalize(st);
	return err;
}

void
ps_inventory_init(void)
{
	/* Memory statistics take a global mutex on every allocation, which
	 * the writer and the workers' look-ups would fight over. */
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

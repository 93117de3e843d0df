/*
 * inventory_merge.c - copying another inventory's scans, files, findings,
 * review marks and export records into this one (piiscan merge).
 *
 * The other inventory is attached read-only.  Everything of one input is
 * copied in one transaction, ids remapped: a scan is known again by its
 * uid (or, made before schema 7, by its start, host, user, roots, options
 * and key), a file by its path.  Merging the same input again changes
 * nothing: a scan already there is skipped unless the input holds a later
 * state of it (resumed and finished since), whose rows then replace the
 * earlier ones; a file row is replaced only by one of a later scan; marks
 * and export records already there are not added again.
 */
#include "config.h"

#include "inventory.h"
#include "inventory_private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static enum ps_error
exec(struct ps_inventory *inv, const char *sql)
{
	return sqlite3_exec(inv->db, sql, NULL, NULL, NULL) == SQLITE_OK
	    ? PS_OK : PS_ERR_DB;
}

/* file: URI of path, opened read-only: bytes other than unreserved ones
 * and '/' percent-encoded (a '?' or '#' in a name is not a query). */
static char *
readonly_uri(const char *path)
{
	static const char tail[] = "?mode=ro";
	size_t n = strlen(path), used = 0;
	char *out = malloc(5 + n * 3 + sizeof tail);

	if (out == NULL)
		return NULL;
	memcpy(out, "file:", 5);
	used = 5;
	for (const unsigned char *p = (const unsigned char *)path; *p != '\0'; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')
		    || (*p >= '0' && *p <= '9') || strchr("-._~/", *p) != NULL)
			out[used++] = (char)*p;
		else
			used += (size_t)sprintf(out + used, "%%%02X", *p);
	}
	memcpy(out + used, tail, sizeof tail);
	return out;
}

/* One text value of a query with no parameters, or "" (*found false). */
static enum ps_error
query_text(struct ps_inventory *inv, const char *sql, char *out, size_t outlen,
    bool *found)
{
	sqlite3_stmt *st = NULL;
	int rc;

	*found = false;
	out[0] = '\0';
	if (sqlite3_prepare_v2(inv->db, sql, -1, &st, NULL) != SQLITE_OK)
		return PS_ERR_DB;
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		snprintf(out, outlen, "%s", ps_inventory_column_str(st, 0));
		*found = true;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? PS_OK : PS_ERR_DB;
}

/* Whether src is a piiscan inventory of this schema; why if not. */
static enum ps_error
check_input(struct ps_inventory *inv, char *why, size_t whylen)
{
	char version[32];
	bool found;

	if (query_text(inv, "SELECT value FROM src.meta WHERE key = 'schema_version'",
		version, sizeof version, &found) != PS_OK || !found) {
		snprintf(why, whylen, "not a piiscan inventory");
		return PS_ERR_CORRUPT;
	}
	if (atoi(version) != PS_SCHEMA_VERSION) {
		snprintf(why, whylen, "an inventory of schema %s, not %d: open it "
		    "once with this version of piiscan (piiscan scans --db FILE) to "
		    "bring it up to date", version, PS_SCHEMA_VERSION);
		return PS_ERR_CORRUPT;
	}
	return PS_OK;
}

/* The key fingerprint of src's scans; *key is what the output holds (or
 * the first input gave), "" when not known yet, and becomes src's. */
static enum ps_error
check_key(struct ps_inventory *inv, char key[PS_MERGE_KEY_LEN], char *why,
    size_t whylen)
{
	char theirs[PS_MERGE_KEY_LEN], ours[PS_MERGE_KEY_LEN];
	bool found;

	if (query_text(inv, "SELECT count(DISTINCT key_id) FROM src.scans",
		theirs, sizeof theirs, &found) != PS_OK)
		return PS_ERR_DB;
	if (atoi(theirs) > 1) {
		snprintf(why, whylen, "its scans were made with different keys");
		return PS_ERR_KEY;
	}
	if (query_text(inv, "SELECT key_id FROM src.scans WHERE key_id IS NOT NULL"
		" LIMIT 1", theirs, sizeof theirs, &found) != PS_OK)
		return PS_ERR_DB;
	if (!found)
		return PS_OK;
	if (query_text(inv, "SELECT key_id FROM main.scans WHERE key_id IS NOT NULL"
		" ORDER BY id LIMIT 1", ours, sizeof ours, &found) != PS_OK)
		return PS_ERR_DB;
	if (!found)
		snprintf(ours, sizeof ours, "%s", key);
	if (ours[0] != '\0' && strcmp(ours, theirs) != 0) {
		snprintf(why, whylen, "made with a different key (fingerprint %s vs %s)",
		    theirs, ours);
		return PS_ERR_KEY;
	}
	snprintf(key, PS_MERGE_KEY_LEN, "%s", theirs);
	return PS_OK;
}

#define SCAN_COPY_COLUMNS \
	"started, finished, status, roots, options, version, patterns_sha256," \
	" files, bytes, findings, errors, skipped, partial, gone, atime_touched," \
	" rules, key_id, host, user, uid, estate, shard, shard_depth"

/*
 * Map each scan of src to one of main (temp.scan_map: fresh 1 = new,
 * 2 = a later state of one already there, 0 = already there as it is).
 */
static const char *const map_scans_sql[] = {
	"CREATE TEMP TABLE scan_map(src INTEGER PRIMARY KEY, dst INTEGER,"
	" fresh INTEGER NOT NULL)",
	/* Known again: by uid, or for scans made before uids by what they
	 * were (the first such scan of main, by id). */
	"INSERT INTO scan_map(src, dst, fresh)"
	" SELECT s.id, coalesce("
	"  (SELECT d.id FROM main.scans d WHERE d.uid = s.uid),"
	"  (SELECT d.id FROM main.scans d WHERE s.uid IS NULL AND d.uid IS NULL"
	"   AND d.started = s.started AND d.host IS s.host AND d.user IS s.user"
	"   AND d.roots = s.roots AND d.options = s.options"
	"   AND d.key_id IS s.key_id ORDER BY d.id LIMIT 1)), 0"
	" FROM src.scans s",
	/* A later state: finished since, or finished later. */
	"UPDATE scan_map SET fresh = 2 WHERE dst IS NOT NULL AND EXISTS ("
	" SELECT 1 FROM src.scans s, main.scans d WHERE s.id = scan_map.src"
	"  AND d.id = scan_map.dst AND s.finished IS NOT NULL"
	"  AND (d.finished IS NULL OR s.finished > d.finished"
	"   OR (s.finished = d.finished AND (s.status IS NOT d.status"
	"    OR s.files IS NOT d.files OR s.findings IS NOT d.findings))))",
	"UPDATE main.scans SET (" SCAN_COPY_COLUMNS ") = (SELECT " SCAN_COPY_COLUMNS
	" FROM src.scans s JOIN scan_map m ON m.src = s.id"
	"  WHERE m.dst = main.scans.id)"
	" WHERE id IN (SELECT dst FROM scan_map WHERE fresh = 2)",
	"DELETE FROM main.carried WHERE scan_id IN"
	" (SELECT dst FROM scan_map WHERE fresh = 2)",
	"DELETE FROM main.finding_rows WHERE scan_id IN"
	" (SELECT dst FROM scan_map WHERE fresh = 2)",
	NULL,
};

/* New scans, in src's order, each given the next id of main. */
static enum ps_error
insert_new_scans(struct ps_inventory *inv, int64_t *added)
{
	sqlite3_stmt *list = NULL, *ins = NULL, *map = NULL;
	enum ps_error err = PS_ERR_DB;
	int rc;

	*added = 0;
	if (sqlite3_prepare_v2(inv->db, "SELECT src FROM scan_map WHERE dst IS NULL"
		" ORDER BY src", -1, &list, NULL) != SQLITE_OK
	    || sqlite3_prepare_v2(inv->db, "INSERT INTO main.scans(" SCAN_COPY_COLUMNS ")"
		" SELECT " SCAN_COPY_COLUMNS " FROM src.scans WHERE id = ?1", -1, &ins,
		NULL) != SQLITE_OK
	    || sqlite3_prepare_v2(inv->db, "UPDATE scan_map SET dst = ?2, fresh = 1"
		" WHERE src = ?1", -1, &map, NULL) != SQLITE_OK)
		goto done;
	while ((rc = sqlite3_step(list)) == SQLITE_ROW) {
		int64_t src = sqlite3_column_int64(list, 0);

		sqlite3_reset(ins);
		sqlite3_bind_int64(ins, 1, src);
		if (sqlite3_step(ins) != SQLITE_DONE)
			goto done;
		sqlite3_reset(map);
		sqlite3_bind_int64(map, 1, src);
		sqlite3_bind_int64(map, 2, sqlite3_last_insert_rowid(inv->db));
		if (sqlite3_step(map) != SQLITE_DONE)
			goto done;
		(*added)++;
	}
	if (rc == SQLITE_DONE)
		err = PS_OK;
done:
	sqlite3_finalize(list);
	sqlite3_finalize(ins);
	sqlite3_finalize(map);
	return err;
}

#define FILE_COLUMNS \
	"path, size, mtime, ctime, atime, dev, ino, mode, uid, gid, owner, grp," \
	" type, status, error, findings, last_scan, mtime_ns, ctime_ns," \
	" bytes_read, rules, messages, messages_failed"

/* A scan's place in time: started, then id. */
#define LATER_OR_SAME(a, b) \
	"((SELECT started FROM main.scans WHERE id = " a ")" \
	" > (SELECT started FROM main.scans WHERE id = " b ")" \
	" OR ((SELECT started FROM main.scans WHERE id = " a ")" \
	"  = (SELECT started FROM main.scans WHERE id = " b ") AND " a " >= " b "))"

static const char *const copy_rows_sql[] = {
	/* Files: one row per path, the one of the latest scan. */
	"INSERT INTO main.files(" FILE_COLUMNS ")"
	" SELECT f.path, f.size, f.mtime, f.ctime, f.atime, f.dev, f.ino, f.mode,"
	"  f.uid, f.gid, f.owner, f.grp, f.type, f.status, f.error, f.findings,"
	"  m.dst, f.mtime_ns, f.ctime_ns, f.bytes_read, f.rules, f.messages,"
	"  f.messages_failed"
	" FROM src.files f JOIN scan_map m ON m.src = f.last_scan WHERE 1"
	" ON CONFLICT(path) DO UPDATE SET size = excluded.size,"
	"  mtime = excluded.mtime, ctime = excluded.ctime, atime = excluded.atime,"
	"  dev = excluded.dev, ino = excluded.ino, mode = excluded.mode,"
	"  uid = excluded.uid, gid = excluded.gid, owner = excluded.owner,"
	"  grp = excluded.grp, type = excluded.type, status = excluded.status,"
	"  error = excluded.error, findings = excluded.findings,"
	"  last_scan = excluded.last_scan, mtime_ns = excluded.mtime_ns,"
	"  ctime_ns = excluded.ctime_ns, bytes_read = excluded.bytes_read,"
	"  rules = excluded.rules, messages = excluded.messages,"
	"  messages_failed = excluded.messages_failed"
	" WHERE " LATER_OR_SAME("excluded.last_scan", "files.last_scan"),
	"CREATE TEMP TABLE file_map(src INTEGER PRIMARY KEY, dst INTEGER NOT NULL)",
	"INSERT INTO file_map SELECT f.id, d.id FROM src.files f"
	" JOIN main.files d ON d.path = f.path",
	/* Findings and carried rows of the scans new or renewed here. */
	"INSERT INTO main.finding_rows(scan_id, file_id, member, location, type,"
	"  confidence, masked, value_hash)"
	" SELECT m.dst, fm.dst, x.member, x.location, x.type, x.confidence,"
	"  x.masked, x.value_hash"
	" FROM src.finding_rows x JOIN scan_map m ON m.src = x.scan_id AND m.fresh > 0"
	" JOIN file_map fm ON fm.src = x.file_id ORDER BY x.id",
	"INSERT OR IGNORE INTO main.carried(scan_id, file_id, from_scan)"
	" SELECT m.dst, fm.dst, f.dst FROM src.carried c"
	" JOIN scan_map m ON m.src = c.scan_id AND m.fresh > 0"
	" JOIN scan_map f ON f.src = c.from_scan"
	" JOIN file_map fm ON fm.src = c.file_id",
	/* Review marks not there yet (piiscan's own test-data mark of a
	 * value once). */
	"INSERT INTO main.reviews(kind, path, member, location, value_hash, status,"
	"  reason, marked_by, marked_at)"
	" SELECT r.kind, r.path, r.member, r.location, r.value_hash, r.status,"
	"  r.reason, r.marked_by, r.marked_at FROM src.reviews r"
	" WHERE NOT EXISTS (SELECT 1 FROM main.reviews d WHERE d.kind = r.kind"
	"  AND d.path IS r.path AND d.member IS r.member"
	"  AND d.location IS r.location AND d.value_hash IS r.value_hash"
	"  AND d.status = r.status AND d.reason = r.reason"
	"  AND d.marked_by IS r.marked_by AND (d.marked_at = r.marked_at"
	"   OR (r.marked_by = 'piiscan' AND r.kind = 'value')))"
	" ORDER BY r.id",
	"INSERT INTO main.exports(made, made_by, host, scan_id, format, path, sha256)"
	" SELECT e.made, e.made_by, e.host, m.dst, e.format, e.path, e.sha256"
	" FROM src.exports e JOIN scan_map m ON m.src = e.scan_id"
	" WHERE NOT EXISTS (SELECT 1 FROM main.exports d WHERE d.made = e.made"
	"  AND d.made_by IS e.made_by AND d.host IS e.host AND d.scan_id = m.dst"
	"  AND d.format = e.format AND d.path = e.path AND d.sha256 = e.sha256)"
	" ORDER BY e.id",
	NULL,
};

/* Counted into stats, by the statement of copy_rows_sql they follow. */
static int64_t *
counter_of(struct ps_merge_stats *stats, size_t i)
{
	switch (i) {
	case 3: return &stats->findings;
	case 5: return &stats->reviews;
	case 6: return &stats->exports;
	default: return NULL;
	}
}

static enum ps_error
count_query(struct ps_inventory *inv, const char *sql, int64_t *out)
{
	char text[32];
	bool found;
	enum ps_error err = query_text(inv, sql, text, sizeof text, &found);

	*out = found ? strtoll(text, NULL, 10) : 0;
	return err;
}

enum ps_error
ps_inventory_merge(struct ps_inventory *inv, const char *path,
    char key[PS_MERGE_KEY_LEN], struct ps_merge_stats *stats, char *why,
    size_t whylen)
{
	sqlite3_stmt *st = NULL;
	enum ps_error err = PS_ERR_NOMEM;
	char *uri = readonly_uri(path);
	bool attached = false, began = false, reindex;
	int64_t incoming = 0, there = 0;

	memset(stats, 0, sizeof *stats);
	why[0] = '\0';
	if (uri == NULL)
		goto done;
	err = PS_ERR_DB;
	if (sqlite3_prepare_v2(inv->db, "ATTACH ?1 AS src", -1, &st, NULL) != SQLITE_OK)
		goto done;
	sqlite3_bind_text(st, 1, uri, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE) {
		snprintf(why, whylen, "cannot read it as an inventory: %s",
		    sqlite3_errmsg(inv->db));
		goto done;
	}
	attached = true;
	if ((err = check_input(inv, why, whylen)) != PS_OK)
		goto done;
	if ((err = check_key(inv, key, why, whylen)) != PS_OK)
		goto done;
	err = PS_ERR_DB;
	if (exec(inv, "BEGIN IMMEDIATE") != PS_OK)
		goto done;
	began = true;
	for (size_t i = 0; map_scans_sql[i] != NULL; i++)
		if (exec(inv, map_scans_sql[i]) != PS_OK)
			goto done;
	if (count_query(inv, "SELECT count(*) FROM scan_map WHERE fresh = 2",
		&stats->scans_updated) != PS_OK
	    || count_query(inv, "SELECT count(*) FROM scan_map WHERE fresh = 0"
		" AND dst IS NOT NULL", &stats->scans_known) != PS_OK
	    || insert_new_scans(inv, &stats->scans_added) != PS_OK
	    || count_query(inv, "SELECT count(*) FROM src.files", &stats->files) != PS_OK)
		goto done;
	/* Many findings coming: the value index is made again after them,
	 * in this transaction, as a scan does (inventory.c). */
	if (count_query(inv, "SELECT coalesce(max(id), 0) FROM src.finding_rows",
		&incoming) != PS_OK
	    || count_query(inv, "SELECT coalesce(max(id), 0) FROM main.finding_rows",
		&there) != PS_OK)
		goto done;
	reindex = incoming >= ps_defer_index_at(there);
	if (reindex && exec(inv, "DROP INDEX IF EXISTS main.findings_value_prefix") != PS_OK)
		goto done;
	for (size_t i = 0; copy_rows_sql[i] != NULL; i++) {
		int64_t *counter = counter_of(stats, i);

		if (exec(inv, copy_rows_sql[i]) != PS_OK)
			goto done;
		if (counter != NULL)
			*counter = sqlite3_changes(inv->db);
	}
	/* Made when dropped here, or when a killed scan left it dropped. */
	if (exec(inv, VALUE_INDEX) != PS_OK)
		goto done;
	if (exec(inv, "DROP TABLE temp.scan_map") != PS_OK
	    || exec(inv, "DROP TABLE temp.file_map") != PS_OK
	    || exec(inv, "COMMIT") != PS_OK)
		goto done;
	began = false;
	err = PS_OK;
done:
	if (err != PS_OK && why[0] == '\0')
		snprintf(why, whylen, "%s", err == PS_ERR_NOMEM ? "out of memory"
		    : sqlite3_errmsg(inv->db));
	if (began) {
		exec(inv, "ROLLBACK");
		exec(inv, "DROP TABLE IF EXISTS temp.scan_map");
		exec(inv, "DROP TABLE IF EXISTS temp.file_map");
	}
	sqlite3_finalize(st);
	if (attached)
		exec(inv, "DETACH src");
	free(uri);
	return err;
}

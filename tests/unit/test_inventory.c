/*
 * test_inventory.c - the writer's statements against the rows they leave:
 * files new to the inventory put PS_FILES_PER_INSERT rows a statement
 * (ps_inventory_put_new_files) get the ids SQLite gave their rows, so that
 * every finding points at its own file; a path there after all, or twice
 * in one statement, is updated instead; past the largest id SQLite can
 * give, where it picks ids at random, each file's id is looked up.  A
 * scan writing many findings drops the index of values and makes it again
 * at its end (or the next scan does, when it was killed).
 */
#include "config.h"

#include "../unit/tap.h"

#include <limits.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <unistd.h>

#include "inventory.h"

static char dir[] = "/tmp/ps-test-inventory-XXXXXX";
static char db_path[sizeof dir + 16];

/* A new file's result; every third holds i % 5 + 1 findings that name
 * the file ("line N" where N is its number). */
static struct ps_file_result *
result(const char *name, int n, bool new_path)
{
	char *path = NULL;
	struct ps_file_result *r;

	if (asprintf(&path, "/t/%s%04d", name, n) < 0
	    || (r = ps_file_result_new(path)) == NULL)
		abort();
	r->new_path = new_path;
	r->have_stat = true;
	r->st.st_size = n;
	r->st.st_mode = 0100644;
	r->st.st_uid = (uid_t)(n % 3);
	r->st.st_gid = (gid_t)(n % 2);
	snprintf(r->type, sizeof r->type, "text");
	r->bytes_read = (uint64_t)n;
	for (int k = 0; n % 3 == 0 && k < n % 5 + 1; k++) {
		struct ps_finding f = { 0 };

		f.type = "card";
		f.confidence = PS_CONF_HIGH;
		snprintf(f.masked, sizeof f.masked, "4111********%04d", k);
		snprintf(f.where, sizeof f.where, "line %d", n);
		snprintf(f.value_hash, sizeof f.value_hash, "%064d", n * 10 + k);
		if (ps_findings_add(&r->findings, &f) != PS_OK)
			abort();
	}
	return r;
}

/* A new file holding count findings of values of its own. */
static struct ps_file_result *
crowded(int n, int count)
{
	struct ps_file_result *r = result("many", n, true);

	ps_findings_clear(&r->findings);
	for (int k = 0; k < count; k++) {
		struct ps_finding f = { 0 };

		f.type = "phone_hk";
		f.confidence = PS_CONF_MEDIUM;
		snprintf(f.masked, sizeof f.masked, "9*****%02d", k % 100);
		snprintf(f.where, sizeof f.where, "line %d", n);
		/* Spread over the index as hashes are: prefixes in random
		 * order. */
		snprintf(f.value_hash, sizeof f.value_hash, "%08x%056d",
		    (unsigned)((n * 100003 + k) * 2654435761u), k);
		if (ps_findings_add(&r->findings, &f) != PS_OK)
			abort();
	}
	return r;
}

#define VALUE_INDEX_THERE "SELECT count(*) FROM sqlite_schema" \
	" WHERE type = 'index' AND name = 'findings_value_prefix'"

static void
free_results(struct ps_file_result **r, size_t n)
{
	for (size_t i = 0; i < n; i++)
		ps_file_result_free(r[i]);
}

/* Run sql on the inventory outside the writer's connection. */
static void
exec_sql(const char *sql)
{
	sqlite3 *db = NULL;

	if (sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK
	    || sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
		printf("# %s: %s\n", sql, sqlite3_errmsg(db));
	sqlite3_close(db);
}

/* An inventory and the files SQLite keeps beside it. */
static void
remove_inventory(const char *path)
{
	char side[sizeof db_path + 8];

	unlink(path);
	snprintf(side, sizeof side, "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof side, "%s-shm", path);
	unlink(side);
}

/* Findings result() gives files first..last (each n with n % 3 == 0 has
 * n % 5 + 1). */
static int64_t
findings_of(int first, int last)
{
	int64_t count = 0;

	for (int n = first; n <= last; n++)
		count += n % 3 == 0 ? n % 5 + 1 : 0;
	return count;
}

/* One integer from the inventory. */
static int64_t
query(const char *sql)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	int64_t v = -1;

	if (sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK
	    && sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK
	    && sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	else
		printf("# %s: %s\n", sql, sqlite3_errmsg(db));
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

/* Every finding in the file whose number it names, every file's count
 * of findings its rows, and the rows whole. */
#define NUMBER_OF_PATH "CAST(substr(CAST(path AS TEXT), -4) AS INTEGER)"
static void
check_rows(const char *what, int64_t files, int64_t findings)
{
	is_int(query("SELECT count(*) FROM files"), files, "%s: files", what);
	is_int(query("SELECT count(*) FROM finding_rows x JOIN files f ON f.id = x.file_id"
	    " WHERE " NUMBER_OF_PATH " != CAST(substr(x.location, 6) AS INTEGER)"), 0,
	    "%s: every finding in its own file", what);
	is_int(query("SELECT count(*) FROM finding_rows"), findings,
	    "%s: findings", what);
	is_int(query("SELECT count(*) FROM files f WHERE f.findings !="
	    " (SELECT count(*) FROM finding_rows x WHERE x.file_id = f.id)"), 0,
	    "%s: each file's count is its rows", what);
	is_int(query("SELECT count(*) FROM files WHERE size != bytes_read"
	    " OR size != " NUMBER_OF_PATH " OR type != 'text'"
	    " OR last_scan IS NULL OR rules != 'r1'"), 0,
	    "%s: each row its own file's values", what);
	is_int(query("SELECT count(*) FROM pragma_foreign_key_check"), 0,
	    "%s: foreign keys hold", what);
}

static struct ps_inventory *
open_inventory(int64_t scan_id)
{
	struct ps_inventory *inv = NULL;
	char why[256];

	if (ps_inventory_open(db_path, PS_INV_WRITE, &inv, why, sizeof why) != PS_OK) {
		printf("# %s\n", why);
		abort();
	}
	if (scan_id > 0)
		ps_inventory_set_current(inv, scan_id, "r1");
	return inv;
}

int
main(void)
{
	struct ps_scan_row row = { 0 };
	struct ps_file_result *r[100];
	struct ps_inventory *inv;
	int64_t scan_id;
	size_t n;

	if (mkdtemp(dir) == NULL)
		return 1;
	snprintf(db_path, sizeof db_path, "%s/inv.db", dir);
	ps_inventory_init();
	inv = open_inventory(0);
	row.started = 1;
	row.status = "running";
	row.roots = "[\"/t\"]";
	row.options = "{}";
	row.version = "test";
	row.patterns_sha256 = "p";
	row.rules = "r1";
	ok(ps_inventory_scan_begin(inv, &row) == PS_OK, "scan begins");
	scan_id = row.id;

	/* Two files known before: one alone, one put by a group. */
	ok(ps_inventory_batch_begin(inv) == PS_OK, "batch");
	r[0] = result("known", 1, false);
	ok(ps_inventory_put_file(inv, r[0]) == PS_OK, "a known file");
	free_results(r, 1);

	/* 100 new files: three statements of 32 and four one by one. */
	for (n = 0; n < 100; n++)
		r[n] = result("new", (int)n, true);
	ok(ps_inventory_put_new_files(inv, r, n) == PS_OK, "100 new files");
	free_results(r, n);
	ok(ps_inventory_batch_commit(inv) == PS_OK, "commit");
	check_rows("new files", 101, findings_of(0, 99));
	is_int(query("SELECT max(id) - min(id) FROM files WHERE CAST(path AS TEXT) GLOB '/t/new*'"), 99,
	    "new files: ids one after another");

	/* A group holding a path already there and one twice: updated. */
	ok(ps_inventory_batch_begin(inv) == PS_OK, "batch");
	for (n = 0; n < PS_FILES_PER_INSERT; n++)
		r[n] = result("more", (int)n + 200, true);
	ps_file_result_free(r[5]);
	r[5] = result("known", 1, true);
	ps_file_result_free(r[9]);
	r[9] = result("more", 211, true);
	ok(ps_inventory_put_new_files(inv, r, n) == PS_OK, "a group with known paths");
	free_results(r, n);
	ok(ps_inventory_batch_commit(inv) == PS_OK, "commit");
	is_int(query("SELECT count(*) FROM files WHERE path = CAST('/t/more0211' AS BLOB)"), 1,
	    "a path twice in a group: one row");
	check_rows("known paths", 101 + PS_FILES_PER_INSERT - 2,
	    findings_of(0, 99) + findings_of(200, 231) - findings_of(205, 205)
	    - findings_of(209, 209));
	ps_inventory_close(inv);

	/* Past the largest id: SQLite picks new ids at random. */
	exec_sql("INSERT INTO files(id, path, status, last_scan, rules, type, size, bytes_read)"
	    " VALUES (9223372036854775807, CAST('/t/top9999' AS BLOB), 'ok', 1, 'r1',"
	    " 'text', 9999, 9999)");
	inv = open_inventory(scan_id);
	ok(ps_inventory_batch_begin(inv) == PS_OK, "batch");
	for (n = 0; n < 2 * PS_FILES_PER_INSERT; n++)
		r[n] = result("rand", (int)n + 300, true);
	ok(ps_inventory_put_new_files(inv, r, n) == PS_OK, "new files past the largest id");
	free_results(r, n);
	ok(ps_inventory_batch_commit(inv) == PS_OK, "commit");
	check_rows("random ids", 101 + PS_FILES_PER_INSERT - 2 + 1 + 2 * PS_FILES_PER_INSERT,
	    findings_of(0, 99) + findings_of(200, 231) - findings_of(205, 205)
	    - findings_of(209, 209) + findings_of(300, 300 + 2 * PS_FILES_PER_INSERT - 1));
	is_int(query("SELECT count(*) FROM files WHERE CAST(path AS TEXT) GLOB '/t/rand*'"
	    " AND id < 9223372036854775807 - 1000"), 2 * PS_FILES_PER_INSERT,
	    "random ids: SQLite picked them");
	is_int(query(VALUE_INDEX_THERE), 1, "a few findings: the value index kept");
	ps_inventory_close(inv);

	/* Many findings: the value index is dropped while they are written,
	 * made again at the end. */
	inv = open_inventory(scan_id);
	ok(ps_inventory_batch_begin(inv) == PS_OK, "batch");
	for (n = 0; n < 24; n++) {
		r[0] = crowded((int)n + 500, 2000);
		ok(ps_inventory_put_file(inv, r[0]) == PS_OK, "48,000 findings, 2,000 a file");
		free_results(r, 1);
	}
	ok(ps_inventory_batch_commit(inv) == PS_OK, "commit");
	is_int(query(VALUE_INDEX_THERE), 1, "48,000 findings: the value index kept");
	ok(ps_inventory_batch_begin(inv) == PS_OK, "batch");
	r[0] = crowded(524, 2000);
	ok(ps_inventory_put_file(inv, r[0]) == PS_OK, "50,000 findings");
	free_results(r, 1);
	ok(ps_inventory_batch_commit(inv) == PS_OK, "commit");
	is_int(query(VALUE_INDEX_THERE), 0, "50,000 findings: the value index dropped");
	ok(ps_inventory_index_values(inv) == PS_OK, "the value index made again");
	is_int(query(VALUE_INDEX_THERE), 1, "... it is there");
	ok(ps_inventory_index_values(inv) == PS_OK, "... and made once");
	is_int(query("SELECT count(*) FROM finding_rows WHERE type = 'phone_hk'"), 50000,
	    "every finding written");
	is_int(query("SELECT count(*) FROM finding_rows INDEXED BY findings_value_prefix"
	    " WHERE substr(value_hash, 1, 8) >= ''"), query("SELECT count(*) FROM finding_rows"),
	    "the index holds every finding");
	ps_inventory_close(inv);

	/* A scan killed with the index dropped: the next one makes it, even
	 * with nothing to write, and so does closing the inventory. */
	exec_sql("DROP INDEX findings_value_prefix");
	inv = open_inventory(scan_id);
	ok(ps_inventory_batch_begin(inv) == PS_OK, "batch");
	r[0] = result("after", 3, true);
	ok(ps_inventory_put_file(inv, r[0]) == PS_OK, "a file after a killed scan");
	free_results(r, 1);
	ok(ps_inventory_batch_commit(inv) == PS_OK, "commit");
	is_int(query(VALUE_INDEX_THERE), 0, "the index is not made in the batches");
	ps_inventory_close(inv);
	is_int(query(VALUE_INDEX_THERE), 1, "closing the inventory made it");
	exec_sql("DROP INDEX findings_value_prefix");
	inv = open_inventory(scan_id);
	ok(ps_inventory_index_values(inv) == PS_OK, "a scan that wrote nothing ends");
	is_int(query(VALUE_INDEX_THERE), 1, "... and makes the index");
	ps_inventory_close(inv);
	is_int(query("SELECT count(*) FROM pragma_integrity_check WHERE integrity_check != 'ok'"),
	    0, "the inventory is sound");

	/* merge, bringing as many findings in, does the same in its
	 * transaction. */
	{
		struct ps_merge_stats stats;
		char merged[sizeof db_path], from[sizeof db_path], key[PS_MERGE_KEY_LEN] = "";
		char why[512] = "";
		int64_t all = query("SELECT count(*) FROM finding_rows");

		snprintf(merged, sizeof merged, "%s/merged.db", dir);
		snprintf(from, sizeof from, "%s", db_path);
		if (ps_inventory_open(merged, PS_INV_WRITE, &inv, why, sizeof why) != PS_OK)
			abort();
		ok(ps_inventory_merge(inv, from, key, &stats, why, sizeof why) == PS_OK,
		    "merged (%s)", why);
		ps_inventory_close(inv);
		snprintf(db_path, sizeof db_path, "%s", merged);
		is_int(query("SELECT count(*) FROM finding_rows"), all, "merge: every finding");
		is_int(query(VALUE_INDEX_THERE), 1, "merge: the value index made again");
		is_int(query("SELECT count(*) FROM finding_rows INDEXED BY findings_value_prefix"
		    " WHERE substr(value_hash, 1, 8) >= ''"), all,
		    "merge: ... holding every finding");
		/* A few findings merged into it: an index a killed scan left
		 * dropped is made all the same. */
		exec_sql("DROP INDEX findings_value_prefix");
		{
			char few[sizeof db_path];
			struct ps_scan_row row2 = row;

			row2.uid = "0123456789abcdef0123456789abcdef";  /* another scan */

			snprintf(few, sizeof few, "%s/few.db", dir);
			if (ps_inventory_open(few, PS_INV_WRITE, &inv, why, sizeof why) != PS_OK
			    || ps_inventory_scan_begin(inv, &row2) != PS_OK
			    || ps_inventory_batch_begin(inv) != PS_OK)
				abort();
			r[0] = result("few", 3, true);
			ok(ps_inventory_put_file(inv, r[0]) == PS_OK
			    && ps_inventory_batch_commit(inv) == PS_OK, "a small inventory");
			free_results(r, 1);
			ps_inventory_close(inv);
			if (ps_inventory_open(merged, PS_INV_WRITE, &inv, why, sizeof why) != PS_OK)
				abort();
			ok(ps_inventory_merge(inv, few, key, &stats, why, sizeof why) == PS_OK
			    && stats.findings == findings_of(3, 3),
			    "merged: a few findings (%s)", why);
			ps_inventory_close(inv);
			remove_inventory(few);
		}
		is_int(query(VALUE_INDEX_THERE), 1, "merge: a missing value index made");
		remove_inventory(merged);
		snprintf(db_path, sizeof db_path, "%s", from);
	}
	remove_inventory(db_path);
	rmdir(dir);
	return done_testing();
}

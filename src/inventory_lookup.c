/*
 * inventory_lookup.c - what the inventory knows of the files under a
 * scan's roots, loaded into memory once when the scan starts, so that
 * the workers deciding whether a file changed since it was last scanned
 * ask a hash table, not the database, for each of a rescan's files.
 *
 * The table is filled before the workers start and only read after that,
 * but for a flag per file saying a worker met it: they share it without a
 * lock.  The files nobody met are the ones that may be gone.
 *
 * Nothing else runs while it loads: a large inventory is read by two
 * threads, each over half of the file ids with its own connection.
 */
#include "config.h"

#include "inventory.h"
#include "inventory_private.h"

#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct known_file {
	const char *path;           /* in the arena */
	uint64_t hash;
	struct ps_prior prior;
};

/* Paths live in large blocks: a million small allocations would cost
 * more in malloc headers than the paths themselves. */
#define ARENA_BLOCK ((size_t)1 << 20)
struct arena_block {
	struct arena_block *next;
	size_t used, cap;
	char data[];
};

struct ps_lookup {
	struct known_file *files;   /* a row for each file id at most */
	size_t count;
	uint32_t *slots;            /* index + 1 into files; 0 is empty */
	size_t nslots;              /* a power of two */
	struct arena_block *arena;
	atomic_bool *seen;          /* per file: a worker looked it up */
};

/* FNV-1a: paths under one root share long prefixes, so every byte counts. */
static uint64_t
path_hash(const char *path, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)path[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

static char *
arena_copy(struct arena_block **arena, const void *bytes, size_t len)
{
	struct arena_block *b = *arena;
	char *p;

	if (b == NULL || b->cap - b->used < len + 1) {
		size_t cap = len + 1 > ARENA_BLOCK ? len + 1 : ARENA_BLOCK;

		if ((b = malloc(sizeof *b + cap)) == NULL)
			return NULL;
		b->next = *arena;
		b->used = 0;
		b->cap = cap;
		*arena = b;
	}
	p = b->data + b->used;
	memcpy(p, bytes, len);
	p[len] = '\0';
	b->used += len + 1;
	return p;
}

static void
arena_free(struct arena_block *b)
{
	while (b != NULL) {
		struct arena_block *next = b->next;

		free(b);
		b = next;
	}
}

/* The slot where path is, or the empty slot where it would go. */
static size_t
find_slot(const struct ps_lookup *lk, const char *path, uint64_t hash)
{
	size_t mask = lk->nslots - 1, i = (size_t)hash & mask;

	for (;;) {
		uint32_t s = lk->slots[i];

		if (s == 0)
			return i;
		if (lk->files[s - 1].hash == hash
		    && strcmp(lk->files[s - 1].path, path) == 0)
			return i;
		i = (i + 1) & mask;
	}
}

static bool
grow_slots(struct ps_lookup *lk, size_t want)
{
	size_t nslots = lk->nslots == 0 ? 1024 : lk->nslots * 2;

	while (nslots < want * 2)
		nslots *= 2;
	uint32_t *slots = calloc(nslots, sizeof *slots);

	if (slots == NULL)
		return false;
	free(lk->slots);
	lk->slots = slots;
	lk->nslots = nslots;
	for (size_t k = 0; k < lk->count; k++)
		lk->slots[find_slot(lk, lk->files[k].path, lk->files[k].hash)] =
		    (uint32_t)k + 1;
	return true;
}

/* Files at or under a root, compared as bytes: the root itself, or paths
 * from "root/" up to "root0" ('0' follows '/'). */
#define PATH_UNDER_ROOT " (path = :root OR (path > :low AND path < :high))"
struct root_range {
	char *root, *low, *high;
	int root_len, len;
};

static void root_range_clear(struct root_range *r);

static bool
root_range_init(struct root_range *r, const char *root)
{
	size_t n = strlen(root);

	memset(r, 0, sizeof *r);
	/* "/" is the one root that ends in a slash: paths under it are
	 * those from "/" to "0". */
	if (n > 0 && root[n - 1] == '/')
		n--;
	if (n >= INT_MAX - 1 || (r->low = malloc(n + 1)) == NULL
	    || (r->high = malloc(n + 1)) == NULL || (r->root = strdup(root)) == NULL) {
		root_range_clear(r);
		return false;
	}
	memcpy(r->low, root, n);
	r->low[n] = '/';
	memcpy(r->high, root, n);
	r->high[n] = '0';
	r->len = (int)n + 1;
	r->root_len = (int)strlen(root);
	return true;
}

static void
root_range_bind(sqlite3_stmt *st, const struct root_range *r)
{
	sqlite3_bind_blob(st, sqlite3_bind_parameter_index(st, ":root"), r->root,
	    r->root_len, SQLITE_STATIC);
	sqlite3_bind_blob(st, sqlite3_bind_parameter_index(st, ":low"), r->low,
	    r->len, SQLITE_STATIC);
	sqlite3_bind_blob(st, sqlite3_bind_parameter_index(st, ":high"), r->high,
	    r->len, SQLITE_STATIC);
}

static void
root_range_clear(struct root_range *r)
{
	free(r->root);
	free(r->low);
	free(r->high);
	memset(r, 0, sizeof *r);
}

/* The largest file id of the inventory (ids are never reused). */
static int64_t
max_file_id(struct ps_inventory *inv)
{
	sqlite3_stmt *st = NULL;
	int64_t max = 0;

	if (sqlite3_prepare_v2(inv->db, "SELECT max(id) FROM files", -1, &st,
		NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		max = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return max < 0 ? 0 : max;
}

/* Below this many files, a second thread and connection cost more than
 * they save. */
#define SPLIT_LOAD_FILES 20000

/* The rows of one range of file ids, read by one thread. */
struct load_part {
	sqlite3 *db;
	char *const *roots;
	size_t nroots;
	const char *rules;
	int64_t first_id, last_id;
	struct known_file *files;   /* in the lookup's array, a row an id */
	size_t count, cap;
	struct arena_block *arena;
	enum ps_error err;
};

/* Add one row of the query in load_range(). */
static enum ps_error
add_row(struct load_part *part, sqlite3_stmt *st)
{
	const void *path = sqlite3_column_blob(st, 0);
	size_t len = (size_t)sqlite3_column_bytes(st, 0);
	struct known_file *f;

	/* Paths are C strings on the way in: one with a NUL is not ours. */
	if (path == NULL || memchr(path, '\0', len) != NULL)
		return PS_OK;
	/* A row a file id: the part has room for each id of its range. */
	if (part->count == part->cap)
		return PS_ERR_DB;
	f = &part->files[part->count];
	if ((f->path = arena_copy(&part->arena, path, len)) == NULL)
		return PS_ERR_NOMEM;
	f->hash = path_hash(path, len);
	f->prior.file_id = sqlite3_column_int64(st, 1);
	f->prior.last_scan = sqlite3_column_int64(st, 2);
	f->prior.dev = sqlite3_column_int64(st, 3);
	f->prior.ino = sqlite3_column_int64(st, 4);
	f->prior.size = sqlite3_column_int64(st, 5);
	f->prior.mtime_ns = sqlite3_column_int64(st, 6);
	f->prior.ctime_ns = sqlite3_column_int64(st, 7);
	f->prior.atime = sqlite3_column_int64(st, 8);
	f->prior.findings = sqlite3_column_int64(st, 9);
	{
		const char *status = ps_inventory_column_str(st, 10);
		size_t n = strnlen(status, sizeof f->prior.status - 1);

		memcpy(f->prior.status, status, n);
		f->prior.status[n] = '\0';
	}
	f->prior.same_rules = part->rules != NULL
	    && strcmp(ps_inventory_column_str(st, 11), part->rules) == 0;
	part->count++;
	return PS_OK;
}

/* Read the files of part's id range at or under its roots. */
static void *
load_range(void *arg)
{
	struct load_part *part = arg;
	sqlite3_stmt *st = NULL;

	if (sqlite3_prepare_v2(part->db,
		"SELECT path, id, last_scan, coalesce(dev, -1), coalesce(ino, -1),"
		" coalesce(size, -1), coalesce(mtime_ns, -1), coalesce(ctime_ns, -1),"
		" coalesce(atime, -1), findings, status, rules FROM files NOT INDEXED"
		" WHERE id BETWEEN :first AND :last AND" PATH_UNDER_ROOT, -1, &st,
		NULL) != SQLITE_OK) {
		part->err = PS_ERR_DB;
		return NULL;
	}
	for (size_t i = 0; i < part->nroots && part->err == PS_OK; i++) {
		struct root_range range;
		int rc = SQLITE_DONE;

		if (!root_range_init(&range, part->roots[i])) {
			part->err = PS_ERR_NOMEM;
			break;
		}
		sqlite3_reset(st);
		root_range_bind(st, &range);
		sqlite3_bind_int64(st, sqlite3_bind_parameter_index(st, ":first"),
		    part->first_id);
		sqlite3_bind_int64(st, sqlite3_bind_parameter_index(st, ":last"),
		    part->last_id);
		while (part->err == PS_OK && (rc = sqlite3_step(st)) == SQLITE_ROW)
			part->err = add_row(part, st);
		if (part->err == PS_OK && rc != SQLITE_DONE)
			part->err = PS_ERR_DB;
		root_range_clear(&range);
	}
	sqlite3_finalize(st);
	return NULL;
}

/* A read-only connection of its own to the inventory, for a second
 * loading thread (the only one to use it: no mutex, like the writer's);
 * NULL when there cannot be one (then one thread loads it all). */
static sqlite3 *
second_connection(struct ps_inventory *inv)
{
	const char *file = sqlite3_db_filename(inv->db, "main");
	sqlite3 *db = NULL;

	if (file == NULL || file[0] == '\0'
	    || sqlite3_open_v2(file, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX,
		NULL) != SQLITE_OK
	    || sqlite3_exec(db, "PRAGMA mmap_size = 67108864", NULL, NULL, NULL) != SQLITE_OK) {
		sqlite3_close(db);
		return NULL;
	}
	sqlite3_busy_timeout(db, 10000);
	return db;
}

/* Put the rows of both parts in the hash table, in id order; a path met
 * twice (roots that overlap) is kept once. */
static enum ps_error
index_parts(struct ps_lookup *lk, struct load_part *parts, size_t nparts)
{
	size_t total = 0;

	/* The second part's rows follow the first's. */
	for (size_t i = 0; i < nparts; i++) {
		if (parts[i].files != lk->files + total && parts[i].count > 0)
			memmove(lk->files + total, parts[i].files,
			    parts[i].count * sizeof *lk->files);
		total += parts[i].count;
	}
	for (size_t i = 0; i < nparts; i++) {
		struct arena_block **last = &parts[i].arena;

		while (*last != NULL)
			last = &(*last)->next;
		*last = lk->arena;
		lk->arena = parts[i].arena;
		parts[i].arena = NULL;
	}
	/* The table is filled from empty, files[] compacted as it goes. */
	lk->count = 0;
	if (total >= UINT32_MAX - 1 || !grow_slots(lk, total))
		return PS_ERR_NOMEM;
	for (size_t k = 0; k < total; k++) {
		size_t slot = find_slot(lk, lk->files[k].path, lk->files[k].hash);

		if (lk->slots[slot] != 0)
			continue;
		lk->files[lk->count] = lk->files[k];
		lk->slots[slot] = (uint32_t)++lk->count;
	}
	return PS_OK;
}

enum ps_error
ps_lookup_load(struct ps_inventory *inv, char *const *roots, size_t nroots,
    const char *rules, struct ps_lookup **out)
{
	struct ps_lookup *lk = calloc(1, sizeof *lk);
	int64_t max_id = max_file_id(inv);
	struct load_part parts[2];
	size_t nparts = 1, rows;
	pthread_t helper;
	bool helping = false;
	enum ps_error err = PS_OK;

	*out = NULL;
	if (lk == NULL)
		return PS_ERR_NOMEM;
	memset(parts, 0, sizeof parts);
	for (size_t i = 0; i < 2; i++) {
		parts[i].roots = roots;
		parts[i].nroots = nroots;
		parts[i].rules = rules;
	}
	parts[0].db = inv->db;
	parts[0].first_id = 1;
	parts[0].last_id = max_id;
	if (max_id >= SPLIT_LOAD_FILES && (parts[1].db = second_connection(inv)) != NULL) {
		parts[0].last_id = max_id / 2;
		parts[1].first_id = max_id / 2 + 1;
		parts[1].last_id = max_id;
		nparts = 2;
	}
	/* A row for each file id, in one array that both parts fill (pages
	 * of a large allocation not written cost no memory). */
	rows = max_id > 0 ? (size_t)max_id : 1;
	if (max_id > (int64_t)(SIZE_MAX / sizeof *lk->files)
	    || (lk->files = malloc(rows * sizeof *lk->files)) == NULL) {
		sqlite3_close(parts[1].db);
		ps_lookup_free(lk);
		return PS_ERR_NOMEM;
	}
	for (size_t i = 0; i < nparts; i++) {
		parts[i].files = lk->files + (parts[i].first_id - 1);
		parts[i].cap = (size_t)(parts[i].last_id - parts[i].first_id + 1);
	}
	if (nparts == 2)
		helping = pthread_create(&helper, NULL, load_range, &parts[1]) == 0;
	if (nparts == 2 && !helping) {
		parts[0].last_id = max_id;     /* no thread: one range */
		parts[0].cap = rows;
		nparts = 1;
	}
	load_range(&parts[0]);
	if (helping)
		pthread_join(helper, NULL);
	for (size_t i = 0; i < nparts; i++)
		if (err == PS_OK)
			err = parts[i].err;
	if (err == PS_OK)
		err = index_parts(lk, parts, nparts);
	if (err == PS_OK && (lk->seen = calloc(lk->count + 1, sizeof *lk->seen)) == NULL)
		err = PS_ERR_NOMEM;
	for (size_t i = 0; i < 2; i++)
		arena_free(parts[i].arena);
	sqlite3_close(parts[1].db);
	if (err != PS_OK) {
		ps_lookup_free(lk);
		return err;
	}
	*out = lk;
	return PS_OK;
}

void
ps_lookup_free(struct ps_lookup *lk)
{
	if (lk == NULL)
		return;
	arena_free(lk->arena);
	free(lk->files);
	free(lk->slots);
	free(lk->seen);
	free(lk);
}

size_t
ps_lookup_count(const struct ps_lookup *lk)
{
	return lk != NULL ? lk->count : 0;
}

const struct ps_prior *
ps_lookup_file(const struct ps_lookup *lk, const char *path)
{
	uint32_t s;

	if (lk == NULL)
		return NULL;
	s = lk->slots[find_slot(lk, path, path_hash(path, strlen(path)))];
	if (s == 0)
		return NULL;
	atomic_store_explicit(&lk->seen[s - 1], true, memory_order_relaxed);
	return &lk->files[s - 1].prior;
}

int
ps_lookup_unseen_each(const struct ps_lookup *lk,
    int (*fn)(void *ctx, int64_t file_id, const char *path), void *ctx)
{
	for (size_t i = 0; lk != NULL && i < lk->count; i++) {
		int rc;

		if (atomic_load_explicit(&lk->seen[i], memory_order_relaxed)
		    || strcmp(lk->files[i].prior.status, "gone") == 0)
			continue;
		if ((rc = fn(ctx, lk->files[i].prior.file_id, lk->files[i].path)) != 0)
			return rc;
	}
	return 0;
}

/*
 * writer.c - the inventory writer thread (see writer.h).
 */
#include "config.h"

#include "writer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static uint64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void
fail(struct ps_writer *w, const char *what)
{
	if (w->error != PS_OK)
		return;
	w->error = PS_ERR_DB;
	snprintf(w->why, sizeof w->why, "%s: %s", what, ps_inventory_errmsg(w->inv));
}

/* Only the writer adds to its counters (the progress line and the scan
 * command read them): a plain load and store, no locked instruction. */
static void
bump(atomic_uint_fast64_t *counter, uint64_t n)
{
	if (n != 0)
		atomic_store_explicit(counter, atomic_load_explicit(counter,
		    memory_order_relaxed) + n, memory_order_relaxed);
}

static void
count(struct ps_writer *w, const struct ps_file_result *r)
{
	struct ps_counters *c = &w->counters;

	bump(&c->files, 1);
	bump(&c->carried, r->carry);
	bump(&c->atime_touched, r->atime_touched);
	bump(&c->bytes, r->bytes_read);
	bump(&c->findings, r->findings.count + r->findings.dropped);
	bump(&c->errors, strcmp(r->status, "error") == 0);
}

void
ps_result_batch_free(struct ps_result_batch *b)
{
	if (b == NULL)
		return;
	for (size_t i = 0; i < b->count; i++)
		ps_file_result_free(b->items[i]);
	free(b);
}

/* Append id; false when out of memory. */
static bool
id_push(struct ps_id_list *list, int64_t id)
{
	if (list->count == list->cap) {
		size_t cap = list->cap == 0 ? 4096 : list->cap * 2;
		int64_t *ids = realloc(list->ids, cap * sizeof *ids);

		if (ids == NULL)
			return false;
		list->ids = ids;
		list->cap = cap;
	}
	list->ids[list->count++] = id;
	return true;
}

/* Open a batch if none is. */
static void
batch_open(struct ps_writer *w, bool *in_batch, uint64_t *batch_start,
    size_t *batch_files)
{
	if (w->error != PS_OK || *in_batch)
		return;
	if (ps_inventory_batch_begin(w->inv) != PS_OK) {
		fail(w, "cannot begin a transaction");
		return;
	}
	*in_batch = true;
	*batch_start = now_ms();
	*batch_files = 0;
}

/* Drop the held results of new files. */
static void
fresh_free(struct ps_writer *w)
{
	for (size_t i = 0; i < w->nfresh; i++)
		ps_file_result_free(w->fresh[i]);
	w->nfresh = 0;
	w->fresh_findings = 0;
}

/* A database error: keep the inventory whole by dropping the batch. */
static void
batch_drop(struct ps_writer *w, bool *in_batch, const char *what)
{
	fail(w, what);
	ps_inventory_batch_rollback(w->inv);
	fresh_free(w);
	w->unchanged.count = 0;
	*in_batch = false;
}

/* Record the held results of new files. */
static void
fresh_flush(struct ps_writer *w, bool *in_batch)
{
	if (w->nfresh == 0)
		return;
	if (w->error == PS_OK
	    && ps_inventory_put_new_files(w->inv, w->fresh, w->nfresh) != PS_OK) {
		batch_drop(w, in_batch, "cannot record a file");
		return;
	}
	fresh_free(w);
}

/* Record one result in the open batch (opening one when needed); true
 * when the writer keeps r (to record it later), which the caller then
 * must not free. */
static bool
record(struct ps_writer *w, struct ps_file_result *r, bool *in_batch,
    uint64_t *batch_start, size_t *batch_files)
{
	/* A file this (resumed) scan recorded before, or one whose reading a
	 * stop cut short: nothing to record now. */
	if (r->done || strcmp(r->reason, "interrupted") == 0)
		return false;
	count(w, r);
	if (w->on_result != NULL)
		w->on_result(w->ctx, r);
	batch_open(w, in_batch, batch_start, batch_files);
	(*batch_files)++;
	/* Unchanged, nothing to copy or update but its scan: recorded with
	 * the others of the batch when it ends (or, out of memory, now). */
	if (r->carry_in_bulk && id_push(&w->unchanged, r->prior_file_id))
		return false;
	if (w->error != PS_OK)
		return false;
	/* New to the inventory: recorded PS_FILES_PER_INSERT at a time, in
	 * the same batch (ps_inventory_put_new_files). */
	if (r->new_path && !r->carry
	    && r->findings.count <= PS_FRESH_MAX_FINDINGS - w->fresh_findings) {
		w->fresh[w->nfresh++] = r;
		w->fresh_findings += r->findings.count;
		if (w->nfresh == PS_FILES_PER_INSERT)
			fresh_flush(w, in_batch);
		return true;
	}
	if (ps_inventory_put_file(w->inv, r) != PS_OK)
		batch_drop(w, in_batch, "cannot record a file");
	return false;
}

/* Unchanged files handed over as ids (ps_result_batch): counted, and
 * recorded with the others of the batch when it ends (out of memory:
 * now). */
static void
record_unchanged(struct ps_writer *w, int64_t *ids, size_t n, bool *in_batch,
    uint64_t *batch_start, size_t *batch_files)
{
	bump(&w->counters.files, n);
	bump(&w->counters.carried, n);
	batch_open(w, in_batch, batch_start, batch_files);
	*batch_files += n;
	for (size_t i = 0; i < n; i++)
		if (!id_push(&w->unchanged, ids[i])) {
			if (w->error == PS_OK
			    && ps_inventory_carry_unchanged(w->inv, ids + i, n - i) != PS_OK)
				batch_drop(w, in_batch, "cannot record unchanged files");
			return;
		}
}

/* Record the batch's held new files and unchanged files, then commit
 * it. */
static void
batch_commit(struct ps_writer *w, bool *in_batch)
{
	fresh_flush(w, in_batch);
	if (w->error == PS_OK && ps_inventory_carry_unchanged(w->inv, w->unchanged.ids,
		w->unchanged.count) != PS_OK) {
		batch_drop(w, in_batch, "cannot record unchanged files");
	} else if (w->error == PS_OK && ps_inventory_batch_commit(w->inv) != PS_OK) {
		fail(w, "cannot commit");
	}
	fresh_free(w);
	w->unchanged.count = 0;
	*in_batch = false;
}

static void *
writer_main(void *arg)
{
	struct ps_writer *w = arg;
	bool in_batch = false, closed = false;
	uint64_t batch_start = 0;
	size_t batch_files = 0;

	while (!closed) {
		void *item = NULL;
		enum ps_pop got = ps_queue_pop_timed(w->results, 200, &item);

		closed = got == PS_POP_CLOSED;
		if (got == PS_POP_ITEM) {
			struct ps_result_batch *b = item;

			for (size_t i = 0; i < b->count; i++)
				if (record(w, b->items[i], &in_batch, &batch_start,
					&batch_files))
					b->items[i] = NULL;
			if (b->nunchanged > 0)
				record_unchanged(w, b->unchanged, b->nunchanged, &in_batch,
				    &batch_start, &batch_files);
			ps_result_batch_free(b);
		}
		if (in_batch && (closed || batch_files >= PS_BATCH_FILES
			|| now_ms() - batch_start >= PS_BATCH_MS))
			batch_commit(w, &in_batch);
	}
	fresh_free(w);
	free(w->unchanged.ids);
	return NULL;
}

bool
ps_writer_start(struct ps_writer *w)
{
	return pthread_create(&w->thread, NULL, writer_main, w) == 0;
}

enum ps_error
ps_writer_join(struct ps_writer *w)
{
	pthread_join(w->thread, NULL);
	return w->error;
}

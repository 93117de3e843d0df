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

static void
count(struct ps_writer *w, const struct ps_file_result *r)
{
	struct ps_counters *c = &w->counters;

	atomic_fetch_add(&c->files, 1);
	if (r->carry)
		atomic_fetch_add(&c->carried, 1);
	if (r->atime_touched)
		atomic_fetch_add(&c->atime_touched, 1);
	atomic_fetch_add(&c->bytes, r->bytes_read);
	atomic_fetch_add(&c->findings, r->findings.count + r->findings.dropped);
	if (strcmp(r->status, "error") == 0)
		atomic_fetch_add(&c->errors, 1);
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

/* Record one result in the open batch (opening one when needed). */
static void
record(struct ps_writer *w, struct ps_file_result *r, bool *in_batch,
    uint64_t *batch_start, size_t *batch_files)
{
	/* A file this (resumed) scan recorded before, or one whose reading a
	 * stop cut short: nothing to record now. */
	if (r->done || strcmp(r->reason, "interrupted") == 0)
		return;
	count(w, r);
	if (w->on_result != NULL)
		w->on_result(w->ctx, r);
	batch_open(w, in_batch, batch_start, batch_files);
	(*batch_files)++;
	/* Unchanged, nothing to copy or update but its scan: recorded with
	 * the others of the batch when it ends (or, out of memory, now). */
	if (r->carry_in_bulk && id_push(&w->unchanged, r->prior_file_id))
		return;
	if (w->error == PS_OK && ps_inventory_put_file(w->inv, r) != PS_OK) {
		fail(w, "cannot record a file");
		/* Keep the inventory whole: drop the batch. */
		ps_inventory_batch_rollback(w->inv);
		*in_batch = false;
	}
}

/* Record the batch's unchanged files, then commit it. */
static void
batch_commit(struct ps_writer *w, bool *in_batch)
{
	if (w->error == PS_OK && ps_inventory_carry_unchanged(w->inv, w->unchanged.ids,
		w->unchanged.count) != PS_OK) {
		fail(w, "cannot record unchanged files");
		ps_inventory_batch_rollback(w->inv);
	} else if (w->error == PS_OK && ps_inventory_batch_commit(w->inv) != PS_OK) {
		fail(w, "cannot commit");
	}
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
				record(w, b->items[i], &in_batch, &batch_start, &batch_files);
			ps_result_batch_free(b);
		}
		if (in_batch && (closed || batch_files >= PS_BATCH_FILES
			|| now_ms() - batch_start >= PS_BATCH_MS))
			batch_commit(w, &in_batch);
	}
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

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

/* Keep an unchanged file's id for the update in bulk; false when out of
 * memory (it is then recorded on its own). */
static bool
defer_unchanged(struct ps_writer *w, const struct ps_file_result *r)
{
	if (w->unchanged_count == w->unchanged_cap) {
		size_t cap = w->unchanged_cap == 0 ? 4096 : w->unchanged_cap * 2;
		int64_t *ids = realloc(w->unchanged, cap * sizeof *ids);

		if (ids == NULL)
			return false;
		w->unchanged = ids;
		w->unchanged_cap = cap;
	}
	w->unchanged[w->unchanged_count++] = r->prior_file_id;
	return true;
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
	if (r->carry_in_bulk && defer_unchanged(w, r))
		return;
	if (w->error == PS_OK && !*in_batch) {
		if (ps_inventory_batch_begin(w->inv) != PS_OK) {
			fail(w, "cannot begin a transaction");
		} else {
			*in_batch = true;
			*batch_start = now_ms();
			*batch_files = 0;
		}
	}
	if (w->error == PS_OK && ps_inventory_put_file(w->inv, r) != PS_OK) {
		fail(w, "cannot record a file");
		/* Keep the inventory whole: drop the batch. */
		ps_inventory_batch_rollback(w->inv);
		*in_batch = false;
	}
	(*batch_files)++;
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
			|| now_ms() - batch_start >= PS_BATCH_MS)) {
			if (ps_inventory_batch_commit(w->inv) != PS_OK)
				fail(w, "cannot commit");
			in_batch = false;
		}
	}
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

/*
 * writer.h - the inventory writer thread.
 *
 * The only thread that writes the database during a scan: it takes
 * batches of file results from a queue, puts them in batched transactions (at most
 * PS_BATCH_FILES files or PS_BATCH_MS milliseconds each), keeps the scan's
 * counters, and hands each result to a report callback before freeing it.
 */
#ifndef PS_WRITER_H
#define PS_WRITER_H

#include <pthread.h>
#include <stdatomic.h>

#include "inventory.h"
#include "queue.h"

#define PS_BATCH_FILES 10000
#define PS_BATCH_MS    1000

/* What this run recorded, for the progress line (a resumed scan's totals
 * come from the inventory). */
struct ps_counters {
	atomic_uint_fast64_t files, bytes, findings, errors;
	atomic_uint_fast64_t carried;        /* unchanged files not read again */
	atomic_uint_fast64_t atime_touched;  /* read without O_NOATIME */
};

/* Results travel to the writer in batches: one queue operation, and at
 * most one wake-up, for many files. */
#define PS_RESULT_BATCH 64
#define PS_UNCHANGED_BATCH 512
struct ps_result_batch {
	size_t count;
	size_t findings;           /* held by its results */
	struct ps_file_result *items[PS_RESULT_BATCH];
	/* Unchanged files with nothing to record but this scan (the result's
	 * carry_in_bulk, most of a rescan): their file ids alone. */
	size_t nunchanged;
	int64_t unchanged[PS_UNCHANGED_BATCH];
};
void ps_result_batch_free(struct ps_result_batch *b);

/* Findings waiting for the writer, at most (about 250 bytes each): when
 * files hold findings faster than the writer records them, the workers
 * wait instead of holding them all in memory. */
#define PS_RESULTS_MAX_FINDINGS 100000
/* A worker hands its batch over early once it holds this many. */
#define PS_BATCH_MAX_FINDINGS   (PS_RESULTS_MAX_FINDINGS / 8)

/* Findings the writer holds in the results of new files, at most (a
 * file may have PS_MAX_FINDINGS_PER_FILE): a file that would pass it is
 * recorded at once. */
#define PS_FRESH_MAX_FINDINGS 1024

struct ps_writer {
	struct ps_inventory *inv;
	struct ps_queue *results;
	struct ps_counters counters;
	/* Called on the writer thread for every result, before it is freed
	 * (the scan command prints errors from it). */
	void (*on_result)(void *ctx, const struct ps_file_result *r);
	void *ctx;
	/* The batch's unchanged files, for ps_inventory_carry_unchanged(). */
	struct ps_id_list {
		int64_t *ids;
		size_t count, cap;
	} unchanged;
	/* Results of files new to the inventory, held (owned) until
	 * PS_FILES_PER_INSERT of them go in with one statement or the batch
	 * commits, with at most PS_FRESH_MAX_FINDINGS findings among them. */
	struct ps_file_result *fresh[PS_FILES_PER_INSERT];
	size_t nfresh, fresh_findings;
	enum ps_error error;       /* first database error, then results are dropped */
	char why[256];
	pthread_t thread;
};

/* Start the thread; false when it cannot be started. */
bool ps_writer_start(struct ps_writer *w);
/* Wait for the thread: call after closing the results queue. */
enum ps_error ps_writer_join(struct ps_writer *w);

#endif

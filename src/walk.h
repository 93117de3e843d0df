/*
 * walk.h - the parallel directory walk.
 *
 * Worker threads take items from one bounded queue: a directory item is
 * read and its entries become new items; a file item is scanned
 * (scan.c).  When the queue is full a worker handles the entry itself
 * instead of waiting, so the walk can never deadlock and memory stays
 * bounded.  Every outcome, including entries that are not scanned, goes to
 * the results queue as a ps_file_result for the inventory writer.
 */
#ifndef PS_WALK_H
#define PS_WALK_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <sys/types.h>

#include "queue.h"
#include "scan.h"
#include "shard.h"

/* What the walk is doing, for the progress line. */
struct ps_walk_status {
	pthread_mutex_t lock;
	char dir[512];                /* a directory being read */
};

struct ps_walk_config {
	unsigned threads;
	char **excludes;              /* fnmatch(3) patterns */
	size_t nexcludes;
	bool one_file_system;
	bool follow_symlinks;
	struct ps_limits limits;
	/* --shard K/N: only the entries of shard K are recorded and scanned;
	 * directories of other shards at the shard depth are not read. */
	struct ps_shard shard;
	struct ps_plan plan;
	/* Files never scanned: the inventory and its journal, by device and
	 * inode, and their names (an entry by one of those names is always
	 * stat()ed, to compare). */
	struct {
		dev_t dev;
		ino_t ino;
		char name[256];
	} skip[3];
	size_t nskip;
	struct ps_walk_status *status;  /* may be NULL */
};

/*
 * Walk the absolute paths roots[0..nroots) with cfg->threads workers,
 * sending each outcome to results (blocking while it is full).  Returns
 * when everything has been walked, or stop became true.  Fails only when
 * the workers' tools cannot be made (cause in why).
 */
enum ps_error ps_walk_run(const struct ps_walk_config *cfg,
    const struct ps_patterns *set, const struct ps_key *key,
    char *const *roots, size_t nroots, struct ps_queue *results,
    atomic_bool *stop, char *why, size_t whylen);

/* Whether an exclude pattern matches: patterns without '/' are matched
 * against the base name, others against the whole path. */
bool ps_walk_excluded(const struct ps_walk_config *cfg, const char *path,
    const char *base);

#endif

/*
 * shard.h - which of N shards a path belongs to (scan --shard K/N).
 *
 * A file belongs to the shard of its key: the first D components of its
 * path relative to the root it was found under (D = --shard-depth), or
 * its whole relative path when it lies less deep.  Whole subtrees below
 * depth D go together, so a walk prunes a directory of another shard
 * without reading it.  A root itself (a file named on the command line,
 * or a root that cannot be read) is keyed by its absolute path.
 *
 * The hash is the first 8 bytes of SHA-256 of the key's bytes, read as a
 * big-endian unsigned 64-bit number; the shard is that number mod N,
 * plus 1.  It depends on nothing but the bytes, so every host and every
 * version agree (piiscan(1), SHARDS).  Pure functions, any thread.
 */
#ifndef PS_SHARD_H
#define PS_SHARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PS_SHARD_MAX 65536          /* most shards a scan may be split into */
#define PS_SHARD_DEPTH_MAX 64
#define PS_SHARD_DEFAULT_DEPTH 3    /* measured: bench/README, SHARDS */

struct ps_shard {
	unsigned index;     /* 1..count */
	unsigned count;     /* 0: not sharded (everything is ours) */
	unsigned depth;     /* >= 1 */
};

/* The first 8 bytes of SHA-256(key[0..len)), big-endian. */
uint64_t ps_shard_hash(const char *key, size_t len);

/* The shard (1..count) of a key. */
unsigned ps_shard_of_key(const char *key, size_t len, unsigned count);

/* How many bytes of rel (a root-relative path, no leading '/') make its
 * first depth components. */
size_t ps_shard_key_len(const char *rel, unsigned depth);

/* Whether the entry at path, found under root (both absolute, path at or
 * under root), belongs to shard s.  Always true when s is not sharded. */
bool ps_shard_owns(const struct ps_shard *s, const char *root,
    const char *path);

/* Parse "K/N" (1 <= K <= N <= PS_SHARD_MAX).  False on anything else. */
bool ps_shard_parse(const char *spec, unsigned *k, unsigned *n);

/*
 * --shard auto: K and N from a scheduler's environment, given as the
 * values of these variables (NULL when unset):
 *   Slurm job array: K = (SLURM_ARRAY_TASK_ID - SLURM_ARRAY_TASK_MIN)
 *     / SLURM_ARRAY_TASK_STEP + 1, N = SLURM_ARRAY_TASK_COUNT (or shards);
 *   Kubernetes Indexed Job: K = JOB_COMPLETION_INDEX + 1, N = shards.
 * shards is --shards N, or 0.  On failure false, with the cause in why.
 */
struct ps_shard_env {
	const char *slurm_id, *slurm_min, *slurm_step, *slurm_count;
	const char *job_index;
};
bool ps_shard_auto(const struct ps_shard_env *env, unsigned shards,
    unsigned *k, unsigned *n, char *why, size_t whylen);

#endif

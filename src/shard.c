/*
 * shard.c - which of N shards a path belongs to (see shard.h).
 */
#include "config.h"

#include "shard.h"

#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

uint64_t
ps_shard_hash(const char *key, size_t len)
{
	unsigned char digest[crypto_hash_sha256_BYTES];
	uint64_t h = 0;

	crypto_hash_sha256(digest, (const unsigned char *)key, len);
	for (int i = 0; i < 8; i++)
		h = h << 8 | digest[i];
	return h;
}

unsigned
ps_shard_of_key(const char *key, size_t len, unsigned count)
{
	return count == 0 ? 1 : (unsigned)(ps_shard_hash(key, len) % count) + 1;
}

size_t
ps_shard_key_len(const char *rel, unsigned depth)
{
	size_t i = 0;

	for (unsigned d = 0; rel[i] != '\0'; i++)
		if (rel[i] == '/' && ++d == depth)
			break;
	return i;
}

bool
ps_shard_owns(const struct ps_shard *s, const char *root, const char *path)
{
	size_t n = strlen(root);
	const char *rel;

	if (s->count <= 1)
		return true;
	/* The root itself, or a path not under it (not expected): by the
	 * whole path. */
	if (strncmp(path, root, n) != 0 || path[n] == '\0')
		return ps_shard_of_key(path, strlen(path), s->count) == s->index;
	rel = path + n;
	if (*rel == '/')
		rel++;
	else if (n == 0 || root[n - 1] != '/')
		return ps_shard_of_key(path, strlen(path), s->count) == s->index;
	return ps_shard_of_key(rel, ps_shard_key_len(rel, s->depth), s->count)
	    == s->index;
}

/* A decimal number in [min, max], the whole string. */
static bool
parse_number(const char *s, unsigned long min, unsigned long max,
    unsigned long *out)
{
	char *end;
	unsigned long v;

	if (s == NULL || *s < '0' || *s > '9')
		return false;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		return false;
	*out = v;
	return true;
}

bool
ps_shard_parse(const char *spec, unsigned *k, unsigned *n)
{
	const char *slash = strchr(spec, '/');
	unsigned long kk, nn;
	char first[16];

	if (slash == NULL || (size_t)(slash - spec) >= sizeof first)
		return false;
	memcpy(first, spec, (size_t)(slash - spec));
	first[slash - spec] = '\0';
	if (!parse_number(first, 1, PS_SHARD_MAX, &kk)
	    || !parse_number(slash + 1, 1, PS_SHARD_MAX, &nn) || kk > nn)
		return false;
	*k = (unsigned)kk;
	*n = (unsigned)nn;
	return true;
}

bool
ps_shard_auto(const struct ps_shard_env *env, unsigned shards, unsigned *k,
    unsigned *n, char *why, size_t whylen)
{
	unsigned long id, min = 0, step = 1, count = 0, index;

	if (env->slurm_id != NULL) {
		if (!parse_number(env->slurm_id, 0, 4000000000UL, &id)
		    || (env->slurm_min != NULL
			&& !parse_number(env->slurm_min, 0, id, &min))
		    || (env->slurm_step != NULL
			&& !parse_number(env->slurm_step, 1, 4000000000UL, &step))
		    || (env->slurm_count != NULL
			&& !parse_number(env->slurm_count, 1, PS_SHARD_MAX, &count))) {
			snprintf(why, whylen, "the SLURM_ARRAY_TASK_* variables are "
			    "not numbers as Slurm sets them");
			return false;
		}
		if ((id - min) % step != 0) {
			snprintf(why, whylen, "SLURM_ARRAY_TASK_ID %lu is not MIN %lu "
			    "plus a multiple of STEP %lu", id, min, step);
			return false;
		}
		if (shards != 0 && count != 0 && count != shards) {
			snprintf(why, whylen, "the job array has %lu tasks "
			    "(SLURM_ARRAY_TASK_COUNT) but --shards is %u", count, shards);
			return false;
		}
		if (shards == 0 && count == 0) {
			snprintf(why, whylen, "no SLURM_ARRAY_TASK_COUNT: give --shards N");
			return false;
		}
		index = (id - min) / step + 1;
		*n = shards != 0 ? shards : (unsigned)count;
	} else if (env->job_index != NULL) {
		if (!parse_number(env->job_index, 0, PS_SHARD_MAX - 1, &index)) {
			snprintf(why, whylen, "JOB_COMPLETION_INDEX '%s' is not a number",
			    env->job_index);
			return false;
		}
		if (shards == 0) {
			snprintf(why, whylen, "JOB_COMPLETION_INDEX needs --shards N "
			    "(the Job's completions)");
			return false;
		}
		index++;
		*n = shards;
	} else {
		snprintf(why, whylen, "neither SLURM_ARRAY_TASK_ID nor "
		    "JOB_COMPLETION_INDEX is set");
		return false;
	}
	if (index > *n) {
		snprintf(why, whylen, "the task is shard %lu of only %u", index, *n);
		return false;
	}
	*k = (unsigned)index;
	return true;
}

/*
 * test_shard.c - the shard hash against fixed vectors (the first 8 bytes
 * of SHA-256, as sha256sum prints them), keys at a depth, shard ownership
 * of paths, K/N parsing, and --shard auto from Slurm and Kubernetes
 * environments.
 */
#include "../unit/tap.h"

#include <sodium.h>

#include "shard.h"

static void
test_hash(void)
{
	/* printf '%s' KEY | sha256sum | cut -c1-16 */
	static const struct {
		const char *key;
		uint64_t hash;
		unsigned of4, of16, of7;
	} v[] = {
		{ "", 0xe3b0c44298fc1c14ULL, 1, 5, 2 },
		{ "hr", 0x1b52f3a2e1514873ULL, 4, 4, 1 },
		{ "hr/2019", 0xd0a6ca374d2fce6aULL, 3, 11, 1 },
		{ "a.txt", 0x18b7cb099a9ea3f5ULL, 2, 6, 3 },
		{ "dept3/2017", 0x0307ea05552bdbb3ULL, 4, 4, 5 },
		{ "/srv/share/a.txt", 0x066959dc88afcb9dULL, 2, 14, 4 },
	};

	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		size_t n = strlen(v[i].key);

		ok(ps_shard_hash(v[i].key, n) == v[i].hash, "hash of '%s'", v[i].key);
		is_int(ps_shard_of_key(v[i].key, n, 4), v[i].of4, "'%s' of 4", v[i].key);
		is_int(ps_shard_of_key(v[i].key, n, 16), v[i].of16, "'%s' of 16", v[i].key);
		is_int(ps_shard_of_key(v[i].key, n, 7), v[i].of7, "'%s' of 7", v[i].key);
		is_int(ps_shard_of_key(v[i].key, n, 1), 1, "'%s' of 1", v[i].key);
	}
	/* Only the key's bytes count: "hr/2019" inside a longer buffer. */
	is_int(ps_shard_of_key("hr/2019/x", 7, 16), 11, "a prefix of a buffer");
}

static void
test_key_len(void)
{
	is_int(ps_shard_key_len("hr/2019/a.txt", 1), 2, "depth 1: hr");
	is_int(ps_shard_key_len("hr/2019/a.txt", 2), 7, "depth 2: hr/2019");
	is_int(ps_shard_key_len("hr/2019/a.txt", 3), 13, "depth 3: the file");
	is_int(ps_shard_key_len("hr/2019/a.txt", 9), 13, "deeper than the path");
	is_int(ps_shard_key_len("a.txt", 2), 5, "a file at the top");
}

static void
test_owns(void)
{
	struct ps_shard s = { 0, 16, 2 };
	unsigned n = 0;

	/* hr/2019 is shard 11 of 16: all below it too, nothing else here. */
	s.index = 11;
	ok(ps_shard_owns(&s, "/srv/share", "/srv/share/hr/2019"), "the directory");
	ok(ps_shard_owns(&s, "/srv/share", "/srv/share/hr/2019/a/b/c.txt"),
	    "a file deep below it");
	ok(ps_shard_owns(&s, "/srv/share/", "/srv/share/hr/2019/x"),
	    "a root with a trailing slash");
	s.index = 6;
	ok(ps_shard_owns(&s, "/srv/share", "/srv/share/a.txt"),
	    "a file above the depth: its own path (a.txt is 6 of 16)");
	ok(ps_shard_owns(&s, "/", "/a.txt"), "under the root /");
	s.index = 14;
	ok(ps_shard_owns(&s, "/srv/share/a.txt", "/srv/share/a.txt"),
	    "a root itself: its absolute path");
	/* Each path in exactly one shard. */
	for (s.index = 1; s.index <= 16; s.index++)
		n += ps_shard_owns(&s, "/srv/share", "/srv/share/hr/2019/q.txt");
	is_int(n, 1, "one shard of 16 owns a path");
	s.count = 0;
	ok(ps_shard_owns(&s, "/srv", "/srv/x"), "not sharded: everything");
}

static void
test_parse(void)
{
	unsigned k = 0, n = 0;

	ok(ps_shard_parse("2/4", &k, &n) && k == 2 && n == 4, "2/4");
	ok(ps_shard_parse("1/1", &k, &n) && k == 1 && n == 1, "1/1");
	ok(!ps_shard_parse("0/4", &k, &n), "0/4 refused (K counts from 1)");
	ok(!ps_shard_parse("5/4", &k, &n), "5/4 refused");
	ok(!ps_shard_parse("4", &k, &n), "4 refused");
	ok(!ps_shard_parse("1/4x", &k, &n), "1/4x refused");
	ok(!ps_shard_parse("-1/4", &k, &n), "-1/4 refused");
	ok(!ps_shard_parse("1/65537", &k, &n), "too many shards refused");
	ok(!ps_shard_parse("/4", &k, &n), "/4 refused");
}

static void
test_auto(void)
{
	struct ps_shard_env e;
	unsigned k = 0, n = 0;
	char why[200];

	/* sbatch --array=1-4 */
	e = (struct ps_shard_env){ "3", "1", NULL, "4", NULL };
	ok(ps_shard_auto(&e, 0, &k, &n, why, sizeof why) && k == 3 && n == 4,
	    "Slurm --array=1-4, task 3: 3/4");
	/* sbatch --array=0-3 */
	e = (struct ps_shard_env){ "0", "0", NULL, "4", NULL };
	ok(ps_shard_auto(&e, 4, &k, &n, why, sizeof why) && k == 1 && n == 4,
	    "Slurm --array=0-3, task 0: 1/4");
	/* sbatch --array=0-12:4 */
	e = (struct ps_shard_env){ "8", "0", "4", "4", NULL };
	ok(ps_shard_auto(&e, 0, &k, &n, why, sizeof why) && k == 3 && n == 4,
	    "Slurm --array=0-12:4, task 8: 3/4");
	e = (struct ps_shard_env){ "3", "1", NULL, "8", NULL };
	ok(!ps_shard_auto(&e, 4, &k, &n, why, sizeof why), "array of 8, --shards 4: refused");
	e = (struct ps_shard_env){ "x", "1", NULL, "4", NULL };
	ok(!ps_shard_auto(&e, 0, &k, &n, why, sizeof why), "task id not a number");
	/* Kubernetes Indexed Job, completions 4 */
	e = (struct ps_shard_env){ NULL, NULL, NULL, NULL, "0" };
	ok(ps_shard_auto(&e, 4, &k, &n, why, sizeof why) && k == 1 && n == 4,
	    "JOB_COMPLETION_INDEX 0: 1/4");
	e.job_index = "3";
	ok(ps_shard_auto(&e, 4, &k, &n, why, sizeof why) && k == 4 && n == 4,
	    "JOB_COMPLETION_INDEX 3: 4/4");
	e.job_index = "4";
	ok(!ps_shard_auto(&e, 4, &k, &n, why, sizeof why), "index 4 of 4 refused");
	e.job_index = "1";
	ok(!ps_shard_auto(&e, 0, &k, &n, why, sizeof why), "index without --shards refused");
	e = (struct ps_shard_env){ NULL, NULL, NULL, NULL, NULL };
	ok(!ps_shard_auto(&e, 4, &k, &n, why, sizeof why), "no scheduler: refused");
	is_str(why, "neither SLURM_ARRAY_TASK_ID nor JOB_COMPLETION_INDEX is set",
	    "... saying why");
}

int
main(void)
{
	if (sodium_init() < 0)
		return 1;
	test_hash();
	test_key_len();
	test_owns();
	test_parse();
	test_auto();
	return done_testing();
}

/*
 * scanfile.h - what the document tests share: a temporary directory,
 * tests/docgen to write documents into it, one worker with the built-in
 * patterns and default limits to scan them through ps_scan_file(), and
 * helpers to count and show the findings.  Header-only, like tap.h; one
 * test program each, which need not use every helper.
 */
#ifndef PS_SCANFILE_H
#define PS_SCANFILE_H

#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../unit/tap.h"
#include "extract.h"
#include "scan.h"

static char dir[64];
static const char *docgen;
static struct ps_worker *worker;
static struct ps_patterns *patterns;
static const struct ps_limits limits = {
	.max_filesize = (uint64_t)1 << 30,
	.max_expanded = PS_DEFAULT_MAX_EXPANDED,
	.max_depth = PS_DEFAULT_MAX_DEPTH,
	.max_members = PS_DEFAULT_MAX_MEMBERS,
	.max_ratio = PS_DEFAULT_MAX_RATIO,
};

static const char *
path_of(const char *name)
{
	static char paths[4][256];
	static int next;
	char *p = paths[next++ % 4];

	snprintf(p, sizeof paths[0], "%s/%s", dir, name);
	return p;
}

static void __attribute__((unused))
write_file(const char *name, const char *text)
{
	FILE *fp = fopen(path_of(name), "w");

	if (fp == NULL || fputs(text, fp) < 0 || fclose(fp) != 0)
		printf("# cannot write %s\n", name);
}

/* docgen KIND NAME < spec; true when it worked. */
static bool __attribute__((unused))
gen(const char *kind, const char *name, const char *spec)
{
	char cmd[512];
	FILE *fp;

	snprintf(cmd, sizeof cmd, "'%s' %s '%s'", docgen, kind, path_of(name));
	if ((fp = popen(cmd, "w")) == NULL)
		return false;
	fputs(spec, fp);
	return pclose(fp) == 0;
}

/* docgen zip NAME MEMBER=FILE... (files in dir). */
static bool __attribute__((unused))
gen_zip(const char *name, const char *members)
{
	char cmd[1024];

	snprintf(cmd, sizeof cmd, "cd '%s' && '%s' zip '%s' %s", dir, docgen, name, members);
	return system(cmd) == 0;
}

static struct ps_file_result *
scan(const char *name, double *seconds)
{
	struct ps_file_result *r = ps_file_result_new(strdup(path_of(name)));
	struct timespec a, b;

	if (r == NULL)
		return NULL;
	clock_gettime(CLOCK_MONOTONIC, &a);
	if (ps_scan_file(worker, r) != PS_OK) {
		ps_file_result_free(r);
		return NULL;
	}
	clock_gettime(CLOCK_MONOTONIC, &b);
	if (seconds != NULL)
		*seconds = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
	return r;
}

/* How many findings are exactly that. */
static int __attribute__((unused))
count(const struct ps_file_result *r, const char *type, enum ps_confidence conf,
    const char *masked, const char *where, const char *member)
{
	int n = 0;

	for (size_t i = 0; i < r->findings.count; i++) {
		const struct ps_finding *f = &r->findings.items[i];

		if (strcmp(f->type, type) == 0 && f->confidence == conf
		    && strcmp(f->masked, masked) == 0 && strcmp(f->where, where) == 0
		    && strcmp(f->member != NULL ? f->member : "", member) == 0)
			n++;
	}
	return n;
}

static void __attribute__((unused))
show(const struct ps_file_result *r)
{
	printf("# %s: type %s, status %s %s\n", r->path, r->type, r->status, r->reason);
	for (size_t i = 0; i < r->findings.count; i++) {
		const struct ps_finding *f = &r->findings.items[i];

		printf("#   %s %s %s [%s] {%s}\n", f->type,
		    ps_confidence_name(f->confidence), f->masked, f->where,
		    f->member != NULL ? f->member : "");
	}
}

#define HIGH PS_CONF_HIGH
#define MEDIUM PS_CONF_MEDIUM
#define LOW PS_CONF_LOW

/* One finding exactly like that, or say what there was. */
#define FOUND(r, type, conf, masked, where, member, what) do {              \
	if (!ok(count(r, type, conf, masked, where, member) == 1, "%s", what)) \
		show(r);                                                    \
} while (0)

/* A temporary directory named after the test, docgen, and the worker.
 * False (after a TAP failure) when any of them cannot be had. */
static bool
scanfile_setup(const char *name)
{
	struct ps_key key;
	char why[256];

	if ((docgen = getenv("DOCGEN")) == NULL)
		docgen = "tests/docgen";
	snprintf(dir, sizeof dir, "/tmp/ps-%s-XXXXXX", name);
	if (mkdtemp(dir) == NULL) {
		ok(0, "temporary directory");
		return false;
	}
	memset(key.bytes, 0x5a, sizeof key.bytes);
	if (!ok(ps_patterns_load(NULL, &patterns, why, sizeof why) == PS_OK,
	    "patterns load") || !ok((worker = ps_worker_new(patterns, &key, &limits,
	    NULL, NULL, why, sizeof why)) != NULL, "worker")) {
		printf("# %s\n", why);
		return false;
	}
	return true;
}

static int
scanfile_teardown(void)
{
	char cmd[128];

	ps_worker_free(worker);
	ps_patterns_free(patterns);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		printf("# could not remove %s\n", dir);
	return done_testing();
}

#endif

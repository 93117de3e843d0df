/*
 * fuzz_scan.c - a fuzz target: arbitrary bytes scanned as the content of
 * a file by one extractor (FUZZ_TYPE: "text", "csv", "zip", "gzip", "tar",
 * "7z", "rar", "xz"; the
 * office packages are recognised inside zip archives), or, without
 * FUZZ_TYPE, by the one its content calls for.  Everything a real scan does to such a file runs:
 * type detection of its members, decoding, nested archives within the
 * limits, the matcher and the validators.
 *
 * Built with libFuzzer by ./configure --enable-fuzz (tests/fuzz/README),
 * and, in every build, with driver.c, which runs the saved inputs as
 * regression tests under make check.
 */
#include "config.h"

#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "key.h"
#include "patterns.h"
#include "scan.h"

#ifndef FUZZ_TYPE
#define FUZZ_TYPE NULL
#endif
#ifndef FUZZ_NAME
#define FUZZ_NAME "input"
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Lower than the defaults, so that one input stays fast; the same code
 * paths run. */
static const struct ps_limits limits = {
	.max_filesize = (uint64_t)16 << 20,
	.max_expanded = (uint64_t)32 << 20,
	.max_depth = PS_DEFAULT_MAX_DEPTH,
	.max_members = 500,
	.max_ratio = PS_DEFAULT_MAX_RATIO,
};
static const struct ps_plan plan = { 0 };
static struct ps_patterns *set;
static struct ps_key key;
static atomic_bool stop;
static struct ps_worker *worker;

static void
setup(void)
{
	char why[256];

	if (ps_patterns_load(NULL, &set, why, sizeof why) != PS_OK
	    || (worker = ps_worker_new(set, &key, &limits, &plan, &stop, why,
		sizeof why)) == NULL) {
		fprintf(stderr, "fuzz_scan: %s\n", why);
		abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ps_file_result *r;
	char *name;

	if (worker == NULL)
		setup();
	if ((name = strdup(FUZZ_NAME)) == NULL || (r = ps_file_result_new(name)) == NULL)
		return 0;
	(void)ps_scan_buffer(worker, r, data, size, FUZZ_TYPE);
	ps_file_result_free(r);
	return 0;
}

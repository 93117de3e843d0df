/*
 * fuzz_match.c - a fuzz target: arbitrary bytes through the matcher with
 * the built-in patterns (prefilter, PCRE2 with its validating callouts,
 * keywords, masking, hashing), whole and in pieces whose sizes the input's
 * first byte picks, with and without line numbers.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "key.h"
#include "match.h"
#include "patterns.h"
#include "sink.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct ps_patterns *set;
static struct ps_matcher *matcher;
static struct ps_key key;

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ps_findings found = { 0 };
	struct ps_sink s;
	struct ps_unit u = { .first_line = 1 };
	size_t piece;
	char why[256];

	if (matcher == NULL) {
		if (ps_patterns_load(NULL, &set, why, sizeof why) != PS_OK
		    || (matcher = ps_matcher_new(set, &key)) == NULL) {
			fprintf(stderr, "fuzz_match: %s\n", why);
			abort();
		}
	}
	if (size == 0)
		return 0;
	piece = 1 + data[0] % 64 * 37;
	u.where = data[0] & 1 ? NULL : "cell";
	data++, size--;
	s = ps_matcher_sink(matcher);
	ps_matcher_target(matcher, &found, NULL);
	ps_sink_begin(&s, &u);
	for (size_t off = 0; off < size; off += piece)
		ps_sink_text(&s, (const char *)data + off, size - off < piece ? size - off : piece);
	ps_sink_end(&s);
	ps_findings_free(&found);
	return 0;
}

/*
 * fuzz_patterns.c - a fuzz target: arbitrary bytes as a pattern file
 * (piiscan-patterns(5)), parsed and, when valid, compiled with the
 * built-in types; a set that compiles matches a fixed text.
 */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "key.h"
#include "match.h"
#include "patterns.h"
#include "sink.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char text[] = "card 4111 1111 1111 1111, HKID A123456(3), "
	    "ref 1234567890123456789 B1234567 x@example.com\n";
	struct ps_patterns *set = ps_patterns_new();
	struct ps_key key = { 0 };
	char why[512];

	if (set == NULL)
		return 0;
	if (ps_patterns_parse(set, "fuzz.pattern", (const char *)data, size, why,
		sizeof why) == PS_OK
	    && ps_patterns_compile(set, why, sizeof why) == PS_OK) {
		struct ps_matcher *m = ps_matcher_new(set, &key);
		struct ps_findings found = { 0 };

		if (m != NULL) {
			struct ps_sink s = ps_matcher_sink(m);
			struct ps_unit u = { .first_line = 1, .context = "Card number" };

			ps_matcher_target(m, &found, NULL);
			ps_sink_begin(&s, &u);
			ps_sink_text(&s, text, sizeof text - 1);
			ps_sink_end(&s);
			ps_findings_free(&found);
			ps_matcher_free(m);
		}
	}
	ps_patterns_free(set);
	return 0;
}

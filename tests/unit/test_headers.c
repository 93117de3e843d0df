/*
 * test_headers.c - column headers: room made as the header row reaches
 * further columns (headers kept when it grows), columns left empty,
 * spans, the column limit, and forgetting for the next table.
 */
#include "../unit/tap.h"

#include "extract/headers.h"

static void
put(struct ps_headers *h, uint64_t col, const char *text)
{
	char *slot;

	if (ps_headers_slot(h, col, &slot) == PS_OK && slot != NULL)
		snprintf(slot, PS_HEADER_MAX, "%s", text);
}

int
main(void)
{
	struct ps_headers h = { 0 };
	char *slot = (char *)"unset";
	char want[32];
	bool all = true;

	ok(ps_headers_get(&h, 0) == NULL, "no header before any is written");
	put(&h, 2, "HKID");
	ok(ps_headers_get(&h, 0) == NULL && ps_headers_get(&h, 1) == NULL,
	    "the columns before a header are empty");
	is_str(ps_headers_get(&h, 2), "HKID", "column 2");
	for (uint64_t c = 3; c < PS_HEADER_COLUMNS; c++) {
		snprintf(want, sizeof want, "col %llu", (unsigned long long)c);
		put(&h, c, want);
	}
	for (uint64_t c = 3; c < PS_HEADER_COLUMNS; c++) {
		snprintf(want, sizeof want, "col %llu", (unsigned long long)c);
		all = all && ps_headers_get(&h, c) != NULL
		    && strcmp(ps_headers_get(&h, c), want) == 0;
	}
	ok(all, "every column up to the limit keeps its header as the table grows");
	is_str(ps_headers_get(&h, 2), "HKID", "... the first one too");
	is_int(ps_headers_slot(&h, PS_HEADER_COLUMNS, &slot), PS_OK, "past the limit: no error");
	ok(slot == NULL, "... and no slot");
	ok(ps_headers_get(&h, PS_HEADER_COLUMNS) == NULL, "... nor a header");

	ps_headers_forget(&h);
	ok(ps_headers_get(&h, 2) == NULL, "forgotten for the next table");
	put(&h, 1, "Card number");
	is_int(ps_headers_span(&h, 1, 3), PS_OK, "a header spanning three columns");
	is_str(ps_headers_get(&h, 2), "Card number", "... names the second");
	is_str(ps_headers_get(&h, 3), "Card number", "... and the third");
	ok(ps_headers_get(&h, 4) == NULL, "... not the fourth");
	is_int(ps_headers_span(&h, 9, 4), PS_OK, "a span from a column with no header");
	ok(ps_headers_get(&h, 10) == NULL, "... names nothing");
	is_int(ps_headers_span(&h, PS_HEADER_COLUMNS - 2, 10), PS_OK,
	    "a span past the limit");
	ps_headers_free(&h);
	ok(h.text == NULL && h.used == 0 && h.cap == 0, "freed");
	ps_headers_free(&h);
	return done_testing();
}

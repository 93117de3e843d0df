/*
 * headers.h - the column headers of a table: the cells of a sheet's or a
 * word-processor table's first row, the fields of a CSV file's first
 * record, kept as the context of the cells below them.
 *
 * Room is made for the columns the header row reaches, not for all the
 * columns a table may have: most tables have a few, and there is a table
 * per sheet and per document.  (A 128 KiB table per sheet, freed after
 * it, made the allocator hand memory back to the kernel and fault it in
 * again for every document.)
 */
#ifndef PIISCAN_EXTRACT_HEADERS_H
#define PIISCAN_EXTRACT_HEADERS_H

#include "../piiscan.h"

#include <stdint.h>

#define PS_HEADER_MAX      128     /* bytes of a column header kept, NUL included */
#define PS_HEADER_COLUMNS  1024    /* columns with a remembered header */

struct ps_headers {
	char (*text)[PS_HEADER_MAX];
	size_t used;                    /* text[0..used) are set */
	size_t cap;
};

/*
 * The header of column col, to be written: the columns before it that
 * had none are made empty first.  *slot is NULL for a column past
 * PS_HEADER_COLUMNS, whose header is not kept.
 */
enum ps_error ps_headers_slot(struct ps_headers *h, uint64_t col, char **slot);
/* Column col's header, or NULL when it has none (or an empty one). */
const char *ps_headers_get(const struct ps_headers *h, uint64_t col);
/* A header cell spanning span columns names them all. */
enum ps_error ps_headers_span(struct ps_headers *h, uint64_t col, uint64_t span);
/* A new table: every header forgotten, the room kept. */
void ps_headers_forget(struct ps_headers *h);
void ps_headers_free(struct ps_headers *h);

#endif

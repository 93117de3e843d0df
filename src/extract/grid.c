/*
 * grid.c - spreadsheet cells (xlsx, ods): one unit per cell, located as
 * Sheet!C7, with its column's header as context (see xml.h).
 */
#include "config.h"

#include "xml.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum ps_error
ps_grid_sheet(struct ps_grid *g, struct ps_sink *sink, const char *name)
{
	ps_headers_forget(&g->headers);
	g->sink = sink;
	g->sheet[0] = '\0';
	ps_xml_append(g->sheet, sizeof g->sheet, name, strlen(name));
	g->header_row = 0;
	g->row = 1;
	g->col = 0;
	g->open = false;
	return PS_OK;
}

void
ps_grid_cell(struct ps_grid *g, uint64_t row, uint64_t col)
{
	g->row = row;
	g->col = col;
}

/* The current cell's location, "Sheet!C7", for a finding in it. */
static void
cell_location(const void *arg, char *buf, size_t cap)
{
	const struct ps_grid *g = arg;
	char col[16], *end = buf + cap;

	ps_xml_column_name(g->col, col);
	ps_put_u64(ps_put_str(ps_put_str(ps_put_str(buf, end, g->sheet), end, "!"), end, col),
	    end, g->row);
}

enum ps_error
ps_grid_text(struct ps_grid *g, const char *s, size_t n)
{
	enum ps_error err;

	if (n == 0)
		return PS_OK;
	if (!g->open) {
		/* Located only if it holds a finding: most cells do not. */
		struct ps_unit unit = { .locate = cell_location, .locate_arg = g };

		/* The first row with anything in it is the header row. */
		if (g->header_row == 0)
			g->header_row = g->row;
		if (g->row > g->header_row)
			unit.context = ps_headers_get(&g->headers, g->col);
		if ((err = ps_sink_begin(g->sink, &unit)) != PS_OK)
			return err;
		g->open = true;
	}
	if (g->row == g->header_row) {
		char *header;

		if ((err = ps_headers_slot(&g->headers, g->col, &header)) != PS_OK)
			return err;
		if (header != NULL)
			ps_xml_append(header, PS_HEADER_MAX, s, n);
	}
	return ps_sink_text(g->sink, s, n);
}

enum ps_error
ps_grid_end_cell(struct ps_grid *g, uint64_t span)
{
	enum ps_error err;

	if (!g->open)
		return PS_OK;
	g->open = false;
	if (g->row == g->header_row
	    && (err = ps_headers_span(&g->headers, g->col, span)) != PS_OK)
		return err;
	return ps_sink_end(g->sink);
}

void
ps_grid_free(struct ps_grid *g)
{
	ps_headers_free(&g->headers);
}

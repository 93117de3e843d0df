/*
 * grid.c - spreadsheet cells (xlsx, ods): one unit per cell, located as
 * Sheet!C7, with its column's header as context (see xml.h).
 */
#include "config.h"

#include "xml.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The header of column col (< PS_XML_MAX_COLUMNS), to be written: the
 * columns before it that had none are made empty first.  Only columns the
 * header row reaches are ever touched: zeroing all 128 KiB cost as much
 * as the cells of a small sheet. */
static char *
header_slot(struct ps_grid *g, uint64_t col)
{
	for (; g->used <= col; g->used++)
		g->headers[g->used][0] = '\0';
	return g->headers[col];
}

enum ps_error
ps_grid_sheet(struct ps_grid *g, struct ps_sink *sink, const char *name)
{
	if (g->headers == NULL
	    && (g->headers = malloc(PS_XML_MAX_COLUMNS * sizeof *g->headers)) == NULL)
		return PS_ERR_NOMEM;
	g->used = 0;
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

enum ps_error
ps_grid_text(struct ps_grid *g, const char *s, size_t n)
{
	enum ps_error err;

	if (n == 0)
		return PS_OK;
	if (!g->open) {
		struct ps_unit unit = { g->where, 0, NULL };
		char col[16];

		/* The first row with anything in it is the header row. */
		if (g->header_row == 0)
			g->header_row = g->row;
		ps_xml_column_name(g->col, col);
		{
			char *end = g->where + sizeof g->where;

			ps_put_u64(ps_put_str(ps_put_str(ps_put_str(g->where, end,
			    g->sheet), end, "!"), end, col), end, g->row);
		}
		if (g->row > g->header_row && g->col < g->used
		    && g->headers[g->col][0] != '\0')
			unit.context = g->headers[g->col];
		if ((err = ps_sink_begin(g->sink, &unit)) != PS_OK)
			return err;
		g->open = true;
	}
	if (g->row == g->header_row && g->col < PS_XML_MAX_COLUMNS)
		ps_xml_append(header_slot(g, g->col), PS_XML_HEADER_MAX, s, n);
	return ps_sink_text(g->sink, s, n);
}

enum ps_error
ps_grid_end_cell(struct ps_grid *g, uint64_t span)
{
	if (!g->open)
		return PS_OK;
	g->open = false;
	if (g->row == g->header_row && g->col < PS_XML_MAX_COLUMNS)
		for (uint64_t c = g->col + 1; c < g->col + span
		    && c < PS_XML_MAX_COLUMNS; c++)
			memcpy(header_slot(g, c), g->headers[g->col],
			    strlen(g->headers[g->col]) + 1);
	return ps_sink_end(g->sink);
}

void
ps_grid_free(struct ps_grid *g)
{
	free(g->headers);
	g->headers = NULL;
}

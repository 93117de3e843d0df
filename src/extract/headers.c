/*
 * headers.c - the column headers of a table (see headers.h).
 */
#include "config.h"

#include "headers.h"

#include <stdlib.h>
#include <string.h>

enum ps_error
ps_headers_slot(struct ps_headers *h, uint64_t col, char **slot)
{
	*slot = NULL;
	if (col >= PS_HEADER_COLUMNS)
		return PS_OK;
	if (!ps_grow((void **)&h->text, &h->cap, (size_t)col + 1, sizeof *h->text))
		return PS_ERR_NOMEM;
	for (; h->used <= col; h->used++)
		h->text[h->used][0] = '\0';
	*slot = h->text[col];
	return PS_OK;
}

const char *
ps_headers_get(const struct ps_headers *h, uint64_t col)
{
	return col < h->used && h->text[col][0] != '\0' ? h->text[col] : NULL;
}

enum ps_error
ps_headers_span(struct ps_headers *h, uint64_t col, uint64_t span)
{
	enum ps_error err;
	char *slot;

	if (col >= h->used)
		return PS_OK;
	for (uint64_t c = col + 1; c < col + span && c < PS_HEADER_COLUMNS; c++) {
		if ((err = ps_headers_slot(h, c, &slot)) != PS_OK)
			return err;
		/* Not h->text[col]: the slot's growth may have moved it. */
		memcpy(slot, h->text[col], strlen(h->text[col]) + 1);
	}
	return PS_OK;
}

void
ps_headers_forget(struct ps_headers *h)
{
	h->used = 0;
}

void
ps_headers_free(struct ps_headers *h)
{
	free(h->text);
	h->text = NULL;
	h->used = h->cap = 0;
}

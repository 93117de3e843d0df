/*
 * rels.c - OOXML relationship parts (the .rels files): id, type and the part
 * each one points at (see xml.h).
 */
#include "config.h"

#include "xml.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REL_ATTR_MAX    1024    /* bytes kept of a relationship's attribute */
#define MAX_RELS        65536   /* relationships read from one part */

static enum ps_error
rels_add(struct ps_rels *rels, const char *id, const char *type,
    const char *part)
{
	struct ps_rel *r;
	const char *slash = strrchr(type, '/');

	if (rels->count == rels->cap) {
		size_t cap = rels->cap == 0 ? 16 : rels->cap * 2;
		struct ps_rel *grown = realloc(rels->items, cap * sizeof *grown);

		if (grown == NULL)
			return PS_ERR_NOMEM;
		rels->items = grown;
		rels->cap = cap;
	}
	r = &rels->items[rels->count];
	r->id = strdup(id);
	r->type = strdup(slash != NULL ? slash + 1 : type);
	r->part = part != NULL ? strdup(part) : NULL;
	if (r->id == NULL || r->type == NULL || (part != NULL && r->part == NULL)) {
		free(r->id);
		free(r->type);
		free(r->part);
		return PS_ERR_NOMEM;
	}
	rels->count++;
	return PS_OK;
}

/* By id (a broken part repeating an id gets one of them). */
static int
rel_order(const void *a, const void *b)
{
	const struct ps_rel *x = a, *y = b;

	return strcmp(x->id, y->id);
}

enum ps_error
ps_rels_load(struct ps_rels *rels, struct ps_extract *x, zip_t *za,
    const char *name, const char *dir)
{
	struct ps_xml xr;
	enum ps_error err = PS_OK, cerr;
	char *id = NULL, *type = NULL, *target = NULL, *mode = NULL, *part = NULL;

	if ((err = ps_xml_open(&xr, x, za, name)) != PS_OK)
		return err == PS_ERR_NOMEM ? err : PS_OK;
	id = malloc(REL_ATTR_MAX);
	type = malloc(REL_ATTR_MAX);
	target = malloc(REL_ATTR_MAX);
	mode = malloc(32);
	part = malloc(REL_ATTR_MAX);
	if (id == NULL || type == NULL || target == NULL || mode == NULL
	    || part == NULL) {
		err = PS_ERR_NOMEM;
		goto done;
	}
	while (err == PS_OK && ps_xml_next(&xr)) {
		bool external;

		if (!ps_xml_start(&xr, "Relationship"))
			continue;
		if (rels->count >= MAX_RELS)
			break;
		if (!ps_xml_attr(&xr, "Id", 0, id, REL_ATTR_MAX)
		    || !ps_xml_attr(&xr, "Target", 0, target, REL_ATTR_MAX))
			continue;
		ps_xml_attr(&xr, "Type", 0, type, REL_ATTR_MAX);
		ps_xml_attr(&xr, "TargetMode", 0, mode, 32);
		external = strcmp(mode, "External") == 0;
		if (!external && !ps_xml_resolve(dir, target, part, REL_ATTR_MAX))
			continue;
		err = rels_add(rels, id, type, external ? NULL : part);
	}
done:
	free(id);
	free(type);
	free(target);
	free(mode);
	free(part);
	cerr = ps_xml_close(&xr);
	/* Sorted by id: a part may list as many slides or sheets as there
	 * are relationships, and each is looked up. */
	if (rels->count > 1)
		qsort(rels->items, rels->count, sizeof *rels->items, rel_order);
	return err != PS_OK ? err : cerr;
}

const struct ps_rel *
ps_rels_find(const struct ps_rels *rels, const char *id)
{
	struct ps_rel key = { (char *)id, NULL, NULL };

	if (rels->count == 0)
		return NULL;
	return bsearch(&key, rels->items, rels->count, sizeof *rels->items, rel_order);
}

const struct ps_rel *
ps_rels_of_type(const struct ps_rels *rels, const char *type)
{
	for (size_t i = 0; i < rels->count; i++)
		if (strcmp(rels->items[i].type, type) == 0)
			return &rels->items[i];
	return NULL;
}

void
ps_rels_free(struct ps_rels *rels)
{
	for (size_t i = 0; i < rels->count; i++) {
		free(rels->items[i].id);
		free(rels->items[i].type);
		free(rels->items[i].part);
	}
	free(rels->items);
	memset(rels, 0, sizeof *rels);
}

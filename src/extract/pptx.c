/*
 * pptx.c - PowerPoint presentations (OOXML PresentationML): the slides in
 * presentation order (ppt/presentation.xml's slide list through its
 * relationships), each paragraph one unit located "slide N", and the
 * slide's notes "slide N notes"; tables as in docx (first row's cells as
 * context).  Objects under ppt/embeddings/ are scanned as children.
 */
#include "config.h"

#include "xml.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SLIDES   100000
#define RID_MAX      64
#define PART_MAX     512

static const char *const paragraphs[] = { "p", NULL };
static const char *const texts[] = { "t", NULL };
static const char *const breaks[] = { "br", NULL };
/* Paragraph properties hold tab stops, not text; mc:Fallback repeats
 * mc:Choice. */
static const char *const skips[] = { "pPr", "Fallback", NULL };
/* A spanned cell is followed by hMerge/vMerge cells of its own, so each
 * a:tc is one column. */
static const char *const cells[] = { "tc", NULL };

static const struct ps_flow_syntax pptx_syntax = {
	.paragraphs = paragraphs,
	.texts = texts,
	.breaks = breaks,
	.skips = skips,
	.table = "tbl",
	.row = "tr",
	.cells = cells,
};

struct slide_ids {
	char (*rid)[RID_MAX];
	size_t count, cap;
};

/* The r:id of each p:sldId, in presentation order. */
static enum ps_error
slide_list(struct ps_extract *x, zip_t *za, struct slide_ids *ids)
{
	struct ps_xml xr;
	enum ps_error err, cerr;
	char rid[RID_MAX];
	/* Each slide is a part of its own: a list longer than the archive
	 * repeats slides, and would read them again and again. */
	zip_int64_t members = zip_get_num_entries(za, 0);
	size_t max = members < MAX_SLIDES ? (size_t)members : MAX_SLIDES;

	if ((err = ps_xml_open(&xr, x, za, "ppt/presentation.xml")) != PS_OK)
		return err == PS_ERR_NOMEM ? err : PS_OK;
	while (err == PS_OK && ps_xml_next(&xr)) {
		if (!ps_xml_start(&xr, "sldId")
		    || !ps_xml_attr(&xr, "id", 1, rid, sizeof rid))
			continue;
		if (ids->count >= max) {
			ps_extract_partial(x, "corrupt: ppt/presentation.xml: more slides than parts");
			break;
		}
		if (ids->count == ids->cap) {
			size_t cap = ids->cap == 0 ? 64 : ids->cap * 2;
			void *grown = realloc(ids->rid, cap * sizeof *ids->rid);

			if (grown == NULL) {
				err = PS_ERR_NOMEM;
				break;
			}
			ids->rid = grown;
			ids->cap = cap;
		}
		memcpy(ids->rid[ids->count++], rid, RID_MAX);
	}
	cerr = ps_xml_close(&xr);
	return err != PS_OK ? err : cerr;
}

static enum ps_error
read_part(struct ps_flow *f, zip_t *za, const char *name)
{
	struct ps_xml xr;
	enum ps_error err, cerr;

	if ((err = ps_xml_open(&xr, f->x, za, name)) != PS_OK)
		return err == PS_ERR_NOMEM ? err : PS_OK;
	err = ps_flow_run(f, &xr);
	cerr = ps_xml_close(&xr);
	return err != PS_OK ? err : cerr;
}

/* Slide n (1-based) from part, then its notes slide if it has one. */
static enum ps_error
read_slide(struct ps_flow *f, zip_t *za, const char *part, size_t n)
{
	const char *slash = strrchr(part, '/');
	const struct ps_rel *notes;
	struct ps_rels rels = { 0 };
	char dir[PART_MAX], name[PART_MAX];
	size_t dirlen = slash != NULL ? (size_t)(slash - part) + 1 : 0;
	enum ps_error err;

	snprintf(f->label, sizeof f->label, "slide %zu", n);
	if ((err = read_part(f, za, part)) != PS_OK)
		return err;
	/* ppt/slides/slide3.xml -> ppt/slides/_rels/slide3.xml.rels */
	if (dirlen >= sizeof dir
	    || snprintf(name, sizeof name, "%.*s_rels/%s.rels", (int)dirlen, part,
	    part + dirlen) >= (int)sizeof name)
		return PS_OK;
	memcpy(dir, part, dirlen);
	dir[dirlen] = '\0';
	err = ps_rels_load(&rels, f->x, za, name, dir);
	if (err == PS_OK && (notes = ps_rels_of_type(&rels, "notesSlide")) != NULL
	    && notes->part != NULL) {
		snprintf(f->label, sizeof f->label, "slide %zu notes", n);
		err = read_part(f, za, notes->part);
	}
	ps_rels_free(&rels);
	return err;
}

/* Without a readable slide list: the slide parts in the order of their
 * numbers. */
static enum ps_error
slides_by_name(struct ps_flow *f, zip_t *za)
{
	char name[64];
	size_t n = 0;
	enum ps_error err = PS_OK;

	for (size_t i = 1; i <= MAX_SLIDES && err == PS_OK; i++) {
		snprintf(name, sizeof name, "ppt/slides/slide%zu.xml", i);
		if (ps_zip_find(za, name) < 0)
			break;
		err = read_slide(f, za, name, ++n);
	}
	return err;
}

static bool
embedded(const char *name)
{
	return strncmp(name, "ppt/embeddings/", 15) == 0;
}

bool
ps_pptx_claims(zip_t *za)
{
	return ps_zip_find(za, "ppt/presentation.xml") >= 0;
}

enum ps_error
ps_extract_pptx(struct ps_extract *x, zip_t *za)
{
	struct ps_flow f = { .syn = &pptx_syntax, .x = x };
	struct slide_ids ids = { 0 };
	struct ps_rels rels = { 0 };
	size_t shown = 0;
	enum ps_error err;

	err = slide_list(x, za, &ids);
	if (err == PS_OK)
		err = ps_rels_load(&rels, x, za, "ppt/_rels/presentation.xml.rels", "ppt/");
	for (size_t i = 0; i < ids.count && err == PS_OK; i++) {
		const struct ps_rel *rel = ps_rels_find(&rels, ids.rid[i]);

		if (rel == NULL || rel->part == NULL) {
			ps_extract_partial(x, "corrupt: slide %zu: no part", i + 1);
			continue;
		}
		shown++;
		err = read_slide(&f, za, rel->part, i + 1);
	}
	if (err == PS_OK && shown == 0)
		err = slides_by_name(&f, za);
	if (err == PS_OK)
		err = ps_zip_scan_members(x, za, embedded);
	ps_rels_free(&rels);
	free(ids.rid);
	ps_flow_free(&f);
	return err;
}

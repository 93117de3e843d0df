/*
 * flow.c - word-processor text (docx, pptx, odt, odp): paragraphs joined
 * across runs into one unit each, tables with their first row as the
 * column headers of the cells below (see xml.h).
 */
#include "config.h"

#include "xml.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SPAN        65536   /* columns one cell may cover */
#define MAX_SPACES      16      /* spaces written for one ODF text:s */

static uint64_t
parse_count(const char *s, uint64_t max)
{
	uint64_t v = 0;

	if (*s < '0' || *s > '9')
		return 0;
	for (; *s >= '0' && *s <= '9'; s++) {
		v = v * 10 + (uint64_t)(*s - '0');
		if (v > max)
			return max;
	}
	return v;
}

/* The innermost table whose state is kept, or NULL. */
static struct ps_flow_table *
flow_table(struct ps_flow *f)
{
	if (f->ntable == 0 || f->extra_table > 0)
		return NULL;
	return &f->tables[f->ntable - 1];
}

/* The header being read: text of a cell in a table's first row. */
static char *
flow_header(struct ps_flow *f)
{
	struct ps_flow_table *t = flow_table(f);
	char *header = NULL;
	enum ps_error err;

	if (t == NULL || t->cell_depth < 0 || t->row > 0)
		return NULL;
	if ((err = ps_headers_slot(&t->headers, t->col, &header)) != PS_OK
	    && f->err == PS_OK)
		f->err = err;
	return header;
}

static void
flow_end_unit(struct ps_flow *f)
{
	if (f->unit_open) {
		enum ps_error err = ps_sink_end(f->x->sink);

		if (f->err == PS_OK)
			f->err = err;
		f->unit_open = false;
	}
}

static void
flow_emit(struct ps_flow *f, const char *s, size_t n)
{
	struct ps_flow_para *p;
	char *header;

	if (f->err != PS_OK || n == 0 || f->npara == 0)
		return;
	p = &f->paras[f->npara - 1];
	if (!f->unit_open) {
		struct ps_unit unit = { .where = p->where, .context = p->context };

		if ((f->err = ps_sink_begin(f->x->sink, &unit)) != PS_OK)
			return;
		f->unit_open = true;
	}
	f->err = ps_sink_text(f->x->sink, s, n);
	if ((header = flow_header(f)) != NULL)
		ps_xml_append(header, PS_HEADER_MAX, s, n);
}

/* Text as written, or with ODF's white-space rule: every run of spaces,
 * tabs and newlines is one space, and none at a paragraph's start. */
static void
flow_text(struct ps_flow *f, const char *s, size_t n)
{
	char buf[1024];
	size_t k = 0;

	if (!f->syn->collapse) {
		flow_emit(f, s, n);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
			if (f->last_space)
				continue;
			c = ' ';
			f->last_space = true;
		} else {
			f->last_space = false;
		}
		buf[k++] = c;
		if (k == sizeof buf) {
			flow_emit(f, buf, k);
			k = 0;
		}
	}
	flow_emit(f, buf, k);
}

static void
flow_literal(struct ps_flow *f, const char *s, size_t n)
{
	flow_emit(f, s, n);
	f->last_space = true;
}

static void
para_start(struct ps_flow *f, int depth)
{
	struct ps_flow_table *t = flow_table(f);
	struct ps_flow_para *p;
	char *header;

	/* A paragraph inside another (a text box, a note) is a unit of its
	 * own; the outer one goes on as a new unit after it. */
	flow_end_unit(f);
	if (f->count)
		f->paragraphs++;
	f->last_space = true;
	if (f->npara == PS_FLOW_MAX_PARAS) {
		f->extra_para++;
		return;
	}
	p = &f->paras[f->npara++];
	p->depth = depth;
	{
		char *end = p->where + sizeof p->where;
		char *at = ps_put_str(p->where, end, f->label);

		if (f->count)
			ps_put_u64(ps_put_str(at, end, " "), end, f->paragraphs);
	}
	p->context = NULL;
	if (t != NULL && t->cell_depth >= 0 && t->row > 0)
		p->context = ps_headers_get(&t->headers, t->col);
	/* Paragraphs of one header cell are joined by a space. */
	if ((header = flow_header(f)) != NULL && header[0] != '\0')
		ps_xml_append(header, PS_HEADER_MAX, " ", 1);
}

static void
para_end(struct ps_flow *f)
{
	flow_end_unit(f);
	if (f->extra_para > 0)
		f->extra_para--;
	else if (f->npara > 0)
		f->npara--;
}

static void
table_start(struct ps_flow *f, int depth)
{
	struct ps_flow_table *t;

	if (f->ntable == PS_FLOW_MAX_TABLES || f->extra_table > 0) {
		f->extra_table++;
		return;
	}
	t = &f->tables[f->ntable];
	ps_headers_forget(&t->headers);
	t->depth = depth;
	t->row_depth = t->cell_depth = -1;
	t->row = t->col = 0;
	t->span = 1;
	f->ntable++;
}

static void
table_end(struct ps_flow *f)
{
	if (f->extra_table > 0)
		f->extra_table--;
	else if (f->ntable > 0)
		f->ntable--;
}

static void
cell_end(struct ps_flow *f, struct ps_flow_table *t)
{
	enum ps_error err;

	if (t->row == 0 && (err = ps_headers_span(&t->headers, t->col, t->span)) != PS_OK
	    && f->err == PS_OK)
		f->err = err;
	t->col = t->col + t->span < t->col ? UINT64_MAX : t->col + t->span;
	t->cell_depth = -1;
}

/* An element ends (or an empty one was just read). */
static void
flow_element_end(struct ps_flow *f, struct ps_xml *xr)
{
	const struct ps_flow_syntax *syn = f->syn;
	struct ps_flow_table *t = flow_table(f);
	const char *local = ps_xml_local(xr);
	int depth = ps_xml_depth(xr);

	if (f->hook != NULL)
		f->hook(f, xr, true);
	if (ps_xml_name_in(local, syn->paragraphs)) {
		para_end(f);
	} else if (depth == f->text_depth) {
		f->text_depth = -1;
	} else if (syn->table != NULL && strcmp(local, syn->table) == 0) {
		table_end(f);
	} else if (t != NULL && depth == t->row_depth) {
		t->row++;
		t->row_depth = -1;
	} else if (t != NULL && depth == t->cell_depth) {
		cell_end(f, t);
	}
}

static void
flow_element_start(struct ps_flow *f, struct ps_xml *xr)
{
	const struct ps_flow_syntax *syn = f->syn;
	struct ps_flow_table *t = flow_table(f);
	const char *local = ps_xml_local(xr);
	int depth = ps_xml_depth(xr);
	char val[24];

	if (ps_xml_name_in(local, syn->skips)
	    || (f->hook != NULL && f->hook(f, xr, false))) {
		ps_xml_skip(xr);
		return;
	}
	if (ps_xml_name_in(local, syn->paragraphs)) {
		para_start(f, depth);
	} else if (syn->texts != NULL && ps_xml_name_in(local, syn->texts)) {
		f->text_depth = depth;
	} else if (ps_xml_name_in(local, syn->tabs)) {
		flow_literal(f, " ", 1);
	} else if (ps_xml_name_in(local, syn->breaks)) {
		flow_literal(f, "\n", 1);
	} else if (syn->spaces != NULL && strcmp(local, syn->spaces) == 0) {
		static const char spaces[MAX_SPACES + 1] = "                ";
		uint64_t c = 1;

		if (ps_xml_attr(xr, "c", 0, val, sizeof val))
			c = parse_count(val, MAX_SPACES);
		flow_literal(f, spaces, c > 0 ? (size_t)c : 1);
	} else if (syn->table != NULL && strcmp(local, syn->table) == 0) {
		table_start(f, depth);
	} else if (t != NULL && syn->row != NULL && strcmp(local, syn->row) == 0
	    && t->row_depth < 0) {
		t->row_depth = depth;
		t->col = 0;
	} else if (t != NULL && ps_xml_name_in(local, syn->cells) && t->row_depth >= 0
	    && t->cell_depth < 0) {
		t->cell_depth = depth;
		t->span = 1;
		if (syn->repeat != NULL && ps_xml_attr(xr, syn->repeat, 0, val, sizeof val)
		    && (t->span = parse_count(val, MAX_SPAN)) == 0)
			t->span = 1;
	} else if (t != NULL && syn->span != NULL && strcmp(local, syn->span) == 0
	    && t->cell_depth >= 0) {
		if (ps_xml_attr(xr, "val", 0, val, sizeof val)
		    && (t->span = parse_count(val, MAX_SPAN)) == 0)
			t->span = 1;
	}
	if (ps_xml_empty(xr))
		flow_element_end(f, xr);
}

enum ps_error
ps_flow_run(struct ps_flow *f, struct ps_xml *xr)
{
	f->npara = f->extra_para = 0;
	f->ntable = f->extra_table = 0;
	f->text_depth = -1;
	f->unit_open = false;
	f->last_space = true;
	f->err = PS_OK;
	while (f->err == PS_OK && ps_xml_next(xr)) {
		int type = ps_xml_type(xr);

		if (type == XML_READER_TYPE_ELEMENT) {
			flow_element_start(f, xr);
		} else if (type == XML_READER_TYPE_END_ELEMENT) {
			flow_element_end(f, xr);
		} else if (ps_xml_is_text(xr)) {
			const char *s = ps_xml_value(xr);
			bool in_text = f->syn->texts == NULL
			    || (f->text_depth >= 0 && ps_xml_depth(xr) == f->text_depth + 1);

			if (s != NULL && in_text)
				flow_text(f, s, strlen(s));
		}
	}
	/* A part cut short still delivers its last paragraph. */
	flow_end_unit(f);
	if (f->err == PS_OK && xr->stopped)
		f->err = PS_ERR_STOP;
	return f->err;
}

void
ps_flow_free(struct ps_flow *f)
{
	for (int i = 0; i < PS_FLOW_MAX_TABLES; i++)
		ps_headers_free(&f->tables[i].headers);
}

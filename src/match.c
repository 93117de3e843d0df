/*
 * match.c - find, validate, mask and hash PII in text (see match.h).
 */
#include "config.h"

#include "match.h"
#include "digits.h"
#include "runs.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#define NORM_MAX         (PS_MAX_MATCH_LEN + 1)  /* longest normalised value */
#define JIT_STACK_MIN    (32 * 1024)
#define JIT_STACK_MAX    (512 * 1024)
#define MATCH_LIMIT      1000000

/* What the validating callout leaves for the match loop. */
struct callout_state {
	const struct ps_patterns *set;
	long regex;                 /* alternative that validated, or -1 */
	char norm[NORM_MAX];
	size_t normlen;
};

struct ps_matcher {
	const struct ps_patterns *set;
	struct ps_hasher *hasher;   /* the key, ready for value_hash */
	pcre2_match_data *md;
	pcre2_match_context *mctx;
	pcre2_jit_stack *jit;
	struct callout_state cs;
	/* What a digit run needs for some type to want it (runs.h), and
	 * which types want it, a bit each: by its digits (up to 64), by
	 * the byte before it; those whose validator must accept a run of
	 * digits alone; those that want a run's groups of a size. */
	struct ps_run_bounds bounds;
	uint64_t by_digits[65], by_before[256], checked, grouped;
	uint64_t any_before;        /* types that want no byte before the run */

	/* The window: buf[0..len) is text of the current unit; matches
	 * starting before `done` have been handled; buf keeps up to
	 * max_window bytes before `done` for keyword context. */
	char *buf;
	size_t len, cap, done, hold;

	/* Line counting: line number `line` begins at or before line_pos,
	 * i.e. `line` is the line of buf[line_pos]. */
	bool count_lines;
	uint64_t line;
	size_t line_pos;
	/* The unit's location, borrowed until its end (sink.h). */
	const char *where;
	void (*locate)(const void *arg, char *buf, size_t cap);
	const void *locate_arg;
	const char *context;

	struct ps_findings *out;
	const char *member;
	enum ps_error failed;       /* sticky error of the current unit */

	/* Bytes of the unit dropped from before buf[0]: buf[i] is byte
	 * dropped + i of the unit. */
	uint64_t dropped;
	/* Per type, while the prefilter's windows are searched: the window
	 * being gathered, and how far its starts have been tried. */
	struct type_window {
		size_t from, to, searched;
		bool open;
	} *windows;
};

static int
validate_callout(pcre2_callout_block *b, void *data)
{
	struct callout_state *cs = data;
	const struct ps_regex *re;
	const struct ps_type *t;
	size_t n;

	if (b->callout_number == 0 || b->callout_number > cs->set->nregexes)
		return 1;
	re = &cs->set->regexes[b->callout_number - 1];
	t = &cs->set->types[re->type];
	n = t->normalise((const char *)b->subject + b->start_match,
	    b->current_position - b->start_match, cs->norm, sizeof cs->norm);
	if (n == 0 || !t->validate(cs->norm, n)) {
		ps_wipe(cs->norm, sizeof cs->norm);
		return 1; /* refuse: backtrack into other candidates */
	}
	cs->regex = (long)(b->callout_number - 1);
	cs->normlen = n;
	return 0;
}

/* The least a digit run needs for any type to want it, so that most runs
 * are passed over without asking each type. */
static void
prefilter_bounds(struct ps_matcher *m, const struct ps_patterns *set)
{
	struct ps_run_bounds *rb = &m->bounds;

	memset(rb, 0, sizeof *rb);
	for (size_t k = 0; k < set->ntypes; k++) {
		const struct ps_type *t = &set->types[k];

		if (t->prefilter_digits == 0)
			continue;
		if (t->prefilter_after_any) {
			if (rb->any == 0 || t->prefilter_digits < rb->any)
				rb->any = t->prefilter_digits;
			continue;
		}
		if (rb->after == 0 || t->prefilter_digits < rb->after)
			rb->after = t->prefilter_digits;
		for (size_t i = 0; i < sizeof rb->set; i++)
			rb->set[i] |= t->prefilter_after[i];
	}
	ps_run_bounds_prepare(rb);
	/* With more types the prefilter is not used (patterns.c). */
	if (set->ntypes > PS_PREFILTER_TYPES_MAX)
		return;
	for (size_t k = 0; k < set->ntypes; k++) {
		const struct ps_type *t = &set->types[k];
		uint64_t bit = (uint64_t)1 << k;

		if (t->prefilter_digits == 0)
			continue;
		for (unsigned d = t->prefilter_digits; d <= 64; d++)
			m->by_digits[d] |= bit;
		for (unsigned c = 0; c < 256; c++)
			if (t->prefilter_after_any || (t->prefilter_after[c / 8] & (1u << (c % 8))))
				m->by_before[c] |= bit;
		if (t->prefilter_after_any)
			m->any_before |= bit;
		if (t->prefilter_checked && t->validate != NULL)
			m->checked |= bit;
		if (t->prefilter_groups > 0)
			m->grouped |= bit;
	}
}

struct ps_matcher *
ps_matcher_new(const struct ps_patterns *set, const struct ps_key *key)
{
	struct ps_matcher *m = calloc(1, sizeof *m);

	if (m == NULL)
		return NULL;
	m->set = set;
	m->hasher = ps_hasher_new(key);
	m->cs.set = set;
	prefilter_bounds(m, set);
	m->hold = PS_MAX_MATCH_LEN + set->max_window;
	m->cap = PS_READ_CHUNK + m->hold + set->max_window;
	/* Zeroed: PCRE2's JIT may read a little past a subject's end (its
	 * vector searches for a required byte), and valgrind would see
	 * bytes never written. */
	m->buf = calloc(1, m->cap);
	m->windows = calloc(set->ntypes > 0 ? set->ntypes : 1, sizeof *m->windows);
	m->md = pcre2_match_data_create_from_pattern(set->code, NULL);
	m->mctx = pcre2_match_context_create(NULL);
	m->jit = pcre2_jit_stack_create(JIT_STACK_MIN, JIT_STACK_MAX, NULL);
	if (m->hasher == NULL || m->buf == NULL || m->windows == NULL || m->md == NULL
	    || m->mctx == NULL || m->jit == NULL) {
		ps_matcher_free(m);
		return NULL;
	}
	pcre2_jit_stack_assign(m->mctx, NULL, m->jit);
	pcre2_set_callout(m->mctx, validate_callout, &m->cs);
	pcre2_set_match_limit(m->mctx, MATCH_LIMIT);
	return m;
}

void
ps_matcher_free(struct ps_matcher *m)
{
	if (m == NULL)
		return;
	if (m->buf != NULL)
		ps_wipe(m->buf, m->cap);
	free(m->buf);
	free(m->windows);
	ps_hasher_free(m->hasher);
	pcre2_match_data_free(m->md);
	pcre2_match_context_free(m->mctx);
	pcre2_jit_stack_free(m->jit);
	free(m);
}

void
ps_matcher_target(struct ps_matcher *m, struct ps_findings *out,
    const char *member)
{
	m->out = out;
	m->member = member;
}

static bool
is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool
is_lower(char c)
{
	return c >= 'a' && c <= 'z';
}

static bool
is_upper(char c)
{
	return c >= 'A' && c <= 'Z';
}

/* A word boundary between text[i-1] and text[i], camelCase included. */
static bool
boundary(const char *text, size_t len, size_t i)
{
	if (i == 0 || i >= len)
		return true;
	if (!is_alpha(text[i - 1]) || !is_alpha(text[i]))
		return true;
	return is_lower(text[i - 1]) && is_upper(text[i]);
}

static bool
is_joiner(char c)
{
	return c == ' ' || c == '_' || c == '-' || c == '.' || c == '/';
}

/* Length of text[i..] matching keyword kw, or 0. */
static size_t
keyword_at(const char *text, size_t len, size_t i, const char *kw)
{
	size_t j = i;

	for (const char *k = kw; *k != '\0'; k++) {
		if (*k == ' ') {
			while (j < len && is_joiner(text[j]))
				j++;
			continue;
		}
		if (j >= len || (char)tolower((unsigned char)text[j]) != *k)
			return 0;
		j++;
	}
	return j - i;
}

bool
ps_keyword_find(const struct ps_type *type, const char *text, size_t len,
    size_t *at, size_t *length, size_t *which)
{
	/* One pass over the text; only where a keyword could begin are the
	 * keywords tried. */
	for (size_t i = 0; i < len; i++) {
		unsigned k1 = type->keyword_head[(unsigned char)text[i]];

		/* Keywords that begin with a letter begin a word. */
		if (k1 == 0 || (is_alpha(text[i]) && !boundary(text, len, i)))
			continue;
		for (; k1 != 0; k1 = type->keyword_next[k1 - 1]) {
			const char *kw = type->keywords[k1 - 1];
			size_t n = keyword_at(text, len, i, kw);

			if (n == 0 || (is_alpha(kw[strlen(kw) - 1])
				&& !boundary(text, len, i + n)))
				continue;
			*at = i;
			*length = n;
			*which = k1 - 1;
			return true;
		}
	}
	return false;
}

#if PS_MASKS_AVX2
__attribute__((target("avx2"))) static size_t
count_newlines_avx2(const char *p, size_t n)
{
	return ps_count_byte_avx2(p, n, '\n');
}
#endif

static void
count_lines_to(struct ps_matcher *m, size_t pos)
{
	if (pos > m->line_pos) {
		const char *p = m->buf + m->line_pos;
		size_t n = pos - m->line_pos;

#if PS_MASKS_AVX2
		if (m->bounds.avx2)
			m->line += count_newlines_avx2(p, n);
		else
#endif
			m->line += ps_count_byte(p, n, '\n');
	}
	m->line_pos = pos;
}

/* Characters (UTF-8 sequences) in text[0, len). */
static long
characters(const char *text, size_t len)
{
	long n = 0;

	for (size_t i = 0; i < len; i++)
		n += ((unsigned char)text[i] & 0xc0) != 0x80;
	return n;
}

/* A keyword of t near buf[start, end) or in the unit's context: the
 * confidence it gives, with the why in f. */
static void
find_context(struct ps_matcher *m, const struct ps_type *t, size_t start,
    size_t end, struct ps_finding *f)
{
	size_t from, to, at, n, which;

	from = start > t->window ? start - t->window : 0;
	to = end + t->window < m->len ? end + t->window : m->len;
	if (ps_keyword_find(t, m->buf + from, to - from, &at, &n, &which)) {
		at += from;
		if (at + n <= start)
			f->keyword_distance = -characters(m->buf + at + n, start - (at + n));
		else if (at >= end)
			f->keyword_distance = characters(m->buf + end, at - end);
	} else if (m->context != NULL
	    && ps_keyword_find(t, m->context, strlen(m->context), &at, &n, &which)) {
		f->keyword_in_header = true;
	} else {
		return;
	}
	f->keyword = t->keywords[which];
	if (t->context > f->confidence)
		f->confidence = t->context;
}

static enum ps_error
record(struct ps_matcher *m, size_t start, size_t end)
{
	const struct ps_regex *re = &m->set->regexes[m->cs.regex];
	const struct ps_type *t = &m->set->types[re->type];
	struct ps_finding f = { 0 };

	f.type = t->id;
	f.confidence = re->base;
	if (t->ntests > 0 && ps_type_is_test_value(t, m->cs.norm, m->cs.normlen)) {
		/* Published test data: kept, low, and marked as such. */
		f.test_data = true;
		f.confidence = PS_CONF_LOW;
	} else {
		find_context(m, t, start, end, &f);
	}
	t->mask(m->cs.norm, m->cs.normlen, f.masked);
	ps_hasher_hash(m->hasher, t->id, m->cs.norm, m->cs.normlen, f.value_hash);
	ps_wipe(m->cs.norm, sizeof m->cs.norm);
	f.offset = m->dropped + start;
	if (m->locate != NULL)
		m->locate(m->locate_arg, f.where, sizeof f.where);
	else if (!m->count_lines)
		ps_put_str(f.where, f.where + sizeof f.where, m->where);
	else if (!m->set->prefiltered) {
		count_lines_to(m, start);
		snprintf(f.where, sizeof f.where, "line %llu",
		    (unsigned long long)m->line);
	}
	/* else: numbered once this call's findings are in text order */
	f.member = (char *)m->member;
	return ps_findings_add(m->out, &f);
}

/* Bytes of real text past a window that the regex may look at: a match
 * that starts in the window ends within them, and the lookahead after it
 * sees real text.  No start is tried there, so they cost nothing unless
 * a match runs on into them. */
#define LOOKAHEAD_MARGIN (PS_MAX_MATCH_LEN + 16)

/*
 * Search [from, to) for matches starting there; the subject ends
 * `margin` past `to` (or at the text's end) so that lookarounds see real
 * text.  Each match is recorded; returns where the search may go on.
 */
static enum ps_error
search(struct ps_matcher *m, const pcre2_code *code, size_t from, size_t to,
    size_t end, size_t *next)
{
	PCRE2_SIZE *ov;
	enum ps_error err = PS_OK;
	int rc;

	/* The subject goes on past `to` so that a match starting before it
	 * can end and its lookarounds see real text; no start is tried at or
	 * past `to`, where the margin's digits would cost for nothing. */
	pcre2_set_offset_limit(m->mctx, to - 1);
	while (from < to) {
		m->cs.regex = -1;
		rc = pcre2_match(code, (PCRE2_SPTR)m->buf, end, from, 0, m->md, m->mctx);
		if (rc < 0) {
			/* No match; or a resource limit hit on pathological text,
			 * which leaves the rest unsearched: say so. */
			if (rc != PCRE2_ERROR_NOMATCH)
				m->out->cut_short++;
			break;
		}
		ov = pcre2_get_ovector_pointer(m->md);
		if (ov[0] >= to || m->cs.regex < 0) {
			ps_wipe(m->cs.norm, sizeof m->cs.norm);
			if (ov[0] >= to)
				break;
			from = ov[0] + 1;
			continue;
		}
		if ((err = record(m, ov[0], ov[1])) != PS_OK)
			break;
		from = ov[1] > ov[0] ? ov[1] : ov[0] + 1;
	}
	pcre2_set_offset_limit(m->mctx, PCRE2_UNSET);
	*next = from > to ? from : to;
	return err;
}

/* Search type k's window [from, to) with its program, not again what it
 * searched before. */
static enum ps_error
search_window(struct ps_matcher *m, size_t k)
{
	struct type_window *w = &m->windows[k];
	size_t from = w->from > w->searched ? w->from : w->searched;
	size_t end = w->to + LOOKAHEAD_MARGIN < m->len ? w->to + LOOKAHEAD_MARGIN : m->len;

	w->open = false;
	if (from >= w->to)
		return PS_OK;
	return search(m, m->set->types[k].code, from, w->to, end, &w->searched);
}

/*
 * Whether each group of digits after the first of the run [start, end),
 * which has separators, has a multiple of n digits.  The last group
 * counts only when the run is seen to end (a byte follows it in the
 * buffer); at the start a run may be cut, and its first group is free
 * anyway.
 */
static bool
groups_of(const struct ps_matcher *m, size_t start, size_t end, unsigned n)
{
	size_t group = 0;
	bool separated = false;

	for (size_t i = start; i < end; i++) {
		if (ps_is_digit(m->buf[i])) {
			group++;
			continue;
		}
		if (separated && group % n != 0)
			return false;
		separated = true;
		group = 0;
	}
	return end == m->len || group % n == 0;
}

/*
 * The types whose prefilter the digit run [start, end) with `digits`
 * digits meets, a bit each; 0 when none.  A run that a "checked" type's
 * validator refuses whole holds none of its matches: they are the whole
 * run, when it is digits alone.  A run with separators whose groups are
 * not of a "groups" type's size holds none of its matches either (an ISO
 * date is no telephone number).
 */
static uint64_t
run_wanted(const struct ps_matcher *m, size_t start, size_t end, size_t digits)
{
	uint64_t wanted = m->by_digits[digits < 64 ? digits : 64], check;

	/* At the start of the buffer the byte before is not known, unless
	 * that is the start of the unit (a cell's "123456"): nothing is
	 * before it, which a type wanting some byte there does not match. */
	if (start > 0)
		wanted &= m->by_before[(unsigned char)m->buf[start - 1]];
	else if (m->dropped == 0)
		wanted &= m->any_before;
	if (end - start == digits) {
		/* No separators: the validator may refuse it. */
		for (check = wanted & m->checked; check != 0; check &= check - 1) {
			const struct ps_type *t = &m->set->types[__builtin_ctzll(check)];

			if (!t->validate(m->buf + start, end - start))
				wanted &= ~(check & -check);
		}
	} else {
		for (check = wanted & m->grouped; check != 0; check &= check - 1) {
			const struct ps_type *t = &m->set->types[__builtin_ctzll(check)];

			if (!groups_of(m, start, end, t->prefilter_groups))
				wanted &= ~(check & -check);
		}
	}
	return wanted;
}

/* Windows this close are merged into one regex call.  Small: on
 * digit-dense text the engine costs over a hundred instructions a byte,
 * a call of its own a few hundred in all. */
#define MERGE_GAP 8

/* Add [from, to) to type k's windows: merged with the open one when they
 * touch, else that one is searched first. */
static enum ps_error
add_window(struct ps_matcher *m, size_t k, size_t from, size_t to)
{
	struct type_window *w = &m->windows[k];
	enum ps_error err;

	if (w->open && from <= w->to + MERGE_GAP) {
		/* One type's windows come in the order of what they are
		 * around, with one span: from never goes back; kept safe. */
		w->from = from < w->from ? from : w->from;
		w->to = to > w->to ? to : w->to;
		return PS_OK;
	}
	if (w->open && (err = search_window(m, k)) != PS_OK)
		return err;
	w->from = from;
	w->to = to;
	w->open = true;
	return PS_OK;
}

/* Wanted runs found ahead, for next_run. */
#define RUN_BATCH 32

struct run_queue {
	struct ps_runs runs;
	struct ps_run item[RUN_BATCH];
	size_t next, count;
};

/* The next digit run of the pass that some type wants: where it is, and
 * the types, a bit each. */
static bool
next_run(struct ps_matcher *m, struct run_queue *q, size_t *start,
    size_t *end, uint64_t *types)
{
	for (;;) {
		const struct ps_run *r;

		if (q->next == q->count) {
			q->next = 0;
			if ((q->count = ps_runs_next(&q->runs, q->item, RUN_BATCH)) == 0)
				return false;
		}
		r = &q->item[q->next++];
		if ((*types = run_wanted(m, r->start, r->end, r->digits)) != 0) {
			*start = r->start;
			*end = r->end;
			return true;
		}
	}
}

/* Where the literal of type k next occurs at or after pos, or limit. */
static size_t
literal_at(const struct ps_matcher *m, size_t k, size_t pos, size_t limit)
{
	const struct ps_type *t = &m->set->types[k];
	const size_t n = t->prefilter_literal_len;
	const char *p;

	/* memchr for the first byte: faster than memmem for these short
	 * strings.  A hit only has to start before limit. */
	while (pos < limit && (p = memchr(m->buf + pos, t->prefilter_literal[0],
	    limit - pos)) != NULL) {
		pos = (size_t)(p - m->buf);
		if (pos + n <= m->len && memcmp(p + 1, t->prefilter_literal + 1, n - 1) == 0)
			return pos;
		pos++;
	}
	return limit;
}

/* Type k's window around [start, end), clipped to the text and limit. */
static enum ps_error
add_type_window(struct ps_matcher *m, size_t k, size_t start, size_t end,
    size_t limit)
{
	size_t span = m->set->types[k].prefilter_span;
	size_t from = start > span ? start - span : 0;
	size_t to = end + span < m->len ? end + span : m->len;

	return add_window(m, k, from, to < limit ? to : limit);
}

static int
by_offset(const void *a, const void *b)
{
	const struct ps_finding *x = a, *y = b;

	return x->offset < y->offset ? -1 : x->offset > y->offset;
}

/* This call's findings, from `first` on, in text order, and numbered by
 * line when the unit is. */
static void
order_findings(struct ps_matcher *m, size_t first)
{
	struct ps_findings *out = m->out;

	if (out->count - first > 1)
		qsort(out->items + first, out->count - first, sizeof *out->items, by_offset);
	if (!m->count_lines)
		return;
	for (size_t i = first; i < out->count; i++) {
		struct ps_finding *f = &out->items[i];

		count_lines_to(m, (size_t)(f->offset - m->dropped));
		snprintf(f->where, sizeof f->where, "line %llu", (unsigned long long)m->line);
	}
}

/*
 * The prefilter: every type's matches hold a run of digits (single spaces
 * or dashes between them allowed) of some length, maybe right after some
 * byte, or some literal bytes, and lie within some span of them
 * (patterns.h).  Only windows around these go to the regex engine, each
 * searched with the program of the type that wanted it; the rest of the
 * text is passed over here.  A type's matches are found in text order;
 * different types' matches may overlap.
 */
static enum ps_error
search_prefiltered(struct ps_matcher *m, size_t limit)
{
	const struct ps_patterns *set = m->set;
	size_t run_start = limit, run_end = 0, first = m->out->count;
	size_t lit_next[PS_PREFILTER_TYPES_MAX];
	uint64_t run_types = 0;
	struct run_queue runs;
	enum ps_error err = PS_OK;

	for (size_t k = 0; k < set->ntypes; k++) {
		m->windows[k].open = false;
		m->windows[k].searched = m->done;
		lit_next[k] = set->types[k].prefilter_literal_len > 0
		    ? literal_at(m, k, m->done, limit) : limit;
	}
	ps_runs_begin(&runs.runs, &m->bounds, m->buf, m->len, m->done, limit);
	runs.next = runs.count = 0;
	if (set->prefilter_digits > 0
	    && !next_run(m, &runs, &run_start, &run_end, &run_types))
		run_start = limit;
	/* Windows are added in the order of what they are around. */
	while (err == PS_OK) {
		size_t k_lit = set->ntypes, anchor = run_start;

		for (size_t k = 0; k < set->ntypes; k++)
			if (lit_next[k] < anchor)
				anchor = lit_next[k], k_lit = k;
		if (anchor >= limit)
			break;
		if (k_lit < set->ntypes) {
			err = add_type_window(m, k_lit, anchor,
			    anchor + set->types[k_lit].prefilter_literal_len, limit);
			lit_next[k_lit] = literal_at(m, k_lit, anchor + 1, limit);
			continue;
		}
		for (size_t k = 0; k < set->ntypes && err == PS_OK; k++)
			if (run_types & ((uint64_t)1 << k))
				err = add_type_window(m, k, run_start, run_end, limit);
		if (!next_run(m, &runs, &run_start, &run_end, &run_types))
			run_start = limit;
	}
	for (size_t k = 0; k < set->ntypes && err == PS_OK; k++)
		if (m->windows[k].open)
			err = search_window(m, k);
	order_findings(m, first);
	return err;
}

/* Texts this short are looked over for digits and literals before the
 * prefiltered search, whose setup costs more than that (a cell, mostly). */
#define SHORT_TEXT 64

/*
 * Whether the end of a unit, buf[from, len), holds none of the types'
 * literals and no digit run that some type wants (run_wanted, as the
 * prefiltered search asks of each run): then no type would search any of
 * it.  A cell of "123456" has a run too short for a card and with no
 * letter before it for an HKID.
 */
static bool
nothing_wanted(const struct ps_matcher *m, size_t from)
{
	const struct ps_patterns *set = m->set;
	size_t digits = 0;

	for (size_t k = 0; k < set->ntypes; k++)
		if (set->types[k].prefilter_literal_len > 0
		    && memchr(m->buf + from, set->types[k].prefilter_literal[0],
			m->len - from) != NULL)
			return false;
	/* Too few digits for any type: the common cell, settled without
	 * walking its runs (which would say the same, more slowly). */
	for (size_t i = from; i < m->len; i++)
		digits += ps_is_digit(m->buf[i]);
	if (set->prefilter_digits == 0 || digits < set->prefilter_digits)
		return true;
	for (size_t i = from; i < m->len;) {
		size_t end, run_digits;

		if (!ps_is_digit(m->buf[i])) {
			i++;
			continue;
		}
		end = ps_run_end(m->buf, i, m->len, &run_digits);
		if (run_wanted(m, i, end, run_digits) != 0)
			return false;
		i = end;
	}
	return true;
}

/*
 * Handle every match that starts before the hold-back zone (all of them
 * when final), then drop text no longer needed for context.
 */
static enum ps_error
process(struct ps_matcher *m, bool final)
{
	size_t limit = final ? m->len : (m->len > m->hold ? m->len - m->hold : 0);
	PCRE2_SIZE *ov;
	enum ps_error err;
	int rc;

	if (m->set->prefiltered && m->done < limit) {
		if (!(final && m->len - m->done <= SHORT_TEXT && nothing_wanted(m, m->done))
		    && (err = search_prefiltered(m, limit)) != PS_OK)
			return err;
		m->done = limit;
	}
	while (m->done < limit) {
		m->cs.regex = -1;
		rc = pcre2_match(m->set->code, (PCRE2_SPTR)m->buf, m->len, m->done,
		    0, m->md, m->mctx);
		if (rc < 0) {
			/* No match; or a resource limit hit on pathological text,
			 * which leaves the rest unsearched: say so. */
			if (rc != PCRE2_ERROR_NOMATCH)
				m->out->cut_short++;
			m->done = limit;
			break;
		}
		ov = pcre2_get_ovector_pointer(m->md);
		if (ov[0] >= limit || m->cs.regex < 0) {
			ps_wipe(m->cs.norm, sizeof m->cs.norm);
			m->done = limit > ov[0] ? limit : ov[0];
			if (ov[0] >= limit)
				break;
			continue;
		}
		if ((err = record(m, ov[0], ov[1])) != PS_OK)
			return err;
		m->done = ov[1] > ov[0] ? ov[1] : ov[0] + 1;
	}
	if (!final) {
		size_t keep_from = m->done > m->set->max_window
		    ? m->done - m->set->max_window : 0;

		if (m->count_lines)
			count_lines_to(m, keep_from > m->line_pos ? keep_from : m->line_pos);
		memmove(m->buf, m->buf + keep_from, m->len - keep_from);
		m->dropped += keep_from;
		m->len -= keep_from;
		m->done -= keep_from;
		m->line_pos -= keep_from;
	}
	return PS_OK;
}

static enum ps_error
matcher_begin(void *self, const struct ps_unit *unit)
{
	struct ps_matcher *m = self;

	m->len = m->done = m->line_pos = 0;
	m->dropped = 0;
	m->failed = PS_OK;
	m->context = unit->context;
	m->where = unit->where;
	m->locate = unit->locate;
	m->locate_arg = unit->locate_arg;
	m->count_lines = unit->where == NULL && unit->locate == NULL;
	m->line = unit->first_line > 0 ? unit->first_line : 1;
	return PS_OK;
}

static enum ps_error
matcher_text(void *self, const char *text, size_t len)
{
	struct ps_matcher *m = self;

	while (len > 0 && m->failed == PS_OK) {
		size_t room = m->cap - m->len, n;

		if (room == 0) {
			m->failed = process(m, false);
			continue;
		}
		n = len < room ? len : room;
		memcpy(m->buf + m->len, text, n);
		m->len += n;
		text += n;
		len -= n;
	}
	return m->failed;
}

static enum ps_error
matcher_end(void *self)
{
	struct ps_matcher *m = self;
	enum ps_error err = m->failed;

	if (err == PS_OK)
		err = process(m, true);
	ps_wipe(m->buf, m->len);
	m->len = m->done = 0;
	m->context = m->where = NULL;
	m->locate = NULL;
	return err;
}

static const struct ps_sink_ops matcher_ops = {
	matcher_begin, matcher_text, matcher_end,
};

struct ps_sink
ps_matcher_sink(struct ps_matcher *m)
{
	struct ps_sink s = { &matcher_ops, m };
	return s;
}

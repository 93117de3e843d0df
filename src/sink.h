/*
 * sink.h - where extractors send text.
 *
 * An extractor cuts its input into units (a text stream, a cell, a
 * paragraph) and sends each as begin / text... / end.  Text is UTF-8 and
 * may arrive in pieces of any size; a unit's pieces are one continuous
 * text (a match may span pieces).  The matcher is one sink; tests use a
 * capturing sink.  A sink is used by one thread at a time.
 */
#ifndef PS_SINK_H
#define PS_SINK_H

#include <stddef.h>
#include <stdint.h>

#include "piiscan.h"

struct ps_unit {
	/* Fixed location of the whole unit ("Staff!C7", "paragraph 4"), or
	 * NULL: then findings are located by line, counted from first_line
	 * (unless locate is set).  Borrowed until end(). */
	const char *where;
	uint64_t first_line;
	/* Text that says what the unit holds (a column header), or NULL.
	 * Borrowed until end(). */
	const char *context;
	/* Instead of where: the location written into buf (cap bytes) only
	 * when asked, before end(), for a unit that holds a finding; most
	 * units (cells) hold none.  NULL when where (or the line) says it. */
	void (*locate)(const void *arg, char *buf, size_t cap);
	const void *locate_arg;
};

struct ps_sink_ops {
	enum ps_error (*begin)(void *self, const struct ps_unit *unit);
	enum ps_error (*text)(void *self, const char *utf8, size_t len);
	enum ps_error (*end)(void *self);
};

struct ps_sink {
	const struct ps_sink_ops *ops;
	void *self;
};

static inline enum ps_error
ps_sink_begin(struct ps_sink *s, const struct ps_unit *unit)
{
	return s->ops->begin(s->self, unit);
}

static inline enum ps_error
ps_sink_text(struct ps_sink *s, const char *utf8, size_t len)
{
	return s->ops->text(s->self, utf8, len);
}

static inline enum ps_error
ps_sink_end(struct ps_sink *s)
{
	return s->ops->end(s->self);
}

#endif

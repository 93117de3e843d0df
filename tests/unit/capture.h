/*
 * capture.h - a sink for the extractor tests: each unit is written as
 * "[where|context] text" and a newline into a buffer.  Header-only.
 */
#ifndef PS_CAPTURE_H
#define PS_CAPTURE_H

#include <stdio.h>
#include <string.h>

#include "sink.h"

/* A sink that writes each unit as "[where|context] text\n" into buf. */
struct capture {
	char buf[65536];
	size_t len;
};

static void
cap_put(struct capture *c, const char *s, size_t n)
{
	if (c->len + n < sizeof c->buf) {
		memcpy(c->buf + c->len, s, n);
		c->len += n;
		c->buf[c->len] = '\0';
	}
}

static enum ps_error
cap_begin(void *self, const struct ps_unit *u)
{
	char head[256], where[PS_WHERE_MAX];

	/* A unit located on demand: asked here, as a finding would. */
	if (u->locate != NULL)
		u->locate(u->locate_arg, where, sizeof where);
	snprintf(head, sizeof head, "[%s|%s] ",
	    u->locate != NULL ? where : u->where != NULL ? u->where : "lines",
	    u->context != NULL ? u->context : "");
	cap_put(self, head, strlen(head));
	return PS_OK;
}

static enum ps_error
cap_text(void *self, const char *s, size_t n)
{
	cap_put(self, s, n);
	return PS_OK;
}

static enum ps_error
cap_end(void *self)
{
	cap_put(self, "\n", 1);
	return PS_OK;
}

static const struct ps_sink_ops cap_ops = { cap_begin, cap_text, cap_end };

#endif

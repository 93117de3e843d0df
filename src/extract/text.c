/*
 * text.c - plain text (and HTML, XML, JSON read as text): one unit, located
 * by line.
 */
#include "config.h"

#include "../extract.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

enum ps_error
ps_extract_text(struct ps_extract *x)
{
	struct ps_unit unit = { NULL, 1, NULL };
	enum ps_error err;
	bool first = true;
	ssize_t n;

	if ((err = ps_sink_begin(x->sink, &unit)) != PS_OK)
		return err;
	while ((n = ps_input_read(x->in, x->buf, PS_READ_CHUNK)) > 0) {
		const char *p = (const char *)x->buf;
		size_t len = (size_t)n;

		/* A UTF-8 byte order mark is not text. */
		if (first && len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0) {
			p += 3;
			len -= 3;
		}
		first = false;
		if ((err = ps_sink_text(x->sink, p, len)) != PS_OK)
			return err;
	}
	if (n < 0) {
		snprintf(x->reason, sizeof x->reason, "read: %s", strerror(errno));
		ps_sink_end(x->sink);
		return PS_ERR_IO;
	}
	return ps_sink_end(x->sink);
}

/*
 * text.c - plain text (and HTML, XML, JSON read as text): one unit, located
 * by line.  The bytes go through a decoder (decode.h), so that the sink
 * sees UTF-8 whatever the file's encoding; the sink counts the lines of
 * that text, so line numbers are those of the decoded text.
 */
#include "config.h"

#include "../extract.h"
#include "decode.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static enum ps_error
to_sink(void *ctx, const char *utf8, size_t len)
{
	return ps_sink_text(ctx, utf8, len);
}

enum ps_error
ps_extract_text(struct ps_extract *x)
{
	struct ps_unit unit = { .first_line = 1 };
	struct ps_decoder *dec = NULL;
	enum ps_error err, end;
	ssize_t n;

	if ((err = ps_decoder_new(x->in->charset, &dec)) != PS_OK)
		return err;
	if ((err = ps_sink_begin(x->sink, &unit)) != PS_OK)
		goto done;
	while ((n = ps_input_read(x->in, x->buf, PS_READ_CHUNK)) > 0)
		if ((err = ps_decoder_feed(dec, x->buf, (size_t)n, to_sink, x->sink))
		    != PS_OK)
			break;
	if (err == PS_OK && n < 0) {
		snprintf(x->reason, sizeof x->reason, "read: %s", strerror(errno));
		err = PS_ERR_IO;
	}
	/* What was read is text even when reading failed: pass it all on. */
	if (err != PS_ERR_NOMEM && err != PS_ERR_STOP) {
		enum ps_error fin = ps_decoder_finish(dec, to_sink, x->sink);

		if (err == PS_OK)
			err = fin;
	}
	end = ps_sink_end(x->sink);
	if (err == PS_OK)
		err = end;
done:
	ps_decoder_free(dec);
	return err;
}

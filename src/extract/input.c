/*
 * input.c - reading an input: sniffed head first, then the stream.
 */
#include "config.h"

#include "../extract.h"

#include <errno.h>
#include <string.h>

ssize_t
ps_input_read(struct ps_input *in, void *buf, size_t len)
{
	size_t n;
	ssize_t got;

	if (in->consumed >= in->limit) {
		if (!in->truncated) {
			/* At the limit: is there more?  Only then is it partial. */
			unsigned char probe;

			if (in->headpos < in->headlen)
				in->truncated = true;
			else if (in->read != NULL && in->read(in->ctx, &probe, 1) > 0)
				in->truncated = true;
		}
		return 0;
	}
	if (len > in->limit - in->consumed)
		len = (size_t)(in->limit - in->consumed);
	if (in->headpos < in->headlen) {
		n = in->headlen - in->headpos;
		if (n > len)
			n = len;
		memcpy(buf, in->head + in->headpos, n);
		in->headpos += n;
		in->consumed += n;
		return (ssize_t)n;
	}
	if (in->read == NULL)
		return 0;
	do
		got = in->read(in->ctx, buf, len);
	while (got < 0 && errno == EINTR);
	if (got > 0)
		in->consumed += (uint64_t)got;
	return got;
}

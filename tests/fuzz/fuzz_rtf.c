/*
 * fuzz_rtf.c - a fuzz target: arbitrary bytes through extract/rtf.c, both
 * ways it is used: as PidTagRtfCompressed data to ps_rtf_decompress()
 * (output bounded by a max the first byte chooses, and checked against
 * it), and the bytes themselves, then whatever decompressed, as RTF to
 * ps_rtf_to_sink() into a sink that checks the promises: one unit, text
 * only inside it.  (Text is what decode.h makes of the bytes: a document
 * in UTF-8, or one whose text opens with a byte order mark, is passed
 * through as it is, invalid sequences and all, as text files are; the
 * matcher takes any bytes.)
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "extract/rtf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct check {
	bool open;
	size_t units, bytes;
};

static enum ps_error
check_begin(void *self, const struct ps_unit *u)
{
	struct check *c = self;

	if (c->open || u->where != NULL || u->first_line != 1)
		abort();
	c->open = true;
	c->units++;
	return PS_OK;
}

static enum ps_error
check_text(void *self, const char *s, size_t n)
{
	struct check *c = self;

	if (!c->open || (n > 0 && s == NULL))
		abort();
	/* Touched, so that ASan sees a piece that is not all there. */
	for (size_t i = 0; i < n; i++)
		c->bytes += (unsigned char)s[i] == 0xFF;
	return PS_OK;
}

static enum ps_error
check_end(void *self)
{
	struct check *c = self;

	if (!c->open)
		abort();
	c->open = false;
	return PS_OK;
}

static const struct ps_sink_ops check_ops = { check_begin, check_text, check_end };

static void
to_text(const unsigned char *p, size_t n)
{
	struct check c = { 0 };
	struct ps_sink sink = { &check_ops, &c };
	const char *limit = NULL;

	if (ps_rtf_to_sink(&sink, p, n, &limit) != PS_OK || c.open || c.units != 1)
		abort();
	if (limit != NULL && strcmp(limit, "limit: rtf nesting") != 0)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t max = size > 0 ? (size_t)data[0] * 64 : 0, len = 0;
	unsigned char *out = NULL;
	enum ps_error err;

	to_text(data, size);
	err = ps_rtf_decompress(data, size, max, &out, &len);
	if (err == PS_OK || err == PS_ERR_LIMIT) {
		if (out == NULL || len > max)
			abort();
		to_text(out, len);
	} else if (out != NULL || len != 0) {
		abort();
	}
	free(out);
	return 0;
}

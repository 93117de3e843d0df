/*
 * fuzz_pdf.c - a fuzz target: arbitrary bytes as the output of the PDF
 * helper, read by the scanner's frame reader (extract/pdf.h) in pieces
 * whose sizes the first byte chooses, into a sink that checks what the
 * reader promises: units never nested, text only inside one, places
 * non-empty, short and printable, and the open unit ended at the finish.
 * The helper itself (poppler) runs in its own process and is not here.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "extract/pdf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct check {
	bool open;
	size_t units, bytes;
};

static enum ps_error
check_begin(void *self, const struct ps_unit *u)
{
	struct check *c = self;
	size_t n = u->where != NULL ? strlen(u->where) : 0;

	if (c->open || n == 0 || n >= PS_WHERE_MAX
	    || (u->context != NULL && strlen(u->context) > PS_PDF_CONTEXT_MAX))
		abort();
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)u->where[i] < 0x20 || u->where[i] == 0x7f)
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
	c->bytes += n;
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

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct check c = { 0 };
	struct ps_sink sink = { &check_ops, &c };
	struct ps_pdf_reader r;
	size_t step;
	enum ps_error err = PS_OK;

	if (size == 0)
		return 0;
	step = data[0] == 0 ? size : data[0];
	data++;
	size--;
	ps_pdf_reader_init(&r, &sink);
	for (size_t i = 0; i < size && err == PS_OK; i += step)
		err = ps_pdf_reader_feed(&r, data + i, step < size - i ? step : size - i);
	if ((err == PS_OK) != (r.broken == NULL))
		abort();
	ps_pdf_reader_finish(&r);
	if (c.open)
		abort();
	return 0;
}

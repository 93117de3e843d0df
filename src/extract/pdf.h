/*
 * pdf.h - the scanner's side of the PDF helper: reading its frames
 * (pdfframe.h) into a sink.  extract/pdf.c starts the helper and feeds
 * what it writes to a reader; the fuzz target and the unit tests feed
 * bytes of their own.
 *
 * The helper is trusted no more than the document: every frame is
 * checked (type, length, order), places and contexts are cut to their
 * limits and stripped of control characters and bytes that are not
 * UTF-8, and notes are codes looked up here.  One reader per helper, used
 * by one thread.
 */
#ifndef PS_EXTRACT_PDF_H
#define PS_EXTRACT_PDF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "piiscan.h"
#include "pdfframe.h"
#include "sink.h"

struct ps_pdf_reader {
	struct ps_sink *sink;           /* borrowed */
	unsigned char head[PS_PDF_FRAME_HEADER];
	size_t headlen;
	int type;                       /* frame being read; 0 between frames */
	uint32_t left;                  /* its payload bytes still to come */
	char small[PS_WHERE_MAX + 1 + PS_PDF_CONTEXT_MAX + 1]; /* B, N payloads */
	size_t smalllen;
	char where[PS_WHERE_MAX];
	char context[PS_PDF_CONTEXT_MAX + 1];
	bool unit_open;
	bool done;                      /* D was read */
	bool text_seen;                 /* some text went to the sink */
	const char *fatal;              /* the document was not read: why */
	char partial[64];               /* first part not read: why, or "" */
	const char *broken;             /* the stream broke the rules: how */
};

void ps_pdf_reader_init(struct ps_pdf_reader *r, struct ps_sink *sink);
/* Feed len bytes of the stream.  PS_ERR_CORRUPT when they break the
 * rules (r->broken says how; stop feeding), or the sink's error. */
enum ps_error ps_pdf_reader_feed(struct ps_pdf_reader *r, const void *bytes,
    size_t len);
/* The stream ended: a unit left open is ended (its text is matched). */
enum ps_error ps_pdf_reader_finish(struct ps_pdf_reader *r);

#endif

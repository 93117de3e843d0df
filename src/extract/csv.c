/*
 * csv.c - CSV and TSV (RFC 4180 quoting): each field is a unit, matched
 * with its column header as context and located by the line it starts on.
 * The bytes go through a decoder (decode.h) first, so that fields, quotes
 * and line numbers are those of the decoded UTF-8 text in any encoding.
 */
#include "config.h"

#include "../extract.h"
#include "decode.h"
#include "headers.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FIELD_CHUNK  4096   /* field text is passed on in pieces this big */

struct csv {
	struct ps_sink *sink;
	char delim;
	bool in_quotes, quote_seen;   /* quote_seen: a '"' inside quotes */
	bool in_field;                /* the current field's unit is open */
	bool at_field_start;
	uint64_t line, field_line, record;
	size_t column;
	char where[PS_WHERE_MAX];
	struct ps_headers headers;    /* the first record's fields */
	size_t header_len;            /* bytes kept of the current header */
	char piece[FIELD_CHUNK];
	size_t piece_len;
	enum ps_error err;
};

static void
flush_piece(struct csv *c)
{
	if (c->piece_len > 0 && c->err == PS_OK)
		c->err = ps_sink_text(c->sink, c->piece, c->piece_len);
	c->piece_len = 0;
}

static void
field_char(struct csv *c, char ch)
{
	if (!c->in_field) {
		struct ps_unit unit = { .where = c->where };

		snprintf(c->where, sizeof c->where, "line %llu",
		    (unsigned long long)c->field_line);
		if (c->record > 0)
			unit.context = ps_headers_get(&c->headers, c->column);
		if (c->err == PS_OK)
			c->err = ps_sink_begin(c->sink, &unit);
		c->in_field = true;
	}
	if (c->record == 0 && c->header_len + 1 < PS_HEADER_MAX && c->err == PS_OK) {
		char *header;

		if ((c->err = ps_headers_slot(&c->headers, c->column, &header)) == PS_OK
		    && header != NULL) {
			header[c->header_len++] = ch;
			header[c->header_len] = '\0';
		}
	}
	c->piece[c->piece_len++] = ch;
	if (c->piece_len == sizeof c->piece)
		flush_piece(c);
}

static void
end_field(struct csv *c)
{
	if (c->in_field) {
		flush_piece(c);
		if (c->err == PS_OK)
			c->err = ps_sink_end(c->sink);
	}
	c->in_field = false;
	c->in_quotes = c->quote_seen = false;
	c->at_field_start = true;
	c->header_len = 0;
	c->column++;
	c->field_line = c->line;
}

static void
end_record(struct csv *c)
{
	end_field(c);
	c->record++;
	c->column = 0;
}

static void
feed(struct csv *c, const char *p, size_t len)
{
	for (size_t i = 0; i < len && c->err == PS_OK; i++) {
		char ch = p[i];

		if (c->in_quotes) {
			if (c->quote_seen) {
				c->quote_seen = false;
				if (ch == '"') {        /* "" is a quote */
					field_char(c, '"');
					continue;
				}
				c->in_quotes = false;   /* closing quote; ch is next */
			} else if (ch == '"') {
				c->quote_seen = true;
				continue;
			} else {
				if (ch == '\n')
					c->line++;
				field_char(c, ch);
				continue;
			}
		}
		if (ch == c->delim) {
			end_field(c);
		} else if (ch == '\n') {
			c->line++;
			end_record(c);
		} else if (ch == '\r') {
			continue;
		} else if (ch == '"' && c->at_field_start) {
			c->in_quotes = true;
			c->at_field_start = false;
		} else {
			c->at_field_start = false;
			field_char(c, ch);
		}
	}
}

/* The delimiter by name for .tsv/.tab, else 0: decided by the text. */
static char
delimiter_by_name(const char *name)
{
	const char *dot = name != NULL ? strrchr(name, '.') : NULL;

	if (dot != NULL && (strcmp(dot, ".tsv") == 0 || strcmp(dot, ".tab") == 0))
		return '\t';
	return 0;
}

/* The most frequent of , tab ; | on the first line of the decoded text
 * (raw bytes would mislead: a Big5 or UTF-16 character may hold a '|'). */
static char
guess_delimiter(const char *p, size_t len)
{
	static const char candidates[] = { ',', '\t', ';', '|' };
	size_t counts[sizeof candidates] = { 0 }, best = 0;

	for (size_t i = 0; i < len && p[i] != '\n'; i++)
		for (size_t k = 0; k < sizeof candidates; k++)
			if (p[i] == candidates[k])
				counts[k]++;
	for (size_t k = 1; k < sizeof candidates; k++)
		if (counts[k] > counts[best])
			best = k;
	return candidates[best];
}

/* The decoder's output: the first piece holds the start of the file
 * (the head, at least its first line in practice). */
static enum ps_error
csv_text(void *ctx, const char *utf8, size_t len)
{
	struct csv *c = ctx;

	if (c->delim == 0)
		c->delim = guess_delimiter(utf8, len);
	feed(c, utf8, len);
	return c->err;
}

enum ps_error
ps_extract_csv(struct ps_extract *x)
{
	struct csv *c = calloc(1, sizeof *c);
	struct ps_decoder *dec = NULL;
	enum ps_error err;
	ssize_t n = 0;

	if (c == NULL) {
		err = PS_ERR_NOMEM;
		goto done;
	}
	if ((err = ps_decoder_new(x->in->charset, &dec)) != PS_OK)
		goto done;
	c->sink = x->sink;
	c->delim = delimiter_by_name(x->in->name);
	c->line = c->field_line = 1;
	c->at_field_start = true;
	while (c->err == PS_OK
	    && (n = ps_input_read(x->in, x->buf, PS_READ_CHUNK)) > 0)
		c->err = ps_decoder_feed(dec, x->buf, (size_t)n, csv_text, c);
	if (c->err == PS_OK && n < 0) {
		snprintf(x->reason, sizeof x->reason, "read: %s", strerror(errno));
		c->err = PS_ERR_IO;
	}
	if (c->err == PS_OK)
		c->err = ps_decoder_finish(dec, csv_text, c);
	end_field(c);
	err = c->err;
done:
	ps_decoder_free(dec);
	if (c != NULL)
		ps_headers_free(&c->headers);
	free(c);
	return err;
}

/*
 * csvout.c - CSV fields (see csvout.h).
 */
#include "config.h"

#include "csvout.h"

#include <string.h>

void
ps_csv_field(FILE *out, const void *bytes, size_t len, bool last)
{
	const char *p = bytes;
	bool quote = len > 0 && (memchr(p, ',', len) != NULL
	    || memchr(p, '"', len) != NULL || memchr(p, '\n', len) != NULL
	    || memchr(p, '\r', len) != NULL);

	if (quote)
		putc('"', out);
	for (size_t i = 0; i < len; i++) {
		if (p[i] == '"')
			putc('"', out);
		putc(p[i], out);
	}
	if (quote)
		putc('"', out);
	fputs(last ? "\r\n" : ",", out);
}

void
ps_csv_text(FILE *out, const char *s, bool last)
{
	ps_csv_field(out, s, strlen(s), last);
}

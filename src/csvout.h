/*
 * csvout.h - writing CSV (RFC 4180) fields, for the commands that export
 * CSV.  Any thread.
 */
#ifndef PS_CSVOUT_H
#define PS_CSVOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* One field, quoted when it holds a comma, a quote or a line break; then
 * a comma, or CRLF when last. */
void ps_csv_field(FILE *out, const void *bytes, size_t len, bool last);
void ps_csv_text(FILE *out, const char *s, bool last);

#endif

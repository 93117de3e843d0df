/*
 * filetype.h - decide what a file is from its first bytes (libmagic).
 *
 * One magic_t per thread (libmagic handles are not thread-safe); it only
 * ever sees the first PS_SNIFF_BYTES of a file.
 */
#ifndef PS_FILETYPE_H
#define PS_FILETYPE_H

#include <magic.h>
#include <stddef.h>

#include "extract.h"

struct ps_filetype {
	char mime[96];
	char charset[32];
	const char *type;                     /* recorded type id or the MIME */
	const struct ps_extractor *extractor; /* NULL: not opened */
};

/* A loaded libmagic handle, or NULL with the cause in why. */
magic_t ps_filetype_open(char *why, size_t whylen);

/* Decide from head (the first bytes) and name (a hint for CSV/TSV only). */
void ps_filetype_detect(magic_t magic, const unsigned char *head, size_t len,
    const char *name, struct ps_filetype *out);

#endif

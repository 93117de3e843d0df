/*
 * filetype.h - decide what a file is from its first bytes (libmagic), and
 * in which encoding its text is.
 *
 * One magic_t per thread (libmagic handles are not thread-safe); it only
 * ever sees the first PS_SNIFF_BYTES of a file.  Where libmagic leaves the
 * encoding open, cheap checks of the same bytes settle it: UTF-16 without
 * a BOM, Big5 or GB18030, windows-1252.
 */
#ifndef PS_FILETYPE_H
#define PS_FILETYPE_H

#include <magic.h>
#include <stddef.h>

#include "extract.h"

struct ps_filetype {
	char mime[96];
	/* libmagic's charset ("utf-8", "us-ascii", "iso-8859-1", "binary"),
	 * or what the checks found instead ("utf-16le", "utf-16be",
	 * "utf-32le", "utf-32be", "big5hkscs", "big5", "gb18030",
	 * "windows-1252"): an iconv(3) name, handed to the extractor as
	 * in->charset. */
	char charset[32];
	const char *type;                     /* recorded type id or the MIME */
	const struct ps_extractor *extractor; /* NULL: not opened */
};

/* A loaded libmagic handle, or NULL with the cause in why. */
magic_t ps_filetype_open(char *why, size_t whylen);

/* Decide from head (the first bytes) and name (a hint for CSV/TSV only). */
void ps_filetype_detect(magic_t magic, const unsigned char *head, size_t len,
    const char *name, struct ps_filetype *out);

/* The charset 8-bit text that is not UTF-8 looks like, from its first
 * len bytes: "big5hkscs", "big5" or "gb18030" for Chinese, else
 * "windows-1252" when it decodes cleanly as that; NULL when neither.  As
 * for a text file libmagic calls unknown-8bit. */
const char *ps_filetype_guess_8bit(const unsigned char *p, size_t len);

#endif

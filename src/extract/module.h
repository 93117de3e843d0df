/*
 * module.h - extractors kept in modules loaded on first use, so that a
 * run loads their libraries only when it meets such a file:
 *
 *   piiscan-ole-mail.so  OLE2 files (doc, xls, ppt, msg: libgsf), mail
 *                        (eml, mbox: GMime), Outlook stores (pst, ost:
 *                        libpff); with GLib linked in, every run loaded
 *                        some twenty more shared libraries (GIO, GObject,
 *                        libmount, gpgme, ...): about 3 ms of start-up.
 *   piiscan-archive.so   tar, cpio, 7-Zip and RAR archives, bzip2, xz, lzma,
 *                        zstd, lz4 and compress streams (libarchive, and
 *                        the four libraries of its own it loads: about
 *                        0.8 ms).
 *
 * The program (module.c) defines each module's extractors (ps_extract_ole,
 * ps_extract_tar, ...) to load the module and call its own; a module
 * exports one table of them, and finds the rest of the scanner (the sinks,
 * inputs, limits) in the program, which exports its symbols.  The tests
 * link the extractors directly.
 */
#ifndef PS_MODULE_H
#define PS_MODULE_H

#include "../extract.h"

#define PS_MODULE_OLE_MAIL_FILE   "piiscan-ole-mail.so"
#define PS_MODULE_OLE_MAIL_SYMBOL "ps_ole_mail_module"
#define PS_MODULE_ARCHIVE_FILE    "piiscan-archive.so"
#define PS_MODULE_ARCHIVE_SYMBOL  "ps_archive_module"

struct ps_module_extractor {
	const char *name;               /* the program's entry point, less ps_extract_ */
	enum ps_error (*extract)(struct ps_extract *x);
};

/* What a module exports.  The version and the sizes of the structures it
 * shares with the program tell a module built with another piiscan. */
struct ps_module {
	char version[32];
	size_t extract_size, input_size;
	const struct ps_module_extractor *extractors;   /* NULL name ends it */
};

/* The header of a module's table (olemail.c, archivemod.c). */
#define PS_MODULE_HEADER \
	.version = PACKAGE_VERSION, \
	.extract_size = sizeof(struct ps_extract), \
	.input_size = sizeof(struct ps_input)

#endif

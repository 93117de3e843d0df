/*
 * module.h - the extractors that need GLib, in a module loaded on first
 * use: OLE2 files (doc, xls, ppt, msg: libgsf), mail (eml, mbox: GMime)
 * and Outlook stores (pst, ost: libpff).  With them linked in, every run
 * of piiscan loaded some twenty more shared libraries (GIO, GObject,
 * libmount, gpgme, ...) and resolved their symbols: about 3 ms of start-up
 * whatever it was asked to do.  Now a run loads them only when it meets
 * such a file.
 *
 * The program (module.c) defines ps_extract_ole, ps_extract_eml,
 * ps_extract_mbox and ps_extract_pst to load the module and call its
 * own; the module (olemail.c) exports one table of them, and finds the
 * rest of the scanner (the sinks, inputs, limits) in the program, which
 * exports its symbols.  The tests link the extractors directly.
 */
#ifndef PS_MODULE_H
#define PS_MODULE_H

#include "../extract.h"

#define PS_MODULE_FILE   "piiscan-ole-mail.so"
#define PS_MODULE_SYMBOL "ps_ole_mail_module"

/* What the module exports.  The version and the sizes of the structures
 * it shares with the program tell a module built with another piiscan. */
struct ps_module {
	char version[32];
	size_t extract_size, input_size;
	enum ps_error (*ole)(struct ps_extract *x);
	enum ps_error (*eml)(struct ps_extract *x);
	enum ps_error (*mbox)(struct ps_extract *x);
	enum ps_error (*pst)(struct ps_extract *x);
};

#endif

/*
 * olemail.c - the table piiscan-ole-mail.so exports (see module.h).  The
 * module is built with hidden symbols: these are its own extractors, not
 * the program's entry points of the same names.
 */
#include "config.h"

#include "module.h"

static const struct ps_module_extractor extractors[] = {
	{ "ole", ps_extract_ole },
	{ "eml", ps_extract_eml },
	{ "mbox", ps_extract_mbox },
	{ "pst", ps_extract_pst },
	{ NULL, NULL },
};

__attribute__((visibility("default")))
const struct ps_module ps_ole_mail_module = {
	PS_MODULE_HEADER,
	.extractors = extractors,
};

/*
 * archivemod.c - the table piiscan-archive.so exports (see module.h),
 * of the module's own extractors (hidden symbols).
 */
#include "config.h"

#include "module.h"

static const struct ps_module_extractor extractors[] = {
	{ "tar", ps_extract_tar },
	{ "7z", ps_extract_7z },
	{ "rar", ps_extract_rar },
	{ "compressed", ps_extract_compressed },
	{ NULL, NULL },
};

__attribute__((visibility("default")))
const struct ps_module ps_archive_module = {
	PS_MODULE_HEADER,
	.extractors = extractors,
};

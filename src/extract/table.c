/*
 * table.c - the one table of formats piiscan opens, in the order tried.
 */
#include "config.h"

#include "../extract.h"

#include <fnmatch.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static const char *const csv_mimes[] = { "text/csv", "application/csv", NULL };
static const char *const html_mimes[] = { "text/html", "application/xhtml+xml", NULL };
static const char *const xml_mimes[] = { "text/xml", "application/xml", "image/svg+xml", NULL };
static const char *const json_mimes[] = { "application/json", "application/x-ndjson", NULL };
static const char *const zip_mimes[] = { "application/zip",
	"application/x-zip-compressed", "application/vnd.openxmlformats-officedocument.*",
	"application/vnd.ms-excel.sheet.macroEnabled*",
	"application/vnd.ms-word.document.macroEnabled*",
	"application/vnd.ms-powerpoint.presentation.macroEnabled*",
	"application/vnd.oasis.opendocument.*", "application/epub+zip", NULL };
/* OLE2 compound files; which format is decided by their streams. */
static const char *const ole_mimes[] = { "application/msword",
	"application/vnd.ms-excel", "application/vnd.ms-powerpoint",
	"application/vnd.ms-office", "application/vnd.ms-outlook",
	"application/x-ole-storage", "application/CDFV2*", NULL };
/* Outlook stores: reached by their signature only (filetype.c): libmagic
 * calls them application/vnd.ms-outlook, as it does .msg files, which are
 * OLE2 and go to the OLE extractor. */
static const char *const pst_mimes[] = { NULL };
/* tar: GNU, POSIX (ustar, pax) and the old v7 format. */
static const char *const tar_mimes[] = { "application/x-tar", "application/x-gtar",
	"application/x-ustar", NULL };
static const char *const cpio_mimes[] = { "application/x-cpio", NULL };
static const char *const sevenzip_mimes[] = { "application/x-7z-compressed", NULL };
static const char *const rar_mimes[] = { "application/x-rar", "application/vnd.rar",
	"application/x-rar-compressed", NULL };
static const char *const bzip2_mimes[] = { "application/x-bzip2", NULL };
static const char *const xz_mimes[] = { "application/x-xz", NULL };
static const char *const lzma_mimes[] = { "application/x-lzma", NULL };
static const char *const zstd_mimes[] = { "application/zstd", "application/x-zstd", NULL };
static const char *const lz4_mimes[] = { "application/x-lz4", NULL };
static const char *const compress_mimes[] = { "application/x-compress", NULL };
static const char *const gzip_mimes[] = { "application/gzip", "application/x-gzip", NULL };
static const char *const pdf_mimes[] = { "application/pdf", "application/x-pdf", NULL };
/* Mail: one RFC 822 message (news articles are the same format), or an
 * mbox of many. */
static const char *const eml_mimes[] = { "message/*", NULL };
static const char *const mbox_mimes[] = { "application/mbox", "application/x-mbox", NULL };
static const char *const rtf_mimes[] = { "text/rtf", "application/rtf", NULL };
static const char *const text_mimes[] = { "text/*", "application/javascript",
	"application/x-*script", NULL };

static const struct ps_extractor extractors[] = {
	{ "zip", zip_mimes, ps_extract_zip },
	{ "gzip", gzip_mimes, ps_extract_gzip },
	{ "tar", tar_mimes, ps_extract_tar },
	{ "cpio", cpio_mimes, ps_extract_tar },
	{ "7z", sevenzip_mimes, ps_extract_7z },
	{ "rar", rar_mimes, ps_extract_rar },
	{ "bzip2", bzip2_mimes, ps_extract_compressed },
	{ "xz", xz_mimes, ps_extract_compressed },
	{ "lzma", lzma_mimes, ps_extract_compressed },
	{ "zstd", zstd_mimes, ps_extract_compressed },
	{ "lz4", lz4_mimes, ps_extract_compressed },
	{ "compress", compress_mimes, ps_extract_compressed },
	{ "pdf", pdf_mimes, ps_extract_pdf },
	{ "pst", pst_mimes, ps_extract_pst },
	{ "ost", pst_mimes, ps_extract_pst },
	{ "ole", ole_mimes, ps_extract_ole },
	{ "eml", eml_mimes, ps_extract_eml },
	{ "mbox", mbox_mimes, ps_extract_mbox },
	{ "rtf", rtf_mimes, ps_extract_rtf },
	{ "csv", csv_mimes, ps_extract_csv },
	{ "html", html_mimes, ps_extract_text },
	{ "xml", xml_mimes, ps_extract_text },
	{ "json", json_mimes, ps_extract_text },
	{ "text", text_mimes, ps_extract_text },
};

/* fnmatch(3), with the common patterns (no wildcard, or one at the end)
 * compared directly: every file's type is looked up here. */
static bool
mime_matches(const char *pattern, const char *mime)
{
	size_t n = strcspn(pattern, "*?[");

	if (pattern[n] == '\0')
		return strcmp(pattern, mime) == 0;
	if (pattern[n] == '*' && pattern[n + 1] == '\0')
		return strncmp(pattern, mime, n) == 0;
	return fnmatch(pattern, mime, 0) == 0;
}

const struct ps_extractor *
ps_extractor_for_mime(const char *mime)
{
	for (size_t i = 0; i < sizeof extractors / sizeof extractors[0]; i++)
		for (const char *const *m = extractors[i].mimes; *m != NULL; m++)
			if (mime_matches(*m, mime))
				return &extractors[i];
	return NULL;
}

const struct ps_extractor *
ps_extractor_by_type(const char *type)
{
	for (size_t i = 0; i < sizeof extractors / sizeof extractors[0]; i++)
		if (strcmp(extractors[i].type, type) == 0)
			return &extractors[i];
	return NULL;
}

/* Zip archives with a known layout, tried in this order. */
static const struct ps_package packages[] = {
	{ "docx", ps_docx_claims, ps_extract_docx },
	{ "xlsx", ps_xlsx_claims, ps_extract_xlsx },
	{ "pptx", ps_pptx_claims, ps_extract_pptx },
	{ "odt", ps_odt_claims, ps_extract_odt },
	{ "ods", ps_ods_claims, ps_extract_ods },
	{ "odp", ps_odp_claims, ps_extract_odp },
};

void
ps_extractor_types(char *buf, size_t cap)
{
	size_t n = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < sizeof extractors / sizeof extractors[0]; i++)
		n += (size_t)snprintf(buf + n, n < cap ? cap - n : 0, "%s%s",
		    n > 0 ? "," : "", extractors[i].type);
	for (size_t i = 0; i < sizeof packages / sizeof packages[0]; i++)
		n += (size_t)snprintf(buf + n, n < cap ? cap - n : 0, ",%s",
		    packages[i].type);
}

const struct ps_package *
ps_package_for(zip_t *za)
{
	for (size_t i = 0; i < sizeof packages / sizeof packages[0]; i++)
		if (packages[i].claims != NULL && packages[i].claims(za))
			return &packages[i];
	return NULL;
}

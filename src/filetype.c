/*
 * filetype.c - content to format (see filetype.h).
 */
#include "config.h"

#include "filetype.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

magic_t
ps_filetype_open(char *why, size_t whylen)
{
	size_t bytes_max = PS_SNIFF_BYTES;
	/* Compressed and tar contents are our extractors' job, not libmagic's. */
	magic_t m = magic_open(MAGIC_MIME_TYPE | MAGIC_MIME_ENCODING
	    | MAGIC_NO_CHECK_COMPRESS | MAGIC_NO_CHECK_TAR | MAGIC_NO_CHECK_ELF
	    | MAGIC_ERROR);

	if (m == NULL) {
		snprintf(why, whylen, "libmagic: cannot start");
		return NULL;
	}
	if (magic_load(m, NULL) != 0) {
		snprintf(why, whylen, "libmagic: %s", magic_error(m));
		magic_close(m);
		return NULL;
	}
	magic_setparam(m, MAGIC_PARAM_BYTES_MAX, &bytes_max);
	return m;
}

/* Drop an incomplete UTF-8 sequence at the end, cut by the sniff size, so
 * that libmagic does not take the text for binary. */
static size_t
utf8_clean_length(const unsigned char *p, size_t len)
{
	size_t back = 0;

	while (back < 3 && back < len && (p[len - 1 - back] & 0xC0) == 0x80)
		back++;
	if (back < len) {
		unsigned char lead = p[len - 1 - back];
		size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;

		if (need > back + 1)
			return len - 1 - back;
	}
	return len;
}

static bool
has_suffix(const char *name, const char *suffix)
{
	size_t n = strlen(name), s = strlen(suffix);

	return n >= s && strcasecmp(name + n - s, suffix) == 0;
}

void
ps_filetype_detect(magic_t magic, const unsigned char *head, size_t len,
    const char *name, struct ps_filetype *out)
{
	const char *desc, *semi, *cs;

	memset(out, 0, sizeof *out);
	if (len == 0) {
		snprintf(out->mime, sizeof out->mime, "application/x-empty");
		out->type = "empty";
		return;
	}
	desc = magic_buffer(magic, head, utf8_clean_length(head, len));
	if (desc == NULL)
		desc = "application/octet-stream";
	semi = strchr(desc, ';');
	snprintf(out->mime, sizeof out->mime, "%.*s",
	    (int)(semi != NULL ? (size_t)(semi - desc) : strlen(desc)), desc);
	if (semi != NULL && (cs = strstr(semi, "charset=")) != NULL)
		snprintf(out->charset, sizeof out->charset, "%s", cs + 8);
	out->extractor = ps_extractor_for_mime(out->mime);
	/* libmagic names CSV only when it is sure; a .csv/.tsv name on text
	 * content is enough. */
	if (out->extractor != NULL && strcmp(out->extractor->type, "text") == 0
	    && name != NULL && (has_suffix(name, ".csv") || has_suffix(name, ".tsv")
		|| has_suffix(name, ".tab")))
		out->extractor = ps_extractor_by_type("csv");
	out->type = out->extractor != NULL ? out->extractor->type : out->mime;
}

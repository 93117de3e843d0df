/*
 * gzip.c - gzip streams (zlib), concatenated members included: the
 * decompressed bytes are one child, read as they are inflated.
 */
#include "config.h"

#include "../extract.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <zlib.h>

#include "../scan.h"

struct gz {
	struct ps_input *in;       /* the compressed stream */
	unsigned char *inbuf;
	z_stream zs;
	bool eof, done;
	uint64_t produced;
	unsigned max_ratio;
	struct ps_input *out;      /* the decompressed stream, read by the child */
	char error[96];
};

static ssize_t
gz_read(void *ctx, void *buf, size_t len)
{
	struct gz *g = ctx;
	size_t before;
	int rc;

	if (g->done || g->error[0] != '\0')
		return 0;
	if (ps_ratio_exceeded(g->produced, g->in->consumed, g->max_ratio)) {
		/* Recorded by the scan, as the child's limit. */
		ps_input_cut(g->out, "limit: ratio");
		return 0;
	}
	g->zs.next_out = buf;
	g->zs.avail_out = (uInt)(len > UINT32_MAX ? UINT32_MAX : len);
	before = g->zs.avail_out;
	while (g->zs.avail_out == before) {
		if (g->zs.avail_in == 0 && !g->eof) {
			ssize_t n = ps_input_read(g->in, g->inbuf, PS_READ_CHUNK);

			if (n < 0) {
				snprintf(g->error, sizeof g->error, "read: %s", strerror(errno));
				return 0;
			}
			if (n == 0)
				g->eof = true;
			g->zs.next_in = g->inbuf;
			g->zs.avail_in = (uInt)n;
		}
		rc = inflate(&g->zs, Z_NO_FLUSH);
		if (rc == Z_STREAM_END) {
			/* Another member may follow; anything else is trailing
			 * garbage, which gzip(1) ignores too. */
			if (g->zs.avail_in == 0 && !g->eof) {
				ssize_t n = ps_input_read(g->in, g->inbuf, PS_READ_CHUNK);

				if (n > 0) {
					g->zs.next_in = g->inbuf;
					g->zs.avail_in = (uInt)n;
				} else {
					g->eof = true;
				}
			}
			if (g->zs.avail_in >= 2 && g->zs.next_in[0] == 0x1f
			    && g->zs.next_in[1] == 0x8b) {
				inflateReset(&g->zs);
				continue;
			}
			g->done = true;
			break;
		}
		if (rc == Z_BUF_ERROR && g->eof && g->zs.avail_in == 0) {
			snprintf(g->error, sizeof g->error, "corrupt: gzip stream truncated");
			break;
		}
		if (rc != Z_OK && rc != Z_BUF_ERROR) {
			snprintf(g->error, sizeof g->error, "corrupt: %s",
			    g->zs.msg != NULL ? g->zs.msg : "bad gzip data");
			break;
		}
	}
	g->produced += before - g->zs.avail_out;
	return (ssize_t)(before - g->zs.avail_out);
}

/* The suffixes of compressed files, and what each leaves of the name. */
static const struct {
	const char *suffix, *becomes;
} unpacked_suffixes[] = {
	{ ".gz", "" }, { ".tgz", ".tar" }, { ".taz", ".tar" },
	{ ".bz2", "" }, { ".tbz", ".tar" }, { ".tbz2", ".tar" },
	{ ".xz", "" }, { ".txz", ".tar" }, { ".lzma", "" }, { ".tlz", ".tar" },
	{ ".zst", "" }, { ".tzst", ".tar" }, { ".lz4", "" }, { ".Z", "" },
};

void
ps_unpacked_name(const char *name, char *out, size_t cap)
{
	size_t n;

	if (name != NULL)
		name = ps_base_name(name);
	n = name != NULL ? strlen(name) : 0;
	for (size_t i = 0; i < sizeof unpacked_suffixes / sizeof unpacked_suffixes[0]; i++) {
		size_t k = strlen(unpacked_suffixes[i].suffix);

		if (n > k && strcmp(name + n - k, unpacked_suffixes[i].suffix) == 0) {
			snprintf(out, cap, "%.*s%s", (int)(n - k), name,
			    unpacked_suffixes[i].becomes);
			return;
		}
	}
	snprintf(out, cap, "%s", n > 0 ? name : "data");
}

enum ps_error
ps_extract_gzip(struct ps_extract *x)
{
	struct gz g = { 0 };
	struct ps_input child = { 0 };
	char name[256];
	enum ps_error err;

	g.in = x->in;
	g.inbuf = x->buf;
	g.max_ratio = ps_extract_max_ratio(x);
	/* 16 + MAX_WBITS: a gzip header and trailer, checked. */
	if (inflateInit2(&g.zs, 16 + MAX_WBITS) != Z_OK)
		return PS_ERR_NOMEM;
	ps_unpacked_name(x->in->name, name, sizeof name);
	child.read = gz_read;
	child.ctx = &g;
	g.out = &child;
	err = ps_extract_child(x, name, &child);
	if (g.error[0] != '\0')
		ps_extract_partial(x, "%s", g.error);
	inflateEnd(&g.zs);
	return err;
}

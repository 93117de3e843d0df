/*
 * archive.c - what libarchive reads for the scanner, as a stream from the
 * input (never seeking, never writing to disk): tar archives (v7, ustar,
 * pax, GNU) and cpio archives, whose regular files are children in the
 * archive's order, and single compressed streams (bzip2, xz, lzma, zstd,
 * lz4, compress), whose bytes are one child, as gzip's are (gzip.c).
 * A .tar.xz is a compressed stream whose child is a tar archive.
 */
#include "config.h"

#include "../extract.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "../scan.h"

/* The archive being read, and what its members have given so far. */
struct reading {
	struct ps_extract *x;
	struct archive *a;
	struct ps_input *member;    /* the member being read */
	uint64_t produced;
	unsigned max_ratio;
	bool ratio_hit;             /* the members expand too much: stop */
	char error[96];             /* why reading stopped short */
};

/* libarchive failed: the archive is damaged, unless a limit cut the
 * input (then the scan records the limit, not damage). */
static void
failed(struct reading *r, char *why, size_t cap, const char *otherwise)
{
	const char *said = archive_error_string(r->a);

	if (r->x->in->limit_hit == NULL)
		snprintf(why, cap, "corrupt: %s", said != NULL ? said : otherwise);
}

/* libarchive's read callback: the input, a chunk at a time, into the
 * extraction's scratch buffer (the children read into their own). */
static la_ssize_t
source_read(struct archive *a, void *ctx, const void **buf)
{
	struct reading *r = ctx;
	ssize_t n = ps_input_read(r->x->in, r->x->buf, PS_READ_CHUNK);

	if (n < 0) {
		archive_set_error(a, errno, "read: %s", strerror(errno));
		return -1;
	}
	*buf = r->x->buf;
	return n;
}

/* A member's bytes, for ps_extract_child(): 0 at its end, or when the
 * archive fails (why kept in r->error) or expands past the ratio limit
 * (a sparse tar member is mostly holes: a few bytes of archive for
 * gigabytes of zeros). */
static ssize_t
member_read(void *ctx, void *buf, size_t len)
{
	struct reading *r = ctx;
	la_ssize_t n;

	if (r->error[0] != '\0' || r->member->limit_hit != NULL)
		return 0;
	if (r->produced >= PS_RATIO_FLOOR && r->x->in->consumed > 0
	    && r->produced / r->x->in->consumed >= r->max_ratio) {
		r->ratio_hit = true;
		ps_input_cut(r->member, "limit: ratio");
		return 0;
	}
	n = archive_read_data(r->a, buf, len);
	if (n < 0) {
		failed(r, r->error, sizeof r->error, "unreadable data");
		return 0;
	}
	r->produced += (uint64_t)n;
	return n;
}

/* A reader of x's input with the formats and filters set by setup(), or
 * NULL: the reason on x, none when a limit cut the input or memory ran
 * out (a decoder this libarchive lacks is one: it would run an external
 * program for it, which the scanner never does). */
static struct archive *
open_reader(struct reading *r, struct ps_extract *x, bool (*setup)(struct archive *a))
{
	memset(r, 0, sizeof *r);
	r->x = x;
	r->max_ratio = ps_extract_max_ratio(x);
	if ((r->a = archive_read_new()) == NULL)
		return NULL;
	if (!setup(r->a))
		snprintf(x->reason, sizeof x->reason, "unsupported: %s",
		    archive_error_string(r->a) != NULL ? archive_error_string(r->a)
		    : "no decoder");
	/* Opening reads the first bytes: what libarchive cannot tell
	 * from them is damaged, as the type was decided already. */
	else if (archive_read_open(r->a, r, NULL, source_read, NULL) != ARCHIVE_OK)
		failed(r, x->reason, sizeof x->reason, "unrecognised data");
	else
		return r->a;
	archive_read_free(r->a);
	r->a = NULL;
	return NULL;
}

/* What open_reader() returning NULL means for the extraction. */
static enum ps_error
not_opened(const struct ps_extract *x)
{
	if (x->reason[0] != '\0')
		return PS_ERR_CORRUPT;
	return x->in->limit_hit != NULL ? PS_OK : PS_ERR_NOMEM;
}

/* Record on the file why the members stopped short (the limits a member
 * met are recorded by the scan). */
static void
close_reader(struct reading *r)
{
	if (r->error[0] != '\0')
		ps_extract_partial(r->x, "%s", r->error);
	archive_read_free(r->a);
}

static bool
setup_archive(struct archive *a)
{
	return archive_read_support_format_tar(a) == ARCHIVE_OK
	    && archive_read_support_format_cpio(a) == ARCHIVE_OK;
}

/* Only decoders built into libarchive (ARCHIVE_WARN: an external program
 * would be run). */
static bool
setup_compressed(struct archive *a)
{
	return archive_read_support_filter_bzip2(a) == ARCHIVE_OK
	    && archive_read_support_filter_xz(a) == ARCHIVE_OK
	    && archive_read_support_filter_lzma(a) == ARCHIVE_OK
	    && archive_read_support_filter_zstd(a) == ARCHIVE_OK
	    && archive_read_support_filter_lz4(a) == ARCHIVE_OK
	    && archive_read_support_filter_compress(a) == ARCHIVE_OK
	    && archive_read_support_format_raw(a) == ARCHIVE_OK;
}

/* Damaged headers libarchive may skip in a row without moving on. */
#define MAX_STUCK_RETRIES 64

enum ps_error
ps_extract_tar(struct ps_extract *x)
{
	uint64_t max = ps_extract_max_members(x), opened = 0, entries = 0;
	struct reading r;
	enum ps_error err = PS_OK;
	char damage[96] = "";
	int64_t retried_at = -1;
	int stuck = 0;

	if (open_reader(&r, x, setup_archive) == NULL)
		return not_opened(x);
	while (err == PS_OK && r.error[0] == '\0' && !r.ratio_hit) {
		struct archive_entry *e;
		struct ps_input in = { 0 };
		const char *name;
		int rc = archive_read_next_header(r.a, &e);

		if (rc == ARCHIVE_EOF)
			break;
		if (rc == ARCHIVE_RETRY) {
			/* A damaged header, skipped: libarchive looks for the
			 * next one after it, as bsdtar lets it, while it moves
			 * on through the archive. */
			int64_t at = archive_filter_bytes(r.a, 0);

			if (damage[0] == '\0')
				failed(&r, damage, sizeof damage, "damaged header");
			if (at != retried_at)
				stuck = 0;
			else if (++stuck > MAX_STUCK_RETRIES)
				break;
			retried_at = at;
			continue;
		}
		if (rc != ARCHIVE_OK && rc != ARCHIVE_WARN) {
			failed(&r, r.error, sizeof r.error, "damaged header");
			break;
		}
		entries++;
		/* Folders, links and devices have no bytes of their own. */
		if (archive_entry_filetype(e) != AE_IFREG || archive_entry_size(e) == 0)
			continue;
		if (ps_extract_stopping(x)) {
			err = PS_ERR_STOP;
			break;
		}
		if (opened++ >= max) {
			ps_extract_partial(x, "limit: members");
			break;
		}
		if ((name = archive_entry_pathname(e)) == NULL || name[0] == '\0')
			name = "?";
		in.read = member_read;
		in.ctx = &r;
		r.member = &in;
		err = ps_extract_child(x, name, &in);
	}
	/* Not one header read: the file is no archive. */
	if (err == PS_OK && entries == 0 && (r.error[0] != '\0' || damage[0] != '\0')) {
		snprintf(x->reason, sizeof x->reason, "%s", r.error[0] != '\0' ? r.error : damage);
		archive_read_free(r.a);
		return PS_ERR_CORRUPT;
	}
	if (damage[0] != '\0')
		ps_extract_partial(x, "%s", damage);
	close_reader(&r);
	return err;
}

enum ps_error
ps_extract_compressed(struct ps_extract *x)
{
	struct archive_entry *e;
	struct ps_input child = { 0 };
	struct reading r;
	char name[256];
	enum ps_error err;
	int rc;

	if (open_reader(&r, x, setup_compressed) == NULL)
		return not_opened(x);
	if ((rc = archive_read_next_header(r.a, &e)) != ARCHIVE_OK && rc != ARCHIVE_WARN) {
		failed(&r, x->reason, sizeof x->reason, "unreadable stream");
		archive_read_free(r.a);
		return x->reason[0] != '\0' ? PS_ERR_CORRUPT : PS_OK;
	}
	ps_unpacked_name(x->in->name, name, sizeof name);
	child.read = member_read;
	child.ctx = &r;
	r.member = &child;
	err = ps_extract_child(x, name, &child);
	close_reader(&r);
	return err;
}

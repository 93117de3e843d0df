/*
 * archive.c - what libarchive reads for the scanner, never writing to
 * disk: tar archives (v7, ustar, pax, GNU) and cpio archives, read as a
 * stream from the input, and 7-Zip archives (whose directory is at their
 * end) and RAR archives, read from the file or, nested, from memory, so
 * that their size is known before their members are read; their regular
 * files are children in the archive's order.  And single compressed streams
 * (bzip2, xz, lzma, zstd, lz4, compress), whose bytes are one child, as
 * gzip's are (gzip.c): a .tar.xz is a compressed stream whose child is a
 * tar archive.
 */
#include "config.h"

#include "../extract.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <locale.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../scan.h"

/* Sets the formats and filters a reader takes. */
typedef bool setup_fn(struct archive *a);

/* The archive being read, and what its members have given so far. */
struct reading {
	struct ps_extract *x;
	struct archive *a;
	struct ps_input *member;    /* the member being read */
	/* A 7-Zip or RAR archive on disk (x->in->fd): its size, and where
	 * libarchive reads in it. */
	uint64_t size, offset;
	unsigned char *data;        /* one nested, read into memory */
	bool open;                  /* archive_read_open*() succeeded */
	uint64_t produced;
	unsigned max_ratio;
	bool ratio_hit;             /* the members expand too much: stop */
	char error[96];             /* why reading stopped short */
};

/* libarchive failed: the archive is damaged, unless a limit cut the
 * input (then the scan records the limit, not damage), or it is
 * encrypted where libarchive reads no further (a 7-Zip archive's
 * encrypted directory). */
static void
failed(struct reading *r, char *why, size_t cap, const char *otherwise)
{
	const char *said = archive_error_string(r->a);

	if (r->x->in->limit_hit != NULL)
		return;
	/* Only an opened archive has a format to ask (libarchive calls
	 * through a stale pointer otherwise). */
	if (r->open && archive_read_has_encrypted_entries(r->a) > 0)
		snprintf(why, cap, "encrypted");
	else
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

/* The read, seek and skip callbacks of an archive on disk: the
 * file's bytes at the offset libarchive asks for, a chunk at a time. */
static la_ssize_t
file_read(struct archive *a, void *ctx, const void **buf)
{
	struct reading *r = ctx;
	size_t want = r->size - r->offset < PS_READ_CHUNK
	    ? (size_t)(r->size - r->offset) : PS_READ_CHUNK;
	ssize_t n = 0;

	if (want > 0) {
		do
			n = pread(r->x->in->fd, r->x->buf, want, (off_t)r->offset);
		while (n < 0 && errno == EINTR);
	}
	if (n < 0) {
		archive_set_error(a, errno, "read: %s", strerror(errno));
		return -1;
	}
	r->offset += (uint64_t)n;
	*buf = r->x->buf;
	return n;
}

static la_int64_t
file_seek(struct archive *a, void *ctx, la_int64_t offset, int whence)
{
	struct reading *r = ctx;
	la_int64_t base = whence == SEEK_SET ? 0 : whence == SEEK_CUR
	    ? (la_int64_t)r->offset : (la_int64_t)r->size;

	(void)a;
	/* Past either end: at that end (a read there gives nothing).  The
	 * base is within the file, so neither bound overflows. */
	if (offset < -base)
		offset = -base;
	else if (offset > (la_int64_t)r->size - base)
		offset = (la_int64_t)r->size - base;
	r->offset = (uint64_t)(base + offset);
	return (la_int64_t)r->offset;
}

static la_int64_t
file_skip(struct archive *a, void *ctx, la_int64_t request)
{
	struct reading *r = ctx;
	uint64_t left = r->size - r->offset;
	uint64_t n = request < 0 ? 0 : (uint64_t)request < left ? (uint64_t)request : left;

	(void)a;
	r->offset += n;
	return (la_int64_t)n;
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
	if (ps_ratio_exceeded(r->produced, r->x->in->consumed, r->max_ratio)) {
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

static void
init_reading(struct reading *r, struct ps_extract *x)
{
	memset(r, 0, sizeof *r);
	r->x = x;
	r->max_ratio = ps_extract_max_ratio(x);
}

/* After archive_read_open*() returned rc: the reader, or NULL with the
 * reason on x (none when a limit cut the input). */
static struct archive *
opened(struct reading *r, bool set_up, int rc)
{
	struct ps_extract *x = r->x;

	if (!set_up)
		snprintf(x->reason, sizeof x->reason, "unsupported: %s",
		    archive_error_string(r->a) != NULL ? archive_error_string(r->a)
		    : "no decoder");
	/* Opening reads the first bytes: what libarchive cannot tell from
	 * them is damaged, as the type was decided already. */
	else if (rc != ARCHIVE_OK)
		failed(r, x->reason, sizeof x->reason, "unrecognised data");
	else {
		r->open = true;
		return r->a;
	}
	archive_read_free(r->a);
	r->a = NULL;
	free(r->data);
	r->data = NULL;
	return NULL;
}

/* A reader of x's input as a stream, with the formats and filters set
 * by setup(); NULL: see not_opened().  A decoder this libarchive lacks
 * is not set up: it would run an external program for it, which the
 * scanner never does. */
static struct archive *
open_stream(struct reading *r, struct ps_extract *x, setup_fn *setup)
{
	bool set_up;

	init_reading(r, x);
	if ((r->a = archive_read_new()) == NULL)
		return NULL;
	set_up = setup(r->a);
	return opened(r, set_up,
	    set_up ? archive_read_open(r->a, r, NULL, source_read, NULL) : ARCHIVE_FATAL);
}

/* A reader of the whole archive, with the formats set by setup(), in
 * which libarchive may seek: the file itself (its size held to
 * --max-filesize), or, nested, the member read into memory; NULL: see
 * not_opened(). */
static struct archive *
open_seekable(struct reading *r, struct ps_extract *x, setup_fn *setup)
{
	struct ps_input *in = x->in;
	size_t len = 0;
	bool fits, set_up;
	int rc = ARCHIVE_FATAL;

	init_reading(r, x);
	if (in->fd >= 0) {
		if (ps_input_whole_file(x, &fits) != PS_OK || !fits)
			return NULL;
		r->size = in->consumed;
	} else if (ps_input_slurp_nested(x, &r->data, &len) != PS_OK || r->data == NULL) {
		return NULL;
	}
	if ((r->a = archive_read_new()) == NULL) {
		free(r->data);
		return NULL;
	}
	set_up = setup(r->a);
	if (set_up && r->data != NULL) {
		rc = archive_read_open_memory(r->a, r->data, len);
	} else if (set_up && in->ended) {
		/* The read that decided its type holds it all. */
		rc = archive_read_open_memory(r->a, in->head, in->headlen);
	} else if (set_up) {
		ps_fd_blocking(in->fd);
		archive_read_set_read_callback(r->a, file_read);
		archive_read_set_seek_callback(r->a, file_seek);
		archive_read_set_skip_callback(r->a, file_skip);
		archive_read_set_callback_data(r->a, r);
		rc = archive_read_open1(r->a);
	}
	return opened(r, set_up, rc);
}

/* What open_stream() or open_seekable() returning NULL means for the
 * extraction. */
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
	free(r->data);
}

static bool
setup_archive(struct archive *a)
{
	return archive_read_support_format_tar(a) == ARCHIVE_OK
	    && archive_read_support_format_cpio(a) == ARCHIVE_OK;
}

static bool
setup_7z(struct archive *a)
{
	return archive_read_support_format_7zip(a) == ARCHIVE_OK;
}

/* RAR 1.5 to 4 and RAR 5 (one volume of a multi-volume set reads up to
 * where it continues). */
static bool
setup_rar(struct archive *a)
{
	return archive_read_support_format_rar(a) == ARCHIVE_OK
	    && archive_read_support_format_rar5(a) == ARCHIVE_OK;
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

/* A member's path as the member chain shows it: in UTF-8 where
 * libarchive knows its encoding (7-Zip's UTF-16, pax, RAR), else its
 * bytes as the archive holds them (tar and cpio names in the writer's
 * code page); "./hr/list.csv" (tar -C dir .) and "/hr/list.csv" are
 * "hr/list.csv", as inside a zip.  NULL when nothing is left. */
static const char *
member_name(struct archive_entry *e)
{
	const char *path = archive_entry_pathname_utf8(e);

	if (path == NULL)
		path = archive_entry_pathname(e);
	while (path != NULL && (path[0] == '/' || (path[0] == '.' && path[1] == '/')))
		path += path[0] == '/' ? 1 : 2;
	return path != NULL && path[0] != '\0' ? path : NULL;
}

/* LC_CTYPE C.UTF-8, made once (NULL: the C library has none). */
static locale_t utf8_locale;
static pthread_once_t utf8_once = PTHREAD_ONCE_INIT;

static void
make_utf8_locale(void)
{
	utf8_locale = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
}

/*
 * The next member's header, and its name (NULL: none; see member_name).
 * libarchive converts names to the locale's character set, and the
 * scanner runs in the C locale, where a 7-Zip archive's UTF-16 names
 * convert to nothing: the thread reads headers in C.UTF-8, and only
 * headers (the children are scanned in the C locale, as everything else).
 */
static int
next_header(struct reading *r, struct archive_entry **e, const char **name)
{
	locale_t was = (locale_t)0;
	int rc;

	pthread_once(&utf8_once, make_utf8_locale);
	if (utf8_locale != (locale_t)0)
		was = uselocale(utf8_locale);
	rc = archive_read_next_header(r->a, e);
	if (name != NULL)
		*name = rc == ARCHIVE_OK || rc == ARCHIVE_WARN ? member_name(*e) : NULL;
	if (was != (locale_t)0)
		uselocale(was);
	return rc;
}

/* Damaged headers libarchive may skip in a row without moving on. */
#define MAX_STUCK_RETRIES 64

/*
 * Scan the archive's members as children.  With whole_sizes (7-Zip and
 * RAR, read whole), a member's declared size counts whole against the
 * ratio limit, before it is read: what the child leaves unread is
 * decompressed all the same to reach the next member (a solid block is
 * one stream), where libarchive skips it.
 */
static enum ps_error
scan_members(struct reading *r, bool whole_sizes)
{
	struct ps_extract *x = r->x;
	uint64_t max = ps_extract_max_members(x), opened = 0, entries = 0;
	enum ps_error err = PS_OK;
	char damage[96] = "";
	int64_t retried_at = -1;
	int stuck = 0;

	while (err == PS_OK && r->error[0] == '\0' && !r->ratio_hit) {
		struct archive_entry *e;
		struct ps_input in = { 0 };
		const char *name;
		uint64_t size, before = r->produced;
		int rc = next_header(r, &e, &name);

		if (rc == ARCHIVE_EOF)
			break;
		if (rc == ARCHIVE_RETRY) {
			/* A damaged header, skipped: libarchive looks for the
			 * next one after it, as bsdtar lets it, while it moves
			 * on through the archive. */
			int64_t at = archive_filter_bytes(r->a, 0);

			if (damage[0] == '\0')
				failed(r, damage, sizeof damage, "damaged header");
			if (at != retried_at)
				stuck = 0;
			else if (++stuck > MAX_STUCK_RETRIES)
				break;
			retried_at = at;
			continue;
		}
		if (rc != ARCHIVE_OK && rc != ARCHIVE_WARN) {
			failed(r, r->error, sizeof r->error, "damaged header");
			break;
		}
		entries++;
		/* Folders, links and devices have no bytes of their own. */
		if (archive_entry_filetype(e) != AE_IFREG || archive_entry_size(e) <= 0)
			continue;
		size = (uint64_t)archive_entry_size(e);
		if (archive_entry_is_data_encrypted(e)) {
			ps_extract_partial(x, "encrypted");
			continue;
		}
		if (ps_extract_stopping(x)) {
			err = PS_ERR_STOP;
			break;
		}
		if (opened++ >= max) {
			ps_extract_partial(x, "limit: members");
			break;
		}
		if (whole_sizes && ps_ratio_exceeded(before + size, x->in->consumed, r->max_ratio)) {
			r->ratio_hit = true;
			ps_extract_partial(x, "limit: ratio");
			break;
		}
		if (name == NULL)
			name = "?";
		in.read = member_read;
		in.ctx = r;
		r->member = &in;
		err = ps_extract_child(x, name, &in);
		if (whole_sizes)
			r->produced = before + size;
	}
	/* Not one header read: the file is no archive (or one whose
	 * directory is encrypted: partial, as an encrypted zip member). */
	if (err == PS_OK && entries == 0 && (r->error[0] != '\0' || damage[0] != '\0')
	    && strcmp(r->error, "encrypted") != 0) {
		snprintf(x->reason, sizeof x->reason, "%s", r->error[0] != '\0' ? r->error : damage);
		r->error[0] = '\0';
		return PS_ERR_CORRUPT;
	}
	if (damage[0] != '\0')
		ps_extract_partial(x, "%s", damage);
	return err;
}

/* Open x with open() and the formats setup() sets, scan its members
 * (whole_sizes: see scan_members), close. */
static enum ps_error
read_archive(struct ps_extract *x,
    struct archive *(*open)(struct reading *r, struct ps_extract *x, setup_fn *setup),
    setup_fn *setup, bool whole_sizes)
{
	struct reading r;
	enum ps_error err;

	if (open(&r, x, setup) == NULL)
		return not_opened(x);
	err = scan_members(&r, whole_sizes);
	close_reader(&r);
	return err;
}

enum ps_error
ps_extract_tar(struct ps_extract *x)
{
	return read_archive(x, open_stream, setup_archive, false);
}

enum ps_error
ps_extract_7z(struct ps_extract *x)
{
	return read_archive(x, open_seekable, setup_7z, true);
}

enum ps_error
ps_extract_rar(struct ps_extract *x)
{
	return read_archive(x, open_seekable, setup_rar, true);
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

	if (open_stream(&r, x, setup_compressed) == NULL)
		return not_opened(x);
	if ((rc = next_header(&r, &e, NULL)) != ARCHIVE_OK && rc != ARCHIVE_WARN) {
		failed(&r, x->reason, sizeof x->reason, "unreadable stream");
		close_reader(&r);
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

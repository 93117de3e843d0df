/*
 * zip.c - zip archives (libzip): from the file itself or, nested, from
 * memory.  A package (OOXML, ODF) is handed to its extractor; otherwise
 * each member is scanned as a child, within the member count, expansion
 * ratio and expanded-bytes limits.
 */
#include "config.h"

#include "zipmember.h"

#include <errno.h>
#include <fcntl.h>
#include <libdeflate.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../scan.h"

static ssize_t
member_read(void *ctx, void *buf, size_t len)
{
	struct ps_zip_member *m = ctx;
	zip_int64_t n;

	/* Declared sizes are hints; the bytes produced are what count. */
	if (ps_ratio_exceeded(m->produced, m->compressed, m->max_ratio)) {
		m->ratio_hit = true;
		ps_input_cut(m->in, "limit: ratio");
		return 0;
	}
	if (m->error[0] != '\0')
		return 0;
	if (m->whole != NULL) {
		n = (zip_int64_t)(len < m->whole_len - m->whole_off ? len
		    : m->whole_len - m->whole_off);
		memcpy(buf, m->whole + m->whole_off, (size_t)n);
		m->whole_off += (size_t)n;
		m->produced += (uint64_t)n;
		return (ssize_t)n;
	}
	n = zip_fread(m->zf, buf, len);
	if (n < 0) {
		/* Reported by ps_zip_member_close with libzip's own words; to
		 * the reader the member just ends here. */
		snprintf(m->error, sizeof m->error, "%s", zip_file_strerror(m->zf));
		return 0;
	}
	m->produced += (uint64_t)n;
	return (ssize_t)n;
}

zip_int64_t
ps_zip_find(zip_t *za, const char *name)
{
	return zip_name_locate(za, name, ZIP_FL_ENC_RAW);
}

/* A deflated member up to this size is inflated in one go (libdeflate):
 * a document's parts are, and libzip's zlib stream with its CRC layer
 * took twice the time for them. */
#define INFLATE_WHOLE_MAX ((uint64_t)1 << 20)

/*
 * Inflate member index (stat st) whole into m->whole.  False when it is
 * not a small deflated member within the ratio limit, or when anything
 * does not match what the directory says (size, CRC): the member is then
 * read through libzip, which says what is wrong with it in its words.
 */
static bool
inflate_whole(struct ps_extract *x, zip_t *za, zip_uint64_t index,
    const zip_stat_t *st, struct ps_zip_member *m)
{
	const zip_uint64_t need = ZIP_STAT_SIZE | ZIP_STAT_COMP_SIZE
	    | ZIP_STAT_COMP_METHOD | ZIP_STAT_CRC;
	unsigned char *in = NULL, *out = NULL;
	enum libdeflate_result rc = LIBDEFLATE_BAD_DATA;
	zip_file_t *zf;
	zip_int64_t got;

	/* Without the thread's decompressor (an extraction set up by
	 * hand), libzip reads the member. */
	if (x->inflater == NULL || (st->valid & need) != need
	    || st->comp_method != ZIP_CM_DEFLATE
	    || st->size == 0 || st->size > INFLATE_WHOLE_MAX || st->comp_size == 0
	    || st->comp_size > INFLATE_WHOLE_MAX
	    || ps_ratio_exceeded(st->size, st->comp_size, m->max_ratio))
		return false;
	if ((zf = zip_fopen_index(za, index, ZIP_FL_COMPRESSED)) == NULL)
		return false;
	if ((in = malloc((size_t)st->comp_size)) != NULL
	    && (got = zip_fread(zf, in, st->comp_size)) >= 0
	    && (zip_uint64_t)got == st->comp_size
	    && (out = malloc((size_t)st->size)) != NULL)
		rc = libdeflate_deflate_decompress(x->inflater, in, (size_t)st->comp_size,
		    out, (size_t)st->size, NULL);
	zip_fclose(zf);
	free(in);
	if (rc != LIBDEFLATE_SUCCESS
	    || libdeflate_crc32(0, out, (size_t)st->size) != st->crc) {
		free(out);
		return false;
	}
	m->whole = out;
	m->whole_len = (size_t)st->size;
	return true;
}

enum ps_error
ps_zip_member_open(struct ps_extract *x, zip_t *za, zip_uint64_t index,
    struct ps_zip_member *m, struct ps_input *in)
{
	zip_stat_t st;

	memset(m, 0, sizeof *m);
	memset(in, 0, sizeof *in);
	zip_stat_init(&st);
	if (zip_stat_index(za, index, 0, &st) != 0) {
		ps_extract_partial(x, "corrupt: %s", zip_strerror(za));
		return PS_ERR_CORRUPT;
	}
	if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD)
	    && st.encryption_method != ZIP_EM_NONE) {
		ps_extract_partial(x, "encrypted");
		return PS_ERR_CORRUPT;
	}
	m->max_ratio = ps_extract_max_ratio(x);
	if (!inflate_whole(x, za, index, &st, m)
	    && (m->zf = zip_fopen_index(za, index, 0)) == NULL) {
		zip_error_t *ze = zip_get_error(za);

		if (zip_error_code_zip(ze) == ZIP_ER_NOPASSWD
		    || zip_error_code_zip(ze) == ZIP_ER_WRONGPASSWD)
			ps_extract_partial(x, "encrypted");
		else
			ps_extract_partial(x, "corrupt: %s", zip_strerror(za));
		return PS_ERR_CORRUPT;
	}
	m->compressed = (st.valid & ZIP_STAT_COMP_SIZE) ? st.comp_size : 0;
	m->in = in;
	in->read = member_read;
	in->ctx = m;
	in->fd = -1;
	in->limit = UINT64_MAX;
	in->budget = ps_extract_budget(x);
	in->name = st.valid & ZIP_STAT_NAME ? st.name : "";
	return PS_OK;
}

void
ps_zip_member_close(struct ps_extract *x, struct ps_zip_member *m,
    const struct ps_input *in)
{
	if (m->ratio_hit)
		ps_extract_partial(x, "limit: ratio");
	else if (m->error[0] != '\0')
		ps_extract_partial(x, "corrupt: %s: %s",
		    in != NULL && in->name != NULL ? in->name : "member", m->error);
	else if (in != NULL && in->limit_hit != NULL)
		ps_extract_partial(x, "%s", in->limit_hit);
	if (m->zf != NULL)
		zip_fclose(m->zf);
	m->zf = NULL;
	free(m->whole);
	m->whole = NULL;
}

enum ps_error
ps_zip_scan_members(struct ps_extract *x, zip_t *za, bool (*want)(const char *name))
{
	zip_int64_t n = zip_get_num_entries(za, 0);
	uint64_t max = ps_extract_max_members(x), opened = 0;
	enum ps_error err = PS_OK;

	for (zip_int64_t i = 0; i < n && err == PS_OK; i++) {
		struct ps_zip_member m;
		struct ps_input in;
		const char *name = zip_get_name(za, (zip_uint64_t)i, 0);
		size_t len = name != NULL ? strlen(name) : 0;

		if (len == 0 || name[len - 1] == '/' || (want != NULL && !want(name)))
			continue;
		if (opened++ >= max) {
			ps_extract_partial(x, "limit: members");
			break;
		}
		if (ps_zip_member_open(x, za, (zip_uint64_t)i, &m, &in) != PS_OK)
			continue;
		err = ps_extract_child(x, name, &in);
		ps_zip_member_close(x, &m, &in);
	}
	return err;
}

/* A package on disk up to this size is read whole, with one read: libzip
 * reading it through stdio costs some thirty system calls (seeks, stats,
 * small reads) for a small document.  Larger ones, often mostly images
 * the scan skips, are read where libzip needs them. */
#define ZIP_READ_WHOLE ((uint64_t)1 << 20)

/*
 * *data and *len: the whole file behind x->in->fd, of size bytes, when
 * it is small enough; *data NULL otherwise.  A file the head read to
 * decide its type holds whole is not read again; *owned is what to free.
 */
static enum ps_error
read_small_file(struct ps_extract *x, uint64_t size, const unsigned char **data,
    size_t *len, unsigned char **owned)
{
	const struct ps_input *in = x->in;
	unsigned char *buf;
	ssize_t got;

	*data = *owned = NULL;
	*len = 0;
	if (size == 0 || size > ZIP_READ_WHOLE)
		return PS_OK;
	if (in->ended && in->headpos == 0 && in->headlen == size) {
		*data = in->head;
		*len = in->headlen;
		return PS_OK;
	}
	if ((buf = malloc((size_t)size)) == NULL)
		return PS_ERR_NOMEM;
	ps_fd_blocking(in->fd);
	do
		got = pread(in->fd, buf, (size_t)size, 0);
	while (got < 0 && errno == EINTR);
	if (got < 0) {
		snprintf(x->reason, sizeof x->reason, "read: %s", strerror(errno));
		free(buf);
		return PS_ERR_IO;
	}
	*data = *owned = buf;
	*len = (size_t)got;
	return PS_OK;
}

enum ps_error
ps_extract_zip(struct ps_extract *x)
{
	struct ps_input *in = x->in;
	const struct ps_package *pkg;
	const unsigned char *data = NULL;
	unsigned char *owned = NULL;
	zip_source_t *src = NULL;
	zip_error_t ze;
	zip_t *za = NULL;
	enum ps_error err;
	size_t len = 0;

	zip_error_init(&ze);
	if (in->fd >= 0) {
		/* The file on disk: a small one read whole, a larger one read
		 * by libzip where it needs. */
		FILE *fp;
		bool fits;
		int fd;

		if ((err = ps_input_whole_file(x, &fits)) != PS_OK || !fits
		    || (err = read_small_file(x, in->consumed, &data, &len, &owned)) != PS_OK)
			return err;
		/* libzip's own descriptor is close-on-exec like every one the
		 * scanner holds: another thread may be starting a PDF helper. */
		if (data != NULL) {
			src = zip_source_buffer_create(data, len, 0, &ze);
		} else {
			ps_fd_blocking(in->fd);
			if ((fd = fcntl(in->fd, F_DUPFD_CLOEXEC, 0)) < 0
			    || (fp = fdopen(fd, "rb")) == NULL) {
				if (fd >= 0)
					close(fd);
				snprintf(x->reason, sizeof x->reason, "%s", strerror(errno));
				return PS_ERR_IO;
			}
			if ((src = zip_source_filep_create(fp, 0, -1, &ze)) == NULL)
				fclose(fp);
		}
	} else {
		/* Nested: random access needs the member in memory. */
		if ((err = ps_input_slurp_nested(x, &owned, &len)) != PS_OK
		    || owned == NULL)
			return err;
		data = owned;
		src = zip_source_buffer_create(data, len, 0, &ze);
	}
	if (src == NULL) {
		free(owned);
		return PS_ERR_NOMEM;
	}
	if ((za = zip_open_from_source(src, ZIP_RDONLY, &ze)) == NULL) {
		snprintf(x->reason, sizeof x->reason, "corrupt: %s", zip_error_strerror(&ze));
		zip_source_free(src);
		zip_error_fini(&ze);
		free(owned);
		return PS_ERR_CORRUPT;
	}
	if ((pkg = ps_package_for(za)) != NULL) {
		ps_extract_set_type(x, pkg->type);
		err = pkg->extract(x, za);
	} else {
		ps_extract_set_type(x, "zip");
		err = ps_zip_scan_members(x, za, NULL);
	}
	zip_discard(za);
	zip_error_fini(&ze);
	free(owned);
	return err;
}

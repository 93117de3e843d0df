/*
 * scan.c - scan one file (see scan.h).
 */
#include "config.h"

#include "scan.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct ps_file_result *
ps_file_result_new(char *path)
{
	struct ps_file_result *r = calloc(1, sizeof *r);

	if (r == NULL) {
		free(path);
		return NULL;
	}
	r->path = path;
	r->status = "ok";
	return r;
}

void
ps_file_result_free(struct ps_file_result *r)
{
	if (r == NULL)
		return;
	ps_findings_free(&r->findings);
	free(r->path);
	free(r);
}

void
ps_file_result_set(struct ps_file_result *r, const char *status,
    const char *fmt, ...)
{
	va_list ap;

	r->status = status;
	va_start(ap, fmt);
	vsnprintf(r->reason, sizeof r->reason, fmt, ap);
	va_end(ap);
}

struct ps_worker *
ps_worker_new(const struct ps_patterns *set, const struct ps_key *key,
    const struct ps_limits *limits, char *why, size_t whylen)
{
	struct ps_worker *w = calloc(1, sizeof *w);

	if (w == NULL)
		goto nomem;
	w->limits = limits;
	if ((w->magic = ps_filetype_open(why, whylen)) == NULL)
		goto fail;
	w->matcher = ps_matcher_new(set, key);
	w->buf = malloc(PS_READ_CHUNK);
	w->head = malloc(PS_SNIFF_BYTES);
	if (w->matcher == NULL || w->buf == NULL || w->head == NULL)
		goto nomem;
	return w;
nomem:
	snprintf(why, whylen, "out of memory");
fail:
	ps_worker_free(w);
	return NULL;
}

void
ps_worker_free(struct ps_worker *w)
{
	if (w == NULL)
		return;
	if (w->magic != NULL)
		magic_close(w->magic);
	ps_matcher_free(w->matcher);
	if (w->buf != NULL)
		ps_wipe(w->buf, PS_READ_CHUNK);
	free(w->buf);
	free(w->head);
	free(w);
}

static ssize_t
fd_read(void *ctx, void *buf, size_t len)
{
	return read(*(int *)ctx, buf, len);
}

/*
 * Open for reading without following a symlink, without blocking on a
 * FIFO, and without touching the access time where the kernel lets us.
 */
static int
open_quietly(const char *path, bool follow)
{
	int flags = O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC
	    | (follow ? 0 : O_NOFOLLOW);
	int fd = open(path, flags | O_NOATIME);

	/* O_NOATIME is refused (EPERM) on files we do not own. */
	if (fd < 0 && errno == EPERM)
		fd = open(path, flags);
	return fd;
}

static size_t
read_head(int fd, unsigned char *head, size_t cap, int *error)
{
	size_t got = 0;

	*error = 0;
	while (got < cap) {
		ssize_t n = read(fd, head + got, cap - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			*error = errno;
			break;
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	return got;
}

enum ps_error
ps_scan_file(struct ps_worker *w, struct ps_file_result *r)
{
	struct ps_filetype ft;
	struct ps_input in = { 0 };
	struct ps_extract x = { 0 };
	struct ps_sink sink;
	struct stat st;
	enum ps_error err = PS_OK;
	const char *base;
	size_t headlen;
	int fd, rerr;

	if ((fd = open_quietly(r->path, r->via_link)) < 0) {
		ps_file_result_set(r, "error", "open: %s", strerror(errno));
		return PS_OK;
	}
	if (fstat(fd, &st) != 0) {
		ps_file_result_set(r, "error", "stat: %s", strerror(errno));
		goto done;
	}
	if (!S_ISREG(st.st_mode)) {
		ps_file_result_set(r, "skipped", "not a regular file");
		goto done;
	}
	if (r->have_stat && (st.st_dev != r->st.st_dev || st.st_ino != r->st.st_ino)) {
		ps_file_result_set(r, "error", "replaced while being scanned");
		goto done;
	}
	r->st = st;
	r->have_stat = true;
	/* Regular files do not block; reads below should. */
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);

	headlen = read_head(fd, w->head, PS_SNIFF_BYTES, &rerr);
	if (rerr != 0) {
		ps_file_result_set(r, "error", "read: %s", strerror(rerr));
		goto done;
	}
	base = strrchr(r->path, '/');
	base = base != NULL ? base + 1 : r->path;
	ps_filetype_detect(w->magic, w->head, headlen, base, &ft);
	snprintf(r->type, sizeof r->type, "%s", ft.type);
	if (headlen == 0)
		goto done;
	if (ft.extractor == NULL) {
		r->bytes_read = headlen;
		ps_file_result_set(r, "skipped", "unsupported: %s", ft.mime);
		goto done;
	}

	in.read = fd_read;
	in.ctx = &fd;
	in.name = base;
	in.charset = ft.charset;
	in.head = w->head;
	in.headlen = headlen;
	in.limit = w->limits->max_filesize;
	x.in = &in;
	sink = ps_matcher_sink(w->matcher);
	x.sink = &sink;
	x.buf = w->buf;
	ps_matcher_target(w->matcher, &r->findings, NULL);
	err = ft.extractor->extract(&x);
	r->bytes_read = in.consumed;
	if (err == PS_ERR_NOMEM)
		goto done;
	if (err != PS_OK)
		ps_file_result_set(r, "error", "%s",
		    x.reason[0] != '\0' ? x.reason : ps_strerror(err));
	else if (in.truncated)
		ps_file_result_set(r, "partial", "limit: filesize");
	else if (x.reason[0] != '\0')
		ps_file_result_set(r, "partial", "%s", x.reason);
	else if (r->findings.cut_short > 0)
		ps_file_result_set(r, "partial", "limit: regex match limit");
	else if (r->findings.dropped > 0)
		ps_file_result_set(r, "partial", "limit: findings");
	err = PS_OK;
done:
	close(fd);
	return err;
}

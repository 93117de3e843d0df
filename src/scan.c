/*
 * scan.c - scan one file (see scan.h).
 */
#include "config.h"

#include "scan.h"

#include "inventory.h"

#include <errno.h>
#include <fcntl.h>
#include <libdeflate.h>
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
	r->dirfd = -1;
	r->status = "ok";
	r->messages = -1;
	r->messages_failed = -1;
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

/* The scan of one file on disk and of everything inside it. */
struct ps_scan_ctx {
	struct ps_worker *w;
	struct ps_file_result *r;
	unsigned depth;              /* 0 for the file, +1 per archive level */
	uint64_t budget;             /* bytes its archives may still produce */
	char *chain;                 /* member chain, "a.zip/b.docx"; "" at top */
	size_t chain_len, chain_cap;
	char partial[160];           /* first reason it was not fully examined */
	/* Chain lengths to go back to, one per ps_extract_enter() open. */
	size_t entered[PS_MAX_ENTERED];
	unsigned nentered;
	unsigned messages_open;      /* ps_extract_message_begin() depth */
};

struct ps_worker *
ps_worker_new(const struct ps_patterns *set, const struct ps_key *key,
    const struct ps_limits *limits, const struct ps_plan *plan,
    atomic_bool *stop, char *why, size_t whylen)
{
	struct ps_worker *w = calloc(1, sizeof *w);

	if (w == NULL)
		goto nomem;
	w->limits = limits;
	w->plan = plan;
	w->stop = stop;
	if ((w->magic = ps_filetype_open(why, whylen)) == NULL)
		goto fail;
	if ((w->matcher = ps_matcher_new(set, key)) == NULL)
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
	for (size_t i = 0; i < w->nlevels; i++) {
		if (w->levels[i].buf != NULL)
			ps_wipe(w->levels[i].buf, PS_READ_CHUNK);
		free(w->levels[i].buf);
		free(w->levels[i].head);
		ps_xml_spare_free(w->levels[i].xml_spare);
		if (w->levels[i].inflater != NULL)
			libdeflate_free_decompressor(w->levels[i].inflater);
	}
	free(w->levels);
	free(w);
}

/* The buffers of nesting level d, made on first use. */
static struct ps_level *
level(struct ps_worker *w, unsigned d)
{
	if (d >= w->nlevels) {
		struct ps_level *grown = realloc(w->levels, (d + 1) * sizeof *grown);

		if (grown == NULL)
			return NULL;
		memset(grown + w->nlevels, 0, (d + 1 - w->nlevels) * sizeof *grown);
		w->levels = grown;
		w->nlevels = d + 1;
	}
	/* Each made if missing: one that failed before is tried again. */
	if (w->levels[d].buf == NULL)
		w->levels[d].buf = malloc(PS_READ_CHUNK);
	if (w->levels[d].head == NULL)
		w->levels[d].head = malloc(PS_SNIFF_BYTES);
	if (w->levels[d].xml_spare == NULL)
		w->levels[d].xml_spare = ps_xml_spare_new();
	if (w->levels[d].inflater == NULL)
		w->levels[d].inflater = libdeflate_alloc_decompressor();
	if (w->levels[d].buf == NULL || w->levels[d].head == NULL
	    || w->levels[d].xml_spare == NULL || w->levels[d].inflater == NULL)
		return NULL;
	return &w->levels[d];
}

/* Files are opened O_NONBLOCK (open_quietly): the flag is cleared on the
 * first EAGAIN (ps_fd_blocking), not with a system call for every file. */
static ssize_t
fd_read(void *ctx, void *buf, size_t len)
{
	int fd = *(int *)ctx;
	ssize_t n = read(fd, buf, len);

	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) && ps_fd_blocking(fd))
		n = read(fd, buf, len);
	return n;
}

/* A file is opened by the last component of its path in the directory
 * the walk listed it in, when that is still open. */
static int
open_named(const struct ps_file_result *r, int flags)
{
	return r->dirfd >= 0 ? openat(r->dirfd, ps_base_name(r->path), flags)
	    : open(r->path, flags);
}

/*
 * Open for reading without following a symlink (unless the walk chose
 * to), without blocking on a FIFO, and without touching the access time
 * where the kernel lets us.
 */
static int
open_quietly(const struct ps_file_result *r, bool *atime_touched)
{
	int flags = O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC
	    | (r->via_link ? 0 : O_NOFOLLOW);
	int fd = open_named(r, flags | O_NOATIME);

	/* O_NOATIME is refused (EPERM) on files we neither own nor have
	 * CAP_FOWNER for: read them anyway, and say so. */
	*atime_touched = false;
	if (fd < 0 && errno == EPERM) {
		fd = open_named(r, flags);
		*atime_touched = fd >= 0;
	}
	return fd;
}

/* lstat() r (stat() when the walk follows the link), by name as above. */
static int
stat_quietly(struct ps_file_result *r)
{
	if (r->dirfd >= 0)
		return fstatat(r->dirfd, ps_base_name(r->path), &r->st,
		    r->via_link ? 0 : AT_SYMLINK_NOFOLLOW);
	return r->via_link ? stat(r->path, &r->st) : lstat(r->path, &r->st);
}

static int64_t
nanoseconds(const struct timespec *ts)
{
	return (int64_t)ts->tv_sec * 1000000000 + ts->tv_nsec;
}

/*
 * Whether the inventory's record p still describes the file whose stat is
 * st, so that the scan may carry it over: same device, inode, size, mtime
 * and ctime, recorded under the same rules.  A file that failed last time
 * is always read again.
 */
static bool
still_current(const struct ps_plan *plan, const struct ps_prior *p,
    const struct stat *st)
{
	if (plan->full || !p->same_rules || strcmp(p->status, "error") == 0
	    || strcmp(p->status, "gone") == 0)
		return false;
	return p->dev == (int64_t)st->st_dev && p->ino == (int64_t)st->st_ino
	    && p->size == (int64_t)st->st_size
	    && p->mtime_ns == nanoseconds(&st->st_mtim)
	    && p->ctime_ns == nanoseconds(&st->st_ctim);
}

/* Most files of a share hold nothing: when, besides, nobody read it since
 * (same atime), its row needs only its scan changed. */
static bool
nothing_but_the_scan(const struct ps_prior *p, const struct stat *st)
{
	return p->findings == 0 && p->atime == (int64_t)st->st_atime;
}

int64_t
ps_plan_carry_in_bulk(const struct ps_plan *plan, const char *path,
    const struct stat *st, const struct ps_prior **prior)
{
	const struct ps_prior *p = plan->known != NULL
	    ? ps_lookup_file(plan->known, path) : NULL;

	*prior = p;
	if (p == NULL || p->last_scan == plan->scan_id || !still_current(plan, p, st)
	    || !nothing_but_the_scan(p, st))
		return 0;
	return p->file_id;
}

/*
 * Whether the inventory already has this file as it is now: recorded by
 * this very scan (a resumed one), or still current since an earlier scan.
 */
static bool
known(struct ps_worker *w, struct ps_file_result *r)
{
	const struct ps_plan *plan = w->plan;
	const struct ps_prior *p = plan == NULL ? NULL : r->looked_up ? r->prior
	    : ps_lookup_file(plan->known, r->path);

	r->new_path = plan != NULL && p == NULL;
	if (p == NULL || strcmp(p->status, "gone") == 0)
		return false;
	/* The walk does not stat regular files: a known one is stat()ed
	 * here, to compare; a new one is only opened and fstat()ed. */
	if (!r->have_stat) {
		if (stat_quietly(r) != 0 || !S_ISREG(r->st.st_mode))
			return false;
		r->have_stat = true;
	}
	if (p->last_scan == plan->scan_id) {
		r->done = true;
		return true;
	}
	if (!still_current(plan, p, &r->st))
		return false;
	r->carry = true;
	r->carry_in_bulk = nothing_but_the_scan(p, &r->st);
	r->prior_file_id = p->file_id;
	r->prior_scan = p->last_scan;
	r->prior_findings = p->findings;
	return true;
}

/* Fill head from read(), as far as it goes; errno in *error.  *ended
 * when the end was seen: a read of 0, or, when short_is_end (a regular
 * file, where read() returns less than asked only at its end), a short
 * one: a small file then costs one read, not three. */
static size_t
read_head(ssize_t (*rd)(void *, void *, size_t), void *ctx,
    unsigned char *head, size_t cap, bool short_is_end, int *error, bool *ended)
{
	size_t got = 0;

	*error = 0;
	*ended = false;
	while (got < cap) {
		ssize_t n = rd(ctx, head + got, cap - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			*error = errno;
			break;
		}
		if (n == 0 || (short_is_end && (size_t)n < cap - got)) {
			*ended = true;
			got += (size_t)n;
			break;
		}
		got += (size_t)n;
	}
	return got;
}

void
ps_extract_partial(struct ps_extract *x, const char *fmt, ...)
{
	struct ps_scan_ctx *ctx = x->scan;
	va_list ap;

	if (ctx->partial[0] != '\0')
		return;
	va_start(ap, fmt);
	vsnprintf(ctx->partial, sizeof ctx->partial, fmt, ap);
	va_end(ap);
}

void
ps_extract_set_type(struct ps_extract *x, const char *type)
{
	if (x->scan->depth == 0)
		ps_put_str(x->scan->r->type, x->scan->r->type + sizeof x->scan->r->type, type);
}

uint64_t
ps_extract_max_members(const struct ps_extract *x)
{
	return x->scan->w->limits->max_members;
}

unsigned
ps_extract_max_ratio(const struct ps_extract *x)
{
	return x->scan->w->limits->max_ratio;
}

void
ps_extract_pdf_limits(const struct ps_extract *x, unsigned *seconds,
    uint64_t *memory)
{
	const struct ps_limits *l = x->scan->w->limits;

	*seconds = l->max_pdf_time > 0 ? l->max_pdf_time : PS_DEFAULT_MAX_PDF_TIME;
	*memory = l->max_pdf_memory > 0 ? l->max_pdf_memory : PS_DEFAULT_MAX_PDF_MEMORY;
}

uint64_t *
ps_extract_budget(struct ps_extract *x)
{
	return &x->scan->budget;
}

bool
ps_extract_stopping(const struct ps_extract *x)
{
	return x->scan->w->stop != NULL && atomic_load(x->scan->w->stop);
}

/* Member types with no text worth a partial status when not opened. */
static bool
textless(const char *mime)
{
	return strncmp(mime, "image/", 6) == 0 || strncmp(mime, "audio/", 6) == 0
	    || strncmp(mime, "video/", 6) == 0 || strncmp(mime, "font/", 5) == 0
	    || strcmp(mime, "application/octet-stream") == 0
	    || strcmp(mime, "application/x-empty") == 0;
}

static bool
chain_push(struct ps_scan_ctx *ctx, const char *name)
{
	size_t n = strlen(name), need = ctx->chain_len + n + 2;

	if (need > ctx->chain_cap) {
		char *grown = realloc(ctx->chain, need * 2);

		if (grown == NULL)
			return false;
		ctx->chain = grown;
		ctx->chain_cap = need * 2;
	}
	if (ctx->chain_len > 0)
		ctx->chain[ctx->chain_len++] = '/';
	memcpy(ctx->chain + ctx->chain_len, name, n + 1);
	ctx->chain_len += n;
	return true;
}

static void
chain_pop(struct ps_scan_ctx *ctx, size_t len)
{
	ctx->chain_len = len;
	if (ctx->chain != NULL)
		ctx->chain[len] = '\0';
}

enum ps_error
ps_extract_enter(struct ps_extract *x, const char *name)
{
	struct ps_scan_ctx *ctx = x->scan;

	if (ctx->nentered == PS_MAX_ENTERED) {
		ps_extract_partial(x, "limit: depth");
		return PS_ERR_LIMIT;
	}
	ctx->entered[ctx->nentered] = ctx->chain_len;
	if (!chain_push(ctx, name))
		return PS_ERR_NOMEM;
	ctx->nentered++;
	ps_matcher_target(ctx->w->matcher, &ctx->r->findings, ctx->chain);
	return PS_OK;
}

void
ps_extract_leave(struct ps_extract *x)
{
	struct ps_scan_ctx *ctx = x->scan;

	if (ctx->nentered == 0)
		return;
	chain_pop(ctx, ctx->entered[--ctx->nentered]);
	ps_matcher_target(ctx->w->matcher, &ctx->r->findings,
	    ctx->chain_len > 0 ? ctx->chain : NULL);
}

uint64_t
ps_extract_message_begin(struct ps_extract *x)
{
	struct ps_scan_ctx *ctx = x->scan;
	uint64_t saved = ctx->budget;

	if (ctx->depth == 0 && ctx->messages_open++ == 0)
		ctx->budget = ctx->w->limits->max_expanded;
	return saved;
}

void
ps_extract_message_end(struct ps_extract *x, uint64_t saved)
{
	struct ps_scan_ctx *ctx = x->scan;

	if (ctx->depth == 0 && --ctx->messages_open == 0)
		ctx->budget = saved;
}

void
ps_extract_messages(struct ps_extract *x, uint64_t read, uint64_t failed)
{
	struct ps_file_result *r = x->scan->r;

	if (r->messages < 0) {
		r->messages = 0;
		r->messages_failed = 0;
	}
	r->messages += (int64_t)read;
	r->messages_failed += (int64_t)failed;
}

size_t
ps_extract_findings_count(const struct ps_extract *x)
{
	return x->scan->r->findings.count;
}

void
ps_extract_drop_repeats(struct ps_extract *x, size_t first, size_t from)
{
	ps_findings_drop_repeats(&x->scan->r->findings, first, from);
}

enum ps_error
ps_extract_child(struct ps_extract *x, const char *name, struct ps_input *in)
{
	struct ps_scan_ctx *ctx = x->scan;
	struct ps_worker *w = ctx->w;
	struct ps_extract cx = { 0 };
	struct ps_filetype ft;
	struct ps_level *lv;
	size_t saved = ctx->chain_len;
	const char *base;
	enum ps_error err = PS_OK;
	int rerr;

	if (ps_extract_stopping(x))
		return PS_ERR_STOP;
	if (ctx->depth + 1 > w->limits->max_depth) {
		ps_extract_partial(x, "limit: depth");
		return PS_OK;
	}
	if ((lv = level(w, ctx->depth + 1)) == NULL || !chain_push(ctx, name))
		return PS_ERR_NOMEM;

	in->fd = -1;
	in->headlen = read_head(in->read, in->ctx, lv->head, PS_SNIFF_BYTES, false,
	    &rerr, &in->ended);
	in->headpos = 0;
	in->head = lv->head;
	in->consumed = 0;
	in->budget = &ctx->budget;
	in->name = name;
	if (in->limit == 0)
		in->limit = UINT64_MAX;
	if (rerr != 0) {
		ps_extract_partial(x, "corrupt: %s: %s", name, strerror(rerr));
		goto done;
	}
	base = ps_base_name(name);
	ps_filetype_detect(w->magic, lv->head, in->headlen, base, &ft);
	if (in->headlen == 0)
		goto done;
	if (ft.extractor == NULL) {
		if (!textless(ft.mime))
			ps_extract_partial(x, "unsupported member: %s", ft.mime);
		goto done;
	}
	in->charset = ft.charset;
	cx.in = in;
	cx.sink = x->sink;
	cx.scan = ctx;
	cx.buf = lv->buf;
	cx.xml_spare = lv->xml_spare;
	cx.inflater = lv->inflater;
	ctx->depth++;
	ps_matcher_target(w->matcher, &ctx->r->findings, ctx->chain);
	err = ft.extractor->extract(&cx);
	ctx->depth--;
	if (err != PS_OK && err != PS_ERR_NOMEM && err != PS_ERR_STOP) {
		ps_extract_partial(x, "%s", cx.reason[0] != '\0' ? cx.reason
		    : ps_strerror(err));
		err = PS_OK;
	}
	if (in->limit_hit != NULL)
		ps_extract_partial(x, "%s", in->limit_hit);
done:
	chain_pop(ctx, saved);
	ps_matcher_target(w->matcher, &ctx->r->findings,
	    ctx->chain_len > 0 ? ctx->chain : NULL);
	return err;
}

/*
 * The head of the input is read (into lv->head, headlen bytes): decide
 * its type (or use `forced`), extract and match the rest, and describe
 * the outcome in r.
 */
static enum ps_error
scan_input(struct ps_worker *w, struct ps_file_result *r, struct ps_level *lv,
    struct ps_input *in, const char *base, const struct ps_extractor *forced)
{
	struct ps_scan_ctx ctx = { 0 };
	struct ps_filetype ft;
	struct ps_extract x = { 0 };
	struct ps_sink sink;
	enum ps_error err;

	ps_filetype_detect(w->magic, lv->head, in->headlen, base, &ft);
	if (forced != NULL) {
		ft.extractor = forced;
		ft.type = forced->type;
	}
	ps_put_str(r->type, r->type + sizeof r->type, ft.type);
	if (in->headlen == 0)
		return PS_OK;
	if (ft.extractor == NULL) {
		r->bytes_read = in->headlen;
		ps_file_result_set(r, "skipped", "unsupported: %s", ft.mime);
		return PS_OK;
	}
	ctx.w = w;
	ctx.r = r;
	ctx.budget = w->limits->max_expanded;
	in->name = base;
	in->charset = ft.charset;
	in->head = lv->head;
	in->limit = w->limits->max_filesize;
	x.in = in;
	sink = ps_matcher_sink(w->matcher);
	x.sink = &sink;
	x.scan = &ctx;
	x.buf = lv->buf;
	x.xml_spare = lv->xml_spare;
	x.inflater = lv->inflater;
	ps_matcher_target(w->matcher, &r->findings, NULL);
	err = ft.extractor->extract(&x);
	r->bytes_read = in->consumed;
	free(ctx.chain);
	if (err == PS_ERR_NOMEM)
		return err;
	if (err == PS_ERR_STOP)
		ps_file_result_set(r, "partial", "interrupted");
	else if (err != PS_OK)
		ps_file_result_set(r, "error", "%s",
		    x.reason[0] != '\0' ? x.reason : ps_strerror(err));
	else if (in->limit_hit != NULL)
		ps_file_result_set(r, "partial", "%s", in->limit_hit);
	else if (ctx.partial[0] != '\0')
		ps_file_result_set(r, "partial", "%s", ctx.partial);
	else if (r->findings.cut_short > 0)
		ps_file_result_set(r, "partial", "limit: regex match limit");
	else if (r->findings.dropped > 0)
		ps_file_result_set(r, "partial", "limit: findings");
	return PS_OK;
}

enum ps_error
ps_scan_file(struct ps_worker *w, struct ps_file_result *r)
{
	struct ps_input in = { 0 };
	struct ps_level *lv;
	struct stat st;
	enum ps_error err = PS_OK;
	int fd, rerr;

	if ((lv = level(w, 0)) == NULL)
		return PS_ERR_NOMEM;
	if (known(w, r))
		return PS_OK;
	if ((fd = open_quietly(r, &r->atime_touched)) < 0) {
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

	in.headlen = read_head(fd_read, &fd, lv->head, PS_SNIFF_BYTES, true, &rerr,
	    &in.ended);
	if (rerr != 0) {
		ps_file_result_set(r, "error", "read: %s", strerror(rerr));
		goto done;
	}
	in.read = fd_read;
	in.ctx = &fd;
	in.fd = fd;
	err = scan_input(w, r, lv, &in, ps_base_name(r->path), NULL);
done:
	close(fd);
	return err;
}

enum ps_error
ps_scan_buffer(struct ps_worker *w, struct ps_file_result *r, const void *data,
    size_t len, const char *type)
{
	struct ps_memory_reader m = { data, len, 0 };
	struct ps_input in = { 0 };
	struct ps_level *lv;
	const struct ps_extractor *forced = NULL;
	int rerr;

	if ((lv = level(w, 0)) == NULL)
		return PS_ERR_NOMEM;
	if (type != NULL && (forced = ps_extractor_by_type(type)) == NULL) {
		ps_file_result_set(r, "error", "no extractor for type '%s'", type);
		return PS_OK;
	}
	in.headlen = read_head(ps_memory_read, &m, lv->head, PS_SNIFF_BYTES, true, &rerr,
	    &in.ended);
	in.read = ps_memory_read;
	in.ctx = &m;
	in.fd = -1;
	return scan_input(w, r, lv, &in, ps_base_name(r->path), forced);
}

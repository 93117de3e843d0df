/*
 * input.c - reading an input: sniffed head first, then the stream, within
 * the file's limit and the archive's expanded-bytes budget.
 */
#include "config.h"

#include "../extract.h"
#include "../scan.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* At a limit: is there more to read?  Only then was anything cut off. */
static void
check_cut(struct ps_input *in, const char *reason)
{
	unsigned char probe;

	if (in->limit_hit != NULL)
		return;
	if (in->headpos < in->headlen
	    || (in->read != NULL && !in->ended && in->read(in->ctx, &probe, 1) > 0))
		in->limit_hit = reason;
}

ssize_t
ps_input_read(struct ps_input *in, void *buf, size_t len)
{
	size_t n;
	ssize_t got;

	if (in->consumed >= in->limit) {
		check_cut(in, "limit: filesize");
		return 0;
	}
	if (in->budget != NULL && *in->budget == 0) {
		check_cut(in, "limit: expanded");
		return 0;
	}
	if (len > in->limit - in->consumed)
		len = (size_t)(in->limit - in->consumed);
	if (in->budget != NULL && len > *in->budget)
		len = (size_t)*in->budget;
	if (in->headpos < in->headlen) {
		n = in->headlen - in->headpos;
		if (n > len)
			n = len;
		memcpy(buf, in->head + in->headpos, n);
		in->headpos += n;
		got = (ssize_t)n;
	} else {
		if (in->read == NULL || in->ended)
			return 0;
		do
			got = in->read(in->ctx, buf, len);
		while (got < 0 && errno == EINTR);
		if (got < 0) {
			in->error = errno;
			return -1;
		}
	}
	in->consumed += (uint64_t)got;
	/* The budget is shared by every level of nesting, and reading this
	 * input may have read (and charged) the levels inside it: what is
	 * left can be less than got.  Never below 0: it would wrap around
	 * to no limit at all. */
	if (in->budget != NULL)
		*in->budget = (uint64_t)got < *in->budget ? *in->budget - (uint64_t)got : 0;
	return got;
}

bool
ps_ratio_exceeded(uint64_t produced, uint64_t source, unsigned max_ratio)
{
	return produced >= PS_RATIO_FLOOR
	    && produced / (source > 0 ? source : 1) >= max_ratio;
}

void
ps_input_cut(struct ps_input *in, const char *reason)
{
	if (in->limit_hit == NULL)
		in->limit_hit = reason;
}

ssize_t
ps_memory_read(void *reader, void *buf, size_t len)
{
	struct ps_memory_reader *m = reader;
	size_t n = m->len - m->pos < len ? m->len - m->pos : len;

	memcpy(buf, m->data + m->pos, n);
	m->pos += n;
	return (ssize_t)n;
}

enum ps_error
ps_input_slurp(struct ps_input *in, uint64_t max, unsigned char **data,
    size_t *len)
{
	size_t cap = max < 64 * 1024 ? (size_t)max : 64 * 1024, used = 0;
	unsigned char *buf = malloc(cap + 1), *grown;
	ssize_t n;

	if (buf == NULL)
		return PS_ERR_NOMEM;
	for (;;) {
		if (used == cap) {
			if (cap >= max) {
				unsigned char probe;

				if (ps_input_read(in, &probe, 1) > 0) {
					in->limit_hit = "limit: expanded";
					free(buf);
					return PS_ERR_LIMIT;
				}
				break;
			}
			cap = cap * 2 > max ? (size_t)max : cap * 2;
			if ((grown = realloc(buf, cap + 1)) == NULL) {
				free(buf);
				return PS_ERR_NOMEM;
			}
			buf = grown;
		}
		n = ps_input_read(in, buf + used, cap - used);
		if (n < 0) {
			free(buf);
			return PS_ERR_IO;
		}
		if (n == 0)
			break;
		used += (size_t)n;
	}
	if (in->limit_hit != NULL) {
		free(buf);
		return PS_ERR_LIMIT;
	}
	*data = buf;
	*len = used;
	return PS_OK;
}

bool
ps_fd_blocking(int fd)
{
	int flags;

	return fd >= 0 && (flags = fcntl(fd, F_GETFL)) >= 0
	    && (flags & O_NONBLOCK) != 0 && fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) == 0;
}

enum ps_error
ps_input_whole_file(struct ps_extract *x, bool *fits)
{
	struct ps_input *in = x->in;
	uint64_t size;
	struct stat st;

	*fits = false;
	if (in->ended) {
		/* The read that decided its type holds it all. */
		size = in->headlen;
	} else if (fstat(in->fd, &st) == 0) {
		size = (uint64_t)st.st_size;
	} else {
		snprintf(x->reason, sizeof x->reason, "stat: %s", strerror(errno));
		return PS_ERR_IO;
	}
	if (size > in->limit) {
		in->limit_hit = "limit: filesize";
		return PS_OK;
	}
	in->consumed = size;
	*fits = true;
	return PS_OK;
}

enum ps_error
ps_input_slurp_nested(struct ps_extract *x, unsigned char **data, size_t *len)
{
	struct ps_input *in = x->in;
	uint64_t max = *ps_extract_budget(x);
	bool capped = max > PS_MAX_NESTED_ARCHIVE;
	enum ps_error err;

	*data = NULL;
	*len = 0;
	if (capped)
		max = PS_MAX_NESTED_ARCHIVE;
	err = ps_input_slurp(in, max, data, len);
	if (err == PS_ERR_LIMIT) {
		/* Say which bound it was: the file's budget, or the size a
		 * nested archive may have in memory; a limit of the reader
		 * behind the input (ps_input_cut) stands. */
		if (in->limit_hit == NULL || strcmp(in->limit_hit, "limit: expanded") == 0)
			in->limit_hit = capped ? "limit: nested archive size" : "limit: expanded";
		return PS_OK;
	}
	if (err == PS_ERR_IO)
		snprintf(x->reason, sizeof x->reason, "read: %s", strerror(in->error));
	return err;
}

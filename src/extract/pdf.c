/*
 * pdf.c - PDF documents, read by the helper piiscan-pdf (pdftext.c) in a
 * process of its own, one per document; here the scanner starts it,
 * reads its frames (pdf.h) into the sink, and records what became of it.
 *
 * The helper gets the document as its standard input: the file's own
 * descriptor when the PDF is a file on disk, else a memfd holding the
 * bytes (a PDF inside an archive), within the file's limits.  It is
 * started with posix_spawn (the scanner is multithreaded: nothing runs
 * between fork and exec), in a process group of its own (a Ctrl-C on
 * the terminal is the scanner's to handle), with a clean signal mask, an
 * empty environment, stderr on /dev/null and no other descriptor (every
 * one the scanner opens is close-on-exec; the rest are closed by
 * posix_spawn where glibc can, and by the helper anyway).
 * Its output is read under a wall-clock deadline and counted against the
 * file's expanded-bytes budget; past either the helper is killed.  It is
 * always reaped before this returns.
 *
 * Which helper: $PIISCAN_PDF_HELPER when set (the tests, sanitizer
 * builds); else piiscan-pdf beside the running program, when there is one
 * (the build tree); else the installed one, PS_PDF_HELPER
 * ($(pkglibexecdir)/piiscan-pdf).
 */
#include "config.h"

#include "../extract.h"
#include "../json.h"
#include "../scan.h"
#include "pdf.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef PS_PDF_HELPER
#define PS_PDF_HELPER "/usr/local/libexec/piiscan/piiscan-pdf"
#endif

/* How often a waiting reader looks whether the scan is being stopped. */
#define POLL_SLICE_MS 100

/* --- the frame reader ------------------------------------------------ */

void
ps_pdf_reader_init(struct ps_pdf_reader *r, struct ps_sink *sink)
{
	memset(r, 0, sizeof *r);
	r->sink = sink;
}

static enum ps_error
broken(struct ps_pdf_reader *r, const char *how)
{
	if (r->broken == NULL)
		r->broken = how;
	return PS_ERR_CORRUPT;
}

/* Copy at most cap - 1 bytes of src to dst as printable UTF-8: control
 * characters and bytes that are not UTF-8 become '?'. */
static void
clean(char *dst, size_t cap, const char *src, size_t len)
{
	size_t n = 0;

	for (size_t i = 0; i < len && n + 1 < cap; ) {
		unsigned char c = (unsigned char)src[i];
		size_t k = ps_utf8_char_len(src + i, len - i);

		if (k == 0 || c < 0x20 || c == 0x7f) {
			dst[n++] = '?';
			i++;
		} else if (n + k < cap) {
			memcpy(dst + n, src + i, k);
			n += k;
			i += k;
		} else {
			break;
		}
	}
	dst[n] = '\0';
}

static enum ps_error
begin_unit(struct ps_pdf_reader *r)
{
	const char *nul = memchr(r->small, '\0', r->smalllen);
	size_t wlen;
	struct ps_unit unit = { 0 };
	enum ps_error err;

	if (r->unit_open)
		return broken(r, "a unit begins inside another");
	if (nul == NULL || nul == r->small)
		return broken(r, "a unit without a place");
	wlen = (size_t)(nul - r->small);
	if (wlen >= PS_WHERE_MAX || r->smalllen - wlen - 1 > PS_PDF_CONTEXT_MAX)
		return broken(r, "a place or context too long");
	clean(r->where, sizeof r->where, r->small, wlen);
	clean(r->context, sizeof r->context, nul + 1, r->smalllen - wlen - 1);
	unit.where = r->where;
	unit.context = r->context[0] != '\0' ? r->context : NULL;
	if ((err = ps_sink_begin(r->sink, &unit)) != PS_OK)
		return err;
	r->unit_open = true;
	return PS_OK;
}

static enum ps_error
end_unit(struct ps_pdf_reader *r)
{
	r->unit_open = false;
	return ps_sink_end(r->sink);
}

/* A note: a known code, then optionally a space and a page number. */
static enum ps_error
take_note(struct ps_pdf_reader *r)
{
	static const struct {
		const char *code;
		const char *fatal;              /* or a partial reason */
	} notes[] = {
		{ PS_PDF_NOTE_ENCRYPTED, "encrypted" },
		{ PS_PDF_NOTE_INVALID, "corrupt: not a PDF document" },
		{ PS_PDF_NOTE_DAMAGED, "corrupt: the document cannot be opened" },
		{ PS_PDF_NOTE_PAGE, NULL },
	};
	char *space;
	unsigned long page = 0;

	r->small[r->smalllen] = '\0';
	if ((space = strchr(r->small, ' ')) != NULL) {
		char *endp;

		*space = '\0';
		if (space[1] < '1' || space[1] > '9')
			return broken(r, "a note with a bad number");
		errno = 0;
		page = strtoul(space + 1, &endp, 10);
		if (errno != 0 || *endp != '\0' || page > INT_MAX)
			return broken(r, "a note with a bad number");
	}
	for (size_t i = 0; i < sizeof notes / sizeof notes[0]; i++) {
		if (strcmp(r->small, notes[i].code) != 0)
			continue;
		if (notes[i].fatal != NULL) {
			if (r->fatal == NULL)
				r->fatal = notes[i].fatal;
		} else if (r->partial[0] == '\0') {
			snprintf(r->partial, sizeof r->partial, "corrupt: page %lu", page);
		}
		return PS_OK;
	}
	return broken(r, "an unknown note");
}

/* The payload of a B or N frame is complete. */
static enum ps_error
small_frame(struct ps_pdf_reader *r)
{
	return r->type == PS_PDF_FRAME_BEGIN ? begin_unit(r) : take_note(r);
}

/* A frame header is complete: check it. */
static enum ps_error
frame_start(struct ps_pdf_reader *r)
{
	uint32_t len = (uint32_t)r->head[1] | (uint32_t)r->head[2] << 8
	    | (uint32_t)r->head[3] << 16 | (uint32_t)r->head[4] << 24;
	enum ps_error err = PS_OK;

	r->headlen = 0;
	if (r->done)
		return broken(r, "output after the end");
	r->type = r->head[0];
	r->left = len;
	r->smalllen = 0;
	switch (r->type) {
	case PS_PDF_FRAME_BEGIN:
		if (len > sizeof r->small - 1)
			return broken(r, "a place or context too long");
		break;
	case PS_PDF_FRAME_NOTE:
		if (len == 0 || len > 63)
			return broken(r, "a bad note");
		break;
	case PS_PDF_FRAME_TEXT:
		if (!r->unit_open)
			return broken(r, "text outside a unit");
		if (len > PS_PDF_FRAME_MAX)
			return broken(r, "a frame too long");
		break;
	case PS_PDF_FRAME_END:
	case PS_PDF_FRAME_DONE:
		if (len != 0)
			return broken(r, "a bad end");
		if (r->type == PS_PDF_FRAME_END) {
			if (!r->unit_open)
				return broken(r, "an end outside a unit");
			err = end_unit(r);
		} else {
			if (r->unit_open)
				return broken(r, "the end inside a unit");
			r->done = true;
		}
		break;
	default:
		return broken(r, "an unknown frame");
	}
	if (err == PS_OK && len == 0 && r->type == PS_PDF_FRAME_BEGIN)
		err = begin_unit(r);            /* which finds no place */
	if (len == 0)
		r->type = 0;
	return err;
}

enum ps_error
ps_pdf_reader_feed(struct ps_pdf_reader *r, const void *bytes, size_t len)
{
	const unsigned char *p = bytes;
	enum ps_error err = PS_OK;

	if (r->broken != NULL)
		return PS_ERR_CORRUPT;
	while (len > 0 && err == PS_OK) {
		size_t n;

		if (r->type == 0) {
			n = PS_PDF_FRAME_HEADER - r->headlen;
			if (n > len)
				n = len;
			memcpy(r->head + r->headlen, p, n);
			r->headlen += n;
			p += n;
			len -= n;
			if (r->headlen == PS_PDF_FRAME_HEADER)
				err = frame_start(r);
			continue;
		}
		n = r->left < len ? r->left : len;
		if (r->type == PS_PDF_FRAME_TEXT) {
			err = ps_sink_text(r->sink, (const char *)p, n);
			r->text_seen = true;
		} else {
			memcpy(r->small + r->smalllen, p, n);
			r->smalllen += n;
		}
		p += n;
		len -= n;
		r->left -= (uint32_t)n;
		if (r->left == 0) {
			if (err == PS_OK && r->type != PS_PDF_FRAME_TEXT)
				err = small_frame(r);
			r->type = 0;
		}
	}
	return err;
}

enum ps_error
ps_pdf_reader_finish(struct ps_pdf_reader *r)
{
	if (r->unit_open)
		return end_unit(r);
	return PS_OK;
}

/* --- finding and starting the helper --------------------------------- */

static pthread_once_t sibling_once = PTHREAD_ONCE_INIT;
static char sibling[PATH_MAX];

/* piiscan-pdf beside the running program (the build tree), if any. */
static void
find_sibling(void)
{
	if (!ps_beside_program("piiscan-pdf", X_OK, sibling, sizeof sibling))
		sibling[0] = '\0';
}

static const char *
helper_path(void)
{
	const char *env = getenv("PIISCAN_PDF_HELPER");

	if (env != NULL && env[0] != '\0')
		return env;
	pthread_once(&sibling_once, find_sibling);
	return sibling[0] != '\0' ? sibling : PS_PDF_HELPER;
}

/* fd moved to 3 or above (close-on-exec): the helper's 0, 1 and 2 are
 * made from it, and must not be it. */
static int
above_stdio(int fd)
{
	int moved;

	if (fd > 2)
		return fd;
	moved = fcntl(fd, F_DUPFD_CLOEXEC, 3);
	close(fd);
	return moved;
}

/* Start the helper on docfd; *out is the read end of its stdout. */
static int
spawn(const char *path, int docfd, unsigned seconds, uint64_t memory,
    pid_t *pid, int *out)
{
	char sec[24], mem[24];
	char arg0[] = "piiscan-pdf", opt_time[] = "--max-time", opt_mem[] = "--max-memory";
	char *argv[] = { arg0, opt_time, sec, opt_mem, mem, NULL };
	char *envp[] = { NULL };
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	sigset_t none, reset;
	int p[2], rc;

	snprintf(sec, sizeof sec, "%u", seconds);
	snprintf(mem, sizeof mem, "%llu", (unsigned long long)memory);
	if (pipe2(p, O_CLOEXEC) != 0)
		return errno;
	if ((p[0] = above_stdio(p[0])) < 0 || (p[1] = above_stdio(p[1])) < 0) {
		rc = errno;
		if (p[0] >= 0)
			close(p[0]);
		if (p[1] >= 0)
			close(p[1]);
		return rc;
	}
	sigemptyset(&none);
	sigemptyset(&reset);
	sigaddset(&reset, SIGPIPE);
	sigaddset(&reset, SIGINT);
	sigaddset(&reset, SIGTERM);
	sigaddset(&reset, SIGHUP);
	sigaddset(&reset, SIGXCPU);
	sigaddset(&reset, SIGXFSZ);
	posix_spawn_file_actions_init(&fa);
	posix_spawnattr_init(&attr);
	rc = posix_spawn_file_actions_adddup2(&fa, docfd, STDIN_FILENO);
	if (rc == 0)
		rc = posix_spawn_file_actions_adddup2(&fa, p[1], STDOUT_FILENO);
	if (rc == 0)
		rc = posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null",
		    O_WRONLY, 0);
#ifdef HAVE_POSIX_SPAWN_FILE_ACTIONS_ADDCLOSEFROM_NP
	/* Descriptors the scanner inherited without close-on-exec too (the
	 * helper closes any left itself, where this is missing). */
	if (rc == 0)
		rc = posix_spawn_file_actions_addclosefrom_np(&fa, STDERR_FILENO + 1);
#endif
	if (rc == 0)
		rc = posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK
		    | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP);
	if (rc == 0)
		rc = posix_spawnattr_setsigmask(&attr, &none);
	if (rc == 0)
		rc = posix_spawnattr_setsigdefault(&attr, &reset);
	if (rc == 0)
		rc = posix_spawnattr_setpgroup(&attr, 0);
	if (rc == 0)
		rc = posix_spawn(pid, path, &fa, &attr, argv, envp);
	posix_spawnattr_destroy(&attr);
	posix_spawn_file_actions_destroy(&fa);
	close(p[1]);
	if (rc != 0) {
		close(p[0]);
		return rc;
	}
	*out = p[0];
	return 0;
}

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* --- the document as a descriptor ------------------------------------ */

/* A memfd holding the rest of the input, within its limits and at most
 * PS_MAX_NESTED_ARCHIVE bytes; -1 with x->reason (or in->limit_hit set
 * and *cut) when it cannot be had. */
static int
document_in_memory(struct ps_extract *x, bool *cut)
{
	struct ps_input *in = x->in;
	uint64_t total = 0;
	ssize_t n;
	int fd = memfd_create("piiscan-pdf", MFD_CLOEXEC);

	*cut = false;
	if (fd < 0) {
		snprintf(x->reason, sizeof x->reason, "memfd: %s", strerror(errno));
		return -1;
	}
	while ((n = ps_input_read(in, x->buf, PS_READ_CHUNK)) > 0) {
		if ((total += (uint64_t)n) > PS_MAX_NESTED_ARCHIVE) {
			in->limit_hit = "limit: nested archive size";
			break;
		}
		for (ssize_t done = 0, w; done < n; done += w)
			if ((w = write(fd, x->buf + done, (size_t)(n - done))) < 0) {
				if (errno == EINTR) {
					w = 0;
					continue;
				}
				snprintf(x->reason, sizeof x->reason, "memfd: %s",
				    strerror(errno));
				close(fd);
				return -1;
			}
	}
	if (n < 0) {
		snprintf(x->reason, sizeof x->reason, "read: %s", strerror(in->error));
		close(fd);
		return -1;
	}
	if (in->limit_hit != NULL) {
		*cut = true;
		close(fd);
		return -1;
	}
	return fd;
}

/* --- the extractor --------------------------------------------------- */

/* What became of a helper. */
struct outcome {
	bool timed_out, over_budget, stopped;
	int read_error;
	int status;                     /* from waitpid */
};

/* Read the helper's frames until it ends, breaks a rule or a limit, or
 * the scan stops; kill it when it has to go, and reap it. */
static enum ps_error
run_helper(struct ps_extract *x, struct ps_pdf_reader *r, pid_t pid, int out,
    unsigned seconds, struct outcome *o)
{
	uint64_t *budget = ps_extract_budget(x);
	int64_t deadline = now_ms() + (int64_t)seconds * 1000;
	enum ps_error err = PS_OK;
	bool kill_it = false;

	for (;;) {
		struct pollfd pfd = { out, POLLIN, 0 };
		int64_t left = deadline - now_ms();
		ssize_t n;
		int rc;

		if (ps_extract_stopping(x)) {
			o->stopped = kill_it = true;
			break;
		}
		if (left <= 0) {
			o->timed_out = kill_it = true;
			break;
		}
		rc = poll(&pfd, 1, left < POLL_SLICE_MS ? (int)left : POLL_SLICE_MS);
		if (rc < 0 && errno != EINTR) {
			o->read_error = errno;
			kill_it = true;
			break;
		}
		if (rc <= 0)
			continue;
		n = read(out, x->buf, PS_READ_CHUNK);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n < 0) {
			o->read_error = errno;
			kill_it = true;
			break;
		}
		if (n == 0)
			break;
		if ((uint64_t)n > *budget) {
			n = (ssize_t)*budget;
			o->over_budget = kill_it = true;
		}
		*budget -= (uint64_t)n;
		err = ps_pdf_reader_feed(r, x->buf, (size_t)n);
		if (err != PS_OK || o->over_budget) {
			kill_it = true;
			break;
		}
	}
	if (kill_it)
		kill(pid, SIGKILL);
	close(out);
	while (waitpid(pid, &o->status, 0) < 0)
		if (errno != EINTR) {
			o->status = 0;
			break;
		}
	/* Whatever came of a unit left open is still matched. */
	if (err == PS_OK || err == PS_ERR_CORRUPT) {
		enum ps_error fin = ps_pdf_reader_finish(r);

		if (fin != PS_OK)
			err = fin;
	}
	return err;
}

/* Why the helper did not finish, for a file status. */
static void
describe(const struct ps_pdf_reader *r, const struct outcome *o, char *why,
    size_t cap, enum ps_error *err)
{
	*err = PS_ERR_IO;
	if (o->timed_out || (WIFSIGNALED(o->status) && WTERMSIG(o->status) == SIGXCPU)) {
		snprintf(why, cap, "limit: pdf time");
		*err = PS_ERR_LIMIT;
	} else if (o->over_budget) {
		snprintf(why, cap, "limit: expanded");
		*err = PS_ERR_LIMIT;
	} else if (r->broken != NULL) {
		snprintf(why, cap, "pdf helper: bad output: %s", r->broken);
	} else if (o->read_error != 0) {
		snprintf(why, cap, "pdf helper: %s", strerror(o->read_error));
	} else if (WIFSIGNALED(o->status)) {
		snprintf(why, cap, "pdf helper: killed by signal %d", WTERMSIG(o->status));
	} else if (WIFEXITED(o->status) && WEXITSTATUS(o->status) != 0) {
		snprintf(why, cap, "pdf helper: exit status %d", WEXITSTATUS(o->status));
	} else {
		snprintf(why, cap, "pdf helper: output cut short");
	}
}

enum ps_error
ps_extract_pdf(struct ps_extract *x)
{
	struct ps_input *in = x->in;
	struct ps_pdf_reader r;
	struct outcome o = { 0 };
	const char *path = helper_path();
	unsigned seconds;
	uint64_t memory;
	enum ps_error err;
	pid_t pid = 0;
	int docfd, out = -1, rc;
	char why[128];

	ps_extract_pdf_limits(x, &seconds, &memory);
	if (in->fd >= 0) {
		bool fits;

		if ((err = ps_input_whole_file(x, &fits)) != PS_OK || !fits)
			return err;
		ps_fd_blocking(in->fd);
		docfd = in->fd;
	} else {
		bool cut;

		if ((docfd = document_in_memory(x, &cut)) < 0)
			return cut ? PS_OK : PS_ERR_IO;
	}
	/* posix_spawn reports a program it cannot run only where it is
	 * vfork-like (glibc; not under valgrind): ask first. */
	rc = access(path, X_OK) == 0 ? spawn(path, docfd, seconds, memory, &pid, &out)
	    : errno;
	if (docfd != in->fd)
		close(docfd);
	if (rc != 0) {
		/* The path's end says most (its directory is in the docs). */
		size_t plen = strlen(path);

		snprintf(x->reason, sizeof x->reason, "pdf helper: %s%.60s: %.40s",
		    plen > 60 ? "..." : "", plen > 60 ? path + plen - 60 : path,
		    strerror(rc));
		return PS_ERR_OPEN;
	}
	ps_pdf_reader_init(&r, x->sink);
	err = run_helper(x, &r, pid, out, seconds, &o);
	if (o.stopped)
		return PS_ERR_STOP;
	if (err == PS_ERR_NOMEM || err == PS_ERR_STOP)
		return err;
	if (r.done && r.broken == NULL) {
		if (r.fatal != NULL && strcmp(r.fatal, "encrypted") == 0) {
			ps_extract_partial(x, "encrypted");
		} else if (r.fatal != NULL) {
			snprintf(x->reason, sizeof x->reason, "%s", r.fatal);
			return PS_ERR_CORRUPT;
		} else if (r.partial[0] != '\0') {
			ps_extract_partial(x, "%s", r.partial);
		}
		return PS_OK;
	}
	describe(&r, &o, why, sizeof why, &err);
	if (r.text_seen) {
		ps_extract_partial(x, "%s", why);
		return PS_OK;
	}
	snprintf(x->reason, sizeof x->reason, "%s", why);
	return err;
}

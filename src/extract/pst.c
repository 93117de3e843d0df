/*
 * pst.c - Outlook stores (.pst, .ost) through libpff.
 *
 * The store is opened through a libbfio handle of our own over the file's
 * descriptor (pread(2): no path is opened again) or, for a store inside
 * an archive, over its bytes read into memory (within the expanded-bytes
 * budget and PS_MAX_NESTED_ARCHIVE).  Folders are walked from the root
 * folder, each one named in the member chain by its display name
 * (ps_extract_enter()), but for the top of the personal folders, which
 * Outlook shows as the store itself; each message is named by its label
 * (mail.h).  A message gives a "headers" unit (subject, sender,
 * recipients, transport headers), then its body: plain text, else HTML,
 * else RTF; its data attachments are children named by their file
 * names, its attached messages are read as messages below it, reference
 * attachments (links to files elsewhere) are skipped.
 *
 * A folder or message libpff cannot read is recorded ("corrupt: ...",
 * counted as a failed message) and the walk goes on with the next one.
 * The members limit counts folders and messages (attached ones too).
 *
 * Thread safety: every libpff and libbfio object here belongs to one
 * extraction.  libpff's only process-wide state is its notification
 * stream and verbosity (libcnotify) and its default codepage, which this
 * file never sets: stores are read on many threads at once.
 */
#include "config.h"

#include "../extract.h"
#include "../finding.h"
#include "../scan.h"
#include "decode.h"
#include "mail.h"
#include "rtf.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libpff.h>

/* Folders inside folders followed (a loop in a damaged store ends here
 * too), and messages attached to messages. */
#define PST_MAX_FOLDER_DEPTH   32
#define PST_MAX_MESSAGE_DEPTH  8
/* Longest header field read (subject, names, recipient lists); the
 * transport headers may be longer. */
#define PST_MAX_FIELD          (64 * 1024)
#define PST_MAX_HEADERS        (1024 * 1024)

/* MAPI properties libpff has no name for. */
#define PST_DISPLAY_CC         0x0e03
#define PST_DISPLAY_BCC        0x0e02
#define PST_INTERNET_CPID      0x3fde  /* the HTML body's codepage */
#define PST_MESSAGE_ID         0x1035
#define PST_IPM_SUBTREE_ID     0x35e0  /* the message store's top folder */

/* Seconds from 1601-01-01 (FILETIME's epoch) to 1970-01-01. */
#define FILETIME_UNIX_OFFSET   INT64_C(11644473600)

/* The bytes libpff reads: a descriptor or memory. */
struct pst_io {
	int fd;                         /* pread(2) from here, or -1 */
	const unsigned char *mem;       /* or these bytes */
	uint64_t size;
	uint64_t pos;
	bool open;
	const struct ps_extract *x;     /* reading stops when the scan does */
};

struct pst {
	struct ps_extract *x;
	libpff_file_t *file;
	uint64_t read, failed;          /* messages */
	uint64_t started;               /* messages begun: their numbers */
	/* Messages and folders, against the members limit: a damaged
	 * hierarchy table may list a folder among its own sub-folders, so
	 * the walk is bounded by count as well as by depth. */
	uint64_t seen;
	bool full;                      /* the members limit was reached */
	uint32_t top;                   /* node id of the top of the folders */
};

/* The state of one message: whether any part of it could not be read. */
struct pst_message {
	uint64_t number;                /* in the store, from 1, in the order
	                                   begun (for reasons) */
	bool failed;
};

/*
 * libbfio callbacks.  They only fail on a read past the end or when the
 * scan stops; libbfio then reports the read as failed to libpff.
 */
static int
io_free(intptr_t **handle, libbfio_error_t **error)
{
	(void)error;
	free(*handle);
	*handle = NULL;
	return 1;
}

static int
io_clone(intptr_t **dst, intptr_t *src, libbfio_error_t **error)
{
	struct pst_io *copy;

	(void)error;
	if (src == NULL || (copy = malloc(sizeof *copy)) == NULL)
		return -1;
	memcpy(copy, src, sizeof *copy);
	copy->open = false;
	copy->pos = 0;
	*dst = (intptr_t *)copy;
	return 1;
}

static int
io_open(intptr_t *handle, int flags, libbfio_error_t **error)
{
	struct pst_io *io = (struct pst_io *)handle;

	(void)error;
	if ((flags & LIBBFIO_ACCESS_FLAG_WRITE) != 0)
		return -1;
	io->open = true;
	io->pos = 0;
	return 1;
}

static int
io_close(intptr_t *handle, libbfio_error_t **error)
{
	(void)error;
	((struct pst_io *)handle)->open = false;
	return 0;
}

static ssize_t
io_read(intptr_t *handle, uint8_t *buf, size_t size, libbfio_error_t **error)
{
	struct pst_io *io = (struct pst_io *)handle;
	size_t got = 0;

	(void)error;
	if (!io->open || ps_extract_stopping(io->x))
		return -1;
	if (io->pos >= io->size)
		return 0;
	if (size > io->size - io->pos)
		size = (size_t)(io->size - io->pos);
	if (io->mem != NULL) {
		memcpy(buf, io->mem + io->pos, size);
		got = size;
	} else {
		while (got < size) {
			ssize_t n = pread(io->fd, buf + got, size - got,
			    (off_t)(io->pos + got));

			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0)
				return -1;
			if (n == 0)
				break;
			got += (size_t)n;
		}
	}
	io->pos += got;
	return (ssize_t)got;
}

static ssize_t
io_write(intptr_t *handle, const uint8_t *buf, size_t size,
    libbfio_error_t **error)
{
	(void)handle;
	(void)buf;
	(void)size;
	(void)error;
	return -1;
}

static off64_t
io_seek(intptr_t *handle, off64_t offset, int whence, libbfio_error_t **error)
{
	struct pst_io *io = (struct pst_io *)handle;
	int64_t base;

	(void)error;
	if (whence == SEEK_SET)
		base = 0;
	else if (whence == SEEK_CUR)
		base = (int64_t)io->pos;
	else if (whence == SEEK_END)
		base = (int64_t)io->size;
	else
		return -1;
	/* Offsets come from the file: no overflow, nothing before 0. */
	if ((offset > 0 && base > INT64_MAX - offset) || base + offset < 0)
		return -1;
	io->pos = (uint64_t)(base + offset);
	return (off64_t)io->pos;
}

static int
io_exists(intptr_t *handle, libbfio_error_t **error)
{
	(void)handle;
	(void)error;
	return 1;
}

static int
io_is_open(intptr_t *handle, libbfio_error_t **error)
{
	(void)error;
	return ((struct pst_io *)handle)->open ? 1 : 0;
}

static int
io_get_size(intptr_t *handle, size64_t *size, libbfio_error_t **error)
{
	(void)error;
	*size = ((struct pst_io *)handle)->size;
	return 1;
}

/* A libbfio handle over io (copied; the handle owns the copy). */
static libbfio_handle_t *
io_handle_new(const struct pst_io *io)
{
	libbfio_handle_t *h = NULL;
	struct pst_io *own = malloc(sizeof *own);

	if (own == NULL)
		return NULL;
	*own = *io;
	if (libbfio_handle_initialize(&h, (intptr_t *)own, io_free, io_clone,
	    io_open, io_close, io_read, io_write, io_seek, io_exists, io_is_open,
	    io_get_size, LIBBFIO_FLAG_IO_HANDLE_MANAGED
	    | LIBBFIO_FLAG_IO_HANDLE_CLONE_BY_FUNCTION, NULL) != 1) {
		free(own);
		return NULL;
	}
	return h;
}

/*
 * libpff's words for an error, freed: the innermost message of its
 * backtrace (the cause, "unsupported content type: 0x..."), without the
 * function name before it or the full stop after it.
 */
static void
pff_words(libpff_error_t **e, char *out, size_t cap)
{
	char text[512], *p, *end;

	snprintf(out, cap, "unreadable");
	if (*e == NULL)
		return;
	if (libpff_error_backtrace_sprint(*e, text, sizeof text) > 0) {
		text[sizeof text - 1] = '\0';
		p = text;
		if ((end = strchr(p, '\n')) != NULL)
			*end = '\0';
		if ((end = strstr(p, ": ")) != NULL && strncmp(p, "lib", 3) == 0)
			p = end + 2;
		end = p + strlen(p);
		while (end > p && (end[-1] == '.' || end[-1] == ' ' || end[-1] == '\r'))
			*--end = '\0';
		/* Plain ASCII only: the words could quote a damaged name. */
		for (char *q = p; *q != '\0'; q++)
			if ((unsigned char)*q < 0x20 || (unsigned char)*q > 0x7e)
				*q = '?';
		if (*p != '\0')
			snprintf(out, cap, "%s", p);
	}
	libpff_error_free(e);
}

/* A message that cannot be read whole: recorded, counted failed once. */
static void
message_fails(struct pst *p, struct pst_message *m, libpff_error_t **e,
    const char *what)
{
	char words[96];

	pff_words(e, words, sizeof words);
	ps_extract_partial(p->x, "corrupt: message %llu: %s: %s",
	    (unsigned long long)m->number, what, words);
	m->failed = true;
}

/* Whether one more message or folder may be read (counted if so). */
static bool
member_fits(struct pst *p)
{
	if (p->seen >= ps_extract_max_members(p->x)) {
		ps_extract_partial(p->x, "limit: members");
		p->full = true;
		return false;
	}
	p->seen++;
	return true;
}

static void
folder_fails(struct pst *p, libpff_error_t **e, const char *what)
{
	char words[96];

	pff_words(e, words, sizeof words);
	ps_extract_partial(p->x, "corrupt: folder: %s: %s", what, words);
}

/*
 * A string property of a message (codepage applied by libpff), malloc'd
 * and NUL-terminated; NULL when absent, too long, or unreadable (then m
 * is marked failed).  *err is PS_ERR_NOMEM when memory ran out.
 */
static char *
message_string(struct pst *p, struct pst_message *m, libpff_item_t *msg,
    uint32_t type, size_t max, enum ps_error *err)
{
	libpff_error_t *e = NULL;
	size_t size = 0;
	char *s;
	int r;

	r = libpff_message_get_entry_value_utf8_string_size(msg, type, &size, &e);
	if (r != 1 || size == 0) {
		if (r < 0)
			message_fails(p, m, &e, "property");
		return NULL;
	}
	if (size > max) {
		ps_extract_partial(p->x, "limit: message %llu: property of %zu bytes",
		    (unsigned long long)m->number, size);
		return NULL;
	}
	if ((s = malloc(size)) == NULL) {
		*err = PS_ERR_NOMEM;
		return NULL;
	}
	if (libpff_message_get_entry_value_utf8_string(msg, type, (uint8_t *)s,
	    size, &e) != 1) {
		message_fails(p, m, &e, "property");
		free(s);
		return NULL;
	}
	s[size - 1] = '\0';
	return s;
}

/* The "headers" unit: subject, sender, recipients, transport headers. */
static enum ps_error
message_headers(struct pst *p, struct pst_message *m, libpff_item_t *msg,
    const char *subject)
{
	static const struct {
		const char *name;
		uint32_t type;
		size_t max;
	} fields[] = {
		{ "From", LIBPFF_ENTRY_TYPE_MESSAGE_SENDER_NAME, PST_MAX_FIELD },
		{ "From-Address", LIBPFF_ENTRY_TYPE_MESSAGE_SENDER_EMAIL_ADDRESS, PST_MAX_FIELD },
		{ "Sent-Representing", LIBPFF_ENTRY_TYPE_MESSAGE_SENT_REPRESENTING_NAME, PST_MAX_FIELD },
		{ "Sent-Representing-Address", LIBPFF_ENTRY_TYPE_MESSAGE_SENT_REPRESENTING_EMAIL_ADDRESS, PST_MAX_FIELD },
		{ "To", LIBPFF_ENTRY_TYPE_MESSAGE_DISPLAY_TO, PST_MAX_FIELD },
		{ "Cc", PST_DISPLAY_CC, PST_MAX_FIELD },
		{ "Bcc", PST_DISPLAY_BCC, PST_MAX_FIELD },
		{ "Transport-Headers", LIBPFF_ENTRY_TYPE_MESSAGE_TRANSPORT_HEADERS, PST_MAX_HEADERS },
	};
	struct ps_unit unit = { .where = "headers", .first_line = 1 };
	enum ps_error err;

	if ((err = ps_sink_begin(p->x->sink, &unit)) != PS_OK)
		return err;
	err = ps_mail_header_line(p->x->sink, "Subject", subject);
	for (size_t i = 0; i < sizeof fields / sizeof fields[0] && err == PS_OK; i++) {
		char *v = message_string(p, m, msg, fields[i].type, fields[i].max, &err);

		if (v != NULL) {
			if (err == PS_OK)
				err = ps_mail_header_line(p->x->sink, fields[i].name, v);
			ps_wipe(v, strlen(v));
			free(v);
		}
	}
	if (err == PS_ERR_NOMEM || err == PS_ERR_STOP) {
		(void)ps_sink_end(p->x->sink);
		return err;
	}
	return ps_sink_end(p->x->sink);
}

static enum ps_error
to_sink(void *ctx, const char *utf8, size_t len)
{
	return ps_sink_text(ctx, utf8, len);
}

/* A body as one unit located by line, through a decoder for charset
 * (NULL: UTF-8). */
static enum ps_error
body_unit(struct pst *p, const unsigned char *text, size_t len,
    const char *charset)
{
	struct ps_unit unit = { .first_line = 1 };
	struct ps_decoder *dec = NULL;
	enum ps_error err, end;

	if ((err = ps_decoder_new(charset, &dec)) != PS_OK)
		return err;
	if ((err = ps_sink_begin(p->x->sink, &unit)) == PS_OK) {
		err = ps_decoder_feed(dec, text, len, to_sink, p->x->sink);
		if (err == PS_OK)
			err = ps_decoder_finish(dec, to_sink, p->x->sink);
		end = ps_sink_end(p->x->sink);
		if (err == PS_OK)
			err = end;
	}
	ps_decoder_free(dec);
	return err;
}

typedef int (*body_size_fn)(libpff_item_t *, size_t *, libpff_error_t **);
typedef int (*body_fn)(libpff_item_t *, uint8_t *, size_t, libpff_error_t **);

/*
 * One body of the message, malloc'd in *out (NUL-terminated, *len bytes
 * before the NUL); *out NULL when the message has none or it cannot be
 * read (m marked failed) or it is over the expanded-bytes budget.
 */
static enum ps_error
body_get(struct pst *p, struct pst_message *m, libpff_item_t *msg,
    body_size_fn size_of, body_fn get, const char *what, unsigned char **out,
    size_t *len)
{
	uint64_t *budget = ps_extract_budget(p->x);
	libpff_error_t *e = NULL;
	size_t size = 0;
	unsigned char *b;
	int r;

	*out = NULL;
	*len = 0;
	r = size_of(msg, &size, &e);
	if (r != 1 || size == 0) {
		if (r < 0)
			message_fails(p, m, &e, what);
		return PS_OK;
	}
	/* The size is libpff's reading of the file (the RTF body's, of a
	 * compressed stream): bounded by the budget before it is allocated. */
	if (size > *budget) {
		ps_extract_partial(p->x, "limit: expanded");
		return PS_OK;
	}
	if ((b = malloc(size)) == NULL)
		return PS_ERR_NOMEM;
	if (get(msg, b, size, &e) != 1) {
		message_fails(p, m, &e, what);
		free(b);
		return PS_OK;
	}
	*budget -= size;
	b[size - 1] = '\0';
	/* Sizes count the NUL; a body may hold fewer characters. */
	*len = strnlen((const char *)b, size - 1);
	*out = b;
	return PS_OK;
}

static int item_property(libpff_item_t *item, uint32_t type,
    uint32_t value_type, char **string, uint32_t *number);

static enum ps_error
message_body(struct pst *p, struct pst_message *m, libpff_item_t *msg)
{
	unsigned char *body = NULL;
	size_t len = 0;
	enum ps_error err;
	uint32_t cp = 0;
	char charset[32];

	/* Plain text comes out as UTF-8 (libpff applies the codepage). */
	err = body_get(p, m, msg, libpff_message_get_plain_text_body_size,
	    libpff_message_get_plain_text_body, "plain text body", &body, &len);
	if (err == PS_OK && body != NULL)
		goto send;
	/* The HTML body is the bytes as stored, in the message's codepage;
	 * passed on as HTML text, as an .html file would be. */
	err = body_get(p, m, msg, libpff_message_get_html_body_size,
	    libpff_message_get_html_body, "HTML body", &body, &len);
	if (err == PS_OK && body != NULL) {
		if (item_property(msg, PST_INTERNET_CPID,
		    LIBPFF_VALUE_TYPE_INTEGER_32BIT_SIGNED, NULL, &cp) == 1 && cp != 0) {
			err = body_unit(p, body, len,
			    ps_codepage_charset(cp, charset, sizeof charset));
			goto done;
		}
		goto send;
	}
	if (err != PS_OK)
		return err;
	/* Else the RTF body, which libpff gives decompressed. */
	err = body_get(p, m, msg, libpff_message_get_rtf_body_size,
	    libpff_message_get_rtf_body, "RTF body", &body, &len);
	if (err == PS_OK && body != NULL) {
		err = ps_rtf_text(p->x, body, len);
		goto done;
	}
	return err;
send:
	err = body_unit(p, body, len, NULL);
done:
	if (body != NULL)
		ps_wipe(body, len);
	free(body);
	return err;
}

/* Attachment data as a child's stream. */
struct pst_attachment {
	libpff_item_t *item;
	libpff_error_t *error;          /* the read that failed, or NULL */
	uint64_t left;                  /* bytes the attachment says it has */
};

static ssize_t
attachment_read(void *ctx, void *buf, size_t len)
{
	struct pst_attachment *a = ctx;
	ssize_t n;

	if (a->error != NULL || a->left == 0)
		return 0;
	if (len > a->left)
		len = (size_t)a->left;
	/* An error is reported once the child is done; to the child the
	 * data ends here. */
	n = libpff_attachment_data_read_buffer(a->item, buf, len, &a->error);
	if (n <= 0 || (size_t)n > len) {
		a->left = 0;
		return 0;
	}
	a->left -= (uint64_t)n;
	return n;
}

/*
 * A property from an item's first record set (an item that is no
 * message, or a property libpff has no message getter for): a string
 * (value_type 0: either string type) as malloc'd UTF-8, or a 32-bit
 * integer in *number.  Returns 1; 0 when absent or unreadable (errors
 * freed); -1 when memory ran out.
 */
static int
item_property(libpff_item_t *item, uint32_t type, uint32_t value_type,
    char **string, uint32_t *number)
{
	libpff_record_set_t *set = NULL;
	libpff_record_entry_t *entry = NULL;
	libpff_error_t *e = NULL;
	size_t size = 0;
	int r = 0;

	if (string != NULL)
		*string = NULL;
	if (libpff_item_get_record_set_by_index(item, 0, &set, &e) != 1
	    || libpff_record_set_get_entry_by_type(set, type, value_type, &entry,
		value_type == 0 ? LIBPFF_ENTRY_VALUE_FLAG_MATCH_ANY_VALUE_TYPE : 0,
		&e) != 1)
		goto done;
	if (string == NULL) {
		r = libpff_record_entry_get_data_as_32bit_integer(entry, number, &e) == 1;
		goto done;
	}
	if (libpff_record_entry_get_data_as_utf8_string_size(entry, &size, &e) != 1
	    || size <= 1 || size > PST_MAX_FIELD)
		goto done;
	if ((*string = malloc(size)) == NULL) {
		r = -1;
		goto done;
	}
	if (libpff_record_entry_get_data_as_utf8_string(entry, (uint8_t *)*string,
	    size, &e) != 1) {
		free(*string);
		*string = NULL;
		goto done;
	}
	(*string)[size - 1] = '\0';
	r = 1;
done:
	libpff_error_free(&e);
	libpff_record_entry_free(&entry, NULL);
	libpff_record_set_free(&set, NULL);
	return r;
}

/* An attachment's file name (long, else short, else its display name),
 * malloc'd in *name; NULL when it has none.  PS_ERR_NOMEM or PS_OK. */
static enum ps_error
attachment_name(libpff_item_t *att, char **name)
{
	static const uint32_t types[] = { LIBPFF_ENTRY_TYPE_ATTACHMENT_FILENAME_LONG,
		LIBPFF_ENTRY_TYPE_ATTACHMENT_FILENAME_SHORT, LIBPFF_ENTRY_TYPE_DISPLAY_NAME };

	for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
		int r = item_property(att, types[i], 0, name, NULL);

		if (r < 0)
			return PS_ERR_NOMEM;
		if (r == 1 && (*name)[0] != '\0')
			return PS_OK;
		free(*name);
		*name = NULL;
	}
	return PS_OK;
}

static enum ps_error walk_message(struct pst *p, libpff_item_t *msg,
    uint64_t index, unsigned depth);

/* A data attachment, scanned as a child named by its file name. */
static enum ps_error
attachment_data(struct pst *p, struct pst_message *m, libpff_item_t *att,
    int index)
{
	struct pst_attachment a = { .item = att };
	struct ps_input in;
	libpff_error_t *e = NULL;
	char fallback[32], *name = NULL;
	size64_t size = 0;
	enum ps_error err;

	if (attachment_name(att, &name) != PS_OK)
		return PS_ERR_NOMEM;
	if (libpff_attachment_get_data_size(att, &size, &e) != 1) {
		/* 0: no data at all; -1: the data cannot be found. */
		if (e != NULL)
			message_fails(p, m, &e, "attachment");
		free(name);
		return PS_OK;
	}
	a.left = size;
	memset(&in, 0, sizeof in);
	in.read = attachment_read;
	in.ctx = &a;
	in.fd = -1;
	in.limit = UINT64_MAX;
	in.budget = ps_extract_budget(p->x);
	snprintf(fallback, sizeof fallback, "attachment %d", index + 1);
	in.name = name != NULL ? name : fallback;
	if (name != NULL)
		ps_mail_mask_numbers(name);
	err = ps_extract_child(p->x, in.name, &in);
	if (a.error != NULL)
		message_fails(p, m, &a.error, "attachment data");
	if (in.limit_hit != NULL)
		ps_extract_partial(p->x, "%s", in.limit_hit);
	free(name);
	return err;
}

static enum ps_error
message_attachments(struct pst *p, struct pst_message *m, libpff_item_t *msg,
    unsigned depth)
{
	libpff_error_t *e = NULL;
	enum ps_error err = PS_OK;
	int n = 0;

	if (libpff_message_get_number_of_attachments(msg, &n, &e) != 1) {
		message_fails(p, m, &e, "attachments");
		return PS_OK;
	}
	for (int i = 0; i < n && err == PS_OK && !p->full; i++) {
		libpff_item_t *att = NULL, *inner = NULL;
		int type = 0;

		if (ps_extract_stopping(p->x))
			return PS_ERR_STOP;
		if (libpff_message_get_attachment(msg, i, &att, &e) != 1
		    || libpff_attachment_get_type(att, &type, &e) != 1) {
			message_fails(p, m, &e, "attachment");
			libpff_item_free(&att, NULL);
			continue;
		}
		if (type == LIBPFF_ATTACHMENT_TYPE_DATA) {
			err = attachment_data(p, m, att, i);
		} else if (type == LIBPFF_ATTACHMENT_TYPE_ITEM
		    && depth + 1 >= PST_MAX_MESSAGE_DEPTH) {
			ps_extract_partial(p->x, "limit: depth");
		} else if (type == LIBPFF_ATTACHMENT_TYPE_ITEM && member_fits(p)) {
			if (libpff_attachment_get_item(att, &inner, &e) == 1)
				err = walk_message(p, inner, (uint64_t)i + 1, depth + 1);
			else
				message_fails(p, m, &e, "attached message");
			libpff_item_free(&inner, NULL);
		}
		/* A reference attachment names a file elsewhere: nothing here. */
		libpff_item_free(&att, NULL);
	}
	return err;
}

/* FILETIME (100 ns since 1601) to seconds since 1970; 0 is no date. */
static int64_t
filetime_seconds(uint64_t ft)
{
	if (ft == 0)
		return PS_MAIL_NO_DATE;
	return (int64_t)(ft / 10000000) - FILETIME_UNIX_OFFSET;
}

/* The message's date: delivered, else submitted. */
static int64_t
message_date(libpff_item_t *msg)
{
	libpff_error_t *e = NULL;
	uint64_t ft = 0;

	if (libpff_message_get_delivery_time(msg, &ft, &e) == 1 && ft != 0)
		return filetime_seconds(ft);
	libpff_error_free(&e);
	ft = 0;
	if (libpff_message_get_client_submit_time(msg, &ft, &e) == 1)
		return filetime_seconds(ft);
	libpff_error_free(&e);
	return PS_MAIL_NO_DATE;
}

/*
 * One message (index: its place among its folder's messages or its
 * parent's attachments, from 1), counted by the caller against the
 * members limit: named by its label, headers, body, attachments.
 */
static enum ps_error
walk_message(struct pst *p, libpff_item_t *msg, uint64_t index, unsigned depth)
{
	struct pst_message m = { .number = ++p->started };
	char label[PS_MAIL_LABEL_MAX];
	char *subject, *id = NULL;
	uint64_t budget;
	enum ps_error err = PS_OK;

	subject = message_string(p, &m, msg, LIBPFF_ENTRY_TYPE_MESSAGE_SUBJECT,
	    PST_MAX_FIELD, &err);
	if (err == PS_OK && (subject == NULL || subject[0] == '\0'))
		id = message_string(p, &m, msg, PST_MESSAGE_ID, PST_MAX_FIELD, &err);
	if (err != PS_OK)
		goto done;
	/* A subject may begin with a prefix code ("\x01\x01RE: "): the label
	 * turns control characters into spaces and folds them. */
	ps_mail_label(label, sizeof label, subject, id, message_date(msg), index);
	err = ps_extract_enter(p->x, label);
	if (err == PS_ERR_LIMIT) {
		err = PS_OK;
		goto done;
	}
	if (err != PS_OK)
		goto done;
	budget = ps_extract_message_begin(p->x);
	err = message_headers(p, &m, msg, subject);
	if (err == PS_OK)
		err = message_body(p, &m, msg);
	if (err == PS_OK)
		err = message_attachments(p, &m, msg, depth);
	ps_extract_message_end(p->x, budget);
	ps_extract_leave(p->x);
done:
	if (m.failed)
		p->failed++;
	else
		p->read++;
	if (subject != NULL)
		ps_wipe(subject, strlen(subject));
	free(subject);
	free(id);
	return err;
}

/* A folder's display name, malloc'd; "folder" when it has none. */
static char *
folder_name(libpff_item_t *folder)
{
	libpff_error_t *e = NULL;
	size_t size = 0;
	char *s = NULL;

	if (libpff_folder_get_utf8_name_size(folder, &size, &e) == 1 && size > 1
	    && size <= PST_MAX_FIELD && (s = malloc(size)) != NULL) {
		if (libpff_folder_get_utf8_name(folder, (uint8_t *)s, size, &e) == 1) {
			s[size - 1] = '\0';
			if (s[0] != '\0')
				return s;
		}
		free(s);
	}
	libpff_error_free(&e);
	return strdup("folder");
}

/*
 * The node id of the folder the store's folders hang from ("Top of
 * Personal Folders", the message store's IPM subtree), or 0.  It is
 * walked without a name of its own: its Inbox is "Inbox", as Outlook
 * shows it, not "Top of Personal Folders/Inbox".
 */
static uint32_t
top_folder(libpff_file_t *file)
{
	libpff_item_t *store = NULL;
	libpff_record_set_t *set = NULL;
	libpff_record_entry_t *entry = NULL;
	libpff_error_t *e = NULL;
	unsigned char id[24];
	size_t size = 0;
	uint32_t nid = 0;

	/* An entry id: flags (4), the store's provider UID (16), node id (4). */
	if (libpff_file_get_message_store(file, &store, &e) == 1
	    && libpff_item_get_record_set_by_index(store, 0, &set, &e) == 1
	    && libpff_record_set_get_entry_by_type(set, PST_IPM_SUBTREE_ID,
		LIBPFF_VALUE_TYPE_BINARY_DATA, &entry, 0, &e) == 1
	    && libpff_record_entry_get_data_size(entry, &size, &e) == 1
	    && size == sizeof id
	    && libpff_record_entry_get_data(entry, id, sizeof id, &e) == 1)
		nid = (uint32_t)id[20] | (uint32_t)id[21] << 8
		    | (uint32_t)id[22] << 16 | (uint32_t)id[23] << 24;
	libpff_error_free(&e);
	libpff_record_entry_free(&entry, NULL);
	libpff_record_set_free(&set, NULL);
	libpff_item_free(&store, NULL);
	return nid;
}

static enum ps_error
walk_folder(struct pst *p, libpff_item_t *folder, unsigned depth)
{
	libpff_error_t *e = NULL;
	enum ps_error err = PS_OK;
	int n = 0;

	if (libpff_folder_get_number_of_sub_messages(folder, &n, &e) != 1) {
		folder_fails(p, &e, "messages");
		n = 0;
	}
	for (int i = 0; i < n && err == PS_OK && !p->full; i++) {
		libpff_item_t *msg = NULL;

		if (ps_extract_stopping(p->x))
			return PS_ERR_STOP;
		if (!member_fits(p))
			break;
		if (libpff_folder_get_sub_message(folder, i, &msg, &e) != 1) {
			struct pst_message m = { .number = ++p->started };

			message_fails(p, &m, &e, "open");
			p->failed++;
			continue;
		}
		err = walk_message(p, msg, (uint64_t)i + 1, 0);
		libpff_item_free(&msg, NULL);
	}
	if (err != PS_OK || p->full)
		return err;
	if (libpff_folder_get_number_of_sub_folders(folder, &n, &e) != 1) {
		folder_fails(p, &e, "folders");
		return PS_OK;
	}
	for (int i = 0; i < n && err == PS_OK && !p->full; i++) {
		libpff_item_t *sub = NULL;
		uint32_t nid = 0;
		char *name;

		if (ps_extract_stopping(p->x))
			return PS_ERR_STOP;
		if (depth + 1 >= PST_MAX_FOLDER_DEPTH) {
			ps_extract_partial(p->x, "limit: depth");
			break;
		}
		if (libpff_folder_get_sub_folder(folder, i, &sub, &e) != 1) {
			folder_fails(p, &e, "open");
			continue;
		}
		if (depth == 0 && p->top != 0
		    && libpff_item_get_identifier(sub, &nid, &e) == 1 && nid == p->top) {
			err = walk_folder(p, sub, depth + 1);
			libpff_item_free(&sub, NULL);
			continue;
		}
		libpff_error_free(&e);
		if (!member_fits(p)) {
			libpff_item_free(&sub, NULL);
			break;
		}
		if ((name = folder_name(sub)) == NULL) {
			err = PS_ERR_NOMEM;
		} else if (ps_mail_mask_numbers(name),
		    (err = ps_extract_enter(p->x, name)) == PS_OK) {
			err = walk_folder(p, sub, depth + 1);
			ps_extract_leave(p->x);
		} else if (err == PS_ERR_LIMIT) {
			err = PS_OK;
		}
		free(name);
		libpff_item_free(&sub, NULL);
	}
	return err;
}

/* Open the store on io: PS_OK with *file set, or PS_ERR_CORRUPT (reason
 * set) or PS_ERR_NOMEM. */
static enum ps_error
store_open(struct ps_extract *x, const struct pst_io *io,
    libbfio_handle_t **handle, libpff_file_t **file)
{
	libpff_error_t *e = NULL;
	char words[96];

	if ((*handle = io_handle_new(io)) == NULL)
		return PS_ERR_NOMEM;
	if (libpff_file_initialize(file, &e) != 1) {
		libpff_error_free(&e);
		return PS_ERR_NOMEM;
	}
	if (libpff_file_open_file_io_handle(*file, *handle, LIBPFF_OPEN_READ, &e) != 1) {
		pff_words(&e, words, sizeof words);
		snprintf(x->reason, sizeof x->reason, "corrupt: %s", words);
		return ps_extract_stopping(x) ? PS_ERR_STOP : PS_ERR_CORRUPT;
	}
	return PS_OK;
}

enum ps_error
ps_extract_pst(struct ps_extract *x)
{
	struct ps_input *in = x->in;
	struct pst_io io = { .fd = -1, .x = x };
	struct pst p = { .x = x };
	libbfio_handle_t *handle = NULL;
	libpff_item_t *root = NULL;
	libpff_error_t *e = NULL;
	unsigned char *data = NULL;
	size_t len = 0;
	uint8_t content = 0;
	enum ps_error err;
	int r;

	if (in->fd >= 0) {
		bool fits;

		if ((err = ps_input_whole_file(x, &fits)) != PS_OK || !fits)
			return err;
		ps_fd_blocking(in->fd);
		io.fd = in->fd;
		io.size = in->consumed;
	} else {
		/* Inside an archive: libpff reads where it likes, so the
		 * store is read into memory first, within the limits. */
		if ((err = ps_input_slurp_nested(x, &data, &len)) != PS_OK
		    || data == NULL)
			return err;
		io.mem = data;
		io.size = len;
	}
	if ((err = store_open(x, &io, &handle, &p.file)) != PS_OK)
		goto done;
	if (libpff_file_get_content_type(p.file, &content, &e) == 1
	    && content == LIBPFF_FILE_CONTENT_TYPE_OST)
		ps_extract_set_type(x, "ost");
	libpff_error_free(&e);
	p.top = top_folder(p.file);
	r = libpff_file_get_root_folder(p.file, &root, &e);
	if (r == 1) {
		err = walk_folder(&p, root, 0);
	} else {
		/* Every store has a root folder: without one (a store cut
		 * short, its B-trees lost), nothing of it can be read. */
		char words[96];

		pff_words(&e, words, sizeof words);
		snprintf(x->reason, sizeof x->reason, "corrupt: no root folder%s%s",
		    r < 0 ? ": " : "", r < 0 ? words : "");
		err = PS_ERR_CORRUPT;
	}
	/* libpff found damage it read past (a node it could not follow):
	 * what it left out is not known. */
	if (err == PS_OK && libpff_file_is_corrupted(p.file, &e) == 1)
		ps_extract_partial(x, "corrupt: damaged index (libpff)");
	libpff_error_free(&e);
	ps_extract_messages(x, p.read, p.failed);
done:
	if (err != PS_OK && ps_extract_stopping(x))
		err = PS_ERR_STOP;
	libpff_item_free(&root, NULL);
	if (p.file != NULL) {
		libpff_file_close(p.file, NULL);
		libpff_file_free(&p.file, NULL);
	}
	if (handle != NULL)
		libbfio_handle_free(&handle, NULL);
	if (data != NULL)
		ps_wipe(data, len);
	free(data);
	return err;
}

/*
 * mime.c - Internet mail, read with GMime 3: one RFC 822 message ("eml")
 * or a Unix mbox of many ("mbox"), parsed as a stream.
 *
 * Each message is entered in the member chain under its label (mail.h).
 * Inside it: the address and subject header fields, decoded, as one unit
 * ("headers"); each text/plain and text/html body, its transfer encoding
 * undone by GMime and its declared charset converted to UTF-8, as a unit
 * located by line; every other leaf part handed back as a child named by
 * its file name ("attachment N" without one), its type decided by its
 * content; a message/rfc822 part entered as a nested message.
 *
 * An mbox on disk is read through its descriptor: GMime then leaves each
 * part's content on disk and reads it when asked.  Any other input is read
 * once, in order; GMime then holds one message at a time in memory, which
 * is bounded here (MAIL_MAX_HELD).  GMime is set up once per process;
 * after that each extraction uses only objects of its own, so workers may
 * run it at once.
 */
#include "config.h"

#include "../extract.h"
#include "decode.h"
#include "glibquiet.h"
#include "mail.h"

#include <errno.h>
#include <fcntl.h>
#include <gmime/gmime.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../filetype.h"
#include "../scan.h"

/* Largest message GMime may hold in memory when it reads a stream that
 * cannot seek (an mbox inside an archive): as much as a nested archive. */
#define MAIL_MAX_HELD      PS_MAX_NESTED_ARCHIVE
/* Messages forwarded inside messages, deepest. */
#define MAIL_MAX_NESTED    PS_DEFAULT_MAX_DEPTH
/* Longest attachment name kept for the member chain, NUL included. */
#define MAIL_NAME_MAX      256

static pthread_once_t gmime_once = PTHREAD_ONCE_INIT;

/* GMime reports misuse and some damage with g_warning(). */
static void
gmime_setup(void)
{
	g_mime_init();
	ps_glib_quiet("gmime", PS_GLIB_ALL_LEVELS);
}

/*
 * A GMimeStream reading a ps_input in order.  It keeps the last
 * MAIL_REPLAY bytes it read, so that it can go back over what GMime had
 * buffered but not parsed when a message stopped it (resync()); further
 * back it cannot seek, so GMime is told to keep what it parses in memory
 * (persist_stream off).  Past MAIL_MAX_HELD bytes read since the current
 * message started (mark), the stream ends.
 */
#define MAIL_REPLAY (16 * 1024)      /* > GMime's read-ahead (4 KiB + 128) */

typedef struct {
	GMimeStream parent;
	struct ps_input *in;
	uint64_t got;                /* bytes read from in; position <= got */
	uint64_t mark;               /* got when the current message started */
	bool ended, capped;
	int error;
	unsigned char replay[MAIL_REPLAY]; /* byte o at replay[o % MAIL_REPLAY] */
} PsInputStream;

typedef struct {
	GMimeStreamClass parent_class;
} PsInputStreamClass;

GType ps_input_stream_get_type(void);
G_DEFINE_TYPE(PsInputStream, ps_input_stream, GMIME_TYPE_STREAM)

/* More bytes from the input, kept for replay; 0 at its end or a limit. */
static ssize_t
input_fill(PsInputStream *s, char *buf, size_t len)
{
	ssize_t n;

	if (s->ended)
		return 0;
	if (s->got - s->mark >= MAIL_MAX_HELD) {
		s->capped = true;
		s->ended = true;
		return 0;
	}
	if (len > MAIL_MAX_HELD - (s->got - s->mark))
		len = (size_t)(MAIL_MAX_HELD - (s->got - s->mark));
	if ((n = ps_input_read(s->in, buf, len)) < 0) {
		s->error = s->in->error;
		s->ended = true;
		return -1;
	}
	if (n == 0)
		s->ended = true;
	for (ssize_t i = 0; i < n; ) {
		size_t at = (size_t)((s->got + (uint64_t)i) % MAIL_REPLAY);
		size_t k = MAIL_REPLAY - at < (size_t)(n - i) ? MAIL_REPLAY - at
		    : (size_t)(n - i);

		memcpy(s->replay + at, buf + i, k);
		i += (ssize_t)k;
	}
	s->got += (uint64_t)n;
	return n;
}

static ssize_t
input_stream_read(GMimeStream *stream, char *buf, size_t len)
{
	PsInputStream *s = (PsInputStream *)stream;
	uint64_t pos = (uint64_t)stream->position;
	ssize_t n;

	if (pos < s->got) {
		/* Going over bytes already read (after a seek back). */
		size_t at = (size_t)(pos % MAIL_REPLAY);

		n = (ssize_t)(s->got - pos < len ? s->got - pos : len);
		if ((size_t)n > MAIL_REPLAY - at)
			n = (ssize_t)(MAIL_REPLAY - at);
		memcpy(buf, s->replay + at, (size_t)n);
	} else if ((n = input_fill(s, buf, len)) <= 0) {
		return n;
	}
	stream->position += n;
	return n;
}

static ssize_t
input_stream_write(GMimeStream *stream, const char *buf, size_t len)
{
	(void)stream;
	(void)buf;
	(void)len;
	errno = EBADF;
	return -1;
}

static int
input_stream_flush(GMimeStream *stream)
{
	(void)stream;
	return 0;
}

static int
input_stream_close(GMimeStream *stream)
{
	((PsInputStream *)stream)->ended = true;
	return 0;
}

static gboolean
input_stream_eos(GMimeStream *stream)
{
	PsInputStream *s = (PsInputStream *)stream;

	return s->ended && (uint64_t)stream->position >= s->got;
}

static int
input_stream_reset(GMimeStream *stream)
{
	(void)stream;
	errno = ESPIPE;
	return -1;
}

/* Back as far as the bytes kept allow, or forward by reading. */
static gint64
input_stream_seek(GMimeStream *stream, gint64 offset, GMimeSeekWhence whence)
{
	PsInputStream *s = (PsInputStream *)stream;
	uint64_t kept = s->got < MAIL_REPLAY ? s->got : MAIL_REPLAY;
	char skip[4096];

	if (whence != GMIME_STREAM_SEEK_SET || offset < 0
	    || (uint64_t)offset < s->got - kept) {
		errno = ESPIPE;
		return -1;
	}
	while ((uint64_t)offset > s->got) {
		uint64_t want = (uint64_t)offset - s->got;

		if (input_fill(s, skip, want < sizeof skip ? (size_t)want
		    : sizeof skip) <= 0)
			break;
	}
	stream->position = (gint64)((uint64_t)offset < s->got ? (uint64_t)offset
	    : s->got);
	return stream->position;
}

static gint64
input_stream_tell(GMimeStream *stream)
{
	return stream->position;
}

static gint64
input_stream_length(GMimeStream *stream)
{
	(void)stream;
	return -1;
}

static GMimeStream *
input_stream_substream(GMimeStream *stream, gint64 start, gint64 end)
{
	(void)stream;
	(void)start;
	(void)end;
	return NULL;
}

static void
ps_input_stream_class_init(PsInputStreamClass *klass)
{
	GMimeStreamClass *sc = GMIME_STREAM_CLASS(klass);

	sc->read = input_stream_read;
	sc->write = input_stream_write;
	sc->flush = input_stream_flush;
	sc->close = input_stream_close;
	sc->eos = input_stream_eos;
	sc->reset = input_stream_reset;
	sc->seek = input_stream_seek;
	sc->tell = input_stream_tell;
	sc->length = input_stream_length;
	sc->substream = input_stream_substream;
}

static void
ps_input_stream_init(PsInputStream *s)
{
	(void)s;
}

/* One extraction. */
struct mail {
	struct ps_extract *x;
	GMimeParserOptions *opts;
	PsInputStream *held;         /* the stream when it cannot seek, or NULL */
	unsigned nested;             /* messages inside messages, now */
	const char *problem;         /* why the message being read is damaged */
	bool bad_header;             /* ... and whether a header line was junk */
};

/* Damage that makes a message count as failed (its readable parts are
 * still scanned); other warnings are common in real mail and harmless. */
static void
parser_warning(gint64 offset, GMimeParserWarning code, const gchar *item,
    gpointer data)
{
	struct mail *m = data;
	const char *why = NULL;

	(void)offset;
	(void)item;                  /* may hold personal data: never shown */
	switch (code) {
	case GMIME_WARN_TRUNCATED_MESSAGE:
		why = "truncated";
		break;
	case GMIME_WARN_MALFORMED_MESSAGE:
		why = "malformed";
		break;
	case GMIME_CRIT_NESTING_OVERFLOW:
		why = "parts nested too deep";
		break;
	case GMIME_CRIT_PART_WITHOUT_HEADERS_OR_CONTENT:
		why = "part without headers or content";
		break;
	case GMIME_CRIT_INVALID_HEADER_NAME:
		/* Junk lines among the headers are common; they only say
		 * why GMime made no message at all. */
		m->bad_header = true;
		break;
	default:
		break;
	}
	if (why != NULL && m->problem == NULL)
		m->problem = why;
}

static enum ps_error message_scan(struct mail *m, GMimeMessage *msg,
    uint64_t index);

/* --- text bodies -------------------------------------------------------- */

static enum ps_error
to_sink(void *ctx, const char *utf8, size_t len)
{
	return ps_sink_text(ctx, utf8, len);
}

/* A stream of the part's content with its transfer encoding undone, or
 * NULL when it has none.  The caller unrefs it. */
static GMimeStream *
decoded_stream(GMimePart *part)
{
	GMimeDataWrapper *w = g_mime_part_get_content(part);
	GMimeStream *raw, *fs;
	GMimeContentEncoding enc;

	if (w == NULL || (raw = g_mime_data_wrapper_get_stream(w)) == NULL)
		return NULL;
	g_mime_stream_reset(raw);
	fs = g_mime_stream_filter_new(raw);
	enc = g_mime_data_wrapper_get_encoding(w);
	if (enc == GMIME_CONTENT_ENCODING_BASE64
	    || enc == GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE
	    || enc == GMIME_CONTENT_ENCODING_UUENCODE) {
		GMimeFilter *f = g_mime_filter_basic_new(enc, FALSE);

		g_mime_stream_filter_add(GMIME_STREAM_FILTER(fs), f);
		g_object_unref(f);
	}
	return fs;
}

/* Read from a GMime stream: 0 at its end, -1 (errno) on an error.  A
 * bounded stream says -1 when read at its bound: that is its end. */
static ssize_t
stream_read(GMimeStream *s, void *buf, size_t len)
{
	ssize_t n = g_mime_stream_read(s, buf, len);

	if (n < 0 && g_mime_stream_eos(s))
		return 0;
	if (n < 0 && errno == 0)
		errno = EIO;
	return n;
}

/*
 * The charset of a body that names none, or names US-ASCII (often said of
 * 8-bit text), from its first n bytes: NULL (read as UTF-8) when they
 * are ASCII or UTF-8 (a character cut at the end of a full read aside);
 * else what the text looks like, as for a text file (Big5, GB18030,
 * Windows-1252): a Chinese keyword then counts.
 */
static const char *
undeclared_charset(const unsigned char *buf, ssize_t n)
{
	const gchar *text = (const gchar *)buf, *end;

	if (n <= 0 || g_utf8_validate(text, n, &end)
	    || (n == PS_READ_CHUNK && text + n - end < 4
		&& g_utf8_get_char_validated(end, text + n - end) == (gunichar)-2))
		return NULL;
	return ps_filetype_guess_8bit(buf, (size_t)n);
}

/* A text/plain or text/html body: one unit located by line. */
static enum ps_error
body_scan(struct mail *m, GMimePart *part)
{
	struct ps_extract *x = m->x;
	struct ps_unit unit = { .first_line = 1 };
	const char *charset = g_mime_object_get_content_type_parameter(
	    GMIME_OBJECT(part), "charset");
	struct ps_decoder *dec = NULL;
	GMimeStream *s;
	enum ps_error err, fin;
	ssize_t n;

	if ((s = decoded_stream(part)) == NULL)
		return PS_OK;
	n = stream_read(s, x->buf, PS_READ_CHUNK);
	if (charset == NULL || g_ascii_strcasecmp(charset, "us-ascii") == 0)
		charset = undeclared_charset(x->buf, n);
	/* GMime knows the names mail uses for charsets iconv calls otherwise. */
	else
		charset = g_mime_charset_iconv_name(charset);
	if ((err = ps_decoder_new(charset, &dec)) != PS_OK)
		goto done;
	if ((err = ps_sink_begin(x->sink, &unit)) != PS_OK)
		goto done;
	for (; n > 0; n = stream_read(s, x->buf, PS_READ_CHUNK))
		if ((err = ps_decoder_feed(dec, x->buf, (size_t)n, to_sink, x->sink))
		    != PS_OK)
			break;
	if (err == PS_OK && n < 0 && m->problem == NULL)
		m->problem = "body unreadable";
	if (err != PS_ERR_NOMEM && err != PS_ERR_STOP) {
		fin = ps_decoder_finish(dec, to_sink, x->sink);
		if (err == PS_OK)
			err = fin;
	}
	fin = ps_sink_end(x->sink);
	if (err == PS_OK)
		err = fin;
done:
	ps_decoder_free(dec);
	g_object_unref(s);
	return err;
}

/* --- headers ------------------------------------------------------------ */

/* The subject and the address fields, decoded (RFC 2047, and GMime's
 * fallback charsets for raw 8-bit), display names with addresses. */
static enum ps_error
headers_scan(struct mail *m, GMimeMessage *msg)
{
	static const struct {
		const char *name;
		GMimeAddressType type;
	} fields[] = {
		{ "From", GMIME_ADDRESS_TYPE_FROM },
		{ "Sender", GMIME_ADDRESS_TYPE_SENDER },
		{ "Reply-To", GMIME_ADDRESS_TYPE_REPLY_TO },
		{ "To", GMIME_ADDRESS_TYPE_TO },
		{ "Cc", GMIME_ADDRESS_TYPE_CC },
		{ "Bcc", GMIME_ADDRESS_TYPE_BCC },
	};
	static const char *const texts[] = { "Comments", "Keywords" };
	struct ps_sink *sink = m->x->sink;
	struct ps_unit unit = { .where = "headers", .first_line = 1 };
	enum ps_error err, end;

	if ((err = ps_sink_begin(sink, &unit)) != PS_OK)
		return err;
	err = ps_mail_header_line(sink, "Subject", g_mime_message_get_subject(msg));
	for (size_t i = 0; i < sizeof fields / sizeof fields[0] && err == PS_OK; i++) {
		InternetAddressList *list = g_mime_message_get_addresses(msg,
		    fields[i].type);
		char *text;

		if (list == NULL || internet_address_list_length(list) == 0)
			continue;
		text = internet_address_list_to_string(list, NULL, FALSE);
		err = ps_mail_header_line(sink, fields[i].name, text);
		g_free(text);
	}
	for (size_t i = 0; i < sizeof texts / sizeof texts[0] && err == PS_OK; i++)
		err = ps_mail_header_line(sink, texts[i], g_mime_object_get_header(
		    GMIME_OBJECT(msg), texts[i]));
	end = ps_sink_end(sink);
	return err != PS_OK ? err : end;
}

/* --- attachments -------------------------------------------------------- */

static ssize_t
attachment_read(void *ctx, void *buf, size_t len)
{
	return stream_read(ctx, buf, len);
}

/* An attachment's name fit for the member chain: its file name with
 * control characters as spaces, cut at a character boundary; "attachment
 * N" without one. */
static void
attachment_name(GMimePart *part, uint64_t n, char *out, size_t cap)
{
	const char *name = g_mime_part_get_filename(part);
	size_t k = 0;

	if (name != NULL)
		for (const unsigned char *p = (const unsigned char *)name;
		    *p != '\0' && k + 1 < cap; p++)
			out[k++] = *p < 0x20 || *p == 0x7f ? ' ' : (char)*p;
	/* Cut inside a character: drop its first bytes too. */
	if (name != NULL && name[k] != '\0')
		while (k > 0 && ((unsigned char)name[k] & 0xc0) == 0x80)
			k--;
	out[k] = '\0';
	if (strspn(out, " ") == k)
		snprintf(out, cap, "attachment %" PRIu64, n);
}

static enum ps_error
attachment_scan(struct mail *m, GMimePart *part, uint64_t n)
{
	struct ps_input in = { 0 };
	char name[MAIL_NAME_MAX];
	GMimeStream *s;
	enum ps_error err;

	if ((s = decoded_stream(part)) == NULL)
		return PS_OK;
	attachment_name(part, n, name, sizeof name);
	ps_mail_mask_numbers(name);
	in.read = attachment_read;
	in.ctx = s;
	err = ps_extract_child(m->x, name, &in);
	g_object_unref(s);
	return err;
}

/* --- the part tree ------------------------------------------------------ */

static bool
is_body(GMimeObject *obj)
{
	GMimeContentType *ct = g_mime_object_get_content_type(obj);

	return ct != NULL && !g_mime_part_is_attachment(GMIME_PART(obj))
	    && (g_mime_content_type_is_type(ct, "text", "plain")
		|| g_mime_content_type_is_type(ct, "text", "html"));
}

/* Walk a message's parts: multiparts hold parts, leaves are bodies or
 * attachments (counted in *parts against the members limit). */
static enum ps_error
part_scan(struct mail *m, GMimeObject *obj, uint64_t *parts)
{
	struct ps_extract *x = m->x;
	enum ps_error err = PS_OK;

	if (ps_extract_stopping(x))
		return PS_ERR_STOP;
	/* Encrypted content (PGP/MIME, S/MIME) is not read: no keys here. */
	if (GMIME_IS_MULTIPART_ENCRYPTED(obj) || (GMIME_IS_APPLICATION_PKCS7_MIME(obj)
	    && g_mime_application_pkcs7_mime_get_smime_type(
		GMIME_APPLICATION_PKCS7_MIME(obj)) == GMIME_SECURE_MIME_TYPE_ENVELOPED_DATA)) {
		ps_extract_partial(x, "encrypted");
		return PS_OK;
	}
	if (GMIME_IS_MULTIPART(obj)) {
		GMimeMultipart *mp = GMIME_MULTIPART(obj);
		int count = g_mime_multipart_get_count(mp);
		/* Alternatives say one thing twice (plain text and HTML): what
		 * a later one repeats is not a finding again; what only it
		 * says is (a plain part may be a stub). */
		bool alternatives = g_mime_content_type_is_type(
		    g_mime_object_get_content_type(obj), "multipart", "alternative");
		size_t first = ps_extract_findings_count(x);

		/* GMime bounds how deep multiparts nest while it parses. */
		for (int i = 0; i < count && err == PS_OK; i++) {
			size_t from = ps_extract_findings_count(x);

			err = part_scan(m, g_mime_multipart_get_part(mp, i), parts);
			if (alternatives)
				ps_extract_drop_repeats(x, first, from);
		}
		return err;
	}
	if (!GMIME_IS_PART(obj) && !GMIME_IS_MESSAGE_PART(obj))
		return PS_OK;
	if (GMIME_IS_PART(obj) && is_body(obj))
		return body_scan(m, GMIME_PART(obj));
	if ((*parts)++ >= ps_extract_max_members(x)) {
		ps_extract_partial(x, "limit: members");
		return PS_ERR_LIMIT;
	}
	if (GMIME_IS_MESSAGE_PART(obj)) {
		GMimeMessage *inner = g_mime_message_part_get_message(
		    GMIME_MESSAGE_PART(obj));

		if (inner == NULL)
			return PS_OK;
		if (m->nested >= MAIL_MAX_NESTED) {
			ps_extract_partial(x, "limit: depth");
			return PS_OK;
		}
		m->nested++;
		err = message_scan(m, inner, *parts);
		m->nested--;
		return err;
	}
	return attachment_scan(m, GMIME_PART(obj), *parts);
}

/* One message, entered under its label: headers, bodies, attachments. */
static enum ps_error
message_scan(struct mail *m, GMimeMessage *msg, uint64_t index)
{
	struct ps_extract *x = m->x;
	const char *id = g_mime_message_get_message_id(msg);
	GDateTime *when = g_mime_message_get_date(msg);
	GMimeObject *body = g_mime_message_get_mime_part(msg);
	char label[PS_MAIL_LABEL_MAX], bracketed[PS_MAIL_LABEL_MAX];
	uint64_t parts = 0, budget;
	enum ps_error err;

	if (id != NULL && id[0] != '\0')
		snprintf(bracketed, sizeof bracketed, "<%s>", id);
	else
		bracketed[0] = '\0';
	ps_mail_label(label, sizeof label, g_mime_message_get_subject(msg),
	    bracketed[0] != '\0' ? bracketed : NULL,
	    when != NULL ? (int64_t)g_date_time_to_unix(when) : PS_MAIL_NO_DATE,
	    index);
	if ((err = ps_extract_enter(x, label)) != PS_OK)
		return err == PS_ERR_LIMIT ? PS_OK : err;
	budget = ps_extract_message_begin(x);
	err = headers_scan(m, msg);
	if (err == PS_OK && body != NULL)
		err = part_scan(m, body, &parts);
	/* The members limit ends this message's parts, not the scan. */
	if (err == PS_ERR_LIMIT)
		err = PS_OK;
	ps_extract_message_end(x, budget);
	ps_extract_leave(x);
	return err;
}

/* --- the file ----------------------------------------------------------- */

/* The stream GMime parses: the file through its own descriptor when it
 * is one (GMime seeks in it and leaves contents on disk), else, and when
 * the descriptor cannot be duplicated, the input read in order. */
static GMimeStream *
open_stream(struct mail *m)
{
	struct ps_extract *x = m->x;
	struct ps_input *in = x->in;
	PsInputStream *s;

	if (in->fd >= 0) {
		struct stat st;
		int fd;

		ps_fd_blocking(in->fd);
		/* Close-on-exec: another thread may be starting a PDF helper. */
		if (fstat(in->fd, &st) == 0
		    && (fd = fcntl(in->fd, F_DUPFD_CLOEXEC, 0)) >= 0) {
			uint64_t size = (uint64_t)st.st_size;
			gint64 end = size > in->limit ? (gint64)in->limit : (gint64)size;

			if (size > in->limit)
				in->limit_hit = "limit: filesize";
			in->consumed = (uint64_t)end;
			return g_mime_stream_fs_new_with_bounds(fd, 0, end);
		}
	}
	s = g_object_new(ps_input_stream_get_type(), NULL);
	g_mime_stream_construct(GMIME_STREAM(s), 0, -1);
	s->in = in;
	m->held = s;
	return GMIME_STREAM(s);
}

/* Does the input start with an mbox "From " line? */
static bool
starts_mbox(const struct ps_input *in)
{
	return in->headlen >= 5 && memcmp(in->head, "From ", 5) == 0;
}

/*
 * GMime makes no message of an mbox message whose header it cannot parse,
 * and stays where it stopped: start it again from there (a byte further
 * each time it stops at the same place, so that it always moves on),
 * where it looks for the next "From " line.  False when nothing is left.
 */
static bool
resync(GMimeParser *parser, GMimeStream *stream, bool persist, gint64 *last)
{
	gint64 at = g_mime_parser_tell(parser);

	if (at <= *last)
		at = *last + 1;
	*last = at;
	if (at < 0 || g_mime_stream_seek(stream, at, GMIME_STREAM_SEEK_SET) != at)
		return false;
	g_mime_parser_init_with_stream(parser, stream);
	g_mime_parser_set_format(parser, GMIME_FORMAT_MBOX);
	g_mime_parser_set_persist_stream(parser, persist);
	return true;
}

static enum ps_error
mail_extract(struct ps_extract *x, bool mbox)
{
	static const char *fallback[] = { "UTF-8", "BIG5-HKSCS", "WINDOWS-1252",
		NULL };
	struct mail m = { .x = x };
	GMimeStream *stream;
	GMimeParser *parser;
	uint64_t index = 0, read = 0, failed = 0, max = ps_extract_max_members(x);
	gint64 resynced = -1;
	enum ps_error err = PS_OK;

	pthread_once(&gmime_once, gmime_setup);
	if ((stream = open_stream(&m)) == NULL)
		return PS_ERR_NOMEM;
	m.opts = g_mime_parser_options_new();
	g_mime_parser_options_set_fallback_charsets(m.opts, fallback);
	g_mime_parser_options_set_warning_callback(m.opts, parser_warning, &m);
	parser = g_mime_parser_new_with_stream(stream);
	/* Only a file can be read again where GMime left a part's content. */
	g_mime_parser_set_persist_stream(parser, m.held == NULL);
	g_mime_parser_set_format(parser, mbox ? GMIME_FORMAT_MBOX
	    : GMIME_FORMAT_MESSAGE);
	while (err == PS_OK && !g_mime_parser_eos(parser)) {
		GMimeMessage *msg;

		if (ps_extract_stopping(x)) {
			err = PS_ERR_STOP;
			break;
		}
		if (index >= max) {
			ps_extract_partial(x, "limit: members");
			break;
		}
		index++;
		m.problem = NULL;
		m.bad_header = false;
		if (m.held != NULL)
			m.held->mark = m.held->got;
		msg = g_mime_parser_construct_message(parser, m.opts);
		if (msg == NULL) {
			if (m.held != NULL && m.held->capped)
				break;
			failed++;
			ps_extract_partial(x, "corrupt: message %" PRIu64 ": %s",
			    index, m.problem != NULL ? m.problem : m.bad_header
			    ? "invalid header" : "not a mail message");
			if (!mbox || !resync(parser, stream, m.held == NULL, &resynced))
				break;
			continue;
		}
		err = message_scan(&m, msg, index);
		g_object_unref(msg);
		if (m.problem != NULL) {
			failed++;
			ps_extract_partial(x, "corrupt: message %" PRIu64 ": %s",
			    index, m.problem);
		} else {
			read++;
		}
		if (!mbox)
			break;
	}
	if (m.held != NULL && m.held->capped)
		ps_extract_partial(x, "limit: message size");
	else if (m.held != NULL && m.held->error != 0)
		ps_extract_partial(x, "read: %s", strerror(m.held->error));
	ps_extract_messages(x, read, failed);
	g_object_unref(parser);
	g_object_unref(stream);
	g_mime_parser_options_free(m.opts);
	return err;
}

enum ps_error
ps_extract_eml(struct ps_extract *x)
{
	/* A message saved with its mbox "From " line is an mbox of one. */
	return mail_extract(x, starts_mbox(x->in));
}

enum ps_error
ps_extract_mbox(struct ps_extract *x)
{
	return mail_extract(x, true);
}

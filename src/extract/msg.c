/*
 * msg.c - Outlook messages (.msg, [MS-OXMSG]): a compound file whose
 * properties are streams "__substg1.0_IIIITTTT" (property id IIII, type
 * TTTT) and, for the fixed-length ones, 16-byte entries of the stream
 * "__properties_version1.0"; recipients and attachments are storages
 * "__recip_version1.0_#N" and "__attach_version1.0_#N" holding the same.
 *
 * A message is named in the member chain by ps_mail_label() (subject,
 * Message-ID, date).  Under it: one unit "headers" (subject, sender and
 * recipients, names and addresses, then the transport headers other than
 * those fields), one body located by line (the plain body; without one
 * the HTML body as text, as .html files are read; without either the
 * compressed RTF body as text), and the attachments as children named
 * by their file names.  An attached message (attach method 5) is read by
 * the same code, nested at most MSG_MAX_DEPTH deep; an attached OLE
 * object (method 6) is a child too, as the file it holds.  Every stream goes
 * through ole.c, which checks its size against the file's and charges
 * it to the expanded-bytes budget.
 */
#include "config.h"

#include "ole.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <gsf/gsf-input.h>
#include <gsf/gsf-outfile-msole.h>
#include <gsf/gsf-outfile.h>
#include <gsf/gsf-output-memory.h>

#include "../finding.h"
#include "decode.h"
#include "mail.h"
#include "rtf.h"

#define MSG_MAX_DEPTH   8       /* messages attached inside messages */
/* The fixed-length property stream opens with a header: 32 bytes in the
 * message, 24 in an attached message, 8 in a recipient or attachment. */
#define HEADER_TOP      32
#define HEADER_EMBEDDED 24
#define HEADER_SUB      8

#define PT_LONG         0x0003u
#define PT_SYSTIME      0x0040u
#define TAG(id, type)   ((uint32_t)(id) << 16 | (type))

#define PR_SUBJECT                0x0037
#define PR_CLIENT_SUBMIT_TIME     0x0039
#define PR_SENT_REPRESENTING_NAME 0x0042
#define PR_SENT_REPRESENTING_ADDR 0x0065
#define PR_TRANSPORT_HEADERS      0x007D
#define PR_RECIPIENT_TYPE         0x0C15
#define PR_SENDER_NAME            0x0C1A
#define PR_SENDER_EMAIL_ADDRESS   0x0C1F
#define PR_DISPLAY_BCC            0x0E02
#define PR_DISPLAY_CC             0x0E03
#define PR_DISPLAY_TO             0x0E04
#define PR_MESSAGE_DELIVERY_TIME  0x0E06
#define PR_BODY                   0x1000
#define PR_RTF_COMPRESSED         0x1009
#define PR_HTML                   0x1013
#define PR_INTERNET_MESSAGE_ID    0x1035
#define PR_DISPLAY_NAME           0x3001
#define PR_EMAIL_ADDRESS          0x3003
#define PR_ATTACH_DATA            0x3701
#define PR_ATTACH_FILENAME        0x3704
#define PR_ATTACH_METHOD          0x3705
#define PR_ATTACH_LONG_FILENAME   0x3707
#define PR_SMTP_ADDRESS           0x39FE
#define PR_INTERNET_CPID          0x3FDE
#define PR_MESSAGE_CODEPAGE       0x3FFD
#define PR_SENDER_SMTP_ADDRESS    0x5D01

#define ATTACH_EMBEDDED_MSG 5
#define ATTACH_OLE          6
#define OBJECT_MAX_DEPTH    8   /* storages inside an attached object */
#define MAPI_CC             2
#define MAPI_BCC            3

/* FILETIME (100 ns since 1601) of the Unix epoch, and of year 10000. */
#define FILETIME_EPOCH  116444736000000000ull
#define FILETIME_MAX    (FILETIME_EPOCH + 253402300800ull * 10000000ull)

struct msg {
	struct ps_extract *x;
	struct ps_ole *o;
	uint64_t read, failed;
	uint64_t members;            /* recipients and attachments seen */
};

/* A growing UTF-8 string, wiped when freed (it is message text). */
struct str {
	char *p;
	size_t len, cap;
};

static void
str_free(struct str *s)
{
	if (s->p != NULL)
		ps_wipe(s->p, s->cap);
	free(s->p);
	s->p = NULL;
	s->len = s->cap = 0;
}

/* Append n bytes (always NUL-terminated after). */
static enum ps_error
str_put(struct str *s, const char *p, size_t n)
{
	if (n >= SIZE_MAX / 2 - s->len)
		return PS_ERR_NOMEM;
	if (s->len + n + 1 > s->cap) {
		size_t cap = s->cap < 256 ? 256 : s->cap;
		char *q;

		while (cap < s->len + n + 1)
			cap *= 2;
		if ((q = malloc(cap)) == NULL)
			return PS_ERR_NOMEM;
		/* Copied by hand, so that the old copy is wiped. */
		if (s->len > 0)
			memcpy(q, s->p, s->len);
		if (s->p != NULL)
			ps_wipe(s->p, s->cap);
		free(s->p);
		s->p = q;
		s->cap = cap;
	}
	if (n > 0)
		memcpy(s->p + s->len, p, n);
	s->len += n;
	s->p[s->len] = '\0';
	return PS_OK;
}

static enum ps_error
str_emit(void *ctx, const char *utf8, size_t len)
{
	return str_put(ctx, utf8, len);
}

/* --- properties --- */

/* The value of a fixed-length property, from the property stream (its
 * header of hdr bytes skipped); false when it is not there. */
static bool
fixed_prop(const struct ps_ole_stream *props, size_t hdr, uint32_t tag,
    uint64_t *value)
{
	for (size_t off = hdr; ps_ole_has(props->len, off, 16); off += 16)
		if (ps_ole_u32(props->data + off) == tag) {
			*value = ps_ole_u32(props->data + off + 8)
			    | (uint64_t)ps_ole_u32(props->data + off + 12) << 32;
			return true;
		}
	return false;
}

/* A code page property (PT_LONG) that is a plausible code page. */
static bool
codepage(const struct ps_ole_stream *props, size_t hdr, unsigned id,
    uint64_t *cp)
{
	uint64_t v;

	if (!fixed_prop(props, hdr, TAG(id, PT_LONG), &v))
		return false;
	v &= 0xFFFFFFFFu;
	if (v == 0 || v >= 100000)
		return false;
	*cp = v;
	return true;
}

/* The stream's bytes decoded from charset into out (appended, cut at a
 * NUL: strings are often stored with one). */
static enum ps_error
decode_into(const struct ps_ole_stream *s, const char *charset, struct str *out)
{
	struct ps_decoder *dec = NULL;
	size_t start = out->len;
	enum ps_error err;
	char *nul;

	if ((err = ps_decoder_new(charset, &dec)) != PS_OK)
		return err;
	err = ps_decoder_feed(dec, s->data, s->len, str_emit, out);
	if (err == PS_OK)
		err = ps_decoder_finish(dec, str_emit, out);
	ps_decoder_free(dec);
	if (err == PS_OK && out->p == NULL)
		err = str_put(out, "", 0);
	if (err == PS_OK
	    && (nul = memchr(out->p + start, '\0', out->len - start)) != NULL) {
		out->len = (size_t)(nul - out->p);
		out->p[out->len] = '\0';
	}
	return err;
}

/*
 * The string property id of storage st as UTF-8, appended to out: the
 * Unicode form (001F) or the 8-bit one (001E) in code page cp.  PS_OK,
 * PS_ERR_OPEN when there is neither (or it cannot be read: recorded),
 * PS_ERR_NOMEM.
 */
static enum ps_error
string_prop(struct msg *m, GsfInfile *st, unsigned id, unsigned cp,
    struct str *out)
{
	struct ps_ole_stream s;
	char name[32], buf[32];
	enum ps_error err;
	const char *charset = "UTF-16LE";

	snprintf(name, sizeof name, "__substg1.0_%04X001F", id);
	err = ps_ole_stream_in(m->o, st, name, &s);
	if (err == PS_ERR_OPEN) {
		snprintf(name, sizeof name, "__substg1.0_%04X001E", id);
		err = ps_ole_stream_in(m->o, st, name, &s);
		charset = ps_codepage_charset(cp, buf, sizeof buf);
	}
	if (err == PS_OK)
		err = decode_into(&s, charset, out);
	ps_ole_stream_free(&s);
	if (err == PS_ERR_CORRUPT || err == PS_ERR_LIMIT)
		err = PS_ERR_OPEN;
	return err;
}

/* A string property on its own: *s is empty (p NULL) when it is absent. */
static enum ps_error
string_of(struct msg *m, GsfInfile *st, unsigned id, unsigned cp, struct str *s)
{
	enum ps_error err = string_prop(m, st, id, cp, s);

	return err == PS_ERR_OPEN ? PS_OK : err;
}

/* Seconds since the epoch of a PT_SYSTIME, or PS_MAIL_NO_DATE. */
static int64_t
unix_time(uint64_t filetime)
{
	if (filetime < FILETIME_EPOCH || filetime >= FILETIME_MAX)
		return PS_MAIL_NO_DATE;
	return (int64_t)((filetime - FILETIME_EPOCH) / 10000000u);
}

/* --- the headers unit --- */

static enum ps_error
field(struct str *h, const char *name, const struct str *value,
    const struct str *addr)
{
	enum ps_error err = PS_OK;
	bool name_too = value != NULL && value->len > 0;

	if (!name_too && (addr == NULL || addr->len == 0))
		return PS_OK;
	err = str_put(h, name, strlen(name));
	if (err == PS_OK && name_too)
		err = str_put(h, value->p, value->len);
	if (err == PS_OK && addr != NULL && addr->len > 0) {
		err = str_put(h, name_too ? " <" : "<", name_too ? 2 : 1);
		if (err == PS_OK)
			err = str_put(h, addr->p, addr->len);
		if (err == PS_OK)
			err = str_put(h, ">", 1);
	}
	if (err == PS_OK)
		err = str_put(h, "\n", 1);
	return err;
}

/* A storage of st whose name starts with prefix, by index, or NULL (one
 * that cannot be opened is recorded). */
static GsfInfile *
sub_storage(struct msg *m, GsfInfile *st, int i, const char *prefix)
{
	const char *cn = gsf_infile_name_by_index(st, i);
	GsfInput *c;

	if (cn == NULL || strncasecmp(cn, prefix, strlen(prefix)) != 0)
		return NULL;
	if ((c = gsf_infile_child_by_index(st, i)) == NULL) {
		ps_extract_partial(m->x, "corrupt: storage %s unreadable", cn);
		return NULL;
	}
	if (!GSF_IS_INFILE(c) || gsf_infile_num_children(GSF_INFILE(c)) < 0) {
		g_object_unref(c);
		return NULL;
	}
	return GSF_INFILE(c);
}

/* One more recipient or attachment: false (recorded) past the limit. */
static bool
member_ok(struct msg *m)
{
	if (m->members++ < ps_extract_max_members(m->x))
		return true;
	ps_extract_partial(m->x, "limit: members");
	return false;
}

/* "To: name <address>" for each recipient storage; false in *any when
 * there is none. */
static enum ps_error
recipients(struct msg *m, GsfInfile *st, unsigned cp, struct str *h, bool *any)
{
	int n = gsf_infile_num_children(st);
	enum ps_error err = PS_OK;

	*any = false;
	for (int i = 0; i < n && err == PS_OK; i++) {
		GsfInfile *r = sub_storage(m, st, i, "__recip_version1.0_");
		struct str name = { 0 }, addr = { 0 };
		struct ps_ole_stream props = { 0 };
		uint64_t type = 1;

		if (r == NULL)
			continue;
		*any = true;
		if (!member_ok(m)) {
			g_object_unref(r);
			break;
		}
		if (ps_ole_stream_in(m->o, r, "__properties_version1.0", &props) == PS_OK)
			(void)fixed_prop(&props, HEADER_SUB, TAG(PR_RECIPIENT_TYPE, PT_LONG), &type);
		err = string_of(m, r, PR_DISPLAY_NAME, cp, &name);
		if (err == PS_OK)
			err = string_of(m, r, PR_SMTP_ADDRESS, cp, &addr);
		if (err == PS_OK && addr.len == 0)
			err = string_of(m, r, PR_EMAIL_ADDRESS, cp, &addr);
		if (err == PS_OK)
			err = field(h, (type & 0xF) == MAPI_CC ? "Cc: "
			    : (type & 0xF) == MAPI_BCC ? "Bcc: " : "To: ", &name, &addr);
		str_free(&name);
		str_free(&addr);
		ps_ole_stream_free(&props);
		g_object_unref(r);
	}
	return err;
}

/* Is the header line at p one of the fields written from properties? */
static bool
own_field(const char *p, size_t n)
{
	static const char *const names[] = { "subject:", "from:", "to:", "cc:",
		"bcc:" };

	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		size_t k = strlen(names[i]);

		if (n >= k && strncasecmp(p, names[i], k) == 0)
			return true;
	}
	return false;
}

/* The transport headers but the fields already written (and their
 * continuation lines): their values would be found twice. */
static enum ps_error
transport(struct str *h, const struct str *t)
{
	bool skipping = false;
	enum ps_error err = PS_OK;

	for (size_t i = 0; i < t->len && err == PS_OK; ) {
		const char *p = t->p + i, *nl = memchr(p, '\n', t->len - i);
		size_t n = nl != NULL ? (size_t)(nl - p) + 1 : t->len - i;

		if (n > 0 && (p[0] == ' ' || p[0] == '\t')) {
			if (!skipping)
				err = str_put(h, p, n);
		} else {
			skipping = own_field(p, n);
			if (!skipping)
				err = str_put(h, p, n);
		}
		i += n;
	}
	if (err == PS_OK && h->len > 0 && h->p[h->len - 1] != '\n')
		err = str_put(h, "\n", 1);
	return err;
}

static enum ps_error
unit(struct ps_extract *x, const char *where, const char *text, size_t len)
{
	struct ps_unit u = { .where = where, .first_line = 1 };
	enum ps_error err, end;

	if (len == 0)
		return PS_OK;
	if ((err = ps_sink_begin(x->sink, &u)) != PS_OK)
		return err;
	err = ps_sink_text(x->sink, text, len);
	end = ps_sink_end(x->sink);
	return err != PS_OK ? err : end;
}

static enum ps_error
headers(struct msg *m, GsfInfile *st, unsigned cp, const struct str *subject)
{
	struct str h = { 0 }, name = { 0 }, addr = { 0 }, smtp = { 0 }, t = { 0 };
	enum ps_error err;
	bool any = false;

	err = field(&h, "Subject: ", subject, NULL);
	if (err == PS_OK)
		err = string_of(m, st, PR_SENDER_NAME, cp, &name);
	if (err == PS_OK && name.len == 0)
		err = string_of(m, st, PR_SENT_REPRESENTING_NAME, cp, &name);
	if (err == PS_OK)
		err = string_of(m, st, PR_SENDER_EMAIL_ADDRESS, cp, &addr);
	if (err == PS_OK && addr.len == 0)
		err = string_of(m, st, PR_SENT_REPRESENTING_ADDR, cp, &addr);
	if (err == PS_OK)
		err = field(&h, "From: ", &name, &addr);
	/* An Exchange sender's address is an X.500 name; the SMTP one is
	 * elsewhere. */
	if (err == PS_OK)
		err = string_of(m, st, PR_SENDER_SMTP_ADDRESS, cp, &smtp);
	if (err == PS_OK && smtp.len > 0
	    && (addr.len != smtp.len || memcmp(addr.p, smtp.p, smtp.len) != 0))
		err = field(&h, "Sender: ", NULL, &smtp);
	if (err == PS_OK)
		err = recipients(m, st, cp, &h, &any);
	/* The display lists repeat the recipients' names: only without them. */
	for (unsigned i = 0; i < 3 && err == PS_OK && !any; i++) {
		static const unsigned ids[] = { PR_DISPLAY_TO, PR_DISPLAY_CC, PR_DISPLAY_BCC };
		static const char *const names[] = { "To: ", "Cc: ", "Bcc: " };
		struct str v = { 0 };

		err = string_of(m, st, ids[i], cp, &v);
		if (err == PS_OK)
			err = field(&h, names[i], &v, NULL);
		str_free(&v);
	}
	if (err == PS_OK)
		err = string_of(m, st, PR_TRANSPORT_HEADERS, cp, &t);
	if (err == PS_OK && t.len > 0)
		err = transport(&h, &t);
	if (err == PS_OK)
		err = unit(m->x, "headers", h.p, h.len);
	str_free(&t);
	str_free(&smtp);
	str_free(&addr);
	str_free(&name);
	str_free(&h);
	return err;
}

/* --- bodies --- */

static enum ps_error
rtf_body(struct msg *m, GsfInfile *st)
{
	struct ps_ole_stream s;
	unsigned char *rtf = NULL;
	uint64_t *budget = ps_extract_budget(m->x);
	size_t len = 0, max = *budget < SIZE_MAX ? (size_t)*budget : SIZE_MAX;
	enum ps_error err;
	char name[32];

	snprintf(name, sizeof name, "__substg1.0_%04X0102", PR_RTF_COMPRESSED);
	if ((err = ps_ole_stream_in(m->o, st, name, &s)) != PS_OK)
		return err == PS_ERR_NOMEM ? err : PS_OK;
	err = ps_rtf_decompress(s.data, s.len, max, &rtf, &len);
	ps_ole_stream_free(&s);
	if (err == PS_ERR_CORRUPT) {
		ps_extract_partial(m->x, "corrupt: compressed RTF body");
		return PS_OK;
	}
	if (err == PS_ERR_NOMEM)
		return err;
	if (err == PS_ERR_LIMIT)
		ps_extract_partial(m->x, "limit: expanded");
	*budget -= len < *budget ? len : *budget;
	err = ps_rtf_text(m->x, rtf, len);
	ps_wipe(rtf, len);
	free(rtf);
	return err;
}

/* The plain body; without one the HTML body; without either the RTF. */
static enum ps_error
body(struct msg *m, GsfInfile *st, unsigned cp, unsigned html_cp)
{
	struct str b = { 0 };
	struct ps_ole_stream s;
	char name[32], buf[32];
	enum ps_error err;

	err = string_prop(m, st, PR_BODY, cp, &b);
	if (err == PS_ERR_OPEN || (err == PS_OK && b.len == 0)) {
		/* HTML is bytes in the message's Internet code page. */
		snprintf(name, sizeof name, "__substg1.0_%04X0102", PR_HTML);
		err = ps_ole_stream_in(m->o, st, name, &s);
		if (err == PS_OK)
			err = decode_into(&s, ps_codepage_charset(html_cp, buf, sizeof buf), &b);
		ps_ole_stream_free(&s);
		if (err == PS_ERR_OPEN)
			err = string_prop(m, st, PR_HTML, cp, &b);
		else if (err == PS_ERR_CORRUPT || err == PS_ERR_LIMIT)
			err = PS_ERR_OPEN;
	}
	if (err == PS_OK && b.len > 0)
		err = unit(m->x, NULL, b.p, b.len);
	else if (err == PS_OK || err == PS_ERR_OPEN)
		err = rtf_body(m, st);
	str_free(&b);
	return err;
}

/* --- attachments --- */

struct stream_reader {
	GsfInput *in;
	bool failed;
};

static ssize_t
stream_read(void *ctx, void *buf, size_t len)
{
	struct stream_reader *r = ctx;
	gsf_off_t left = gsf_input_remaining(r->in);

	if (left <= 0 || r->failed)
		return 0;
	if ((uint64_t)left < len)
		len = (size_t)left;
	if (gsf_input_read(r->in, len, buf) == NULL) {
		r->failed = true;
		return 0;
	}
	return (ssize_t)len;
}

/* The stream called sname of storage, scanned as the child name (nothing
 * when there is no such stream). */
static enum ps_error
stream_child(struct msg *m, GsfInfile *storage, const char *sname, const char *name)
{
	struct stream_reader sr = { 0 };
	struct ps_input in = { 0 };
	enum ps_error err;

	if (ps_ole_stream_open(m->o, storage, sname, &sr.in) != PS_OK)
		return PS_OK;
	in.read = stream_read;
	in.ctx = &sr;
	in.fd = -1;
	err = ps_extract_child(m->x, name, &in);
	if (sr.failed)
		ps_extract_partial(m->x, "corrupt: attachment %s cut short", name);
	g_object_unref(sr.in);
	return err;
}

/* Bytes in memory, scanned as the child name. */
static enum ps_error
memory_child(struct msg *m, const unsigned char *data, size_t len, const char *name)
{
	struct ps_memory_reader mr = { .data = data, .len = len };
	struct ps_input in = { .read = ps_memory_read, .ctx = &mr, .fd = -1 };

	return ps_extract_child(m->x, name, &in);
}

/*
 * Where the file is in a packaged object's native data ("\001Ole10Native",
 * as Packager writes it): its size (4 bytes), 2 bytes, the label and the
 * source path (NUL-ended), 8 bytes, the temporary path (NUL-ended), the
 * file's size (4 bytes) and its bytes.  False when p is not laid out so.
 */
static bool
package_file(const unsigned char *p, size_t len, size_t *at, size_t *size)
{
	size_t i = 6;

	for (int field = 0; field < 3; field++) {
		const unsigned char *nul;

		if (i > len || (nul = memchr(p + i, '\0', len - i)) == NULL)
			return false;
		i = (size_t)(nul - p) + 1;
		if (field == 1)
			i += 8;
	}
	if (!ps_ole_has(len, i, 4) || !ps_ole_has(len, i + 4, ps_ole_u32(p + i)))
		return false;
	*at = i + 4;
	*size = ps_ole_u32(p + i);
	return true;
}

/* A packaged file: the file it holds; the native data whole when it is
 * not laid out as a package (another object's own data). */
static enum ps_error
packaged_file(struct msg *m, GsfInfile *obj, const char *name)
{
	struct ps_ole_stream s = { 0 };
	size_t at = 0, size = 0;
	enum ps_error err;

	if ((err = ps_ole_stream_in(m->o, obj, "\001Ole10Native", &s)) != PS_OK)
		return err == PS_ERR_NOMEM ? err : PS_OK;
	if (!package_file(s.data, s.len, &at, &size)) {
		at = s.len < 4 ? s.len : 4;
		size = s.len - at;
	}
	err = memory_child(m, s.data + at, size, name);
	ps_ole_stream_free(&s);
	return err;
}

/* Copy the streams and storages of from into to, every stream through
 * ole.c (sizes checked and charged); false when one cannot be. */
static bool
copy_storage(struct msg *m, GsfInfile *from, GsfOutfile *to, unsigned depth)
{
	int n = gsf_infile_num_children(from);
	bool ok = true;

	for (int i = 0; i < n && ok; i++) {
		const char *cn = gsf_infile_name_by_index(from, i);
		GsfInput *c = gsf_infile_child_by_index(from, i);
		bool dir = c != NULL && GSF_IS_INFILE(c)
		    && gsf_infile_num_children(GSF_INFILE(c)) >= 0;
		GsfOutput *out = NULL;
		struct ps_ole_stream s = { 0 };

		if (dir && depth >= OBJECT_MAX_DEPTH)
			ps_extract_partial(m->x, "limit: depth");
		if (c == NULL || cn == NULL || (dir && depth >= OBJECT_MAX_DEPTH)) {
			if (c != NULL)
				g_object_unref(c);
			continue;
		}
		if (!dir && ps_ole_stream_in(m->o, from, cn, &s) != PS_OK)
			ok = false;
		else if ((out = gsf_outfile_new_child(to, cn, dir)) == NULL)
			ok = false;
		else if (dir)
			ok = copy_storage(m, GSF_INFILE(c), GSF_OUTFILE(out), depth + 1);
		else
			ok = s.len == 0 || gsf_output_write(out, s.len, s.data);
		if (out != NULL) {
			ok = gsf_output_close(out) && ok;
			g_object_unref(out);
		}
		ps_ole_stream_free(&s);
		g_object_unref(c);
	}
	return ok;
}

/* A document stored whole (an embedded Word or Excel document): a
 * compound file written from its storage, opened like one attached. */
static enum ps_error
stored_document(struct msg *m, GsfInfile *obj, const char *name)
{
	GsfOutput *sink = gsf_output_memory_new();
	GsfOutfile *file = sink != NULL ? gsf_outfile_msole_new(sink) : NULL;
	enum ps_error err = PS_OK;
	bool ok;

	if (file == NULL) {
		if (sink != NULL)
			g_object_unref(sink);
		return PS_ERR_NOMEM;
	}
	ok = copy_storage(m, obj, file, 0);
	ok = gsf_output_close(GSF_OUTPUT(file)) && ok;
	if (ok) {
		/* The document is personal data: wiped once read. */
		unsigned char *bytes = (unsigned char *)gsf_output_memory_get_bytes(
		    GSF_OUTPUT_MEMORY(sink));
		size_t len = (size_t)gsf_output_size(sink);

		err = memory_child(m, bytes, len, name);
		if (bytes != NULL)
			ps_wipe(bytes, len);
	} else {
		ps_extract_partial(m->x, "corrupt: attached object %s", name);
	}
	g_object_unref(file);
	g_object_unref(sink);
	return err;
}

/*
 * An OLE object attached (method 6), its data a storage: a packaged file
 * ("\001Ole10Native") goes on as the file; an object whose data is one
 * "CONTENTS" stream (a PDF, say) as that stream; any other (a document
 * stored whole) as the compound file it makes.
 */
static enum ps_error
ole_object(struct msg *m, GsfInfile *a, const char *name)
{
	char sname[32];
	GsfInput *data;
	GsfInput *c;
	enum ps_error err;

	snprintf(sname, sizeof sname, "__substg1.0_%04X000D", PR_ATTACH_DATA);
	data = ps_ole_child(a, sname);
	if (data == NULL || !GSF_IS_INFILE(data)
	    || gsf_infile_num_children(GSF_INFILE(data)) < 0) {
		ps_extract_partial(m->x, "corrupt: attached object %s missing", name);
		if (data != NULL)
			g_object_unref(data);
		return PS_OK;
	}
	if ((c = ps_ole_child(GSF_INFILE(data), "\001Ole10Native")) != NULL) {
		g_object_unref(c);
		err = packaged_file(m, GSF_INFILE(data), name);
	} else if ((c = ps_ole_child(GSF_INFILE(data), "CONTENTS")) != NULL) {
		g_object_unref(c);
		err = stream_child(m, GSF_INFILE(data), "CONTENTS", name);
	} else {
		err = stored_document(m, GSF_INFILE(data), name);
	}
	g_object_unref(data);
	return err;
}

/* An attachment's name fit for the member chain. */
static void
attachment_name(const struct str *s, unsigned k, char *out, size_t cap)
{
	size_t n = 0;

	for (size_t i = 0; s->p != NULL && i < s->len && n + 1 < cap; i++)
		out[n++] = (unsigned char)s->p[i] < 0x20 ? ' ' : s->p[i];
	while (n > 0 && ((unsigned char)out[n - 1] & 0xC0) == 0x80)
		n--;
	if (n > 0 && ((unsigned char)out[n - 1] & 0xC0) == 0xC0)
		n--;
	out[n] = '\0';
	if (n == 0 || strspn(out, " ") == n)
		snprintf(out, cap, "attachment %u", k);
}

static enum ps_error read_message(struct msg *m, GsfInfile *st, unsigned depth,
    uint64_t index);

static enum ps_error
attachment(struct msg *m, GsfInfile *a, unsigned cp, unsigned depth, unsigned k)
{
	struct ps_ole_stream props = { 0 };
	struct str fname = { 0 };
	uint64_t method = 0;
	char name[PS_MAIL_LABEL_MAX], sname[32];
	enum ps_error err;
	GsfInput *data;

	if (ps_ole_stream_in(m->o, a, "__properties_version1.0", &props) == PS_OK)
		(void)fixed_prop(&props, HEADER_SUB, TAG(PR_ATTACH_METHOD, PT_LONG), &method);
	ps_ole_stream_free(&props);
	if (method == ATTACH_EMBEDDED_MSG) {
		snprintf(sname, sizeof sname, "__substg1.0_%04X000D", PR_ATTACH_DATA);
		data = ps_ole_child(a, sname);
		if (data == NULL || !GSF_IS_INFILE(data)
		    || gsf_infile_num_children(GSF_INFILE(data)) < 0) {
			ps_extract_partial(m->x, "corrupt: attached message %u missing", k);
			m->failed++;
			err = PS_OK;
		} else {
			err = read_message(m, GSF_INFILE(data), depth + 1, k);
		}
		if (data != NULL)
			g_object_unref(data);
		return err;
	}
	err = string_of(m, a, PR_ATTACH_LONG_FILENAME, cp, &fname);
	if (err == PS_OK && fname.len == 0)
		err = string_of(m, a, PR_ATTACH_FILENAME, cp, &fname);
	if (err == PS_OK && fname.len == 0)
		err = string_of(m, a, PR_DISPLAY_NAME, cp, &fname);
	attachment_name(&fname, k, name, sizeof name);
	ps_mail_mask_numbers(name);
	str_free(&fname);
	if (err != PS_OK)
		return err;
	if (method == ATTACH_OLE)
		return ole_object(m, a, name);
	snprintf(sname, sizeof sname, "__substg1.0_%04X0102", PR_ATTACH_DATA);
	/* By reference: no bytes of its own to scan here. */
	return stream_child(m, a, sname, name);
}

static enum ps_error
attachments(struct msg *m, GsfInfile *st, unsigned cp, unsigned depth)
{
	int n = gsf_infile_num_children(st);
	enum ps_error err = PS_OK;
	unsigned k = 0;

	for (int i = 0; i < n && err == PS_OK; i++) {
		GsfInfile *a = sub_storage(m, st, i, "__attach_version1.0_");

		if (a == NULL)
			continue;
		if (ps_extract_stopping(m->x))
			err = PS_ERR_STOP;
		else if (!member_ok(m))
			n = 0;
		else
			err = attachment(m, a, cp, depth, ++k);
		g_object_unref(a);
	}
	return err;
}

/* --- a message --- */

/*
 * The message in storage st (the root, or an attached message's
 * storage), under its label in the member chain.  Counted in m as read
 * or failed; only PS_ERR_NOMEM and PS_ERR_STOP are returned.
 */
static enum ps_error
read_message(struct msg *m, GsfInfile *st, unsigned depth, uint64_t index)
{
	struct ps_ole_stream props = { 0 };
	struct str subject = { 0 }, id = { 0 };
	size_t hdr = depth == 0 ? HEADER_TOP : HEADER_EMBEDDED;
	uint64_t v, cp = 1252, html_cp;
	int64_t date = PS_MAIL_NO_DATE;
	char label[PS_MAIL_LABEL_MAX];
	enum ps_error err;

	if (depth > MSG_MAX_DEPTH) {
		ps_extract_partial(m->x, "limit: depth");
		m->failed++;
		return PS_OK;
	}
	err = ps_ole_stream_in(m->o, st, "__properties_version1.0", &props);
	if (err == PS_ERR_NOMEM)
		return err;
	/* Every message has one ([MS-OXMSG] 2.4); libgsf leaves out the
	 * directory entries around a damaged one without a word. */
	if (err == PS_ERR_OPEN)
		ps_extract_partial(m->x, "corrupt: no property stream");
	/* 8-bit strings are in the message's code page; HTML in its
	 * Internet code page, which is usually the same. */
	if (codepage(&props, hdr, PR_MESSAGE_CODEPAGE, &v)
	    || codepage(&props, hdr, PR_INTERNET_CPID, &v))
		cp = v;
	html_cp = cp;
	if (codepage(&props, hdr, PR_INTERNET_CPID, &v))
		html_cp = v;
	if (fixed_prop(&props, hdr, TAG(PR_CLIENT_SUBMIT_TIME, PT_SYSTIME), &v))
		date = unix_time(v);
	if (date == PS_MAIL_NO_DATE
	    && fixed_prop(&props, hdr, TAG(PR_MESSAGE_DELIVERY_TIME, PT_SYSTIME), &v))
		date = unix_time(v);
	ps_ole_stream_free(&props);

	err = string_of(m, st, PR_SUBJECT, (unsigned)cp, &subject);
	if (err == PS_OK)
		err = string_of(m, st, PR_INTERNET_MESSAGE_ID, (unsigned)cp, &id);
	if (err != PS_OK)
		goto done;
	/* It masks the numbers of both. */
	ps_mail_label(label, sizeof label, subject.p != NULL ? subject.p : "",
	    id.p != NULL && id.len > 0 ? id.p : NULL, date, index);
	err = ps_extract_enter(m->x, label);
	if (err == PS_ERR_LIMIT) {
		m->failed++;
		err = PS_OK;
		goto done;
	}
	if (err != PS_OK)
		goto done;
	err = headers(m, st, (unsigned)cp, &subject);
	if (err == PS_OK)
		err = body(m, st, (unsigned)cp, (unsigned)html_cp);
	/* Counted before its attachments: an attached message is read
	 * after it, within it. */
	m->read++;
	if (err == PS_OK)
		err = attachments(m, st, (unsigned)cp, depth);
	ps_extract_leave(m->x);
done:
	str_free(&id);
	str_free(&subject);
	return err;
}

enum ps_error
ps_ole_msg(struct ps_extract *x, struct ps_ole *o)
{
	struct msg m = { .x = x, .o = o };
	enum ps_error err;

	ps_extract_set_type(x, "msg");
	err = read_message(&m, ps_ole_root(o), 0, 1);
	ps_extract_messages(x, m.read, m.failed);
	return err;
}

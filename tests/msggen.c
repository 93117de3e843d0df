/*
 * msggen.c - writes Outlook .msg files ([MS-OXMSG]) for the tests, with
 * libgsf's compound file writer.
 *
 * usage: msggen make OUT < SPEC     a message described by SPEC, one
 *                                   command a line:
 *          subject TEXT             PR_SUBJECT (Unicode)
 *          subject8 CP TEXT         PR_SUBJECT in code page CP (8-bit), and
 *                                   PR_MESSAGE_CODEPAGE CP
 *          msgid TEXT               PR_INTERNET_MESSAGE_ID
 *          date 2026-03-01T09:00:00Z  PR_CLIENT_SUBMIT_TIME
 *          sender NAME|ADDRESS      PR_SENDER_NAME, PR_SENDER_EMAIL_ADDRESS
 *          to NAME|ADDRESS          a recipient storage (also cc, bcc)
 *          displayto TEXT           PR_DISPLAY_TO
 *          headers TEXT             PR_TRANSPORT_HEADERS
 *          body TEXT                PR_BODY (Unicode)
 *          body8 CP TEXT            PR_BODY in code page CP, and
 *                                   PR_MESSAGE_CODEPAGE CP
 *          html TEXT                PR_HTML (bytes, UTF-8) and
 *                                   PR_INTERNET_CPID 65001
 *          rtf-mela TEXT            PR_RTF_COMPRESSED, stored ("MELA")
 *          rtf-lzfu TEXT            PR_RTF_COMPRESSED, compressed ("LZFu",
 *                                   literals only: valid, if not small)
 *          rtf-badcrc TEXT          the same with a wrong CRC
 *          attach NAME FILE         an attachment: long file name (spaces
 *                                   allowed), bytes
 *          attach-noname FILE       an attachment with no name at all
 *          attach-package NAME FILE an OLE object (method 6): a packaged
 *                                   file ("\001Ole10Native") of that name
 *          attach-contents NAME FILE  an OLE object whose data is one
 *                                   "CONTENTS" stream
 *          attach-storage NAME FILE an OLE object stored whole: the streams
 *                                   and storages of the compound file FILE
 *          attach-native NAME FILE  an OLE object's native data that is no
 *                                   packaged file: its size, then FILE
 *          attach-nothing NAME      an OLE object attachment without its
 *                                   storage
 *          message                  an attached message (method 5); the
 *                                   commands up to "end" describe it
 *          end
 *        In TEXT, "\n" stands for a line break.
 *        msggen size FILE STREAM SIZE   set the size the directory entry
 *                                   of STREAM declares (a lie, to test)
 *
 * Test-only code: it exits on the first error, with a message.
 */
#define _XOPEN_SOURCE 700
#define _DEFAULT_SOURCE
#include <iconv.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

#include <gsf/gsf-infile-msole.h>
#include <gsf/gsf-infile.h>
#include <gsf/gsf-input-stdio.h>
#include <gsf/gsf-outfile-msole.h>
#include <gsf/gsf-outfile.h>
#include <gsf/gsf-output-stdio.h>
#include <gsf/gsf-utils.h>

#define MAX_DEPTH 8
#define MAX_FIXED 32

static void __attribute__((noreturn, format(printf, 1, 2)))
die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("msggen: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(1);
}

enum kind { TOP, EMBEDDED, SUB };

struct fixed {
	uint32_t tag;
	uint64_t value;
};

/* An open storage: the message, an attached message, a recipient or an
 * attachment. */
struct storage {
	GsfOutfile *out;
	enum kind kind;
	struct fixed fixed[MAX_FIXED];
	int nfixed;
	uint32_t recips, attachs;
	struct storage *holder; /* an attached message's attachment (heap) */
};

static struct storage stack[MAX_DEPTH];
static int depth;

static void
add_stream(GsfOutfile *st, const char *name, const void *data, size_t len)
{
	GsfOutput *s = gsf_outfile_new_child(st, name, FALSE);

	if (s == NULL || (len > 0 && !gsf_output_write(s, len, data)) || !gsf_output_close(s))
		die("cannot write stream %s", name);
	g_object_unref(s);
}

static GsfOutfile *
add_storage(GsfOutfile *st, const char *name)
{
	GsfOutput *s = gsf_outfile_new_child(st, name, TRUE);

	if (s == NULL)
		die("cannot make storage %s", name);
	return GSF_OUTFILE(s);
}

static void
add_fixed(struct storage *s, unsigned id, unsigned type, uint64_t value)
{
	if (s->nfixed == MAX_FIXED)
		die("too many properties");
	s->fixed[s->nfixed].tag = (uint32_t)id << 16 | type;
	s->fixed[s->nfixed++].value = value;
}

static void
le32(unsigned char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

/* The fixed-length property stream, then the storage closed. */
static void close_storage(struct storage *s);
static void
close_storage(struct storage *s)
{
	size_t hdr = s->kind == TOP ? 32 : s->kind == EMBEDDED ? 24 : 8;
	size_t len = hdr + 16 * (size_t)s->nfixed;
	unsigned char *p = calloc(1, len);

	if (p == NULL)
		die("out of memory");
	if (s->kind != SUB) {
		le32(p + 8, s->recips);
		le32(p + 12, s->attachs);
		le32(p + 16, s->recips);
		le32(p + 20, s->attachs);
	}
	for (int i = 0; i < s->nfixed; i++) {
		unsigned char *e = p + hdr + 16 * (size_t)i;

		le32(e, s->fixed[i].tag);
		le32(e + 4, 6);         /* readable, writable */
		le32(e + 8, (uint32_t)s->fixed[i].value);
		le32(e + 12, (uint32_t)(s->fixed[i].value >> 32));
	}
	add_stream(s->out, "__properties_version1.0", p, len);
	free(p);
	if (!gsf_output_close(GSF_OUTPUT(s->out)))
		die("cannot close a storage");
	g_object_unref(s->out);
	if (s->holder != NULL) {
		close_storage(s->holder);
		free(s->holder);
	}
}

/* "\n" in spec text to a line break. */
static void
unescape(char *s)
{
	char *w = s;

	for (char *r = s; *r != '\0'; r++) {
		if (r[0] == '\\' && r[1] == 'n') {
			*w++ = '\n';
			r++;
		} else {
			*w++ = *r;
		}
	}
	*w = '\0';
}

/* text (UTF-8) in charset, malloc'd. */
static char *
convert(const char *text, const char *charset, size_t *len)
{
	iconv_t cd = iconv_open(charset, "UTF-8");
	size_t inlen = strlen(text), cap = inlen * 4 + 4, outlen = cap;
	char *out = malloc(cap), *in = (char *)text, *o = out;

	if (cd == (iconv_t)-1 || out == NULL)
		die("cannot convert to %s", charset);
	if (iconv(cd, &in, &inlen, &o, &outlen) == (size_t)-1)
		die("cannot convert to %s", charset);
	iconv_close(cd);
	*len = cap - outlen;
	return out;
}

static void
string_prop(GsfOutfile *st, unsigned id, const char *text)
{
	char name[32];
	size_t len;
	char *u = convert(text, "UTF-16LE", &len);

	snprintf(name, sizeof name, "__substg1.0_%04X001F", id);
	add_stream(st, name, u, len);
	free(u);
}

static void
string8_prop(struct storage *s, unsigned id, const char *cp, const char *text)
{
	char name[32], charset[16];
	size_t len;
	char *b;

	snprintf(charset, sizeof charset, "CP%s", cp);
	b = convert(text, charset, &len);
	snprintf(name, sizeof name, "__substg1.0_%04X001E", id);
	add_stream(s->out, name, b, len);
	free(b);
	add_fixed(s, 0x3FFD, 0x0003, strtoul(cp, NULL, 10));
}

/* PidTagRtfCompressed: stored, or compressed as literals only (every
 * control byte 0, then the end reference: the write position). */
static void
rtf_prop(GsfOutfile *st, const char *rtf, const char *form)
{
	size_t n = strlen(rtf), len = 0;
	unsigned char *p = malloc(16 + n + n / 8 + 8);
	uint32_t crc = 0;

	if (p == NULL)
		die("out of memory");
	if (strcmp(form, "mela") == 0) {
		memcpy(p + 16, rtf, n);
		len = 16 + n;
		memcpy(p + 8, "MELA", 4);
	} else {
		size_t i = 0, w = 16;
		unsigned pos = 207;

		for (;;) {
			size_t ctl = w++;
			unsigned bit = 0;

			p[ctl] = 0;
			for (; bit < 8 && i < n; bit++) {
				p[w++] = (unsigned char)rtf[i++];
				pos = (pos + 1) % 4096;
			}
			if (bit < 8) {
				p[ctl] |= (unsigned char)(1u << bit);
				p[w++] = (unsigned char)(pos >> 4);
				p[w++] = (unsigned char)(pos << 4);
				break;
			}
		}
		len = w;
		memcpy(p + 8, "LZFu", 4);
		crc = (uint32_t)~crc32(0xFFFFFFFFul, p + 16, (uInt)(len - 16));
		if (strcmp(form, "badcrc") == 0)
			crc ^= 1;
	}
	le32(p, (uint32_t)(len - 4));
	le32(p + 4, (uint32_t)n);
	le32(p + 12, crc);
	add_stream(st, "__substg1.0_10090102", p, len);
	free(p);
}

static uint64_t
filetime(const char *iso)
{
	struct tm tm = { 0 };

	if (strptime(iso, "%Y-%m-%dT%H:%M:%SZ", &tm) == NULL)
		die("bad date %s", iso);
	return ((uint64_t)timegm(&tm) + 11644473600ull) * 10000000ull;
}

static char *
read_file(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	char *buf;
	long n;

	if (fp == NULL || fseek(fp, 0, SEEK_END) != 0 || (n = ftell(fp)) < 0
	    || fseek(fp, 0, SEEK_SET) != 0 || (buf = malloc((size_t)n + 1)) == NULL
	    || fread(buf, 1, (size_t)n, fp) != (size_t)n)
		die("cannot read %s", path);
	fclose(fp);
	*len = (size_t)n;
	return buf;
}

static void
recipient(struct storage *s, const char *arg, unsigned type)
{
	char name[64], *bar = strchr(arg, '|');
	struct storage r = { 0 };

	if (bar == NULL)
		die("NAME|ADDRESS expected: %s", arg);
	*bar = '\0';
	snprintf(name, sizeof name, "__recip_version1.0_#%08X", s->recips++);
	r.out = add_storage(s->out, name);
	r.kind = SUB;
	string_prop(r.out, 0x3001, arg);
	string_prop(r.out, 0x39FE, bar + 1);
	add_fixed(&r, 0x0C15, 0x0003, type);
	close_storage(&r);
}

static struct storage *
new_attachment(struct storage *s, uint64_t method)
{
	static struct storage a;
	char name[64];

	memset(&a, 0, sizeof a);
	snprintf(name, sizeof name, "__attach_version1.0_#%08X", s->attachs++);
	a.out = add_storage(s->out, name);
	a.kind = SUB;
	add_fixed(&a, 0x3705, 0x0003, method);
	return &a;
}

/* Copy every stream and storage of from into to. */
static void
copy_storage(GsfInfile *from, GsfOutfile *to)
{
	for (int i = 0; i < gsf_infile_num_children(from); i++) {
		GsfInput *c = gsf_infile_child_by_index(from, i);
		const char *name = gsf_infile_name_by_index(from, i);
		gboolean dir = GSF_IS_INFILE(c) && gsf_infile_num_children(GSF_INFILE(c)) >= 0;
		GsfOutput *out = gsf_outfile_new_child(to, name, dir);

		if (out == NULL)
			die("cannot copy %s", name);
		if (dir)
			copy_storage(GSF_INFILE(c), GSF_OUTFILE(out));
		else if (!gsf_input_copy(c, out))
			die("cannot copy %s", name);
		if (!gsf_output_close(out))
			die("cannot copy %s", name);
		g_object_unref(out);
		g_object_unref(c);
	}
}

/* An OLE object attached (method 6) named name, from the file at path,
 * the way kind says ("package", "contents", "storage", "native" or
 * "nothing", which has no file). */
static void
ole_object(struct storage *s, const char *kind, char *arg)
{
	struct storage *a = new_attachment(s, 6);
	char *space = strrchr(arg, ' '), *data;
	const char *name = arg, *path;
	GsfOutfile *obj;
	size_t len;

	if (strcmp(kind, "nothing") == 0) {
		string_prop(a->out, 0x3707, name);
		close_storage(a);
		return;
	}
	if (space == NULL)
		die("NAME FILE expected: %s", arg);
	*space = '\0';
	path = space + 1;
	string_prop(a->out, 0x3707, name);
	obj = add_storage(a->out, "__substg1.0_3701000D");
	if (strcmp(kind, "native") == 0) {
		unsigned char *native;

		data = read_file(path, &len);
		if ((native = malloc(len + 4)) == NULL)
			die("out of memory");
		le32(native, (uint32_t)len);
		memcpy(native + 4, data, len);
		add_stream(obj, "\001Ole10Native", native, len + 4);
		free(native);
		free(data);
	} else if (strcmp(kind, "storage") == 0) {
		GsfInput *in = gsf_input_stdio_new(path, NULL);
		GsfInfile *doc = in != NULL ? gsf_infile_msole_new(in, NULL) : NULL;

		if (doc == NULL)
			die("not a compound file: %s", path);
		copy_storage(doc, obj);
		g_object_unref(doc);
		g_object_unref(in);
	} else if (strcmp(kind, "contents") == 0) {
		data = read_file(path, &len);
		add_stream(obj, "CONTENTS", data, len);
		free(data);
	} else {
		/* Its size, 2, the label and source path, 0x00030000, the
		 * temporary path (its length first), the file's size and bytes. */
		char src[256], tmp[256];
		size_t n, at = 0;
		unsigned char *native;

		data = read_file(path, &len);
		snprintf(src, sizeof src, "C:\\Users\\hr\\%s", name);
		snprintf(tmp, sizeof tmp, "C:\\Temp\\%s", name);
		n = 4 + 2 + strlen(name) + 1 + strlen(src) + 1 + 4 + 4 + strlen(tmp) + 1 + 4 + len;
		if ((native = malloc(n)) == NULL)
			die("out of memory");
		le32(native, (uint32_t)(n - 4));
		native[4] = 2;
		native[5] = 0;
		at = 6;
		memcpy(native + at, name, strlen(name) + 1);
		at += strlen(name) + 1;
		memcpy(native + at, src, strlen(src) + 1);
		at += strlen(src) + 1;
		le32(native + at, 0x00030000);
		le32(native + at + 4, (uint32_t)strlen(tmp) + 1);
		at += 8;
		memcpy(native + at, tmp, strlen(tmp) + 1);
		at += strlen(tmp) + 1;
		le32(native + at, (uint32_t)len);
		memcpy(native + at + 4, data, len);
		add_stream(obj, "\001Ole10Native", native, n);
		free(native);
		free(data);
	}
	if (!gsf_output_close(GSF_OUTPUT(obj)))
		die("cannot write the object of %s", name);
	g_object_unref(obj);
	close_storage(a);
}

static void
command(char *line)
{
	struct storage *s = &stack[depth - 1];
	char *arg = strchr(line, ' '), *arg2;

	if (arg != NULL)
		*arg++ = '\0';
	else
		arg = line + strlen(line);
	unescape(arg);
	arg2 = strchr(arg, ' ');
	if (strcmp(line, "subject") == 0) {
		string_prop(s->out, 0x0037, arg);
	} else if (strcmp(line, "subject8") == 0 && arg2 != NULL) {
		*arg2 = '\0';
		string8_prop(s, 0x0037, arg, arg2 + 1);
	} else if (strcmp(line, "msgid") == 0) {
		string_prop(s->out, 0x1035, arg);
	} else if (strcmp(line, "date") == 0) {
		add_fixed(s, 0x0039, 0x0040, filetime(arg));
	} else if (strcmp(line, "sender") == 0) {
		char *bar = strchr(arg, '|');

		if (bar == NULL)
			die("NAME|ADDRESS expected: %s", arg);
		*bar = '\0';
		string_prop(s->out, 0x0C1A, arg);
		string_prop(s->out, 0x0C1F, bar + 1);
	} else if (strcmp(line, "to") == 0) {
		recipient(s, arg, 1);
	} else if (strcmp(line, "cc") == 0) {
		recipient(s, arg, 2);
	} else if (strcmp(line, "bcc") == 0) {
		recipient(s, arg, 3);
	} else if (strcmp(line, "displayto") == 0) {
		string_prop(s->out, 0x0E04, arg);
	} else if (strcmp(line, "headers") == 0) {
		string_prop(s->out, 0x007D, arg);
	} else if (strcmp(line, "body") == 0) {
		string_prop(s->out, 0x1000, arg);
	} else if (strcmp(line, "body8") == 0 && arg2 != NULL) {
		*arg2 = '\0';
		string8_prop(s, 0x1000, arg, arg2 + 1);
	} else if (strcmp(line, "html") == 0) {
		add_stream(s->out, "__substg1.0_10130102", arg, strlen(arg));
		add_fixed(s, 0x3FDE, 0x0003, 65001);
	} else if (strncmp(line, "rtf-", 4) == 0) {
		rtf_prop(s->out, arg, line + 4);
	} else if ((strcmp(line, "attach") == 0 && arg2 != NULL)
	    || strcmp(line, "attach-noname") == 0) {
		struct storage *a = new_attachment(s, 1);
		const char *path = arg;
		size_t len;
		char *data;

		if (strcmp(line, "attach") == 0) {
			/* The name may have spaces; the file is the last word. */
			arg2 = strrchr(arg, ' ');
			*arg2 = '\0';
			string_prop(a->out, 0x3707, arg);
			path = arg2 + 1;
		}
		data = read_file(path, &len);
		add_stream(a->out, "__substg1.0_37010102", data, len);
		free(data);
		close_storage(a);
	} else if (strncmp(line, "attach-", 7) == 0 && (strcmp(line + 7, "package") == 0
	    || strcmp(line + 7, "contents") == 0 || strcmp(line + 7, "storage") == 0
	    || strcmp(line + 7, "native") == 0 || strcmp(line + 7, "nothing") == 0)) {
		ole_object(s, line + 7, arg);
	} else if (strcmp(line, "message") == 0) {
		struct storage *a = new_attachment(s, 5), *m;

		if (depth == MAX_DEPTH)
			die("messages nested too deep");
		m = &stack[depth++];
		memset(m, 0, sizeof *m);
		m->out = add_storage(a->out, "__substg1.0_3701000D");
		m->kind = EMBEDDED;
		/* The attachment is closed once the message in it is. */
		if ((m->holder = malloc(sizeof *m->holder)) == NULL)
			die("out of memory");
		*m->holder = *a;
	} else if (strcmp(line, "end") == 0) {
		if (depth <= 1)
			die("end without message");
		close_storage(&stack[--depth]);
	} else if (line[0] != '\0' && line[0] != '#') {
		die("unknown command: %s", line);
	}
}

static void
make(const char *path)
{
	GError *err = NULL;
	GsfOutput *out = gsf_output_stdio_new(path, &err);
	char line[8192];

	if (out == NULL)
		die("%s: %s", path, err->message);
	depth = 1;
	memset(&stack[0], 0, sizeof stack[0]);
	stack[0].out = gsf_outfile_msole_new(out);
	stack[0].kind = TOP;
	g_object_unref(out);
	while (fgets(line, sizeof line, stdin) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		command(line);
	}
	if (depth != 1)
		die("message without end");
	close_storage(&stack[0]);
}

/* Set the size field (offset 0x78) of the directory entry named stream. */
static void
set_size(const char *path, const char *stream, uint32_t size)
{
	size_t len, n = strlen(stream), hits = 0;
	char *p = read_file(path, &len);
	FILE *fp;

	for (size_t off = 512; off + 128 <= len; off += 128) {
		bool same = p[off + 64] == (char)(2 * n + 2) && p[off + 65] == 0;

		for (size_t i = 0; same && i < n; i++)
			same = p[off + 2 * i] == stream[i] && p[off + 2 * i + 1] == 0;
		if (same) {
			le32((unsigned char *)p + off + 0x78, size);
			hits++;
		}
	}
	if (hits == 0)
		die("no directory entry %s", stream);
	if ((fp = fopen(path, "wb")) == NULL || fwrite(p, 1, len, fp) != len || fclose(fp) != 0)
		die("cannot write %s", path);
	free(p);
}

int
main(int argc, char **argv)
{
	gsf_init();
	if (argc == 3 && strcmp(argv[1], "make") == 0)
		make(argv[2]);
	else if (argc == 5 && strcmp(argv[1], "size") == 0)
		set_size(argv[2], argv[3], (uint32_t)strtoul(argv[4], NULL, 0));
	else
		die("usage: msggen make OUT < SPEC | msggen size FILE STREAM SIZE");
	gsf_shutdown();
	return 0;
}

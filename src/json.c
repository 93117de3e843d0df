/*
 * json.c - JSON text (see json.h).
 */
#include "config.h"

#include "json.h"

#include <stdbool.h>
#include <string.h>
#include <time.h>

size_t
ps_utf8_char_len(const void *bytes, size_t len)
{
	const unsigned char *p = bytes;
	size_t need;
	uint32_t cp;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xC2 && p[0] <= 0xDF)
		need = 2, cp = p[0] & 0x1F;
	else if (p[0] >= 0xE0 && p[0] <= 0xEF)
		need = 3, cp = p[0] & 0x0F;
	else if (p[0] >= 0xF0 && p[0] <= 0xF4)
		need = 4, cp = p[0] & 0x07;
	else
		return 0;
	if (len < need)
		return 0;
	for (size_t i = 1; i < need; i++) {
		if ((p[i] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[i] & 0x3F);
	}
	/* Overlong forms, surrogates and values past U+10FFFF are invalid. */
	if ((need == 3 && cp < 0x800) || (need == 4 && (cp < 0x10000 || cp > 0x10FFFF))
	    || (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	return need;
}

/* Calls put(ctx, text, n) for each piece of the escaped form. */
static void
escape(const void *bytes, size_t len,
    void (*put)(void *ctx, const char *s, size_t n), void *ctx)
{
	const unsigned char *p = bytes;
	static const char hex[] = "0123456789abcdef";
	char esc[8];

	for (size_t i = 0; i < len;) {
		size_t n = ps_utf8_char_len(p + i, len - i);
		unsigned char c = p[i];

		if (n == 0) {
			memcpy(esc, "\\udc", 4);
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 15];
			put(ctx, esc, 6);
			i++;
		} else if (c == '"' || c == '\\') {
			esc[0] = '\\';
			esc[1] = (char)c;
			put(ctx, esc, 2);
			i++;
		} else if (c < 0x20 || c == 0x7f) {
			const char *named = c == '\n' ? "\\n" : c == '\t' ? "\\t"
			    : c == '\r' ? "\\r" : NULL;

			if (named != NULL) {
				put(ctx, named, 2);
			} else {
				memcpy(esc, "\\u00", 4);
				esc[4] = hex[c >> 4];
				esc[5] = hex[c & 15];
				put(ctx, esc, 6);
			}
			i++;
		} else {
			put(ctx, (const char *)p + i, n);
			i += n;
		}
	}
}

static void
put_file(void *ctx, const char *s, size_t n)
{
	fwrite(s, 1, n, ctx);
}

void
ps_json_string(FILE *out, const void *bytes, size_t len)
{
	putc('"', out);
	escape(bytes, len, put_file, out);
	putc('"', out);
}

struct membuf {
	char *buf;
	size_t cap, len, total;
	bool full;      /* a piece did not fit: keep a prefix, only count */
};

static void
put_mem(void *ctx, const char *s, size_t n)
{
	struct membuf *m = ctx;

	if (!m->full && m->len + n < m->cap) {
		memcpy(m->buf + m->len, s, n);
		m->len += n;
	} else {
		m->full = true;
	}
	m->total += n;
}

size_t
ps_json_escape(char *buf, size_t cap, const void *bytes, size_t len)
{
	struct membuf m = { buf, cap, 0, 0, false };

	escape(bytes, len, put_mem, &m);
	if (cap > 0)
		buf[m.len] = '\0';
	return m.total;
}

void
ps_time_iso(int64_t t, char *buf, size_t cap)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (gmtime_r(&tt, &tm) == NULL || strftime(buf, cap, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(buf, cap, "%lld", (long long)t);
}

void
ps_json_time_field(FILE *out, const char *name, int64_t t)
{
	char iso[32];

	if (t == 0) {
		fprintf(out, ",\"%s\":null", name);
		return;
	}
	ps_time_iso(t, iso, sizeof iso);
	fprintf(out, ",\"%s\":\"%s\"", name, iso);
}

void
ps_json_text_field(FILE *out, const char *name, const char *value)
{
	fprintf(out, ",\"%s\":", name);
	ps_json_string(out, value, strlen(value));
}

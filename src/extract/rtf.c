/*
 * rtf.c - compressed RTF ([MS-OXRTFCP]) and RTF to text (see rtf.h), and
 * .rtf files as a format.
 *
 * The RTF reader is a state machine fed bytes in pieces of any size, so
 * that a file is read in chunks and a mail body from memory by the same
 * code.  It keeps one small record per open group (skipped or not, the
 * \uc count), up to PS_RTF_MAX_DEPTH; deeper groups are skipped whole.
 * Text bytes go through a decoder for the document's code page; \uN
 * characters are written as UTF-8 directly.
 */
#include "config.h"

#include "rtf.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "../finding.h"
#include "decode.h"
#include "ole.h"

/* --- [MS-OXRTFCP] decompression --- */

#define COMPTYPE_LZFU   0x75465A4Cu     /* "LZFu": compressed */
#define COMPTYPE_MELA   0x414C454Du     /* "MELA": stored */
#define DICT_SIZE       4096

/* [MS-OXRTFCP] 2.1.3.1 ("Dictionary"): the dictionary starts with these
 * 207 bytes, and writing goes on right after them. */
static const char prebuf[] =
    "{\\rtf1\\ansi\\mac\\deff0\\deftab720{\\fonttbl;}{\\f0\\fnil \\froman "
    "\\fswiss \\fmodern \\fscript \\fdecor MS Sans SerifSymbolArialTimes "
    "New RomanCourier{\\colortbl\\red0\\green0\\blue0\r\n\\par "
    "\\pard\\plain\\f0\\fs20\\b\\i\\u\\tab\\tx";

/* The CRC of [MS-OXRTFCP] (section "CRC Calculation") is CRC-32 with its
 * table, started at 0 and not inverted at the end; zlib's crc32() inverts
 * on the way in and out, so it is started at ~0 and its result inverted. */
static uint32_t
rtfcp_crc(const unsigned char *p, size_t len)
{
	uLong crc = 0xFFFFFFFFul;

	while (len > 0) {
		uInt n = len > 0x40000000u ? 0x40000000u : (uInt)len;

		crc = crc32(crc, p, n);
		p += n;
		len -= n;
	}
	return (uint32_t)~crc;
}

struct outbuf {
	unsigned char *p;
	size_t len, cap, max;
};

/* Append c; false when max is reached (or memory is not there: *nomem). */
static bool
out_put(struct outbuf *o, unsigned char c, bool *nomem)
{
	if (o->len == o->max)
		return false;
	if (o->len == o->cap) {
		size_t cap = o->cap < 4096 ? 4096 : o->cap * 2;
		unsigned char *p;

		if (cap > o->max)
			cap = o->max;
		if ((p = malloc(cap)) == NULL) {
			*nomem = true;
			return false;
		}
		/* Copied by hand, the old copy wiped: it is message text. */
		if (o->len > 0)
			memcpy(p, o->p, o->len);
		if (o->p != NULL)
			ps_wipe(o->p, o->len);
		free(o->p);
		o->p = p;
		o->cap = cap;
	}
	o->p[o->len++] = c;
	return true;
}

/*
 * [MS-OXRTFCP] 2.1.3.1 (decompression; its grammar is 2.1.3.1.1): runs
 * of a control byte and 8 tokens, its bits from the lowest saying which
 * are literals (0) and which dictionary references (1: 2 bytes
 * big-endian, a 12-bit offset and a 4-bit length less 2).  Every byte
 * produced is also written to the dictionary.  A reference to the write
 * position itself ends the data.
 */
static enum ps_error
lzfu(const unsigned char *p, size_t len, struct outbuf *o)
{
	unsigned char dict[DICT_SIZE];
	size_t wpos = sizeof prebuf - 1, i = 0;
	bool nomem = false;

	memset(dict, 0, sizeof dict);
	memcpy(dict, prebuf, sizeof prebuf - 1);
	while (i < len) {
		unsigned control = p[i++];

		for (unsigned bit = 0; bit < 8; bit++) {
			if ((control >> bit & 1) == 0) {
				if (i >= len)
					return PS_OK;
				if (!out_put(o, p[i], &nomem))
					return nomem ? PS_ERR_NOMEM : PS_ERR_LIMIT;
				dict[wpos] = p[i++];
				wpos = (wpos + 1) % DICT_SIZE;
			} else {
				unsigned ref, off, n;

				if (len - i < 2)
					return PS_OK;
				ref = (unsigned)p[i] << 8 | p[i + 1];
				i += 2;
				off = ref >> 4;
				n = (ref & 0xF) + 2;
				if (off == wpos)
					return PS_OK;
				/* Byte by byte: a reference may overlap the
				 * bytes it is producing. */
				while (n-- > 0) {
					unsigned char c = dict[off];

					if (!out_put(o, c, &nomem))
						return nomem ? PS_ERR_NOMEM : PS_ERR_LIMIT;
					dict[wpos] = c;
					wpos = (wpos + 1) % DICT_SIZE;
					off = (off + 1) % DICT_SIZE;
				}
			}
		}
	}
	return PS_OK;
}

enum ps_error
ps_rtf_decompress(const unsigned char *in, size_t len, size_t max,
    unsigned char **out, size_t *outlen)
{
	struct outbuf o = { NULL, 0, 0, max };
	uint32_t compsize, rawsize, type;
	size_t end;
	enum ps_error err;

	*out = NULL;
	*outlen = 0;
	if (len < PS_RTF_HEADER)
		return PS_ERR_CORRUPT;
	/* [MS-OXRTFCP] 2.1.3.1.1: COMPSIZE counts the bytes after itself. */
	compsize = ps_ole_u32(in);
	rawsize = ps_ole_u32(in + 4);
	type = ps_ole_u32(in + 8);
	if (compsize < PS_RTF_HEADER - 4 || compsize > len - 4)
		return PS_ERR_CORRUPT;
	end = (size_t)compsize + 4;
	/* RAWSIZE is a hint: the output is cut there, never allocated by it. */
	if (rawsize < o.max)
		o.max = rawsize;
	if (type == COMPTYPE_MELA) {
		size_t n = end - PS_RTF_HEADER;
		bool nomem = false;

		err = PS_OK;
		for (size_t i = 0; i < n && err == PS_OK; i++)
			if (!out_put(&o, in[PS_RTF_HEADER + i], &nomem))
				err = nomem ? PS_ERR_NOMEM : PS_ERR_LIMIT;
	} else if (type == COMPTYPE_LZFU) {
		if (rtfcp_crc(in + PS_RTF_HEADER, end - PS_RTF_HEADER) != ps_ole_u32(in + 12))
			return PS_ERR_CORRUPT;
		err = lzfu(in + PS_RTF_HEADER, end - PS_RTF_HEADER, &o);
	} else {
		return PS_ERR_CORRUPT;
	}
	/* Reaching RAWSIZE is the end, not a limit; reaching max is one. */
	if (err == PS_ERR_LIMIT && o.len == rawsize)
		err = PS_OK;
	if (err == PS_ERR_NOMEM) {
		if (o.p != NULL)
			ps_wipe(o.p, o.len);
		free(o.p);
		return err;
	}
	if (o.p == NULL && (o.p = malloc(1)) == NULL)
		return PS_ERR_NOMEM;
	*out = o.p;
	*outlen = o.len;
	return err;
}

/* --- RTF to text --- */

#define WORD_MAX        32      /* control word letters kept */
#define PARAM_DIGITS    10      /* -2147483648 .. more is clamped */
#define BYTES_MAX       512     /* text bytes batched for the decoder */
#define UC_MAX          16      /* fallback characters skipped after \u */

enum state { S_TEXT, S_ESCAPE, S_WORD, S_PARAM, S_HEX, S_BIN };

struct group {
	bool skip;                      /* a destination whose text is not read */
	unsigned char uc;               /* \uc: fallback characters of a \u */
};

struct rtf {
	struct ps_sink *sink;
	const char **limit;
	enum ps_error err;

	struct group g[PS_RTF_MAX_DEPTH];
	unsigned depth;                 /* g[depth] is the open group */
	uint64_t over;                  /* groups open beyond the stack */

	enum state state;
	char word[WORD_MAX + 1];
	size_t wlen;
	bool neg, has_param;
	long long param;
	unsigned pdigits;
	unsigned hex, hexn;
	uint64_t bin_left;
	unsigned skip_chars;            /* \u fallback still to skip */
	uint32_t high;                  /* a \u high surrogate waiting */

	unsigned codepage;
	struct ps_decoder *dec;
	unsigned char bytes[BYTES_MAX];
	size_t nbytes;
};

static enum ps_error
to_sink(void *ctx, const char *utf8, size_t len)
{
	return ps_sink_text(ctx, utf8, len);
}

/* Pass the batched text bytes through the code page's decoder. */
static void
flush_bytes(struct rtf *r)
{
	if (r->nbytes == 0 || r->err != PS_OK)
		return;
	if (r->dec == NULL) {
		char buf[32];
		const char *cs = ps_codepage_charset(r->codepage, buf, sizeof buf);

		/* Text bytes are 8-bit: a UTF-16 or UTF-32 page is a lie. */
		if (strncmp(cs, "UTF-16", 6) == 0 || strncmp(cs, "UTF-32", 6) == 0)
			cs = "CP1252";
		if ((r->err = ps_decoder_new(cs, &r->dec)) != PS_OK)
			return;
	}
	r->err = ps_decoder_feed(r->dec, r->bytes, r->nbytes, to_sink, r->sink);
	ps_wipe(r->bytes, r->nbytes);
	r->nbytes = 0;
}

static void
put_byte(struct rtf *r, unsigned char c)
{
	if (r->over > 0 || r->g[r->depth].skip)
		return;
	if (r->skip_chars > 0) {
		r->skip_chars--;
		return;
	}
	if (r->nbytes == sizeof r->bytes)
		flush_bytes(r);
	r->bytes[r->nbytes++] = c;
}

/* A character by its code point (\uN, \emdash...). */
static void
put_char(struct rtf *r, uint32_t c)
{
	char u[4];
	size_t n;

	if (r->over > 0 || r->g[r->depth].skip || r->err != PS_OK)
		return;
	if (c < 0x80) {
		put_byte(r, (unsigned char)c);
		return;
	}
	flush_bytes(r);
	n = ps_ole_utf8(c, u);
	if (r->err == PS_OK)
		r->err = ps_sink_text(r->sink, u, n);
}

/* Control words that start a destination whose text is not document
 * text (tables, pictures, objects' data, metadata, field codes). */
static bool
skipped_destination(const char *w)
{
	static const char *const names[] = { "fonttbl", "colortbl", "stylesheet",
		"pict", "objdata", "themedata", "colorschememapping", "datastore",
		"latentstyles", "listtable", "listoverridetable", "revtbl",
		"rsidtbl", "info", "xmlnstbl", "generator", "filetbl", "fldinst",
		"nonshppict", "mmathPr", "pgdsctbl", "protusertbl", "userprops",
		"bkmkstart", "bkmkend", "template", "docvar", "xform" };

	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(w, names[i]) == 0)
			return true;
	return false;
}

static void
unicode(struct rtf *r, long long n)
{
	uint32_t c = (uint32_t)(n < 0 ? n + 65536 : n) & 0xFFFF;

	if (c >= 0xD800 && c < 0xDC00) {
		r->high = c;
	} else if (c >= 0xDC00 && c < 0xE000 && r->high != 0) {
		put_char(r, 0x10000 + ((r->high - 0xD800) << 10) + (c - 0xDC00));
		r->high = 0;
	} else {
		r->high = 0;
		put_char(r, c);
	}
	r->skip_chars = r->g[r->depth].uc;
}

static bool
is_alpha(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* A control word (or symbol, wlen 1 and not a letter) has been read. */
static void
control(struct rtf *r)
{
	const char *w = r->word;
	struct group *g = &r->g[r->depth];

	if (r->wlen == 1 && !is_alpha((unsigned char)w[0])) {
		/* Control symbols. */
		switch (w[0]) {
		case '*':
			/* An optional destination: none of them is text. */
			g->skip = true;
			return;
		case '\\': case '{': case '}':
			put_byte(r, (unsigned char)w[0]);
			return;
		case '~':
			put_byte(r, ' ');
			return;
		case '_':
			put_byte(r, '-');
			return;
		case '\n': case '\r':
			put_byte(r, '\n');
			return;
		default:
			/* \- (optional hyphen), \: \| and unknown ones. */
			if (r->skip_chars > 0)
				r->skip_chars--;
			return;
		}
	}
	if (strcmp(w, "bin") == 0) {
		/* Binary data, never text, whatever the group. */
		if (r->has_param && r->param > 0) {
			r->bin_left = (uint64_t)r->param;
			r->state = S_BIN;
		}
		return;
	}
	if (strcmp(w, "u") == 0 && r->has_param) {
		unicode(r, r->param);
		return;
	}
	if (r->skip_chars > 0) {
		/* A control word counts as one fallback character. */
		r->skip_chars--;
		return;
	}
	if (skipped_destination(w)) {
		g->skip = true;
		return;
	}
	if (strcmp(w, "uc") == 0) {
		g->uc = (unsigned char)(r->param < 0 ? 0
		    : r->param > UC_MAX ? UC_MAX : r->param);
	} else if (strcmp(w, "par") == 0 || strcmp(w, "line") == 0
	    || strcmp(w, "sect") == 0 || strcmp(w, "page") == 0
	    || strcmp(w, "row") == 0) {
		put_byte(r, '\n');
	} else if (strcmp(w, "tab") == 0 || strcmp(w, "cell") == 0) {
		put_byte(r, '\t');
	} else if (strcmp(w, "ansicpg") == 0) {
		/* The code page holds from the first text on. */
		if (r->dec == NULL && r->nbytes == 0 && r->has_param && r->param > 0
		    && r->param < 100000)
			r->codepage = (unsigned)r->param;
	} else if (strcmp(w, "mac") == 0 && r->dec == NULL) {
		r->codepage = 10000;
	} else if (strcmp(w, "pc") == 0 && r->dec == NULL) {
		r->codepage = 437;
	} else if (strcmp(w, "pca") == 0 && r->dec == NULL) {
		r->codepage = 850;
	} else if (strcmp(w, "emdash") == 0) {
		put_char(r, 0x2014);
	} else if (strcmp(w, "endash") == 0) {
		put_char(r, 0x2013);
	} else if (strcmp(w, "lquote") == 0) {
		put_char(r, 0x2018);
	} else if (strcmp(w, "rquote") == 0) {
		put_char(r, 0x2019);
	} else if (strcmp(w, "ldblquote") == 0) {
		put_char(r, 0x201C);
	} else if (strcmp(w, "rdblquote") == 0) {
		put_char(r, 0x201D);
	} else if (strcmp(w, "bullet") == 0) {
		put_char(r, 0x2022);
	} else if (strcmp(w, "emspace") == 0 || strcmp(w, "enspace") == 0
	    || strcmp(w, "qmspace") == 0) {
		put_byte(r, ' ');
	}
}

static void
open_group(struct rtf *r)
{
	r->skip_chars = 0;
	if (r->over > 0 || r->depth + 1 == PS_RTF_MAX_DEPTH) {
		r->over++;
		*r->limit = "limit: rtf nesting";
		return;
	}
	r->g[r->depth + 1] = r->g[r->depth];
	r->depth++;
}

static void
close_group(struct rtf *r)
{
	r->skip_chars = 0;
	if (r->over > 0)
		r->over--;
	else if (r->depth > 0)
		r->depth--;
}

static int
hex_value(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static void
text_byte(struct rtf *r, unsigned char c)
{
	switch (c) {
	case '\\':
		r->state = S_ESCAPE;
		return;
	case '{':
		open_group(r);
		return;
	case '}':
		close_group(r);
		return;
	case '\r': case '\n':
		/* Line ends in RTF source are not text. */
		return;
	default:
		if (c < 0x20 && c != '\t')
			return;
		put_byte(r, c);
	}
}

/* Feed len bytes; the state carries over to the next call. */
static void
feed(struct rtf *r, const unsigned char *p, size_t len)
{
	for (size_t i = 0; i < len && r->err == PS_OK; i++) {
		unsigned char c = p[i];

		switch (r->state) {
		case S_TEXT:
			text_byte(r, c);
			break;
		case S_ESCAPE:
			if (is_alpha(c)) {
				r->word[0] = (char)c;
				r->wlen = 1;
				r->neg = r->has_param = false;
				r->param = 0;
				r->pdigits = 0;
				r->state = S_WORD;
			} else if (c == '\'') {
				r->hex = r->hexn = 0;
				r->state = S_HEX;
			} else {
				r->word[0] = (char)c;
				r->word[1] = '\0';
				r->wlen = 1;
				r->has_param = false;
				r->state = S_TEXT;
				control(r);
			}
			break;
		case S_WORD:
			if (is_alpha(c)) {
				/* Longer words are no word we know: kept cut. */
				if (r->wlen < WORD_MAX)
					r->word[r->wlen++] = (char)c;
				break;
			}
			r->word[r->wlen] = '\0';
			if (c == '-' || (c >= '0' && c <= '9')) {
				r->neg = c == '-';
				r->param = c == '-' ? 0 : c - '0';
				r->pdigits = c == '-' ? 0 : 1;
				r->has_param = c != '-';
				r->state = S_PARAM;
				break;
			}
			r->state = S_TEXT;
			control(r);
			/* A space ends the word and is part of it; anything
			 * else is read again as what it is. */
			if (c != ' ' && r->state == S_TEXT)
				text_byte(r, c);
			break;
		case S_PARAM:
			if (c >= '0' && c <= '9') {
				if (r->pdigits++ < PARAM_DIGITS)
					r->param = r->param * 10 + (c - '0');
				r->has_param = true;
				break;
			}
			if (r->neg)
				r->param = -r->param;
			r->state = S_TEXT;
			control(r);
			if (c != ' ' && r->state == S_TEXT)
				text_byte(r, c);
			else if (c != ' ' && r->state == S_BIN && r->bin_left > 0)
				/* The byte after \binN is its first data byte. */
				r->bin_left--;
			if (r->state == S_BIN && r->bin_left == 0)
				r->state = S_TEXT;
			break;
		case S_HEX: {
			int v = hex_value(c);

			if (v < 0) {
				/* A cut \'h: drop it, read c as text. */
				r->state = S_TEXT;
				text_byte(r, c);
				break;
			}
			r->hex = r->hex << 4 | (unsigned)v;
			if (++r->hexn == 2) {
				r->state = S_TEXT;
				put_byte(r, (unsigned char)r->hex);
			}
			break;
		}
		case S_BIN: {
			uint64_t n = len - i;

			if (r->bin_left == 0) {
				r->state = S_TEXT;
				text_byte(r, c);
				break;
			}
			if (n > r->bin_left)
				n = r->bin_left;
			r->bin_left -= n;
			i += (size_t)n - 1;
			if (r->bin_left == 0)
				r->state = S_TEXT;
			break;
		}
		}
	}
}

/* The end of the input: a word in progress ends, held text goes out. */
static void
finish(struct rtf *r)
{
	if (r->state == S_WORD || r->state == S_PARAM) {
		r->word[r->wlen] = '\0';
		if (r->state == S_PARAM && r->neg)
			r->param = -r->param;
		r->state = S_TEXT;
		control(r);
	}
	flush_bytes(r);
	if (r->dec != NULL && r->err == PS_OK)
		r->err = ps_decoder_finish(r->dec, to_sink, r->sink);
}

static struct rtf *
rtf_new(struct ps_sink *sink, const char **limit)
{
	struct rtf *r = calloc(1, sizeof *r);

	if (r == NULL)
		return NULL;
	r->sink = sink;
	r->limit = limit;
	r->g[0].uc = 1;
	r->codepage = 1252;
	return r;
}

static void
rtf_free(struct rtf *r)
{
	if (r == NULL)
		return;
	ps_decoder_free(r->dec);
	ps_wipe(r, sizeof *r);
	free(r);
}

enum ps_error
ps_rtf_to_sink(struct ps_sink *sink, const unsigned char *rtf, size_t len,
    const char **limit)
{
	struct ps_unit unit = { .first_line = 1 };
	struct rtf *r = rtf_new(sink, limit);
	enum ps_error err, end;

	if (r == NULL)
		return PS_ERR_NOMEM;
	if ((err = ps_sink_begin(sink, &unit)) == PS_OK) {
		feed(r, rtf, len);
		finish(r);
		err = r->err;
		end = ps_sink_end(sink);
		if (err == PS_OK)
			err = end;
	}
	rtf_free(r);
	return err;
}

enum ps_error
ps_rtf_text(struct ps_extract *x, const unsigned char *rtf, size_t len)
{
	const char *limit = NULL;
	enum ps_error err = ps_rtf_to_sink(x->sink, rtf, len, &limit);

	if (limit != NULL)
		ps_extract_partial(x, "%s", limit);
	return err;
}

/* An .rtf file: read in chunks through the same reader. */
enum ps_error
ps_extract_rtf(struct ps_extract *x)
{
	struct ps_unit unit = { .first_line = 1 };
	const char *limit = NULL;
	struct rtf *r = rtf_new(x->sink, &limit);
	enum ps_error err, end;
	ssize_t n = 0;

	if (r == NULL)
		return PS_ERR_NOMEM;
	if ((err = ps_sink_begin(x->sink, &unit)) != PS_OK)
		goto done;
	while (r->err == PS_OK && (n = ps_input_read(x->in, x->buf, PS_READ_CHUNK)) > 0)
		feed(r, x->buf, (size_t)n);
	if (r->err == PS_OK && n < 0) {
		snprintf(x->reason, sizeof x->reason, "read: %s", strerror(x->in->error));
		err = PS_ERR_IO;
	}
	/* What was read is text even when reading failed. */
	if (r->err != PS_ERR_NOMEM && r->err != PS_ERR_STOP)
		finish(r);
	if (err == PS_OK)
		err = r->err;
	end = ps_sink_end(x->sink);
	if (err == PS_OK)
		err = end;
	if (limit != NULL)
		ps_extract_partial(x, "%s", limit);
done:
	rtf_free(r);
	return err;
}

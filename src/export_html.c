/*
 * export_html.c - `export --format html`: one self-contained page for a
 * reader who is not technical.  What was scanned, when, by whom and with
 * which rules; the headline numbers; three inline SVG bar charts; the
 * files not fully examined; the files holding findings in a table that an
 * inline script sorts (the page reads the same without it).
 *
 * Nothing on the page is fetched: no external script, style, font, image
 * or link, and a Content-Security-Policy that forbids them.  Every text
 * from the inventory is HTML-escaped; bytes that are not valid UTF-8 (and
 * controls, backslashes and bidirectional controls, which could disguise a
 * path) are shown as \xNN, the convention of the terminal commands.  Only
 * counts and paths are shown: no masked value, no hash, no raw value.
 *
 * Memory is bounded: the rows kept for the tables and the directories
 * counted for the chart are capped, and what is left out is said.  Main
 * thread.
 */
#include "config.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "export.h"
#include "json.h"

#define HTML_MAX_TYPES      16      /* finding types in charts and columns */
#define HTML_MAX_FILE_ROWS  10000   /* files with findings in the table */
#define HTML_MAX_COVERAGE   1000    /* files not fully examined, listed */
#define HTML_MAX_REASONS    200     /* distinct (status, reason) rows */
#define HTML_MAX_DIRS       50000   /* directories counted for the chart */
#define HTML_TOP_DIRS       10
#define HTML_TOP_LISTS      10      /* owners, file types */
#define HTML_MAX_YEARS      200
#define HTML_YEAR_GAPS      60      /* fill missing years up to this span */
#define HTML_DIR_LABEL      90      /* characters of a chart label */

/* Words for the types a reader meets; other types show their id. */
static const struct {
	const char *id, *label, *column, *distinct;
} type_words[] = {
	{ "card", "Payment card numbers", "Cards", "different payment cards" },
	{ "hkid", "HKID numbers", "HKIDs", "different HKID numbers (people)" },
};

static const struct {
	const char *status, *words;
} status_words[] = {
	{ "partial", "Partly examined" },
	{ "error", "Could not be read" },
	{ "skipped", "Not examined" },
};

/* Confidence colours, by enum ps_confidence. */
static const char *const conf_colour[] = { "#888", "#f2c14e", "#e8772e", "#b42318" };
#define BAR_COLOUR "#2f6db5"

struct type_stat {
	char id[PS_TYPE_ID_MAX];
	int64_t by_conf[4];         /* indexed by enum ps_confidence */
	int64_t total, distinct;
};

struct reason {
	char status[16];
	char *reason;
	int64_t files;
};

struct year_count {
	int year;
	bool unknown;
	int64_t files;
};

struct dir_slot {
	unsigned char *dir;         /* NULL: free slot */
	size_t len;
	uint64_t hash;
	int64_t findings;
};

/* A file holding findings, as the table shows it. */
struct file_stat {
	unsigned char *path;
	size_t path_len;
	char *owner, *ftype;
	int64_t mtime;
	int64_t counts[HTML_MAX_TYPES + 1];  /* by type index; last: others */
	int64_t total;
	int max_conf;
	unsigned reviews;           /* bits of review_names */
};

/* A file not fully examined. */
struct coverage_row {
	unsigned char *path;
	size_t path_len;
	char status[16];
	char *error, *ftype;
	int64_t size;
};

static const char *const review_names[] = {
	"false-positive", "test-data", "confirmed", "remediated",
};

struct page {
	struct ps_export *x;
	FILE *out;
	bool nomem;

	int64_t st_ok, st_partial, st_skipped, st_error, st_gone;
	struct reason *reasons;
	size_t nreasons;
	int64_t reasons_more;

	struct type_stat types[HTML_MAX_TYPES];
	size_t ntypes;
	bool types_more;            /* more types than columns: "other" */
	int64_t findings_shown, reviewed_out;

	struct year_count years[HTML_MAX_YEARS];
	size_t nyears;

	int64_t files_with_findings;
	struct dir_slot *dirs;
	size_t dirs_cap, dirs_used;
	int64_t dirs_uncounted;     /* findings in directories past the cap */

	struct file_stat *files;
	size_t nfiles;
	bool any_review;

	struct coverage_row *coverage;
	size_t ncoverage;
	int64_t coverage_more;
};

/* --- text ----------------------------------------------------------------- */

/* Characters shown as their bytes: controls, backslash (so that \xNN is
 * unambiguous), C1 controls, and the bidirectional controls that can make
 * a path read as another. */
static bool
shown_as_bytes(const unsigned char *p, size_t n)
{
	if (n == 1)
		return p[0] < 0x20 || p[0] == 0x7f || p[0] == '\\';
	if (n == 2)
		return p[0] == 0xc2 && p[1] < 0xa0;
	if (n == 3 && p[0] == 0xe2 && p[1] == 0x80)
		return p[2] == 0x8e || p[2] == 0x8f || (p[2] >= 0xaa && p[2] <= 0xae);
	if (n == 3 && p[0] == 0xe2 && p[1] == 0x81)
		return p[2] >= 0xa6 && p[2] <= 0xa9;
	return false;
}

/* Write one character of bytes (HTML-escaped) and return its length. */
static size_t
put_unit(FILE *out, const unsigned char *p, size_t len)
{
	size_t n = ps_utf8_char_len(p, len);

	if (n == 0 || shown_as_bytes(p, n)) {
		if (n == 0)
			n = 1;
		for (size_t i = 0; i < n; i++)
			fprintf(out, "\\x%02x", p[i]);
		return n;
	}
	switch (p[0]) {
	case '&':  fputs("&amp;", out); break;
	case '<':  fputs("&lt;", out); break;
	case '>':  fputs("&gt;", out); break;
	case '"':  fputs("&quot;", out); break;
	case '\'': fputs("&#39;", out); break;
	default:   fwrite(p, 1, n, out); break;
	}
	return n;
}

/* Any bytes as HTML text (or attribute value). */
static void
put_html(FILE *out, const void *bytes, size_t len)
{
	const unsigned char *p = bytes;

	for (size_t i = 0; i < len;)
		i += put_unit(out, p + i, len - i);
}

static void
put_text(FILE *out, const char *s)
{
	put_html(out, s, strlen(s));
}

/* The end of bytes, at most max characters, "…" in front when cut (for
 * chart labels, where the end of a path says the most). */
static void
put_tail(FILE *out, const void *bytes, size_t len, size_t max)
{
	const unsigned char *p = bytes;
	size_t chars = 0, skip, i = 0;

	for (size_t j = 0; j < len; chars++) {
		size_t n = ps_utf8_char_len(p + j, len - j);

		j += n == 0 ? 1 : n;
	}
	if (chars > max) {
		fputs("\xe2\x80\xa6", out);
		for (skip = chars - (max - 1); skip > 0; skip--) {
			size_t n = ps_utf8_char_len(p + i, len - i);

			i += n == 0 ? 1 : n;
		}
	}
	put_html(out, p + i, len - i);
}

/* 1234567 -> "1,234,567" */
static const char *
fmt_count(char *buf, size_t cap, int64_t v)
{
	char digits[32];
	size_t n, o = 0;
	int len = snprintf(digits, sizeof digits, "%lld", (long long)(v < 0 ? -v : v));

	n = len > 0 ? (size_t)len : 0;
	if (v < 0 && o + 1 < cap)
		buf[o++] = '-';
	for (size_t i = 0; i < n && o + 1 < cap; i++) {
		if (i > 0 && (n - i) % 3 == 0 && o + 2 < cap)
			buf[o++] = ',';
		buf[o++] = digits[i];
	}
	buf[o] = '\0';
	return buf;
}

static void
put_count(FILE *out, int64_t v)
{
	char buf[40];

	fputs(fmt_count(buf, sizeof buf, v), out);
}

/* "2026-11-28 09:00:00 UTC", or "-" when unset. */
static const char *
fmt_time(char *buf, size_t cap, int64_t t)
{
	char iso[32];

	if (t == 0) {
		snprintf(buf, cap, "-");
		return buf;
	}
	ps_time_iso(t, iso, sizeof iso);
	if (strlen(iso) == 20 && iso[10] == 'T')
		snprintf(buf, cap, "%.10s %.8s UTC", iso, iso + 11);
	else
		snprintf(buf, cap, "%s", iso);
	return buf;
}

/* "2026-11-28", or "" when unset. */
static const char *
fmt_date(char *buf, size_t cap, int64_t t)
{
	char iso[32];

	if (t == 0) {
		snprintf(buf, cap, "%s", "");
		return buf;
	}
	ps_time_iso(t, iso, sizeof iso);
	snprintf(buf, cap, "%.10s", iso);
	return buf;
}

static const char *
fmt_bytes(char *buf, size_t cap, int64_t b)
{
	static const char *const units[] = { "kB", "MB", "GB", "TB", "PB" };
	double v = (double)b;
	size_t u = 0;

	if (b < 1000) {
		snprintf(buf, cap, "%lld bytes", (long long)b);
		return buf;
	}
	for (v /= 1000; v >= 1000 && u + 1 < sizeof units / sizeof units[0]; u++)
		v /= 1000;
	snprintf(buf, cap, "%.1f %s", v, units[u]);
	return buf;
}

static const char *
fmt_duration(char *buf, size_t cap, int64_t s)
{
	if (s < 60)
		snprintf(buf, cap, "%lld s", (long long)s);
	else if (s < 3600)
		snprintf(buf, cap, "%lld min %lld s", (long long)(s / 60),
		    (long long)(s % 60));
	else
		snprintf(buf, cap, "%lld h %lld min", (long long)(s / 3600),
		    (long long)(s % 3600 / 60));
	return buf;
}

static const char *
type_label(const char *id)
{
	for (size_t i = 0; i < sizeof type_words / sizeof type_words[0]; i++)
		if (strcmp(type_words[i].id, id) == 0)
			return type_words[i].label;
	return id;
}

static const char *
type_column(const char *id)
{
	for (size_t i = 0; i < sizeof type_words / sizeof type_words[0]; i++)
		if (strcmp(type_words[i].id, id) == 0)
			return type_words[i].column;
	return id;
}

static const char *
status_label(const char *status)
{
	for (size_t i = 0; i < sizeof status_words / sizeof status_words[0]; i++)
		if (strcmp(status_words[i].status, status) == 0)
			return status_words[i].words;
	return status;
}

static bool
incomplete_status(const char *status)
{
	return strcmp(status, "ok") != 0 && strcmp(status, "gone") != 0;
}

/* --- decoding the JSON the scan row holds ---------------------------------- */

static size_t
utf8_put(unsigned char *o, uint32_t cp)
{
	if (cp < 0x80) {
		o[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (unsigned char)(0xc0 | cp >> 6);
		o[1] = (unsigned char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (unsigned char)(0xe0 | cp >> 12);
		o[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
		o[2] = (unsigned char)(0x80 | (cp & 0x3f));
		return 3;
	}
	o[0] = (unsigned char)(0xf0 | cp >> 18);
	o[1] = (unsigned char)(0x80 | (cp >> 12 & 0x3f));
	o[2] = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
	o[3] = (unsigned char)(0x80 | (cp & 0x3f));
	return 4;
}

static bool
hex4(const char *s, uint32_t *v)
{
	*v = 0;
	for (int i = 0; i < 4; i++) {
		char c = s[i];
		int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
		    : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;

		if (d < 0)
			return false;
		*v = *v << 4 | (uint32_t)d;
	}
	return true;
}

/*
 * Decode the JSON string at *sp (at its opening quote) into buf, which
 * holds at least as many bytes as the text: no escape decodes longer than
 * it is written.  \udc80-\udcff give back the byte they stand for (see
 * json.h).  Advances *sp past the closing quote; false when malformed.
 */
static bool
json_string(const char **sp, unsigned char *buf, size_t *len)
{
	const char *s = *sp;
	size_t o = 0;

	if (*s++ != '"')
		return false;
	while (*s != '"') {
		uint32_t cp, lo;

		if (*s == '\0')
			return false;
		if (*s != '\\') {
			buf[o++] = (unsigned char)*s++;
			continue;
		}
		s++;
		switch (*s) {
		case '"': case '\\': case '/': buf[o++] = (unsigned char)*s; break;
		case 'b': buf[o++] = '\b'; break;
		case 'f': buf[o++] = '\f'; break;
		case 'n': buf[o++] = '\n'; break;
		case 'r': buf[o++] = '\r'; break;
		case 't': buf[o++] = '\t'; break;
		case 'u':
			if (!hex4(s + 1, &cp))
				return false;
			s += 4;
			if (cp >= 0xdc80 && cp <= 0xdcff) {
				buf[o++] = (unsigned char)(cp - 0xdc00);
				break;
			}
			if (cp >= 0xd800 && cp <= 0xdbff && s[1] == '\\' && s[2] == 'u'
			    && hex4(s + 3, &lo) && lo >= 0xdc00 && lo <= 0xdfff) {
				cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
				s += 6;
			} else if (cp >= 0xd800 && cp <= 0xdfff) {
				cp = 0xfffd;
			}
			o += utf8_put(buf + o, cp);
			break;
		default:
			return false;
		}
		s++;
	}
	*sp = s + 1;
	*len = o;
	return true;
}

/* The roots (a JSON array of strings) as a list; the JSON text as it is
 * when it cannot be read. */
static void
put_roots(FILE *out, const char *roots)
{
	size_t cap = strlen(roots) + 1, len, shown = 0;
	unsigned char *buf = NULL;
	const char *s = roots;

	if (*s++ != '[' || (buf = malloc(cap)) == NULL) {
		fputs("<code>", out);
		put_text(out, roots);
		fputs("</code>", out);
		goto done;
	}
	fputs("<ul class=\"roots\">", out);
	for (;;) {
		while (*s == ' ' || *s == ',')
			s++;
		if (*s == ']' || *s == '\0' || !json_string(&s, buf, &len))
			break;
		if (shown++ < 100) {
			fputs("<li><code>", out);
			put_html(out, buf, len);
			fputs("</code></li>", out);
		}
	}
	if (shown > 100)
		fprintf(out, "<li>and %zu more</li>", shown - 100);
	fputs("</ul>", out);
done:
	free(buf);
}

/* A JSON object with one member a line, HTML-escaped. */
static void
put_json_pretty(FILE *out, const char *json)
{
	const unsigned char *p = (const unsigned char *)json;
	size_t len = strlen(json);
	bool in_str = false, esc = false;
	int depth = 0;

	for (size_t i = 0; i < len;) {
		unsigned char c = p[i];

		if (in_str) {
			if (esc)
				esc = false;
			else if (c == '\\')
				esc = true;
			else if (c == '"')
				in_str = false;
			i += put_unit(out, p + i, len - i);
			continue;
		}
		if (c == '"')
			in_str = true;
		if (c == '}' || c == ']') {
			if (--depth == 0)
				fputs("\n", out);
		}
		i += put_unit(out, p + i, len - i);
		if (c == '{' || c == '[') {
			if (depth++ == 0)
				fputs("\n  ", out);
		} else if (c == ',' && depth == 1) {
			fputs("\n  ", out);
		} else if (c == ':' && depth == 1) {
			fputs(" ", out);
		}
	}
}

/* --- collecting ------------------------------------------------------------- */

static int
collect_status(void *ctx, const struct ps_agg_row *row)
{
	struct page *pg = ctx;
	struct reason *r;

	if (strcmp(row->a, "ok") == 0)
		pg->st_ok += row->count;
	else if (strcmp(row->a, "partial") == 0)
		pg->st_partial += row->count;
	else if (strcmp(row->a, "skipped") == 0)
		pg->st_skipped += row->count;
	else if (strcmp(row->a, "gone") == 0)
		pg->st_gone += row->count;
	else
		pg->st_error += row->count;
	if (!incomplete_status(row->a))
		return 0;
	if (pg->nreasons == HTML_MAX_REASONS) {
		pg->reasons_more += row->count;
		return 0;
	}
	if (pg->reasons == NULL
	    && (pg->reasons = calloc(HTML_MAX_REASONS, sizeof *pg->reasons)) == NULL) {
		pg->nomem = true;
		return 1;
	}
	r = &pg->reasons[pg->nreasons];
	snprintf(r->status, sizeof r->status, "%s", row->a);
	if ((r->reason = strdup(row->b)) == NULL) {
		pg->nomem = true;
		return 1;
	}
	r->files = row->count;
	pg->nreasons++;
	return 0;
}

/* The index of a type in pg->types; HTML_MAX_TYPES ("other") when the
 * table is full. */
static size_t
type_index(struct page *pg, const char *id)
{
	for (size_t i = 0; i < pg->ntypes; i++)
		if (strcmp(pg->types[i].id, id) == 0)
			return i;
	if (pg->ntypes == HTML_MAX_TYPES) {
		pg->types_more = true;
		return HTML_MAX_TYPES;
	}
	snprintf(pg->types[pg->ntypes].id, sizeof pg->types[0].id, "%s", id);
	return pg->ntypes++;
}

static int
collect_type(void *ctx, const struct ps_agg_row *row)
{
	struct page *pg = ctx;
	size_t i = type_index(pg, row->a);
	enum ps_confidence c = ps_confidence_parse(row->b);

	if (i < HTML_MAX_TYPES && c != 0) {
		pg->types[i].by_conf[c] += row->count;
		pg->types[i].total += row->count;
	}
	return 0;
}

static int
collect_distinct(void *ctx, const struct ps_agg_row *row)
{
	struct page *pg = ctx;
	size_t i = type_index(pg, row->a);

	if (i < HTML_MAX_TYPES)
		pg->types[i].distinct = row->count;
	return 0;
}

static int
collect_count(void *ctx, const struct ps_agg_row *row)
{
	struct page *pg = ctx;

	pg->reviewed_out = strtoll(row->a, NULL, 10);
	pg->findings_shown = row->count;
	return 0;
}

static int
collect_year(void *ctx, const struct ps_agg_row *row)
{
	struct page *pg = ctx;
	struct year_count *y;
	char *end;
	long v = strtol(row->a, &end, 10);

	if (pg->nyears == HTML_MAX_YEARS)
		return 1;
	y = &pg->years[pg->nyears++];
	y->unknown = row->a[0] == '\0' || *end != '\0';
	y->year = y->unknown ? 0 : (int)v;
	y->files = row->count;
	return 0;
}

static uint64_t
hash_bytes(const unsigned char *p, size_t len)
{
	uint64_t h = 14695981039346656037ULL;

	for (size_t i = 0; i < len; i++)
		h = (h ^ p[i]) * 1099511628211ULL;
	return h;
}

/* The slot of dir in the table, or of the free slot where it goes. */
static struct dir_slot *
dir_find(struct dir_slot *slots, size_t cap, const unsigned char *dir,
    size_t len, uint64_t h)
{
	for (size_t i = h & (cap - 1);; i = (i + 1) & (cap - 1)) {
		struct dir_slot *s = &slots[i];

		if (s->dir == NULL || (s->hash == h && s->len == len
		    && memcmp(s->dir, dir, len) == 0))
			return s;
	}
}

static bool
dirs_grow(struct page *pg)
{
	size_t cap = pg->dirs_cap == 0 ? 1024 : pg->dirs_cap * 2;
	struct dir_slot *slots = calloc(cap, sizeof *slots);

	if (slots == NULL)
		return false;
	for (size_t i = 0; i < pg->dirs_cap; i++)
		if (pg->dirs[i].dir != NULL)
			*dir_find(slots, cap, pg->dirs[i].dir, pg->dirs[i].len,
			    pg->dirs[i].hash) = pg->dirs[i];
	free(pg->dirs);
	pg->dirs = slots;
	pg->dirs_cap = cap;
	return true;
}

/* Findings per file: counted into the file's directory (its parent). */
static int
collect_dir(void *ctx, const struct ps_agg_row *row)
{
	struct page *pg = ctx;
	const unsigned char *dir = row->blob;
	size_t len = 0;
	uint64_t h;
	struct dir_slot *s;

	pg->files_with_findings++;
	for (size_t i = 0; i < row->blob_len; i++)
		if (row->blob[i] == '/')
			len = i;
	if (len == 0) {
		dir = (const unsigned char *)"/";
		len = 1;
	}
	if (pg->dirs_used * 2 >= pg->dirs_cap && pg->dirs_used < HTML_MAX_DIRS
	    && !dirs_grow(pg)) {
		pg->nomem = true;
		return 1;
	}
	h = hash_bytes(dir, len);
	s = dir_find(pg->dirs, pg->dirs_cap, dir, len, h);
	if (s->dir == NULL) {
		if (pg->dirs_used >= HTML_MAX_DIRS) {
			pg->dirs_uncounted += row->count;
			return 0;
		}
		if ((s->dir = malloc(len)) == NULL) {
			pg->nomem = true;
			return 1;
		}
		memcpy(s->dir, dir, len);
		s->len = len;
		s->hash = h;
		pg->dirs_used++;
	}
	s->findings += row->count;
	return 0;
}

static int
path_cmp(const unsigned char *a, size_t alen, const unsigned char *b, size_t blen)
{
	int c = memcmp(a, b, alen < blen ? alen : blen);

	if (c != 0)
		return c;
	return alen < blen ? -1 : alen > blen ? 1 : 0;
}

static int
file_stat_cmp(const void *a, const void *b)
{
	const struct file_stat *x = a, *y = b;

	return path_cmp(x->path, x->path_len, y->path, y->path_len);
}

/* Findings, by path: one table row per file, the first HTML_MAX_FILE_ROWS
 * files; then stop. */
static int
collect_finding(void *ctx, const struct ps_finding_row *row)
{
	struct page *pg = ctx;
	struct file_stat *f = pg->nfiles > 0 ? &pg->files[pg->nfiles - 1] : NULL;
	size_t t;

	if (f == NULL || path_cmp(f->path, f->path_len, row->path, row->path_len) != 0) {
		if (pg->nfiles == HTML_MAX_FILE_ROWS)
			return 1;
		if (pg->files == NULL && (pg->files = calloc(HTML_MAX_FILE_ROWS,
			 sizeof *pg->files)) == NULL) {
			pg->nomem = true;
			return 1;
		}
		f = &pg->files[pg->nfiles++];
		f->path = malloc(row->path_len > 0 ? row->path_len : 1);
		f->owner = strdup(row->owner);
		if (f->path == NULL || f->owner == NULL) {
			pg->nomem = true;
			return 1;
		}
		memcpy(f->path, row->path, row->path_len);
		f->path_len = row->path_len;
		f->mtime = row->mtime;
	}
	t = type_index(pg, row->type);
	f->counts[t]++;
	f->total++;
	if ((int)row->confidence > f->max_conf)
		f->max_conf = (int)row->confidence;
	for (size_t i = 0; i < sizeof review_names / sizeof review_names[0]; i++)
		if (strcmp(row->review, review_names[i]) == 0) {
			f->reviews |= 1u << i;
			pg->any_review = true;
		}
	return 0;
}

/* Files: the type of those in the table, and those not fully examined. */
static int
collect_file(void *ctx, const struct ps_file_row *row)
{
	struct page *pg = ctx;
	struct file_stat key, *f;
	struct coverage_row *c;

	key.path = (unsigned char *)(uintptr_t)row->path;
	key.path_len = row->path_len;
	if (pg->nfiles > 0 && (f = bsearch(&key, pg->files, pg->nfiles,
	    sizeof *pg->files, file_stat_cmp)) != NULL && f->ftype == NULL
	    && (f->ftype = strdup(row->type)) == NULL) {
		pg->nomem = true;
		return 1;
	}
	if (!incomplete_status(row->status))
		return 0;
	if (pg->ncoverage == HTML_MAX_COVERAGE) {
		pg->coverage_more++;
		return 0;
	}
	if (pg->coverage == NULL && (pg->coverage = calloc(HTML_MAX_COVERAGE,
		 sizeof *pg->coverage)) == NULL) {
		pg->nomem = true;
		return 1;
	}
	c = &pg->coverage[pg->ncoverage++];
	c->path = malloc(row->path_len > 0 ? row->path_len : 1);
	c->error = strdup(row->error);
	c->ftype = strdup(row->type);
	if (c->path == NULL || c->error == NULL || c->ftype == NULL) {
		pg->nomem = true;
		return 1;
	}
	memcpy(c->path, row->path, row->path_len);
	c->path_len = row->path_len;
	snprintf(c->status, sizeof c->status, "%s", row->status);
	c->size = row->size;
	return 0;
}

static enum ps_error
collect(struct page *pg)
{
	struct ps_inventory *inv = pg->x->inv;
	const struct ps_filter *f = &pg->x->filter;
	enum ps_error err;

	/* The types asked for, or the built-in ones, are counted even when
	 * none is found: "0 different HKID numbers" is an answer too. */
	if (f->type != NULL)
		type_index(pg, f->type);
	else
		for (size_t i = 0; i < sizeof type_words / sizeof type_words[0]; i++)
			type_index(pg, type_words[i].id);
	if ((err = ps_inventory_aggregate(inv, PS_Q_STATUS, f, collect_status, pg))
	    != PS_OK || pg->nomem
	    || (err = ps_inventory_aggregate(inv, PS_Q_BY_TYPE, f, collect_type, pg))
	    != PS_OK
	    || (err = ps_inventory_aggregate(inv, PS_Q_DISTINCT, f, collect_distinct,
		pg)) != PS_OK
	    || (err = ps_inventory_aggregate(inv, PS_Q_COUNT, f, collect_count, pg))
	    != PS_OK
	    || (err = ps_inventory_aggregate(inv, PS_Q_BY_YEAR, f, collect_year, pg))
	    != PS_OK
	    || (err = ps_inventory_aggregate(inv, PS_Q_FILE_COUNTS, f, collect_dir,
		pg)) != PS_OK || pg->nomem
	    || (err = ps_inventory_findings_each(inv, f, collect_finding, pg))
	    != PS_OK || pg->nomem)
		goto done;
	/* Findings come by path already; sort to be sure of bsearch. */
	if (pg->nfiles > 0)
		qsort(pg->files, pg->nfiles, sizeof *pg->files, file_stat_cmp);
	err = ps_inventory_files_each(inv, f, collect_file, pg);
done:
	if (err == PS_OK && pg->nomem)
		err = PS_ERR_NOMEM;
	return err;
}

static void
page_free(struct page *pg)
{
	for (size_t i = 0; i < pg->nreasons; i++)
		free(pg->reasons[i].reason);
	free(pg->reasons);
	for (size_t i = 0; i < pg->dirs_cap; i++)
		free(pg->dirs[i].dir);
	free(pg->dirs);
	for (size_t i = 0; i < pg->nfiles; i++) {
		free(pg->files[i].path);
		free(pg->files[i].owner);
		free(pg->files[i].ftype);
	}
	free(pg->files);
	for (size_t i = 0; i < pg->ncoverage; i++) {
		free(pg->coverage[i].path);
		free(pg->coverage[i].error);
		free(pg->coverage[i].ftype);
	}
	free(pg->coverage);
}

/* --- the page --------------------------------------------------------------- */

static const char style[] =
    ":root{--ink:#1d2630;--muted:#5b6775;--line:#d5dbe2;--soft:#f3f5f8;"
    "--accent:" BAR_COLOUR ";--warn:#fff4e0;--warn-line:#e8a23a}\n"
    "*{box-sizing:border-box}\n"
    "body{margin:0;color:var(--ink);background:#fff;font:15px/1.5 system-ui,"
    "\"Segoe UI\",Roboto,\"Helvetica Neue\",\"DejaVu Sans\",Arial,sans-serif}\n"
    "header,main,footer,nav{max-width:1100px;margin:0 auto;padding:0 24px}\n"
    "header{padding-top:24px;border-bottom:3px solid var(--accent)}\n"
    "h1{font-size:26px;margin:0 0 4px}\n"
    "h2{font-size:20px;margin:36px 0 8px;padding-bottom:4px;"
    "border-bottom:1px solid var(--line)}\n"
    "h3{font-size:16px;margin:24px 0 6px}\n"
    ".lead{color:var(--muted);margin:0 0 16px}\n"
    "nav{margin-top:10px;font-size:14px}\n"
    "a{color:var(--accent)}\n"
    "nav a{margin-right:16px;text-decoration:none}\n"
    ".note{color:var(--muted);font-size:14px}\n"
    ".warning{background:var(--warn);border-left:5px solid var(--warn-line);"
    "padding:10px 14px;margin:16px 0}\n"
    ".cards{display:flex;flex-wrap:wrap;gap:12px;margin:12px 0;padding:0;"
    "list-style:none}\n"
    ".cards li{flex:1 1 180px;border:1px solid var(--line);border-radius:8px;"
    "padding:12px 14px;background:var(--soft)}\n"
    ".cards .big{display:block;font-size:30px;font-weight:700;line-height:1.2}\n"
    ".cards .what{display:block;color:var(--muted);font-size:14px}\n"
    ".cards li.alert{background:var(--warn);border-color:var(--warn-line)}\n"
    ".charts{display:flex;flex-wrap:wrap;gap:24px}\n"
    "figure{margin:8px 0 0;flex:1 1 100%;min-width:0}\n"
    ".half{flex:1 1 320px;min-width:0}\n"
    "figcaption{font-weight:600;margin-bottom:6px}\n"
    "svg.chart{display:block;max-width:100%;height:auto}\n"
    "svg text{font-family:inherit;font-size:13px;fill:var(--ink)}\n"
    "svg text.in{fill:#fff;font-size:12px}\n"
    "svg text.small{font-size:12px;fill:var(--muted)}\n"
    "table{border-collapse:collapse;width:100%;font-size:14px;margin:8px 0}\n"
    "th,td{border-bottom:1px solid var(--line);padding:5px 8px;text-align:left;"
    "vertical-align:top}\n"
    "thead th{background:var(--soft);position:sticky;top:0}\n"
    "td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}\n"
    "td.path,td.path code{overflow-wrap:anywhere}\n"
    "code,pre{font-family:\"DejaVu Sans Mono\",Menlo,Consolas,monospace;"
    "font-size:13px}\n"
    "pre{background:var(--soft);padding:10px;overflow-x:auto;white-space:pre-wrap;"
    "overflow-wrap:anywhere}\n"
    "dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px}\n"
    "dl.facts dt{color:var(--muted)}\n"
    "dl.facts dd{margin:0;overflow-wrap:anywhere}\n"
    "ul.roots{margin:0;padding-left:18px}\n"
    ".conf{display:inline-block;padding:0 6px;border-radius:4px;font-size:13px}\n"
    ".conf-3{background:#fbe3e0;color:#8a1a12}\n"
    ".conf-2{background:#fdebd9;color:#8a4510}\n"
    ".conf-1{background:#fbf3d7;color:#6b5410}\n"
    ".swatch{display:inline-block;width:12px;height:12px;margin:0 4px 0 12px;"
    "vertical-align:-1px;border-radius:2px}\n"
    ".js-only{display:none}\n"
    ".js .js-only{display:block}\n"
    ".js #file-table thead th{cursor:pointer;user-select:none}\n"
    ".js #file-table thead th:hover{text-decoration:underline}\n"
    "th[aria-sort=ascending]::after{content:\" \\25B2\";font-size:10px}\n"
    "th[aria-sort=descending]::after{content:\" \\25BC\";font-size:10px}\n"
    "footer{margin-top:40px;padding-top:12px;padding-bottom:32px;"
    "border-top:1px solid var(--line);font-size:14px;color:var(--muted)}\n"
    "@media print{body{font-size:10pt}"
    "header,main,footer{max-width:none;padding:0}nav,.js-only{display:none}"
    "h2{break-after:avoid}figure,tr,.cards li{break-inside:avoid}"
    "thead th{position:static}"
    "*{-webkit-print-color-adjust:exact;print-color-adjust:exact}"
    "th[aria-sort]::after{content:none}}\n";

/*
 * Sorting the table of files by a click on a column heading (numbers
 * largest first, text A to Z; a second click reverses).  The page is
 * complete without it: the rows are already in path order.  #sort-N or
 * #sort-N-desc in the address opens the page sorted by column N.
 */
static const char script[] =
    "(function(){\n"
    "document.documentElement.className+=' js';\n"
    "var t=document.getElementById('file-table');\n"
    "if(!t||!t.tHead||!t.tBodies.length)return;\n"
    "var hs=t.tHead.rows[0].cells,body=t.tBodies[0];\n"
    "function isNum(h){return (' '+h.className+' ').indexOf(' n ')>=0;}\n"
    "function key(r,i,num){var c=r.cells[i],v=c.getAttribute('data-v');\n"
    " if(v===null)v=c.textContent;\n"
    " return num?(parseFloat(v.replace(/,/g,''))||0):v.toLowerCase();}\n"
    "function sortBy(i,desc){var h=hs[i],num=isNum(h),d=desc?-1:1;\n"
    " var k=Array.prototype.map.call(body.rows,function(r,n){return [key(r,i,num),n,r];});\n"
    " k.sort(function(a,b){return a[0]<b[0]?-d:a[0]>b[0]?d:a[1]-b[1];});\n"
    " var f=document.createDocumentFragment();\n"
    " k.forEach(function(e){f.appendChild(e[2]);});\n"
    " body.appendChild(f);\n"
    " for(var j=0;j<hs.length;j++)hs[j].removeAttribute('aria-sort');\n"
    " h.setAttribute('aria-sort',desc?'descending':'ascending');}\n"
    "Array.prototype.forEach.call(hs,function(h,i){\n"
    " h.tabIndex=0;\n"
    " function go(){var s=h.getAttribute('aria-sort');\n"
    "  sortBy(i,s?s==='ascending':isNum(h));}\n"
    " h.addEventListener('click',go);\n"
    " h.addEventListener('keydown',function(e){\n"
    "  if(e.key==='Enter'||e.key===' '){e.preventDefault();go();}});});\n"
    "var m=/^#sort-(\\d+)(-desc)?$/.exec(location.hash);\n"
    "if(m&&hs[+m[1]])sortBy(+m[1],!!m[2]);\n"
    "})();\n";

static void
put_head(struct page *pg)
{
	unsigned char digest[crypto_hash_sha256_BYTES];
	char b64[sodium_base64_ENCODED_LEN(crypto_hash_sha256_BYTES,
	    sodium_base64_VARIANT_ORIGINAL)];
	FILE *out = pg->out;

	/* The policy lets only this page's own style and script run: nothing
	 * can be fetched, even if a path slipped through unescaped. */
	crypto_hash_sha256(digest, (const unsigned char *)script, sizeof script - 1);
	sodium_bin2base64(b64, sizeof b64, digest, sizeof digest,
	    sodium_base64_VARIANT_ORIGINAL);
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n",
	    out);
	fprintf(out, "<meta http-equiv=\"Content-Security-Policy\" content=\""
	    "default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-%s'; "
	    "base-uri 'none'; form-action 'none'\">\n", b64);
	fprintf(out, "<meta name=\"generator\" content=\"piiscan %s\">\n",
	    PACKAGE_VERSION);
	fprintf(out, "<title>Personal data found: scan %lld</title>\n",
	    (long long)pg->x->scan->id);
	fprintf(out, "<style>\n%s</style>\n</head>\n<body>\n", style);
}

static const char *
conf_words(enum ps_confidence c)
{
	switch (c) {
	case PS_CONF_HIGH:   return "high confidence";
	case PS_CONF_MEDIUM: return "medium confidence and higher";
	default:             return "all confidence levels";
	}
}

static void
put_header(struct page *pg)
{
	const struct ps_scan_row *s = pg->x->scan;
	FILE *out = pg->out;
	char when[40];

	fputs("<header>\n<h1>Personal data found in scanned files</h1>\n", out);
	fprintf(out, "<p class=\"lead\">Scan %lld, ", (long long)s->id);
	if (s->finished != 0)
		fprintf(out, "finished %s", fmt_time(when, sizeof when, s->finished));
	else
		fprintf(out, "started %s", fmt_time(when, sizeof when, s->started));
	fputs(", run on ", out);
	put_text(out, s->host);
	fputs(" by ", out);
	put_text(out, s->user);
	fputs(". This page shows where numbers that look like personal data "
	    "were found, how many, and how sure the scanner is. It does not show "
	    "any of the numbers themselves.</p>\n</header>\n", out);
	fputs("<nav aria-label=\"Sections\"><a href=\"#summary\">Summary</a>"
	    "<a href=\"#charts\">Charts</a><a href=\"#coverage\">Not fully examined</a>"
	    "<a href=\"#files\">Files with findings</a>"
	    "<a href=\"#scan\">How the scan was made</a>"
	    "<a href=\"#verify\">Checking this file</a></nav>\n<main>\n", out);
	if (strcmp(s->status, "finished") != 0) {
		fputs("<p class=\"warning\"><strong>This scan did not finish</strong> "
		    "(its status is &quot;", out);
		put_text(out, s->status);
		fputs("&quot;). The numbers below cover only the files examined "
		    "before it stopped.</p>\n", out);
	}
}

/* One headline number; key names it for the tests and for readers of
 * the source (data-n). */
static void
put_card(FILE *out, const char *key, int64_t n, const char *what, bool alert)
{
	fprintf(out, "<li%s><span class=\"big\" data-n=\"%s\">", alert && n > 0
	    ? " class=\"alert\"" : "", key);
	put_count(out, n);
	fputs("</span><span class=\"what\">", out);
	fputs(what, out);
	fputs("</span></li>\n", out);
}

static void
put_filter_sentence(struct page *pg)
{
	const struct ps_filter *f = &pg->x->filter;
	FILE *out = pg->out;

	fprintf(out, "<p id=\"filter\">Shown: findings of <strong>%s</strong>",
	    conf_words(f->min_conf));
	if (f->type != NULL) {
		fputs(", of type <strong>", out);
		put_text(out, type_label(f->type));
		fputs("</strong> only", out);
	} else {
		fputs(", of every type", out);
	}
	if (f->path_prefix != NULL) {
		fputs(", in files under <code>", out);
		put_text(out, f->path_prefix);
		fputs("</code>", out);
	} else {
		fputs(", in every file scanned", out);
	}
	if (f->include_reviewed)
		fputs(". Findings that a reviewer marked as false positives or test "
		    "data are <strong>included</strong>.", out);
	else if (pg->reviewed_out > 0) {
		fputs(". Left out: <strong>", out);
		put_count(out, pg->reviewed_out);
		fprintf(out, "</strong> %s that a reviewer marked as false positive "
		    "or test data.", pg->reviewed_out == 1 ? "finding" : "findings");
	} else {
		fputs(". Findings that a reviewer marks as false positives or test "
		    "data are left out (there are none).", out);
	}
	fputs("</p>\n<p class=\"note\">Confidence: <em>high</em> means a valid "
	    "number with a word such as &quot;HKID&quot; or &quot;card number&quot; "
	    "next to it; <em>medium</em>, a valid number without such a word; "
	    "<em>low</em>, a weaker form that may be something else.</p>\n", out);
}

static void
put_summary(struct page *pg)
{
	FILE *out = pg->out;
	int64_t seen = pg->st_ok + pg->st_partial + pg->st_skipped + pg->st_error;
	int64_t incomplete = pg->st_partial + pg->st_skipped + pg->st_error;
	char what[160];

	fputs("<section id=\"summary\">\n<h2>Summary</h2>\n<ul class=\"cards\">\n", out);
	put_card(out, "files-seen", seen, "files seen", false);
	put_card(out, "files-with-findings", pg->files_with_findings,
	    "files holding findings", false);
	snprintf(what, sizeof what, "findings (%s)", conf_words(pg->x->filter.min_conf));
	put_card(out, "findings", pg->findings_shown, what, false);
	for (size_t i = 0; i < pg->ntypes; i++) {
		char key[PS_TYPE_ID_MAX + 16];
		const char *label = NULL;

		for (size_t w = 0; w < sizeof type_words / sizeof type_words[0]; w++)
			if (strcmp(type_words[w].id, pg->types[i].id) == 0)
				label = type_words[w].distinct;
		snprintf(key, sizeof key, "distinct-%s", pg->types[i].id);
		if (label == NULL) {
			fprintf(out, "<li><span class=\"big\" data-n=\"");
			put_text(out, key);
			fputs("\">", out);
			put_count(out, pg->types[i].distinct);
			fputs("</span><span class=\"what\">different values of type ", out);
			put_text(out, pg->types[i].id);
			fputs("</span></li>\n", out);
		} else {
			put_card(out, key, pg->types[i].distinct, label, false);
		}
	}
	put_card(out, "not-examined", incomplete,
	    "files not fully examined (<a href=\"#coverage\">why</a>)", true);
	fputs("</ul>\n", out);
	put_filter_sentence(pg);
	if (pg->st_gone > 0) {
		fputs("<p class=\"note\">", out);
		put_count(out, pg->st_gone);
		fputs(" files seen by earlier scans were not found by this one "
		    "(deleted or moved); they are not counted.</p>\n", out);
	}
	fputs("</section>\n", out);
}

/* --- charts ------------------------------------------------------------------ */

#define CHART_W 720

static void
svg_open(FILE *out, const char *id, int height, const char *title)
{
	fprintf(out, "<svg class=\"chart\" "
	    "viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" role=\"img\" "
	    "aria-labelledby=\"%s-t\"><title id=\"%s-t\">%s</title>\n",
	    CHART_W, height, CHART_W, height, id, id, title);
}

static void
svg_empty(FILE *out, const char *id, const char *title, const char *text)
{
	svg_open(out, id, 60, title);
	fprintf(out, "<text x=\"0\" y=\"34\" class=\"small\">%s</text></svg>\n", text);
}

/* Width in pixels of value out of max over width w. */
static double
scale(int64_t value, int64_t max, double w)
{
	return max > 0 ? (double)value * w / (double)max : 0;
}

/* Findings by type: one bar a type, in segments by confidence. */
static void
chart_types(struct page *pg)
{
	FILE *out = pg->out;
	const double x0 = 190, bar_w = 450;
	const int row_h = 38, top = 34;
	int64_t max = 0;
	int height, lx = 190;

	fputs("<figure>\n<figcaption>Findings by type and confidence</figcaption>\n", out);
	for (size_t i = 0; i < pg->ntypes; i++)
		if (pg->types[i].total > max)
			max = pg->types[i].total;
	if (max == 0) {
		svg_empty(out, "c-types", "Findings by type", "No findings.");
		fputs("</figure>\n", out);
		return;
	}
	height = top + (int)pg->ntypes * row_h + 8;
	svg_open(out, "c-types", height, "Findings by type and confidence");
	/* Legend: the levels the filter shows, most sure first. */
	for (int c = PS_CONF_HIGH; c >= (int)pg->x->filter.min_conf; c--) {
		fprintf(out, "<rect x=\"%d\" y=\"6\" width=\"14\" height=\"14\" rx=\"2\" "
		    "fill=\"%s\"/><text x=\"%d\" y=\"18\">%s</text>\n", lx,
		    conf_colour[c], lx + 20, ps_confidence_name((enum ps_confidence)c));
		lx += 100;
	}
	for (size_t i = 0; i < pg->ntypes; i++) {
		const struct type_stat *t = &pg->types[i];
		int y = top + (int)i * row_h;
		double x = x0;

		fprintf(out, "<text x=\"0\" y=\"%d\">", y + 20);
		put_text(out, type_label(t->id));
		fputs("</text>\n", out);
		for (int c = PS_CONF_HIGH; c >= PS_CONF_LOW; c--) {
			double w = scale(t->by_conf[c], max, bar_w);
			char num[40];

			if (t->by_conf[c] == 0)
				continue;
			if (w < 1)
				w = 1;
			fprintf(out, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"24\" "
			    "fill=\"%s\"><title>", x, y + 4, w, conf_colour[c]);
			put_text(out, type_label(t->id));
			fprintf(out, ", %s confidence: %s</title></rect>\n",
			    ps_confidence_name((enum ps_confidence)c),
			    fmt_count(num, sizeof num, t->by_conf[c]));
			if (w >= 8.0 * (double)strlen(num) + 8)
				fprintf(out, "<text class=\"in\" x=\"%.1f\" y=\"%d\" "
				    "text-anchor=\"middle\"%s>%s</text>\n", x + w / 2, y + 20,
				    c == PS_CONF_LOW ? " style=\"fill:#3d3200\"" : "", num);
			x += w;
		}
		fprintf(out, "<text x=\"%.1f\" y=\"%d\">", x + 6, y + 20);
		put_count(out, t->total);
		fputs("</text>\n", out);
	}
	fputs("</svg>\n</figure>\n", out);
}

static int
dir_by_count(const void *a, const void *b)
{
	const struct dir_slot *x = a, *y = b;

	if (x->findings != y->findings)
		return x->findings < y->findings ? 1 : -1;
	return path_cmp(x->dir, x->len, y->dir, y->len);
}

/* The ten directories holding most findings: label above its bar. */
static void
chart_dirs(struct page *pg)
{
	struct dir_slot top[HTML_TOP_DIRS];
	size_t ntop = 0;
	FILE *out = pg->out;
	const int row_h = 44;
	const double bar_w = 600;

	fputs("<figure>\n<figcaption>Top directories by findings</figcaption>\n", out);
	for (size_t i = 0; i < pg->dirs_cap; i++) {
		const struct dir_slot *s = &pg->dirs[i];
		size_t at;

		if (s->dir == NULL)
			continue;
		if (ntop == HTML_TOP_DIRS && dir_by_count(s, &top[ntop - 1]) >= 0)
			continue;
		at = ntop < HTML_TOP_DIRS ? ntop++ : ntop - 1;
		while (at > 0 && dir_by_count(s, &top[at - 1]) < 0) {
			top[at] = top[at - 1];
			at--;
		}
		top[at] = *s;
	}
	if (ntop == 0) {
		svg_empty(out, "c-dirs", "Top directories by findings", "No findings.");
		fputs("</figure>\n", out);
		return;
	}
	svg_open(out, "c-dirs", (int)ntop * row_h + 8, "Top directories by findings");
	for (size_t i = 0; i < ntop; i++) {
		int y = (int)i * row_h;
		double w = scale(top[i].findings, top[0].findings, bar_w);

		fprintf(out, "<g><title>");
		put_html(out, top[i].dir, top[i].len);
		fputs(": ", out);
		put_count(out, top[i].findings);
		fprintf(out, " findings</title><text x=\"0\" y=\"%d\">", y + 15);
		put_tail(out, top[i].dir, top[i].len, HTML_DIR_LABEL);
		fprintf(out, "</text><rect x=\"0\" y=\"%d\" width=\"%.1f\" height=\"16\" "
		    "rx=\"2\" fill=\"" BAR_COLOUR "\"/><text x=\"%.1f\" y=\"%d\">",
		    y + 21, w < 1 ? 1 : w, (w < 1 ? 1 : w) + 6, y + 34);
		put_count(out, top[i].findings);
		fputs("</text></g>\n", out);
	}
	fputs("</svg>\n", out);
	if (pg->dirs_used > HTML_TOP_DIRS) {
		fputs("<p class=\"note\">", out);
		put_count(out, (int64_t)pg->dirs_used);
		fputs(" directories hold findings; the ten with most are shown.", out);
		if (pg->dirs_uncounted > 0) {
			fputs(" More than ", out);
			put_count(out, HTML_MAX_DIRS);
			fputs(" directories hold findings: ", out);
			put_count(out, pg->dirs_uncounted);
			fputs(" findings in directories met after those were not "
			    "counted for this chart.", out);
		}
		fputs("</p>\n", out);
	}
	fputs("</figure>\n", out);
}

/* Files holding findings by year of last change: a column a year. */
static void
chart_years(struct page *pg)
{
	struct year_count cols[HTML_MAX_YEARS + 1];
	size_t ncols = 0, every;
	int miny = 0, maxy = 0;
	bool any = false;
	int64_t max = 0, unknown = 0;
	FILE *out = pg->out;
	const double x0 = 10, plot_w = CHART_W - 20, base = 200, plot_h = 170;
	double slot, bar, left;

	fputs("<figure>\n<figcaption>Age of files holding findings (year last "
	    "changed)</figcaption>\n", out);
	for (size_t i = 0; i < pg->nyears; i++) {
		const struct year_count *y = &pg->years[i];

		if (y->unknown) {
			unknown += y->files;
			continue;
		}
		if (!any || y->year < miny)
			miny = y->year;
		if (!any || y->year > maxy)
			maxy = y->year;
		any = true;
	}
	/* Every year of a short span, so that gaps show as gaps. */
	if (any && maxy - miny < HTML_YEAR_GAPS) {
		for (int yr = miny; yr <= maxy; yr++) {
			cols[ncols].year = yr;
			cols[ncols].unknown = false;
			cols[ncols].files = 0;
			for (size_t i = 0; i < pg->nyears; i++)
				if (!pg->years[i].unknown && pg->years[i].year == yr)
					cols[ncols].files += pg->years[i].files;
			ncols++;
		}
	} else {
		for (size_t i = 0; i < pg->nyears; i++)
			if (!pg->years[i].unknown)
				cols[ncols++] = pg->years[i];
	}
	if (unknown > 0) {
		cols[ncols].unknown = true;
		cols[ncols].year = 0;
		cols[ncols++].files = unknown;
	}
	for (size_t i = 0; i < ncols; i++)
		if (cols[i].files > max)
			max = cols[i].files;
	if (max == 0) {
		svg_empty(out, "c-years", "Age of files holding findings", "No findings.");
		fputs("</figure>\n", out);
		return;
	}
	slot = plot_w / (double)(ncols < 4 ? 4 : ncols);
	left = x0 + (plot_w - slot * (double)ncols) / 2;
	bar = slot * 0.7 > 60 ? 60 : slot * 0.7;
	every = slot >= 40 ? 1 : (size_t)(40 / slot) + 1;
	svg_open(out, "c-years", 230, "Age of files holding findings");
	fprintf(out, "<line x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\" y2=\"%.0f\" "
	    "stroke=\"#9aa5b1\"/>\n", x0, base, x0 + plot_w, base);
	for (size_t i = 0; i < ncols; i++) {
		double h = scale(cols[i].files, max, plot_h);
		double cx = left + slot * ((double)i + 0.5);
		char num[40], label[16];

		if (cols[i].unknown)
			snprintf(label, sizeof label, "unknown");
		else
			snprintf(label, sizeof label, "%d", cols[i].year);
		fmt_count(num, sizeof num, cols[i].files);
		if (cols[i].files > 0) {
			if (h < 1)
				h = 1;
			fprintf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
			    "height=\"%.1f\" fill=\"" BAR_COLOUR "\"><title>%s: %s files"
			    "</title></rect>\n", cx - bar / 2, base - h, bar, h, label, num);
			if (slot >= 8.0 * (double)strlen(num))
				fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" "
				    "class=\"small\">%s</text>\n", cx, base - h - 4, num);
		}
		/* Labels counted from the right: the latest year is named. */
		if ((ncols - 1 - i) % every == 0 || cols[i].unknown)
			fprintf(out, "<text x=\"%.1f\" y=\"%.0f\" text-anchor=\"middle\">%s"
			    "</text>\n", cx, base + 18, label);
	}
	fputs("</svg>\n</figure>\n", out);
}

static void
put_charts(struct page *pg)
{
	fputs("<section id=\"charts\">\n<h2>Charts</h2>\n<div class=\"charts\">\n",
	    pg->out);
	chart_types(pg);
	chart_dirs(pg);
	chart_years(pg);
	fputs("</div>\n", pg->out);
}

/* Top owners and file types: small tables straight from the inventory. */
struct listing {
	FILE *out;
	const char *head, *unit;
	int shown;
	int64_t rest;
};

static int
put_listing_row(void *ctx, const struct ps_agg_row *row)
{
	struct listing *l = ctx;

	if (l->shown == HTML_TOP_LISTS) {
		l->rest += row->count;
		return 0;
	}
	if (l->shown++ == 0)
		fprintf(l->out, "<table class=\"listing\"><thead><tr><th>%s</th>"
		    "<th class=\"n\">%s</th></tr></thead><tbody>\n", l->head, l->unit);
	fputs("<tr><td>", l->out);
	put_text(l->out, row->a[0] != '\0' ? row->a : "?");
	fputs("</td><td class=\"n\">", l->out);
	put_count(l->out, row->count);
	fputs("</td></tr>\n", l->out);
	return 0;
}

static enum ps_error
put_listing(struct page *pg, enum ps_report_query q, const char *title,
    const char *head, const char *unit)
{
	struct listing l = { pg->out, head, unit, 0, 0 };
	enum ps_error err;

	fprintf(pg->out, "<div class=\"half\"><h3>%s</h3>\n", title);
	err = ps_inventory_aggregate(pg->x->inv, q, &pg->x->filter, put_listing_row,
	    &l);
	if (l.shown == 0)
		fputs("<p class=\"note\">None.</p>\n", pg->out);
	else {
		if (l.rest > 0) {
			fputs("<tr><td><em>all others</em></td><td class=\"n\">", pg->out);
			put_count(pg->out, l.rest);
			fputs("</td></tr>\n", pg->out);
		}
		fputs("</tbody></table>\n", pg->out);
	}
	fputs("</div>\n", pg->out);
	return err;
}

static enum ps_error
put_listings(struct page *pg)
{
	enum ps_error err;

	fputs("<div class=\"charts\">\n", pg->out);
	if ((err = put_listing(pg, PS_Q_BY_OWNER, "Owners of the files",
	    "owner", "findings")) == PS_OK)
		err = put_listing(pg, PS_Q_BY_FILETYPE, "Kinds of file",
		    "file type", "files holding findings");
	fputs("</div>\n</section>\n", pg->out);
	return err;
}

/* --- coverage ------------------------------------------------------------------ */

static void
put_coverage(struct page *pg)
{
	FILE *out = pg->out;
	int64_t incomplete = pg->st_partial + pg->st_skipped + pg->st_error;
	char buf[40];

	fputs("<section id=\"coverage\">\n<h2>Files not fully examined</h2>\n", out);
	if (incomplete == 0) {
		fputs("<p>Every file seen was examined in full.</p>\n</section>\n", out);
		return;
	}
	fputs("<p>Personal data may remain in these files: the scanner could not "
	    "read them, did not open them (a kind of file it does not read, or not "
	    "a regular file), or stopped part way (a size or safety limit). ", out);
	put_count(out, pg->st_partial);
	fputs(" partly examined, ", out);
	put_count(out, pg->st_error);
	fputs(" could not be read, ", out);
	put_count(out, pg->st_skipped);
	fputs(" not examined.</p>\n", out);
	fputs("<table id=\"reasons\"><thead><tr><th>What happened</th><th>Why</th>"
	    "<th class=\"n\">Files</th></tr></thead><tbody>\n", out);
	for (size_t i = 0; i < pg->nreasons; i++) {
		const struct reason *r = &pg->reasons[i];

		fputs("<tr><td>", out);
		put_text(out, status_label(r->status));
		fputs("</td><td>", out);
		put_text(out, r->reason);
		fprintf(out, "</td><td class=\"n\">%s</td></tr>\n",
		    fmt_count(buf, sizeof buf, r->files));
	}
	if (pg->reasons_more > 0)
		fprintf(out, "<tr><td colspan=\"2\"><em>other reasons</em></td>"
		    "<td class=\"n\">%s</td></tr>\n",
		    fmt_count(buf, sizeof buf, pg->reasons_more));
	fputs("</tbody></table>\n", out);

	fputs("<h3>The files</h3>\n<table id=\"coverage-table\"><thead><tr>"
	    "<th>Path</th><th>What happened</th><th>Why</th><th>File type</th>"
	    "<th class=\"n\">Size</th></tr></thead><tbody>\n", out);
	for (size_t i = 0; i < pg->ncoverage; i++) {
		const struct coverage_row *c = &pg->coverage[i];

		fputs("<tr><td class=\"path\"><code>", out);
		put_html(out, c->path, c->path_len);
		fputs("</code></td><td>", out);
		put_text(out, status_label(c->status));
		fputs("</td><td>", out);
		put_text(out, c->error);
		fputs("</td><td>", out);
		put_text(out, c->ftype);
		fprintf(out, "</td><td class=\"n\">%s</td></tr>\n",
		    fmt_bytes(buf, sizeof buf, c->size));
	}
	fputs("</tbody></table>\n", out);
	if (pg->coverage_more > 0) {
		fputs("<p class=\"note\">The first ", out);
		put_count(out, HTML_MAX_COVERAGE);
		fputs(" files by path are listed; ", out);
		put_count(out, pg->coverage_more);
		fputs(" more were not fully examined (the JSON Lines export lists them "
		    "all).</p>\n", out);
	}
	fputs("</section>\n", out);
}

/* --- the table of files --------------------------------------------------------- */

static void
put_files(struct page *pg)
{
	FILE *out = pg->out;
	size_t ncols = pg->ntypes + (pg->types_more ? 1 : 0);
	char buf[40];

	fputs("<section id=\"files\">\n<h2>Files holding findings</h2>\n", out);
	if (pg->nfiles == 0) {
		fputs("<p>No file holds findings of the kind shown.</p>\n</section>\n", out);
		return;
	}
	fputs("<p>One row a file, in order of path. The counts are findings of "
	    "each type in the file (a number found twice counts twice); "
	    "&quot;highest&quot; is the most certain of them.</p>\n"
	    "<p class=\"note js-only\">Click a column heading to sort by it; click "
	    "again to reverse.</p>\n", out);
	fputs("<table id=\"file-table\"><thead><tr>"
	    "<th aria-sort=\"ascending\">Path</th><th>Owner</th><th>Modified</th>"
	    "<th>File type</th>", out);
	for (size_t i = 0; i < ncols; i++) {
		fputs("<th class=\"n\">", out);
		put_text(out, i < pg->ntypes ? type_column(pg->types[i].id) : "Other");
		fputs("</th>", out);
	}
	fputs("<th class=\"n\">Total</th><th>Highest</th>", out);
	if (pg->any_review)
		fputs("<th>Review marks</th>", out);
	fputs("</tr></thead>\n<tbody>\n", out);
	for (size_t r = 0; r < pg->nfiles; r++) {
		const struct file_stat *f = &pg->files[r];

		fputs("<tr><td class=\"path\">", out);
		put_html(out, f->path, f->path_len);
		fputs("</td><td>", out);
		put_text(out, f->owner);
		fprintf(out, "</td><td>%s</td><td>", fmt_date(buf, sizeof buf, f->mtime));
		put_text(out, f->ftype != NULL ? f->ftype : "");
		fputs("</td>", out);
		for (size_t i = 0; i < ncols; i++) {
			size_t t = i < pg->ntypes ? i : HTML_MAX_TYPES;

			fputs("<td class=\"n\">", out);
			if (f->counts[t] > 0)
				put_count(out, f->counts[t]);
			fputs("</td>", out);
		}
		fprintf(out, "<td class=\"n\">%s</td><td data-v=\"%d\"><span "
		    "class=\"conf conf-%d\">%s</span></td>",
		    fmt_count(buf, sizeof buf, f->total), f->max_conf, f->max_conf,
		    ps_confidence_name((enum ps_confidence)f->max_conf));
		if (pg->any_review) {
			const char *sep = "";

			fputs("<td>", out);
			for (size_t i = 0; i < sizeof review_names / sizeof review_names[0];
			    i++)
				if (f->reviews & 1u << i) {
					fprintf(out, "%s%s", sep, review_names[i]);
					sep = ", ";
				}
			fputs("</td>", out);
		}
		fputs("</tr>\n", out);
	}
	fputs("</tbody></table>\n", out);
	if (pg->files_with_findings > (int64_t)pg->nfiles) {
		fputs("<p class=\"note\">The first ", out);
		put_count(out, (int64_t)pg->nfiles);
		fputs(" files by path are listed; ", out);
		put_count(out, pg->files_with_findings - (int64_t)pg->nfiles);
		fputs(" more hold findings (the CSV and JSON Lines exports list them "
		    "all).</p>\n", out);
	}
	fputs("</section>\n", out);
}

/* --- how the scan was made, and the footer ------------------------------------------ */

static void
fact(FILE *out, const char *name, const char *value, bool code)
{
	fprintf(out, "<dt>%s</dt><dd>%s", name, code ? "<code>" : "");
	put_text(out, value);
	fprintf(out, "%s</dd>\n", code ? "</code>" : "");
}

static void
put_scan(struct page *pg)
{
	const struct ps_scan_row *s = pg->x->scan;
	FILE *out = pg->out;
	char buf[64], num[40];

	fputs("<section id=\"scan\">\n<h2>How the scan was made</h2>\n"
	    "<dl class=\"facts\">\n", out);
	fprintf(out, "<dt>Scan number</dt><dd>%lld</dd>\n", (long long)s->id);
	if (s->estate != NULL) {
		char parts[96];

		fact(out, "Part of estate scan", s->estate, false);
		fact(out, "Made of scans", s->scan_ids, false);
		if (s->shards_total > 0) {
			snprintf(parts, sizeof parts, "%lld of %lld (shard depth %lld)",
			    (long long)s->shards_seen, (long long)s->shards_total,
			    (long long)s->shard_depth);
			fact(out, "Shards", parts, false);
		}
	}
	fputs("<dt>What was scanned</dt><dd>", out);
	put_roots(out, s->roots);
	fputs("</dd>\n", out);
	fact(out, "Started", fmt_time(buf, sizeof buf, s->started), false);
	fact(out, "Finished", fmt_time(buf, sizeof buf, s->finished), false);
	if (s->finished != 0 && s->finished >= s->started)
		fact(out, "Took", fmt_duration(buf, sizeof buf, s->finished - s->started),
		    false);
	fact(out, "Status", s->status, false);
	fact(out, "Computer", s->host, false);
	fact(out, "Run by user", s->user, false);
	fact(out, "piiscan version", s->version, false);
	fact(out, "Pattern set (SHA-256)", s->patterns_sha256, true);
	fact(out, "Rules digest", s->rules, true);
	fact(out, "Key fingerprint", s->key_id, true);
	fprintf(out, "<dt>Counted by the scan</dt><dd>%s files", fmt_count(num,
	    sizeof num, s->files));
	fprintf(out, ", %s read", fmt_bytes(buf, sizeof buf, s->bytes));
	fprintf(out, ", %s findings", fmt_count(num, sizeof num, s->findings));
	fprintf(out, ", %s errors", fmt_count(num, sizeof num, s->errors));
	fprintf(out, ", %s skipped", fmt_count(num, sizeof num, s->skipped));
	fprintf(out, ", %s partly examined", fmt_count(num, sizeof num, s->partial));
	fprintf(out, ", %s gone</dd>\n", fmt_count(num, sizeof num, s->gone));
	if (s->atime_touched > 0)
		fprintf(out, "<dt>Access times</dt><dd>%s files may show a new "
		    "last-access time because the scan read them</dd>\n",
		    fmt_count(num, sizeof num, s->atime_touched));
	fputs("</dl>\n<p class=\"note\">The key fingerprint names the secret key "
	    "the scan used to record found numbers as unreadable codes, without "
	    "revealing the key; the same key lets piiscan tell whether a given "
	    "number was found. The pattern set and rules digests identify exactly "
	    "which rules decided what counts as a finding.</p>\n", out);
	fputs("<h3>Settings of the scan</h3>\n<pre>", out);
	put_json_pretty(out, s->options[0] != '\0' ? s->options : "{}");
	fputs("</pre>\n</section>\n", out);
}

static void
put_footer(struct page *pg)
{
	FILE *out = pg->out;
	char when[40];

	fputs("</main>\n<footer id=\"verify\">\n<h2>Checking this file</h2>\n", out);
	if (!pg->x->to_file)
		fputs("<p>When this page was written, its SHA-256 digest was recorded "
		    "in the scan inventory (it was written to standard output, so no "
		    "digest file lies beside it).</p>\n", out);
	else
		fputs("<p>When this page was written, its SHA-256 digest was saved "
		    "beside it, in a file with the same name followed by "
		    "<code>.sha256</code>, and recorded in the scan inventory. To "
		    "check that the page has not changed since, keep both files in "
		    "one folder and run there <code>sha256sum -c NAME.sha256</code> "
		    "(Linux; macOS: <code>shasum -a 256 -c NAME.sha256</code>): it "
		    "must answer <code>OK</code>. On Windows, <code>certutil "
		    "-hashfile NAME SHA256</code> must print the digest written in "
		    "the .sha256 file.</p>\n", out);
	fprintf(out, "<p>Written %s by piiscan %s. The page is complete in itself: "
	    "it loads nothing from a network.</p>\n</footer>\n",
	    fmt_time(when, sizeof when, (int64_t)time(NULL)), PACKAGE_VERSION);
	fprintf(out, "<script>%s</script>\n</body>\n</html>\n", script);
}

enum ps_error
ps_export_html(struct ps_export *x)
{
	struct page pg = { 0 };
	enum ps_error err;

	pg.x = x;
	pg.out = x->out;
	if ((err = collect(&pg)) != PS_OK)
		goto done;
	put_head(&pg);
	put_header(&pg);
	put_summary(&pg);
	put_charts(&pg);
	if ((err = put_listings(&pg)) != PS_OK)
		goto done;
	put_coverage(&pg);
	put_files(&pg);
	put_scan(&pg);
	put_footer(&pg);
done:
	page_free(&pg);
	return err;
}

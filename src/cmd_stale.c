/*
 * cmd_stale.c - `piiscan stale`: the files of a scan that hold findings
 * and were last modified (or accessed) longer ago than a retention age;
 * the records manager's cleanup worklist.  Reads the inventory only: it
 * changes nothing on disk.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "csvout.h"
#include "json.h"

#define DAY_SECONDS   86400
#define YEAR_DAYS     365
#define MONTH_DAYS    30
#define MAX_AGE_DAYS  ((int64_t)YEAR_DAYS * 10000)  /* ten thousand years */

static void
usage(FILE *out)
{
	fprintf(out,
	    "usage: piiscan stale --older-than AGE [options]\n"
	    "\n"
	    "List the files of a scan that hold findings and were last modified\n"
	    "longer ago than AGE, oldest first, with totals.  Nothing on disk is\n"
	    "changed.\n"
	    "\n"
	    "  --older-than AGE        7y, 18m, 12w or 90d (a year is 365 days,\n"
	    "                          a month 30 days)\n"
	    "  --by mtime|atime        compare the modification time (default) or\n"
	    "                          the access time recorded by the scan\n"
	    "  --format text|csv|jsonl output format (default text)\n"
	    "  -o, --output FILE       write to FILE (default: standard output)\n"
	    "  --db FILE               inventory database (default ./piiscan.db)\n"
	    "  --scan N                scan N (default: the latest)\n"
	    "  --min-confidence LEVEL  low, medium or high (default medium)\n"
	    "  --type TYPE             only findings of this type\n"
	    "  --path-prefix PATH      only files under PATH\n"
	    "  --include-reviewed      keep findings marked false-positive or test-data\n"
	    "  -h, --help              this help\n");
}

/* --- what is collected ------------------------------------------------------ */

struct type_count {
	char type[PS_TYPE_ID_MAX];
	int64_t count;
};

/* Findings counted by type, in the order the types were first added. */
struct tally {
	struct type_count *items;
	size_t count, cap;
};

struct stale_file {
	int64_t id;
	char *path;                 /* NUL added; paths hold no NUL */
	size_t path_len;
	char *owner;
	int64_t size, mtime, atime, findings;
	struct tally types;
};

struct stale_list {
	struct stale_file *items;
	size_t count, cap;
	struct tally totals;
	int64_t bytes, findings;
	bool failed;                /* out of memory */
};

static bool
tally_add(struct tally *t, const char *type, int64_t count)
{
	for (size_t i = 0; i < t->count; i++)
		if (strcmp(t->items[i].type, type) == 0) {
			t->items[i].count += count;
			return true;
		}
	if (t->count == t->cap) {
		size_t cap = t->cap == 0 ? 4 : t->cap * 2;
		struct type_count *items = realloc(t->items, cap * sizeof *items);

		if (items == NULL)
			return false;
		t->items = items;
		t->cap = cap;
	}
	snprintf(t->items[t->count].type, sizeof t->items[0].type, "%s", type);
	t->items[t->count++].count = count;
	return true;
}

static int
by_type_name(const void *a, const void *b)
{
	return strcmp(((const struct type_count *)a)->type,
	    ((const struct type_count *)b)->type);
}

/* Rows come per file and type, a file's rows together. */
static int
collect(void *ctx, const struct ps_stale_row *row)
{
	struct stale_list *l = ctx;
	struct stale_file *f = l->count > 0 ? &l->items[l->count - 1] : NULL;

	if (f == NULL || f->id != row->file_id) {
		if (l->count == l->cap) {
			size_t cap = l->cap == 0 ? 64 : l->cap * 2;
			struct stale_file *items = realloc(l->items, cap * sizeof *items);

			if (items == NULL)
				goto nomem;
			l->items = items;
			l->cap = cap;
		}
		f = &l->items[l->count];
		memset(f, 0, sizeof *f);
		f->path = strndup((const char *)row->path, row->path_len);
		f->owner = strdup(row->owner);
		if (f->path == NULL || f->owner == NULL) {
			free(f->path);
			free(f->owner);
			goto nomem;
		}
		l->count++;
		f->id = row->file_id;
		f->path_len = row->path_len;
		f->size = row->size;
		f->mtime = row->mtime;
		f->atime = row->atime;
		l->bytes += row->size;
	}
	if (!tally_add(&f->types, row->type, row->count)
	    || !tally_add(&l->totals, row->type, row->count))
		goto nomem;
	f->findings += row->count;
	l->findings += row->count;
	return 0;
nomem:
	l->failed = true;
	return 1;
}

static void
stale_list_free(struct stale_list *l)
{
	for (size_t i = 0; i < l->count; i++) {
		free(l->items[i].path);
		free(l->items[i].owner);
		free(l->items[i].types.items);
	}
	free(l->items);
	free(l->totals.items);
}

/* --- writing ------------------------------------------------------------------ */

/* What every format needs besides the files. */
struct stale_run {
	FILE *out;
	const struct stale_list *list;
	const struct ps_filter *filter;
	enum ps_file_time by;
	const char *age;            /* as given: "7y" */
	int64_t now, before;
};

static int64_t
time_of(const struct stale_run *r, const struct stale_file *f)
{
	return r->by == PS_BY_ATIME ? f->atime : f->mtime;
}

static int64_t
age_days(const struct stale_run *r, const struct stale_file *f)
{
	return (r->now - time_of(r, f)) / DAY_SECONDS;
}

/* "10y 2m", "5m 3d", "12d". */
static void
age_text(int64_t days, char *buf, size_t cap)
{
	int64_t y = days / YEAR_DAYS, m = days % YEAR_DAYS / MONTH_DAYS,
	    d = days % YEAR_DAYS % MONTH_DAYS;

	if (y > 0)
		snprintf(buf, cap, "%lldy %lldm", (long long)y, (long long)m);
	else if (m > 0)
		snprintf(buf, cap, "%lldm %lldd", (long long)m, (long long)d);
	else
		snprintf(buf, cap, "%lldd", (long long)d);
}

/* "card 3, hkid 1" (text) or "card:3;hkid:1" (csv); cut when buf is short. */
static void
types_text(const struct tally *t, char between, const char *sep, char *buf,
    size_t cap)
{
	size_t n = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < t->count && n < cap; i++) {
		int w = snprintf(buf + n, cap - n, "%s%s%c%lld", i > 0 ? sep : "",
		    t->items[i].type, between, (long long)t->items[i].count);

		if (w < 0)
			break;
		n += (size_t)w;
	}
}

static void
iso_or(int64_t t, const char *none, char *buf, size_t cap)
{
	if (t == 0)
		snprintf(buf, cap, "%s", none);
	else
		ps_time_iso(t, buf, cap);
}

static const char *
plural(int64_t n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

static void
text_header(const struct stale_run *r, int64_t scan_id)
{
	const struct ps_filter *f = r->filter;
	char before[32];

	ps_time_iso(r->before, before, sizeof before);
	fprintf(r->out, "Scan %lld: files holding findings, last %s before %s "
	    "(older than %s)\n", (long long)scan_id,
	    r->by == PS_BY_ATIME ? "accessed" : "modified", before, r->age);
	fprintf(r->out, "  showing   confidence %s and higher",
	    ps_confidence_name(f->min_conf));
	if (f->type != NULL)
		fprintf(r->out, ", type %s", f->type);
	if (f->path_prefix != NULL) {
		char *shown = ps_cli_printable(f->path_prefix);

		fprintf(r->out, ", under %s", shown != NULL ? shown : "?");
		free(shown);
	}
	if (f->include_reviewed)
		fputs(", reviewed findings included", r->out);
	fputc('\n', r->out);
}

static int
width_of(int w, const char *s)
{
	int n = (int)strlen(s);

	return n > w ? n : w;
}

static void
write_text(const struct stale_run *r)
{
	const struct stale_list *l = r->list;
	FILE *out = r->out;
	char age[32], size[32], types[1024], when[32];
	int wage = 3, wsize = 4, wowner = 5, wtypes = 8;

	text_header(r, r->filter->scan_id);
	fputc('\n', out);
	if (l->count == 0)
		fputs("No such files.\n", out);
	for (size_t i = 0; i < l->count; i++) {
		const struct stale_file *f = &l->items[i];

		age_text(age_days(r, f), age, sizeof age);
		snprintf(size, sizeof size, "%lld", (long long)f->size);
		types_text(&f->types, ' ', ", ", types, sizeof types);
		wage = width_of(wage, age);
		wsize = width_of(wsize, size);
		wowner = width_of(wowner, f->owner[0] != '\0' ? f->owner : "-");
		wtypes = width_of(wtypes, types);
	}
	if (l->count > 0)
		fprintf(out, "  %-20s  %-*s  %*s  %-*s  %-*s  %s\n",
		    r->by == PS_BY_ATIME ? "accessed" : "modified", wage, "age",
		    wsize, "size", wowner, "owner", wtypes, "findings", "path");
	for (size_t i = 0; i < l->count; i++) {
		const struct stale_file *f = &l->items[i];
		char *shown = ps_cli_printable(f->path);

		iso_or(time_of(r, f), "-", when, sizeof when);
		age_text(age_days(r, f), age, sizeof age);
		snprintf(size, sizeof size, "%lld", (long long)f->size);
		types_text(&f->types, ' ', ", ", types, sizeof types);
		fprintf(out, "  %-20s  %-*s  %*s  %-*s  %-*s  %s\n", when, wage, age,
		    wsize, size, wowner, f->owner[0] != '\0' ? f->owner : "-",
		    wtypes, types, shown != NULL ? shown : "?");
		free(shown);
	}
	types_text(&l->totals, ' ', ", ", types, sizeof types);
	fprintf(out, "\nTotal: %zu %s, %lld %s, %lld %s%s%s%s\n", l->count,
	    l->count == 1 ? "file" : "files", (long long)l->bytes,
	    plural(l->bytes, "byte", "bytes"), (long long)l->findings,
	    plural(l->findings, "finding", "findings"),
	    l->findings > 0 ? " (" : "", types, l->findings > 0 ? ")" : "");
}

static void
write_csv(const struct stale_run *r)
{
	const struct stale_list *l = r->list;
	FILE *out = r->out;
	char buf[1024];

	fputs("path,owner,size,mtime,atime,age_days,findings,types\r\n", out);
	for (size_t i = 0; i < l->count; i++) {
		const struct stale_file *f = &l->items[i];

		ps_csv_field(out, f->path, f->path_len, false);
		ps_csv_text(out, f->owner, false);
		fprintf(out, "%lld,", (long long)f->size);
		iso_or(f->mtime, "", buf, sizeof buf);
		ps_csv_text(out, buf, false);
		iso_or(f->atime, "", buf, sizeof buf);
		ps_csv_text(out, buf, false);
		fprintf(out, "%lld,%lld,", (long long)age_days(r, f),
		    (long long)f->findings);
		types_text(&f->types, ':', ";", buf, sizeof buf);
		ps_csv_text(out, buf, true);
	}
}

static void
json_types(FILE *out, const struct tally *t)
{
	fputs(",\"by_type\":{", out);
	for (size_t i = 0; i < t->count; i++) {
		if (i > 0)
			putc(',', out);
		ps_json_string(out, t->items[i].type, strlen(t->items[i].type));
		fprintf(out, ":%lld", (long long)t->items[i].count);
	}
	putc('}', out);
}

static void
write_jsonl(const struct stale_run *r)
{
	const struct stale_list *l = r->list;
	FILE *out = r->out;

	for (size_t i = 0; i < l->count; i++) {
		const struct stale_file *f = &l->items[i];

		fputs("{\"record\":\"stale_file\",\"path\":", out);
		ps_json_string(out, f->path, f->path_len);
		fputs(",\"owner\":", out);
		ps_json_string(out, f->owner, strlen(f->owner));
		fprintf(out, ",\"size\":%lld", (long long)f->size);
		ps_json_time_field(out, "mtime", f->mtime);
		ps_json_time_field(out, "atime", f->atime);
		fprintf(out, ",\"age_days\":%lld,\"findings\":%lld",
		    (long long)age_days(r, f), (long long)f->findings);
		json_types(out, &f->types);
		fputs("}\n", out);
	}
	fprintf(out, "{\"record\":\"stale_total\",\"scan_id\":%lld,"
	    "\"older_than\":", (long long)r->filter->scan_id);
	ps_json_string(out, r->age, strlen(r->age));
	fprintf(out, ",\"by\":\"%s\"", r->by == PS_BY_ATIME ? "atime" : "mtime");
	ps_json_time_field(out, "before", r->before);
	fprintf(out, ",\"files\":%zu,\"bytes\":%lld,\"findings\":%lld", l->count,
	    (long long)l->bytes, (long long)l->findings);
	json_types(out, &l->totals);
	fputs("}\n", out);
}

/* --- the command ------------------------------------------------------------- */

static const struct {
	const char *name;
	void (*write)(const struct stale_run *r);
} formats[] = {
	{ "text", write_text },
	{ "csv", write_csv },
	{ "jsonl", write_jsonl },
};

enum { OPT_OLDER_THAN = PS_OPT_OWN, OPT_BY, OPT_FORMAT };

static const struct option long_options[] = {
	PS_OPTION_DB, PS_OPTIONS_FILTER, PS_OPTION_HELP,
	{ "older-than", required_argument, NULL, OPT_OLDER_THAN },
	{ "by", required_argument, NULL, OPT_BY },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "output", required_argument, NULL, 'o' },
	{ NULL, 0, NULL, 0 },
};

struct stale_opts {
	const char *age;            /* NULL until --older-than */
	int64_t days;
	enum ps_file_time by;
	size_t format;
	const char *output;
};

/* "7y", "18m", "12w", "90d": a whole number and one unit, nothing else. */
static bool
parse_age(const char *s, int64_t *days)
{
	static const struct { char unit; int64_t days; } units[] = {
		{ 'y', YEAR_DAYS }, { 'm', MONTH_DAYS }, { 'w', 7 }, { 'd', 1 },
	};
	int64_t n = 0;
	size_t i = 0;

	for (; s[i] >= '0' && s[i] <= '9'; i++) {
		n = n * 10 + (s[i] - '0');
		if (n > MAX_AGE_DAYS)
			return false;
	}
	if (i == 0 || s[i] == '\0' || s[i + 1] != '\0')
		return false;
	for (size_t u = 0; u < sizeof units / sizeof units[0]; u++)
		if (s[i] == units[u].unit) {
			*days = n * units[u].days;
			return *days <= MAX_AGE_DAYS;
		}
	return false;
}

static int
stale_option(void *ctx, int c, const char *arg)
{
	struct stale_opts *so = ctx;

	switch (c) {
	case OPT_OLDER_THAN:
		if (!parse_age(arg, &so->days)) {
			ps_cli_error("--older-than: expected an age like 7y, 18m, 12w "
			    "or 90d (y = 365 days, m = 30 days, w = weeks, d = days), "
			    "not '%s'", arg);
			return PS_EXIT_USAGE;
		}
		so->age = arg;
		return 0;
	case OPT_BY:
		if (strcmp(arg, "mtime") == 0)
			so->by = PS_BY_MTIME;
		else if (strcmp(arg, "atime") == 0)
			so->by = PS_BY_ATIME;
		else {
			ps_cli_error("--by: expected mtime or atime, not '%s'", arg);
			return PS_EXIT_USAGE;
		}
		return 0;
	case OPT_FORMAT:
		for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++)
			if (strcmp(arg, formats[i].name) == 0) {
				so->format = i;
				return 0;
			}
		ps_cli_error("--format: expected text, csv or jsonl, not '%s'", arg);
		return PS_EXIT_USAGE;
	case 'o':
		so->output = arg;
		return 0;
	default:
		usage(stderr);
		return PS_EXIT_USAGE;
	}
}

int
ps_cmd_stale(int argc, char **argv)
{
	struct stale_opts so = { NULL, 0, PS_BY_MTIME, 0, NULL };
	struct ps_read_opts ro;
	struct ps_inventory *inv = NULL;
	struct ps_scan_row scan = { 0 };
	struct ps_filter filter;
	struct stale_list list = { 0 };
	struct stale_run run;
	char *tmp = NULL;
	FILE *out = NULL;
	int status;

	if ((status = ps_cli_parse_read(argc, argv, "o:h", long_options, usage,
		 stale_option, &so, &ro)) >= 0)
		return status;
	status = PS_EXIT_USAGE;
	if (so.age == NULL) {
		ps_cli_error("stale: --older-than AGE is needed (e.g. 7y, 18m, 90d)");
		goto done;
	}
	if ((inv = ps_cli_open_inventory(ro.db)) == NULL)
		goto done;
	if (!ps_cli_load_scan(inv, ro.db, ro.scan_id, &scan))
		goto done;
	ps_cli_filter(&ro, scan.id, &filter);
	run.now = (int64_t)time(NULL);
	run.before = run.now - so.days * DAY_SECONDS;
	if (ps_inventory_stale_each(inv, &filter, so.by, run.before, collect,
		&list) != PS_OK) {
		ps_cli_error("cannot read database '%s': %s", ro.db,
		    ps_inventory_errmsg(inv));
		goto done;
	}
	if (list.failed) {
		ps_cli_error("out of memory");
		goto done;
	}
	if (list.totals.count > 0)
		qsort(list.totals.items, list.totals.count, sizeof *list.totals.items,
		    by_type_name);
	/* Write beside the target and rename: never a half-written list. */
	if (so.output != NULL) {
		if (asprintf(&tmp, "%s.tmp", so.output) < 0) {
			tmp = NULL;
			ps_cli_error("out of memory");
			goto done;
		}
		if ((out = fopen(tmp, "w")) == NULL) {
			ps_cli_error("cannot write '%s': %s", so.output, strerror(errno));
			goto done;
		}
	} else {
		out = stdout;
	}
	run.out = out;
	run.list = &list;
	run.filter = &filter;
	run.by = so.by;
	run.age = so.age;
	formats[so.format].write(&run);
	if (fflush(out) != 0 || ferror(out)) {
		ps_cli_error("cannot write '%s': %s", so.output != NULL ? so.output
		    : "standard output", strerror(errno));
		goto done;
	}
	if (so.output != NULL) {
		int rc = fclose(out);

		out = NULL;
		if (rc != 0 || rename(tmp, so.output) != 0) {
			ps_cli_error("cannot write '%s': %s", so.output, strerror(errno));
			goto done;
		}
	}
	status = PS_EXIT_CLEAN;
done:
	if (out != NULL && out != stdout)
		fclose(out);
	if (tmp != NULL && status != PS_EXIT_CLEAN)
		unlink(tmp);
	free(tmp);
	stale_list_free(&list);
	ps_scan_row_clear(&scan);
	ps_inventory_close(inv);
	ps_read_opts_free(&ro);
	return status;
}

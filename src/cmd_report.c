/*
 * cmd_report.c - `piiscan report`: a readable summary of one scan.
 */
#include "config.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "json.h"

#define TOP_DIRECTORIES 10

static void
usage(FILE *out)
{
	fprintf(out,
	    "usage: piiscan report [options]\n"
	    "\n"
	    "Summarise a scan: files by status, findings by type and confidence,\n"
	    "distinct values, top directories.\n"
	    "\n"
	    "  --db FILE               inventory database (default ./piiscan.db)\n"
	    "  --scan N                scan N (default: the latest)\n"
	    "  --min-confidence LEVEL  low, medium or high (default medium)\n"
	    "  --type TYPE             only findings of this type\n"
	    "  --path-prefix PATH      only files under PATH\n"
	    "  --include-reviewed      keep findings marked false-positive or test-data\n"
	    "  -h, --help              this help\n");
}

struct status_tally {
	int64_t ok, partial, skipped, error, gone;
	bool header;
};

static int
tally_status(void *ctx, const struct ps_agg_row *row)
{
	struct status_tally *t = ctx;

	if (strcmp(row->a, "ok") == 0)
		t->ok += row->count;
	else if (strcmp(row->a, "partial") == 0)
		t->partial += row->count;
	else if (strcmp(row->a, "skipped") == 0)
		t->skipped += row->count;
	else if (strcmp(row->a, "gone") == 0)
		t->gone += row->count;
	else
		t->error += row->count;
	return 0;
}

static int
print_not_examined(void *ctx, const struct ps_agg_row *row)
{
	struct status_tally *t = ctx;
	char *shown;

	if (strcmp(row->a, "ok") == 0 || strcmp(row->a, "gone") == 0)
		return 0;
	if (!t->header) {
		printf("\nNot fully examined\n  %-8s %8s  %s\n", "status", "files", "reason");
		t->header = true;
	}
	/* Reasons can hold member names from inside archives, written by
	 * anyone: never raw to a terminal. */
	shown = ps_cli_printable(row->b);
	printf("  %-8s %8lld  %s\n", row->a, (long long)row->count,
	    shown != NULL ? shown : "?");
	free(shown);
	return 0;
}

struct type_table {
	char type[PS_TYPE_ID_MAX];
	int64_t by_conf[4];
	int64_t distinct;
};

struct type_tables {
	struct type_table rows[64];
	size_t count;
};

static struct type_table *
type_row(struct type_tables *t, const char *type)
{
	for (size_t i = 0; i < t->count; i++)
		if (strcmp(t->rows[i].type, type) == 0)
			return &t->rows[i];
	if (t->count == sizeof t->rows / sizeof t->rows[0])
		return NULL;
	snprintf(t->rows[t->count].type, sizeof t->rows[0].type, "%s", type);
	return &t->rows[t->count++];
}

static int
tally_type(void *ctx, const struct ps_agg_row *row)
{
	struct type_table *r = type_row(ctx, row->a);

	if (r != NULL)
		r->by_conf[ps_confidence_parse(row->b)] += row->count;
	return 0;
}

static int
tally_distinct(void *ctx, const struct ps_agg_row *row)
{
	struct type_table *r = type_row(ctx, row->a);

	if (r != NULL)
		r->distinct = row->count;
	return 0;
}

struct dir_count {
	char *dir;
	int64_t count;
};

struct dir_counts {
	struct dir_count *items;
	size_t count, cap;
	bool failed;
};

static int
collect_dir(void *ctx, const struct ps_agg_row *row)
{
	struct dir_counts *d = ctx;
	const unsigned char *slash = NULL;
	size_t len;

	for (size_t i = 0; i < row->blob_len; i++)
		if (row->blob[i] == '/')
			slash = row->blob + i;
	len = slash != NULL ? (size_t)(slash - row->blob) : 0;
	if (d->count == d->cap) {
		size_t cap = d->cap == 0 ? 64 : d->cap * 2;
		struct dir_count *items = realloc(d->items, cap * sizeof *items);

		if (items == NULL) {
			d->failed = true;
			return 1;
		}
		d->items = items;
		d->cap = cap;
	}
	if ((d->items[d->count].dir = strndup((const char *)row->blob,
		 len == 0 ? 1 : len)) == NULL) {
		d->failed = true;
		return 1;
	}
	d->items[d->count++].count = row->count;
	return 0;
}

static int
by_dir(const void *a, const void *b)
{
	return strcmp(((const struct dir_count *)a)->dir,
	    ((const struct dir_count *)b)->dir);
}

static int
by_count_desc(const void *a, const void *b)
{
	const struct dir_count *x = a, *y = b;

	if (x->count != y->count)
		return x->count < y->count ? 1 : -1;
	return strcmp(x->dir, y->dir);
}

static void
print_top_directories(struct dir_counts *d)
{
	size_t merged = 0;

	if (d->count == 0)
		return;
	qsort(d->items, d->count, sizeof *d->items, by_dir);
	for (size_t i = 0; i < d->count; i++) {
		if (merged > 0 && strcmp(d->items[merged - 1].dir, d->items[i].dir) == 0) {
			d->items[merged - 1].count += d->items[i].count;
			free(d->items[i].dir);
			continue;
		}
		d->items[merged++] = d->items[i];
	}
	d->count = merged;
	qsort(d->items, d->count, sizeof *d->items, by_count_desc);
	printf("\nTop directories\n  %8s  %s\n", "findings", "directory");
	for (size_t i = 0; i < d->count && i < TOP_DIRECTORIES; i++) {
		char *shown = ps_cli_printable(d->items[i].dir);

		printf("  %8lld  %s\n", (long long)d->items[i].count,
		    shown != NULL ? shown : "?");
		free(shown);
	}
}

static void
print_header(const struct ps_scan_row *s, const struct ps_filter *f)
{
	char started[32], finished[32];

	ps_time_iso(s->started, started, sizeof started);
	if (s->finished != 0)
		ps_time_iso(s->finished, finished, sizeof finished);
	else
		snprintf(finished, sizeof finished, "-");
	printf("Scan %lld (%s)\n", (long long)s->id, s->status);
	if (s->estate != NULL) {
		char *shown = ps_cli_printable(s->estate);

		printf("  estate    %s: scans %s", shown != NULL ? shown : "?", s->scan_ids);
		if (s->shards_total > 0)
			printf(", %lld of %lld shards (depth %lld)", (long long)s->shards_seen,
			    (long long)s->shards_total, (long long)s->shard_depth);
		putchar('\n');
		free(shown);
	}
	printf("  started   %s\n  finished  %s\n", started, finished);
	printf("  roots     %s\n", s->roots);
	printf("  patterns  sha256:%.16s  version %s\n", s->patterns_sha256, s->version);
	printf("  showing   confidence %s and higher", ps_confidence_name(f->min_conf));
	if (f->type != NULL)
		printf(", type %s", f->type);
	if (f->path_prefix != NULL) {
		char *shown = ps_cli_printable(f->path_prefix);

		printf(", under %s", shown != NULL ? shown : "?");
		free(shown);
	}
	if (f->include_reviewed)
		printf(", reviewed findings included");
	putchar('\n');
}

/* A section of name/count rows, at most `limit` of them. */
struct listing {
	const char *title, *column;
	int limit, shown;
};

static int
print_listing_row(void *ctx, const struct ps_agg_row *row)
{
	struct listing *l = ctx;
	char *shown;

	if (l->shown == 0)
		printf("\n%s\n  %8s  %s\n", l->title, "count", l->column);
	if (l->limit > 0 && l->shown >= l->limit)
		return 1;
	shown = ps_cli_printable(row->a);
	printf("  %8lld  %s\n", (long long)row->count, shown != NULL ? shown : "?");
	free(shown);
	l->shown++;
	return 0;
}

static int
note_reviewed(void *ctx, const struct ps_agg_row *row)
{
	*(long long *)ctx = strtoll(row->a, NULL, 10);
	return 0;
}

static const struct option long_options[] = {
	PS_OPTION_DB, PS_OPTIONS_FILTER, PS_OPTION_HELP,
	{ NULL, 0, NULL, 0 },
};

int
ps_cmd_report(int argc, char **argv)
{
	struct ps_read_opts ro;
	struct ps_inventory *inv = NULL;
	struct ps_scan_row scan = { 0 };
	struct status_tally files = { 0 };
	struct type_tables types = { 0 };
	struct dir_counts dirs = { 0 };
	struct ps_filter filter;
	struct listing owners = { "Top owners", "owner (findings)", TOP_DIRECTORIES, 0 };
	struct listing ftypes = { "File types holding findings", "type (files)", 0, 0 };
	struct listing years = { "Age of files holding findings", "year modified (files)",
		0, 0 };
	long long reviewed = 0;
	const char *db;
	int status;

	if ((status = ps_cli_parse_read(argc, argv, "h", long_options, usage,
		 NULL, NULL, &ro)) >= 0)
		return status;
	status = PS_EXIT_USAGE;
	db = ro.db;
	if ((inv = ps_cli_open_inventory(db)) == NULL)
		goto done;
	if (!ps_cli_load_scan(inv, db, ro.scan_id, &scan))
		goto done;
	ps_cli_filter(&ro, scan.id, &filter);
	if (ps_inventory_aggregate(inv, PS_Q_STATUS, &filter, tally_status,
		&files) != PS_OK
	    || ps_inventory_aggregate(inv, PS_Q_BY_TYPE, &filter, tally_type,
		&types) != PS_OK
	    || ps_inventory_aggregate(inv, PS_Q_DISTINCT, &filter, tally_distinct,
		&types) != PS_OK
	    || ps_inventory_aggregate(inv, PS_Q_FILE_COUNTS, &filter, collect_dir,
		&dirs) != PS_OK || dirs.failed
	    || ps_inventory_aggregate(inv, PS_Q_COUNT, &filter, note_reviewed,
		&reviewed) != PS_OK) {
		ps_cli_error("cannot read database '%s': %s", db, ps_inventory_errmsg(inv));
		goto done;
	}
	print_header(&scan, &filter);
	printf("\nFiles\n");
	printf("  seen      %8lld\n", (long long)(files.ok + files.partial
	    + files.skipped + files.error));
	printf("  scanned   %8lld  (fully %lld, partly %lld)\n",
	    (long long)(files.ok + files.partial), (long long)files.ok,
	    (long long)files.partial);
	printf("  skipped   %8lld\n", (long long)files.skipped);
	printf("  failed    %8lld\n", (long long)files.error);
	printf("  gone      %8lld  (seen before, not found by this scan)\n",
	    (long long)files.gone);
	printf("  bytes     %8lld  (read by this scan; unchanged files are not "
	    "read again)\n", (long long)scan.bytes);
	ps_inventory_aggregate(inv, PS_Q_STATUS, &filter, print_not_examined, &files);

	printf("\nFindings\n  %-10s %8s %8s %8s %8s %9s\n", "type", "high",
	    "medium", "low", "total", "distinct");
	if (types.count == 0)
		printf("  (none)\n");
	for (size_t i = 0; i < types.count; i++) {
		const struct type_table *t = &types.rows[i];
		int64_t total = t->by_conf[1] + t->by_conf[2] + t->by_conf[3];

		printf("  %-10s %8lld %8lld %8lld %8lld %9lld\n", t->type,
		    (long long)t->by_conf[PS_CONF_HIGH],
		    (long long)t->by_conf[PS_CONF_MEDIUM],
		    (long long)t->by_conf[PS_CONF_LOW], (long long)total,
		    (long long)t->distinct);
	}
	if (reviewed > 0)
		printf("  (%lld findings marked false-positive or test-data left out; "
		    "--include-reviewed shows them)\n", reviewed);
	print_top_directories(&dirs);
	if (ps_inventory_aggregate(inv, PS_Q_BY_OWNER, &filter, print_listing_row,
		&owners) != PS_OK
	    || ps_inventory_aggregate(inv, PS_Q_BY_FILETYPE, &filter,
		print_listing_row, &ftypes) != PS_OK
	    || ps_inventory_aggregate(inv, PS_Q_BY_YEAR, &filter, print_listing_row,
		&years) != PS_OK) {
		ps_cli_error("cannot read database '%s': %s", db, ps_inventory_errmsg(inv));
		goto done;
	}
	status = PS_EXIT_CLEAN;
done:
	for (size_t i = 0; i < dirs.count; i++)
		free(dirs.items[i].dir);
	free(dirs.items);
	ps_scan_row_clear(&scan);
	ps_inventory_close(inv);
	ps_read_opts_free(&ro);
	return status;
}

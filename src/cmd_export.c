/*
 * cmd_export.c - `piiscan export`: the inventory as JSON Lines or CSV.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "json.h"

enum format { FORMAT_JSONL, FORMAT_CSV };

struct export {
	FILE *out;
	enum format format;
	int64_t scan_id;
};

static void
usage(FILE *out)
{
	fprintf(out,
	    "usage: piiscan export [options]\n"
	    "\n"
	    "Write the records of a scan: its scan record, its files and findings.\n"
	    "\n"
	    "  --db FILE               inventory database (default ./piiscan.db)\n"
	    "  --format jsonl|csv      output format (default jsonl)\n"
	    "  -o, --output FILE       write to FILE (default: standard output)\n"
	    "  --scan N                scan N (default: the latest)\n"
	    "  --min-confidence LEVEL  low, medium or high (default medium)\n"
	    "  -h, --help              this help\n");
}

static void
time_field(FILE *out, const char *name, int64_t t)
{
	char iso[32];

	if (t == 0) {
		fprintf(out, ",\"%s\":null", name);
		return;
	}
	ps_time_iso(t, iso, sizeof iso);
	fprintf(out, ",\"%s\":\"%s\"", name, iso);
}

static void
jsonl_scan(FILE *out, const struct ps_scan_row *s)
{
	fprintf(out, "{\"record\":\"scan\",\"scan_id\":%lld", (long long)s->id);
	time_field(out, "started", s->started);
	time_field(out, "finished", s->finished);
	fprintf(out, ",\"status\":");
	ps_json_string(out, s->status, strlen(s->status));
	fprintf(out, ",\"roots\":%s,\"version\":", s->roots);
	ps_json_string(out, s->version, strlen(s->version));
	fprintf(out, ",\"patterns_sha256\":\"%s\",\"files\":%lld,\"bytes\":%lld,"
	    "\"findings\":%lld,\"errors\":%lld}\n", s->patterns_sha256,
	    (long long)s->files, (long long)s->bytes, (long long)s->findings,
	    (long long)s->errors);
}

static int
jsonl_file(void *ctx, const struct ps_file_row *f)
{
	struct export *x = ctx;
	FILE *out = x->out;

	fputs("{\"record\":\"file\",\"path\":", out);
	ps_json_string(out, f->path, f->path_len);
	fprintf(out, ",\"size\":%lld", (long long)f->size);
	time_field(out, "mtime", f->mtime);
	fputs(",\"owner\":", out);
	ps_json_string(out, f->owner, strlen(f->owner));
	fputs(",\"type\":", out);
	ps_json_string(out, f->type, strlen(f->type));
	fputs(",\"status\":", out);
	ps_json_string(out, f->status, strlen(f->status));
	if (f->error[0] != '\0') {
		fputs(",\"error\":", out);
		ps_json_string(out, f->error, strlen(f->error));
	}
	fprintf(out, ",\"findings\":%lld}\n", (long long)f->findings);
	return 0;
}

static int
jsonl_finding(void *ctx, const struct ps_finding_row *f)
{
	struct export *x = ctx;
	FILE *out = x->out;

	fputs("{\"record\":\"finding\",\"path\":", out);
	ps_json_string(out, f->path, f->path_len);
	fputs(",\"member\":", out);
	ps_json_string(out, f->member, f->member_len);
	fputs(",\"where\":", out);
	ps_json_string(out, f->where, strlen(f->where));
	fputs(",\"type\":", out);
	ps_json_string(out, f->type, strlen(f->type));
	fprintf(out, ",\"confidence\":\"%s\",\"masked\":",
	    ps_confidence_name(f->confidence));
	ps_json_string(out, f->masked, strlen(f->masked));
	fprintf(out, ",\"value_hash\":\"%s\"}\n", f->value_hash);
	return 0;
}

/* RFC 4180 field: quoted when it holds a comma, quote or line break. */
static void
csv_field(FILE *out, const void *bytes, size_t len, bool last)
{
	const char *p = bytes;
	bool quote = len > 0 && (memchr(p, ',', len) != NULL
	    || memchr(p, '"', len) != NULL || memchr(p, '\n', len) != NULL
	    || memchr(p, '\r', len) != NULL);

	if (quote)
		putc('"', out);
	for (size_t i = 0; i < len; i++) {
		if (p[i] == '"')
			putc('"', out);
		putc(p[i], out);
	}
	if (quote)
		putc('"', out);
	fputs(last ? "\r\n" : ",", out);
}

static int
csv_finding(void *ctx, const struct ps_finding_row *f)
{
	struct export *x = ctx;
	const char *conf = ps_confidence_name(f->confidence);
	char id[24];

	csv_field(x->out, f->path, f->path_len, false);
	csv_field(x->out, f->member, f->member_len, false);
	csv_field(x->out, f->where, strlen(f->where), false);
	csv_field(x->out, f->type, strlen(f->type), false);
	csv_field(x->out, conf, strlen(conf), false);
	csv_field(x->out, f->masked, strlen(f->masked), false);
	csv_field(x->out, f->value_hash, strlen(f->value_hash), false);
	snprintf(id, sizeof id, "%lld", (long long)x->scan_id);
	csv_field(x->out, id, strlen(id), true);
	return 0;
}

enum { OPT_FORMAT = PS_OPT_OWN };

static const struct option long_options[] = {
	PS_OPTION_DB, PS_OPTION_SCAN, PS_OPTION_MIN_CONF, PS_OPTION_HELP,
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "output", required_argument, NULL, 'o' },
	{ NULL, 0, NULL, 0 },
};

struct export_opts {
	enum format format;
	const char *output;
};

static int
export_option(void *ctx, int c, const char *arg)
{
	struct export_opts *eo = ctx;

	if (c == 'o') {
		eo->output = arg;
	} else if (strcmp(arg, "jsonl") == 0) {
		eo->format = FORMAT_JSONL;
	} else if (strcmp(arg, "csv") == 0) {
		eo->format = FORMAT_CSV;
	} else {
		ps_cli_error("--format: expected jsonl or csv, not '%s'", arg);
		return PS_EXIT_USAGE;
	}
	return 0;
}

int
ps_cmd_export(int argc, char **argv)
{
	struct export_opts eo = { FORMAT_JSONL, NULL };
	struct ps_read_opts ro;
	struct export x = { stdout, FORMAT_JSONL, 0 };
	struct ps_inventory *inv = NULL;
	struct ps_scan_row scan = { 0 };
	const char *db, *output;
	char *tmp = NULL;
	int status;
	enum ps_error err;

	if ((status = ps_cli_parse_read(argc, argv, "o:h", long_options, usage,
		 export_option, &eo, &ro)) >= 0)
		return status;
	status = PS_EXIT_USAGE;
	db = ro.db;
	output = eo.output;
	x.format = eo.format;
	x.scan_id = ro.scan_id;
	if ((inv = ps_cli_open_inventory(db)) == NULL)
		return PS_EXIT_USAGE;
	if (!ps_cli_load_scan(inv, db, x.scan_id, &scan))
		goto done;
	x.scan_id = scan.id;
	/* Write beside the target and rename: never a half-written export. */
	if (output != NULL) {
		if (asprintf(&tmp, "%s.tmp", output) < 0 || (x.out = fopen(tmp, "w")) == NULL) {
			ps_cli_error("cannot write '%s': %s", output, strerror(errno));
			goto done;
		}
	}
	if (x.format == FORMAT_JSONL) {
		jsonl_scan(x.out, &scan);
		err = ps_inventory_files_each(inv, scan.id, jsonl_file, &x);
		if (err == PS_OK)
			err = ps_inventory_findings_each(inv, scan.id, ro.min_conf,
			    jsonl_finding, &x);
	} else {
		fputs("path,member,where,type,confidence,masked,value_hash,scan_id\r\n", x.out);
		err = ps_inventory_findings_each(inv, scan.id, ro.min_conf, csv_finding,
		    &x);
	}
	if (err != PS_OK) {
		ps_cli_error("cannot read database '%s': %s", db, ps_inventory_errmsg(inv));
		goto done;
	}
	if (fflush(x.out) != 0 || ferror(x.out)) {
		ps_cli_error("cannot write '%s': %s", output != NULL ? output : "stdout",
		    strerror(errno));
		goto done;
	}
	if (output != NULL) {
		if (fclose(x.out) != 0 || rename(tmp, output) != 0) {
			x.out = NULL;
			ps_cli_error("cannot write '%s': %s", output, strerror(errno));
			goto done;
		}
		x.out = NULL;
	}
	status = PS_EXIT_CLEAN;
done:
	if (output != NULL && x.out != NULL)
		fclose(x.out);
	if (tmp != NULL && status != PS_EXIT_CLEAN)
		unlink(tmp);
	free(tmp);
	ps_scan_row_clear(&scan);
	ps_inventory_close(inv);
	return status;
}

/*
 * cmd_export.c - `piiscan export`: a scan's records as JSON Lines, CSV or
 * one HTML page, with a SHA-256 digest written beside the file and the
 * export recorded in the inventory (chain of custody).
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "csvout.h"
#include "export.h"
#include "json.h"

static void
usage(FILE *out)
{
	fprintf(out,
	    "usage: piiscan export [options]\n"
	    "\n"
	    "Write the records of a scan: its scan record, its files and findings.\n"
	    "\n"
	    "  --db FILE               inventory database (default ./piiscan.db)\n"
	    "  --format jsonl|csv|html output format (default jsonl)\n"
	    "  -o, --output FILE       write to FILE, and its digest to FILE.sha256\n"
	    "                          (default: standard output)\n"
	    "  --scan N                scan N (default: the latest)\n"
	    "  --min-confidence LEVEL  low, medium or high (default medium)\n"
	    "  --type TYPE             only findings of this type\n"
	    "  --path-prefix PATH      only files under PATH\n"
	    "  --include-reviewed      keep findings marked false-positive or test-data\n"
	    "  -h, --help              this help\n");
}

/* --- JSON Lines ---------------------------------------------------------- */

static enum ps_error
jsonl_scan(struct ps_export *x)
{
	const struct ps_scan_row *s = x->scan;
	FILE *out = x->out;

	fprintf(out, "{\"record\":\"scan\",\"scan_id\":%lld", (long long)s->id);
	ps_json_time_field(out, "started", s->started);
	ps_json_time_field(out, "finished", s->finished);
	ps_json_text_field(out, "status", s->status);
	fprintf(out, ",\"roots\":%s", s->roots);
	ps_json_text_field(out, "version", s->version);
	fprintf(out, ",\"patterns_sha256\":\"%s\",\"files\":%lld,\"bytes\":%lld,"
	    "\"findings\":%lld,\"errors\":%lld", s->patterns_sha256,
	    (long long)s->files, (long long)s->bytes, (long long)s->findings,
	    (long long)s->errors);
	fprintf(out, ",\"skipped\":%lld,\"partial\":%lld,\"gone\":%lld",
	    (long long)s->skipped, (long long)s->partial, (long long)s->gone);
	ps_json_text_field(out, "host", s->host);
	ps_json_text_field(out, "user", s->user);
	fprintf(out, ",\"options\":%s", s->options[0] != '\0' ? s->options : "{}");
	ps_json_text_field(out, "rules", s->rules);
	ps_json_text_field(out, "key_id", s->key_id);
	/* A scan of an estate: which, and the scans shown with it. */
	if (s->estate != NULL) {
		ps_json_text_field(out, "estate", s->estate);
		if (s->shard != NULL) {
			ps_json_text_field(out, "shard", s->shard);
			fprintf(out, ",\"shard_depth\":%lld,\"shards_seen\":%lld",
			    (long long)s->shard_depth, (long long)s->shards_seen);
		}
		fprintf(out, ",\"scans\":[%s]", s->scan_ids);
	}
	fprintf(out, ",\"atime_touched\":%lld}\n", (long long)s->atime_touched);
	return PS_OK;
}

static int
jsonl_file(void *ctx, const struct ps_file_row *f)
{
	FILE *out = ((struct ps_export *)ctx)->out;

	fputs("{\"record\":\"file\",\"path\":", out);
	ps_json_string(out, f->path, f->path_len);
	fprintf(out, ",\"size\":%lld", (long long)f->size);
	ps_json_time_field(out, "mtime", f->mtime);
	ps_json_text_field(out, "owner", f->owner);
	ps_json_text_field(out, "type", f->type);
	ps_json_text_field(out, "status", f->status);
	if (f->error[0] != '\0')
		ps_json_text_field(out, "error", f->error);
	fprintf(out, ",\"findings\":%lld", (long long)f->findings);
	if (f->messages >= 0)
		fprintf(out, ",\"messages\":%lld,\"messages_failed\":%lld",
		    (long long)f->messages, (long long)f->messages_failed);
	fputs("}\n", out);
	return 0;
}

static int
jsonl_finding(void *ctx, const struct ps_finding_row *f)
{
	FILE *out = ((struct ps_export *)ctx)->out;

	fputs("{\"record\":\"finding\",\"path\":", out);
	ps_json_string(out, f->path, f->path_len);
	fputs(",\"member\":", out);
	ps_json_string(out, f->member, f->member_len);
	ps_json_text_field(out, "where", f->where);
	ps_json_text_field(out, "type", f->type);
	fprintf(out, ",\"confidence\":\"%s\"", ps_confidence_name(f->confidence));
	ps_json_text_field(out, "masked", f->masked);
	fprintf(out, ",\"value_hash\":\"%s\"", f->value_hash);
	if (f->review[0] != '\0')
		ps_json_text_field(out, "review", f->review);
	fputs("}\n", out);
	return 0;
}

static enum ps_error
export_jsonl(struct ps_export *x)
{
	enum ps_error err = jsonl_scan(x);

	if (err == PS_OK)
		err = ps_inventory_files_each(x->inv, &x->filter, jsonl_file, x);
	if (err == PS_OK)
		err = ps_inventory_findings_each(x->inv, &x->filter, jsonl_finding, x);
	return err;
}

/* --- CSV ------------------------------------------------------------------ */

/* What the scan was, on every row: a CSV file has no other place for it,
 * and a row cut out of it still says where it came from. */
static void
csv_scan_columns(FILE *out, const struct ps_scan_row *s)
{
	char iso[32];

	ps_time_iso(s->started, iso, sizeof iso);
	ps_csv_text(out, iso, false);
	if (s->finished != 0)
		ps_time_iso(s->finished, iso, sizeof iso);
	ps_csv_text(out, s->finished != 0 ? iso : "", false);
	ps_csv_text(out, s->status, false);
	ps_csv_text(out, s->host, false);
	ps_csv_text(out, s->user, false);
	ps_csv_text(out, s->version, false);
	ps_csv_text(out, s->patterns_sha256, false);
	ps_csv_text(out, s->rules, true);
}

static int
csv_finding(void *ctx, const struct ps_finding_row *f)
{
	const struct ps_export *x = ctx;
	FILE *out = x->out;
	char num[32], iso[32];

	ps_csv_field(out, f->path, f->path_len, false);
	ps_csv_field(out, f->member, f->member_len, false);
	ps_csv_text(out, f->where, false);
	ps_csv_text(out, f->type, false);
	ps_csv_text(out, ps_confidence_name(f->confidence), false);
	ps_csv_text(out, f->masked, false);
	ps_csv_text(out, f->value_hash, false);
	ps_csv_text(out, f->owner, false);
	ps_time_iso(f->mtime, iso, sizeof iso);
	ps_csv_text(out, f->mtime != 0 ? iso : "", false);
	snprintf(num, sizeof num, "%lld", (long long)f->scan_id);
	ps_csv_text(out, num, false);
	ps_csv_text(out, f->file_status, false);
	ps_csv_text(out, f->review, false);
	snprintf(num, sizeof num, "%lld", (long long)f->id);
	ps_csv_text(out, num, false);
	csv_scan_columns(out, x->scan);
	return 0;
}

static enum ps_error
export_csv(struct ps_export *x)
{
	fputs("path,member,where,type,confidence,masked,value_hash,owner,mtime,"
	    "scan_id,status,review,finding_id,scan_started,scan_finished,"
	    "scan_status,scan_host,scan_user,piiscan_version,patterns_sha256,"
	    "rules\r\n", x->out);
	return ps_inventory_findings_each(x->inv, &x->filter, csv_finding, x);
}

/* --- the command ------------------------------------------------------------ */

static const struct {
	const char *name;
	enum ps_error (*write)(struct ps_export *x);
} formats[] = {
	{ "jsonl", export_jsonl },
	{ "csv", export_csv },
	{ "html", ps_export_html },
};

/* Output that is hashed as it is written: the digest of exactly the
 * bytes that reached the file. */
struct hashed {
	FILE *to;
	crypto_hash_sha256_state st;
};

static ssize_t
hashed_write(void *cookie, const char *buf, size_t len)
{
	struct hashed *h = cookie;

	crypto_hash_sha256_update(&h->st, (const unsigned char *)buf, len);
	return fwrite(buf, 1, len, h->to) == len ? (ssize_t)len : -1;
}

enum { OPT_FORMAT = PS_OPT_OWN };

static const struct option long_options[] = {
	PS_OPTION_DB, PS_OPTIONS_FILTER, PS_OPTION_HELP,
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "output", required_argument, NULL, 'o' },
	{ NULL, 0, NULL, 0 },
};

struct export_opts {
	size_t format;
	const char *output;
};

static int
export_option(void *ctx, int c, const char *arg)
{
	struct export_opts *eo = ctx;

	if (c == 'o') {
		eo->output = arg;
		return 0;
	}
	for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++)
		if (strcmp(arg, formats[i].name) == 0) {
			eo->format = i;
			return 0;
		}
	ps_cli_error("--format: expected jsonl, csv or html, not '%s'", arg);
	return PS_EXIT_USAGE;
}

/* FILE.sha256 in sha256sum(1) format, beside FILE. */
static bool
write_digest_file(const char *output, const char *hex)
{
	const char *base = strrchr(output, '/');
	char *path = NULL;
	FILE *f;
	bool ok;

	if (asprintf(&path, "%s.sha256", output) < 0)
		return false;
	if ((f = fopen(path, "w")) == NULL) {
		free(path);
		return false;
	}
	fprintf(f, "%s  %s\n", hex, base != NULL ? base + 1 : output);
	ok = fclose(f) == 0;
	free(path);
	return ok;
}

int
ps_cmd_export(int argc, char **argv)
{
	static const cookie_io_functions_t hashed_io = { NULL, hashed_write, NULL, NULL };
	struct export_opts eo = { 0, NULL };
	struct ps_read_opts ro;
	struct ps_export x = { 0 };
	struct ps_inventory *inv = NULL;
	struct ps_scan_row scan = { 0 };
	struct hashed h = { 0 };
	unsigned char digest[crypto_hash_sha256_BYTES];
	char hex[65], *tmp = NULL, *user = NULL, *host = NULL, *abs_out = NULL;
	FILE *target = NULL, *out = NULL;
	int status;
	enum ps_error err;

	if ((status = ps_cli_parse_read(argc, argv, "o:h", long_options, usage,
		 export_option, &eo, &ro)) >= 0)
		return status;
	status = PS_EXIT_USAGE;
	if (sodium_init() < 0) {
		ps_cli_error("cannot start libsodium");
		goto done;
	}
	if ((inv = ps_cli_open_inventory(ro.db)) == NULL)
		goto done;
	if (!ps_cli_load_scan(inv, ro.db, ro.scan_id, &scan))
		goto done;
	/* Write beside the target and rename: never a half-written export. */
	if (eo.output != NULL) {
		if (asprintf(&tmp, "%s.tmp", eo.output) < 0
		    || (target = fopen(tmp, "w")) == NULL) {
			ps_cli_error("cannot write '%s': %s", eo.output, strerror(errno));
			goto done;
		}
	} else {
		target = stdout;
	}
	h.to = target;
	crypto_hash_sha256_init(&h.st);
	if ((out = fopencookie(&h, "w", hashed_io)) == NULL) {
		ps_cli_error("out of memory");
		goto done;
	}
	x.out = out;
	x.inv = inv;
	x.scan = &scan;
	x.to_file = eo.output != NULL;
	ps_cli_filter(&ro, scan.id, &x.filter);
	err = formats[eo.format].write(&x);
	if (err == PS_ERR_DB) {
		ps_cli_error("cannot read database '%s': %s", ro.db,
		    ps_inventory_errmsg(inv));
		goto done;
	} else if (err != PS_OK) {
		ps_cli_error("cannot export: %s", ps_strerror(err));
		goto done;
	}
	if (fclose(out) != 0 || fflush(target) != 0 || ferror(target)) {
		out = NULL;
		ps_cli_error("cannot write '%s': %s", eo.output != NULL ? eo.output
		    : "standard output", strerror(errno));
		goto done;
	}
	out = NULL;
	crypto_hash_sha256_final(&h.st, digest);
	sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
	if (eo.output != NULL) {
		if (fclose(target) != 0 || rename(tmp, eo.output) != 0) {
			target = NULL;
			ps_cli_error("cannot write '%s': %s", eo.output, strerror(errno));
			goto done;
		}
		target = NULL;
		if (!write_digest_file(eo.output, hex)) {
			ps_cli_error("cannot write '%s.sha256': %s", eo.output,
			    strerror(errno));
			goto done;
		}
	}
	user = ps_cli_username();
	host = ps_cli_hostname();
	abs_out = eo.output != NULL ? ps_cli_absolute(eo.output) : strdup("-");
	if (user == NULL || host == NULL || abs_out == NULL) {
		ps_cli_error("out of memory");
		goto done;
	}
	if (ps_inventory_record_export(inv, scan.id, formats[eo.format].name,
		abs_out, hex, user, host) != PS_OK) {
		ps_cli_error("cannot record the export in '%s': %s", ro.db,
		    ps_inventory_errmsg(inv));
		goto done;
	}
	status = PS_EXIT_CLEAN;
done:
	if (out != NULL)
		fclose(out);
	if (target != NULL && target != stdout)
		fclose(target);
	if (tmp != NULL && status != PS_EXIT_CLEAN)
		unlink(tmp);
	free(tmp);
	free(user);
	free(host);
	free(abs_out);
	ps_scan_row_clear(&scan);
	ps_inventory_close(inv);
	ps_read_opts_free(&ro);
	return status;
}

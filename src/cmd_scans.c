/*
 * cmd_scans.c - `piiscan scans`: the scan history.
 */
#include "config.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "json.h"

static void
usage(FILE *out)
{
	fprintf(out,
	    "usage: piiscan scans [options]\n"
	    "\n"
	    "List the scans recorded in the inventory, oldest first.\n"
	    "\n"
	    "  --db FILE    inventory database (default ./piiscan.db)\n"
	    "  -h, --help   this help\n");
}

static int
print_scan(void *ctx, const struct ps_scan_row *s)
{
	char started[32], finished[32];

	(void)ctx;
	ps_time_iso(s->started, started, sizeof started);
	if (s->finished != 0)
		ps_time_iso(s->finished, finished, sizeof finished);
	else
		snprintf(finished, sizeof finished, "-");
	printf("%4lld  %-20s  %-20s  %-11s  %8lld  %8lld  %6lld  %-9s  %s",
	    (long long)s->id, started, finished, s->status, (long long)s->files,
	    (long long)s->findings, (long long)s->errors,
	    s->shard != NULL ? s->shard : "-", s->roots);
	if (s->estate != NULL) {
		char *shown = ps_cli_printable(s->estate);

		printf("  estate %s", shown != NULL ? shown : "?");
		free(shown);
	}
	putchar('\n');
	return 0;
}

static const struct option long_options[] = {
	PS_OPTION_DB, PS_OPTION_HELP,
	{ NULL, 0, NULL, 0 },
};

int
ps_cmd_scans(int argc, char **argv)
{
	struct ps_read_opts ro;
	struct ps_inventory *inv;
	const char *db;
	int status;

	if ((status = ps_cli_parse_read(argc, argv, "h", long_options, usage,
		 NULL, NULL, &ro)) >= 0)
		return status;
	status = PS_EXIT_CLEAN;
	db = ro.db;
	if ((inv = ps_cli_open_inventory(db)) == NULL)
		return PS_EXIT_USAGE;
	printf("%4s  %-20s  %-20s  %-11s  %8s  %8s  %6s  %-9s  %s\n", "scan", "started",
	    "finished", "status", "files", "findings", "errors", "shard", "roots");
	if (ps_inventory_scans_each(inv, print_scan, NULL) != PS_OK) {
		ps_cli_error("cannot read database '%s': %s", db, ps_inventory_errmsg(inv));
		status = PS_EXIT_USAGE;
	}
	ps_inventory_close(inv);
	return status;
}

/*
 * cmd_merge.c - `piiscan merge`: the inventories of shard scans (or of
 * any scans) made into one, input by input.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"

static void
usage(FILE *out)
{
	fprintf(out,
	    "usage: piiscan merge --db OUT.db [options] IN.db...\n"
	    "\n"
	    "Copy the scans, files, findings, review marks and export records of\n"
	    "each IN.db into OUT.db (made if missing), one transaction per input.\n"
	    "Merging an input again changes nothing.  Inputs made with another key\n"
	    "than OUT.db's scans (or the first input's) are refused.\n"
	    "\n"
	    "  --db FILE    the inventory merged into (default ./piiscan.db)\n"
	    "  --wait       wait while a scan writes OUT.db\n"
	    "  -h, --help   this help\n"
	    "\n"
	    "Exit status: 0 every input merged, 2 an input could not be merged\n"
	    "(those before it are merged).\n");
}

enum { OPT_DB = 256, OPT_WAIT };

static const struct option long_options[] = {
	{ "db", required_argument, NULL, OPT_DB },
	{ "wait", no_argument, NULL, OPT_WAIT },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* Whether a and b are the same file (an output merged into itself would
 * wait on its own lock). */
static bool
same_file(const char *a, const char *b)
{
	struct stat sa, sb;

	return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev
	    && sa.st_ino == sb.st_ino;
}

int
ps_cmd_merge(int argc, char **argv)
{
	const char *db = PS_DEFAULT_DB;
	struct ps_inventory *inv = NULL;
	char why[512], key[PS_MERGE_KEY_LEN] = "", *out_path = NULL;
	bool wait = false;
	int c, status = PS_EXIT_USAGE;
	enum ps_error err;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", long_options, NULL)) != -1) {
		switch (c) {
		case OPT_DB:
			db = optarg;
			break;
		case OPT_WAIT:
			wait = true;
			break;
		case 'h':
			usage(stdout);
			return PS_EXIT_CLEAN;
		default:
			usage(stderr);
			return PS_EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		ps_cli_error("merge: no inventory to merge given");
		usage(stderr);
		return PS_EXIT_USAGE;
	}
	/* The output opens with URI names allowed (the inputs are attached
	 * as file:...?mode=ro): a name of its own that looks like one is
	 * kept a plain name. */
	if (strncmp(db, "file:", 5) == 0 ? asprintf(&out_path, "./%s", db) < 0
	    : (out_path = strdup(db)) == NULL) {
		ps_cli_error("out of memory");
		return PS_EXIT_USAGE;
	}
	for (int i = optind; i < argc; i++) {
		struct stat st;

		if (stat(argv[i], &st) != 0 || !S_ISREG(st.st_mode)) {
			ps_cli_error("cannot merge '%s': %s", argv[i],
			    stat(argv[i], &st) != 0 ? strerror(errno) : "not a file");
			goto done;
		}
	}
	if (ps_inventory_open(out_path, PS_INV_WRITE | PS_INV_URI
		| (wait ? PS_INV_WAIT : 0), &inv, why, sizeof why) != PS_OK) {
		ps_cli_error("cannot write database '%s': %s", db, why);
		goto done;
	}
	for (int i = optind; i < argc; i++) {
		struct ps_merge_stats stats;
		char *shown = ps_cli_printable(argv[i]);

		if (same_file(argv[i], out_path)) {
			ps_cli_error("cannot merge '%s' into itself", shown ? shown : "?");
			free(shown);
			goto done;
		}
		err = ps_inventory_merge(inv, argv[i], key, &stats, why, sizeof why);
		if (err != PS_OK) {
			ps_cli_error("cannot merge '%s': %s", shown ? shown : "?", why);
			free(shown);
			goto done;
		}
		printf("merged %s: %lld scans new, %lld updated, %lld already there; "
		    "%lld files; %lld findings, %lld review marks, %lld exports added\n",
		    shown ? shown : "?", (long long)stats.scans_added,
		    (long long)stats.scans_updated, (long long)stats.scans_known,
		    (long long)stats.files, (long long)stats.findings,
		    (long long)stats.reviews, (long long)stats.exports);
		free(shown);
	}
	status = PS_EXIT_CLEAN;
done:
	ps_inventory_close(inv);
	free(out_path);
	return status;
}

/*
 * cmd_mark.c - `piiscan mark`: record a review decision on a finding, a
 * file or a value, or list the decisions made.
 */
#include "config.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "json.h"

static const char *const statuses[] = {
	"false-positive", "test-data", "confirmed", "remediated", NULL,
};

static void
usage(FILE *out)
{
	fprintf(out,
	    "usage: piiscan mark --status STATUS --reason TEXT TARGET [--db FILE]\n"
	    "       piiscan mark --list [--db FILE]\n"
	    "\n"
	    "Record what a reviewer decided.  Marks hold across rescans; findings\n"
	    "marked false-positive or test-data are left out of report and export\n"
	    "unless --include-reviewed.  The latest mark of a finding counts.\n"
	    "\n"
	    "  --status STATUS      false-positive, test-data, confirmed or remediated\n"
	    "  --reason TEXT        why (required; stored with who and when)\n"
	    "TARGET, one of:\n"
	    "  --finding ID         one finding (finding_id in export --format csv)\n"
	    "  --file PATH          every finding in a file\n"
	    "  --value-hash HASH    every finding of a value (its value_hash)\n"
	    "\n"
	    "  --list               print the marks made so far\n"
	    "  --db FILE            inventory database (default ./piiscan.db)\n"
	    "  -h, --help           this help\n");
}

static int
print_review(void *ctx, const struct ps_review_row *r)
{
	char when[32], *shown = NULL;

	(void)ctx;
	ps_time_iso(r->at, when, sizeof when);
	printf("%lld  %s  %-14s  %s  by %s: ", (long long)r->id, when, r->status,
	    r->kind, r->by[0] != '\0' ? r->by : "?");
	if (strcmp(r->kind, "value") == 0) {
		printf("value_hash %s", r->value_hash);
	} else {
		char *path = strndup((const char *)r->path, r->path_len);

		shown = path != NULL ? ps_cli_printable(path) : NULL;
		printf("%s", shown != NULL ? shown : "?");
		free(path);
		free(shown);
		shown = NULL;
		if (strcmp(r->kind, "finding") == 0) {
			char *member = strndup((const char *)r->member, r->member_len);

			shown = member != NULL ? ps_cli_printable(member) : NULL;
			if (shown != NULL && shown[0] != '\0')
				printf(" [%s]", shown);
			printf(" %s value_hash %.16s...", r->where, r->value_hash);
			free(member);
			free(shown);
		}
	}
	shown = ps_cli_printable(r->reason);
	printf("  (%s)\n", shown != NULL ? shown : "");
	free(shown);
	return 0;
}

static bool
is_hash(const char *s)
{
	size_t n = strlen(s);

	if (n != PS_HASH_HEX_LEN)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

enum { OPT_DB = 256, OPT_STATUS, OPT_REASON, OPT_FINDING, OPT_FILE, OPT_HASH, OPT_LIST };

static const struct option long_options[] = {
	{ "db", required_argument, NULL, OPT_DB },
	{ "status", required_argument, NULL, OPT_STATUS },
	{ "reason", required_argument, NULL, OPT_REASON },
	{ "finding", required_argument, NULL, OPT_FINDING },
	{ "file", required_argument, NULL, OPT_FILE },
	{ "value-hash", required_argument, NULL, OPT_HASH },
	{ "list", no_argument, NULL, OPT_LIST },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

int
ps_cmd_mark(int argc, char **argv)
{
	const char *db = PS_DEFAULT_DB, *status_name = NULL, *reason = NULL;
	const char *hash = NULL, *file = NULL, *target = NULL;
	struct ps_inventory *inv = NULL;
	struct ps_review rv;
	char *path = NULL, *user = NULL;
	uint64_t finding = 0;
	bool list = false, found = false;
	int c, targets = 0, status = PS_EXIT_USAGE;
	enum ps_error err;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", long_options, NULL)) != -1) {
		switch (c) {
		case OPT_DB:
			db = optarg;
			break;
		case OPT_STATUS:
			status_name = optarg;
			break;
		case OPT_REASON:
			reason = optarg;
			break;
		case OPT_FINDING:
			if (!ps_cli_parse_uint(optarg, 1, INT64_MAX, &finding)) {
				ps_cli_error("--finding: expected a finding id, not '%s'", optarg);
				return PS_EXIT_USAGE;
			}
			targets++;
			break;
		case OPT_FILE:
			file = optarg;
			targets++;
			break;
		case OPT_HASH:
			hash = optarg;
			targets++;
			break;
		case OPT_LIST:
			list = true;
			break;
		case 'h':
			usage(stdout);
			return PS_EXIT_CLEAN;
		default:
			usage(stderr);
			return PS_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		ps_cli_error("mark: unexpected argument '%s'", argv[optind]);
		return PS_EXIT_USAGE;
	}
	if (!list) {
		bool known = false;

		for (size_t i = 0; status_name != NULL && statuses[i] != NULL; i++)
			known |= strcmp(statuses[i], status_name) == 0;
		if (!known) {
			ps_cli_error("mark: --status must be false-positive, test-data, "
			    "confirmed or remediated");
			return PS_EXIT_USAGE;
		}
		if (reason == NULL || reason[0] == '\0') {
			ps_cli_error("mark: --reason is required");
			return PS_EXIT_USAGE;
		}
		if (targets != 1) {
			ps_cli_error("mark: give exactly one of --finding, --file, --value-hash");
			return PS_EXIT_USAGE;
		}
		if (hash != NULL && !is_hash(hash)) {
			ps_cli_error("mark: --value-hash: expected 64 lower-case hex characters");
			return PS_EXIT_USAGE;
		}
	}
	if ((inv = ps_cli_open_inventory(db)) == NULL)
		goto done;
	if (list) {
		if (ps_inventory_reviews_each(inv, print_review, NULL) != PS_OK) {
			ps_cli_error("cannot read database '%s': %s", db,
			    ps_inventory_errmsg(inv));
			goto done;
		}
		status = PS_EXIT_CLEAN;
		goto done;
	}
	user = ps_cli_username();
	rv.status = status_name;
	rv.reason = reason;
	rv.by = user;
	if (finding > 0) {
		err = ps_inventory_mark_finding(inv, (int64_t)finding, &rv, &found);
		target = "finding";
	} else if (file != NULL) {
		if ((path = ps_cli_absolute(file)) == NULL)
			goto done;
		err = ps_inventory_mark_file(inv, path, &rv, &found);
		target = "file";
	} else {
		err = ps_inventory_mark_value(inv, hash, &rv, &found);
		target = "value";
	}
	if (err != PS_OK) {
		ps_cli_error("cannot write database '%s': %s", db, ps_inventory_errmsg(inv));
		goto done;
	}
	if (!found) {
		ps_cli_error("mark: no such %s in database '%s'", target, db);
		goto done;
	}
	printf("marked %s %s\n", target, status_name);
	status = PS_EXIT_CLEAN;
done:
	free(path);
	free(user);
	ps_inventory_close(inv);
	return status;
}

/*
 * cmd_patterns.c - `piiscan patterns list` shows the loaded types; `piiscan
 * patterns test FILE...` runs them on files the way a scan would (every
 * format, every member) and prints each match, masked, with its confidence
 * and the reasons for it.  For writing and checking pattern files: no
 * inventory, no key file (value hashes are made with a throw-away key and
 * not shown).
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "patterns.h"
#include "scan.h"

static void
usage(FILE *out)
{
	fprintf(out,
	    "usage: piiscan patterns list [options]\n"
	    "       piiscan patterns test [options] FILE...\n"
	    "\n"
	    "list: the types of the pattern set, with their label, validator,\n"
	    "keywords and the file that defines them.\n"
	    "test: each match in each FILE (read as a scan reads it: archives and\n"
	    "documents opened), masked, with its confidence and why.  Exit status\n"
	    "0 when nothing matched, 1 when something did, 2 on error.\n"
	    "\n"
	    "  --patterns DIR   also load the pattern files of DIR (piiscan-patterns(5))\n"
	    "  --types LIST     only these types (comma-separated ids)\n"
	    "  -h, --help       this help\n");
}

enum { OPT_PATTERNS = 256, OPT_TYPES };

static const struct option long_options[] = {
	{ "patterns", required_argument, NULL, OPT_PATTERNS },
	{ "types", required_argument, NULL, OPT_TYPES },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static void
list_types(const struct ps_patterns *set)
{
	for (size_t i = 0; i < set->ntypes; i++) {
		const struct ps_type *t = &set->types[i];

		printf("%s%s: %s\n", i > 0 ? "\n" : "", t->id, t->label);
		printf("  validator  %s\n", t->validator_name);
		printf("  normalise  %s, mask %s\n", t->normaliser_name, t->mask_name);
		printf("  keywords   ");
		for (size_t k = 0; k < t->nkeywords; k++)
			printf("%s%s", k > 0 ? ", " : "", t->keywords[k]);
		if (t->nkeywords == 0)
			printf("(none)");
		else
			printf(" (within %u bytes: %s)", t->window,
			    ps_confidence_name(t->context));
		printf("\n");
		if (t->ntests > 0)
			printf("  test data  %zu published values\n", t->ntests);
		printf("  source     %s\n", t->source);
	}
}

/* What passing a validator says about a value. */
static const char *
validator_says(const char *name)
{
	static const struct {
		const char *name, *says;
	} says[] = {
		{ "card", "checksum ok" }, { "luhn", "checksum ok" },
		{ "hkid", "checksum ok" }, { "cn_id", "checksum ok" },
		{ "iban", "checksum ok" }, { "mrz", "check digits ok" },
		{ "email", "address form ok" }, { "phone_hk", "number range ok" },
	};

	if (strcmp(name, "none") == 0)
		return NULL;
	for (size_t i = 0; i < sizeof says / sizeof says[0]; i++)
		if (strcmp(says[i].name, name) == 0)
			return says[i].says;
	return "validator ok";
}

static void
print_finding(const struct ps_patterns *set, const char *shown,
    const struct ps_finding *f)
{
	long k = ps_patterns_find_type(set, f->type);
	const struct ps_type *t = k >= 0 ? &set->types[k] : NULL;
	const char *says = t != NULL ? validator_says(t->validator_name) : NULL;

	printf("%s: ", shown);
	if (f->member != NULL) {
		char *member = ps_cli_printable(f->member);

		printf("%s: ", member != NULL ? member : "?");
		free(member);
	}
	printf("%s: %s %s %s: ", f->where, f->type, f->masked,
	    ps_confidence_name(f->confidence));
	if (says != NULL)
		printf("%s; ", says);
	if (f->test_data)
		printf("published test value: low, marked test-data\n");
	else if (f->keyword == NULL)
		printf("no keyword nearby\n");
	else if (f->keyword_in_header)
		printf("keyword '%s' in the column header\n", f->keyword);
	else {
		long n = f->keyword_distance < 0 ? -f->keyword_distance : f->keyword_distance;

		printf("keyword '%s' %ld character%s %s\n", f->keyword, n,
		    n == 1 ? "" : "s", f->keyword_distance < 0 ? "before" : "after");
	}
}

/* Scan one file and print its matches; false when it could not be read. */
static bool
test_file(struct ps_worker *w, const struct ps_patterns *set, const char *arg,
    bool *found)
{
	struct ps_file_result *r;
	char *path, *shown = ps_cli_printable(arg);
	bool read = false;

	if (shown == NULL || (path = strdup(arg)) == NULL
	    || (r = ps_file_result_new(path)) == NULL) {
		ps_cli_error("out of memory");
		free(shown);
		return false;
	}
	if (stat(arg, &r->st) != 0) {
		ps_cli_error("cannot read '%s': %s", shown, strerror(errno));
	} else if (!S_ISREG(r->st.st_mode)) {
		ps_cli_error("cannot read '%s': not a regular file", shown);
	} else if (ps_scan_file(w, r) != PS_OK) {
		ps_cli_error("out of memory");
	} else {
		for (size_t i = 0; i < r->findings.count; i++)
			print_finding(set, shown, &r->findings.items[i]);
		*found |= r->findings.count > 0;
		if (strcmp(r->status, "ok") != 0)
			printf("%s: %s: %s\n", shown, r->status, r->reason);
		read = strcmp(r->status, "error") != 0;
		if (!read)
			ps_cli_error("cannot read '%s': %s", shown, r->reason);
	}
	ps_file_result_free(r);
	free(shown);
	return read;
}

static int
test_files(const struct ps_patterns *set, char **files, int nfiles)
{
	struct ps_limits limits = {
		PS_DEFAULT_MAX_FILESIZE, PS_DEFAULT_MAX_EXPANDED, PS_DEFAULT_MAX_DEPTH,
		PS_DEFAULT_MAX_MEMBERS, PS_DEFAULT_MAX_RATIO, PS_DEFAULT_MAX_PDF_TIME,
		PS_DEFAULT_MAX_PDF_MEMORY,
	};
	struct ps_plan plan = { NULL, 0, "", true };
	struct ps_worker *w;
	struct ps_key key;
	atomic_bool stop = false;
	bool found = false, failed = false;
	char why[512];

	/* The hashes are not shown: any key will do, and none is kept. */
	randombytes_buf(key.bytes, sizeof key.bytes);
	w = ps_worker_new(set, &key, &limits, &plan, &stop, why, sizeof why);
	sodium_memzero(&key, sizeof key);
	if (w == NULL) {
		ps_cli_error("%s", why);
		return PS_EXIT_USAGE;
	}
	for (int i = 0; i < nfiles; i++)
		failed |= !test_file(w, set, files[i], &found);
	ps_worker_free(w);
	if (failed)
		return PS_EXIT_USAGE;
	return found ? PS_EXIT_FOUND : PS_EXIT_CLEAN;
}

int
ps_cmd_patterns(int argc, char **argv)
{
	const char *dir = NULL, *types = NULL, *what;
	struct ps_patterns *set = NULL;
	char why[1024];
	int c, rc;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", long_options, NULL)) != -1) {
		switch (c) {
		case OPT_PATTERNS:
			dir = optarg;
			break;
		case OPT_TYPES:
			types = optarg;
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
		ps_cli_error("patterns: say list or test");
		usage(stderr);
		return PS_EXIT_USAGE;
	}
	what = argv[optind++];
	if (strcmp(what, "list") != 0 && strcmp(what, "test") != 0) {
		ps_cli_error("patterns: unknown '%s' (list or test)", what);
		return PS_EXIT_USAGE;
	}
	if (strcmp(what, "list") == 0 && optind < argc) {
		ps_cli_error("patterns list: takes no files");
		return PS_EXIT_USAGE;
	}
	if (strcmp(what, "test") == 0 && optind >= argc) {
		ps_cli_error("patterns test: name a file");
		return PS_EXIT_USAGE;
	}
	if (sodium_init() < 0) {
		ps_cli_error("cannot start libsodium");
		return PS_EXIT_USAGE;
	}
	if (ps_patterns_load_types(dir, types, &set, why, sizeof why) != PS_OK) {
		ps_cli_error("cannot load patterns: %s", why);
		return PS_EXIT_USAGE;
	}
	if (strcmp(what, "list") == 0) {
		list_types(set);
		rc = PS_EXIT_CLEAN;
	} else {
		rc = test_files(set, argv + optind, argc - optind);
	}
	ps_patterns_free(set);
	return rc;
}

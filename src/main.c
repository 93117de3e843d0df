/*
 * main.c - piiscan: find personal data in file trees and keep a minimised
 * inventory of it.  Dispatches to the commands (cmd_*.c).
 */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "inventory.h"

static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
} commands[] = {
	{ "scan", ps_cmd_scan, "walk, detect, extract, match, record" },
	{ "report", ps_cmd_report, "summary of the latest (or --scan N) scan" },
	{ "export", ps_cmd_export, "evidence export: --format jsonl|csv|html" },
	{ "stale", ps_cmd_stale, "files with findings past a retention age" },
	{ "lookup", ps_cmd_lookup, "where does this card / ID number appear" },
	{ "mark", ps_cmd_mark, "review marks: false-positive, test-data, ..." },
	{ "scans", ps_cmd_scans, "scan history" },
	{ "merge", ps_cmd_merge, "merge inventories (of shard scans) into one" },
	{ "patterns", ps_cmd_patterns, "show the loaded patterns; try them on a file" },
};

static void
usage(FILE *out)
{
	fprintf(out, "usage: piiscan COMMAND [options] [ARGS]\n\ncommands:\n");
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		fprintf(out, "  %-8s %s\n", commands[i].name, commands[i].summary);
	fprintf(out, "\n'piiscan COMMAND --help' tells more; so does piiscan(1).\n"
	    "  --version  print the version\n");
}

int
main(int argc, char **argv)
{
	/* Everything piiscan creates (database, key, exports) is private. */
	umask(077);
	setlocale(LC_CTYPE, "C");
	/* The system's time zone, named: with TZ unset, glibc stats
	 * /etc/localtime on every local time conversion (libzip makes four
	 * for each document it opens). */
	if (getenv("TZ") == NULL)
		setenv("TZ", ":/etc/localtime", 0);
	ps_inventory_init();
	if (argc < 2) {
		usage(stderr);
		return PS_EXIT_USAGE;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
		printf("%s %s\n", PACKAGE, PACKAGE_VERSION);
		return PS_EXIT_CLEAN;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0
	    || strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return PS_EXIT_CLEAN;
	}
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].run(argc - 1, argv + 1);
	ps_cli_error("unknown command '%s'", argv[1]);
	usage(stderr);
	return PS_EXIT_USAGE;
}

/*
 * cli.h - what the commands share: messages, option values, the database.
 *
 * Only command code (main.c, cmd_*.c) prints to the terminal or decides
 * exit codes; these helpers are for it.  Main thread unless noted.
 */
#ifndef PS_CLI_H
#define PS_CLI_H

#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "inventory.h"

#define PS_EXIT_CLEAN    0  /* finished, nothing found / command succeeded */
#define PS_EXIT_FOUND    1  /* scan finished and found something */
#define PS_EXIT_USAGE    2  /* could not run */
#define PS_EXIT_INCOMPLETE 3  /* --strict: a file was not fully examined */

#define PS_DEFAULT_DB    "piiscan.db"

/* "piiscan: " + message + newline on stderr.  Thread-safe (one write). */
void ps_cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A path made safe for a terminal: control characters (C0, DEL, C1),
 * backslashes and bytes that are not valid UTF-8 become \xNN; the result
 * is malloc'd (NULL when out of memory). */
char *ps_cli_printable(const char *path);

/* Parse "4096", "100K", "64M", "4G", "1T" (powers of 1024). */
bool ps_cli_parse_size(const char *s, uint64_t *out);
/* Parse a decimal number within [min, max]. */
bool ps_cli_parse_uint(const char *s, uint64_t min, uint64_t max, uint64_t *out);

/* Options the reading commands share (report, export, scans). */
struct ps_read_opts {
	const char *db;
	int64_t scan_id;                 /* 0: the latest */
	enum ps_confidence min_conf;
	const char *type;                /* --type, or NULL */
	char *path_prefix;               /* --path-prefix made absolute, or NULL */
	bool include_reviewed;
};

enum {
	PS_OPT_DB = 256, PS_OPT_SCAN, PS_OPT_MIN_CONF, PS_OPT_TYPE,
	PS_OPT_PATH_PREFIX, PS_OPT_INCLUDE_REVIEWED,
	PS_OPT_OWN                       /* a command's own options start here */
};

#define PS_OPTION_DB       { "db", required_argument, NULL, PS_OPT_DB }
#define PS_OPTION_SCAN     { "scan", required_argument, NULL, PS_OPT_SCAN }
#define PS_OPTION_MIN_CONF { "min-confidence", required_argument, NULL, PS_OPT_MIN_CONF }
#define PS_OPTION_HELP     { "help", no_argument, NULL, 'h' }
/* The filters every reading command of findings shares. */
#define PS_OPTIONS_FILTER \
	PS_OPTION_SCAN, PS_OPTION_MIN_CONF, \
	{ "type", required_argument, NULL, PS_OPT_TYPE }, \
	{ "path-prefix", required_argument, NULL, PS_OPT_PATH_PREFIX }, \
	{ "include-reviewed", no_argument, NULL, PS_OPT_INCLUDE_REVIEWED }

/*
 * Parse a reading command's options: the shared ones into o, -h/--help
 * (usage on stdout), and the command's own through own(ctx, c, optarg),
 * which returns 0, or an exit status after printing why.  No operands are
 * taken.  Returns -1 to go on, or the exit status to end with.
 */
int ps_cli_parse_read(int argc, char **argv, const char *shortopts,
    const struct option *longopts, void (*usage)(FILE *out),
    int (*own)(void *ctx, int c, const char *arg), void *ctx,
    struct ps_read_opts *o);

/* This host's name and the user running piiscan, malloc'd (NULL when out
 * of memory); "unknown" when they cannot be told. */
char *ps_cli_hostname(void);
char *ps_cli_username(void);

/* The filter of the options, for the scan loaded (scan->id). */
void ps_cli_filter(const struct ps_read_opts *o, int64_t scan_id,
    struct ps_filter *filter);
void ps_read_opts_free(struct ps_read_opts *o);

/* An absolute form of a path given by the user (realpath when it exists,
 * else made absolute), malloc'd. */
char *ps_cli_absolute(const char *arg);

/* Open an existing inventory for reading, or print why and return NULL. */
struct ps_inventory *ps_cli_open_inventory(const char *path);

/* Load the scan with that id (0: the latest) or print why and return
 * false. */
bool ps_cli_load_scan(struct ps_inventory *inv, const char *db, int64_t id,
    struct ps_scan_row *row);

/* The commands. */
int ps_cmd_scan(int argc, char **argv);
int ps_cmd_report(int argc, char **argv);
int ps_cmd_export(int argc, char **argv);
int ps_cmd_scans(int argc, char **argv);
int ps_cmd_stale(int argc, char **argv);
int ps_cmd_patterns(int argc, char **argv);
int ps_cmd_lookup(int argc, char **argv);
int ps_cmd_mark(int argc, char **argv);
int ps_cmd_merge(int argc, char **argv);

#endif

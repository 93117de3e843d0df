/*
 * cmd_scan.c - `piiscan scan`: options, set-up, run, summary, exit code.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "json.h"
#include "key.h"
#include "patterns.h"
#include "walk.h"
#include "writer.h"

#define MAX_THREADS 256
#define RESULTS_QUEUE_CAP 1024
#define PROGRESS_MS 500

struct scan_opts {
	const char *db;
	const char *key_file;
	const char *patterns_dir;
	bool progress;
	bool full;
	bool strict;
	struct ps_walk_config walk;
};

/* State the writer thread's callback shares with nothing else. */
struct scan_ui {
	bool progress;
	bool line_shown;
	struct timespec last;
	struct ps_writer *writer;
};

static atomic_bool stop_requested;
static volatile sig_atomic_t stop_signal;

static void
on_signal(int sig)
{
	stop_signal = sig;
	atomic_store(&stop_requested, true);
}

static void
usage(FILE *out)
{
	fprintf(out,
	    "usage: piiscan scan [options] PATH...\n"
	    "\n"
	    "Walk PATHs, find card and HKID numbers (and the other types of the\n"
	    "pattern files), and record them, masked and keyed-hashed, in the inventory.\n"
	    "\n"
	    "  --db FILE            inventory database (default ./piiscan.db)\n"
	    "  -j, --jobs N         worker threads (default: online CPUs)\n"
	    "  --exclude GLOB       skip matching names or paths (repeatable)\n"
	    "  --one-file-system    do not cross into other file systems\n"
	    "  --follow-symlinks    follow symbolic links (default: record, skip)\n"
	    "  --max-filesize SIZE  read at most SIZE bytes of a file (default 4G)\n"
	    "  --max-expanded SIZE  bytes a file's archives may expand to (default 400M)\n"
	    "  --max-depth N        archive nesting depth (default 17)\n"
	    "  --max-members N      members opened per archive (default 10000)\n"
	    "  --max-ratio N        expansion ratio of an archive member (default 200)\n"
	    "  --strict             exit 3 when a file was not fully examined\n"
	    "  --patterns DIR       add or replace pattern files from DIR\n"
	    "  --key-file FILE      HMAC key (default $XDG_CONFIG_HOME/piiscan/key)\n"
	    "  --full               rescan every file\n"
	    "  --progress, --no-progress\n"
	    "                       progress line on stderr (default: if a terminal)\n"
	    "  -h, --help           this help\n"
	    "\n"
	    "Exit status: 0 nothing found, 1 found (medium confidence or higher),\n"
	    "2 could not run, 3 (with --strict) a file was not fully examined.\n");
}

enum {
	OPT_DB = 256, OPT_EXCLUDE, OPT_ONE_FS, OPT_FOLLOW, OPT_MAX_FILESIZE,
	OPT_MAX_EXPANDED, OPT_MAX_DEPTH, OPT_MAX_MEMBERS, OPT_MAX_RATIO,
	OPT_STRICT, OPT_PATTERNS, OPT_KEY_FILE, OPT_FULL, OPT_PROGRESS,
	OPT_NO_PROGRESS,
};

static const struct option long_options[] = {
	{ "db", required_argument, NULL, OPT_DB },
	{ "jobs", required_argument, NULL, 'j' },
	{ "exclude", required_argument, NULL, OPT_EXCLUDE },
	{ "one-file-system", no_argument, NULL, OPT_ONE_FS },
	{ "follow-symlinks", no_argument, NULL, OPT_FOLLOW },
	{ "max-filesize", required_argument, NULL, OPT_MAX_FILESIZE },
	{ "max-expanded", required_argument, NULL, OPT_MAX_EXPANDED },
	{ "max-depth", required_argument, NULL, OPT_MAX_DEPTH },
	{ "max-members", required_argument, NULL, OPT_MAX_MEMBERS },
	{ "max-ratio", required_argument, NULL, OPT_MAX_RATIO },
	{ "strict", no_argument, NULL, OPT_STRICT },
	{ "patterns", required_argument, NULL, OPT_PATTERNS },
	{ "key-file", required_argument, NULL, OPT_KEY_FILE },
	{ "full", no_argument, NULL, OPT_FULL },
	{ "progress", no_argument, NULL, OPT_PROGRESS },
	{ "no-progress", no_argument, NULL, OPT_NO_PROGRESS },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* Returns -1 to go on, or an exit status. */
static int
parse_options(int argc, char **argv, struct scan_opts *o)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	uint64_t n;
	int c;

	o->db = PS_DEFAULT_DB;
	o->progress = isatty(STDERR_FILENO);
	o->walk.threads = cpus > 0 ? (unsigned)(cpus < MAX_THREADS ? cpus : MAX_THREADS) : 1;
	o->walk.limits.max_filesize = PS_DEFAULT_MAX_FILESIZE;
	o->walk.limits.max_expanded = PS_DEFAULT_MAX_EXPANDED;
	o->walk.limits.max_depth = PS_DEFAULT_MAX_DEPTH;
	o->walk.limits.max_members = PS_DEFAULT_MAX_MEMBERS;
	o->walk.limits.max_ratio = PS_DEFAULT_MAX_RATIO;
	optind = 1;
	while ((c = getopt_long(argc, argv, "j:h", long_options, NULL)) != -1) {
		switch (c) {
		case OPT_DB:
			o->db = optarg;
			break;
		case 'j':
			if (!ps_cli_parse_uint(optarg, 1, MAX_THREADS, &n)) {
				ps_cli_error("-j: expected a number of threads from 1 to %d, "
				    "not '%s'", MAX_THREADS, optarg);
				return PS_EXIT_USAGE;
			}
			o->walk.threads = (unsigned)n;
			break;
		case OPT_EXCLUDE: {
			char **list = realloc(o->walk.excludes,
			    (o->walk.nexcludes + 1) * sizeof *list);

			if (list == NULL) {
				ps_cli_error("out of memory");
				return PS_EXIT_USAGE;
			}
			o->walk.excludes = list;
			list[o->walk.nexcludes++] = optarg;
			break;
		}
		case OPT_ONE_FS:
			o->walk.one_file_system = true;
			break;
		case OPT_FOLLOW:
			o->walk.follow_symlinks = true;
			break;
		case OPT_MAX_FILESIZE:
			if (!ps_cli_parse_size(optarg, &n) || n == 0) {
				ps_cli_error("--max-filesize: expected a size such as "
				    "100M or 4G, not '%s'", optarg);
				return PS_EXIT_USAGE;
			}
			o->walk.limits.max_filesize = n;
			break;
		case OPT_MAX_EXPANDED:
			if (!ps_cli_parse_size(optarg, &n)) {
				ps_cli_error("--max-expanded: expected a size such as "
				    "400M, not '%s'", optarg);
				return PS_EXIT_USAGE;
			}
			o->walk.limits.max_expanded = n;
			break;
		case OPT_MAX_DEPTH:
			if (!ps_cli_parse_uint(optarg, 0, 1000, &n)) {
				ps_cli_error("--max-depth: expected a number from 0 to "
				    "1000, not '%s'", optarg);
				return PS_EXIT_USAGE;
			}
			o->walk.limits.max_depth = (unsigned)n;
			break;
		case OPT_MAX_MEMBERS:
			if (!ps_cli_parse_uint(optarg, 0, UINT32_MAX, &n)) {
				ps_cli_error("--max-members: expected a number, not '%s'",
				    optarg);
				return PS_EXIT_USAGE;
			}
			o->walk.limits.max_members = n;
			break;
		case OPT_MAX_RATIO:
			if (!ps_cli_parse_uint(optarg, 1, 1000000, &n)) {
				ps_cli_error("--max-ratio: expected a number from 1 to "
				    "1000000, not '%s'", optarg);
				return PS_EXIT_USAGE;
			}
			o->walk.limits.max_ratio = (unsigned)n;
			break;
		case OPT_STRICT:
			o->strict = true;
			break;
		case OPT_PATTERNS:
			o->patterns_dir = optarg;
			break;
		case OPT_KEY_FILE:
			o->key_file = optarg;
			break;
		case OPT_FULL:
			o->full = true;
			break;
		case OPT_PROGRESS:
			o->progress = true;
			break;
		case OPT_NO_PROGRESS:
			o->progress = false;
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
		ps_cli_error("scan: no PATH given");
		usage(stderr);
		return PS_EXIT_USAGE;
	}
	return -1;
}

/* The absolute form of a root; realpath when it exists. */
static char *
absolute_root(const char *arg)
{
	char *abs = realpath(arg, NULL), *cwd;
	size_t n;

	if (abs != NULL)
		return abs;
	if (arg[0] == '/')
		return strdup(arg);
	if ((cwd = getcwd(NULL, 0)) == NULL)
		return strdup(arg);
	n = strlen(cwd) + strlen(arg) + 2;
	if ((abs = malloc(n)) != NULL)
		snprintf(abs, n, "%s/%s", cwd, arg);
	free(cwd);
	return abs;
}

/* A JSON array of the roots. */
static char *
roots_json(char *const *roots, size_t n)
{
	size_t cap = 3, used;
	char *out;

	for (size_t i = 0; i < n; i++)
		cap += ps_json_escape(NULL, 0, roots[i], strlen(roots[i])) + 3;
	if ((out = malloc(cap)) == NULL)
		return NULL;
	used = 0;
	out[used++] = '[';
	for (size_t i = 0; i < n; i++) {
		if (i > 0)
			out[used++] = ',';
		out[used++] = '"';
		used += ps_json_escape(out + used, cap - used, roots[i], strlen(roots[i]));
		out[used++] = '"';
	}
	out[used++] = ']';
	out[used] = '\0';
	return out;
}

static char *
options_json(const struct scan_opts *o)
{
	char *out = NULL;

	const struct ps_limits *l = &o->walk.limits;

	if (asprintf(&out, "{\"jobs\":%u,\"max_filesize\":%llu,\"max_expanded\":%llu,"
		"\"max_depth\":%u,\"max_members\":%llu,\"max_ratio\":%u,"
		"\"one_file_system\":%s,\"follow_symlinks\":%s,\"full\":%s,"
		"\"excludes\":%zu,\"patterns_dir\":%s}",
		o->walk.threads, (unsigned long long)l->max_filesize,
		(unsigned long long)l->max_expanded, l->max_depth,
		(unsigned long long)l->max_members, l->max_ratio,
		o->walk.one_file_system ? "true" : "false",
		o->walk.follow_symlinks ? "true" : "false",
		o->full ? "true" : "false", o->walk.nexcludes,
		o->patterns_dir != NULL ? "true" : "false") < 0)
		return NULL;
	return out;
}

static void
human_size(uint64_t bytes, char *buf, size_t cap)
{
	static const char units[] = "BKMGTP";
	double v = (double)bytes;
	size_t u = 0;

	while (v >= 1024 && u + 1 < sizeof units - 1) {
		v /= 1024;
		u++;
	}
	if (u == 0)
		snprintf(buf, cap, "%llu B", (unsigned long long)bytes);
	else
		snprintf(buf, cap, "%.1f %ciB", v, units[u]);
}

static void
clear_progress(struct scan_ui *ui)
{
	if (ui->line_shown) {
		fputs("\r\033[K", stderr);
		ui->line_shown = false;
	}
}

/* On the writer thread: report errors once, and keep a progress line. */
static void
on_result(void *ctx, const struct ps_file_result *r)
{
	struct scan_ui *ui = ctx;
	struct timespec now;

	if (strcmp(r->status, "error") == 0) {
		char *shown = ps_cli_printable(r->path);

		clear_progress(ui);
		ps_cli_error("%s: %s", shown != NULL ? shown : "?", r->reason);
		free(shown);
	}
	if (!ui->progress)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if ((now.tv_sec - ui->last.tv_sec) * 1000
	    + (now.tv_nsec - ui->last.tv_nsec) / 1000000 >= PROGRESS_MS) {
		struct ps_counters *c = &ui->writer->counters;
		char size[32];

		human_size(atomic_load(&c->bytes), size, sizeof size);
		fprintf(stderr, "\r\033[K%llu files, %s, %llu findings, %llu errors",
		    (unsigned long long)atomic_load(&c->files), size,
		    (unsigned long long)atomic_load(&c->findings),
		    (unsigned long long)atomic_load(&c->errors));
		ui->line_shown = true;
		ui->last = now;
	}
}

/* The inventory's own files are never scanned. */
static void
skip_inventory_files(struct scan_opts *o)
{
	static const char *const suffixes[] = { "", "-wal", "-shm" };
	struct stat st;

	for (size_t i = 0; i < 3; i++) {
		char path[PATH_MAX];

		snprintf(path, sizeof path, "%s%s", o->db, suffixes[i]);
		if (stat(path, &st) == 0) {
			o->walk.skip[o->walk.nskip].dev = st.st_dev;
			o->walk.skip[o->walk.nskip].ino = st.st_ino;
			o->walk.nskip++;
		}
	}
}

static void
print_summary(const struct ps_scan_row *row, uint64_t reportable)
{
	char size[32];

	human_size((uint64_t)row->bytes, size, sizeof size);
	printf("scan %lld %s: %lld files, %s read, %lld findings "
	    "(%llu medium or higher), %lld skipped, %lld partial, %lld errors\n",
	    (long long)row->id, row->status, (long long)row->files, size,
	    (long long)row->findings, (unsigned long long)reportable,
	    (long long)row->skipped, (long long)row->partial, (long long)row->errors);
}

/* Counts findings at medium and above for the exit status. */
struct exit_counter {
	struct scan_ui *ui;
	atomic_uint_fast64_t reportable;
	atomic_uint_fast64_t incomplete;  /* partial, failed, or of a type not opened */
};

static void
on_result_counting(void *ctx, const struct ps_file_result *r)
{
	struct exit_counter *ec = ctx;
	uint64_t n = 0;

	for (size_t i = 0; i < r->findings.count; i++)
		if (r->findings.items[i].confidence >= PS_CONF_MEDIUM)
			n++;
	atomic_fetch_add(&ec->reportable, n);
	if (strcmp(r->status, "partial") == 0 || strcmp(r->status, "error") == 0
	    || strncmp(r->reason, "unsupported", 11) == 0)
		atomic_fetch_add(&ec->incomplete, 1);
	on_result(ec->ui, r);
}

int
ps_cmd_scan(int argc, char **argv)
{
	struct scan_opts o = { 0 };
	struct ps_patterns *set = NULL;
	struct ps_inventory *inv = NULL;
	struct ps_queue results = { 0 };
	struct ps_writer writer = { 0 };
	struct scan_ui ui = { 0 };
	struct exit_counter ec = { &ui, 0, 0 };
	struct ps_scan_row row = { 0 };
	struct ps_key key;
	struct sigaction sa;
	char **roots = NULL;
	char *key_path = NULL;
	char why[1024];
	size_t nroots;
	bool created, walk_failed;
	int status = PS_EXIT_USAGE, rc;
	enum ps_error werr;

	if ((rc = parse_options(argc, argv, &o)) >= 0) {
		free(o.walk.excludes);
		return rc;
	}
	if (sodium_init() < 0) {
		ps_cli_error("cannot start libsodium");
		goto done;
	}
	if (ps_patterns_load(o.patterns_dir, &set, why, sizeof why) != PS_OK) {
		ps_cli_error("cannot load patterns: %s", why);
		goto done;
	}
	key_path = o.key_file != NULL ? strdup(o.key_file) : ps_key_default_path();
	if (key_path == NULL) {
		ps_cli_error("no key file: set XDG_CONFIG_HOME or HOME, or use --key-file");
		goto done;
	}
	if (ps_key_load(key_path, true, &key, &created, why, sizeof why) != PS_OK) {
		ps_cli_error("cannot use key file '%s': %s", key_path, why);
		goto done;
	}
	if (why[0] != '\0')
		ps_cli_error("warning: key file '%s' is %s", key_path, why);
	if (created)
		ps_cli_error("created key file '%s'; keep it: findings can be "
		    "matched across scans only with the same key", key_path);
	if (ps_inventory_open(o.db, true, &inv, why, sizeof why) != PS_OK) {
		ps_cli_error("cannot open database '%s': %s", o.db, why);
		goto done;
	}

	nroots = (size_t)(argc - optind);
	if ((roots = calloc(nroots, sizeof *roots)) == NULL)
		goto nomem;
	for (size_t i = 0; i < nroots; i++)
		if ((roots[i] = absolute_root(argv[optind + (int)i])) == NULL)
			goto nomem;

	row.started = (int64_t)time(NULL);
	row.status = strdup("running");
	row.roots = roots_json(roots, nroots);
	row.options = options_json(&o);
	row.version = strdup(PACKAGE_VERSION);
	row.patterns_sha256 = strdup(set->sha256);
	if (row.status == NULL || row.roots == NULL || row.options == NULL
	    || row.version == NULL || row.patterns_sha256 == NULL)
		goto nomem;
	if (ps_inventory_scan_begin(inv, &row) != PS_OK) {
		ps_cli_error("cannot write database '%s': %s", o.db,
		    ps_inventory_errmsg(inv));
		goto done;
	}
	skip_inventory_files(&o);

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	if (!ps_queue_init(&results, RESULTS_QUEUE_CAP))
		goto nomem;
	ui.progress = o.progress;
	ui.writer = &writer;
	writer.inv = inv;
	writer.results = &results;
	writer.scan_id = row.id;
	writer.on_result = on_result_counting;
	writer.ctx = &ec;
	if (!ps_writer_start(&writer)) {
		ps_cli_error("cannot start the writer thread");
		goto done;
	}
	walk_failed = ps_walk_run(&o.walk, set, &key, roots, nroots, &results,
	    &stop_requested, why, sizeof why) != PS_OK;
	if (walk_failed)
		ps_cli_error("cannot scan: %s", why);
	ps_queue_close(&results);
	werr = ps_writer_join(&writer);
	clear_progress(&ui);

	row.finished = (int64_t)time(NULL);
	free(row.status);
	row.status = strdup(werr != PS_OK || walk_failed ? "failed"
	    : atomic_load(&stop_requested) ? "interrupted" : "finished");
	row.files = (int64_t)atomic_load(&writer.counters.files);
	row.bytes = (int64_t)atomic_load(&writer.counters.bytes);
	row.findings = (int64_t)atomic_load(&writer.counters.findings);
	row.errors = (int64_t)atomic_load(&writer.counters.errors);
	row.skipped = (int64_t)atomic_load(&writer.counters.skipped);
	row.partial = (int64_t)atomic_load(&writer.counters.partial);
	if (row.status == NULL)
		goto nomem;
	if (ps_inventory_scan_end(inv, &row) != PS_OK) {
		ps_cli_error("cannot write database '%s': %s", o.db,
		    ps_inventory_errmsg(inv));
		goto done;
	}
	if (werr != PS_OK) {
		ps_cli_error("cannot write database '%s': %s", o.db, writer.why);
		goto done;
	}
	if (walk_failed)
		goto done;
	print_summary(&row, atomic_load(&ec.reportable));
	if (stop_signal != 0)
		status = 128 + stop_signal;
	else if (o.strict && atomic_load(&ec.incomplete) > 0)
		status = PS_EXIT_INCOMPLETE;
	else
		status = atomic_load(&ec.reportable) > 0 ? PS_EXIT_FOUND : PS_EXIT_CLEAN;
	goto done;
nomem:
	ps_cli_error("out of memory");
done:
	sodium_memzero(&key, sizeof key);
	ps_queue_destroy(&results);
	ps_scan_row_clear(&row);
	ps_inventory_close(inv);
	ps_patterns_free(set);
	if (roots != NULL)
		for (size_t i = 0; i < (size_t)(argc - optind); i++)
			free(roots[i]);
	free(roots);
	free(key_path);
	free(o.walk.excludes);
	return status;
}

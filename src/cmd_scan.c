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
#include "inventory.h"
#include "json.h"
#include "progress.h"
#include "key.h"
#include "patterns.h"
#include "walk.h"
#include "writer.h"

#define MAX_THREADS 256
#define RESULTS_QUEUE_CAP 1024

struct scan_opts {
	const char *db;
	const char *key_file;
	const char *patterns_dir;
	const char *types;          /* --types: only these type ids */
	bool progress;
	bool full;
	bool strict;
	bool wait;
	const char *shard_spec;     /* --shard K/N or auto, or NULL */
	unsigned shards;            /* --shards N, or 0 */
	const char *estate;         /* --estate ID, or NULL */
	struct ps_walk_config walk;
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
	    "  --max-pdf-time N     seconds to read one PDF document (default 30)\n"
	    "  --max-pdf-memory SIZE  memory to read one PDF document (default 512M)\n"
	    "  --strict             exit 3 when a file was not fully examined\n"
	    "  --patterns DIR       add or replace pattern files from DIR\n"
	    "  --types LIST         look for these types only (comma-separated ids;\n"
	    "                       default all: piiscan patterns list)\n"
	    "  --key-file FILE      HMAC key (default $XDG_CONFIG_HOME/piiscan/key)\n"
	    "  --full               read every file again, changed or not\n"
	    "  --shard K/N          scan shard K of N only (1 <= K <= N); 'auto' takes\n"
	    "                       K (and N) from Slurm or Kubernetes (piiscan(1))\n"
	    "  --shards N           N for --shard auto\n"
	    "  --shard-depth D      the path depth hashed into shards (default %d)\n"
	    "  --estate ID          this scan is part of estate scan ID (default for\n"
	    "                       shards: the Slurm job, else roots, options, day)\n"
	    "  --wait               wait while another scan writes the database\n"
	    "  --progress, --no-progress\n"
	    "                       progress line on stderr (default: if a terminal)\n"
	    "  -h, --help           this help\n"
	    "\n"
	    "Exit status: 0 nothing found, 1 found (medium confidence or higher),\n"
	    "2 could not run, 3 (with --strict) a file was not fully examined.\n",
	    PS_SHARD_DEFAULT_DEPTH);
}

enum {
	OPT_DB = 256, OPT_EXCLUDE, OPT_ONE_FS, OPT_FOLLOW, OPT_MAX_FILESIZE,
	OPT_MAX_EXPANDED, OPT_MAX_DEPTH, OPT_MAX_MEMBERS, OPT_MAX_RATIO,
	OPT_STRICT, OPT_WAIT, OPT_PATTERNS, OPT_KEY_FILE, OPT_FULL, OPT_PROGRESS,
	OPT_NO_PROGRESS, OPT_TYPES, OPT_MAX_PDF_TIME, OPT_MAX_PDF_MEMORY,
	OPT_SHARD, OPT_SHARDS, OPT_SHARD_DEPTH, OPT_ESTATE,
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
	{ "max-pdf-time", required_argument, NULL, OPT_MAX_PDF_TIME },
	{ "max-pdf-memory", required_argument, NULL, OPT_MAX_PDF_MEMORY },
	{ "strict", no_argument, NULL, OPT_STRICT },
	{ "wait", no_argument, NULL, OPT_WAIT },
	{ "patterns", required_argument, NULL, OPT_PATTERNS },
	{ "types", required_argument, NULL, OPT_TYPES },
	{ "key-file", required_argument, NULL, OPT_KEY_FILE },
	{ "full", no_argument, NULL, OPT_FULL },
	{ "progress", no_argument, NULL, OPT_PROGRESS },
	{ "no-progress", no_argument, NULL, OPT_NO_PROGRESS },
	{ "shard", required_argument, NULL, OPT_SHARD },
	{ "shards", required_argument, NULL, OPT_SHARDS },
	{ "shard-depth", required_argument, NULL, OPT_SHARD_DEPTH },
	{ "estate", required_argument, NULL, OPT_ESTATE },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* --shard K/N, or auto from the scheduler's environment.  Returns -1 to
 * go on, or an exit status. */
static int
parse_shard(struct scan_opts *o)
{
	struct ps_shard *sh = &o->walk.shard;
	char why[200];

	if (o->shard_spec == NULL) {
		if (o->shards != 0) {
			ps_cli_error("--shards is for --shard auto");
			return PS_EXIT_USAGE;
		}
		return -1;
	}
	if (strcmp(o->shard_spec, "auto") == 0) {
		struct ps_shard_env env = {
			getenv("SLURM_ARRAY_TASK_ID"), getenv("SLURM_ARRAY_TASK_MIN"),
			getenv("SLURM_ARRAY_TASK_STEP"), getenv("SLURM_ARRAY_TASK_COUNT"),
			getenv("JOB_COMPLETION_INDEX"),
		};

		if (!ps_shard_auto(&env, o->shards, &sh->index, &sh->count, why,
			sizeof why)) {
			ps_cli_error("--shard auto: %s", why);
			return PS_EXIT_USAGE;
		}
	} else if (!ps_shard_parse(o->shard_spec, &sh->index, &sh->count)) {
		ps_cli_error("--shard: expected K/N with 1 <= K <= N <= %d, or auto, "
		    "not '%s'", PS_SHARD_MAX, o->shard_spec);
		return PS_EXIT_USAGE;
	} else if (o->shards != 0 && o->shards != sh->count) {
		ps_cli_error("--shard %s and --shards %u disagree", o->shard_spec,
		    o->shards);
		return PS_EXIT_USAGE;
	}
	return -1;
}

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
	o->walk.limits.max_pdf_time = PS_DEFAULT_MAX_PDF_TIME;
	o->walk.limits.max_pdf_memory = PS_DEFAULT_MAX_PDF_MEMORY;
	o->walk.shard.depth = PS_SHARD_DEFAULT_DEPTH;
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
		case OPT_MAX_PDF_TIME:
			if (!ps_cli_parse_uint(optarg, 1, 86400, &n)) {
				ps_cli_error("--max-pdf-time: expected seconds from 1 to "
				    "86400, not '%s'", optarg);
				return PS_EXIT_USAGE;
			}
			o->walk.limits.max_pdf_time = (unsigned)n;
			break;
		case OPT_MAX_PDF_MEMORY:
			if (!ps_cli_parse_size(optarg, &n) || n < ((uint64_t)64 << 20)) {
				ps_cli_error("--max-pdf-memory: expected a size of at least "
				    "64M, such as 512M or 2G, not '%s'", optarg);
				return PS_EXIT_USAGE;
			}
			o->walk.limits.max_pdf_memory = n;
			break;
		case OPT_STRICT:
			o->strict = true;
			break;
		case OPT_WAIT:
			o->wait = true;
			break;
		case OPT_PATTERNS:
			o->patterns_dir = optarg;
			break;
		case OPT_TYPES:
			o->types = optarg;
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
		case OPT_SHARD:
			o->shard_spec = optarg;
			break;
		case OPT_SHARDS:
			if (!ps_cli_parse_uint(optarg, 1, PS_SHARD_MAX, &n)) {
				ps_cli_error("--shards: expected a number from 1 to %d, "
				    "not '%s'", PS_SHARD_MAX, optarg);
				return PS_EXIT_USAGE;
			}
			o->shards = (unsigned)n;
			break;
		case OPT_SHARD_DEPTH:
			if (!ps_cli_parse_uint(optarg, 1, PS_SHARD_DEPTH_MAX, &n)) {
				ps_cli_error("--shard-depth: expected a number from 1 to "
				    "%d, not '%s'", PS_SHARD_DEPTH_MAX, optarg);
				return PS_EXIT_USAGE;
			}
			o->walk.shard.depth = (unsigned)n;
			break;
		case OPT_ESTATE:
			if (optarg[0] == '\0' || strlen(optarg) > 200) {
				ps_cli_error("--estate: expected a name of 1 to 200 bytes");
				return PS_EXIT_USAGE;
			}
			o->estate = optarg;
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
	return parse_shard(o);
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
	const struct ps_limits *l = &o->walk.limits;
	size_t cap = 640, used;
	char *out;

	/* The thread count is left out: it changes no finding, and a scan
	 * resumed with another -j is the same scan. */
	for (size_t i = 0; i < o->walk.nexcludes; i++)
		cap += ps_json_escape(NULL, 0, o->walk.excludes[i],
		    strlen(o->walk.excludes[i])) + 3;
	if ((out = malloc(cap)) == NULL)
		return NULL;
	used = (size_t)snprintf(out, cap, "{\"max_filesize\":%llu,\"max_expanded\":%llu,"
	    "\"max_depth\":%u,\"max_members\":%llu,\"max_ratio\":%u,"
	    "\"max_pdf_time\":%u,\"max_pdf_memory\":%llu,"
	    "\"one_file_system\":%s,\"follow_symlinks\":%s,\"full\":%s,"
	    "\"patterns_dir\":%s,\"excludes\":[",
	    (unsigned long long)l->max_filesize, (unsigned long long)l->max_expanded,
	    l->max_depth, (unsigned long long)l->max_members, l->max_ratio,
	    l->max_pdf_time, (unsigned long long)l->max_pdf_memory,
	    o->walk.one_file_system ? "true" : "false",
	    o->walk.follow_symlinks ? "true" : "false", o->full ? "true" : "false",
	    o->patterns_dir != NULL ? "true" : "false");
	for (size_t i = 0; i < o->walk.nexcludes; i++) {
		used += (size_t)snprintf(out + used, cap - used, "%s\"", i > 0 ? "," : "");
		used += ps_json_escape(out + used, cap - used, o->walk.excludes[i],
		    strlen(o->walk.excludes[i]));
		used += (size_t)snprintf(out + used, cap - used, "\"");
	}
	used += (size_t)snprintf(out + used, cap - used, "]");
	/* Only a shard scan says so: the options of other scans read as
	 * before, and a scan cut short by an older version is resumed. */
	if (o->walk.shard.count > 0)
		used += (size_t)snprintf(out + used, cap - used,
		    ",\"shard\":\"%u/%u\",\"shard_depth\":%u", o->walk.shard.index,
		    o->walk.shard.count, o->walk.shard.depth);
	snprintf(out + used, cap - used, "}");
	return out;
}

/*
 * The estate scan a scan is part of: --estate, or for a shard scan of a
 * Slurm job array the array job ("slurm-JOBID", every task the same),
 * else one made of the day (UTC) the shard started and a digest of its
 * roots, options (but K) and rules, which the N shards of one run share.
 * A scan of no estate and no shard stands alone (NULL).
 */
static char *
make_estate(const struct scan_opts *o, const char *roots, const char *rules,
    int64_t started)
{
	struct scan_opts whole = *o;
	unsigned char digest[crypto_hash_sha256_BYTES];
	char hex[crypto_hash_sha256_BYTES * 2 + 1], day[16], *options, *text, *out;
	const char *job = getenv("SLURM_ARRAY_JOB_ID");
	time_t t = (time_t)started;
	struct tm tm;

	if (o->estate != NULL)
		return strdup(o->estate);
	if (o->walk.shard.count == 0)
		return NULL;
	if (strcmp(o->shard_spec, "auto") == 0 && getenv("SLURM_ARRAY_TASK_ID") != NULL
	    && job != NULL && job[0] != '\0') {
		const char *cluster = getenv("SLURM_CLUSTER_NAME");

		if (cluster != NULL && cluster[0] != '\0')
			return asprintf(&out, "slurm-%s-%s", cluster, job) < 0 ? NULL : out;
		return asprintf(&out, "slurm-%s", job) < 0 ? NULL : out;
	}
	whole.walk.shard.index = 0;
	if ((options = options_json(&whole)) == NULL)
		return NULL;
	if (asprintf(&text, "%s\n%s\n%s", roots, options, rules) < 0) {
		free(options);
		return NULL;
	}
	crypto_hash_sha256(digest, (const unsigned char *)text, strlen(text));
	sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
	gmtime_r(&t, &tm);
	strftime(day, sizeof day, "%Y-%m-%d", &tm);
	if (asprintf(&out, "%s-%.12s", day, hex) < 0)
		out = NULL;
	free(text);
	free(options);
	return out;
}

/* 32 random hex digits: a scan's identity wherever its rows are merged. */
static char *
make_uid(void)
{
	unsigned char bytes[16];
	char *out = malloc(sizeof bytes * 2 + 1);

	if (out == NULL)
		return NULL;
	randombytes_buf(bytes, sizeof bytes);
	sodium_bin2hex(out, sizeof bytes * 2 + 1, bytes, sizeof bytes);
	return out;
}

/* On the writer thread: each error reported once. */
static void
on_result(void *ctx, const struct ps_file_result *r)
{
	struct ps_progress *progress = ctx;

	if (strcmp(r->status, "error") == 0) {
		char *shown = ps_cli_printable(r->path);

		ps_progress_say(progress, "%s: %s", shown != NULL ? shown : "?",
		    r->reason);
		free(shown);
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
			const char *base = ps_base_name(path);
			size_t n;

			o->walk.skip[o->walk.nskip].dev = st.st_dev;
			o->walk.skip[o->walk.nskip].ino = st.st_ino;
			n = strlen(base);
			/* A name is at most NAME_MAX (255) bytes. */
			if (n < sizeof o->walk.skip[0].name)
				memcpy(o->walk.skip[o->walk.nskip].name, base, n + 1);
			o->walk.nskip++;
		}
	}
}

static void
print_summary(const struct ps_scan_row *row, int64_t reportable,
    uint64_t carried)
{
	char size[32];

	ps_human_size((unsigned long long)row->bytes, size, sizeof size);
	printf("scan %lld %s: %lld files (%llu unchanged), %s read, %lld findings "
	    "(%lld medium or higher), %lld skipped, %lld partial, %lld errors, "
	    "%lld gone\n", (long long)row->id, row->status, (long long)row->files,
	    (unsigned long long)carried, size, (long long)row->findings,
	    (long long)reportable, (long long)row->skipped, (long long)row->partial,
	    (long long)row->errors, (long long)row->gone);
	if (row->atime_touched > 0)
		printf("access times may have been updated for %lld files "
		    "(O_NOATIME not permitted on them)\n", (long long)row->atime_touched);
}

/*
 * The key's fingerprint (a keyed hash of a fixed label, never the key) and
 * the rules digest: what decides a file's findings.  A file examined under
 * other rules is read again.
 */
static void
make_rules(const struct ps_key *key, const struct ps_patterns *set,
    const struct ps_limits *l, char key_id[PS_KEY_ID_LEN + 1], char rules[17])
{
	unsigned char digest[crypto_hash_sha256_BYTES];
	char text[1024], hex[65], types[512];

	ps_key_fingerprint(key, key_id);
	ps_extractor_types(types, sizeof types);
	/* The formats opened are a rule too: a file skipped as a type not
	 * opened is read again by a version that opens it. */
	snprintf(text, sizeof text, "%s|%s|%s|%llu|%llu|%u|%llu|%u|%u|%llu|%s",
	    PACKAGE_VERSION, set->sha256, key_id, (unsigned long long)l->max_filesize,
	    (unsigned long long)l->max_expanded, l->max_depth,
	    (unsigned long long)l->max_members, l->max_ratio, l->max_pdf_time,
	    (unsigned long long)l->max_pdf_memory, types);
	crypto_hash_sha256(digest, (const unsigned char *)text, strlen(text));
	sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
	snprintf(rules, 17, "%.16s", hex);
}

struct unseen {
	int64_t *ids;
	size_t count, cap;
	bool failed;
	/* A shard scan judges only its own shard's files: another shard's
	 * in the same inventory was not looked for. */
	const struct ps_shard *shard;
	char *const *roots;
	size_t nroots;
};

static bool is_under(const char *path, const char *dir);

/* Whether path is of this scan's shard (under the first root it is in). */
static bool
of_shard(const struct unseen *u, const char *path)
{
	if (u->shard->count == 0)
		return true;
	for (size_t i = 0; i < u->nroots; i++)
		if (is_under(path, u->roots[i]))
			return ps_shard_owns(u->shard, u->roots[i], path);
	return false;
}

/* A file the scan did not record is gone only when it is not there: one
 * excluded, or under a directory that could not be read, is not. */
static int
check_unseen(void *ctx, int64_t file_id, const char *path)
{
	struct unseen *u = ctx;
	struct stat st;

	if (!of_shard(u, path))
		return 0;
	if (lstat(path, &st) == 0 || (errno != ENOENT && errno != ENOTDIR))
		return 0;
	if (u->count == u->cap) {
		size_t cap = u->cap == 0 ? 256 : u->cap * 2;
		int64_t *ids = realloc(u->ids, cap * sizeof *ids);

		if (ids == NULL) {
			u->failed = true;
			return 1;
		}
		u->ids = ids;
		u->cap = cap;
	}
	u->ids[u->count++] = file_id;
	return 0;
}

/* Whether path is dir or under it, by whole components. */
static bool
is_under(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	if (strncmp(path, dir, n) != 0)
		return false;
	return path[n] == '\0' || path[n] == '/' || (n > 0 && dir[n - 1] == '/');
}

/* A root inside another (or named twice) would be walked twice, its
 * files counted twice: keep the outer one only, in the order given. */
static void
drop_nested_roots(char **roots, size_t *nroots)
{
	size_t kept = 0;

	for (size_t i = 0; i < *nroots; i++) {
		bool nested = false;

		for (size_t j = 0; j < *nroots && !nested; j++)
			if (j != i && roots[j] != NULL && is_under(roots[i], roots[j])
			    && (strcmp(roots[i], roots[j]) != 0 || j < i))
				nested = true;
		if (nested) {
			free(roots[i]);
			roots[i] = NULL;
		}
	}
	for (size_t i = 0; i < *nroots; i++)
		if (roots[i] != NULL)
			roots[kept++] = roots[i];
	*nroots = kept;
}

static enum ps_error
mark_gone(struct ps_inventory *inv, const struct ps_lookup *known,
    const struct ps_shard *shard, char *const *roots, size_t nroots)
{
	struct unseen u = { .shard = shard, .roots = roots, .nroots = nroots };
	enum ps_error err = PS_OK;

	ps_lookup_unseen_each(known, check_unseen, &u);
	if (u.failed)
		err = PS_ERR_NOMEM;
	if (err == PS_OK)
		err = ps_inventory_mark_gone(inv, u.ids, u.count);
	free(u.ids);
	return err;
}

int
ps_cmd_scan(int argc, char **argv)
{
	struct scan_opts o = { 0 };
	struct ps_patterns *set = NULL;
	struct ps_inventory *inv = NULL;
	struct ps_queue results = { 0 };
	struct ps_writer writer = { 0 };
	struct ps_walk_status walk_status = { .dir = "" };
	struct ps_progress *progress = NULL;
	struct ps_lookup *known = NULL;
	struct ps_scan_row row = { 0 };
	struct ps_key key;
	struct sigaction sa;
	char **roots = NULL;
	char *key_path = NULL;
	char why[1024], key_id[PS_KEY_ID_LEN + 1], rules[17];
	size_t nroots = 0;
	struct ps_scan_outcome outcome = { 0 };
	int64_t resumed = 0;
	bool created, walk_failed;
	int status = PS_EXIT_USAGE, rc;
	enum ps_error werr;

	pthread_mutex_init(&walk_status.lock, NULL);
	if ((rc = parse_options(argc, argv, &o)) >= 0) {
		free(o.walk.excludes);
		return rc;
	}
	if (sodium_init() < 0) {
		ps_cli_error("cannot start libsodium");
		goto done;
	}
	/* Reading is all a scan needs; root can do far more (PRIVILEGES in
	 * piiscan(1)).  Said once, unless the choice is deliberate. */
	if (geteuid() == 0 && getenv("PIISCAN_ROOT_OK") == NULL)
		ps_cli_error("warning: running as root: a scan needs only read access "
		    "(see PRIVILEGES in piiscan(1); PIISCAN_ROOT_OK=1 silences this)");
	if (ps_patterns_load_types(o.patterns_dir, o.types, &set, why, sizeof why) != PS_OK) {
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
	if (created)
		ps_cli_error("created key file '%s'; keep it: findings can be "
		    "matched across scans only with the same key", key_path);
	if ((rc = ps_inventory_open(o.db, PS_INV_WRITE | (o.wait ? PS_INV_WAIT : 0),
		 &inv, why, sizeof why)) != PS_OK) {
		ps_cli_error("cannot %s database '%s': %s",
		    rc == PS_ERR_BUSY ? "write" : "open", o.db, why);
		goto done;
	}
	make_rules(&key, set, &o.walk.limits, key_id, rules);

	nroots = (size_t)(argc - optind);
	if ((roots = calloc(nroots, sizeof *roots)) == NULL)
		goto nomem;
	for (size_t i = 0; i < nroots; i++)
		if ((roots[i] = ps_cli_absolute(argv[optind + (int)i])) == NULL)
			goto nomem;
	drop_nested_roots(roots, &nroots);

	row.started = (int64_t)time(NULL);
	row.status = strdup("running");
	row.roots = roots_json(roots, nroots);
	row.options = options_json(&o);
	row.version = strdup(PACKAGE_VERSION);
	row.patterns_sha256 = strdup(set->sha256);
	row.rules = strdup(rules);
	row.key_id = strdup(key_id);
	row.host = ps_cli_hostname();
	row.user = ps_cli_username();
	row.uid = make_uid();
	if (row.status == NULL || row.roots == NULL || row.options == NULL
	    || row.version == NULL || row.patterns_sha256 == NULL
	    || row.rules == NULL || row.key_id == NULL || row.host == NULL
	    || row.user == NULL || row.uid == NULL)
		goto nomem;
	if ((o.estate != NULL || o.walk.shard.count > 0)
	    && (row.estate = make_estate(&o, row.roots, rules, row.started)) == NULL)
		goto nomem;
	if (o.walk.shard.count > 0) {
		if (asprintf(&row.shard, "%u/%u", o.walk.shard.index,
			o.walk.shard.count) < 0) {
			row.shard = NULL;
			goto nomem;
		}
		row.shard_depth = o.walk.shard.depth;
	}
	/* A scan cut short with the same roots, options and rules is taken
	 * up where it stopped; otherwise a new scan begins. */
	if (!o.full && ps_inventory_resumable(inv, &row, &resumed) != PS_OK) {
		ps_cli_error("cannot read database '%s': %s", o.db, ps_inventory_errmsg(inv));
		goto done;
	}
	if (resumed > 0) {
		row.id = resumed;
		ps_cli_error("resuming scan %lld", (long long)resumed);
	} else if (ps_inventory_scan_begin(inv, &row) != PS_OK) {
		ps_cli_error("cannot write database '%s': %s", o.db,
		    ps_inventory_errmsg(inv));
		goto done;
	}
	skip_inventory_files(&o);
	if ((rc = ps_lookup_load(inv, roots, nroots, rules, &known)) != PS_OK) {
		if (rc == PS_ERR_NOMEM)
			goto nomem;
		ps_cli_error("cannot read database '%s': %s", o.db, ps_inventory_errmsg(inv));
		goto done;
	}
	o.walk.plan.known = known;
	o.walk.plan.scan_id = row.id;
	o.walk.plan.rules = rules;
	o.walk.plan.full = o.full;
	o.walk.status = &walk_status;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	if (!ps_queue_init(&results, RESULTS_QUEUE_CAP))
		goto nomem;
	ps_queue_set_max_weight(&results, PS_RESULTS_MAX_FINDINGS);
	progress = ps_progress_start(o.progress, &writer.counters, &walk_status);
	writer.inv = inv;
	writer.results = &results;
	writer.on_result = on_result;
	writer.ctx = progress;
	if (!ps_writer_start(&writer)) {
		ps_cli_error("cannot start the writer thread");
		goto done;
	}
	walk_failed = ps_walk_run(&o.walk, set, &key, roots, nroots, &results,
	    &stop_requested, why, sizeof why) != PS_OK;
	if (walk_failed)
		ps_progress_say(progress, "cannot scan: %s", why);
	ps_queue_close(&results);
	werr = ps_writer_join(&writer);
	/* The status line names what takes the time now (seconds for
	 * millions of findings), not the last directory walked. */
	pthread_mutex_lock(&walk_status.lock);
	snprintf(walk_status.dir, sizeof walk_status.dir, "(indexing the findings)");
	pthread_mutex_unlock(&walk_status.lock);
	/* Every finding is recorded by now: without the index, lookup and
	 * mark --value-hash are only slower, so the scan is not failed. */
	if (werr == PS_OK && ps_inventory_index_values(inv) != PS_OK)
		ps_progress_say(progress, "cannot index the findings by value in '%s'"
		    " (lookup is slower until a scan does): %s", o.db,
		    ps_inventory_errmsg(inv));
	ps_progress_stop(progress);
	progress = NULL;

	row.finished = (int64_t)time(NULL);
	free(row.status);
	row.status = strdup(werr != PS_OK || walk_failed ? "failed"
	    : atomic_load(&stop_requested) ? "interrupted" : "finished");
	if (row.status == NULL)
		goto nomem;
	if (strcmp(row.status, "finished") == 0 && mark_gone(inv, known, &o.walk.shard, roots, nroots) != PS_OK) {
		werr = PS_ERR_DB;
		free(row.status);
		if ((row.status = strdup("failed")) == NULL)
			goto nomem;
	}
	if (ps_inventory_scan_end(inv, &row,
		(int64_t)atomic_load(&writer.counters.atime_touched), &outcome) != PS_OK) {
		ps_cli_error("cannot write database '%s': %s", o.db,
		    ps_inventory_errmsg(inv));
		goto done;
	}
	if (werr != PS_OK) {
		ps_cli_error("cannot write database '%s': %s", o.db,
		    writer.why[0] != '\0' ? writer.why : ps_inventory_errmsg(inv));
		goto done;
	}
	if (walk_failed)
		goto done;
	print_summary(&row, outcome.reportable, atomic_load(&writer.counters.carried));
	if (stop_signal != 0)
		status = 128 + stop_signal;
	else if (o.strict && outcome.incomplete > 0)
		status = PS_EXIT_INCOMPLETE;
	else
		status = outcome.reportable > 0 ? PS_EXIT_FOUND : PS_EXIT_CLEAN;
	goto done;
nomem:
	ps_cli_error("out of memory");
done:
	ps_progress_stop(progress);
	ps_lookup_free(known);
	sodium_memzero(&key, sizeof key);
	ps_queue_destroy(&results);
	ps_scan_row_clear(&row);
	ps_inventory_close(inv);
	ps_patterns_free(set);
	for (size_t i = 0; roots != NULL && i < nroots; i++)
		free(roots[i]);
	free(roots);
	free(key_path);
	free(o.walk.excludes);
	pthread_mutex_destroy(&walk_status.lock);
	return status;
}

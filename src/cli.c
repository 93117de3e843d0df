/*
 * cli.c - helpers shared by the commands (see cli.h).
 */
#include "config.h"

#include "cli.h"
#include "json.h"

#include <errno.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void
ps_cli_error(const char *fmt, ...)
{
	char msg[1024];
	int n = snprintf(msg, sizeof msg, "%s: ", PACKAGE);
	va_list ap;

	va_start(ap, fmt);
	if (n > 0 && (size_t)n < sizeof msg)
		n += vsnprintf(msg + n, sizeof msg - (size_t)n, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof msg - 1)
		n = sizeof msg - 2;
	msg[n++] = '\n';
	if (write(STDERR_FILENO, msg, (size_t)n) < 0)
		return;
}

char *
ps_cli_printable(const char *path)
{
	size_t len = strlen(path);
	char *out = malloc(len * 4 + 1), *o = out;
	const unsigned char *p = (const unsigned char *)path;

	if (out == NULL)
		return NULL;
	for (size_t i = 0; i < len;) {
		size_t n = ps_utf8_char_len(p + i, len - i);
		/* C1 controls (U+0080-U+009F) are as unsafe as C0 ones. */
		bool c1 = n == 2 && p[i] == 0xC2 && p[i + 1] < 0xA0;

		if (n == 0 || c1 || p[i] < 0x20 || p[i] == 0x7f || p[i] == '\\') {
			o += sprintf(o, "\\x%02x", p[i]);
			i++;
		} else {
			memcpy(o, p + i, n);
			o += n;
			i += n;
		}
	}
	*o = '\0';
	return out;
}

bool
ps_cli_parse_size(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;
	unsigned shift = 0;

	if (s[0] < '0' || s[0] > '9')
		return false;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0)
		return false;
	switch (*end) {
	case '\0': break;
	case 'k': case 'K': shift = 10; end++; break;
	case 'm': case 'M': shift = 20; end++; break;
	case 'g': case 'G': shift = 30; end++; break;
	case 't': case 'T': shift = 40; end++; break;
	default: return false;
	}
	if (*end == 'B' || *end == 'b')
		end++;
	if (*end != '\0' || (shift > 0 && v > (UINT64_MAX >> shift)))
		return false;
	*out = (uint64_t)v << shift;
	return true;
}

bool
ps_cli_parse_uint(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (s[0] < '0' || s[0] > '9')
		return false;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		return false;
	*out = v;
	return true;
}

struct ps_inventory *
ps_cli_open_inventory(const char *path)
{
	struct ps_inventory *inv = NULL;
	char why[512];

	if (ps_inventory_open(path, 0, &inv, why, sizeof why) != PS_OK) {
		ps_cli_error("cannot open database '%s': %s", path, why);
		return NULL;
	}
	return inv;
}

bool
ps_cli_load_scan(struct ps_inventory *inv, const char *db, int64_t id,
    struct ps_scan_row *row)
{
	bool found = false;

	if (ps_inventory_scan_get(inv, id, row, &found) != PS_OK) {
		ps_cli_error("cannot read database '%s': %s", db,
		    ps_inventory_errmsg(inv));
		return false;
	}
	if (!found) {
		if (id > 0)
			ps_cli_error("database '%s' has no scan %lld", db, (long long)id);
		else
			ps_cli_error("database '%s' has no scans yet", db);
		return false;
	}
	return true;
}

int
ps_cli_parse_read(int argc, char **argv, const char *shortopts,
    const struct option *longopts, void (*usage)(FILE *out),
    int (*own)(void *ctx, int c, const char *arg), void *ctx,
    struct ps_read_opts *o)
{
	uint64_t n;
	int c, rc;

	memset(o, 0, sizeof *o);
	o->db = PS_DEFAULT_DB;
	o->min_conf = PS_CONF_MEDIUM;
	optind = 1;
	while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		switch (c) {
		case PS_OPT_DB:
			o->db = optarg;
			break;
		case PS_OPT_SCAN:
			if (!ps_cli_parse_uint(optarg, 1, INT64_MAX, &n)) {
				ps_cli_error("--scan: expected a scan number, not '%s'", optarg);
				return PS_EXIT_USAGE;
			}
			o->scan_id = (int64_t)n;
			break;
		case PS_OPT_MIN_CONF:
			if ((o->min_conf = ps_confidence_parse(optarg)) == 0) {
				ps_cli_error("--min-confidence: expected low, medium or "
				    "high, not '%s'", optarg);
				return PS_EXIT_USAGE;
			}
			break;
		case PS_OPT_TYPE:
			o->type = optarg;
			break;
		case PS_OPT_PATH_PREFIX:
			free(o->path_prefix);
			if ((o->path_prefix = ps_cli_absolute(optarg)) == NULL) {
				ps_cli_error("out of memory");
				return PS_EXIT_USAGE;
			}
			break;
		case PS_OPT_INCLUDE_REVIEWED:
			o->include_reviewed = true;
			break;
		case 'h':
			usage(stdout);
			return PS_EXIT_CLEAN;
		case '?':
			usage(stderr);
			return PS_EXIT_USAGE;
		default:
			if (own == NULL) {
				usage(stderr);
				return PS_EXIT_USAGE;
			}
			if ((rc = own(ctx, c, optarg)) != 0)
				return rc;
		}
	}
	if (optind < argc) {
		ps_cli_error("%s: unexpected argument '%s'", argv[0], argv[optind]);
		return PS_EXIT_USAGE;
	}
	return -1;
}

char *
ps_cli_hostname(void)
{
	char name[256];

	if (gethostname(name, sizeof name) != 0)
		return strdup("unknown");
	name[sizeof name - 1] = '\0';
	return strdup(name);
}

char *
ps_cli_username(void)
{
	struct passwd pw, *res = NULL;
	char buf[4096];

	if (getpwuid_r(geteuid(), &pw, buf, sizeof buf, &res) == 0 && res != NULL)
		return strdup(res->pw_name);
	return strdup("unknown");
}

void
ps_cli_filter(const struct ps_read_opts *o, int64_t scan_id,
    struct ps_filter *filter)
{
	filter->scan_id = scan_id;
	filter->min_conf = o->min_conf;
	filter->type = o->type;
	filter->path_prefix = o->path_prefix;
	filter->include_reviewed = o->include_reviewed;
}

void
ps_read_opts_free(struct ps_read_opts *o)
{
	free(o->path_prefix);
	o->path_prefix = NULL;
}

char *
ps_cli_absolute(const char *arg)
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

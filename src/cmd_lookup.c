/*
 * cmd_lookup.c - `piiscan lookup`: where does this card or ID number
 * appear?  Each value given is normalised and checked by every type of the
 * pattern set, hashed with the key the scans used, and the inventory is
 * asked for the places of that keyed hash.
 *
 * The values are personal data: they are never printed (only their masked
 * forms and their numbers in the list), the copies made here are wiped,
 * and so are the command-line arguments once copied.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cli.h"
#include "json.h"
#include "key.h"
#include "patterns.h"

#define VALUE_MAX  256   /* longest value taken, bytes; longer is invalid */
#define NORM_MAX   128   /* longest normalised value (as match.c) */
#define EXIT_NOT_FOUND 1 /* a valid value was found nowhere */

static void
usage(FILE *out)
{
	fprintf(out,
	    "usage: piiscan lookup [options] VALUE...\n"
	    "       piiscan lookup [options] -\n"
	    "\n"
	    "List the places where each card or ID number was found.  With '-'\n"
	    "the values are read from standard input, one a line, which keeps\n"
	    "them out of the shell history.  Values are never shown, only their\n"
	    "masked forms.  Exit status: 0 every value was found, 1 a valid value\n"
	    "was found nowhere, 2 a value was not valid or lookup could not run.\n"
	    "\n"
	    "  --db FILE             inventory database (default ./piiscan.db)\n"
	    "  --key-file FILE       the key the scans used (default\n"
	    "                        $XDG_CONFIG_HOME/piiscan/key); never created\n"
	    "  --type TYPE           try only this type (default: every type)\n"
	    "  --scan N              look in scan N (default: the latest scan)\n"
	    "  --all-scans           look in every scan\n"
	    "  --format text|jsonl   output format (default text)\n"
	    "  --patterns DIR        the pattern files the scans used, as for scan\n"
	    "  -h, --help            this help\n");
}

/* --- the values -------------------------------------------------------------- */

struct value {
	char text[VALUE_MAX];
	size_t len;
	bool too_long;
};

struct values {
	struct value *items;
	size_t count, cap;
};

/* Grow by copying, wiping the old block: realloc would free it unwiped. */
static bool
values_push(struct values *v, const struct value *one)
{
	if (v->count == v->cap) {
		size_t cap = v->cap == 0 ? 16 : v->cap * 2;
		struct value *items = calloc(cap, sizeof *items);

		if (items == NULL)
			return false;
		if (v->items != NULL) {
			memcpy(items, v->items, v->count * sizeof *items);
			ps_wipe(v->items, v->cap * sizeof *items);
			free(v->items);
		}
		v->items = items;
		v->cap = cap;
	}
	v->items[v->count++] = *one;
	return true;
}

static void
values_free(struct values *v)
{
	if (v->items != NULL)
		ps_wipe(v->items, v->cap * sizeof *v->items);
	free(v->items);
	v->items = NULL;
	v->count = v->cap = 0;
}

static bool
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f'
	    || c == '\v';
}

/* Trim the value and keep it unless it is empty. */
static bool
value_finish(struct values *v, struct value *one)
{
	size_t start = 0;
	bool ok = true;

	while (one->len > 0 && is_blank(one->text[one->len - 1]))
		one->len--;
	while (start < one->len && is_blank(one->text[start]))
		start++;
	memmove(one->text, one->text + start, one->len - start);
	one->len -= start;
	if (one->len > 0 || one->too_long)
		ok = values_push(v, one);
	ps_wipe(one, sizeof *one);
	return ok;
}

/* One value a line; read(2) into our own buffer, so that no stdio buffer
 * keeps a copy that is not wiped. */
static bool
values_from_stdin(struct values *v, char *why, size_t whylen)
{
	char chunk[4096];
	struct value one = { { 0 }, 0, false };
	struct termios saved, quiet;
	bool ok = true, echo_off = false;
	ssize_t n;

	/* Typed at a terminal, the values are not shown as they are typed. */
	if (isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &saved) == 0) {
		quiet = saved;
		quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHONL);
		echo_off = tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet) == 0;
		if (echo_off)
			fputs("values, one a line, then Ctrl-D (not shown):\n", stderr);
	}
	for (;;) {
		n = read(STDIN_FILENO, chunk, sizeof chunk);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			snprintf(why, whylen, "%s", strerror(errno));
			ok = false;
			goto done;
		}
		if (n == 0)
			break;
		for (ssize_t i = 0; i < n; i++) {
			if (chunk[i] == '\n') {
				if (!value_finish(v, &one)) {
					snprintf(why, whylen, "out of memory");
					ok = false;
					goto done;
				}
			} else if (one.len < VALUE_MAX - 1) {
				one.text[one.len++] = chunk[i];
			} else {
				one.too_long = true;
			}
		}
	}
	if ((one.len > 0 || one.too_long) && !value_finish(v, &one)) {
		snprintf(why, whylen, "out of memory");
		ok = false;
	}
done:
	if (echo_off)
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
	ps_wipe(chunk, sizeof chunk);
	ps_wipe(&one, sizeof one);
	return ok;
}

/* Copy the operands, then wipe them where the process keeps them (and
 * where ps(1) shows them). */
static bool
values_from_args(struct values *v, char **args, int n)
{
	bool ok = true;

	for (int i = 0; i < n && ok; i++) {
		struct value one = { { 0 }, 0, false };
		size_t len = strlen(args[i]);

		if (len >= VALUE_MAX)
			one.too_long = true;
		else {
			memcpy(one.text, args[i], len);
			one.len = len;
		}
		ok = value_finish(v, &one);
	}
	for (int i = 0; i < n; i++)
		ps_wipe(args[i], strlen(args[i]));
	return ok;
}

/* --- the places of one value ------------------------------------------------ */

struct place {
	char *path, *member, *where, *review;   /* NUL added */
	size_t path_len, member_len;
	enum ps_confidence confidence;
	int64_t scan_id, first_scan, last_scan, first_seen, last_seen;
};

struct places {
	struct place *items;
	size_t count, cap;
	bool failed;
};

static void
places_clear(struct places *p)
{
	for (size_t i = 0; i < p->count; i++) {
		free(p->items[i].path);
		free(p->items[i].member);
		free(p->items[i].where);
		free(p->items[i].review);
	}
	p->count = 0;
	p->failed = false;
}

static char *
bytes_dup(const unsigned char *b, size_t len)
{
	char *s = malloc(len + 1);

	if (s != NULL) {
		if (len > 0)
			memcpy(s, b, len);
		s[len] = '\0';
	}
	return s;
}

static int
collect_place(void *ctx, const struct ps_place_row *row)
{
	struct places *p = ctx;
	struct place *pl;

	if (p->count == p->cap) {
		size_t cap = p->cap == 0 ? 16 : p->cap * 2;
		struct place *items = realloc(p->items, cap * sizeof *items);

		if (items == NULL) {
			p->failed = true;
			return 1;
		}
		p->items = items;
		p->cap = cap;
	}
	pl = &p->items[p->count];
	pl->path = bytes_dup(row->path, row->path_len);
	pl->member = bytes_dup(row->member, row->member_len);
	pl->where = strdup(row->where);
	pl->review = strdup(row->review);
	if (pl->path == NULL || pl->member == NULL || pl->where == NULL
	    || pl->review == NULL) {
		free(pl->path);
		free(pl->member);
		free(pl->where);
		free(pl->review);
		p->failed = true;
		return 1;
	}
	pl->path_len = row->path_len;
	pl->member_len = row->member_len;
	pl->confidence = row->confidence;
	pl->scan_id = row->scan_id;
	pl->first_scan = row->first_scan;
	pl->last_scan = row->last_scan;
	pl->first_seen = row->first_seen;
	pl->last_seen = row->last_seen;
	p->count++;
	return 0;
}

/* --- output -------------------------------------------------------------------- */

/* One value, valid as one type, and where it was found. */
struct answer {
	size_t number, of;          /* "value 2 of 5" */
	const char *type;
	const char *masked, *value_hash;
	int64_t scan_id;            /* 0: every scan */
	const struct places *places;
	bool gap;                   /* text: an answer was printed before */
};

static int
width_of(int w, const char *s)
{
	int n = (int)strlen(s);

	return n > w ? n : w;
}

static void
iso_or_dash(int64_t t, char *buf, size_t cap)
{
	if (t == 0)
		snprintf(buf, cap, "-");
	else
		ps_time_iso(t, buf, cap);
}

static void
text_answer(FILE *out, const struct answer *a)
{
	const struct places *p = a->places;
	char scope[48], first[32], last[32];
	char **where = NULL, **member = NULL;
	int wwhere = 5, wmember = 6;

	if (a->scan_id > 0)
		snprintf(scope, sizeof scope, "in scan %lld", (long long)a->scan_id);
	else
		snprintf(scope, sizeof scope, "%s", p->count == 0 ? "in any scan"
		    : "across all scans");
	if (a->gap)
		fputc('\n', out);
	if (p->count == 0) {
		fprintf(out, "value %zu of %zu: %s %s: not found %s\n", a->number,
		    a->of, a->type, a->masked, scope);
		return;
	}
	fprintf(out, "value %zu of %zu: %s %s: found in %zu %s %s\n", a->number,
	    a->of, a->type, a->masked, p->count, p->count == 1 ? "place" : "places",
	    scope);
	where = calloc(p->count, sizeof *where);
	member = calloc(p->count, sizeof *member);
	if (where == NULL || member == NULL)
		goto done;
	for (size_t i = 0; i < p->count; i++) {
		where[i] = ps_cli_printable(p->items[i].where);
		member[i] = p->items[i].member_len > 0
		    ? ps_cli_printable(p->items[i].member) : strdup("-");
		if (where[i] == NULL || member[i] == NULL)
			goto done;
		wwhere = width_of(wwhere, where[i]);
		wmember = width_of(wmember, member[i]);
	}
	fprintf(out, "  %-*s  %-10s  %4s  %-20s  %-20s  %-*s  %s\n", wwhere,
	    "where", "confidence", "scan", "first seen", "last seen", wmember,
	    "member", "path");
	for (size_t i = 0; i < p->count; i++) {
		const struct place *pl = &p->items[i];
		char *path = ps_cli_printable(pl->path);

		iso_or_dash(pl->first_seen, first, sizeof first);
		iso_or_dash(pl->last_seen, last, sizeof last);
		fprintf(out, "  %-*s  %-10s  %4lld  %-20s  %-20s  %-*s  %s\n", wwhere,
		    where[i], ps_confidence_name(pl->confidence),
		    (long long)pl->scan_id, first, last, wmember, member[i],
		    path != NULL ? path : "?");
		free(path);
	}
done:
	for (size_t i = 0; i < p->count; i++) {
		if (where != NULL)
			free(where[i]);
		if (member != NULL)
			free(member[i]);
	}
	free(where);
	free(member);
}

/* The fields that name the value: its number, type, masked form, hash. */
static void
json_value(FILE *out, const char *record, const struct answer *a)
{
	fprintf(out, "{\"record\":\"%s\",\"value\":%zu,\"of\":%zu,\"type\":",
	    record, a->number, a->of);
	ps_json_string(out, a->type, strlen(a->type));
	fputs(",\"masked\":", out);
	ps_json_string(out, a->masked, strlen(a->masked));
	fprintf(out, ",\"value_hash\":\"%s\"", a->value_hash);
}

static void
jsonl_answer(FILE *out, const struct answer *a)
{
	json_value(out, "value", a);
	if (a->scan_id > 0)
		fprintf(out, ",\"scan_id\":%lld", (long long)a->scan_id);
	else
		fputs(",\"scan_id\":null", out);
	fprintf(out, ",\"places\":%zu}\n", a->places->count);
	for (size_t i = 0; i < a->places->count; i++) {
		const struct place *pl = &a->places->items[i];

		json_value(out, "place", a);
		fputs(",\"path\":", out);
		ps_json_string(out, pl->path, pl->path_len);
		fputs(",\"member\":", out);
		ps_json_string(out, pl->member, pl->member_len);
		fputs(",\"where\":", out);
		ps_json_string(out, pl->where, strlen(pl->where));
		fprintf(out, ",\"confidence\":\"%s\",\"scan_id\":%lld,"
		    "\"first_scan\":%lld,\"last_scan\":%lld",
		    ps_confidence_name(pl->confidence), (long long)pl->scan_id,
		    (long long)pl->first_scan, (long long)pl->last_scan);
		ps_json_time_field(out, "first_seen", pl->first_seen);
		ps_json_time_field(out, "last_seen", pl->last_seen);
		fputs(",\"review\":", out);
		ps_json_string(out, pl->review, strlen(pl->review));
		fputs("}\n", out);
	}
}

/* --- the command ------------------------------------------------------------- */

enum {
	OPT_KEY_FILE = PS_OPT_OWN, OPT_ALL_SCANS, OPT_FORMAT, OPT_PATTERNS,
};

static const struct option long_options[] = {
	PS_OPTION_DB, PS_OPTION_SCAN, PS_OPTION_HELP,
	{ "type", required_argument, NULL, PS_OPT_TYPE },
	{ "key-file", required_argument, NULL, OPT_KEY_FILE },
	{ "all-scans", no_argument, NULL, OPT_ALL_SCANS },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "patterns", required_argument, NULL, OPT_PATTERNS },
	{ NULL, 0, NULL, 0 },
};

struct lookup_opts {
	const char *db, *key_file, *type, *patterns_dir;
	int64_t scan_id;            /* 0: the latest */
	bool all_scans, jsonl;
};

/* Returns -1 to go on, or the exit status to end with. */
static int
parse_options(int argc, char **argv, struct lookup_opts *o)
{
	uint64_t n;
	int c;

	memset(o, 0, sizeof *o);
	o->db = PS_DEFAULT_DB;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", long_options, NULL)) != -1) {
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
		case PS_OPT_TYPE:
			o->type = optarg;
			break;
		case OPT_KEY_FILE:
			o->key_file = optarg;
			break;
		case OPT_ALL_SCANS:
			o->all_scans = true;
			break;
		case OPT_FORMAT:
			if (strcmp(optarg, "text") == 0)
				o->jsonl = false;
			else if (strcmp(optarg, "jsonl") == 0)
				o->jsonl = true;
			else {
				ps_cli_error("--format: expected text or jsonl, not '%s'",
				    optarg);
				return PS_EXIT_USAGE;
			}
			break;
		case OPT_PATTERNS:
			o->patterns_dir = optarg;
			break;
		case 'h':
			usage(stdout);
			return PS_EXIT_CLEAN;
		default:
			usage(stderr);
			return PS_EXIT_USAGE;
		}
	}
	if (o->all_scans && o->scan_id > 0) {
		ps_cli_error("lookup: --scan and --all-scans exclude each other");
		return PS_EXIT_USAGE;
	}
	if (optind == argc) {
		ps_cli_error("lookup: give the values to look up, or '-' to read "
		    "them from standard input");
		return PS_EXIT_USAGE;
	}
	for (int i = optind; i < argc; i++)
		if (strcmp(argv[i], "-") == 0 && argc - optind > 1) {
			ps_cli_error("lookup: '-' (values from standard input) must be "
			    "the only operand");
			return PS_EXIT_USAGE;
		}
	return -1;
}

struct key_check {
	const char *id;
	int64_t scans, other;
};

static int
count_other_keys(void *ctx, const struct ps_scan_row *row)
{
	struct key_check *k = ctx;

	k->scans++;
	if (row->key_id[0] != '\0' && strcmp(row->key_id, k->id) != 0)
		k->other++;
	return 0;
}

/* Warn (only) when scans in the scope were made with another key: their
 * values cannot be found with this one. */
static void
check_key(struct ps_inventory *inv, const struct lookup_opts *o,
    const struct ps_scan_row *scan, const char *key_path, const char *id)
{
	struct key_check k = { id, 0, 0 };

	if (!o->all_scans) {
		if (scan->key_id[0] != '\0' && strcmp(scan->key_id, id) != 0)
			ps_cli_error("warning: key file '%s' is not the key scan %lld "
			    "was made with; values it found cannot be looked up with it",
			    key_path, (long long)scan->id);
		return;
	}
	if (ps_inventory_scans_each(inv, count_other_keys, &k) == PS_OK
	    && k.other > 0)
		ps_cli_error("warning: key file '%s' is not the key %lld of %lld "
		    "scans were made with; values they found cannot be looked up "
		    "with it", key_path, (long long)k.other, (long long)k.scans);
}

/* "card or hkid", "card, hkid or email": the types a value was tried as. */
static void
type_names(const struct ps_patterns *set, long only, char *buf, size_t cap)
{
	size_t n = 0, count = only >= 0 ? 1 : set->ntypes;

	buf[0] = '\0';
	for (size_t i = 0; i < count && n < cap; i++) {
		const char *id = set->types[only >= 0 ? (size_t)only : i].id;
		const char *sep = i == 0 ? "" : i + 1 == count ? " or " : ", ";
		int w = snprintf(buf + n, cap - n, "%s%s", sep, id);

		if (w < 0)
			break;
		n += (size_t)w;
	}
}

int
ps_cmd_lookup(int argc, char **argv)
{
	struct lookup_opts o;
	struct values values = { 0 };
	struct places places = { 0 };
	struct ps_key key;
	struct ps_patterns *set = NULL;
	struct ps_inventory *inv = NULL;
	struct ps_scan_row scan = { 0 };
	char why[1024], names[256], key_id[PS_KEY_ID_LEN + 1];
	char norm[NORM_MAX];
	char *default_key = NULL;
	const char *key_path;
	bool created = false, missing = false, invalid = false, printed = false;
	long only = -1;
	int status;

	memset(&key, 0, sizeof key);
	if ((status = parse_options(argc, argv, &o)) >= 0) {
		/* Values given with bad options are still wiped. */
		for (int i = optind; i < argc; i++)
			ps_wipe(argv[i], strlen(argv[i]));
		return status;
	}
	status = PS_EXIT_USAGE;
	if (strcmp(argv[optind], "-") == 0) {
		if (!values_from_stdin(&values, why, sizeof why)) {
			ps_cli_error("cannot read standard input: %s", why);
			goto done;
		}
	} else if (!values_from_args(&values, argv + optind, argc - optind)) {
		ps_cli_error("out of memory");
		goto done;
	}
	if (values.count == 0) {
		ps_cli_error("lookup: no values on standard input");
		goto done;
	}
	if (sodium_init() < 0) {
		ps_cli_error("cannot start libsodium");
		goto done;
	}
	if ((key_path = o.key_file) == NULL) {
		if ((default_key = ps_key_default_path()) == NULL) {
			ps_cli_error("no key file: set XDG_CONFIG_HOME or HOME, or use "
			    "--key-file");
			goto done;
		}
		key_path = default_key;
	}
	/* A new key could find nothing: lookup only reads the scans' key. */
	if (ps_key_load(key_path, false, &key, &created, why, sizeof why) != PS_OK) {
		ps_cli_error("cannot use key file '%s': %s (lookup needs the key "
		    "the scans were made with)", key_path, why);
		goto done;
	}
	ps_key_fingerprint(&key, key_id);
	if (ps_patterns_load(o.patterns_dir, &set, why, sizeof why) != PS_OK) {
		ps_cli_error("cannot load patterns: %s", why);
		goto done;
	}
	if (o.type != NULL && (only = ps_patterns_find_type(set, o.type)) < 0) {
		ps_cli_error("--type: no type '%s' in the pattern set", o.type);
		goto done;
	}
	if ((inv = ps_cli_open_inventory(o.db)) == NULL)
		goto done;
	if (!ps_cli_load_scan(inv, o.db, o.all_scans ? 0 : o.scan_id, &scan))
		goto done;
	check_key(inv, &o, &scan, key_path, key_id);
	type_names(set, only, names, sizeof names);

	for (size_t v = 0; v < values.count; v++) {
		const struct value *val = &values.items[v];
		size_t valid = 0;

		for (size_t t = 0; t < set->ntypes; t++) {
			const struct ps_type *type = &set->types[t];
			char masked[PS_MASK_MAX], hash[PS_HASH_HEX_LEN + 1];
			struct answer a;
			size_t n;

			if (only >= 0 && (size_t)only != t)
				continue;
			n = val->too_long ? 0
			    : type->normalise(val->text, val->len, norm, sizeof norm);
			if (n == 0 || !type->validate(norm, n)) {
				ps_wipe(norm, sizeof norm);
				continue;
			}
			type->mask(norm, n, masked);
			ps_value_hash(&key, type->id, norm, n, hash);
			ps_wipe(norm, sizeof norm);
			valid++;
			places_clear(&places);
			if (ps_inventory_places_each(inv, hash, o.all_scans ? 0 : scan.id,
				collect_place, &places) != PS_OK) {
				ps_cli_error("cannot read database '%s': %s", o.db,
				    ps_inventory_errmsg(inv));
				goto done;
			}
			if (places.failed) {
				ps_cli_error("out of memory");
				goto done;
			}
			a.number = v + 1;
			a.of = values.count;
			a.type = type->id;
			a.masked = masked;
			a.value_hash = hash;
			a.scan_id = o.all_scans ? 0 : scan.id;
			a.places = &places;
			a.gap = printed;
			printed = true;
			if (o.jsonl)
				jsonl_answer(stdout, &a);
			else
				text_answer(stdout, &a);
			if (places.count == 0)
				missing = true;
		}
		if (valid == 0) {
			invalid = true;
			fflush(stdout);
			ps_cli_error("value %zu of %zu is not a valid %s value", v + 1,
			    values.count, names);
			if (o.jsonl)
				printf("{\"record\":\"invalid\",\"value\":%zu,\"of\":%zu}\n",
				    v + 1, values.count);
		}
	}
	if (fflush(stdout) != 0 || ferror(stdout)) {
		ps_cli_error("cannot write standard output: %s", strerror(errno));
		goto done;
	}
	status = invalid ? PS_EXIT_USAGE : missing ? EXIT_NOT_FOUND : PS_EXIT_CLEAN;
done:
	ps_wipe(norm, sizeof norm);
	ps_wipe(&key, sizeof key);
	places_clear(&places);
	free(places.items);
	values_free(&values);
	free(default_key);
	ps_scan_row_clear(&scan);
	ps_inventory_close(inv);
	ps_patterns_free(set);
	return status;
}

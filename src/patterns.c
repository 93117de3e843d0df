/*
 * patterns.c - the pattern file loader (format in piiscan-patterns(5)).
 */
#include "config.h"

#include "patterns.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_PATTERN_FILE (1024 * 1024)
#define DEFAULT_WINDOW   300

struct parser {
	struct ps_patterns *set;
	const char *name;
	unsigned line;
	long current;          /* type being defined, -1 before the first */
	char *why;
	size_t whylen;
};

static enum ps_error
fail(struct parser *p, const char *fmt, ...)
{
	int n = snprintf(p->why, p->whylen, "%s:%u: ", p->name, p->line);
	va_list ap;

	if (n >= 0 && (size_t)n < p->whylen) {
		va_start(ap, fmt);
		vsnprintf(p->why + n, p->whylen - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return PS_ERR_SYNTAX;
}

struct ps_patterns *
ps_patterns_new(void)
{
	return calloc(1, sizeof(struct ps_patterns));
}

static void
type_clear(struct ps_type *t)
{
	free(t->id);
	free(t->label);
	free(t->source);
	free(t->validator_name);
	free(t->normaliser_name);
	free(t->mask_name);
	for (size_t i = 0; i < t->nkeywords; i++)
		free(t->keywords[i]);
	free(t->keywords);
	free(t->keyword_next);
	for (size_t i = 0; i < t->ntests; i++)
		free(t->tests[i]);
	free(t->tests);
	memset(t, 0, sizeof *t);
}

void
ps_patterns_free(struct ps_patterns *set)
{
	if (set == NULL)
		return;
	for (size_t i = 0; i < set->ntypes; i++) {
		pcre2_code_free(set->types[i].code);
		type_clear(&set->types[i]);
	}
	free(set->types);
	for (size_t i = 0; i < set->nregexes; i++)
		free(set->regexes[i].source);
	free(set->regexes);
	pcre2_code_free(set->code);
	free(set);
}

long
ps_patterns_find_type(const struct ps_patterns *set, const char *id)
{
	for (size_t i = 0; i < set->ntypes; i++)
		if (strcmp(set->types[i].id, id) == 0)
			return (long)i;
	return -1;
}

/* Drop the regexes of type t: it is being defined anew. */
static void
drop_regexes(struct ps_patterns *set, size_t t)
{
	size_t kept = 0;

	for (size_t i = 0; i < set->nregexes; i++) {
		if (set->regexes[i].type == t)
			free(set->regexes[i].source);
		else
			set->regexes[kept++] = set->regexes[i];
	}
	set->nregexes = kept;
}

static bool
valid_id(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n >= PS_TYPE_ID_MAX || !islower((unsigned char)s[0]))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!islower((unsigned char)s[i]) && !isdigit((unsigned char)s[i])
		    && s[i] != '_')
			return false;
	return true;
}

/* Numbered references would point elsewhere once the regexes are joined. */
static bool
has_numbered_reference(const char *re)
{
	bool in_class = false;

	for (const char *p = re; *p != '\0'; p++) {
		if (*p == '\\') {
			if (p[1] == '\0')
				break;
			if (!in_class && ((p[1] >= '1' && p[1] <= '9')
			    || (p[1] == 'g' && (isdigit((unsigned char)p[2])
				|| ((p[2] == '{' || p[2] == '<' || p[2] == '\'')
				    && (isdigit((unsigned char)p[3]) || p[3] == '+'
					|| p[3] == '-'))))))
				return true;
			p++;
		} else if (*p == '[' && !in_class) {
			in_class = true;
			if (p[1] == '^')
				p++;
			if (p[1] == ']')
				p++;
		} else if (*p == ']' && in_class) {
			in_class = false;
		} else if (!in_class && p[0] == '(' && p[1] == '?'
		    && (isdigit((unsigned char)p[2]) || p[2] == 'R'
			|| p[2] == '+' || p[2] == '-')) {
			return true;
		}
	}
	return false;
}

static enum ps_error
check_regex(struct parser *p, const char *re)
{
	PCRE2_UCHAR msg[256];
	PCRE2_SIZE offset;
	pcre2_code *code;
	uint32_t minlen = 0;
	int errcode;

	code = pcre2_compile((PCRE2_SPTR)re, PCRE2_ZERO_TERMINATED, PCRE2_DUPNAMES,
	    &errcode, &offset, NULL);
	if (code == NULL) {
		pcre2_get_error_message(errcode, msg, sizeof msg);
		return fail(p, "bad regex at offset %zu: %s", (size_t)offset, (char *)msg);
	}
	pcre2_pattern_info(code, PCRE2_INFO_MINLENGTH, &minlen);
	pcre2_code_free(code);
	if (minlen == 0)
		return fail(p, "regex can match empty text");
	if (has_numbered_reference(re))
		return fail(p, "numbered group references are not allowed; "
		    "name the group: (?<name>...) and \\k<name>");
	/* The matcher's own callouts validate matches. */
	if (strstr(re, "(?C") != NULL)
		return fail(p, "callouts (?C...) are not allowed");
	return PS_OK;
}

static enum ps_error
start_type(struct parser *p, const char *id)
{
	struct ps_patterns *set = p->set;
	long existing = ps_patterns_find_type(set, id);
	struct ps_type *t;

	if (!valid_id(id))
		return fail(p, "type id '%s': use lower-case letters, digits and "
		    "'_', starting with a letter, at most %d characters", id,
		    PS_TYPE_ID_MAX - 1);
	if (existing >= 0 && strcmp(set->types[existing].source, p->name) == 0)
		return fail(p, "type '%s' defined twice in this file", id);
	if (existing >= 0) {
		/* A later file redefines the type: replace it whole. */
		drop_regexes(set, (size_t)existing);
		type_clear(&set->types[existing]);
		t = &set->types[existing];
		p->current = existing;
	} else {
		t = realloc(set->types, (set->ntypes + 1) * sizeof *t);
		if (t == NULL)
			return PS_ERR_NOMEM;
		set->types = t;
		t = &set->types[set->ntypes];
		memset(t, 0, sizeof *t);
		p->current = (long)set->ntypes++;
	}
	t->id = strdup(id);
	t->source = strdup(p->name);
	t->window = DEFAULT_WINDOW;
	t->context = PS_CONF_HIGH;
	if (t->id == NULL || t->source == NULL)
		return PS_ERR_NOMEM;
	return PS_OK;
}

static int
compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A type must be complete before the next one starts or the file ends. */
static enum ps_error
finish_type(struct parser *p)
{
	struct ps_type *t;
	bool has_regex = false;

	if (p->current < 0)
		return PS_OK;
	t = &p->set->types[p->current];
	for (size_t i = 0; i < p->set->nregexes; i++)
		if (p->set->regexes[i].type == (size_t)p->current)
			has_regex = true;
	if (!has_regex)
		return fail(p, "type '%s' has no 'match' line", t->id);
	if (t->normalise == NULL)
		return fail(p, "type '%s' has no 'normalise' line", t->id);
	if (t->mask == NULL)
		return fail(p, "type '%s' has no 'mask' line", t->id);
	if (t->validate == NULL && !ps_validator_find("none", &t->validate))
		return PS_ERR_NOMEM;
	if (t->validator_name == NULL && (t->validator_name = strdup("none")) == NULL)
		return PS_ERR_NOMEM;
	if (t->label == NULL && (t->label = strdup(t->id)) == NULL)
		return PS_ERR_NOMEM;
	if (t->ntests > 1)
		qsort(t->tests, t->ntests, sizeof *t->tests, compare_names);
	return PS_OK;
}

static enum ps_error
add_keyword(struct parser *p, struct ps_type *t, const char *kw)
{
	char **list;
	uint16_t *next, *link;
	char *copy;
	unsigned char first;

	if (t->nkeywords >= PS_MAX_KEYWORDS)
		return fail(p, "type '%s' has more than %d keywords", t->id, PS_MAX_KEYWORDS);
	if ((list = realloc(t->keywords, (t->nkeywords + 1) * sizeof *list)) == NULL)
		return PS_ERR_NOMEM;
	t->keywords = list;
	if ((next = realloc(t->keyword_next, (t->nkeywords + 1) * sizeof *next)) == NULL)
		return PS_ERR_NOMEM;
	t->keyword_next = next;
	if ((copy = strdup(kw)) == NULL)
		return PS_ERR_NOMEM;
	for (char *c = copy; *c != '\0'; c++)
		*c = (char)tolower((unsigned char)*c);
	first = (unsigned char)copy[0];
	/* At the end of its first byte's chain: keywords keep file order. */
	next[t->nkeywords] = 0;
	for (link = &t->keyword_head[first]; *link != 0; link = &next[*link - 1])
		;
	*link = (uint16_t)(t->nkeywords + 1);
	/* The other case of that byte begins the same chain. */
	for (int c = 0; c < 256; c++)
		if (c != first && tolower(c) == first)
			t->keyword_head[c] = t->keyword_head[first];
	t->keywords[t->nkeywords++] = copy;
	return PS_OK;
}

static enum ps_error
add_test(struct parser *p, struct ps_type *t, const char *value)
{
	char **list;

	if (strlen(value) > PS_MAX_MATCH_LEN || strpbrk(value, " \t") != NULL)
		return fail(p, "test '%s': a normalised value, no spaces, at most %d "
		    "bytes", value, PS_MAX_MATCH_LEN);
	if ((list = realloc(t->tests, (t->ntests + 1) * sizeof *list)) == NULL)
		return PS_ERR_NOMEM;
	t->tests = list;
	if ((list[t->ntests] = strdup(value)) == NULL)
		return PS_ERR_NOMEM;
	t->ntests++;
	return PS_OK;
}

bool
ps_type_is_test_value(const struct ps_type *t, const char *value, size_t len)
{
	size_t lo = 0, hi = t->ntests;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const char *v = t->tests[mid];
		int c = strncmp(v, value, len);

		if (c == 0 && v[len] != '\0')
			c = 1;
		if (c == 0)
			return true;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

static enum ps_error
add_match(struct parser *p, const char *value)
{
	struct ps_patterns *set = p->set;
	struct ps_regex *list;
	enum ps_confidence base;
	char level[16];
	size_t n = strcspn(value, " \t");
	const char *re = value + n;
	enum ps_error err;

	if (n == 0 || n >= sizeof level)
		return fail(p, "'match' needs a confidence (low or medium) and a regex");
	memcpy(level, value, n);
	level[n] = '\0';
	base = ps_confidence_parse(level);
	if (base != PS_CONF_LOW && base != PS_CONF_MEDIUM)
		return fail(p, "'match %s': the confidence without context must be "
		    "low or medium", level);
	re += strspn(re, " \t");
	if (*re == '\0')
		return fail(p, "'match' needs a regex");
	if ((err = check_regex(p, re)) != PS_OK)
		return err;
	if (set->nregexes >= PS_MAX_REGEXES)
		return fail(p, "more than %d match lines in all", PS_MAX_REGEXES);
	list = realloc(set->regexes, (set->nregexes + 1) * sizeof *list);
	if (list == NULL)
		return PS_ERR_NOMEM;
	set->regexes = list;
	list[set->nregexes].source = strdup(re);
	list[set->nregexes].type = (size_t)p->current;
	list[set->nregexes].base = base;
	if (list[set->nregexes].source == NULL)
		return PS_ERR_NOMEM;
	set->nregexes++;
	return PS_OK;
}

/* "A-Z", "A-Za-z_": ASCII characters and ranges, into a bitmap; false
 * when the set is empty or malformed. */
static bool
parse_byte_set(const char *spec, unsigned char bits[32])
{
	memset(bits, 0, 32);
	if (*spec == '\0')
		return false;
	while (*spec != '\0') {
		unsigned char lo = (unsigned char)spec[0], hi = lo;

		if (lo <= ' ' || lo >= 0x7f)
			return false;
		if (spec[1] == '-' && spec[2] != '\0') {
			hi = (unsigned char)spec[2];
			if (hi <= ' ' || hi >= 0x7f || hi < lo)
				return false;
			spec += 3;
		} else {
			spec++;
		}
		for (unsigned c = lo; c <= hi; c++)
			bits[c / 8] |= (unsigned char)(1u << (c % 8));
	}
	return true;
}

/* "literal STR SPAN": STR printable ASCII, no spaces. */
static enum ps_error
set_prefilter_literal(struct parser *p, struct ps_type *t, const char *value)
{
	char literal[PS_LITERAL_MAX + 2];
	unsigned span = 0;
	int used = 0;

	if (sscanf(value, "%9s %u%n", literal, &span, &used) != 2
	    || value[used] != '\0' || strlen(literal) > PS_LITERAL_MAX
	    || span > PS_MAX_MATCH_LEN)
		goto bad;
	for (const char *c = literal; *c != '\0'; c++)
		if (*c <= ' ' || *c >= 0x7f)
			goto bad;
	memcpy(t->prefilter_literal, literal, strlen(literal) + 1);
	t->prefilter_literal_len = strlen(literal);
	t->prefilter_span = span;
	return PS_OK;
bad:
	return fail(p, "prefilter 'literal %s': expected 'literal STR SPAN' (STR 1 to "
	    "%d printable ASCII bytes, SPAN at most %d)", value, PS_LITERAL_MAX,
	    PS_MAX_MATCH_LEN);
}

static enum ps_error
set_prefilter(struct parser *p, struct ps_type *t, const char *value)
{
	unsigned digits = 0, span = 0;
	char word[64];
	int used = 0, more;

	t->prefilter_after_any = true;
	t->prefilter_checked = false;
	t->prefilter_groups = 0;
	t->prefilter_digits = 0;
	t->prefilter_literal_len = 0;
	if (strncmp(value, "literal ", 8) == 0)
		return set_prefilter_literal(p, t, value + 8);
	if (sscanf(value, "digits %u %u%n", &digits, &span, &used) != 2
	    || digits == 0 || digits > 64 || span > PS_MAX_MATCH_LEN)
		goto bad;
	/* Then "after SET", "checked" and "groups G", each at most once. */
	while (value[used] != '\0') {
		unsigned groups = 0;

		more = 0;
		if (sscanf(value + used, " %63s%n", word, &more) != 1)
			goto bad;
		used += more;
		if (strcmp(word, "checked") == 0 && !t->prefilter_checked) {
			t->prefilter_checked = true;
			continue;
		}
		more = 0;
		if (strcmp(word, "groups") == 0) {
			if (t->prefilter_groups != 0
			    || sscanf(value + used, " %u%n", &groups, &more) != 1
			    || groups == 0 || groups > 64)
				goto bad;
			used += more;
			t->prefilter_groups = groups;
			continue;
		}
		if (strcmp(word, "after") != 0 || !t->prefilter_after_any
		    || sscanf(value + used, " %63s%n", word, &more) != 1
		    || !parse_byte_set(word, t->prefilter_after))
			goto bad;
		used += more;
		t->prefilter_after_any = false;
	}
	t->prefilter_digits = digits;
	t->prefilter_span = span;
	return PS_OK;
bad:
	return fail(p, "prefilter '%s': expected 'digits N SPAN [after SET] [checked] "
	    "[groups G]' (N and G from 1 to 64, SPAN at most %d, SET printable ASCII "
	    "and ranges such as A-Z) or 'literal STR SPAN'", value, PS_MAX_MATCH_LEN);
}

static enum ps_error
set_name(struct parser *p, char **slot, const char *value, bool found,
    const char *what)
{
	if (!found)
		return fail(p, "unknown %s '%s'", what, value);
	free(*slot);
	if ((*slot = strdup(value)) == NULL)
		return PS_ERR_NOMEM;
	return PS_OK;
}

static enum ps_error
directive(struct parser *p, const char *key, const char *value)
{
	struct ps_type *t;
	char *end;
	unsigned long n;

	if (strcmp(key, "format") == 0) {
		if (strcmp(value, "1") != 0)
			return fail(p, "format '%s' is not supported (this piiscan "
			    "reads format %d)", value, PS_PATTERNS_FORMAT);
		return PS_OK;
	}
	if (strcmp(key, "type") == 0) {
		enum ps_error err = finish_type(p);
		return err != PS_OK ? err : start_type(p, value);
	}
	if (p->current < 0)
		return fail(p, "'%s' before the first 'type' line", key);
	t = &p->set->types[p->current];
	if (*value == '\0')
		return fail(p, "'%s' needs a value", key);
	if (strcmp(key, "label") == 0)
		return set_name(p, &t->label, value, true, "label");
	if (strcmp(key, "validator") == 0)
		return set_name(p, &t->validator_name, value,
		    ps_validator_find(value, &t->validate), "validator");
	if (strcmp(key, "normalise") == 0 || strcmp(key, "normalize") == 0)
		return set_name(p, &t->normaliser_name, value,
		    ps_normaliser_find(value, &t->normalise), "normaliser");
	if (strcmp(key, "mask") == 0)
		return set_name(p, &t->mask_name, value,
		    ps_mask_find(value, &t->mask), "mask");
	if (strcmp(key, "keyword") == 0)
		return add_keyword(p, t, value);
	if (strcmp(key, "match") == 0)
		return add_match(p, value);
	if (strcmp(key, "prefilter") == 0)
		return set_prefilter(p, t, value);
	if (strcmp(key, "context") == 0) {
		enum ps_confidence c = ps_confidence_parse(value);

		if (c != PS_CONF_MEDIUM && c != PS_CONF_HIGH)
			return fail(p, "context '%s': the confidence a keyword gives, "
			    "medium or high", value);
		t->context = c;
		return PS_OK;
	}
	if (strcmp(key, "test") == 0)
		return add_test(p, t, value);
	if (strcmp(key, "window") == 0) {
		errno = 0;
		n = strtoul(value, &end, 10);
		if (errno != 0 || *end != '\0' || n > PS_MAX_WINDOW)
			return fail(p, "window '%s': a number of bytes, at most %d",
			    value, PS_MAX_WINDOW);
		t->window = (unsigned)n;
		return PS_OK;
	}
	return fail(p, "unknown directive '%s'", key);
}

enum ps_error
ps_patterns_parse(struct ps_patterns *set, const char *name, const char *text,
    size_t len, char *why, size_t whylen)
{
	struct parser p = { set, name, 0, -1, why, whylen };
	const char *pos = text, *end = text + len;
	enum ps_error err = PS_OK;
	char *line = NULL;

	while (pos < end && err == PS_OK) {
		const char *nl = memchr(pos, '\n', (size_t)(end - pos));
		size_t n = nl != NULL ? (size_t)(nl - pos) : (size_t)(end - pos);
		char *key, *value, *tail;

		p.line++;
		free(line);
		if ((line = strndup(pos, n)) == NULL)
			return PS_ERR_NOMEM;
		pos += n + (nl != NULL);
		if (strlen(line) != n) {
			err = fail(&p, "NUL byte in line");
			break;
		}
		key = line + strspn(line, " \t");
		tail = key + strlen(key);
		while (tail > key && isspace((unsigned char)tail[-1]))
			*--tail = '\0';
		if (*key == '\0' || *key == '#')
			continue;
		value = key + strcspn(key, " \t");
		if (*value != '\0') {
			*value++ = '\0';
			value += strspn(value, " \t");
		}
		err = directive(&p, key, value);
	}
	free(line);
	if (err == PS_OK) {
		p.line++;
		err = finish_type(&p);
	}
	return err;
}

static enum ps_error
read_file(const char *path, char **text, size_t *len, char *why, size_t whylen)
{
	struct stat st;
	enum ps_error err = PS_ERR_IO;
	char *buf = NULL;
	size_t got = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		snprintf(why, whylen, "%s: %s", path, strerror(errno));
		return PS_ERR_IO;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)
	    || st.st_size > MAX_PATTERN_FILE) {
		snprintf(why, whylen, "%s: not a regular file of at most %d bytes",
		    path, MAX_PATTERN_FILE);
		goto done;
	}
	if ((buf = malloc((size_t)st.st_size + 1)) == NULL) {
		err = PS_ERR_NOMEM;
		goto done;
	}
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			snprintf(why, whylen, "%s: %s", path,
			    n < 0 ? strerror(errno) : "file shrank while read");
			goto done;
		}
		got += (size_t)n;
	}
	buf[got] = '\0';
	*text = buf;
	*len = got;
	buf = NULL;
	err = PS_OK;
done:
	free(buf);
	close(fd);
	return err;
}

static bool
is_pattern_file(const char *name)
{
	size_t n = strlen(name);

	return name[0] != '.' && n > 8 && strcmp(name + n - 8, ".pattern") == 0;
}

/* The directory's pattern file names, sorted; NULL-terminated, malloc'd. */
static enum ps_error
list_dir(const char *dir, char ***names, char *why, size_t whylen)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **list = NULL;
	size_t n = 0;

	if (d == NULL) {
		snprintf(why, whylen, "%s: %s", dir, strerror(errno));
		return PS_ERR_IO;
	}
	while ((e = readdir(d)) != NULL) {
		char **grown;

		if (!is_pattern_file(e->d_name))
			continue;
		if ((grown = realloc(list, (n + 2) * sizeof *list)) == NULL)
			goto nomem;
		list = grown;
		if ((list[n] = strdup(e->d_name)) == NULL)
			goto nomem;
		list[++n] = NULL;
	}
	closedir(d);
	if (n > 0)
		qsort(list, n, sizeof *list, compare_names);
	*names = list;
	return PS_OK;
nomem:
	for (size_t i = 0; i < n; i++)
		free(list[i]);
	free(list);
	closedir(d);
	return PS_ERR_NOMEM;
}

static void
digest_add(crypto_hash_sha256_state *st, const char *name, const char *text,
    size_t len)
{
	crypto_hash_sha256_update(st, (const unsigned char *)name, strlen(name) + 1);
	crypto_hash_sha256_update(st, (const unsigned char *)text, len);
	crypto_hash_sha256_update(st, (const unsigned char *)"", 1);
}

/*
 * One program of the regexes of type `only` (all types: SIZE_MAX), each
 * alternative ending in a callout numbered after its regex: the matcher
 * validates there, and a refusal makes PCRE2 backtrack into shorter
 * candidates at the same start.
 */
static enum ps_error
compile_program(const struct ps_patterns *set, size_t only, pcre2_code **code,
    char *why, size_t whylen)
{
	PCRE2_UCHAR msg[256];
	PCRE2_SIZE offset;
	size_t cap = 1, used = 0;
	char *combined;
	int errcode, rc;

	for (size_t i = 0; i < set->nregexes; i++)
		cap += strlen(set->regexes[i].source) + 16;
	if ((combined = malloc(cap)) == NULL)
		return PS_ERR_NOMEM;
	for (size_t i = 0; i < set->nregexes; i++)
		if (only == SIZE_MAX || set->regexes[i].type == only)
			used += (size_t)snprintf(combined + used, cap - used, "%s(?:%s)(?C%zu)",
			    used > 0 ? "|" : "", set->regexes[i].source, i + 1);
	/* USE_OFFSET_LIMIT: the matcher searches windows of the text and
	 * tells the engine not to try starts past a window's end. */
	*code = pcre2_compile((PCRE2_SPTR)combined, used,
	    PCRE2_DUPNAMES | PCRE2_USE_OFFSET_LIMIT, &errcode, &offset, NULL);
	free(combined);
	if (*code == NULL) {
		pcre2_get_error_message(errcode, msg, sizeof msg);
		snprintf(why, whylen, "the patterns cannot be combined: %s", (char *)msg);
		return PS_ERR_SYNTAX;
	}
	rc = pcre2_jit_compile(*code, PCRE2_JIT_COMPLETE);
	(void)rc; /* without JIT (unsupported CPU) the interpreter still works */
	return PS_OK;
}

enum ps_error
ps_patterns_compile(struct ps_patterns *set, char *why, size_t whylen)
{
	enum ps_error err;

	if (set->nregexes == 0) {
		snprintf(why, whylen, "no patterns loaded");
		return PS_ERR_SYNTAX;
	}
	/* The whole set, for text searched whole; and each type's own, for
	 * the windows its prefilter opens. */
	if ((err = compile_program(set, SIZE_MAX, &set->code, why, whylen)) != PS_OK)
		return err;
	for (size_t k = 0; k < set->ntypes; k++)
		if ((err = compile_program(set, k, &set->types[k].code, why, whylen)) != PS_OK)
			return err;
	set->max_window = 0;
	set->prefiltered = true;
	set->prefilter_digits = UINT32_MAX;
	set->prefilter_span = 0;
	for (size_t i = 0; i < set->ntypes; i++) {
		const struct ps_type *t = &set->types[i];

		if (t->window > set->max_window)
			set->max_window = t->window;
		/* One type without a prefilter needs the whole text searched. */
		if (t->prefilter_digits == 0 && t->prefilter_literal_len == 0)
			set->prefiltered = false;
		if (i >= PS_PREFILTER_TYPES_MAX)
			set->prefiltered = false;
		if (t->prefilter_digits > 0 && t->prefilter_digits < set->prefilter_digits)
			set->prefilter_digits = t->prefilter_digits;
		if (t->prefilter_span > set->prefilter_span)
			set->prefilter_span = t->prefilter_span;
	}
	if (set->prefilter_digits == UINT32_MAX)
		set->prefilter_digits = 0;
	return PS_OK;
}

/* Whether id is in the comma-separated list. */
static bool
listed(const char *list, const char *id)
{
	size_t n = strlen(id);

	for (const char *p = list; *p != '\0';) {
		size_t len = strcspn(p, ",");

		if (len == n && strncmp(p, id, n) == 0)
			return true;
		p += len + (p[len] == ',');
	}
	return false;
}

/* Keep only the types named in ids, every name a known type. */
static enum ps_error
keep_types(struct ps_patterns *set, const char *ids, char *why, size_t whylen)
{
	size_t kept = 0, nregexes, *index;

	for (const char *p = ids; *p != '\0';) {
		size_t len = strcspn(p, ",");
		bool known = false;

		for (size_t i = 0; i < set->ntypes && !known; i++)
			known = strlen(set->types[i].id) == len
			    && strncmp(set->types[i].id, p, len) == 0;
		if (!known) {
			int n = snprintf(why, whylen, "unknown type '%.*s'; the types are",
			    (int)len, p);

			for (size_t i = 0; i < set->ntypes && n >= 0 && (size_t)n < whylen; i++)
				n += snprintf(why + n, whylen - (size_t)n, "%s %s",
				    i > 0 ? "," : "", set->types[i].id);
			return PS_ERR_SYNTAX;
		}
		p += len + (p[len] == ',');
	}
	/* index[i]: the new place of type i, or SIZE_MAX when it goes. */
	if ((index = calloc(set->ntypes, sizeof *index)) == NULL)
		return PS_ERR_NOMEM;
	for (size_t i = 0; i < set->ntypes; i++) {
		if (!listed(ids, set->types[i].id)) {
			type_clear(&set->types[i]);
			index[i] = SIZE_MAX;
			continue;
		}
		index[i] = kept;
		set->types[kept++] = set->types[i];
	}
	nregexes = set->nregexes;
	set->nregexes = 0;
	for (size_t i = 0; i < nregexes; i++) {
		struct ps_regex re = set->regexes[i];

		if (index[re.type] == SIZE_MAX) {
			free(re.source);
			continue;
		}
		re.type = index[re.type];
		set->regexes[set->nregexes++] = re;
	}
	free(index);
	set->ntypes = kept;
	return PS_OK;
}

enum ps_error
ps_patterns_load(const char *dir, struct ps_patterns **out, char *why,
    size_t whylen)
{
	return ps_patterns_load_types(dir, NULL, out, why, whylen);
}

enum ps_error
ps_patterns_load_types(const char *dir, const char *ids, struct ps_patterns **out,
    char *why, size_t whylen)
{
	struct ps_patterns *set = ps_patterns_new();
	crypto_hash_sha256_state st;
	unsigned char digest[crypto_hash_sha256_BYTES];
	enum ps_error err = PS_OK;
	char **names = NULL;

	if (set == NULL)
		return PS_ERR_NOMEM;
	crypto_hash_sha256_init(&st);
	for (size_t i = 0; i < ps_builtin_patterns_count && err == PS_OK; i++) {
		const struct ps_builtin_pattern *b = &ps_builtin_patterns[i];

		err = ps_patterns_parse(set, b->name, b->text, b->len, why, whylen);
		digest_add(&st, b->name, b->text, b->len);
	}
	if (err == PS_OK && dir != NULL)
		err = list_dir(dir, &names, why, whylen);
	for (size_t i = 0; err == PS_OK && names != NULL && names[i] != NULL; i++) {
		char *path = NULL, *text = NULL;
		size_t len = 0;

		if (asprintf(&path, "%s/%s", dir, names[i]) < 0) {
			err = PS_ERR_NOMEM;
			break;
		}
		err = read_file(path, &text, &len, why, whylen);
		if (err == PS_OK) {
			err = ps_patterns_parse(set, path, text, len, why, whylen);
			digest_add(&st, names[i], text, len);
		}
		free(text);
		free(path);
	}
	for (size_t i = 0; names != NULL && names[i] != NULL; i++)
		free(names[i]);
	free(names);
	if (err == PS_OK && ids != NULL) {
		err = keep_types(set, ids, why, whylen);
		/* Other types, other findings: part of the digest. */
		digest_add(&st, "--types", ids, strlen(ids));
	}
	if (err == PS_OK)
		err = ps_patterns_compile(set, why, whylen);
	crypto_hash_sha256_final(&st, digest);
	sodium_bin2hex(set->sha256, sizeof set->sha256, digest, sizeof digest);
	if (err != PS_OK) {
		ps_patterns_free(set);
		return err;
	}
	*out = set;
	return PS_OK;
}

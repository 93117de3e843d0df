/*
 * patterns.h - the pattern set: PII types, their regexes and keywords.
 *
 * Loaded once at start-up from the built-in pattern files and from the
 * files of a --patterns directory (format in piiscan-patterns(5)), then
 * shared read-only by every thread.  The regexes of all types are compiled
 * into one PCRE2 program (JIT) so that text is searched once.
 */
#ifndef PS_PATTERNS_H
#define PS_PATTERNS_H

#include <pcre2.h>
#include <stddef.h>

#include "finding.h"
#include "piiscan.h"
#include "validate.h"

#define PS_PATTERNS_FORMAT 1
#define PS_LITERAL_MAX     8     /* bytes of a "prefilter literal" */
#define PS_MAX_KEYWORDS    1000  /* keywords a type */
/* Sets of more types are searched whole, not through their prefilters. */
#define PS_PREFILTER_TYPES_MAX 64
#define PS_MAX_REGEXES     255   /* PCRE2 callout numbers */
#define PS_MAX_WINDOW      4096  /* keyword window, bytes each side */

struct ps_type {
	char *id;                 /* "card", "hkid", ... */
	char *label;
	char *source;             /* file it was defined in */
	char *validator_name, *normaliser_name, *mask_name;
	ps_validator_fn validate;
	ps_normalise_fn normalise;
	ps_mask_fn mask;
	unsigned window;          /* keyword window in bytes, each side */
	/* "prefilter digits N SPAN [after SET] [checked] [groups G]": every
	 * match holds a run of at least N digits (single spaces or dashes
	 * between them allowed), right after a byte of SET when one is given,
	 * and lies within SPAN bytes of it; with "checked", a run of digits
	 * alone is a match only when the validator accepts it whole; with
	 * "groups G", a run with separators holds a match only when each
	 * group of digits after its first has a multiple of G digits.  0
	 * when the type declares none. */
	unsigned prefilter_digits, prefilter_span;
	bool prefilter_after_any;           /* no "after SET" */
	unsigned char prefilter_after[32];  /* SET, a bit per byte value */
	bool prefilter_checked;
	unsigned prefilter_groups;          /* G, or 0 */
	/* "prefilter literal STR SPAN": every match holds the bytes STR and
	 * lies within SPAN bytes of them.  Empty when the type has none. */
	char prefilter_literal[PS_LITERAL_MAX + 1];
	size_t prefilter_literal_len;
	/* The confidence a keyword nearby or in the column header gives
	 * ("context"; high unless the file says medium). */
	enum ps_confidence context;
	/* Normalised values published as test data ("test"), sorted: found,
	 * they are low and marked test-data. */
	char **tests;
	size_t ntests;
	pcre2_code *code;         /* this type's regexes alone (JIT) */
	char **keywords;          /* lower-cased; a space matches [ _./-]* */
	size_t nkeywords;
	/* Per byte, in either case: 1 + the first keyword that begins with
	 * it, or 0; keyword_next[k] is 1 + the next keyword with the same
	 * first byte, or 0.  The search tries only these. */
	uint16_t keyword_head[256];
	uint16_t *keyword_next;
};

struct ps_regex {
	char *source;             /* the regex text */
	size_t type;              /* index into types */
	enum ps_confidence base;  /* confidence without context */
};

struct ps_patterns {
	struct ps_type *types;
	size_t ntypes;
	struct ps_regex *regexes;
	size_t nregexes;
	pcre2_code *code;         /* all regexes, one alternative each */
	unsigned max_window;
	/* When every type has a prefilter, the text is searched only around
	 * what they ask for: digit runs at least prefilter_digits long (0
	 * when no type asks for digits) and each type's literal. */
	bool prefiltered;
	unsigned prefilter_digits, prefilter_span;
	char sha256[65];          /* digest of the pattern files loaded */
};

/*
 * Load the built-in patterns, then every "*.pattern" file of dir (may be
 * NULL), in name order; a type defined again replaces the earlier one.
 * On error returns PS_ERR_SYNTAX or PS_ERR_IO with "file:line: what" in why.
 */
enum ps_error ps_patterns_load(const char *dir, struct ps_patterns **out,
    char *why, size_t whylen);

/* The same, keeping only the types named in ids (comma-separated; NULL
 * keeps all); an unknown name is a PS_ERR_SYNTAX. */
enum ps_error ps_patterns_load_types(const char *dir, const char *ids,
    struct ps_patterns **out, char *why, size_t whylen);

/* Whether the normalised value is one of type t's published test values. */
bool ps_type_is_test_value(const struct ps_type *t, const char *value, size_t len);

/* Parse one pattern file's text into set (exposed for tests). */
enum ps_error ps_patterns_parse(struct ps_patterns *set, const char *name,
    const char *text, size_t len, char *why, size_t whylen);

/* Compile the combined program after parsing. */
enum ps_error ps_patterns_compile(struct ps_patterns *set, char *why, size_t whylen);

struct ps_patterns *ps_patterns_new(void);
void ps_patterns_free(struct ps_patterns *set);

/* Index of the type with that id, or -1. */
long ps_patterns_find_type(const struct ps_patterns *set, const char *id);

/* The built-in pattern files (generated from patterns/ at build time). */
struct ps_builtin_pattern {
	const char *name;
	const char *text;
	size_t len;
};
extern const struct ps_builtin_pattern ps_builtin_patterns[];
extern const size_t ps_builtin_patterns_count;

#endif

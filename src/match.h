/*
 * match.h - the matcher: a sink that finds PII in text.
 *
 * One matcher per worker thread.  It borrows the shared, read-only pattern
 * set and key, owns its PCRE2 match data and JIT stack, and keeps a sliding
 * window of the current unit so that a match, and the keywords around it,
 * are found across any boundary between pieces of text.  Each match is
 * validated inside the regex engine (a PCRE2 callout), so that a failed
 * candidate lets the engine try shorter ones at the same place.
 */
#ifndef PS_MATCH_H
#define PS_MATCH_H

#include "finding.h"
#include "patterns.h"
#include "sink.h"

struct ps_matcher;

/* Borrowed: set and key must outlive the matcher. NULL when out of memory. */
struct ps_matcher *ps_matcher_new(const struct ps_patterns *set,
    const struct ps_key *key);
void ps_matcher_free(struct ps_matcher *m);

/* Send findings to out from now on; member (the archive member chain, or
 * NULL) is copied into each finding.  Both borrowed until the next call. */
void ps_matcher_target(struct ps_matcher *m, struct ps_findings *out,
    const char *member);

/* The matcher as a sink, for extractors. */
struct ps_sink ps_matcher_sink(struct ps_matcher *m);

/* Whether the text holds one of type's keywords (ASCII case-insensitive,
 * a space in a keyword matching any run of " _-./" or nothing, and word
 * boundaries respected for keywords that begin or end with a letter).
 * On success *at is the offset of the first keyword in text, *n its
 * length there, *which its index in type->keywords. */
bool ps_keyword_find(const struct ps_type *type, const char *text, size_t len,
    size_t *at, size_t *n, size_t *which);

#endif

/*
 * runs.h - the digit runs of a text that are long enough for some type's
 * prefilter (match.c), found from bit masks a window of 64 bytes at a
 * time.
 *
 * A digit run is a longest stretch of ASCII digits with single
 * separators (a space or a dash) between two of them.  A window's masks
 * (a bit a byte: digit, separator, byte of the set) are computed once,
 * with AVX2 where the host has it; its run starts are read off them and
 * measured in bulk (bits k to k + n - 1 all set, by doubling), and only
 * those long enough for `any`, or right after a byte of the set, are
 * looked at one by one.  Windows overlap by 15 bytes, so that a run
 * starting in one is measured there: nothing is started again.
 *
 * The bounds are the matcher's (read-only, shared by its calls); a
 * struct ps_runs is one pass over one buffer, on the caller's stack.
 * No allocation; callable from any thread.
 */
#ifndef PS_RUNS_H
#define PS_RUNS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "digits.h"

/* A run is wanted when it has at least `any` digits, or at least
 * `after` digits and the byte before it is in `set` (a bit per byte
 * value) or it starts the buffer.  0: no such bound.  The rest is
 * filled in by ps_run_bounds_prepare. */
struct ps_run_bounds {
	unsigned any, after;
	unsigned char set[32];
	/* The bytes from the set's lowest to its highest, all taken to be
	 * in it for a start (none when there is no `after`); all bytes when
	 * before_all is all ones. */
	struct ps_byte_range range;
	uint64_t before_all;
	/* A run of at least min(any, 15) bytes: bits k to k + n - 1 of the
	 * run mask all set, by shifting the mask down by each of shift[]
	 * and keeping the bits set in both; any_on is all ones when there
	 * is an `any`. */
	unsigned shift[4];
	uint64_t any_on;
	bool avx2;                /* the host has AVX2 (PIISCAN_NO_AVX2 unset) */
};

/* Fill in the rest of rb from any, after and set. */
void ps_run_bounds_prepare(struct ps_run_bounds *rb);

/* The end of the run that starts at the digit b[start] (b[0, len)),
 * followed byte by byte, and its digits. */
size_t ps_run_end(const char *b, size_t start, size_t len, size_t *digits);

/* A pass: where it is (ps_runs_next keeps it). */
struct ps_runs {
	const struct ps_run_bounds *rb;
	const char *b;
	size_t len, limit;
	size_t p;                 /* the current window: b[p, p + 64) */
	uint64_t cand;            /* its run starts left to look at */
	/* Its masks: digits, runs (digits and the separators between two
	 * of them), bytes of the set. */
	uint64_t d, run, a;
};

/* A pass over the runs of b[0, len) that start in [from, limit); a run
 * going on before from is taken to start there. */
void ps_runs_begin(struct ps_runs *r, const struct ps_run_bounds *rb,
    const char *b, size_t len, size_t from, size_t limit);

/* A wanted run: b[start, end), with `digits` digits. */
struct ps_run {
	size_t start, end, digits;
};

/* The next wanted runs, in text order, up to max of them into out: how
 * many; 0 when none is left. */
size_t ps_runs_next(struct ps_runs *r, struct ps_run *out, size_t max);

#endif

/*
 * runs.c - the digit runs long enough for a prefilter (see runs.h).
 */
#include "config.h"

#include "runs.h"
#include "digits.h"
#include "finding.h"

#include <stdlib.h>
#include <string.h>

void
ps_run_bounds_prepare(struct ps_run_bounds *rb)
{
	int lo = -1, hi = -1;
	unsigned n, covered = 1;

	/* The set's lowest and highest bytes: every byte between is taken
	 * to be in it too, for a start, and the byte before the run looked
	 * at when it is measured. */
	for (int c = 0; c < 256; c++)
		if (rb->set[c / 8] & (1u << (c % 8))) {
			if (lo < 0)
				lo = c;
			hi = c;
		}
	ps_byte_range_set(&rb->range, 0, 0);
	rb->before_all = 0;
	if (rb->after > 0 && lo >= 0) {
		if (hi - lo + 1 > 255)
			rb->before_all = ~(uint64_t)0;
		else
			ps_byte_range_set(&rb->range, (unsigned char)lo, (unsigned)(hi - lo + 1));
	}
	/* Stretches of 1 bit set, then each step at most doubling them, up
	 * to n.  Bounds over 15 are looked for as 15 (a window holds that
	 * much past its STEP), the runs found then measured one by one. */
	n = rb->any < 15 ? rb->any : 15;
	for (size_t i = 0; i < sizeof rb->shift / sizeof rb->shift[0]; i++) {
		unsigned step = n > covered ? n - covered : 0;

		if (step > covered)
			step = covered;
		rb->shift[i] = step;
		covered += step;
	}
	rb->any_on = rb->any > 0 ? ~(uint64_t)0 : 0;
#if PS_MASKS_AVX2
	rb->avx2 = getenv("PIISCAN_NO_AVX2") == NULL && __builtin_cpu_supports("avx2");
#endif
}

/* Windows of PS_BLOCK bytes, STEP apart: the runs starting in the first
 * STEP bytes of one are found there, their first 15 bytes within bit 62
 * (bit 63 does not know the byte after it).  A run going on past bit 62
 * is followed byte by byte. */
#define STEP 49

/* The masks of the window at b + q, len - q < PS_BLOCK bytes of text
 * and none after them: copied to a block of zeros.  Once a pass: kept
 * out of the loop. */
static __attribute__((noinline)) void
tail_masks(const struct ps_run_bounds *rb, const char *b, size_t len, size_t q,
    uint64_t *d, uint64_t *s, uint64_t *a)
{
	char tail[PS_BLOCK];

	memset(tail, 0, sizeof tail);
	memcpy(tail, b + q, len - q);
	ps_block_masks(tail, &rb->range, d, s, a);
	ps_wipe(tail, sizeof tail);
}

void
ps_runs_begin(struct ps_runs *r, const struct ps_run_bounds *rb,
    const char *b, size_t len, size_t from, size_t limit)
{
	memset(r, 0, sizeof *r);
	r->rb = rb;
	r->b = b;
	r->len = len;
	r->limit = limit < len ? limit : len;
	/* The first window is entered as the one after from - STEP, of no
	 * digits: a run going on before from starts at from.  The byte
	 * before may be in the set: it is looked at with the run. */
	r->p = from - STEP;
	r->a = (uint64_t)1 << (STEP - 1);
}

size_t
ps_run_end(const char *b, size_t start, size_t len, size_t *digits)
{
	size_t j = start;

	*digits = 0;
	for (;;) {
		size_t seg = j;

		j = ps_digits_end(b, j, len);
		*digits += j - seg;
		if (j + 1 < len && (b[j] == ' ' || b[j] == '-') && ps_is_digit(b[j + 1]))
			j++;
		else
			return j;
	}
}

/* ps_runs_next, its masks with AVX2 or not (avx2 a constant). */
static inline __attribute__((always_inline)) size_t
runs_next(struct ps_runs *r, struct ps_run *out, size_t max, bool avx2)
{
	const struct ps_run_bounds *rb = r->rb;
	const char *b = r->b;
	const size_t len = r->len, limit = r->limit;
	const unsigned any = rb->any, after = rb->after;
	const unsigned s0 = rb->shift[0], s1 = rb->shift[1], s2 = rb->shift[2];
	const unsigned s3 = rb->shift[3];
	const uint64_t any_on = rb->any_on, before_all = rb->before_all;
	size_t p = r->p, count = 0;
	uint64_t cand = r->cand, d = r->d, run = r->run, a = r->a;

	if (any == 0 && after == 0)
		return 0;
	while (count < max) {
		unsigned k;
		uint64_t rest;
		size_t n, at, end, sum;

		if (cand == 0) {
			/* The next window: its run starts that are long enough
			 * for `any`, bits k to k + n - 1 of the run mask all
			 * set, or right after a byte of the set. */
			uint64_t carry_d = (d >> (STEP - 1)) & 1;
			uint64_t carry_run = (run >> (STEP - 1)) & 1;
			uint64_t carry_a = (a >> (STEP - 1)) & 1, s, x, starts;

			if (p + STEP >= limit)
				break;
			p += STEP;
			if (len - p < PS_BLOCK)
				tail_masks(rb, b, len, p, &d, &s, &a);
#if PS_MASKS_AVX2
			else if (avx2)
				ps_block_masks_avx2(b + p, &rb->range, &d, &s, &a);
#endif
			else
				ps_block_masks(b + p, &rb->range, &d, &s, &a);
			(void)avx2;
			a |= before_all;
			/* A separator is in a run between two digits.  The top
			 * bit takes the byte after the window for no digit: it
			 * is never looked at. */
			run = d | (s & ((d << 1) | carry_d) & (d >> 1));
			starts = run & ~((run << 1) | carry_run) & (((uint64_t)1 << STEP) - 1);
			if (limit - p < STEP)
				starts &= ((uint64_t)1 << (limit - p)) - 1;
			/* Exact for k + n <= 63, all that is looked at. */
			x = run & (run >> s0);
			x &= x >> s1;
			x &= x >> s2;
			x &= x >> s3;
			/* Runs right after a byte of the set, whatever their
			 * length: they are few. */
			cand = ((x & any_on) | (a << 1) | carry_a) & starts;
			continue;
		}
		k = (unsigned)__builtin_ctzll(cand);
		cand &= cand - 1;
		rest = ~(run >> k);
		n = rest == 0 ? 64 : (size_t)__builtin_ctzll(rest);
		at = p + k;
		if (k + n >= PS_BLOCK - 1) {
			/* It may go on past the window: followed byte by byte. */
			end = ps_run_end(b, at, len, &sum);
		} else {
			end = at + n;
			/* Its digits: all but its separators, which are few
			 * (no popcount instruction on the baseline x86-64). */
			sum = n;
			for (uint64_t joins = (run & ~d) >> k & (((uint64_t)1 << n) - 1);
			    joins != 0; joins &= joins - 1)
				sum--;
		}
		if (!(any > 0 && sum >= any)) {
			unsigned char c = at > 0 ? (unsigned char)b[at - 1] : 0;

			/* At the start of the buffer the byte before is not
			 * known. */
			if (after == 0 || sum < after
			    || (at > 0 && !(rb->set[c / 8] & (1u << (c % 8)))))
				continue;
		}
		out[count].start = at;
		out[count].end = end;
		out[count].digits = sum;
		count++;
	}
	r->p = p;
	r->cand = cand;
	r->d = d;
	r->run = run;
	r->a = a;
	return count;
}

static size_t
runs_next_base(struct ps_runs *r, struct ps_run *out, size_t max)
{
	return runs_next(r, out, max, false);
}

#if PS_MASKS_AVX2
__attribute__((target("avx2"))) static size_t
runs_next_avx2(struct ps_runs *r, struct ps_run *out, size_t max)
{
	return runs_next(r, out, max, true);
}
#endif

size_t
ps_runs_next(struct ps_runs *r, struct ps_run *out, size_t max)
{
#if PS_MASKS_AVX2
	if (r->rb->avx2)
		return runs_next_avx2(r, out, max);
#endif
	return runs_next_base(r, out, max);
}

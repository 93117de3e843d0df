/*
 * digits.h - finding ASCII digits in text eight bytes at a time (SWAR,
 * "SIMD within a register"), for the matcher's prefilter, which walks
 * every byte of the text looking for runs of digits.  Hosts that are not
 * little-endian go byte by byte.
 */
#ifndef PS_DIGITS_H
#define PS_DIGITS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

static inline int
ps_is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* The high bit of each byte of w that is an ASCII digit, the rest 0.
 * Exact for every byte: the additions work on 7 bits, so no carry
 * crosses from one byte into the next. */
static inline uint64_t
ps_digit_bytes(uint64_t w)
{
	const uint64_t ones = 0x0101010101010101ULL, high = ones * 0x80;
	uint64_t low7 = w & ~high;
	uint64_t at_least_0 = low7 + ones * (0x80 - '0');
	uint64_t above_9 = low7 + ones * (0x80 - '9' - 1);

	return at_least_0 & ~above_9 & ~w & high;
}

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define PS_DIGITS_SWAR 1
#else
#define PS_DIGITS_SWAR 0
#endif

/* The first digit in b[i, end), or end. */
static inline size_t
ps_next_digit(const char *b, size_t i, size_t end)
{
#if PS_DIGITS_SWAR
	for (; i + 8 <= end; i += 8) {
		uint64_t w, d;

		memcpy(&w, b + i, sizeof w);
		if ((d = ps_digit_bytes(w)) != 0)
			return i + (size_t)__builtin_ctzll(d) / 8;
	}
#endif
	while (i < end && !ps_is_digit(b[i]))
		i++;
	return i;
}

/* The first byte in b[i, end) that is not a digit, or end. */
static inline size_t
ps_digits_end(const char *b, size_t i, size_t end)
{
#if PS_DIGITS_SWAR
	for (; i + 8 <= end; i += 8) {
		uint64_t w, other;

		memcpy(&w, b + i, sizeof w);
		other = ~ps_digit_bytes(w) & 0x8080808080808080ULL;
		if (other != 0)
			return i + (size_t)__builtin_ctzll(other) / 8;
	}
#endif
	while (i < end && ps_is_digit(b[i]))
		i++;
	return i;
}

/* Bytes looked at a time by ps_block_masks. */
#define PS_BLOCK 64

/*
 * A range of byte values for ps_block_masks, lo to lo + width - 1 (width
 * at most 255; 0: none): a byte plus bias (mod 256) is in it when it is
 * below `below` as a signed byte.  32 copies of each, loaded as vectors.
 */
struct ps_byte_range {
	signed char bias[32], below[32];
	unsigned char lo;
	unsigned width;
};

static inline void
ps_byte_range_set(struct ps_byte_range *r, unsigned char lo, unsigned width)
{
	memset(r->bias, (unsigned char)(0x80 - lo), sizeof r->bias);
	memset(r->below, (unsigned char)(0x80 + width), sizeof r->below);
	r->lo = lo;
	r->width = width;
}

/* '0'..'9' + 0x50 are 0x80..0x89, the ten smallest signed bytes; the
 * separators.  Loaded as vectors. */
static const signed char ps_digit_bias[32] = {
	0x50, 0x50, 0x50, 0x50, 0x50, 0x50, 0x50, 0x50, 0x50, 0x50, 0x50,
	0x50, 0x50, 0x50, 0x50, 0x50, 0x50, 0x50, 0x50, 0x50, 0x50, 0x50,
	0x50, 0x50, 0x50, 0x50, 0x50, 0x50, 0x50, 0x50, 0x50, 0x50,
};
#define PS_B10 (-128 + 10)
static const signed char ps_digit_below[32] = {
	PS_B10, PS_B10, PS_B10, PS_B10, PS_B10, PS_B10, PS_B10, PS_B10,
	PS_B10, PS_B10, PS_B10, PS_B10, PS_B10, PS_B10, PS_B10, PS_B10,
	PS_B10, PS_B10, PS_B10, PS_B10, PS_B10, PS_B10, PS_B10, PS_B10,
	PS_B10, PS_B10, PS_B10, PS_B10, PS_B10, PS_B10, PS_B10, PS_B10,
};
#undef PS_B10
static const char ps_spaces[32] = "                                ";
static const char ps_dashes[32] = "--------------------------------";

#if defined(__SSE2__)
static inline __m128i
ps_load16(const void *p)
{
	return _mm_loadu_si128((const __m128i *)p);
}

/* Bits k to k + 15 of ps_block_masks's masks (SSE2). */
static inline void
ps_masks16(const char *p, unsigned k, const struct ps_byte_range *range,
    uint64_t *d, uint64_t *s, uint64_t *r)
{
	__m128i x = ps_load16(p + k);
	__m128i is_digit = _mm_cmplt_epi8(_mm_add_epi8(x, ps_load16(ps_digit_bias)),
	    ps_load16(ps_digit_below));
	__m128i is_sep = _mm_or_si128(_mm_cmpeq_epi8(x, ps_load16(ps_spaces)),
	    _mm_cmpeq_epi8(x, ps_load16(ps_dashes)));
	__m128i in_range = _mm_cmplt_epi8(_mm_add_epi8(x, ps_load16(range->bias)),
	    ps_load16(range->below));

	*d |= (uint64_t)(uint32_t)_mm_movemask_epi8(is_digit) << k;
	*s |= (uint64_t)(uint32_t)_mm_movemask_epi8(is_sep) << k;
	*r |= (uint64_t)(uint32_t)_mm_movemask_epi8(in_range) << k;
}
#endif

/*
 * For the PS_BLOCK bytes at p: a bit per byte (bit k for p[k]) saying it
 * is an ASCII digit, one saying it is a space or a dash, the separators
 * a digit run may hold, and one saying it is in the range.  SSE2 on
 * x86-64 (16 bytes at a time); byte by byte elsewhere.
 */
static inline void
ps_block_masks(const char *p, const struct ps_byte_range *range,
    uint64_t *digits, uint64_t *separators, uint64_t *in_range)
{
	uint64_t d = 0, s = 0, r = 0;
#if defined(__SSE2__)
	/* Four calls, not a loop: the shifts are constants. */
	ps_masks16(p, 0, range, &d, &s, &r);
	ps_masks16(p, 16, range, &d, &s, &r);
	ps_masks16(p, 32, range, &d, &s, &r);
	ps_masks16(p, 48, range, &d, &s, &r);
#else
	for (unsigned k = 0; k < PS_BLOCK; k++) {
		d |= (uint64_t)ps_is_digit(p[k]) << k;
		s |= (uint64_t)(p[k] == ' ' || p[k] == '-') << k;
		r |= (uint64_t)((unsigned char)(p[k] - range->lo) < range->width) << k;
	}
#endif
	*digits = d;
	*separators = s;
	*in_range = r;
}

#if defined(__x86_64__) && defined(__GNUC__)
#define PS_MASKS_AVX2 1
#include <immintrin.h>

__attribute__((target("avx2"))) static inline __m256i
ps_load32(const void *p)
{
	return _mm256_loadu_si256((const __m256i *)p);
}

/* Bits k to k + 31 of ps_block_masks's masks (AVX2). */
__attribute__((target("avx2"))) static inline void
ps_masks32(const char *p, unsigned k, const struct ps_byte_range *range,
    uint64_t *d, uint64_t *s, uint64_t *r)
{
	__m256i x = ps_load32(p + k);
	__m256i is_digit = _mm256_cmpgt_epi8(ps_load32(ps_digit_below),
	    _mm256_add_epi8(x, ps_load32(ps_digit_bias)));
	__m256i is_sep = _mm256_or_si256(_mm256_cmpeq_epi8(x, ps_load32(ps_spaces)),
	    _mm256_cmpeq_epi8(x, ps_load32(ps_dashes)));
	__m256i in_range = _mm256_cmpgt_epi8(ps_load32(range->below),
	    _mm256_add_epi8(x, ps_load32(range->bias)));

	*d |= (uint64_t)(uint32_t)_mm256_movemask_epi8(is_digit) << k;
	*s |= (uint64_t)(uint32_t)_mm256_movemask_epi8(is_sep) << k;
	*r |= (uint64_t)(uint32_t)_mm256_movemask_epi8(in_range) << k;
}

/*
 * ps_block_masks with AVX2, 32 bytes at a time, for hosts that have it
 * (__builtin_cpu_supports): callers compiled for the baseline call it
 * from a function of their own with the same target attribute.
 */
__attribute__((target("avx2"))) static inline void
ps_block_masks_avx2(const char *p, const struct ps_byte_range *range,
    uint64_t *digits, uint64_t *separators, uint64_t *in_range)
{
	uint64_t d = 0, s = 0, r = 0;

	ps_masks32(p, 0, range, &d, &s, &r);
	ps_masks32(p, 32, range, &d, &s, &r);
	*digits = d;
	*separators = s;
	*in_range = r;
}

/* ps_count_byte with AVX2, 32 bytes a step (see ps_block_masks_avx2). */
__attribute__((target("avx2"))) static inline size_t
ps_count_byte_avx2(const char *p, size_t n, char c)
{
	const __m256i needle = _mm256_set1_epi8(c), zero = _mm256_setzero_si256();
	size_t count = 0, i = 0;

	while (n - i >= 32) {
		size_t steps = (n - i) / 32;
		__m256i acc = zero, sums;

		if (steps > 255)
			steps = 255;
		for (; steps > 0; steps--, i += 32)
			acc = _mm256_sub_epi8(acc, _mm256_cmpeq_epi8(ps_load32(p + i), needle));
		sums = _mm256_sad_epu8(acc, zero);
		count += (size_t)_mm256_extract_epi64(sums, 0) + (size_t)_mm256_extract_epi64(sums, 1)
		    + (size_t)_mm256_extract_epi64(sums, 2) + (size_t)_mm256_extract_epi64(sums, 3);
	}
	for (; i < n; i++)
		count += p[i] == c;
	return count;
}
#else
#define PS_MASKS_AVX2 0
#endif

/* How many bytes of p[0, n) are c: the matcher counts the lines before
 * each finding.  Sixteen bytes a step, counted in bytes of a register
 * for at most 255 steps, then summed (psadbw). */
static inline size_t
ps_count_byte(const char *p, size_t n, char c)
{
	size_t count = 0, i = 0;

#if defined(__SSE2__)
	const __m128i needle = _mm_set1_epi8(c), zero = _mm_setzero_si128();

	while (n - i >= 16) {
		size_t steps = (n - i) / 16;
		__m128i acc = zero, sums;

		if (steps > 255)
			steps = 255;
		for (; steps > 0; steps--, i += 16)
			acc = _mm_sub_epi8(acc, _mm_cmpeq_epi8(
			    _mm_loadu_si128((const __m128i *)(const void *)(p + i)), needle));
		sums = _mm_sad_epu8(acc, zero);
		count += (size_t)_mm_cvtsi128_si32(sums)
		    + (size_t)_mm_extract_epi16(sums, 4);
	}
#endif
	for (; i < n; i++)
		count += p[i] == c;
	return count;
}

#endif

/*
 * digits.h - finding ASCII digits in text eight bytes at a time (SWAR,
 * "SIMD within a register"), for the matcher's prefilter, which walks
 * every byte of the text looking for runs of digits.  Hosts that are not
 * little-endian go byte by byte.
 */
#ifndef PS_DIGITS_H
#define PS_DIGITS_H

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
 * For the PS_BLOCK bytes at p: a bit per byte (bit k for p[k]) saying it
 * is an ASCII digit, and one saying it is a space or a dash, the
 * separators a digit run may hold.  SSE2 on x86-64 (16 bytes at a time);
 * byte by byte elsewhere.
 */
static inline void
ps_block_masks(const char *p, uint64_t *digits, uint64_t *separators)
{
	uint64_t d = 0, s = 0;
#if defined(__SSE2__)
	/* '0'..'9' + 0x50 are 0x80..0x89, the ten smallest signed bytes. */
	const __m128i bias = _mm_set1_epi8(0x50), below = _mm_set1_epi8(-128 + 10);
	const __m128i space = _mm_set1_epi8(' '), dash = _mm_set1_epi8('-');

	for (unsigned k = 0; k < PS_BLOCK; k += 16) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)(p + k));
		__m128i is_digit = _mm_cmplt_epi8(_mm_add_epi8(x, bias), below);
		__m128i is_sep = _mm_or_si128(_mm_cmpeq_epi8(x, space),
		    _mm_cmpeq_epi8(x, dash));

		d |= (uint64_t)(uint32_t)_mm_movemask_epi8(is_digit) << k;
		s |= (uint64_t)(uint32_t)_mm_movemask_epi8(is_sep) << k;
	}
#else
	for (unsigned k = 0; k < PS_BLOCK; k++) {
		d |= (uint64_t)ps_is_digit(p[k]) << k;
		s |= (uint64_t)(p[k] == ' ' || p[k] == '-') << k;
	}
#endif
	*digits = d;
	*separators = s;
}

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

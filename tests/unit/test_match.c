/*
 * test_match.c - the matcher: validation inside the regex engine, keyword
 * windows, context, line numbers, and matches across piece boundaries.
 * Values are synthetic, with valid checksums; the networks' published
 * test numbers appear only where their handling as test data is tested.
 */
#include "config.h"

#include <stdlib.h>

#include "../unit/tap.h"
#include "match.h"
#include "digits.h"
#include "runs.h"

static struct ps_patterns *set;
static struct ps_key key;
static struct ps_matcher *m;
static struct ps_findings found;

/* Feed text as one unit in pieces of `piece` bytes (0: all at once). */
static void
run(const char *text, size_t len, size_t piece, const char *where,
    const char *context)
{
	struct ps_sink s = ps_matcher_sink(m);
	struct ps_unit u = { .where = where, .first_line = 1, .context = context };

	ps_findings_clear(&found);
	ps_matcher_target(m, &found, NULL);
	ps_sink_begin(&s, &u);
	if (piece == 0)
		piece = len > 0 ? len : 1;
	for (size_t off = 0; off < len; off += piece)
		ps_sink_text(&s, text + off, len - off < piece ? len - off : piece);
	ps_sink_end(&s);
}

static void
run_str(const char *text)
{
	run(text, strlen(text), 0, NULL, NULL);
}

/* "type conf masked where; ..." of the findings. */
static const char *
summary(void)
{
	static char buf[4096];
	size_t n = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < found.count && n < sizeof buf - 200; i++)
		n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%s %s %s %s",
		    i > 0 ? "; " : "", found.items[i].type,
		    ps_confidence_name(found.items[i].confidence),
		    found.items[i].masked, found.items[i].where);
	return buf;
}

static void
test_forms(void)
{
	run_str("ref 4111111000231111 end");
	is_str(summary(), "card medium 411111******1111 line 1", "bare card, no keyword");
	run_str("Card number: 4111 1110 0023 1111");
	is_str(summary(), "card high 411111******1111 line 1", "spaced card with keyword");
	run_str("ref 4111-1110-0023-1111.");
	is_str(summary(), "card medium 411111******1111 line 1", "dashed card");
	run_str("ref 4111 1110-0023 1111.");
	is_str(summary(), "", "mixed separators are not one number");
	run_str("ref 3782 821002 80005 x");
	is_str(summary(), "card medium 378282*****0005 line 1", "Amex 4-6-5");
	run_str("ref 3056 931009 5904 x");
	is_str(summary(), "card medium 305693****5904 line 1", "Diners 4-6-4");
	run_str("ref 4111 1110 0023 1111 12/29");
	is_str(summary(), "card medium 411111******1111 line 1",
	    "a trailing group that breaks the check is left out");
	run_str("ref 4111  1110 0023 1111.");
	is_str(summary(), "", "double spaces do not group");
	run_str("x 4111111111111112 x");
	is_str(summary(), "", "Luhn failure");
	run_str("x 94111111000231111 x");
	is_str(summary(), "", "inside a longer digit run");
	run_str("x 41111110002311110 x");
	is_str(summary(), "", "followed by a digit");
	run_str("abc4111111000231111 x");
	is_str(summary(), "", "glued to letters before");
	run_str("x 4111111000231111abc");
	is_str(summary(), "", "glued to letters after");
	run_str("x 1234567812345670 x");
	is_str(summary(), "", "no issuer range");
	run_str("4111111000231111");
	is_str(summary(), "card medium 411111******1111 line 1", "the whole text");

	run_str("ID A123456(3).");
	is_str(summary(), "hkid medium A******(3) line 1", "HKID with brackets");
	run_str("HKID A123456 (3)");
	is_str(summary(), "hkid high A******(3) line 1", "HKID, space, keyword");
	run_str("no. CA182361(1)");
	is_str(summary(), "hkid medium CA******(1) line 1", "two-letter HKID");
	run_str("no. G123456(A)");
	is_str(summary(), "hkid medium G******(A) line 1", "check character A");
	run_str("no. G123456\xef\xbc\x88" "A\xef\xbc\x89");
	is_str(summary(), "hkid medium G******(A) line 1", "full-width brackets");
	run_str("no. A1234563 x");
	is_str(summary(), "hkid low A******(3) line 1", "HKID without brackets is low");
	run_str("HKID no. A1234563 x");
	is_str(summary(), "hkid high A******(3) line 1", "... and high with a keyword");
	run_str("身份證 A1234563");
	is_str(summary(), "hkid high A******(3) line 1", "... or a Chinese keyword");
	run_str("no. A123456(7)");
	is_str(summary(), "", "wrong check character");
	run_str("no. XCA182361(1)");
	is_str(summary(), "", "three letters");
	run_str("no. 1A123456(3)");
	is_str(summary(), "", "digit before");
	run_str("no. A123456(3)B");
	is_str(summary(), "", "letter after");
	run_str("no. a123456(3)");
	is_str(summary(), "", "lower-case letter");
}

static void
test_keywords(void)
{
	char text[2048];

	memset(text, '.', sizeof text);
	memcpy(text, "Visa", 4);
	memcpy(text + 4 + 296, "4111111000231111", 16);
	run(text, 4 + 296 + 16 + 10, 0, NULL, NULL);
	is_str(summary(), "card high 411111******1111 line 1", "keyword 296 bytes before");
	memset(text, '.', sizeof text);
	memcpy(text, "Visa", 4);
	memcpy(text + 4 + 310, "4111111000231111", 16);
	run(text, 4 + 310 + 16 + 10, 0, NULL, NULL);
	is_str(summary(), "card medium 411111******1111 line 1", "keyword 310 bytes before");
	memset(text, '.', sizeof text);
	memcpy(text + 10, "4111111000231111", 16);
	memcpy(text + 26 + 290, "credit", 6);
	run(text, 26 + 290 + 6 + 5, 0, NULL, NULL);
	is_str(summary(), "card high 411111******1111 line 1", "keyword 290 bytes after");
	run(text, 26 + 290 + 6 + 5, 7, NULL, NULL);
	is_str(summary(), "card high 411111******1111 line 1",
	    "keyword after, fed in 7-byte pieces");

	run_str("company 4111111000231111");
	is_str(summary(), "card medium 411111******1111 line 1", "'pan' inside a word is no keyword");
	run_str("PAN: 4111111000231111");
	is_str(summary(), "card high 411111******1111 line 1", "'PAN' is");
	run_str("cardNumber=4111111000231111");
	is_str(summary(), "card high 411111******1111 line 1", "camelCase cardNumber");
	run_str("card_number=4111111000231111");
	is_str(summary(), "card high 411111******1111 line 1", "snake_case card_number");
	run_str("scorecard 4111111000231111");
	is_str(summary(), "card medium 411111******1111 line 1", "'card' inside a word");

	run("A1234563", 8, 0, "Staff!C7", "HKID No.");
	is_str(summary(), "hkid high A******(3) Staff!C7", "column header as context");
	run("5555551000484444", 16, 0, "line 2", "CCNumber");
	is_str(summary(), "card high 555555******4444 line 2", "header CCNumber");
	run("A1234563", 8, 0, "Staff!C7", "Remarks");
	is_str(summary(), "hkid low A******(3) Staff!C7", "a header without keyword");
}

static void
test_boundaries(void)
{
	size_t len = 3 * PS_READ_CHUNK + 1000, count;
	char *text = malloc(len);
	static const size_t offsets[] = { 100, 65530, PS_READ_CHUNK - 8,
		PS_READ_CHUNK - 600, PS_READ_CHUNK + 290, 2 * PS_READ_CHUNK - 1,
		2 * PS_READ_CHUNK - 40, 3 * PS_READ_CHUNK - 3 };
	static const size_t pieces[] = { 0, 1, 7, 4096, 65536, PS_READ_CHUNK };
	size_t line = 1;

	if (text == NULL)
		return;
	for (size_t i = 0; i < len; i++)
		text[i] = i % 61 == 60 ? '\n' : "0123 abc "[i % 9];
	/* Keep planted values clear of the filler's digits. */
	for (size_t k = 0; k < sizeof offsets / sizeof offsets[0]; k++) {
		memset(text + offsets[k] - 2, ' ', 20);
		memcpy(text + offsets[k], "5555551000484444", 16);
	}
	for (size_t i = 0; i < offsets[0]; i++)
		if (text[i] == '\n')
			line++;
	for (size_t p = 0; p < sizeof pieces / sizeof pieces[0]; p++) {
		char want[32];

		run(text, len, pieces[p], NULL, NULL);
		count = found.count;
		is_int(count, sizeof offsets / sizeof offsets[0],
		    "values across boundaries, pieces of %zu bytes", pieces[p]);
		snprintf(want, sizeof want, "line %zu", line);
		is_str(count > 0 ? found.items[0].where : "", want, "line of the first value");
		{
			size_t last = offsets[sizeof offsets / sizeof offsets[0] - 1], l = 1;
			char w2[32];

			for (size_t i = 0; i < last; i++)
				if (text[i] == '\n')
					l++;
			snprintf(w2, sizeof w2, "line %zu", l);
			is_str(count > 0 ? found.items[count - 1].where : "", w2,
			    "line of the last value");
		}
	}
	free(text);
}

/* Digit-dense text: every line has long digit runs that are not values,
 * and the values sit among them, close together, at the very start, and
 * across piece boundaries. */
static void
test_prefilter(void)
{
	static const char line[] = "2026-01-03 12:34:56 order 123456789 amount 12345.67"
	    " tel 21234567 acct 123456781234567 ref X1234567 id 1234567\n";
	static const char values[] = "A123456(3) 4111111000231111 B987654（0）"
	    " 5555-5510-0048-4444 AB9876543 3782 821002 80005\n";
	static const size_t pieces[] = { 0, 1, 13, 4096 };
	size_t len = 0, cap = 400 * sizeof line + 20 * sizeof values;
	char *text = malloc(cap);

	if (text == NULL)
		return;
	memcpy(text, "C668668(9) first\n", 17);
	len = 17;
	for (size_t i = 0; i < 400; i++) {
		memcpy(text + len, line, sizeof line - 1);
		len += sizeof line - 1;
		if (i % 20 == 7) {
			memcpy(text + len, values, sizeof values - 1);
			len += sizeof values - 1;
		}
	}
	for (size_t p = 0; p < sizeof pieces / sizeof pieces[0]; p++) {
		size_t hkid = 0, card = 0, phone = 0, other = 0;

		run(text, len, pieces[p], NULL, NULL);
		for (size_t i = 0; i < found.count; i++) {
			if (strcmp(found.items[i].type, "hkid") == 0)
				hkid++;
			else if (strcmp(found.items[i].type, "card") == 0)
				card++;
			else if (strcmp(found.items[i].type, "phone_hk") == 0)
				phone++;
			else
				other++;
		}
		is_int(phone, 400, "digit-dense text, pieces of %zu: every phone number",
		    pieces[p]);
		is_int(other, 0, "digit-dense text, pieces of %zu: nothing else", pieces[p]);
		is_int(hkid, 1 + 20 * 3, "digit-dense text, pieces of %zu: every HKID",
		    pieces[p]);
		is_int(card, 20 * 3, "digit-dense text, pieces of %zu: every card",
		    pieces[p]);
		is_str(found.count > 0 ? found.items[0].masked : "", "C******(9)",
		    "an HKID at the very start of the text");
	}
	free(text);

	/* Cells: a run of digits that starts the unit has no byte before
	 * it, which hkid's "after A-Z" wants; one after a letter does. */
	run_str("C668668(9)");
	is_str(summary(), "hkid medium C******(9) line 1", "a cell that is an HKID");
	run_str("668668(9)");
	is_str(summary(), "", "a cell of its digits alone: nothing");
	run_str("123456");
	is_str(summary(), "", "a cell of six digits: nothing");
	run_str(" C668668(9)");
	is_str(summary(), "hkid medium C******(9) line 1", "an HKID after a space");
}

/* The eight-bytes-at-a-time digit search agrees with a byte at a time:
 * every byte value in every lane, then random text of digits, letters,
 * separators and high bytes. */
static void
test_digit_swar(void)
{
	bool lanes_ok = true, search_ok = true;
	char text[300];

	for (unsigned v = 0; v < 256; v++)
		for (unsigned lane = 0; lane < 8; lane++) {
			unsigned char bytes[8], flags[8] = { 0 };
			uint64_t w, want;

			memset(bytes, 'x', sizeof bytes);
			bytes[lane] = (unsigned char)v;
			if (v >= '0' && v <= '9')
				flags[lane] = 0x80;
			memcpy(&w, bytes, sizeof w);
			memcpy(&want, flags, sizeof want);
			if (PS_DIGITS_SWAR && ps_digit_bytes(w) != want)
				lanes_ok = false;
		}
	ok(lanes_ok, "ps_digit_bytes: every byte value in every lane");
	srand(11);
	for (int round = 0; round < 2000; round++) {
		size_t len = (size_t)(rand() % (int)sizeof text), from;

		for (size_t i = 0; i < len; i++)
			text[i] = "0123456789ab -\xe0\x80"[rand() % 16];
		from = len > 0 ? (size_t)rand() % len : 0;
		{
			size_t a = from, b = from;

			while (a < len && !ps_is_digit(text[a]))
				a++;
			while (b < len && ps_is_digit(text[b]))
				b++;
			if (ps_next_digit(text, from, len) != a || ps_digits_end(text, from, len) != b)
				search_ok = false;
		}
	}
	ok(search_ok, "ps_next_digit and ps_digits_end agree with a byte at a time");
}

/* The block masks agree with a byte at a time, at every alignment. */
/* ps_count_byte against a byte-by-byte count: random text with many and
 * few newlines, lengths past the 255-step flush, every alignment. */
static void
test_count_byte(void)
{
	static char text[12000];
	bool same = true;
	unsigned seed = 7;

	for (size_t i = 0; i < sizeof text; i++) {
		seed = seed * 1103515245u + 12345u;
		text[i] = (seed >> 16) % (i < 6000 ? 3 : 97) == 0 ? '\n' : (char)(seed >> 8);
	}
	for (size_t at = 0; at < 17 && same; at++)
		for (size_t n = 0; at + n <= sizeof text && same; n += n < 64 ? 1 : 997) {
			size_t want = 0;

			for (size_t i = 0; i < n; i++)
				want += text[at + i] == '\n';
			same = ps_count_byte(text + at, n, '\n') == want;
#if PS_MASKS_AVX2
			if (__builtin_cpu_supports("avx2"))
				same = same && ps_count_byte_avx2(text + at, n, '\n') == want;
#endif
			if (!same)
				printf("# at %zu, n %zu\n", at, n);
		}
	ok(same, "ps_count_byte (and ps_count_byte_avx2 where the host has it): as "
	    "counted byte by byte, any length and alignment");
}

static void
test_block_masks(void)
{
	bool masks_ok = true, avx2_ok = true;
	char text[PS_BLOCK + 16];

	srand(12);
	for (int round = 0; round < 5000; round++) {
		size_t at = (size_t)(rand() % 16);
		unsigned char lo = (unsigned char)(round < 256 ? 'A' : rand() % 256);
		unsigned width = round < 256 ? 26 : (unsigned)(rand() % 256);
		uint64_t d, s, r, want_d = 0, want_s = 0, want_r = 0;
		struct ps_byte_range range;

		for (size_t i = 0; i < sizeof text; i++)
			text[i] = (char)(round < 256 ? (i == at + (size_t)round % PS_BLOCK
			    ? round : 'x') : "0123456789 -x/:\xff" "AZ@["[rand() % 20]);
		for (unsigned k = 0; k < PS_BLOCK; k++) {
			char c = text[at + k];

			want_d |= (uint64_t)(c >= '0' && c <= '9') << k;
			want_s |= (uint64_t)(c == ' ' || c == '-') << k;
			want_r |= (uint64_t)((unsigned)(unsigned char)(c - (char)lo) < width) << k;
		}
		ps_byte_range_set(&range, lo, width);
		ps_block_masks(text + at, &range, &d, &s, &r);
		if (d != want_d || s != want_s || r != want_r)
			masks_ok = false;
#if PS_MASKS_AVX2
		if (__builtin_cpu_supports("avx2")) {
			ps_block_masks_avx2(text + at, &range, &d, &s, &r);
			if (d != want_d || s != want_s || r != want_r)
				avx2_ok = false;
		}
#endif
	}
	ok(masks_ok, "ps_block_masks: every byte value, random text and ranges, every alignment");
	ok(avx2_ok, "ps_block_masks_avx2: the same masks, where the host has AVX2");
}

/* Every run of text[0, len) starting in [from, limit) that rb wants,
 * found byte by byte: the definition ps_runs_next must meet. */
static size_t
runs_by_bytes(const struct ps_run_bounds *rb, const char *text, size_t len,
    size_t from, size_t limit, struct ps_run *out)
{
	size_t count = 0, i = from;

	while (i < limit && i < len) {
		size_t start, j, digits = 0;
		unsigned char c;

		if (!ps_is_digit(text[i])) {
			i++;
			continue;
		}
		start = i;
		for (j = i; j < len; j++) {
			if (ps_is_digit(text[j]))
				digits++;
			else if (!((text[j] == ' ' || text[j] == '-') && j + 1 < len
			    && ps_is_digit(text[j + 1])))
				break;
		}
		c = start > 0 ? (unsigned char)text[start - 1] : 0;
		if ((rb->any > 0 && digits >= rb->any) || (rb->after > 0
		    && digits >= rb->after && (start == 0
		    || (rb->set[c / 8] & (1u << (c % 8)))))) {
			out[count].start = start;
			out[count].end = j;
			out[count].digits = digits;
			count++;
		}
		i = j;
	}
	return count;
}

/* ps_runs_next against runs_by_bytes: random digit-dense text, runs of
 * every length crossing windows at every offset, separators at every
 * place, bounds with and without "after" (a range or not), any start and
 * limit, batches of any size; with AVX2 and without. */
static void
test_runs(void)
{
	static char text[700];
	static struct ps_run want[700], got[700];
	static const char alphabet[] = "0123456789012345 - x(\nAZa@";
	bool same = true;
	size_t total = 0;

	srand(14);
	for (int round = 0; round < 20000 && same; round++) {
		struct ps_run_bounds rb = { 0 };
		struct ps_runs r;
		size_t len = (size_t)(rand() % (int)sizeof text), from, limit, nw, ng = 0;
		size_t batch = 1 + (size_t)(rand() % 40);

		if (round % 3 != 2)
			rb.any = 1 + (unsigned)(rand() % (round % 5 == 0 ? 64 : 20));
		if (round % 3 != 1) {
			rb.after = 1 + (unsigned)(rand() % 12);
			if (round % 2 == 0)
				for (int c = 'A'; c <= 'Z'; c++)
					rb.set[c / 8] |= (unsigned char)(1u << (c % 8));
			else
				rb.set['x' / 8] |= 1u << ('x' % 8), rb.set['(' / 8] |= 1u << ('(' % 8);
			/* All byte values between: taken whole. */
			if (round % 7 == 3)
				rb.set[0] |= 1, rb.set[31] |= 0x80;
		}
		ps_run_bounds_prepare(&rb);
		rb.avx2 = rb.avx2 && round % 2 == 0;
		if (round < 4096) {
			/* A run of 1 to 64 digits with a separator somewhere,
			 * at every offset from a window's start. */
			size_t at = (size_t)(round % 128), n = 1 + (size_t)(round / 128) % 64;

			len = 300;
			memset(text, 'x', len);
			for (size_t i = 0; i < n; i++)
				text[at + i] = (char)('0' + i % 10);
			if (n > 2)
				text[at + 1 + (size_t)rand() % (n - 2)] = rand() % 2 ? ' ' : '-';
		} else {
			for (size_t i = 0; i < len; i++)
				text[i] = alphabet[rand() % (int)(sizeof alphabet - 1)];
		}
		from = len > 0 && rand() % 2 ? (size_t)rand() % len : 0;
		limit = rand() % 2 ? len : from + (size_t)rand() % (len - from + 1);
		nw = runs_by_bytes(&rb, text, len, from, limit, want);
		ps_runs_begin(&r, &rb, text, len, from, limit);
		for (size_t n; (n = ps_runs_next(&r, got + ng, batch)) > 0; )
			ng += n;
		same = ng == nw;
		for (size_t i = 0; same && i < nw; i++)
			same = got[i].start == want[i].start && got[i].end == want[i].end
			    && got[i].digits == want[i].digits;
		if (!same)
			printf("# round %d: len %zu from %zu limit %zu any %u after %u: "
			    "%zu runs, %zu wanted\n", round, len, from, limit, rb.any,
			    rb.after, ng, nw);
		total += nw;
	}
	ok(same && total > 10000, "ps_runs_next: the runs found byte by byte (%zu)", total);
}

/* A Luhn-valid 16-digit number beginning with 4, at random. */
static void
random_card(char out[17])
{
	unsigned sum = 0;

	out[0] = '4';
	for (int i = 1; i < 15; i++)
		out[i] = (char)('0' + rand() % 10);
	for (int i = 14; i >= 0; i--) {
		unsigned d = (unsigned)(out[i] - '0');

		if ((14 - i) % 2 == 0)
			d = d * 2 > 9 ? d * 2 - 9 : d * 2;
		sum += d;
	}
	out[15] = (char)('0' + (10 - sum % 10) % 10);
	out[16] = '\0';
}

/* Findings of one type through the prefilter against a search of the
 * whole text, on random digit-dense text with values planted at random
 * places (across blocks, pieces and runs of any length). */
static void
compare_prefilter(const char *type_id, const char *const *plants, size_t nplants)
{
	struct ps_patterns *pre = NULL, *whole = NULL;
	struct ps_matcher *mp, *mw;
	struct ps_findings a = { 0 }, b = { 0 };
	bool same = true;
	size_t total = 0;
	char why[256], card[17];

	if (ps_patterns_load_types(NULL, type_id, &pre, why, sizeof why) != PS_OK
	    || ps_patterns_load_types(NULL, type_id, &whole, why, sizeof why) != PS_OK) {
		ok(false, "%s: %s", type_id, why);
		return;
	}
	whole->prefiltered = false;
	mp = ps_matcher_new(pre, &key);
	mw = ps_matcher_new(whole, &key);
	srand(13);
	for (int round = 0; round < 300 && same; round++) {
		static char text[3000];
		size_t len = (size_t)(rand() % (int)sizeof text), piece = 1 + (size_t)(rand() % 700);
		struct ps_matcher *which[2] = { mp, mw };
		struct ps_findings *into[2] = { &a, &b };

		for (size_t i = 0; i < len; i++)
			text[i] = "0123456789012345 - x(\n"[rand() % 22];
		for (int k = rand() % 6; k > 0 && len > 40; k--) {
			size_t at;
			const char *v = plants[(size_t)rand() % nplants];

			if (v == NULL) {
				random_card(card);
				v = card;
			}
			at = (size_t)rand() % (len - strlen(v) - 2);
			/* Apart from the digits around, mostly. */
			text[at] = text[at + strlen(v) + 1] = rand() % 8 ? '\n' : '7';
			memcpy(text + at + 1, v, strlen(v));
		}
		for (int w = 0; w < 2; w++) {
			struct ps_sink s = ps_matcher_sink(which[w]);
			struct ps_unit u = { .first_line = 1 };

			ps_findings_clear(into[w]);
			ps_matcher_target(which[w], into[w], NULL);
			ps_sink_begin(&s, &u);
			for (size_t off = 0; off < len; off += piece)
				ps_sink_text(&s, text + off, len - off < piece ? len - off : piece);
			ps_sink_end(&s);
		}
		same = a.count == b.count;
		for (size_t i = 0; same && i < a.count; i++)
			same = a.items[i].offset == b.items[i].offset
			    && strcmp(a.items[i].value_hash, b.items[i].value_hash) == 0
			    && strcmp(a.items[i].where, b.items[i].where) == 0;
		total += a.count;
	}
	ok(same && total > 300, "%s: prefiltered search finds what a search of the whole "
	    "text finds (%zu findings)", type_id, total);
	ps_findings_free(&a);
	ps_findings_free(&b);
	ps_matcher_free(mp);
	ps_matcher_free(mw);
	ps_patterns_free(pre);
	ps_patterns_free(whole);
}

static void
test_prefilter_agrees(void)
{
	static const char *const cards[] = { NULL, "4111-1110-0023-1111", "4111 1110 0023 1111" };
	static const char *const hkids[] = { "A123456(3)", "C668668(9)", "AB9876543",
		"A1234563", "B987654(0)" };

	compare_prefilter("card", cards, sizeof cards / sizeof cards[0]);
	compare_prefilter("hkid", hkids, sizeof hkids / sizeof hkids[0]);
	/* Types with and without "after", checked and not, together. */
	compare_prefilter("card,hkid,iban,cn_id", cards, sizeof cards / sizeof cards[0]);
	compare_prefilter("hkid,card,phone_hk", hkids, sizeof hkids / sizeof hkids[0]);
	{
		static const char *const phones[] = { "9123 4567", "+852 9123 4567",
			"(852) 2345-6789", "+852-91234567", "61234567", "(+852)9123-4567",
			"2024-01-15" };

		compare_prefilter("phone_hk", phones, sizeof phones / sizeof phones[0]);
	}
}

/* Keywords that share a first byte are all tried, in either case, and
 * the first in the text wins. */
static void
test_keyword_chains(void)
{
	const struct ps_type *card = NULL;
	size_t at, n, which;

	for (size_t k = 0; k < set->ntypes; k++)
		if (strcmp(set->types[k].id, "card") == 0)
			card = &set->types[k];
	if (card == NULL) {
		ok(false, "no card type");
		return;
	}
	ok(ps_keyword_find(card, "my CARD NO: ", 12, &at, &n, &which) && at == 3
	    && strcmp(card->keywords[which], "card number") != 0, "upper case keyword found");
	ok(ps_keyword_find(card, "Credit card", 11, &at, &n, &which) && at == 0
	    && strcmp(card->keywords[which], "credit") == 0, "first keyword in the text wins");
	ok(ps_keyword_find(card, "xx Card_Number", 14, &at, &n, &which) && at == 3
	    && strcmp(card->keywords[which], "card number") == 0,
	    "of keywords with one first byte, the file's order (card number before card)");
	ok(!ps_keyword_find(card, "scarded", 7, &at, &n, &which), "no keyword inside a word");
}

static void
test_hasher(void)
{
	struct ps_hasher *h = ps_hasher_new(&key);
	char direct[PS_HASH_HEX_LEN + 1], prepared[PS_HASH_HEX_LEN + 1];
	bool same = h != NULL;

	for (int i = 0; same && i < 3; i++) {
		static const char *const values[] = { "4111111000231111", "A1234563", "" };

		ps_value_hash(&key, "card", values[i], strlen(values[i]), direct);
		ps_hasher_hash(h, "card", values[i], strlen(values[i]), prepared);
		same = strcmp(direct, prepared) == 0;
	}
	ok(same, "a prepared key hashes as the key itself, again and again");
	ps_hasher_free(h);
}

static void
test_hashes(void)
{
	char direct[PS_HASH_HEX_LEN + 1];

	run_str("4111111000231111 and A123456(3) and 4111-1110-0023-1111");
	is_int(found.count, 3, "three findings");
	ps_value_hash(&key, "card", "4111111000231111", 16, direct);
	is_str(found.items[0].value_hash, direct, "card hash over the digits alone");
	is_str(found.items[2].value_hash, direct, "grouped form hashes the same");
	ps_value_hash(&key, "hkid", "A1234563", 8, direct);
	is_str(found.items[1].value_hash, direct, "HKID hash over letters, digits, check");
}

/* A short unit is looked over for digits and literals before the
 * prefiltered search (match.c, SHORT_TEXT): what is there is found
 * whatever the length, and nothing is made up. */
static void
test_short_units(void)
{
	char text[80];
	size_t pad, wrong = 0;

	for (pad = 0; pad < 60; pad++) {
		memset(text, 'x', pad);
		snprintf(text + pad, sizeof text - pad, " A123456(3)");
		run_str(text);
		if (strcmp(summary(), "hkid medium A******(3) line 1") != 0)
			wrong++;
	}
	is_int(wrong, 0, "units of 11 to 70 bytes ending in an HKID: each found once");
	run_str("Person 12");
	is_str(summary(), "", "a short cell with too few digits: nothing");
	run_str("x@y");
	is_str(summary(), "", "a short cell with an @ but no address: nothing");
	run_str("a@example.com");
	is_str(summary(), "email low a***@example.com line 1", "a short cell holding an address");
	/* Short cells go to the search only when some type wants one of
	 * their digit runs: each form still found, the near misses not. */
	run_str("4111 1110 0023 1111");
	is_str(summary(), "card medium 411111******1111 line 1", "a short cell: a spaced card");
	run_str("4111111000231111");
	is_str(summary(), "card medium 411111******1111 line 1", "a short cell: a card");
	run_str("4111111000231112");
	is_str(summary(), "", "a short cell: a card failing Luhn");
	run_str("9123 4567");
	is_str(summary(), "phone_hk low 91****67 line 1", "a short cell: a telephone number");
	run_str("2024-01-15");
	is_str(summary(), "", "a short cell: an ISO date");
	run_str("NL91ABNA0417164300");
	is_str(summary(), "iban medium NL91**********4300 line 1", "a short cell: an IBAN");
	run_str("11010519491231002X");
	is_str(summary(), "cn_id medium 110105***********X line 1", "a short cell: a cn_id");
}

static void
test_types(void)
{
	run_str("身份证号码 11010519491231002X");
	is_str(summary(), "cn_id high 110105***********X line 1", "cn_id with a keyword");
	run_str("ref 11010519491231002X");
	is_str(summary(), "cn_id medium 110105***********X line 1", "cn_id alone");
	run_str("身份证号码 11010519491231003X");
	is_str(summary(), "", "cn_id with a digit changed");
	run_str("IBAN: GB82 WEST 1234 5698 7654 32.");
	is_str(summary(), "iban high GB82**************5432 line 1", "iban spaced, keyword");
	run_str("to NL91ABNA0417164300 today");
	is_str(summary(), "iban medium NL91**********4300 line 1", "iban unspaced");
	run_str("IBAN: GB82 WEST 1234 5698 7654 33.");
	is_str(summary(), "", "iban with a digit changed");
	run_str("Passport\nP<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n"
	    "L898902C36UTO7408122F1204159ZE184226B<<<<<10\n");
	is_str(summary(), "mrz high P<UTO***** TD3 line 2", "mrz TD3 with a keyword");
	run_str("I<UTOD231458907<<<<<<<<<<<<<<<\r\n7408122F1204159UTO<<<<<<<<<<<6\r\n"
	    "ERIKSSON<<ANNA<MARIA<<<<<<<<<<\r\n");
	is_str(summary(), "mrz medium I<UTO***** TD1 line 1", "mrz TD1, CRLF");
	run_str("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n"
	    "L898902C36UTO7408122F1204159ZE184226B<<<<<11\n");
	is_str(summary(), "", "mrz with a check digit changed");
	run_str("E-mail: chan.tai.man@example.com.hk");
	is_str(summary(), "email high c***@example.com.hk line 1", "email with a keyword");
	run_str("write to Chan.Tai.Man@Example.COM.HK.");
	is_str(summary(), "email low c***@example.com.hk line 1", "email alone, trailing dot");
	run_str("Tel: 9123 4567");
	is_str(summary(), "phone_hk medium 91****67 line 1", "phone with a keyword: medium");
	run_str("call +852 9123 4567 now");
	is_str(summary(), "phone_hk medium 91****67 line 1", "phone with +852");
	run_str("ref 9123 4567 x");
	is_str(summary(), "phone_hk low 91****67 line 1", "phone alone: low");
	run_str("ref 9123 4567 8901 x");
	is_str(summary(), "", "eight digits inside a longer group");
	run_str("ref 1123 4567 x");
	is_str(summary(), "", "phone outside the subscriber ranges");
	/* Its prefilter's "groups 4": every form keeps its digits in fours
	 * after "852". */
	run_str("call +852-91234567, (852) 2345-6789, +852 9123-4567 or (+852)61234567");
	is_str(summary(), "phone_hk medium 91****67 line 1; phone_hk medium 23****89 line 1; "
	    "phone_hk medium 91****67 line 1; phone_hk medium 61****67 line 1",
	    "phone: +852 with one, two or no separators, (852), (+852)");
	run_str("on 2024-01-15, 2345 67 89 or 2345-6789-");
	is_str(summary(), "phone_hk low 23****89 line 1",
	    "phone: no ISO date nor pairs of digits; a dash after the number is no digit");
}

static void
test_test_values(void)
{
	run_str("Card number: 4111 1111 1111 1111");
	is_str(summary(), "card low 411111******1111 line 1", "published test card: low");
	ok(found.count == 1 && found.items[0].test_data, "published test card: marked");
	ok(found.count == 1 && found.items[0].keyword == NULL,
	    "published test card: no keyword reason");
	run_str("Card number: 4111 1110 0023 1111");
	ok(found.count == 1 && !found.items[0].test_data, "other cards: not marked");
}

static void
test_reasons(void)
{
	run_str("HKID no.: A123456(3)");
	ok(found.count == 1 && found.items[0].keyword != NULL
	    && strcmp(found.items[0].keyword, "hkid") == 0, "keyword named");
	ok(found.count == 1 && found.items[0].keyword_distance == -6,
	    "keyword 6 characters before");
	run_str("身份證號碼：A123456(3)");
	ok(found.count == 1 && found.items[0].keyword_distance == -3,
	    "distance in characters, not bytes");
	run_str("A123456(3) is the HKID");
	ok(found.count == 1 && found.items[0].keyword_distance == 8,
	    "keyword 8 characters after");
	run("A1234563", 8, 0, "Staff!B2", "HKID");
	ok(found.count == 1 && found.items[0].keyword_in_header, "keyword in the header");
	run_str("A123456(3)");
	ok(found.count == 1 && found.items[0].keyword == NULL, "no keyword");
}

static void
test_literal_windows(void)
{
	static char text[200000];
	size_t len;

	/* Each type searches its own windows: a card number inside an
	 * address is both, in text order. */
	run_str("longlocalpart.name.4111111000231111@example.com");
	is_str(summary(), "email low l***@example.com line 1; card medium 411111******1111 line 1",
	    "types search apart, findings in text order");
	run_str("x\n1.2.3 ab@example.com\nA123456(3)\n\nc@example.org 4111111000231111\n");
	is_str(summary(), "email low a***@example.com line 2; hkid medium A******(3) line 3; "
	    "email low c***@example.org line 5; card medium 411111******1111 line 5",
	    "lines numbered in text order across types");
	memset(text, 'x', sizeof text);
	for (size_t i = 80; i < sizeof text; i += 80)
		text[i] = '\n';
	len = sizeof text - 100;
	memcpy(text + len - 40, " mail a.b@example.org here\n", 27);
	len -= 13;
	run(text, len, 4093, NULL, NULL);
	is_str(summary(), "email high a***@example.org line 2499",
	    "an address far into a text read in pieces");
}

int
main(void)
{
	char why[256];

	for (size_t i = 0; i < sizeof key.bytes; i++)
		key.bytes[i] = (uint8_t)i;
	if (ps_patterns_load(NULL, &set, why, sizeof why) != PS_OK) {
		printf("Bail out! %s\n", why);
		return 1;
	}
	m = ps_matcher_new(set, &key);
	test_forms();
	test_keywords();
	test_boundaries();
	test_prefilter();
	test_digit_swar();
	test_block_masks();
	test_runs();
	test_count_byte();
	test_prefilter_agrees();
	test_keyword_chains();
	test_hashes();
	test_hasher();
	test_short_units();
	test_types();
	test_test_values();
	test_reasons();
	test_literal_windows();
	ps_findings_free(&found);
	ps_matcher_free(m);
	ps_patterns_free(set);
	return done_testing();
}

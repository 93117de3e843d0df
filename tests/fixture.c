/*
 * fixture.c - builds the end-to-end test tree: files of every kind the
 * scanner reads as text, with synthetic planted values (valid checksums,
 * generated here) and decoys of every kind SPEC section 4 excludes.
 *
 * usage: fixture tree DIR      build DIR and DIR/../answers.tsv
 *        fixture card PREFIX LEN SEED | fixture hkid LETTERS SEED
 *
 * answers.tsv has one line per value that must be found:
 *   relative path, where, type, confidence, masked, normalised value
 * It holds raw (synthetic) values: it lives only in the test's temporary
 * directory, next to the tree, never in the source tree.
 *
 * Deliberately independent of src/: its own check digits and masks.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static unsigned long long rng_state = 88172645463325252ULL;

static unsigned
rnd(unsigned n)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (unsigned)(rng_state % n);
}

static int
luhn_check_digit(const char *body)
{
	size_t len = strlen(body);
	int sum = 0;

	/* Digits of body, right to left, doubled starting with the last one
	 * (the check digit will sit to its right). */
	for (size_t i = 0; i < len; i++) {
		int d = body[len - 1 - i] - '0';
		if (i % 2 == 0) {
			d *= 2;
			if (d > 9)
				d -= 9;
		}
		sum += d;
	}
	return (10 - sum % 10) % 10;
}

/* A Luhn-valid number of len digits starting with prefix. */
static void
make_card(char *out, const char *prefix, size_t len)
{
	size_t n = strlen(prefix);

	memcpy(out, prefix, n);
	for (; n < len - 1; n++)
		out[n] = (char)('0' + rnd(10));
	out[n] = '\0';
	out[n] = (char)('0' + luhn_check_digit(out));
	out[n + 1] = '\0';
}

static int
hkid_value(char c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 10 : c - '0';
}

/* Check character for letters+6 digits. */
static char
hkid_check(const char *v)
{
	size_t n = strlen(v);
	int sum = 0, w = 9, r;

	if (n == 7) {               /* one letter: a space, valued 36, first */
		sum += 36 * w;
		w--;
	}
	for (size_t i = 0; i < n; i++, w--)
		sum += hkid_value(v[i]) * w;
	r = (11 - sum % 11) % 11;
	return r == 10 ? 'A' : (char)('0' + r);
}

/* A valid HKID (normalised: letters, digits, check) with given letters. */
static void
make_hkid(char *out, const char *letters)
{
	size_t n = strlen(letters);

	memcpy(out, letters, n);
	for (size_t i = 0; i < 6; i++)
		out[n + i] = (char)('0' + rnd(10));
	out[n + 6] = '\0';
	out[n + 6] = hkid_check(out);
	out[n + 7] = '\0';
}

static void
mask_card(char *out, const char *v)
{
	size_t n = strlen(v);

	for (size_t i = 0; i < n; i++)
		out[i] = i < 6 || i + 4 >= n ? v[i] : '*';
	out[n] = '\0';
}

static void
mask_hkid(char *out, const char *v)
{
	size_t n = strlen(v), letters = n - 7;

	sprintf(out, "%.*s******(%c)", (int)letters, v, v[n - 1]);
}

/* "4111 1111 1111 1111" style: groups separated by sep. */
static void
group(char *out, const char *v, const int *sizes, char sep)
{
	size_t o = 0, i = 0;

	for (int g = 0; sizes[g] != 0; g++) {
		if (g > 0)
			out[o++] = sep;
		memcpy(out + o, v + i, (size_t)sizes[g]);
		o += (size_t)sizes[g];
		i += (size_t)sizes[g];
	}
	out[o] = '\0';
}

struct out {
	FILE *f;
	const char *rel;
	long line;
	long offset;
};

static FILE *answers;

static void
put(struct out *o, const char *fmt, ...)
{
	char buf[8192];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	fwrite(buf, 1, (size_t)n, o->f);
	for (int i = 0; i < n; i++)
		if (buf[i] == '\n')
			o->line++;
	o->offset += n;
}

static void
answer(const char *rel, const char *where, const char *type,
    const char *conf, const char *value)
{
	char masked[64];

	if (strcmp(type, "card") == 0)
		mask_card(masked, value);
	else
		mask_hkid(masked, value);
	fprintf(answers, "%s\t%s\t%s\t%s\t%s\t%s\n", rel, where, type, conf,
	    masked, value);
}

static void
answer_line(struct out *o, const char *type, const char *conf, const char *value)
{
	char where[32];

	/* Called right after the value's line was written, newline included. */
	snprintf(where, sizeof where, "line %ld", o->line - 1);
	answer(o->rel, where, type, conf, value);
}

static void
open_out(struct out *o, const char *dir, const char *rel)
{
	char path[4096];

	snprintf(path, sizeof path, "%s/%s", dir, rel);
	o->f = fopen(path, "wb");
	if (o->f == NULL) {
		fprintf(stderr, "fixture: %s: %s\n", path, strerror(errno));
		exit(2);
	}
	o->rel = rel;
	o->line = 1;
	o->offset = 0;
}

/* Text far from any keyword: 400 bytes of filler on its own lines. */
static void
filler(struct out *o)
{
	for (int i = 0; i < 6; i++)
		put(o, "The quarterly minutes were approved without changes today.\n");
}

static const int g4444[] = { 4, 4, 4, 4, 0 };
static const int g465[] = { 4, 6, 5, 0 };

static void
plain_text(const char *dir)
{
	struct out o;
	char v[32], shown[48], bad[32];

	open_out(&o, dir, "hr/plain.txt");
	put(&o, "Staff payment records, synthetic.\n");
	filler(&o);

	make_card(v, "4", 16);
	put(&o, "Credit card number: %s on file\n", v);
	answer_line(&o, "card", "high", v);
	filler(&o);

	make_card(v, "53", 16);
	group(shown, v, g4444, ' ');
	put(&o, "ref %s noted\n", shown);
	answer_line(&o, "card", "medium", v);
	filler(&o);

	make_card(v, "2720", 16);
	group(shown, v, g4444, '-');
	put(&o, "ref %s noted\n", shown);
	answer_line(&o, "card", "medium", v);
	filler(&o);

	make_card(v, "37", 15);
	group(shown, v, g465, ' ');
	put(&o, "ref %s noted\n", shown);
	answer_line(&o, "card", "medium", v);
	filler(&o);

	make_card(v, "4", 13);
	put(&o, "old ref %s.\n", v);
	answer_line(&o, "card", "medium", v);
	filler(&o);

	make_card(v, "36", 14);
	put(&o, "(%s)\n", v);
	answer_line(&o, "card", "medium", v);
	filler(&o);

	make_card(v, "6011", 16);
	put(&o, "\"%s\"\n", v);
	answer_line(&o, "card", "medium", v);
	filler(&o);

	make_card(v, "3530", 16);
	put(&o, "x=%s;\n", v);
	answer_line(&o, "card", "medium", v);
	filler(&o);

	make_card(v, "62", 19);
	put(&o, "id:%s\n", v);
	answer_line(&o, "card", "medium", v);
	filler(&o);

	/* A grouped card followed by a number: the shorter valid reading. */
	make_card(v, "4", 16);
	group(shown, v, g4444, ' ');
	put(&o, "ref %s 12/29\n", shown);
	answer_line(&o, "card", "medium", v);
	filler(&o);

	make_hkid(v, "A");
	put(&o, "HKID: %.7s(%c)\n", v, v[7]);
	answer_line(&o, "hkid", "high", v);
	filler(&o);

	make_hkid(v, "XY");
	put(&o, "holder %.8s (%c) noted\n", v, v[8]);
	answer_line(&o, "hkid", "medium", v);
	filler(&o);

	make_hkid(v, "K");
	put(&o, "holder %s noted\n", v);
	answer_line(&o, "hkid", "low", v);
	filler(&o);

	make_hkid(v, "Z");
	put(&o, "身份證號碼 %.7s(%c)\n", v, v[7]);
	answer_line(&o, "hkid", "high", v);
	filler(&o);

	/* Decoys: none of these may be found. */
	make_card(v, "4", 16);
	v[15] = (char)('0' + (v[15] - '0' + 1) % 10);   /* Luhn broken */
	put(&o, "decoy %s\n", v);
	make_card(v, "4", 16);
	put(&o, "decoy 99%s7\n", v);                     /* longer digit run */
	make_card(v, "4", 16);
	put(&o, "decoy AB%s\n", v);                      /* glued to letters */
	make_card(v, "7", 16);
	put(&o, "decoy %s\n", v);                        /* no issuer */
	make_card(v, "2721", 16);
	put(&o, "decoy %s\n", v);                        /* past 2-series */
	make_card(v, "37", 16);
	put(&o, "decoy %s\n", v);                        /* Amex is 15 */
	make_card(v, "4", 15);
	put(&o, "decoy %s\n", v);                        /* Visa 15 */
	make_hkid(v, "B");
	snprintf(bad, sizeof bad, "%.7s(%c)", v, v[7] == '9' ? '0' : v[7] == 'A' ? '1'
	    : (char)(v[7] + 1));
	put(&o, "decoy HKID %s\n", bad);                 /* wrong check */
	make_hkid(v, "C");
	put(&o, "decoy QX%.7s(%c)\n", v, v[7]);          /* glued: 3 letters */
	make_hkid(v, "D");
	put(&o, "decoy 7%.7s(%c)\n", v, v[7]);           /* glued to a digit */
	make_hkid(v, "E");
	put(&o, "decoy %.7s(%c)Q\n", v, v[7]);           /* glued after */
	make_hkid(v, "F");
	put(&o, "decoy %s9\n", v);                       /* longer token */
	fclose(o.f);
}

/* Values straddling the 64 KiB, 256 KiB (read buffer) and 1 MiB marks. */
static void
big_text(const char *dir)
{
	static const long marks[] = { 65536, 262144, 1048576, 1048576 + 262144 * 2 };
	struct out o;
	char v[32];

	open_out(&o, dir, "logs/big.log");
	for (size_t m = 0; m < sizeof marks / sizeof marks[0]; m++) {
		while (o.offset < marks[m] - 80)
			put(&o, "2026-01-%02u 10:%02u:%02u GET /api/v1/orders/%u 200 %u ms\n",
			    1 + rnd(28), rnd(60), rnd(60), rnd(99999), rnd(900));
		while (o.offset < marks[m] - 8)
			put(&o, "-");
		if (m % 2 == 0) {
			make_card(v, "4", 16);
			put(&o, "%s\n", v);
			answer_line(&o, "card", "medium", v);
		} else {
			make_hkid(v, "M");
			put(&o, "%.7s(%c)\n", v, v[7]);
			answer_line(&o, "hkid", "medium", v);
		}
	}
	while (o.offset < 2 * 1048576)
		put(&o, "2026-01-%02u 11:%02u:%02u POST /api/v1/pay %u\n",
		    1 + rnd(28), rnd(60), rnd(60), rnd(99999));
	fclose(o.f);
}

static void
csv_file(const char *dir)
{
	struct out o;
	char v[32], w[32], where[32];

	open_out(&o, dir, "hr/staff.csv");
	put(&o, "staff_no,name,HKID,notes,amount\n");
	for (int row = 0; row < 40; row++) {
		make_hkid(v, row % 2 ? "P" : "R");
		put(&o, "%05d,Person %d,%s,", 10000 + row, row, v);
		snprintf(where, sizeof where, "line %ld", o.line);
		answer("hr/staff.csv", where, "hkid", "high", v);
		if (row == 7) {
			make_hkid(w, "S");
			put(&o, "\"see %s, ok\"", w);
			answer("hr/staff.csv", where, "hkid", "low", w);
		} else {
			put(&o, "none");
		}
		put(&o, ",%u.%02u\n", rnd(10000), rnd(100));
	}
	fclose(o.f);

	open_out(&o, dir, "finance/cards.tsv");
	put(&o, "ref\tcardNumber\tamount\n");
	for (int row = 0; row < 10; row++) {
		char mastercard[3] = { '5', (char)('1' + rnd(5)), '\0' };

		make_card(v, row % 2 ? mastercard : "4", 16);
		put(&o, "%u\t%s\t%u\n", rnd(1000000), v, rnd(1000));
		snprintf(where, sizeof where, "line %ld", o.line - 1);
		answer("finance/cards.tsv", where, "card", "high", v);
	}
	fclose(o.f);
}

static void
markup_files(const char *dir)
{
	struct out o;
	char v[32];

	open_out(&o, dir, "web/page.html");
	put(&o, "<!DOCTYPE html>\n<html><head><title>Form</title></head><body>\n");
	put(&o, "<table><tr><th>Name</th><th>HKID</th></tr>\n");
	make_hkid(v, "H");
	put(&o, "<tr><td>Chan</td><td>%.7s(%c)</td></tr>\n", v, v[7]);
	answer_line(&o, "hkid", "high", v);
	put(&o, "</table>\n");
	filler(&o);
	make_card(v, "4", 16);
	put(&o, "<p>%s</p>\n", v);
	answer_line(&o, "card", "medium", v);
	put(&o, "</body></html>\n");
	fclose(o.f);

	open_out(&o, dir, "web/data.json");
	make_hkid(v, "J");
	put(&o, "{\"records\":[{\"name\":\"Lee\",\"hkid\":\"%s\"},\n", v);
	answer_line(&o, "hkid", "high", v);
	make_card(v, "6500", 16);
	put(&o, "{\"name\":\"Wong\",\"payment\":{\"pan\":\"%s\"}}]}\n", v);
	answer_line(&o, "card", "high", v);
	fclose(o.f);

	open_out(&o, dir, "web/feed.xml");
	put(&o, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<people>\n");
	make_card(v, "5105", 16);
	put(&o, "  <person><value>%s</value></person>\n", v);
	answer_line(&o, "card", "medium", v);
	put(&o, "</people>\n");
	fclose(o.f);
}

static void
other_files(const char *dir)
{
	struct out o;
	char v[32];
	unsigned char bin[4096];

	open_out(&o, dir, "misc/latin1.txt");
	make_card(v, "4", 16);
	put(&o, "R\xe9sum\xe9 du client: carte %s\n", v);
	answer_line(&o, "card", "medium", v);
	fclose(o.f);

	open_out(&o, dir, "misc/crlf.txt");
	make_hkid(v, "W");
	put(&o, "first line\r\nsecond line %.7s(%c)\r\n", v, v[7]);
	answer_line(&o, "hkid", "medium", v);
	fclose(o.f);

	open_out(&o, dir, "misc/empty.txt");
	fclose(o.f);

	/* Binary data with a value inside: not text, so skipped. */
	open_out(&o, dir, "misc/blob.bin");
	for (size_t i = 0; i < sizeof bin; i++)
		bin[i] = (unsigned char)rnd(256);
	make_card(v, "4", 16);
	memcpy(bin + 100, v, 16);
	fwrite(bin, 1, sizeof bin, o.f);
	fclose(o.f);
}

static void
make_dirs(const char *dir)
{
	static const char *const subs[] = { "", "/hr", "/logs", "/finance", "/web", "/misc" };
	char path[4096];

	for (size_t i = 0; i < sizeof subs / sizeof subs[0]; i++) {
		snprintf(path, sizeof path, "%s%s", dir, subs[i]);
		if (mkdir(path, 0755) != 0 && errno != EEXIST) {
			fprintf(stderr, "fixture: %s: %s\n", path, strerror(errno));
			exit(2);
		}
	}
}

int
main(int argc, char **argv)
{
	char v[32], path[4096];

	if (argc == 5 && strcmp(argv[1], "card") == 0) {
		rng_state += strtoull(argv[4], NULL, 10);
		make_card(v, argv[2], strtoul(argv[3], NULL, 10));
		puts(v);
		return 0;
	}
	if (argc == 4 && strcmp(argv[1], "hkid") == 0) {
		rng_state += strtoull(argv[3], NULL, 10);
		make_hkid(v, argv[2]);
		puts(v);
		return 0;
	}
	if (argc != 3 || strcmp(argv[1], "tree") != 0) {
		fprintf(stderr, "usage: fixture tree DIR | card PREFIX LEN SEED | "
		    "hkid LETTERS SEED\n");
		return 2;
	}
	make_dirs(argv[2]);
	snprintf(path, sizeof path, "%s/../answers.tsv", argv[2]);
	if ((answers = fopen(path, "w")) == NULL) {
		fprintf(stderr, "fixture: %s: %s\n", path, strerror(errno));
		return 2;
	}
	plain_text(argv[2]);
	big_text(argv[2]);
	csv_file(argv[2]);
	markup_files(argv[2]);
	other_files(argv[2]);
	fclose(answers);
	return 0;
}

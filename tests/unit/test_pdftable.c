/*
 * test_pdftable.c - tables found from text geometry (pdftable.c), on
 * made-up pages: a table with a header row, prose that is no table, a
 * clipped cell run into the next, a number wrapped inside its cell, and
 * pages past the bounds.  Values are synthetic.
 */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../unit/tap.h"
#include "pdftable.h"

#define MAX_LINES 5000
#define LINE_MAX_CHARS 256

/* A page being made: lines of text with a box per character. */
static struct page {
	char text[MAX_LINES][LINE_MAX_CHARS];
	struct ps_pdf_box boxes[MAX_LINES][LINE_MAX_CHARS];
	struct ps_pdf_line lines[MAX_LINES];
	size_t n;
} page;

/* Add a line at y: pieces of text at x positions ("72:Name|172:HKID"),
 * characters `width` wide, a space between pieces spanning the gap; a
 * piece after '+' instead of '|' follows with no space (glued). */
static void
add_line(double y, double width, const char *spec)
{
	char *t = page.text[page.n];
	struct ps_pdf_box *b = page.boxes[page.n];
	size_t len = 0;
	char copy[512];

	snprintf(copy, sizeof copy, "%s", spec);
	for (char *piece = copy, *end; piece != NULL; piece = end) {
		bool glued = piece > copy && piece[-1] == '+';
		double x;

		if ((end = strpbrk(piece, "|+")) != NULL)
			*end++ = '\0';
		x = strtod(piece, &piece);
		piece++;                        /* the ':' */
		if (len > 0 && !glued) {
			t[len] = ' ';
			b[len] = (struct ps_pdf_box){ b[len - 1].x2, y, x, y + 10 };
			len++;
		}
		for (; *piece != '\0'; piece++, len++, x += width) {
			t[len] = *piece;
			b[len] = (struct ps_pdf_box){ x, y, x + width, y + 10 };
		}
	}
	page.lines[page.n] = (struct ps_pdf_line){ t, len, b };
	page.n++;
}

static char cells[8192];

static void
collect(void *arg, const char *context, const char *text, size_t len)
{
	size_t n = strlen(cells);

	(void)arg;
	snprintf(cells + n, sizeof cells - n, "%s[%s]%.*s;", n > 0 ? " " : "",
	    context != NULL ? context : "-", (int)len, text);
}

/* The cells of the table at line i (and the line after it in *next). */
static const char *
table_at(size_t i, size_t *next)
{
	struct ps_pdf_layout *layout = ps_pdf_layout_new(page.lines, page.n);

	cells[0] = '\0';
	*next = layout != NULL ? ps_pdf_layout_table(layout, i, collect, NULL) : i;
	ps_pdf_layout_free(layout);
	return cells;
}

static void
test_table(void)
{
	size_t next;

	page.n = 0;
	add_line(100, 6, "72:Name|172:HKID|272:Card number");
	add_line(114, 6, "72:Chan Tai Man|172:A1234563|272:4111111000231111");
	add_line(128, 6, "72:Lee Ka Yan|172:C6686689|272:-");
	is_str(table_at(0, &next), "[-]Name; [-]HKID; [-]Card number; [Name]Chan Tai Man;"
	    " [HKID]A1234563; [Card number]4111111000231111; [Name]Lee Ka Yan;"
	    " [HKID]C6686689; [Card number]-;", "a table: the first row heads its columns");
	is_int(next, 3, "... and it ends after its last row");
}

static void
test_prose(void)
{
	static const char *const words[] = { "The", "staff", "records", "of", "last",
		"year", "are", "kept", "in", "the", "office", "on", "level", "four" };
	size_t next;

	page.n = 0;
	for (int l = 0; l < 6; l++) {
		char spec[400];
		double x = 72;
		size_t n = 0;

		/* Proportional-looking: each line its own character width. */
		for (int w = 0; w < 9; w++) {
			const char *word = words[(l * 5 + w * 3) % 14];

			n += (size_t)snprintf(spec + n, sizeof spec - n, "%s%.2f:%s",
			    w > 0 ? "|" : "", x, word);
			x += (double)strlen(word) * (5.3 + 0.17 * l) + 2.9 + 0.11 * l;
		}
		add_line(100 + 14 * l, 5.3 + 0.17 * l, spec);
	}
	is_str(table_at(0, &next), "", "prose is no table");
	is_int(next, 0, "... and nothing is passed over");
}

static void
test_glued_and_wrapped(void)
{
	size_t next;

	page.n = 0;
	add_line(100, 6, "55:Name|113:HKID|200:Amount");
	add_line(114, 6, "55:Chan|113:B9876540|200:12.50");
	/* A clipped name runs into the next cell with no gap. */
	add_line(128, 6, "55:Cheung Wa+113:P4811317|200:7.25");
	add_line(142, 6, "55:Lee|113:-|200:3.00");
	add_line(156, 6, "55:Ho|113:-|200:1.00");
	is_str(table_at(0, &next), "[-]Name; [-]HKID; [-]Amount; [Name]Chan; [HKID]B9876540;"
	    " [Amount]12.50; [Name]Cheung Wa; [HKID]P4811317; [Amount]7.25; [Name]Lee;"
	    " [HKID]-; [Amount]3.00; [Name]Ho; [HKID]-; [Amount]1.00;",
	    "a clipped cell run into the next is split at the column");

	page.n = 0;
	add_line(100, 5, "72:Name|145:HKID|205:Card number");
	/* 12 digits fill the cell to the next column; 4 follow below. */
	add_line(114, 5, "72:Chan|145:A1234563|205:411111100023");
	add_line(128, 5, "205:1111");
	add_line(142, 5, "72:Lee|145:C6686689|205:-");
	is_str(table_at(0, &next), "[-]Name; [-]HKID; [-]Card number; [Name]Chan;"
	    " [HKID]A1234563; [Card number]4111111000231111; [Name]Lee; [HKID]C6686689;"
	    " [Card number]-;", "a number wrapped inside its cell is joined whole");
}

static void
test_bounds(void)
{
	size_t next;

	page.n = 0;
	for (int l = 0; l < PS_PDF_TABLE_MAX_LINES + 1; l++)
		add_line(100 + 12 * l, 6, "72:a|172:b");
	is_str(table_at(0, &next), "", "more lines than the bound: no table");
	is_int(next, 0, "... and nothing passed over");

	/* Random geometry: no crash, and any table ends inside the page. */
	srand(15);
	for (int round = 0; round < 200; round++) {
		page.n = 0;
		for (int l = 0; l < 1 + rand() % 60; l++) {
			char spec[200];
			size_t n = 0;

			for (int c = 0; c < 1 + rand() % 6; c++)
				n += (size_t)snprintf(spec + n, sizeof spec - n, "%s%d:%.*s",
				    c > 0 ? "|" : "", 20 + rand() % 500, 1 + rand() % 12,
				    "A1234563 4111 1110 0023 1111");
			add_line(100 + rand() % 700, 1 + rand() % 9, spec);
		}
		for (size_t i = 0; i < page.n; i = next > i ? next : i + 1) {
			(void)table_at(i, &next);
			if (next > page.n) {
				ok(false, "a table runs past the page (round %d)", round);
				return;
			}
		}
	}
	ok(true, "random geometry: every table ends inside its page");
}

int
main(void)
{
	test_table();
	test_prose();
	test_glued_and_wrapped();
	test_bounds();
	return done_testing();
}

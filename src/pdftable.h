/*
 * pdftable.h - tables in a PDF page, found from the geometry of its
 * text, for the PDF helper (pdftext.c).  No poppler here: the helper
 * hands over the page's lines with one box per character, so this code
 * works on geometry alone.
 *
 * A table is a run of at least two lines close one below the other
 * whose words fall into at least two columns: x-ranges that the lines
 * share, separated by gaps that no line (or only a few, whose text runs
 * into the next cell without a gap, as a clipped spreadsheet cell does)
 * crosses.  A gap counts when it is wide, or when the next column's
 * words start (or the previous column's end) at one x in most lines;
 * a narrow gap between digits is not a column (the groups of a card
 * number line up too).  A line whose only text is in later columns,
 * below a fuller one, continues the cells above it (a number broken
 * inside a narrow cell).  Each cell is one unit of text: the first
 * row's cells have no context, the others have their column's text in
 * the first row, as a header.
 *
 * The work is bounded: a page with more than PS_PDF_TABLE_MAX_GLYPHS
 * characters or PS_PDF_TABLE_MAX_LINES lines has no tables, and the
 * search stops when PS_PDF_TABLE_MAX_WORK word visits are spent.
 *
 * Single-threaded, like the helper.  The layout borrows the lines and
 * their boxes until it is freed.
 */
#ifndef PS_PDFTABLE_H
#define PS_PDFTABLE_H

#include <stdbool.h>
#include <stddef.h>

#define PS_PDF_TABLE_MAX_GLYPHS  40000  /* characters on a page */
#define PS_PDF_TABLE_MAX_LINES   4000   /* lines on a page */
#define PS_PDF_TABLE_MAX_WORDS   256    /* words in a row of a table */
#define PS_PDF_TABLE_MAX_ROWS    400    /* rows in one table */
#define PS_PDF_TABLE_MAX_COLUMNS 64     /* columns in one table */
#define PS_PDF_TABLE_MAX_WORK    4000000 /* word visits on a page */

/* A rectangle on the page; y grows downwards. */
struct ps_pdf_box {
	double x1, y1, x2, y2;
};

/* A line of the page's text, without its line break or trailing blanks. */
struct ps_pdf_line {
	const char *start;              /* UTF-8 */
	size_t len;
	const struct ps_pdf_box *boxes; /* one per character; NULL: none */
};

/* A cell: context is NULL in the first row, else the column's first
 * cell (may be ""); text is not NUL-terminated.  Both live until the
 * callback returns. */
typedef void ps_pdf_cell_fn(void *arg, const char *context, const char *text,
    size_t len);

struct ps_pdf_layout;

/* The tables among lines[0, n); NULL when out of memory. */
struct ps_pdf_layout *ps_pdf_layout_new(const struct ps_pdf_line *lines, size_t n);

/* When a table begins at line i: its cells, row by row, through fn, and
 * the index of the line after it; else i. */
size_t ps_pdf_layout_table(struct ps_pdf_layout *layout, size_t i,
    ps_pdf_cell_fn *fn, void *arg);

void ps_pdf_layout_free(struct ps_pdf_layout *layout);

#endif

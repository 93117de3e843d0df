/*
 * pdfframe.h - what the PDF helper (pdftext.c, installed as piiscan-pdf)
 * writes on its standard output, for the scanner (extract/pdf.c) to read.
 *
 * PDF is parsed in a process of its own, one per document, under rlimits:
 * the only code linked with poppler is the helper.  It reads the document
 * from its standard input (a seekable file or memfd) and writes frames:
 * one type byte, the payload's length as 4 bytes little-endian, the
 * payload.
 *
 *   B  a unit begins: "where" NUL "context" (the context may be empty)
 *   T  text of the open unit, UTF-8, in pieces of any size
 *   E  the open unit ends (empty payload)
 *   N  a note: a code from the list below, then optionally one space and
 *      a decimal number (a page)
 *   D  the document was read to its end (empty payload); nothing follows
 *
 * Notes are codes, not text: the scanner turns them into the reasons it
 * records, so nothing the document says reaches the inventory that way.
 * A stream that ends without D, or breaks these rules, was cut short.
 */
#ifndef PS_PDFFRAME_H
#define PS_PDFFRAME_H

#define PS_PDF_FRAME_BEGIN  'B'
#define PS_PDF_FRAME_TEXT   'T'
#define PS_PDF_FRAME_END    'E'
#define PS_PDF_FRAME_NOTE   'N'
#define PS_PDF_FRAME_DONE   'D'

#define PS_PDF_FRAME_HEADER 5           /* type + 32-bit length */
#define PS_PDF_FRAME_MAX    (64 * 1024) /* longest payload */
#define PS_PDF_CONTEXT_MAX  256         /* longest context of a unit */

/* Notes.  The first three end the document: nothing was read. */
#define PS_PDF_NOTE_ENCRYPTED "encrypted"  /* needs a user password */
#define PS_PDF_NOTE_INVALID   "invalid"    /* not a PDF document */
#define PS_PDF_NOTE_DAMAGED   "damaged"    /* cannot be opened */
#define PS_PDF_NOTE_PAGE      "page"       /* page N could not be read */

#endif

/*
 * rtf.h - Rich Text Format: Outlook's compressed RTF ([MS-OXRTFCP]) and
 * RTF to text, for the mail extractors (msg.c, and a PST reader) and for
 * .rtf files (ps_extract_rtf in extract.h).
 *
 * Everything here works on memory the caller owns and keeps nothing
 * between calls; any thread may call it.  Lengths and offsets inside
 * the data are never trusted: output is bounded by the caller's max, and
 * the reader's memory by fixed limits (group depth, word length).
 */
#ifndef PS_RTF_H
#define PS_RTF_H

#include <stddef.h>
#include <stdint.h>

#include "../extract.h"

/* The header of PidTagRtfCompressed: COMPSIZE RAWSIZE COMPTYPE CRC. */
#define PS_RTF_HEADER 16
/* Groups nested deeper than this are skipped (and recorded). */
#define PS_RTF_MAX_DEPTH 256

/*
 * Decompress PidTagRtfCompressed data (in[0..len)), either form: "LZFu"
 * (compressed, its CRC checked) or "MELA" (stored).  At most max bytes
 * are produced.  PS_OK: *out (malloc'd; the caller wipes and frees it)
 * holds *outlen bytes of RTF.  PS_ERR_LIMIT: the RTF is longer than max;
 * *out holds its first max bytes all the same.  PS_ERR_CORRUPT: no
 * output (a short or unknown header, a bad CRC, a cut stream).
 * PS_ERR_NOMEM.
 */
enum ps_error ps_rtf_decompress(const unsigned char *in, size_t len, size_t max,
    unsigned char **out, size_t *outlen);

/*
 * The text of an RTF document sent to sink as one unit located by line
 * (where NULL, from line 1): paragraphs and line breaks as newlines,
 * cells and tabs as tabs, \'hh in the document's code page (\ansicpg),
 * \uN (its \ucN fallback skipped); font and colour tables, style sheets,
 * pictures, objects, \* destinations and \bin data are left out.  In
 * HTML encapsulated in RTF (\fromhtml) that leaves the text outside the
 * tags.  *limit is set to a "limit: ..." reason when part of the
 * document was skipped (groups nested too deep), else left alone.
 * Returns what the sink returned, or PS_ERR_NOMEM.
 */
enum ps_error ps_rtf_to_sink(struct ps_sink *sink, const unsigned char *rtf,
    size_t len, const char **limit);

/* ps_rtf_to_sink() to x's sink, a skipped part recorded on the file. */
enum ps_error ps_rtf_text(struct ps_extract *x, const unsigned char *rtf,
    size_t len);

#endif

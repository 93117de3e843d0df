/*
 * decode.h - text in a common encoding to UTF-8, for the text and CSV
 * extractors (the matcher only reads UTF-8).
 *
 * A decoder is fed the raw bytes of one input in pieces of any size and
 * hands UTF-8 to an emit callback.  It is the one place that looks at a
 * byte order mark: a UTF-8 BOM is dropped, a UTF-16 or UTF-32 BOM selects
 * that encoding (whatever the declared charset said) and is dropped.
 * UTF-8 and ASCII input (the common case) is passed through untouched: the
 * callback gets the caller's own bytes, with no copy and no iconv(3) call.
 * Anything else goes through iconv(3): a character cut between two pieces
 * is completed from the next one, an invalid sequence becomes U+FFFD and
 * decoding goes on one code unit later, and memory stays bounded (one
 * fixed output buffer).
 *
 * A decoder belongs to one extraction on one thread; the caller creates it
 * with ps_decoder_new() and frees it with ps_decoder_free().
 */
#ifndef PS_DECODE_H
#define PS_DECODE_H

#include <stdbool.h>
#include <stddef.h>

#include "piiscan.h"

/* Longest byte order mark (UTF-32). */
#define PS_BOM_MAX 4

/* Where decoded text goes: len bytes of whole UTF-8 characters, valid
 * only during the call.  An error stops decoding and is returned by the
 * ps_decoder_*() call that made it. */
typedef enum ps_error (*ps_decode_emit)(void *ctx, const char *utf8,
    size_t len);

struct ps_decoder;

/*
 * Whether text declared as charset needs no conversion: NULL, "",
 * "utf-8", "us-ascii", and the names libmagic gives when it does not know
 * ("binary", "unknown-8bit"), whose bytes are passed on as they are.
 */
bool ps_charset_is_passthrough(const char *charset);

/*
 * The byte order mark at the start of p[0..len): its length (0 if none)
 * and, in *charset, the encoding it names ("UTF-8", "UTF-16LE",
 * "UTF-16BE", "UTF-32LE", "UTF-32BE"; NULL if none).  UTF-32LE wins over
 * UTF-16LE for FF FE 00 00.  With fewer than PS_BOM_MAX bytes the answer
 * is the best for what is there.
 */
size_t ps_bom_sniff(const unsigned char *p, size_t len, const char **charset);

/*
 * A decoder from charset (as libmagic or filetype.c named it; NULL means
 * UTF-8) to UTF-8.  A charset iconv(3) does not know is passed through.
 * Returns PS_OK or PS_ERR_NOMEM.
 */
enum ps_error ps_decoder_new(const char *charset, struct ps_decoder **out);

/* Decode the next len bytes of the input.  All the text they complete is
 * emitted before this returns; a cut character waits for the next call. */
enum ps_error ps_decoder_feed(struct ps_decoder *d, const void *in, size_t len,
    ps_decode_emit emit, void *ctx);

/* The end of the input: a character still incomplete becomes U+FFFD and
 * any text a stateful converter held back is emitted. */
enum ps_error ps_decoder_finish(struct ps_decoder *d, ps_decode_emit emit,
    void *ctx);

/* The encoding actually decoded (after the BOM decided), NULL while that
 * is not known yet or when the input is passed through as UTF-8. */
const char *ps_decoder_charset(const struct ps_decoder *d);

/* Invalid sequences replaced by U+FFFD so far. */
size_t ps_decoder_errors(const struct ps_decoder *d);

void ps_decoder_free(struct ps_decoder *d);

/* The iconv(3) name of a Windows code page number (PidTagInternetCodepage,
 * RTF's \ansicpg): "CP1252", "UTF-8", "ISO-8859-2"...; written into buf
 * (cap bytes, at least 16) when it is made up there.  A number iconv does
 * not know is "CP1252". */
const char *ps_codepage_charset(unsigned codepage, char *buf, size_t cap);

#endif

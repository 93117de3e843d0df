/*
 * json.h - writing JSON text: strings from arbitrary bytes, times.
 *
 * Bytes that are not valid UTF-8 (file names can hold any byte but NUL and
 * '/') are written as the escapes \udc80-\udcff, one per byte, the
 * "surrogateescape" convention, so the original bytes can be recovered
 * (Python: s.encode('utf-8', 'surrogateescape')).  Any thread.
 */
#ifndef PS_JSON_H
#define PS_JSON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Length of the valid UTF-8 character at bytes (1-4; len > 0), or 0 when
 * the bytes there are not valid UTF-8. */
size_t ps_utf8_char_len(const void *bytes, size_t len);
/* Write bytes as a JSON string, quotes included. */
void ps_json_string(FILE *out, const void *bytes, size_t len);
/* Write the same escaped text into buf (without quotes); the result is
 * always NUL-terminated, cut if buf is short.  Used for roots. */
size_t ps_json_escape(char *buf, size_t cap, const void *bytes, size_t len);
/* The next member of an object being written: ,"name":"2026-11-28T09:00:00Z"
 * (null when t is 0), and ,"name":"escaped text". */
void ps_json_time_field(FILE *out, const char *name, int64_t t);
void ps_json_text_field(FILE *out, const char *name, const char *value);
/* "2026-11-28T09:00:00Z" into buf of at least 21 bytes. */
void ps_time_iso(int64_t t, char *buf, size_t cap);

#endif

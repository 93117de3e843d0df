/*
 * piiscan.h - the shared vocabulary: error codes, limits, confidence levels.
 *
 * Everything here is plain data and pure functions; any thread may use it.
 * Library code returns these error values and never prints or exits; only
 * the command layer (main.c, cmd_*.c) turns them into messages and exit codes.
 */
#ifndef PIISCAN_H
#define PIISCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Errors, ordered roughly by how much of the work they stop. */
enum ps_error {
	PS_OK = 0,
	PS_ERR_NOMEM,       /* allocation failed */
	PS_ERR_IO,          /* read/write failed; errno holds the cause */
	PS_ERR_OPEN,        /* open failed; errno holds the cause */
	PS_ERR_NOTREG,      /* not a regular file (FIFO, socket, device) */
	PS_ERR_CHANGED,     /* the file changed between stat and open */
	PS_ERR_LIMIT,       /* a configured limit stopped the work */
	PS_ERR_CORRUPT,     /* malformed input */
	PS_ERR_SYNTAX,      /* pattern file or option syntax */
	PS_ERR_DB,          /* SQLite reported an error */
	PS_ERR_KEY,         /* key file unusable */
	PS_ERR_STOP,        /* the scan is being stopped */
	PS_ERR_BUSY,        /* another scan is writing the inventory */
};

const char *ps_strerror(enum ps_error err);

/*
 * Text put into a buffer ending at end, without a printf format to parse
 * (a "where" is written for every paragraph and cell): each returns the
 * new end of the text, NUL-terminated and cut to fit.
 */
char *ps_put_str(char *p, char *end, const char *s);
/* What follows the last '/' of path (all of it when there is none). */
const char *ps_base_name(const char *path);
char *ps_put_u64(char *p, char *end, uint64_t v);
/* path: the file called name in the directory of the running program,
 * when there is one that access(2) allows for mode (the build tree puts
 * the helper and the module beside the program).  False otherwise. */
bool ps_beside_program(const char *name, int mode, char *path, size_t cap);

/* Room for need items of size bytes in the array *items of *cap: grown
 * to at least 64, doubling; false (nothing changed) when out of memory
 * or when the size would overflow.  Inline where there is room already:
 * the XML layer asks for every node. */
bool ps_grow_array(void **items, size_t *cap, size_t need, size_t size);
static inline bool
ps_grow(void **items, size_t *cap, size_t need, size_t size)
{
	return need <= *cap || ps_grow_array(items, cap, need, size);
}

/* Confidence of a finding; the numeric order is the order of trust. */
enum ps_confidence {
	PS_CONF_LOW = 1,
	PS_CONF_MEDIUM = 2,
	PS_CONF_HIGH = 3,
};

const char *ps_confidence_name(enum ps_confidence c);
/* Returns 0 when the name is not a confidence level. */
enum ps_confidence ps_confidence_parse(const char *name);

/* Default limits (each one a scan option, see piiscan(1)). */
#define PS_DEFAULT_MAX_FILESIZE   ((uint64_t)4 << 30) /* bytes read per file */
#define PS_MAX_FINDINGS_PER_FILE  100000  /* more are counted, not kept */

/* Bytes of a file handed to libmagic to decide its type. */
/* Member components an extractor may name without a child of its own
 * (folders and messages of a mail store, ps_extract_enter()). */
#define PS_MAX_ENTERED  64
#define PS_SNIFF_BYTES  (16 * 1024)
/* Bytes read from a file at a time. */
#define PS_READ_CHUNK   (256 * 1024)

/* Longest match a pattern may produce and still be found across a buffer
 * boundary; longer matches are found only inside one buffer. */
#define PS_MAX_MATCH_LEN 256

#define PS_HASH_HEX_LEN  64   /* lower-case hex HMAC-SHA-256 */
#define PS_MASK_MAX      64   /* masked value, NUL included */
#define PS_WHERE_MAX     64   /* "line 12", "Staff!C7", NUL included */
#define PS_TYPE_ID_MAX   32   /* pattern type ids, NUL included */

#endif

/*
 * zipmember.h - reading one member of an opened zip archive as a
 * ps_input, within the member's expansion-ratio limit and the file's
 * expanded-bytes budget.  For extract/ files only.
 */
#ifndef PS_ZIPMEMBER_H
#define PS_ZIPMEMBER_H

#include <zip.h>

#include "../extract.h"

struct ps_zip_member {
	zip_file_t *zf;                 /* read through libzip, or NULL */
	unsigned char *whole;           /* or inflated whole, whole_len bytes */
	size_t whole_len, whole_off;
	uint64_t produced, compressed;
	unsigned max_ratio;
	bool ratio_hit;
	struct ps_input *in;            /* what the member is read through */
	char error[96];             /* libzip's message after a failed read */
};

/*
 * Open member `index` of za for reading through *in (read, ctx, budget
 * and limit are set; the caller may hand *in to ps_extract_child).
 * Encrypted members are refused (recorded as "encrypted"); a member that
 * cannot be opened is recorded as corrupt.  Returns PS_ERR_CORRUPT
 * in both cases (nothing to read), PS_OK when open.
 */
enum ps_error ps_zip_member_open(struct ps_extract *x, zip_t *za,
    zip_uint64_t index, struct ps_zip_member *m, struct ps_input *in);

/* Close, recording a broken limit or read error on the file. */
void ps_zip_member_close(struct ps_extract *x, struct ps_zip_member *m,
    const struct ps_input *in);

/* Scan the members of za as children, in the archive's order, those for
 * which want(name) is true (all when want is NULL), within the member
 * count limit. */
enum ps_error ps_zip_scan_members(struct ps_extract *x, zip_t *za,
    bool (*want)(const char *name));

/* The index of the member with that exact name, or -1. */
zip_int64_t ps_zip_find(zip_t *za, const char *name);

#endif

/*
 * key.h - the HMAC key, kept outside the database in a key file.
 *
 * The key file holds 64 hex characters (32 random bytes) and a newline.
 * It is created with mode 0600 (its directory 0700) on first use.
 * Called by the command layer before any thread starts.
 */
#ifndef PS_KEY_H
#define PS_KEY_H

#include <stdbool.h>
#include <stddef.h>

#include "finding.h"

/* $XDG_CONFIG_HOME/piiscan/key, or $HOME/.config/piiscan/key; malloc'd,
 * NULL when neither variable is set. */
char *ps_key_default_path(void);

/*
 * Read the key at path; when the file does not exist and create is true,
 * make a new random key there.  On failure returns an error and writes the
 * cause (errno text or what is wrong with the file) into why.
 * *created tells whether a new key was made.  A key file that its group
 * or others may read or write is refused.
 */
enum ps_error ps_key_load(const char *path, bool create, struct ps_key *key,
    bool *created, char *why, size_t whylen);

/* The key's fingerprint recorded with each scan: the first 16 hex
 * characters of HMAC-SHA-256(key, "piiscan key fingerprint").  It tells
 * keys apart and reveals nothing of the key. */
#define PS_KEY_ID_LEN 16
void ps_key_fingerprint(const struct ps_key *key, char id[PS_KEY_ID_LEN + 1]);

#endif

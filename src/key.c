/*
 * key.c - read or create the key file (see key.h).
 */
#include "config.h"

#include "key.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define KEY_HEX_LEN (2 * PS_KEY_BYTES)

char *
ps_key_default_path(void)
{
	const char *base = getenv("XDG_CONFIG_HOME");
	const char *home = getenv("HOME");
	char *path = NULL;
	int n;

	if (base != NULL && base[0] == '/')
		n = asprintf(&path, "%s/piiscan/key", base);
	else if (home != NULL && home[0] != '\0')
		n = asprintf(&path, "%s/.config/piiscan/key", home);
	else
		return NULL;
	return n < 0 ? NULL : path;
}

/* mkdir -p for the key's directory, new directories mode 0700. */
static int
make_parent_dirs(const char *path)
{
	char *dir = strdup(path);
	int rc = 0;

	if (dir == NULL)
		return -1;
	for (char *p = dir + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
			rc = -1;
			break;
		}
		*p = '/';
	}
	free(dir);
	return rc;
}

static enum ps_error
create_key(const char *path, struct ps_key *key, char *why, size_t whylen)
{
	char hex[KEY_HEX_LEN + 2];
	enum ps_error err = PS_OK;
	int fd;

	if (make_parent_dirs(path) != 0) {
		snprintf(why, whylen, "cannot create its directory: %s", strerror(errno));
		return PS_ERR_KEY;
	}
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0) {
		snprintf(why, whylen, "%s", strerror(errno));
		return PS_ERR_KEY;
	}
	randombytes_buf(key->bytes, sizeof key->bytes);
	sodium_bin2hex(hex, sizeof hex, key->bytes, sizeof key->bytes);
	hex[KEY_HEX_LEN] = '\n';
	if (write(fd, hex, KEY_HEX_LEN + 1) != KEY_HEX_LEN + 1 || fsync(fd) != 0) {
		snprintf(why, whylen, "cannot write: %s", strerror(errno));
		err = PS_ERR_KEY;
		unlink(path);
	}
	if (close(fd) != 0 && err == PS_OK) {
		snprintf(why, whylen, "cannot write: %s", strerror(errno));
		err = PS_ERR_KEY;
	}
	sodium_memzero(hex, sizeof hex);
	return err;
}

enum ps_error
ps_key_load(const char *path, bool create, struct ps_key *key, bool *created,
    char *why, size_t whylen)
{
	char buf[KEY_HEX_LEN + 8];
	enum ps_error err = PS_ERR_KEY;
	struct stat st;
	ssize_t n;
	size_t len, bin_len = 0;
	int fd;

	*created = false;
	if (whylen > 0)
		why[0] = '\0';
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT && create) {
		err = create_key(path, key, why, whylen);
		*created = err == PS_OK;
		return err;
	}
	if (fd < 0) {
		snprintf(why, whylen, "%s", strerror(errno));
		return PS_ERR_KEY;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		snprintf(why, whylen, "not a regular file");
		goto done;
	}
	/* A key others can read lets them test values against every
	 * inventory made with it: refused, not used. */
	if ((st.st_mode & 077) != 0) {
		snprintf(why, whylen, "it is open to group or others (mode %03o); "
		    "chmod 600 it", (unsigned)(st.st_mode & 0777));
		goto done;
	}
	n = read(fd, buf, sizeof buf);
	if (n < 0) {
		snprintf(why, whylen, "%s", strerror(errno));
		goto done;
	}
	len = (size_t)n;
	while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
		len--;
	if (len != KEY_HEX_LEN
	    || sodium_hex2bin(key->bytes, sizeof key->bytes, buf, len, NULL,
		   &bin_len, NULL) != 0
	    || bin_len != PS_KEY_BYTES) {
		snprintf(why, whylen, "not a key: expected %d hex characters", KEY_HEX_LEN);
		goto done;
	}
	err = PS_OK;
done:
	sodium_memzero(buf, sizeof buf);
	close(fd);
	return err;
}

void
ps_key_fingerprint(const struct ps_key *key, char id[PS_KEY_ID_LEN + 1])
{
	static const char label[] = "piiscan key fingerprint";
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	char hex[2 * crypto_auth_hmacsha256_BYTES + 1];

	crypto_auth_hmacsha256(mac, (const unsigned char *)label, sizeof label - 1,
	    key->bytes);
	sodium_bin2hex(hex, sizeof hex, mac, sizeof mac);
	snprintf(id, PS_KEY_ID_LEN + 1, "%.*s", PS_KEY_ID_LEN, hex);
}

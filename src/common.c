/*
 * common.c - the small shared vocabulary of piiscan.h.
 */
#include "config.h"

#include "piiscan.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

bool
ps_grow_array(void **items, size_t *cap, size_t need, size_t size)
{
	size_t n = *cap > 0 ? *cap : 64;
	void *p;

	if (need <= *cap)
		return true;
	while (n < need) {
		if (n > SIZE_MAX / 2)
			return false;
		n *= 2;
	}
	if (size != 0 && n > SIZE_MAX / size)
		return false;
	if ((p = realloc(*items, n * size)) == NULL)
		return false;
	*items = p;
	*cap = n;
	return true;
}

const char *
ps_base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash != NULL ? slash + 1 : path;
}

bool
ps_beside_program(const char *name, int mode, char *path, size_t cap)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
	char *slash;

	if (n <= 0)
		return false;
	self[n] = '\0';
	if ((slash = strrchr(self, '/')) == NULL)
		return false;
	*slash = '\0';
	return (size_t)snprintf(path, cap, "%s/%s", self, name) < cap
	    && access(path, mode) == 0;
}

char *
ps_put_str(char *p, char *end, const char *s)
{
	size_t n;

	if (p >= end)
		return p;
	n = strnlen(s, (size_t)(end - p) - 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p + n;
}

char *
ps_put_u64(char *p, char *end, uint64_t v)
{
	char digits[24];
	size_t n = sizeof digits - 1;

	digits[n] = '\0';
	do {
		digits[--n] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	return ps_put_str(p, end, digits + n);
}

const char *
ps_strerror(enum ps_error err)
{
	switch (err) {
	case PS_OK:          return "success";
	case PS_ERR_NOMEM:   return "out of memory";
	case PS_ERR_IO:      return "input/output error";
	case PS_ERR_OPEN:    return "cannot open";
	case PS_ERR_NOTREG:  return "not a regular file";
	case PS_ERR_CHANGED: return "changed while being scanned";
	case PS_ERR_LIMIT:   return "limit reached";
	case PS_ERR_CORRUPT: return "corrupt";
	case PS_ERR_SYNTAX:  return "syntax error";
	case PS_ERR_DB:      return "database error";
	case PS_ERR_KEY:     return "key file error";
	case PS_ERR_STOP:    return "stopped";
	case PS_ERR_BUSY:    return "in use";
	}
	return "unknown error";
}

static const char *const confidence_names[] = {
	[PS_CONF_LOW] = "low",
	[PS_CONF_MEDIUM] = "medium",
	[PS_CONF_HIGH] = "high",
};

const char *
ps_confidence_name(enum ps_confidence c)
{
	if (c >= PS_CONF_LOW && c <= PS_CONF_HIGH)
		return confidence_names[c];
	return "unknown";
}

enum ps_confidence
ps_confidence_parse(const char *name)
{
	for (int c = PS_CONF_LOW; c <= PS_CONF_HIGH; c++)
		if (strcmp(confidence_names[c], name) == 0)
			return (enum ps_confidence)c;
	return 0;
}

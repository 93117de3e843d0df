/*
 * tap.h - a few TAP helpers for the unit tests (Test Anything Protocol,
 * read by automake's tap-driver.sh).  Header-only; one test program each.
 */
#ifndef PS_TAP_H
#define PS_TAP_H

#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static int tap_count, tap_failed;

static bool __attribute__((format(printf, 2, 3)))
ok(bool cond, const char *fmt, ...)
{
	va_list ap;

	tap_count++;
	printf("%s %d - ", cond ? "ok" : "not ok", tap_count);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	if (!cond)
		tap_failed++;
	return cond;
}

#define is_str(got, want, ...) do {                                        \
	const char *g_ = (got), *w_ = (want);                              \
	if (!ok(g_ != NULL && strcmp(g_, w_) == 0, __VA_ARGS__))           \
		printf("#   got:  '%s'\n#   want: '%s'\n", g_ ? g_ : "(null)", w_); \
} while (0)

#define is_int(got, want, ...) do {                                        \
	intmax_t g_ = (intmax_t)(got), w_ = (intmax_t)(want);              \
	if (!ok(g_ == w_, __VA_ARGS__))                                    \
		printf("#   got:  %jd\n#   want: %jd\n", g_, w_);          \
} while (0)

static int
done_testing(void)
{
	printf("1..%d\n", tap_count);
	return tap_failed == 0 ? 0 : 1;
}

#endif

/*
 * progress.c - the status line (see progress.h).
 */
#include "config.h"

#include "progress.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"

#define REDRAW_MS 100   /* at most ten times a second */

struct ps_progress {
	bool enabled, stop, shown;
	struct ps_counters *counters;
	struct ps_walk_status *walk;
	struct timespec start;
	pthread_mutex_t lock;            /* stderr, shown, stop */
	pthread_cond_t wake;
	pthread_t thread;
	bool running;
};

void
ps_human_size(unsigned long long bytes, char *buf, size_t cap)
{
	static const char units[] = "BKMGTP";
	double v = (double)bytes;
	size_t u = 0;

	while (v >= 1024 && u + 1 < sizeof units - 1) {
		v /= 1024;
		u++;
	}
	if (u == 0)
		snprintf(buf, cap, "%llu B", bytes);
	else
		snprintf(buf, cap, "%.1f %ciB", v, units[u]);
}

static double
elapsed(const struct ps_progress *p)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - p->start.tv_sec)
	    + (double)(now.tv_nsec - p->start.tv_nsec) / 1e9;
}

/* Called with the lock held. */
static void
draw(struct ps_progress *p)
{
	struct ps_counters *c = p->counters;
	unsigned long long bytes = atomic_load(&c->bytes);
	double secs = elapsed(p);
	char size[32], rate[32], line[1024], *dir = NULL;
	int n;

	ps_human_size(bytes, size, sizeof size);
	ps_human_size((unsigned long long)(secs > 0 ? (double)bytes / secs : 0),
	    rate, sizeof rate);
	pthread_mutex_lock(&p->walk->lock);
	dir = ps_cli_printable(p->walk->dir);
	pthread_mutex_unlock(&p->walk->lock);
	n = snprintf(line, sizeof line,
	    "%llu files, %s (%s/s), %llu findings, %llu errors, %d:%02d  %s",
	    (unsigned long long)atomic_load(&c->files), size, rate,
	    (unsigned long long)atomic_load(&c->findings),
	    (unsigned long long)atomic_load(&c->errors),
	    (int)secs / 60, (int)secs % 60, dir != NULL ? dir : "");
	free(dir);
	/* One terminal line: long directory names are cut. */
	if (n > 160)
		line[160] = '\0';
	fprintf(stderr, "\r\033[K%s", line);
	p->shown = true;
}

static void
clear(struct ps_progress *p)
{
	if (p->shown) {
		fputs("\r\033[K", stderr);
		p->shown = false;
	}
}

static void *
progress_main(void *arg)
{
	struct ps_progress *p = arg;
	struct timespec until;

	pthread_mutex_lock(&p->lock);
	while (!p->stop) {
		draw(p);
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_nsec += REDRAW_MS * 1000000L;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&p->wake, &p->lock, &until);
	}
	clear(p);
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

struct ps_progress *
ps_progress_start(bool enabled, struct ps_counters *counters,
    struct ps_walk_status *walk)
{
	struct ps_progress *p = calloc(1, sizeof *p);

	if (p == NULL)
		return NULL;
	p->enabled = enabled;
	p->counters = counters;
	p->walk = walk;
	clock_gettime(CLOCK_MONOTONIC, &p->start);
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->wake, NULL);
	if (enabled)
		p->running = pthread_create(&p->thread, NULL, progress_main, p) == 0;
	return p;
}

void
ps_progress_say(struct ps_progress *p, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (p == NULL) {
		ps_cli_error("%s", msg);
		return;
	}
	pthread_mutex_lock(&p->lock);
	clear(p);
	ps_cli_error("%s", msg);
	pthread_mutex_unlock(&p->lock);
}

void
ps_progress_stop(struct ps_progress *p)
{
	if (p == NULL)
		return;
	pthread_mutex_lock(&p->lock);
	p->stop = true;
	pthread_cond_signal(&p->wake);
	pthread_mutex_unlock(&p->lock);
	if (p->running)
		pthread_join(p->thread, NULL);
	pthread_mutex_destroy(&p->lock);
	pthread_cond_destroy(&p->wake);
	free(p);
}

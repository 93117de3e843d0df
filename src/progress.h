/*
 * progress.h - the scan's status line on stderr, and messages that must
 * not be garbled by it.
 *
 * A thread of its own redraws one line at most ten times a second: files
 * and bytes done, rate, findings, errors, elapsed time and the directory
 * being walked.  Messages (ps_progress_say) may come from any thread.
 */
#ifndef PS_PROGRESS_H
#define PS_PROGRESS_H

#include <stdbool.h>

#include "walk.h"
#include "writer.h"

struct ps_progress;

/* Start drawing when enabled (else only messages go out).  The counters
 * and the walk's status are read while the scan runs. */
struct ps_progress *ps_progress_start(bool enabled, struct ps_counters *counters,
    struct ps_walk_status *walk);
/* A line on stderr, "piiscan: ..." (the status line is redrawn after). */
void ps_progress_say(struct ps_progress *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Stop drawing and clear the line; NULL is a no-op. */
void ps_progress_stop(struct ps_progress *p);

/* "1.5 GiB" style sizes. */
void ps_human_size(unsigned long long bytes, char *buf, size_t cap);

#endif

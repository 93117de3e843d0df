/*
 * queue.c - bounded MPMC queue (see queue.h).
 */
#include "config.h"

#include "queue.h"

#include <errno.h>
#include <stdlib.h>
#include <time.h>

bool
ps_queue_init(struct ps_queue *q, size_t cap)
{
	q->items = calloc(cap, sizeof *q->items);
	q->weights = calloc(cap, sizeof *q->weights);
	if (q->items == NULL || q->weights == NULL) {
		free(q->items);
		free(q->weights);
		q->items = NULL;
		return false;
	}
	q->cap = cap;
	q->head = q->count = 0;
	q->weight = q->max_weight = 0;
	q->closed = false;
	atomic_init(&q->waiting, 0);
	pthread_mutex_init(&q->lock, NULL);
	pthread_cond_init(&q->not_empty, NULL);
	pthread_cond_init(&q->not_full, NULL);
	return true;
}

void
ps_queue_destroy(struct ps_queue *q)
{
	if (q->items == NULL)
		return;
	pthread_mutex_destroy(&q->lock);
	pthread_cond_destroy(&q->not_empty);
	pthread_cond_destroy(&q->not_full);
	free(q->items);
	free(q->weights);
	q->items = NULL;
	q->weights = NULL;
}

void
ps_queue_set_max_weight(struct ps_queue *q, size_t max_weight)
{
	pthread_mutex_lock(&q->lock);
	q->max_weight = max_weight;
	pthread_mutex_unlock(&q->lock);
}

/* At the back, or in front of every item waiting. */
static void
put(struct ps_queue *q, void *item, size_t weight, bool front)
{
	size_t at;

	if (front)
		at = q->head = (q->head + q->cap - 1) % q->cap;
	else
		at = (q->head + q->count) % q->cap;
	q->items[at] = item;
	q->weights[at] = weight;
	q->weight += weight;
	q->count++;
	pthread_cond_signal(&q->not_empty);
}

static void *
take(struct ps_queue *q)
{
	void *item = q->items[q->head];
	size_t weight = q->weights[q->head];

	q->head = (q->head + 1) % q->cap;
	q->count--;
	q->weight -= weight;
	/* Freed weight may let more than one waiting push in. */
	if (weight > 0)
		pthread_cond_broadcast(&q->not_full);
	else
		pthread_cond_signal(&q->not_full);
	return item;
}

/* Whether an item of that weight must wait. */
static bool
no_room(const struct ps_queue *q, size_t weight)
{
	return q->count == q->cap || (q->max_weight > 0 && q->weight > 0
	    && q->weight + weight > q->max_weight);
}

bool
ps_queue_push_weighted(struct ps_queue *q, void *item, size_t weight)
{
	bool ok;

	pthread_mutex_lock(&q->lock);
	while (no_room(q, weight) && !q->closed)
		pthread_cond_wait(&q->not_full, &q->lock);
	ok = !q->closed;
	if (ok)
		put(q, item, weight, false);
	pthread_mutex_unlock(&q->lock);
	return ok;
}

bool
ps_queue_push(struct ps_queue *q, void *item)
{
	return ps_queue_push_weighted(q, item, 0);
}

static bool
try_put(struct ps_queue *q, void *item, bool front)
{
	bool ok;

	pthread_mutex_lock(&q->lock);
	ok = !q->closed && q->count < q->cap;
	if (ok)
		put(q, item, 0, front);
	pthread_mutex_unlock(&q->lock);
	return ok;
}

bool
ps_queue_try_push(struct ps_queue *q, void *item)
{
	return try_put(q, item, false);
}

bool
ps_queue_try_push_front(struct ps_queue *q, void *item)
{
	return try_put(q, item, true);
}

void *
ps_queue_try_pop(struct ps_queue *q)
{
	void *item = NULL;

	pthread_mutex_lock(&q->lock);
	if (q->count > 0)
		item = take(q);
	pthread_mutex_unlock(&q->lock);
	return item;
}

void *
ps_queue_pop(struct ps_queue *q)
{
	void *item = NULL;

	pthread_mutex_lock(&q->lock);
	while (q->count == 0 && !q->closed) {
		atomic_fetch_add(&q->waiting, 1);
		pthread_cond_wait(&q->not_empty, &q->lock);
		atomic_fetch_sub(&q->waiting, 1);
	}
	if (q->count > 0)
		item = take(q);
	pthread_mutex_unlock(&q->lock);
	return item;
}

enum ps_pop
ps_queue_pop_timed(struct ps_queue *q, unsigned ms, void **item)
{
	struct timespec deadline;
	enum ps_pop got = PS_POP_TIMEOUT;

	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += ms / 1000;
	deadline.tv_nsec += (long)(ms % 1000) * 1000000L;
	if (deadline.tv_nsec >= 1000000000L) {
		deadline.tv_sec++;
		deadline.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&q->lock);
	while (q->count == 0 && !q->closed) {
		int rc;

		atomic_fetch_add(&q->waiting, 1);
		rc = pthread_cond_timedwait(&q->not_empty, &q->lock, &deadline);
		atomic_fetch_sub(&q->waiting, 1);
		if (rc == ETIMEDOUT)
			break;
	}
	if (q->count > 0) {
		*item = take(q);
		got = PS_POP_ITEM;
	} else if (q->closed) {
		got = PS_POP_CLOSED;
	}
	pthread_mutex_unlock(&q->lock);
	return got;
}

void
ps_queue_close(struct ps_queue *q)
{
	pthread_mutex_lock(&q->lock);
	q->closed = true;
	pthread_cond_broadcast(&q->not_empty);
	pthread_cond_broadcast(&q->not_full);
	pthread_mutex_unlock(&q->lock);
}

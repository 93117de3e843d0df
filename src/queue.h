/*
 * queue.h - a bounded multi-producer, multi-consumer queue of pointers.
 *
 * Any thread may push or pop.  The queue never owns the items; whoever
 * pops an item owns it.  Closing wakes every waiter: pops then drain what
 * is left and return NULL once empty.
 */
#ifndef PS_QUEUE_H
#define PS_QUEUE_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

struct ps_queue {
	pthread_mutex_t lock;
	pthread_cond_t not_empty, not_full;
	void **items;
	size_t cap, head, count;
	bool closed;
};

/* Returns false when out of memory. */
bool ps_queue_init(struct ps_queue *q, size_t cap);
void ps_queue_destroy(struct ps_queue *q);

/* Block while full; false when the queue is closed (item not taken). */
bool ps_queue_push(struct ps_queue *q, void *item);
/* Never blocks; false when full or closed. */
bool ps_queue_try_push(struct ps_queue *q, void *item);
/* Never blocks; NULL when empty. */
void *ps_queue_try_pop(struct ps_queue *q);
/* Block while empty and open; NULL once closed and empty. */
void *ps_queue_pop(struct ps_queue *q);
enum ps_pop { PS_POP_ITEM, PS_POP_TIMEOUT, PS_POP_CLOSED };
/* Wait at most `ms` milliseconds for an item. */
enum ps_pop ps_queue_pop_timed(struct ps_queue *q, unsigned ms, void **item);
void ps_queue_close(struct ps_queue *q);

#endif

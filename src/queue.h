/*
 * queue.h - a bounded multi-producer, multi-consumer queue of pointers.
 *
 * Any thread may push or pop.  The queue never owns the items; whoever
 * pops an item owns it.  Closing wakes every waiter: pops then drain what
 * is left and return NULL once empty.  Items may also carry a weight (the
 * findings a batch of results holds), and the queue may bound the weight
 * it holds, so that what waits in it is bounded in bytes, not only in
 * items.
 */
#ifndef PS_QUEUE_H
#define PS_QUEUE_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

struct ps_queue {
	pthread_mutex_t lock;
	pthread_cond_t not_empty, not_full;
	void **items;
	size_t *weights;
	size_t cap, head, count;
	size_t weight, max_weight;   /* held, and at most (0: no bound) */
	bool closed;
	atomic_size_t waiting;       /* pops blocked on an empty queue */
};

/* Returns false when out of memory. */
bool ps_queue_init(struct ps_queue *q, size_t cap);
void ps_queue_destroy(struct ps_queue *q);

/* Bound the weight held: a push waits until its weight fits, or until the
 * queue holds no weight at all (an item heavier than the bound still
 * goes, alone). */
void ps_queue_set_max_weight(struct ps_queue *q, size_t max_weight);

/* Block while full; false when the queue is closed (item not taken). */
bool ps_queue_push(struct ps_queue *q, void *item);
/* The same, for an item of that weight. */
bool ps_queue_push_weighted(struct ps_queue *q, void *item, size_t weight);
/* Never blocks; false when full or closed. */
bool ps_queue_try_push(struct ps_queue *q, void *item);
/* The same, the item to be taken before those already waiting. */
bool ps_queue_try_push_front(struct ps_queue *q, void *item);
/* Never blocks; NULL when empty. */
void *ps_queue_try_pop(struct ps_queue *q);
/* Block while empty and open; NULL once closed and empty. */
void *ps_queue_pop(struct ps_queue *q);
enum ps_pop { PS_POP_ITEM, PS_POP_TIMEOUT, PS_POP_CLOSED };
/* Wait at most `ms` milliseconds for an item. */
enum ps_pop ps_queue_pop_timed(struct ps_queue *q, unsigned ms, void **item);
void ps_queue_close(struct ps_queue *q);
/* Whether a pop waits for an item now (the queue is then empty): work a
 * thread holds is better shared.  A hint, read without the lock. */
static inline bool
ps_queue_starved(struct ps_queue *q)
{
	return atomic_load_explicit(&q->waiting, memory_order_relaxed) > 0;
}

#endif

/*
 * test_queue.c - the bounded queue: order of pushes to the back and to
 * the front, wrapping around its ring, refusal when full or closed,
 * weights holding a push back, and the count of pops waiting.
 */
#include "../unit/tap.h"

#include "queue.h"

#include <pthread.h>
#include <sched.h>

static int values[16];

static void
test_order(void)
{
	struct ps_queue q;
	int *got[8];
	size_t n = 0;
	void *it;

	ok(ps_queue_init(&q, 4), "init");
	/* Turn the ring once so that pushes to the front wrap below 0. */
	ok(ps_queue_try_push(&q, &values[0]) && ps_queue_try_pop(&q) == &values[0],
	    "one in, one out");
	ok(ps_queue_try_push(&q, &values[1]), "back 1");
	ok(ps_queue_try_push_front(&q, &values[2]), "front 2");
	ok(ps_queue_try_push(&q, &values[3]), "back 3");
	ok(ps_queue_try_push_front(&q, &values[4]), "front 4");
	ok(!ps_queue_try_push_front(&q, &values[5]), "front: full, refused");
	ok(!ps_queue_try_push(&q, &values[5]), "back: full, refused");
	while (n < 8 && (it = ps_queue_try_pop(&q)) != NULL)
		got[n++] = it;
	is_int(n, 4, "four taken");
	ok(n == 4 && got[0] == &values[4] && got[1] == &values[2] && got[2] == &values[1]
	    && got[3] == &values[3], "the front ones first, last pushed first; then the back ones in order");
	ps_queue_close(&q);
	ok(!ps_queue_try_push_front(&q, &values[6]), "front: closed, refused");
	ok(ps_queue_pop(&q) == NULL, "closed and empty: NULL");
	ps_queue_destroy(&q);
}

static void
test_weight(void)
{
	struct ps_queue q;
	void *it = NULL;

	ok(ps_queue_init(&q, 8), "init");
	ps_queue_set_max_weight(&q, 10);
	ok(ps_queue_push_weighted(&q, &values[0], 8), "weight 8 in");
	ok(ps_queue_try_push_front(&q, &values[1]), "an item of no weight goes in front");
	is_int(ps_queue_pop_timed(&q, 10, &it), PS_POP_ITEM, "timed pop");
	ok(it == &values[1], "... the front one");
	ps_queue_destroy(&q);
}

static void *
pop_one(void *arg)
{
	return ps_queue_pop(arg);
}

/* A pop blocked on the empty queue is seen waiting until an item comes. */
static void
test_starved(void)
{
	struct ps_queue q;
	pthread_t popper;
	void *got = NULL;

	ok(ps_queue_init(&q, 4), "init");
	ok(!ps_queue_starved(&q), "no pop waits: not starved");
	ok(pthread_create(&popper, NULL, pop_one, &q) == 0, "a thread pops");
	while (!ps_queue_starved(&q))
		sched_yield();
	ok(ps_queue_starved(&q), "its pop waits: starved");
	ok(ps_queue_try_push(&q, &values[7]), "an item in");
	pthread_join(popper, &got);
	ok(got == &values[7], "the waiting pop took it");
	ok(!ps_queue_starved(&q), "no pop waits again: not starved");
	ps_queue_destroy(&q);
}

int
main(void)
{
	test_order();
	test_weight();
	test_starved();
	return done_testing();
}

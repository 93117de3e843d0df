/*
 * walk.c - parallel directory traversal (see walk.h).
 */
#include "config.h"

#include "walk.h"
#include "inventory.h"
#include "shard.h"
#include "writer.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#define WORK_QUEUE_CAP 4096
#define VISITED_MIN    1024

/* A directory, or files: one file and those chained behind it (the files
 * of a directory travel in batches, one queue operation for many). */
struct item {
	char *path;
	struct stat st;         /* of the target, when via_link */
	bool have_stat;         /* else only st_mode is known (a regular file) */
	dev_t root_dev;
	bool via_link;          /* a symlink the walk chose to follow */
	/* For --shard: depth below its root (0 for a root), the length of
	 * the root's path (trailing '/' left out), and whether the entry
	 * itself is of this shard (a directory that is not is only walked
	 * through, to reach entries at the shard depth). */
	unsigned depth;
	size_t root_len;
	bool mine;
	/* The directory it was listed in, open, to open it by name (NULL: by
	 * path).  A directory holds a reference; of files, the first of a
	 * batch holds one for the whole chain. */
	struct dir_handle *dir;
	bool holds_dir;
	/* What the inventory holds of it, when the walk asked already. */
	bool looked_up;
	const struct ps_prior *prior;
	struct item *next;      /* more files of the batch, or NULL */
};

/* A directory listed, kept open while the files and directories listed
 * in it wait: opening them by name in it spares the kernel walking the
 * whole path again, and no rename or link swapped in above them since the
 * listing can send the walk elsewhere. */
struct dir_handle {
	int fd;
	atomic_uint refs;
	atomic_uint *open;      /* the walk's count of them */
};

/* Directories kept open at most, in all (the queue can hold the items of
 * many): 256, or a quarter of the descriptors the process may open when
 * that is less, so that files can still be opened.  Beyond, by path. */
#define DIR_HANDLES_MAX 256

#define FILE_BATCH 32

struct file_batch {
	struct item *head, *tail;
	size_t count;
	struct dir_handle *dir;         /* where they are listed, or NULL */
};

/* Directories entered when following symlinks: (dev, ino) pairs. */
struct visited {
	pthread_mutex_t lock;
	struct { dev_t dev; ino_t ino; bool used; } *slots;
	size_t cap, count;
};

struct walk {
	const struct ps_walk_config *cfg;
	struct ps_queue work;
	struct ps_queue *results;
	atomic_size_t pending;       /* items queued or being handled */
	atomic_uint dir_handles;     /* open (struct dir_handle) */
	unsigned max_dir_handles;
	atomic_bool *stop;
	struct visited visited;
};

struct worker_arg {
	struct walk *walk;
	struct ps_worker *tools;
	pthread_t thread;
};

static unsigned
max_dir_handles(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY
	    && rl.rlim_cur / 4 < DIR_HANDLES_MAX)
		return (unsigned)(rl.rlim_cur / 4);
	return DIR_HANDLES_MAX;
}

/* A handle on the directory open as fd, for its files: NULL when too
 * many are open already, or fd cannot be duplicated (then they are
 * opened by path).  The caller holds the one reference. */
static struct dir_handle *
dir_handle_new(struct walk *w, int fd)
{
	struct dir_handle *dh = NULL;

	if (atomic_fetch_add(&w->dir_handles, 1) >= w->max_dir_handles
	    || (dh = malloc(sizeof *dh)) == NULL
	    || (dh->fd = fcntl(fd, F_DUPFD_CLOEXEC, 0)) < 0) {
		free(dh);
		atomic_fetch_sub(&w->dir_handles, 1);
		return NULL;
	}
	atomic_init(&dh->refs, 1);
	dh->open = &w->dir_handles;
	return dh;
}

/* it keeps dh open until it is freed. */
static void
hold_dir(struct item *it, struct dir_handle *dh)
{
	atomic_fetch_add(&dh->refs, 1);
	it->dir = dh;
	it->holds_dir = true;
}

static void
dir_handle_unref(struct dir_handle *dh)
{
	if (dh == NULL || atomic_fetch_sub(&dh->refs, 1) != 1)
		return;
	close(dh->fd);
	atomic_fetch_sub(dh->open, 1);
	free(dh);
}

bool
ps_walk_excluded(const struct ps_walk_config *cfg, const char *path,
    const char *base)
{
	for (size_t i = 0; i < cfg->nexcludes; i++) {
		const char *pat = cfg->excludes[i];

		if (fnmatch(pat, strchr(pat, '/') != NULL ? path : base, 0) == 0)
			return true;
	}
	return false;
}

/* True when (dev, ino) was not seen before (and is now). */
static bool
visit_first(struct visited *v, dev_t dev, ino_t ino)
{
	bool first = true;
	size_t i;

	pthread_mutex_lock(&v->lock);
	if (v->count * 2 >= v->cap) {
		size_t cap = v->cap * 2;
		__typeof__(v->slots) slots = calloc(cap, sizeof *slots);

		if (slots == NULL) {
			pthread_mutex_unlock(&v->lock);
			return true; /* cannot remember: walk it (bounded by depth) */
		}
		for (size_t k = 0; k < v->cap; k++) {
			if (!v->slots[k].used)
				continue;
			i = ((size_t)v->slots[k].ino * 31 + (size_t)v->slots[k].dev) % cap;
			while (slots[i].used)
				i = (i + 1) % cap;
			slots[i] = v->slots[k];
		}
		free(v->slots);
		v->slots = slots;
		v->cap = cap;
	}
	i = ((size_t)ino * 31 + (size_t)dev) % v->cap;
	while (v->slots[i].used) {
		if (v->slots[i].dev == dev && v->slots[i].ino == ino) {
			first = false;
			break;
		}
		i = (i + 1) % v->cap;
	}
	if (first) {
		v->slots[i].dev = dev;
		v->slots[i].ino = ino;
		v->slots[i].used = true;
		v->count++;
	}
	pthread_mutex_unlock(&v->lock);
	return first;
}

/* This thread's results not yet handed to the writer. */
static _Thread_local struct ps_result_batch *pending;

static void
flush(struct walk *w)
{
	struct ps_result_batch *b = pending;

	/* Once pushed, the batch is the writer's: not to be touched again. */
	pending = NULL;
	if (b == NULL)
		return;
	if (b->count == 0 && b->nunchanged == 0)
		free(b);
	else if (!ps_queue_push_weighted(w->results, b, b->findings))
		ps_result_batch_free(b);
}

static bool
have_pending(void)
{
	return pending != NULL || (pending = calloc(1, sizeof *pending)) != NULL;
}

/* Hand over an unchanged file's id alone (ps_plan_carry_in_bulk). */
static bool
emit_unchanged(struct walk *w, int64_t file_id)
{
	if (!have_pending())
		return false;
	pending->unchanged[pending->nunchanged++] = file_id;
	if (pending->nunchanged == PS_UNCHANGED_BATCH)
		flush(w);
	return true;
}

static void
emit(struct walk *w, struct ps_file_result *r)
{
	if (r == NULL)
		return;
	if ((r->carry_in_bulk && emit_unchanged(w, r->prior_file_id)) || !have_pending()) {
		ps_file_result_free(r);
		return;
	}
	pending->items[pending->count++] = r;
	pending->findings += r->findings.count;
	if (pending->count == PS_RESULT_BATCH
	    || pending->findings >= PS_BATCH_MAX_FINDINGS)
		flush(w);
}

/* Record an entry that is not scanned. */
static void
emit_unscanned(struct walk *w, const char *path, const struct stat *st,
    const char *type, const char *status, const char *reason)
{
	char *copy = strdup(path);
	struct ps_file_result *r = copy != NULL ? ps_file_result_new(copy) : NULL;

	if (r == NULL)
		return;
	if (st != NULL) {
		r->st = *st;
		r->have_stat = true;
	}
	snprintf(r->type, sizeof r->type, "%s", type);
	ps_file_result_set(r, status, "%s", reason);
	emit(w, r);
}

static const char *
special_type(mode_t mode)
{
	if (S_ISFIFO(mode))
		return "fifo";
	if (S_ISSOCK(mode))
		return "socket";
	if (S_ISCHR(mode))
		return "character device";
	if (S_ISBLK(mode))
		return "block device";
	return "special";
}

/* Whether name is that of a file never scanned. */
static bool
skip_named(const struct ps_walk_config *cfg, const char *name)
{
	for (size_t i = 0; i < cfg->nskip; i++)
		if (strcmp(cfg->skip[i].name, name) == 0)
			return true;
	return false;
}

static bool
is_skipped(const struct walk *w, const struct stat *st)
{
	for (size_t i = 0; i < w->cfg->nskip; i++)
		if (w->cfg->skip[i].dev == st->st_dev && w->cfg->skip[i].ino == st->st_ino)
			return true;
	return false;
}

static void
scan_item(struct walk *w, struct ps_worker *tools, struct item *it)
{
	struct ps_file_result *r = ps_file_result_new(it->path);

	it->path = NULL;
	if (r == NULL)
		return;
	r->st = it->st;
	r->have_stat = it->have_stat;
	r->via_link = it->via_link;
	r->dirfd = it->dir != NULL ? it->dir->fd : -1;
	r->looked_up = it->looked_up;
	r->prior = it->prior;
	if (ps_scan_file(tools, r) == PS_ERR_NOMEM)
		ps_file_result_set(r, "error", "out of memory");
	emit(w, r);
}

static struct item *
item_new(const char *path, const struct stat *st, dev_t root_dev)
{
	struct item *it = malloc(sizeof *it);

	if (it == NULL || (it->path = strdup(path)) == NULL) {
		free(it);
		return NULL;
	}
	it->st = *st;
	it->have_stat = true;
	it->root_dev = root_dev;
	it->via_link = false;
	it->depth = 0;
	it->root_len = 0;
	it->mine = true;
	it->dir = NULL;
	it->holds_dir = false;
	it->looked_up = false;
	it->prior = NULL;
	it->next = NULL;
	return it;
}

static void
item_free(struct item *it)
{
	while (it != NULL) {
		struct item *next = it->next;

		if (it->holds_dir)
			dir_handle_unref(it->dir);
		free(it->path);
		free(it);
		it = next;
	}
}

/* Hand an item to the queue, or back to the caller (false) when full.
 * Files go before the directories waiting: a tree is then read a
 * directory's files at a time, not every directory first, and results
 * reach the writer as the walk goes rather than in a flood at its end
 * (on a rescan, where listing a directory stats its files, the writer
 * had half of its work left when the walk ended). */
static bool
offer(struct walk *w, struct item *it, bool first)
{
	atomic_fetch_add(&w->pending, 1);
	if (first ? ps_queue_try_push_front(&w->work, it) : ps_queue_try_push(&w->work, it))
		return true;
	atomic_fetch_sub(&w->pending, 1);
	return false;
}

struct dir_stack {
	struct item **items;
	size_t count, cap;
};

static bool
stack_push(struct dir_stack *s, struct item *it)
{
	if (s->count == s->cap) {
		size_t cap = s->cap == 0 ? 16 : s->cap * 2;
		struct item **items = realloc(s->items, cap * sizeof *items);

		if (items == NULL)
			return false;
		s->items = items;
		s->cap = cap;
	}
	s->items[s->count++] = it;
	return true;
}

/* Hand half of the files after it in its chain to the queue, for a
 * worker that waits for work: a batch holds up to FILE_BATCH files, and
 * scanning all of them here, however long they take, would leave that
 * worker idle (a directory of a few large documents, or a tree's last
 * batch).  Only a chain of two or more is split: one more file goes
 * no faster elsewhere. */
static void
share_rest(struct walk *w, struct item *it)
{
	struct item *keep_last = it, *rest;
	size_t after = 0;

	for (const struct item *f = it->next; f != NULL; f = f->next)
		after++;
	if (after < 2)
		return;
	for (size_t i = 0; i < (after + 1) / 2; i++)
		keep_last = keep_last->next;
	rest = keep_last->next;
	if (rest->dir != NULL)
		hold_dir(rest, rest->dir);
	keep_last->next = NULL;
	if (!offer(w, rest, true))
		keep_last->next = rest;  /* full after all: kept, still held */
}

/* Scan every file of a chain, in this thread, sharing it when another
 * worker runs out of work. */
static void
scan_files(struct walk *w, struct ps_worker *tools, struct item *it)
{
	for (; it != NULL && !atomic_load(w->stop); it = it->next) {
		scan_item(w, tools, it);
		if (it->next != NULL && ps_queue_starved(&w->work))
			share_rest(w, it);
	}
}

/* Hand the batch to the queue, or scan it here when the queue is full. */
static void
flush_files(struct walk *w, struct ps_worker *tools, struct file_batch *b)
{
	struct item *head = b->head;

	b->head = b->tail = NULL;
	b->count = 0;
	if (head == NULL || offer(w, head, true))
		return;
	scan_files(w, tools, head);
	item_free(head);
}

/* Where an entry is in its root's tree, for --shard. */
struct place {
	unsigned depth;
	size_t root_len;
	bool mine;      /* of this shard: recorded and scanned here */
};

/* Whether path, at depth below a root whose path is root_len bytes long,
 * belongs to this shard (shard.h: the key is its root-relative path up to
 * the shard depth; a root is keyed by its absolute path).  Entries below
 * the shard depth are reached only through a directory of this shard. */
static bool
owns(const struct ps_walk_config *cfg, const char *path, unsigned depth,
    size_t root_len)
{
	const char *rel;

	if (cfg->shard.count <= 1 || depth > cfg->shard.depth)
		return true;
	if (depth == 0)
		return ps_shard_of_key(path, strlen(path), cfg->shard.count)
		    == cfg->shard.index;
	rel = path + root_len + 1;
	return ps_shard_of_key(rel, strlen(rel), cfg->shard.count) == cfg->shard.index;
}

static void
handle_entry(struct walk *w, struct ps_worker *tools, struct dir_stack *stack,
    struct file_batch *files, const char *path, const char *base,
    const struct stat *lst, bool have_stat, dev_t root_dev,
    const struct place *at)
{
	const struct ps_walk_config *cfg = w->cfg;
	struct stat st = *lst;
	struct item *it;
	const struct ps_prior *prior = NULL;
	bool looked_up = false;
	int64_t unchanged_id;

	if (ps_walk_excluded(cfg, path, base))
		return;
	if (S_ISLNK(st.st_mode)) {
		if (!cfg->follow_symlinks) {
			if (at->mine)
				emit_unscanned(w, path, lst, "symlink", "skipped", "symlink");
			return;
		}
		if (stat(path, &st) != 0) {
			if (at->mine)
				emit_unscanned(w, path, lst, "symlink", "error",
				    errno == ENOENT ? "dangling symlink" : strerror(errno));
			return;
		}
	}
	if (is_skipped(w, &st))
		return;
	if (S_ISDIR(st.st_mode)) {
		if (cfg->one_file_system && st.st_dev != root_dev) {
			if (at->mine)
				emit_unscanned(w, path, &st, "directory", "skipped",
				    "other file system");
			return;
		}
		if (cfg->follow_symlinks && !visit_first(&w->visited, st.st_dev, st.st_ino))
			return; /* a loop, or a tree already walked */
	} else if (!at->mine) {
		return; /* another shard's file */
	} else if (!S_ISREG(st.st_mode)) {
		emit_unscanned(w, path, &st, special_type(st.st_mode), "skipped",
		    "not a regular file");
		return;
	}
	/* Most of a rescan: a file known unchanged, with nothing to record
	 * but this scan, goes to the writer as its id, from here. */
	if (have_stat && S_ISREG(lst->st_mode)) {
		looked_up = true;
		if ((unchanged_id = ps_plan_carry_in_bulk(&cfg->plan, path, &st, &prior)) > 0
		    && emit_unchanged(w, unchanged_id))
			return;
	}
	if ((it = item_new(path, &st, root_dev)) == NULL) {
		if (at->mine)
			emit_unscanned(w, path, have_stat ? &st : NULL, "", "error",
			    "out of memory");
		return;
	}
	it->have_stat = have_stat;
	it->via_link = S_ISLNK(lst->st_mode);
	it->looked_up = looked_up;
	it->prior = prior;
	it->depth = at->depth;
	it->root_len = at->root_len;
	it->mine = at->mine;
	if (!S_ISDIR(st.st_mode)) {
		if (files->tail != NULL) {
			files->tail->next = it;
			it->dir = files->dir;
		} else {
			files->head = it;
			if (files->dir != NULL)
				hold_dir(it, files->dir);
		}
		files->tail = it;
		if (++files->count == FILE_BATCH)
			flush_files(w, tools, files);
		return;
	}
	/* A directory is opened by name in this one, too. */
	if (files->dir != NULL)
		hold_dir(it, files->dir);
	if (offer(w, it, false))
		return;
	/* The queue is full: this worker walks the directory itself. */
	if (!stack_push(stack, it)) {
		if (at->mine)
			emit_unscanned(w, path, &st, "directory", "error", "out of memory");
		item_free(it);
	}
}

/* Open the directory dir for listing: by name in its parent as listed
 * when that is still open, else by path. */
static int
open_dir(const struct item *dir, int flags)
{
	const char *name = ps_base_name(dir->path);

	flags |= O_RDONLY | O_DIRECTORY | O_NOCTTY | O_CLOEXEC;
	if (dir->dir != NULL && name != dir->path && name[0] != '\0')
		return openat(dir->dir->fd, name, flags);
	return open(dir->path, flags);
}

static void
walk_dir(struct walk *w, struct ps_worker *tools, struct dir_stack *stack,
    const struct item *dir)
{
	size_t dirlen = strlen(dir->path);
	char *path = NULL;
	size_t pathcap = 0;
	struct file_batch files = { NULL, NULL, 0, NULL };
	bool first_scan = ps_lookup_count(w->cfg->plan.known) == 0;
	struct place at = { dir->depth + 1, dir->root_len, true };
	struct dirent *e;
	DIR *d;
	int fd;

	fd = open_dir(dir, O_NOATIME | (w->cfg->follow_symlinks ? 0 : O_NOFOLLOW));
	/* Reading a directory touches its access time too, where O_NOATIME
	 * is not permitted. */
	if (fd < 0 && errno == EPERM)
		fd = open_dir(dir, w->cfg->follow_symlinks ? 0 : O_NOFOLLOW);
	if (fd < 0 || (d = fdopendir(fd)) == NULL) {
		if (dir->mine)
			emit_unscanned(w, dir->path, &dir->st, "directory", "error",
			    strerror(errno));
		if (fd >= 0)
			close(fd);
		return;
	}
	files.dir = dir_handle_new(w, fd);
	if (dirlen > 0 && dir->path[dirlen - 1] == '/')
		dirlen--;
	if (w->cfg->status != NULL) {
		pthread_mutex_lock(&w->cfg->status->lock);
		snprintf(w->cfg->status->dir, sizeof w->cfg->status->dir, "%s", dir->path);
		pthread_mutex_unlock(&w->cfg->status->lock);
	}
	for (;;) {
		struct stat st;
		size_t need;

		if (atomic_load(w->stop))
			break;
		errno = 0;
		if ((e = readdir(d)) == NULL) {
			if (errno != 0 && dir->mine)
				emit_unscanned(w, dir->path, &dir->st, "directory",
				    "error", strerror(errno));
			break;
		}
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		need = dirlen + strlen(e->d_name) + 2;
		if (need > pathcap) {
			char *grown = realloc(path, need * 2);

			if (grown == NULL)
				break;
			path = grown;
			pathcap = need * 2;
		}
		memcpy(path, dir->path, dirlen);
		path[dirlen] = '/';
		strcpy(path + dirlen + 1, e->d_name);
		at.mine = owns(w->cfg, path, at.depth, at.root_len);
		/* Another shard's entry: at the shard depth its whole subtree
		 * is another shard's, and above it only a directory (or a
		 * link that may lead to one) is walked through. */
		if (!at.mine && (at.depth == w->cfg->shard.depth
		    || (e->d_type != DT_DIR && e->d_type != DT_UNKNOWN
			&& (e->d_type != DT_LNK || !w->cfg->follow_symlinks))))
			continue;
		/* In a first scan, a regular file is opened and fstat()ed by
		 * the scan: no stat of its own here.  A rescan compares what it
		 * knows with a stat, cheaper here (by name in the directory). */
		if (first_scan && e->d_type == DT_REG && !skip_named(w->cfg, e->d_name)) {
			memset(&st, 0, sizeof st);
			st.st_mode = S_IFREG;
			handle_entry(w, tools, stack, &files, path, e->d_name, &st,
			    false, dir->root_dev, &at);
			continue;
		}
		if (fstatat(fd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
			/* Gone between readdir and stat: say so once. */
			if (at.mine)
				emit_unscanned(w, path, NULL, "", "error", strerror(errno));
			continue;
		}
		handle_entry(w, tools, stack, &files, path, e->d_name, &st,
		    true, dir->root_dev, &at);
	}
	flush_files(w, tools, &files);
	dir_handle_unref(files.dir);
	free(path);
	closedir(d);
}

static void
handle_item(struct walk *w, struct ps_worker *tools, struct item *it)
{
	struct dir_stack stack = { 0 };

	if (!S_ISDIR(it->st.st_mode)) {
		scan_files(w, tools, it);
		return;
	}
	walk_dir(w, tools, &stack, it);
	while (stack.count > 0) {
		struct item *sub = stack.items[--stack.count];

		if (!atomic_load(w->stop))
			walk_dir(w, tools, &stack, sub);
		item_free(sub);
	}
	free(stack.items);
}

static void *
worker_main(void *arg)
{
	struct worker_arg *wa = arg;
	struct walk *w = wa->walk;
	struct item *it;

	for (;;) {
		/* Results wait in this thread's batch while there is work; they
		 * go to the writer before the thread waits for more. */
		if ((it = ps_queue_try_pop(&w->work)) == NULL) {
			flush(w);
			if ((it = ps_queue_pop(&w->work)) == NULL)
				break;
		}
		if (!atomic_load(w->stop))
			handle_item(w, wa->tools, it);
		item_free(it);
		if (atomic_fetch_sub(&w->pending, 1) == 1) {
			flush(w);
			ps_queue_close(&w->work);
		}
	}
	flush(w);
	return NULL;
}

/* A root named on the command line: followed if it is a symlink.  A
 * root that is a file, or cannot be read, belongs to the shard of its
 * absolute path; a directory is walked by every shard. */
static void
seed_root(struct walk *w, const char *root)
{
	bool mine = owns(w->cfg, root, 0, 0);
	struct stat st;
	struct item *it;
	size_t len = strlen(root);

	if (stat(root, &st) != 0) {
		if (mine)
			emit_unscanned(w, root, NULL, "", "error", strerror(errno));
		return;
	}
	if (!S_ISDIR(st.st_mode) && !mine)
		return;
	if (!S_ISDIR(st.st_mode) && !S_ISREG(st.st_mode)) {
		emit_unscanned(w, root, &st, special_type(st.st_mode), "skipped",
		    "not a regular file");
		return;
	}
	if (S_ISDIR(st.st_mode) && w->cfg->follow_symlinks)
		visit_first(&w->visited, st.st_dev, st.st_ino);
	if ((it = item_new(root, &st, st.st_dev)) == NULL)
		return;
	/* Entries are named root + '/' + ...; "/" gives "/etc". */
	while (len > 0 && root[len - 1] == '/')
		len--;
	it->root_len = len;
	it->mine = mine;
	atomic_fetch_add(&w->pending, 1);
	/* Workers are not started yet: the queue has room or this blocks
	 * until they start taking. */
	if (!ps_queue_push(&w->work, it)) {
		atomic_fetch_sub(&w->pending, 1);
		item_free(it);
	}
}

enum ps_error
ps_walk_run(const struct ps_walk_config *cfg, const struct ps_patterns *set,
    const struct ps_key *key, char *const *roots, size_t nroots,
    struct ps_queue *results, atomic_bool *stop, char *why, size_t whylen)
{
	struct walk w = { 0 };
	struct worker_arg *workers = NULL;
	enum ps_error err = PS_OK;
	unsigned started = 0;

	w.cfg = cfg;
	w.results = results;
	w.stop = stop;
	w.max_dir_handles = max_dir_handles();
	atomic_init(&w.pending, 1); /* held by the seeding below */
	pthread_mutex_init(&w.visited.lock, NULL);
	w.visited.cap = VISITED_MIN;
	w.visited.slots = calloc(w.visited.cap, sizeof *w.visited.slots);
	workers = calloc(cfg->threads, sizeof *workers);
	if (w.visited.slots == NULL || workers == NULL
	    || !ps_queue_init(&w.work, WORK_QUEUE_CAP)) {
		snprintf(why, whylen, "out of memory");
		err = PS_ERR_NOMEM;
		goto done;
	}
	for (unsigned i = 0; i < cfg->threads; i++) {
		workers[i].walk = &w;
		workers[i].tools = ps_worker_new(set, key, &cfg->limits, &cfg->plan,
		    stop, why, whylen);
		if (workers[i].tools == NULL) {
			err = PS_ERR_NOMEM;
			goto done;
		}
	}
	for (unsigned i = 0; i < cfg->threads; i++) {
		if (pthread_create(&workers[i].thread, NULL, worker_main, &workers[i]) != 0)
			break;
		started++;
	}
	if (started == 0) {
		snprintf(why, whylen, "cannot start threads: %s", strerror(errno));
		err = PS_ERR_NOMEM;
		goto done;
	}
	for (size_t i = 0; i < nroots; i++)
		seed_root(&w, roots[i]);
	flush(&w);
	if (atomic_fetch_sub(&w.pending, 1) == 1)
		ps_queue_close(&w.work);
	for (unsigned i = 0; i < started; i++)
		pthread_join(workers[i].thread, NULL);
done:
	if (workers != NULL)
		for (unsigned i = 0; i < cfg->threads; i++)
			ps_worker_free(workers[i].tools);
	free(workers);
	if (w.work.items != NULL) {
		struct item *it;

		ps_queue_close(&w.work);
		while ((it = ps_queue_pop(&w.work)) != NULL)
			item_free(it);
		ps_queue_destroy(&w.work);
	}
	free(w.visited.slots);
	pthread_mutex_destroy(&w.visited.lock);
	return err;
}

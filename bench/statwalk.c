/*
 * statwalk.c - the least an unchanged rescan has to do, and nothing
 * more: list every directory under the roots and stat every entry
 * (fstatat relative to its directory: device, inode, size, mtime and
 * ctime are what a rescan compares), on N threads that share the
 * directories still to list.  bench/run.sh times it beside piiscan's
 * rescan: the floor no rescan goes under on the machine.
 *
 * usage: statwalk [-j N] DIR...      prints "N entries"
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Directories to list, and how many are listed or waiting. */
static struct {
	pthread_mutex_t lock;
	pthread_cond_t more;
	char **paths;
	size_t count, cap, unfinished;
	unsigned long long entries;
} todo = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, NULL, 0, 0, 0, 0 };

static void
push(char *path)
{
	pthread_mutex_lock(&todo.lock);
	if (todo.count == todo.cap) {
		todo.cap = todo.cap * 2 + 64;
		if ((todo.paths = realloc(todo.paths, todo.cap * sizeof *todo.paths)) == NULL) {
			perror("statwalk");
			exit(2);
		}
	}
	todo.paths[todo.count++] = path;
	todo.unfinished++;
	pthread_cond_signal(&todo.more);
	pthread_mutex_unlock(&todo.lock);
}

/* The next directory to list, or NULL once every one is listed. */
static char *
pop(void)
{
	char *path = NULL;

	pthread_mutex_lock(&todo.lock);
	while (todo.count == 0 && todo.unfinished > 0)
		pthread_cond_wait(&todo.more, &todo.lock);
	if (todo.count > 0)
		path = todo.paths[--todo.count];
	pthread_mutex_unlock(&todo.lock);
	return path;
}

static void
finished(unsigned long long entries)
{
	pthread_mutex_lock(&todo.lock);
	todo.entries += entries;
	if (--todo.unfinished == 0)
		pthread_cond_broadcast(&todo.more);
	pthread_mutex_unlock(&todo.lock);
}

static void *
worker(void *arg)
{
	char *path;

	(void)arg;
	while ((path = pop()) != NULL) {
		int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
		unsigned long long entries = 0;
		struct dirent *e;

		while (d != NULL && (e = readdir(d)) != NULL) {
			struct stat st;
			char *sub;

			if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0
			    || fstatat(fd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0)
				continue;
			entries++;
			if (S_ISDIR(st.st_mode) && asprintf(&sub, "%s/%s", path, e->d_name) >= 0)
				push(sub);
		}
		if (d != NULL)
			closedir(d);
		else if (fd >= 0)
			close(fd);
		free(path);
		finished(entries);
	}
	return NULL;
}

int
main(int argc, char **argv)
{
	int threads = 2, first = 1;
	pthread_t *t;

	if (argc > 2 && strcmp(argv[1], "-j") == 0) {
		threads = atoi(argv[2]);
		first = 3;
	}
	if (first >= argc || threads < 1 || threads > 256) {
		fprintf(stderr, "usage: statwalk [-j N] DIR...\n");
		return 2;
	}
	for (int i = first; i < argc; i++) {
		char *root = strdup(argv[i]);

		if (root == NULL)
			return 2;
		push(root);
	}
	if ((t = calloc((size_t)threads, sizeof *t)) == NULL)
		return 2;
	for (int i = 0; i < threads; i++)
		if (pthread_create(&t[i], NULL, worker, NULL) != 0)
			return 2;
	for (int i = 0; i < threads; i++)
		pthread_join(t[i], NULL);
	printf("%llu entries\n", todo.entries);
	free(t);
	free(todo.paths);
	return 0;
}

/*
 * runlimit.c - run a command with a time limit and report its peak memory.
 *
 * usage: runlimit SECONDS MAX_RSS_MIB COMMAND [ARG...]
 *
 * Exits with the command's status; 124 when it ran longer than SECONDS
 * (it is killed), 125 when its peak resident size exceeded MAX_RSS_MIB,
 * 126 when it died of a signal.  Prints "runlimit: peak RSS N MiB, T s"
 * on stderr when RUNLIMIT_VERBOSE is set.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t timed_out;

static void
on_alarm(int sig)
{
	(void)sig;
	timed_out = 1;
}

int
main(int argc, char **argv)
{
	struct sigaction sa;
	struct rusage ru;
	struct timespec t0, t1;
	long seconds, max_mib;
	pid_t pid;
	int status;

	if (argc < 4) {
		fprintf(stderr, "usage: runlimit SECONDS MAX_RSS_MIB COMMAND [ARG...]\n");
		return 2;
	}
	seconds = strtol(argv[1], NULL, 10);
	max_mib = strtol(argv[2], NULL, 10);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if ((pid = fork()) < 0) {
		perror("runlimit: fork");
		return 2;
	}
	if (pid == 0) {
		/* Its own process group, so that a time-out kills all of it. */
		setpgid(0, 0);
		execvp(argv[3], argv + 3);
		fprintf(stderr, "runlimit: %s: %s\n", argv[3], strerror(errno));
		_exit(127);
	}
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);
	alarm((unsigned)seconds);
	while (wait4(pid, &status, 0, &ru) < 0) {
		if (errno != EINTR) {
			perror("runlimit: wait");
			return 2;
		}
		if (timed_out) {
			kill(-pid, SIGKILL);
			kill(pid, SIGKILL);
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (getenv("RUNLIMIT_VERBOSE") != NULL)
		fprintf(stderr, "runlimit: peak RSS %ld MiB, %.3f s\n",
		    ru.ru_maxrss / 1024, (double)(t1.tv_sec - t0.tv_sec)
		    + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	if (timed_out)
		return 124;
	if (ru.ru_maxrss / 1024 > max_mib)
		return 125;
	if (WIFSIGNALED(status))
		return 126;
	return WEXITSTATUS(status);
}

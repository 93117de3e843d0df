/*
 * shardof.c - the shard of each root-relative path read from stdin, as
 * piiscan scan --shard K/N --shard-depth D decides it (src/shard.c).
 *
 * usage: shardof N D < paths
 *   each input line is a relative path, optionally followed by a tab and
 *   anything (a size, say); each output line is "K<tab>" and the line.
 * For the tests (which shard holds a file) and bench/shards.sh (balance).
 */
#include "config.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shard.h"

int
main(int argc, char **argv)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	unsigned count, depth;

	if (argc != 3 || (count = (unsigned)atoi(argv[1])) == 0
	    || (depth = (unsigned)atoi(argv[2])) == 0) {
		fprintf(stderr, "usage: shardof N DEPTH < paths\n");
		return 2;
	}
	if (sodium_init() < 0)
		return 2;
	while ((n = getline(&line, &cap, stdin)) > 0) {
		char *tab;
		size_t len;

		if (line[n - 1] == '\n')
			line[--n] = '\0';
		tab = strchr(line, '\t');
		if (tab != NULL)
			*tab = '\0';
		len = ps_shard_key_len(line, depth);
		printf("%u\t%s", ps_shard_of_key(line, len, count), line);
		if (tab != NULL)
			printf("\t%s", tab + 1);
		putchar('\n');
	}
	free(line);
	return 0;
}

/*
 * driver.c - runs a fuzz target on saved inputs, without libFuzzer: each
 * argument is a file, or a directory whose files are inputs.  make check
 * runs every target this way on tests/fuzz/corpus/TARGET (seeds and the
 * reproducers of what fuzzing found), under the sanitizers when the build
 * has them.  Prints "N inputs"; exits 1 when an input cannot be read.
 */
#include "config.h"

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
run_file(const char *path)
{
	FILE *fp = fopen(path, "rb");
	unsigned char *data = NULL;
	size_t len = 0, cap = 0, n;

	if (fp == NULL) {
		fprintf(stderr, "driver: cannot open '%s'\n", path);
		return -1;
	}
	do {
		if (len == cap) {
			unsigned char *grown = realloc(data, cap = cap * 2 + 65536);

			if (grown == NULL) {
				free(data);
				fclose(fp);
				return -1;
			}
			data = grown;
		}
		n = fread(data + len, 1, cap - len, fp);
		len += n;
	} while (n > 0);
	fclose(fp);
	LLVMFuzzerTestOneInput(data, len);
	free(data);
	return 1;
}

int
main(int argc, char **argv)
{
	long inputs = 0;
	int status = 0;

	for (int i = 1; i < argc; i++) {
		struct stat st;
		DIR *d;
		struct dirent *e;

		if (stat(argv[i], &st) != 0 || !S_ISDIR(st.st_mode)) {
			int rc = run_file(argv[i]);

			inputs += rc > 0;
			status |= rc < 0;
			continue;
		}
		if ((d = opendir(argv[i])) == NULL) {
			status = 1;
			continue;
		}
		while ((e = readdir(d)) != NULL) {
			char path[4096];
			int rc;

			if (e->d_name[0] == '.')
				continue;
			snprintf(path, sizeof path, "%s/%s", argv[i], e->d_name);
			rc = run_file(path);
			inputs += rc > 0;
			status |= rc < 0;
		}
		closedir(d);
	}
	printf("%ld inputs\n", inputs);
	return status;
}

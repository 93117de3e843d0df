/*
 * olegen.c - writes OLE2 compound files for the tests (libgsf).
 *
 * usage: olegen make OUT NAME=FILE...   a compound file of those streams
 *                                      (at the root, in that order)
 *        olegen repack IN OUT [DROP...]  the streams at IN's root but
 *                                      those named, copied into a new,
 *                                      compact file (office suites leave
 *                                      unused sectors)
 *        olegen list IN                the streams at IN's root and sizes
 *
 * Test-only code: it exits on the first error, with a message.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsf/gsf-infile-msole.h>
#include <gsf/gsf-infile.h>
#include <gsf/gsf-input-stdio.h>
#include <gsf/gsf-outfile-msole.h>
#include <gsf/gsf-outfile.h>
#include <gsf/gsf-output-stdio.h>
#include <gsf/gsf-utils.h>

static void __attribute__((noreturn, format(printf, 1, 2)))
die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("olegen: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(1);
}

static GsfOutfile *
create(const char *path)
{
	GError *err = NULL;
	GsfOutput *out = gsf_output_stdio_new(path, &err);
	GsfOutfile *ole;

	if (out == NULL)
		die("%s: %s", path, err->message);
	ole = gsf_outfile_msole_new(out);
	g_object_unref(out);
	return ole;
}

static void
add(GsfOutfile *ole, const char *name, const void *data, size_t len)
{
	GsfOutput *s = gsf_outfile_new_child(ole, name, FALSE);

	if (s == NULL || (len > 0 && !gsf_output_write(s, len, data)) || !gsf_output_close(s))
		die("cannot write stream %s", name);
	g_object_unref(s);
}

static void
finish(GsfOutfile *ole)
{
	if (!gsf_output_close(GSF_OUTPUT(ole)))
		die("cannot close the compound file");
	g_object_unref(ole);
}

static void
make(const char *out, int argc, char **argv)
{
	GsfOutfile *ole = create(out);

	for (int i = 0; i < argc; i++) {
		char *eq = strchr(argv[i], '=');
		FILE *fp;
		char *buf;
		long len;

		if (eq == NULL)
			die("NAME=FILE expected: %s", argv[i]);
		*eq = '\0';
		if ((fp = fopen(eq + 1, "rb")) == NULL || fseek(fp, 0, SEEK_END) != 0
		    || (len = ftell(fp)) < 0 || fseek(fp, 0, SEEK_SET) != 0)
			die("cannot read %s", eq + 1);
		if ((buf = malloc((size_t)len + 1)) == NULL
		    || fread(buf, 1, (size_t)len, fp) != (size_t)len)
			die("cannot read %s", eq + 1);
		fclose(fp);
		add(ole, argv[i], buf, (size_t)len);
		free(buf);
	}
	finish(ole);
}

static void
repack(const char *in, const char *out, int ndrop, char **drop)
{
	GError *err = NULL;
	GsfInput *src = gsf_input_stdio_new(in, &err);
	GsfInfile *ole;
	GsfOutfile *dst;

	if (src == NULL || (ole = gsf_infile_msole_new(src, &err)) == NULL)
		die("%s: %s", in, err != NULL ? err->message : "cannot open");
	dst = out != NULL ? create(out) : NULL;
	for (int i = 0; i < gsf_infile_num_children(ole); i++) {
		GsfInput *c = gsf_infile_child_by_index(ole, i);
		gsf_off_t size = gsf_input_size(c);
		const unsigned char *data = size > 0 ? gsf_input_read(c, (size_t)size, NULL) : NULL;
		bool dropped = false;

		for (int k = 0; k < ndrop; k++)
			dropped |= strcmp(drop[k], gsf_infile_name_by_index(ole, i)) == 0;
		if (dst == NULL) {
			printf("%s\t%lld\n", gsf_infile_name_by_index(ole, i), (long long)size);
			g_object_unref(c);
			continue;
		}
		if (dropped) {
			g_object_unref(c);
			continue;
		}

		if (gsf_infile_num_children(GSF_INFILE(c)) >= 0)
			die("%s: storages are not copied", gsf_infile_name_by_index(ole, i));
		if (size > 0 && data == NULL)
			die("cannot read stream %s", gsf_infile_name_by_index(ole, i));
		add(dst, gsf_infile_name_by_index(ole, i), data, (size_t)size);
		g_object_unref(c);
	}
	if (dst != NULL)
		finish(dst);
	g_object_unref(ole);
	g_object_unref(src);
}

int
main(int argc, char **argv)
{
	gsf_init();
	if (argc >= 3 && strcmp(argv[1], "make") == 0)
		make(argv[2], argc - 3, argv + 3);
	else if (argc >= 4 && strcmp(argv[1], "repack") == 0)
		repack(argv[2], argv[3], argc - 4, argv + 4);
	else if (argc == 3 && strcmp(argv[1], "list") == 0)
		repack(argv[2], NULL, 0, NULL);
	else
		die("usage: olegen make OUT NAME=FILE... | olegen repack IN OUT [DROP...] | olegen list IN");
	return 0;
}

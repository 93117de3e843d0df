/*
 * mkarchive.c - writes tar and cpio archives and compressed streams for
 * the tests with libarchive, the same bytes on every run (times, owners
 * and modes fixed), so that no test needs tar, cpio, xz or zstd
 * installed.
 *
 * usage: mkarchive FORMAT[+FILTER] OUT NAME=FILE...
 *            FORMAT ustar, pax, gnutar, v7tar, cpio (newc), odc (old
 *            cpio) or 7zip; FILTER gzip, bzip2, xz, lzma, zstd, lz4 or compress;
 *            each FILE a member called NAME
 *        mkarchive raw+FILTER OUT FILE
 *            FILE as one compressed stream
 *        mkarchive sparse OUT NAME MIB FILE
 *            a pax tar of one member NAME of MIB MiB: FILE's bytes, then
 *            a hole (zeros that take no room in the archive)
 */
#include <archive.h>
#include <archive_entry.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void
die(struct archive *a, const char *what)
{
	fprintf(stderr, "mkarchive: %s%s%s\n", what, a != NULL ? ": " : "",
	    a != NULL && archive_error_string(a) != NULL ? archive_error_string(a) : "");
	exit(2);
}

static unsigned char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	unsigned char *p = NULL;
	size_t cap = 0;
	size_t n;

	*len = 0;
	if (f == NULL)
		die(NULL, path);
	do {
		if (*len == cap && (p = realloc(p, cap = cap * 2 + 65536)) == NULL)
			die(NULL, "out of memory");
		n = fread(p + *len, 1, cap - *len, f);
		*len += n;
	} while (n > 0);
	fclose(f);
	return p;
}

static void
set_format(struct archive *a, const char *format)
{
	static const struct {
		const char *name;
		int code;
	} formats[] = {
		{ "ustar", ARCHIVE_FORMAT_TAR_USTAR },
		{ "pax", ARCHIVE_FORMAT_TAR_PAX_RESTRICTED },
		{ "gnutar", ARCHIVE_FORMAT_TAR_GNUTAR },
		{ "v7tar", ARCHIVE_FORMAT_TAR },
		{ "cpio", ARCHIVE_FORMAT_CPIO_SVR4_NOCRC },
		{ "odc", ARCHIVE_FORMAT_CPIO_POSIX },
		{ "7zip", ARCHIVE_FORMAT_7ZIP },
		{ "raw", ARCHIVE_FORMAT_RAW },
	};

	for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++)
		if (strcmp(formats[i].name, format) == 0) {
			if (archive_write_set_format(a, formats[i].code) != ARCHIVE_OK)
				die(a, format);
			return;
		}
	die(NULL, "unknown format");
}

static void
set_filter(struct archive *a, const char *filter)
{
	int rc;

	if (filter == NULL)
		return;
	if (strcmp(filter, "gzip") == 0) {
		rc = archive_write_add_filter_gzip(a);
		/* No name or time in the gzip header: the same bytes each run. */
		if (rc == ARCHIVE_OK)
			rc = archive_write_set_filter_option(a, "gzip", "timestamp", NULL);
	} else if (strcmp(filter, "bzip2") == 0)
		rc = archive_write_add_filter_bzip2(a);
	else if (strcmp(filter, "xz") == 0)
		rc = archive_write_add_filter_xz(a);
	else if (strcmp(filter, "lzma") == 0)
		rc = archive_write_add_filter_lzma(a);
	else if (strcmp(filter, "zstd") == 0)
		rc = archive_write_add_filter_zstd(a);
	else if (strcmp(filter, "lz4") == 0)
		rc = archive_write_add_filter_lz4(a);
	else if (strcmp(filter, "compress") == 0)
		rc = archive_write_add_filter_compress(a);
	else
		die(NULL, "unknown filter");
	if (rc != ARCHIVE_OK)
		die(a, filter);
}

static struct archive_entry *
new_entry(const char *name, int64_t size)
{
	struct archive_entry *e = archive_entry_new();

	if (e == NULL)
		die(NULL, "out of memory");
	archive_entry_set_pathname(e, name);
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, 0644);
	archive_entry_set_size(e, size);
	archive_entry_set_mtime(e, 1700000000, 0);
	return e;
}

static void
add(struct archive *a, const char *name, const unsigned char *data, size_t len)
{
	struct archive_entry *e = new_entry(name, (int64_t)len);

	if (archive_write_header(a, e) != ARCHIVE_OK
	    || (len > 0 && archive_write_data(a, data, len) != (la_ssize_t)len))
		die(a, name);
	archive_entry_free(e);
}

int
main(int argc, char **argv)
{
	struct archive *a;
	char *format, *filter;
	unsigned char *data;
	size_t len;

	if (argc < 4) {
		fprintf(stderr, "usage: mkarchive FORMAT[+FILTER] OUT NAME=FILE...\n"
		    "       mkarchive raw+FILTER OUT FILE\n"
		    "       mkarchive sparse OUT NAME MIB FILE\n");
		return 2;
	}
	format = argv[1];
	if ((filter = strchr(format, '+')) != NULL)
		*filter++ = '\0';
	if ((a = archive_write_new()) == NULL)
		die(NULL, "out of memory");
	set_format(a, strcmp(format, "sparse") == 0 ? "pax" : format);
	set_filter(a, filter);
	/* Ours, not libarchive's default 10 KiB blocks: the tests cut and
	 * garble archives at known offsets. */
	archive_write_set_bytes_in_last_block(a, 1);
	if (archive_write_open_filename(a, argv[2]) != ARCHIVE_OK)
		die(a, argv[2]);
	if (strcmp(format, "sparse") == 0) {
		int64_t size;
		struct archive_entry *e;

		if (argc != 6)
			die(NULL, "sparse: OUT NAME MIB FILE");
		data = slurp(argv[5], &len);
		size = (int64_t)atoi(argv[4]) << 20;
		if ((int64_t)len > size)
			die(NULL, "sparse: FILE larger than the member");
		e = new_entry(argv[3], size);
		archive_entry_sparse_add_entry(e, 0, (int64_t)len);
		if (archive_write_header(a, e) != ARCHIVE_OK)
			die(a, argv[3]);
		/* Only the data of a sparse member is written. */
		if (archive_write_data(a, data, len) != (la_ssize_t)len)
			die(a, "sparse data");
		archive_entry_free(e);
		free(data);
	} else if (strcmp(format, "raw") == 0) {
		data = slurp(argv[3], &len);
		add(a, "data", data, len);
		free(data);
	} else {
		for (int i = 3; i < argc; i++) {
			char *eq = strchr(argv[i], '=');

			if (eq == NULL)
				die(NULL, "members are NAME=FILE");
			*eq = '\0';
			data = slurp(eq + 1, &len);
			add(a, argv[i], data, len);
			free(data);
		}
	}
	if (archive_write_close(a) != ARCHIVE_OK)
		die(a, "close");
	archive_write_free(a);
	return 0;
}

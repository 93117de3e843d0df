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
 *        mkarchive rar4|rar5 OUT NAME=FILE...
 *            a RAR 4 or RAR 5 archive, its members stored (libarchive
 *            writes no RAR: written here byte by byte, after RAR's
 *            technotes)
 *        mkarchive sparse OUT NAME MIB FILE
 *            a pax tar of one member NAME of MIB MiB: FILE's bytes, then
 *            a hole (zeros that take no room in the archive)
 */
#include <archive.h>
#include <archive_entry.h>
#include <locale.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

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

/* A NAME=FILE argument: FILE's bytes (malloc'd, *len of them), NAME
 * ended at the '=' (*name_len bytes, at most max). */
static unsigned char *
member_arg(char *arg, size_t max, size_t *name_len, size_t *len)
{
	char *eq = strchr(arg, '=');

	if (eq == NULL || (size_t)(eq - arg) > max)
		die(NULL, "members are NAME=FILE");
	*eq = '\0';
	*name_len = (size_t)(eq - arg);
	return slurp(eq + 1, len);
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

/* A RAR 4 block: its header's CRC-32, low 16 bits, over the header from
 * its type on, then the header. */
static void
rar4_block(FILE *f, const unsigned char *head, size_t len)
{
	unsigned crc = (unsigned)crc32(0, head, (uInt)len) & 0xffff;
	unsigned char c[2] = { (unsigned char)crc, (unsigned char)(crc >> 8) };

	if (fwrite(c, 1, 2, f) != 2 || fwrite(head, 1, len, f) != len)
		die(NULL, "write");
}

static void
le(unsigned char *p, uint32_t v, int n)
{
	for (int i = 0; i < n; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static void
write_rar4(const char *out, char **members, int n)
{
	static const unsigned char marker[7] = { 'R', 'a', 'r', '!', 0x1a, 0x07, 0x00 };
	unsigned char main_head[11] = { 0x73, 0, 0, 13, 0 };   /* size 13, no flags */
	unsigned char end_head[5] = { 0x7b, 0x00, 0x40, 7, 0 };
	FILE *f = fopen(out, "wb");

	if (f == NULL || fwrite(marker, 1, sizeof marker, f) != sizeof marker)
		die(NULL, out);
	rar4_block(f, main_head, sizeof main_head);
	for (int i = 0; i < n; i++) {
		unsigned char head[30 + 256];
		size_t len, name_len;
		unsigned char *data = member_arg(members[i], 256, &name_len, &len);

		memset(head, 0, sizeof head);
		head[0] = 0x74;                         /* a file */
		le(head + 1, 0x8000, 2);                /* its data follows */
		le(head + 3, (uint32_t)(32 + name_len), 2);
		le(head + 5, (uint32_t)len, 4);         /* packed size */
		le(head + 9, (uint32_t)len, 4);         /* unpacked size */
		head[13] = 0;                           /* MS-DOS */
		le(head + 14, (uint32_t)crc32(0, data, (uInt)len), 4);
		le(head + 18, 0x576e0000, 4);           /* 2023-11-14 00:00, DOS time */
		head[22] = 20;                          /* version to extract */
		head[23] = 0x30;                        /* stored */
		le(head + 24, (uint32_t)name_len, 2);
		le(head + 26, 0x20, 4);                 /* an archive file */
		memcpy(head + 30, members[i], name_len);
		rar4_block(f, head, 30 + name_len);
		if (fwrite(data, 1, len, f) != len)
			die(NULL, "write");
		free(data);
	}
	rar4_block(f, end_head, sizeof end_head);
	if (fclose(f) != 0)
		die(NULL, out);
}

/* RAR 5's variable-length integer: 7 bits a byte, low ones first. */
static size_t
vint(unsigned char *p, uint64_t v)
{
	size_t n = 0;

	do {
		p[n++] = (unsigned char)((v & 0x7f) | (v > 0x7f ? 0x80 : 0));
		v >>= 7;
	} while (v > 0);
	return n;
}

/* A RAR 5 block: CRC-32 of what follows it, the header's size, the
 * header (type, flags and fields). */
static void
rar5_block(FILE *f, const unsigned char *head, size_t len)
{
	unsigned char sized[16 + 512];
	size_t n = vint(sized, len);
	uint32_t crc;
	unsigned char c[4];

	memcpy(sized + n, head, len);
	n += len;
	crc = (uint32_t)crc32(0, sized, (uInt)n);
	le(c, crc, 4);
	if (fwrite(c, 1, 4, f) != 4 || fwrite(sized, 1, n, f) != n)
		die(NULL, "write");
}

static void
write_rar5(const char *out, char **members, int n)
{
	static const unsigned char marker[8] = { 'R', 'a', 'r', '!', 0x1a, 0x07, 0x01, 0x00 };
	static const unsigned char main_head[3] = { 1, 0, 0 };  /* main, no flags */
	static const unsigned char end_head[3] = { 5, 0, 0 };   /* end, not a volume */
	FILE *f = fopen(out, "wb");

	if (f == NULL || fwrite(marker, 1, sizeof marker, f) != sizeof marker)
		die(NULL, out);
	rar5_block(f, main_head, sizeof main_head);
	for (int i = 0; i < n; i++) {
		unsigned char head[64 + 256], c[4];
		size_t len, name_len, h = 0;
		unsigned char *data = member_arg(members[i], 256, &name_len, &len);

		h += vint(head + h, 2);                 /* a file */
		h += vint(head + h, 0x2);               /* with a data area */
		h += vint(head + h, len);               /* of this size */
		h += vint(head + h, 0x4);               /* its CRC-32 given */
		h += vint(head + h, len);               /* unpacked size */
		h += vint(head + h, 0100644);           /* attributes */
		le(c, (uint32_t)crc32(0, data, (uInt)len), 4);
		memcpy(head + h, c, 4);
		h += 4;
		h += vint(head + h, 0);                 /* stored, version 0 */
		h += vint(head + h, 1);                 /* Unix */
		h += vint(head + h, name_len);
		memcpy(head + h, members[i], name_len);
		h += name_len;
		rar5_block(f, head, h);
		if (fwrite(data, 1, len, f) != len)
			die(NULL, "write");
		free(data);
	}
	rar5_block(f, end_head, sizeof end_head);
	if (fclose(f) != 0)
		die(NULL, out);
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
	/* Member names are UTF-8 (the pax format stores them so). */
	setlocale(LC_CTYPE, "C.UTF-8");
	format = argv[1];
	if (strcmp(format, "rar4") == 0 || strcmp(format, "rar5") == 0) {
		(format[3] == '4' ? write_rar4 : write_rar5)(argv[2], argv + 3, argc - 3);
		return 0;
	}
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
			size_t name_len;

			data = member_arg(argv[i], SIZE_MAX, &name_len, &len);
			add(a, argv[i], data, len);
			free(data);
		}
	}
	if (archive_write_close(a) != ARCHIVE_OK)
		die(a, "close");
	archive_write_free(a);
	return 0;
}

/*
 * mkzip.c - writes hostile and unusual zip archives for the tests, byte by
 * byte where libzip would refuse to (shared data, lying sizes).
 *
 * usage: mkzip bomb OUT MIB              one member of MIB MiB of zeros
 *        mkzip textbomb OUT MIB          one member of MIB MiB of the letter a
 *        mkzip overlap OUT N MIB         N entries sharing one MIB MiB text member
 *        mkzip liar OUT MIB              MIB MiB of letters declared as 100 bytes
 *        mkzip nested OUT DEPTH FILE     FILE inside DEPTH levels of zips
 *        mkzip many OUT N FILE           N members, each a copy of FILE
 *        mkzip encrypted OUT FILE        FILE as an AES-256 member (libzip)
 *        mkzip damaged OUT KIND FILE     FILE as one deflated member, damaged:
 *                                        KIND crc (CRC wrong), short or long
 *                                        (size declared 10 bytes less or
 *                                        more), cut (data 4 bytes short),
 *                                        garbled (a byte in the middle changed)
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>
#include <zlib.h>

struct buf {
	unsigned char *p;
	size_t len, cap;
};

static void
die(const char *what)
{
	fprintf(stderr, "mkzip: %s\n", what);
	exit(2);
}

static void
put(struct buf *b, const void *p, size_t n)
{
	if (n == 0)
		return;
	if (b->len + n > b->cap) {
		b->cap = (b->len + n) * 2;
		if ((b->p = realloc(b->p, b->cap)) == NULL)
			die("out of memory");
	}
	memcpy(b->p + b->len, p, n);
	b->len += n;
}

static void
u16(struct buf *b, unsigned v)
{
	unsigned char c[2] = { (unsigned char)v, (unsigned char)(v >> 8) };
	put(b, c, 2);
}

static void
u32(struct buf *b, uint32_t v)
{
	unsigned char c[4] = { (unsigned char)v, (unsigned char)(v >> 8),
		(unsigned char)(v >> 16), (unsigned char)(v >> 24) };
	put(b, c, 4);
}

static unsigned char
zero(uint64_t i)
{
	(void)i;
	return 0;
}

static unsigned char
letter(uint64_t i)
{
	(void)i;
	return 'a';
}

/* Raw-deflate `size` bytes made by fill(i) into out; crc of the input. */
static void
deflate_stream(uint64_t size, unsigned char (*fill)(uint64_t), struct buf *out,
    uint32_t *crc)
{
	unsigned char in[65536], tmp[65536];
	z_stream zs;
	uint64_t done = 0;
	int flush;

	memset(&zs, 0, sizeof zs);
	/* Run-length strategy: zeros compress as well, much faster. */
	if (deflateInit2(&zs, 9, Z_DEFLATED, -15, 9,
		fill == zero || fill == letter ? Z_RLE : Z_DEFAULT_STRATEGY) != Z_OK)
		die("deflateInit");
	*crc = (uint32_t)crc32(0, NULL, 0);
	do {
		size_t n = size - done < sizeof in ? (size_t)(size - done) : sizeof in;

		for (size_t i = 0; i < n; i++)
			in[i] = fill(done + i);
		*crc = (uint32_t)crc32(*crc, in, (uInt)n);
		done += n;
		flush = done == size ? Z_FINISH : Z_NO_FLUSH;
		zs.next_in = in;
		zs.avail_in = (uInt)n;
		do {
			zs.next_out = tmp;
			zs.avail_out = sizeof tmp;
			deflate(&zs, flush);
			put(out, tmp, sizeof tmp - zs.avail_out);
		} while (zs.avail_out == 0);
	} while (flush != Z_FINISH);
	deflateEnd(&zs);
}

/* Text that compresses about tenfold: words from a small list. */
static unsigned char
prose(uint64_t i)
{
	static const char words[] = "the staff list of the quarter shows new names "
	    "and old ones in each office along with dates and numbers of rooms\n";
	uint64_t k = (i / (sizeof words - 1)) * 2654435761u;

	return (unsigned char)words[(i + k % 37) % (sizeof words - 1)];
}

struct entry {
	const char *name;
	uint32_t crc, csize, usize, offset;
};

static void
local_header(struct buf *b, const struct entry *e)
{
	u32(b, 0x04034b50);
	u16(b, 20);
	u16(b, 0);
	u16(b, 8);
	u16(b, 0);
	u16(b, 0x21);
	u32(b, e->crc);
	u32(b, e->csize);
	u32(b, e->usize);
	u16(b, (unsigned)strlen(e->name));
	u16(b, 0);
	put(b, e->name, strlen(e->name));
}

static void
central(struct buf *b, const struct entry *entries, size_t n)
{
	size_t start = b->len, end;

	for (size_t i = 0; i < n; i++) {
		const struct entry *e = &entries[i];

		u32(b, 0x02014b50);
		u16(b, 0x031e);
		u16(b, 20);
		u16(b, 0);
		u16(b, 8);
		u16(b, 0);
		u16(b, 0x21);
		u32(b, e->crc);
		u32(b, e->csize);
		u32(b, e->usize);
		u16(b, (unsigned)strlen(e->name));
		u16(b, 0);
		u16(b, 0);
		u16(b, 0);
		u16(b, 0);
		u32(b, 0100644u << 16);
		u32(b, e->offset);
		put(b, e->name, strlen(e->name));
	}
	end = b->len;
	u32(b, 0x06054b50);
	u16(b, 0);
	u16(b, 0);
	u16(b, (unsigned)n);
	u16(b, (unsigned)n);
	u32(b, (uint32_t)(end - start));
	u32(b, (uint32_t)start);
	u16(b, 0);
}

static void
write_file(const char *path, const struct buf *b)
{
	FILE *f = fopen(path, "wb");

	if (f == NULL || fwrite(b->p, 1, b->len, f) != b->len || fclose(f) != 0)
		die(strerror(errno));
}

/* One deflated member (or n entries sharing it), sizes as declared. */
static void
shared_member(const char *out, size_t n, uint64_t size,
    unsigned char (*fill)(uint64_t), uint32_t declared_usize)
{
	struct buf zip = { 0 }, data = { 0 };
	struct entry *entries = calloc(n, sizeof *entries);
	char (*names)[32] = calloc(n, 32);
	uint32_t crc;

	if (entries == NULL || names == NULL)
		die("out of memory");
	deflate_stream(size, fill, &data, &crc);
	for (size_t i = 0; i < n; i++) {
		snprintf(names[i], 32, n == 1 ? "data.txt" : "copy%05zu.txt", i);
		entries[i].name = names[i];
		entries[i].crc = crc;
		entries[i].csize = (uint32_t)data.len;
		entries[i].usize = declared_usize != 0 ? declared_usize : (uint32_t)size;
		entries[i].offset = 0;
	}
	local_header(&zip, &entries[0]);
	put(&zip, data.p, data.len);
	central(&zip, entries, n);
	write_file(out, &zip);
	free(zip.p);
	free(data.p);
	free(entries);
	free(names);
}

static struct buf file_data;

static unsigned char
from_file(uint64_t i)
{
	return file_data.p[i];
}

static void
read_file(const char *path, struct buf *b)
{
	unsigned char tmp[65536];
	FILE *f = fopen(path, "rb");
	size_t n;

	if (f == NULL)
		die(strerror(errno));
	while ((n = fread(tmp, 1, sizeof tmp, f)) > 0)
		put(b, tmp, n);
	if (ferror(f) || fclose(f) != 0)
		die("cannot read the file");
}

static void
damaged(const char *out, const char *kind, const char *path)
{
	struct buf zip = { 0 }, data = { 0 };
	struct entry e = { "data.txt", 0, 0, 0, 0 };

	read_file(path, &file_data);
	if (file_data.len == 0)
		die("empty file");
	deflate_stream(file_data.len, from_file, &data, &e.crc);
	e.csize = (uint32_t)data.len;
	e.usize = (uint32_t)file_data.len;
	if (strcmp(kind, "crc") == 0)
		e.crc ^= 0x5a5a5a5a;
	else if (strcmp(kind, "short") == 0 && e.usize > 10)
		e.usize -= 10;
	else if (strcmp(kind, "long") == 0)
		e.usize += 10;
	else if (strcmp(kind, "cut") == 0 && data.len > 4)
		e.csize = (uint32_t)(data.len -= 4);
	else if (strcmp(kind, "garbled") == 0)
		data.p[data.len / 2] ^= 0xff;
	else
		die("unknown kind of damage");
	local_header(&zip, &e);
	put(&zip, data.p, data.len);
	central(&zip, &e, 1);
	write_file(out, &zip);
	free(zip.p);
	free(data.p);
	free(file_data.p);
}

static void
add_file(zip_t *za, const char *name, const char *path, bool encrypt)
{
	zip_source_t *src = zip_source_file(za, path, 0, -1);
	zip_int64_t idx;

	if (src == NULL || (idx = zip_file_add(za, name, src, ZIP_FL_OVERWRITE)) < 0)
		die(zip_strerror(za));
	if (encrypt && zip_file_set_encryption(za, (zip_uint64_t)idx,
		ZIP_EM_AES_256, "secret") != 0)
		die(zip_strerror(za));
}

static zip_t *
create(const char *path)
{
	int err;
	zip_t *za = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &err);

	if (za == NULL)
		die("cannot create zip");
	return za;
}

int
main(int argc, char **argv)
{
	if (argc == 4 && strcmp(argv[1], "bomb") == 0) {
		shared_member(argv[2], 1, strtoull(argv[3], NULL, 10) << 20, zero, 0);
	} else if (argc == 4 && strcmp(argv[1], "textbomb") == 0) {
		shared_member(argv[2], 1, strtoull(argv[3], NULL, 10) << 20, letter, 0);
	} else if (argc == 5 && strcmp(argv[1], "overlap") == 0) {
		shared_member(argv[2], strtoul(argv[3], NULL, 10),
		    strtoull(argv[4], NULL, 10) << 20, prose, 0);
	} else if (argc == 4 && strcmp(argv[1], "liar") == 0) {
		shared_member(argv[2], 1, strtoull(argv[3], NULL, 10) << 20, letter, 100);
	} else if (argc == 5 && strcmp(argv[1], "nested") == 0) {
		unsigned depth = (unsigned)strtoul(argv[3], NULL, 10);
		char cur[4096], prev[4096];

		snprintf(prev, sizeof prev, "%s", argv[4]);
		for (unsigned d = 0; d < depth; d++) {
			zip_t *za;

			snprintf(cur, sizeof cur, "%s.%u.tmp", argv[2], d);
			za = create(d + 1 == depth ? argv[2] : cur);
			add_file(za, d == 0 ? "value.txt" : "inner.zip", prev, false);
			if (zip_close(za) != 0)
				die("zip_close");
			if (d > 0)
				remove(prev);
			snprintf(prev, sizeof prev, "%s", cur);
		}
	} else if (argc == 5 && strcmp(argv[1], "many") == 0) {
		unsigned long n = strtoul(argv[3], NULL, 10);
		zip_t *za = create(argv[2]);
		char name[32];

		for (unsigned long i = 0; i < n; i++) {
			snprintf(name, sizeof name, "f%06lu.txt", i);
			add_file(za, name, argv[4], false);
		}
		if (zip_close(za) != 0)
			die("zip_close");
	} else if (argc == 5 && strcmp(argv[1], "damaged") == 0) {
		damaged(argv[2], argv[3], argv[4]);
	} else if (argc == 4 && strcmp(argv[1], "encrypted") == 0) {
		zip_t *za;

		if (!zip_encryption_method_supported(ZIP_EM_AES_256, 1))
			die("libzip without AES support");
		za = create(argv[2]);
		add_file(za, "secret.txt", argv[3], true);
		if (zip_close(za) != 0)
			die("zip_close");
	} else {
		fprintf(stderr, "usage: see mkzip.c\n");
		return 2;
	}
	return 0;
}

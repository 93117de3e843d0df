/*
 * test_archive.c - the tar, cpio, 7-Zip and compressed-stream extractors
 * (extract/archive.c, libarchive): files written here with libarchive,
 * scanned through ps_scan_file, their findings' member chains and the
 * reasons recorded on them; and the names given to a compressed file's
 * content.
 */
#include "config.h"

#include <archive.h>
#include <archive_entry.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../unit/tap.h"
#include "scan.h"

static struct ps_patterns *set;
static struct ps_key key;
static struct ps_limits limits;
static char dir[] = "/tmp/piiscan-archive.XXXXXX";

static const char card_text[] = "card 4111111000231111\n";

struct member {
	const char *name;
	mode_t type;                /* AE_IFREG, AE_IFDIR, AE_IFLNK */
	const void *data;
	size_t len;
};

/* Write an archive at path: format and filter as libarchive codes
 * (filter ARCHIVE_FILTER_NONE for none). */
static void
make_archive(const char *path, int format, int filter, const struct member *m,
    size_t n)
{
	struct archive *a = archive_write_new();
	bool ok = a != NULL && archive_write_set_format(a, format) == ARCHIVE_OK
	    && (filter == ARCHIVE_FILTER_NONE
		|| archive_write_add_filter(a, filter) == ARCHIVE_OK)
	    && archive_write_open_filename(a, path) == ARCHIVE_OK;

	for (size_t i = 0; ok && i < n; i++) {
		struct archive_entry *e = archive_entry_new();

		archive_entry_set_pathname(e, m[i].name);
		archive_entry_set_filetype(e, m[i].type);
		archive_entry_set_perm(e, 0644);
		if (m[i].type == AE_IFLNK)
			archive_entry_set_symlink(e, "elsewhere");
		archive_entry_set_size(e, (la_int64_t)m[i].len);
		ok = archive_write_header(a, e) == ARCHIVE_OK
		    && (m[i].len == 0
			|| archive_write_data(a, m[i].data, m[i].len) == (la_ssize_t)m[i].len);
		archive_entry_free(e);
	}
	if (!ok || archive_write_close(a) != ARCHIVE_OK)
		printf("Bail out! cannot write %s\n", path);
	archive_write_free(a);
}

/* Scan one file; returns its result (caller frees). */
static struct ps_file_result *
scan(const char *path)
{
	char why[256];
	struct ps_worker *w = ps_worker_new(set, &key, &limits, NULL, NULL, why, sizeof why);
	struct ps_file_result *r = ps_file_result_new(strdup(path));

	if (w == NULL || r == NULL) {
		printf("Bail out! %s\n", why);
		exit(1);
	}
	ps_scan_file(w, r);
	ps_worker_free(w);
	return r;
}

/* "member where masked; ..." of r's findings. */
static const char *
members(const struct ps_file_result *r)
{
	static char buf[2048];
	size_t n = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < r->findings.count && n < sizeof buf - 300; i++)
		n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%s %s %s",
		    i > 0 ? "; " : "", r->findings.items[i].member != NULL
		    ? r->findings.items[i].member : "(none)",
		    r->findings.items[i].where, r->findings.items[i].masked);
	return buf;
}

static void
test_names(void)
{
	static const char *const cases[][2] = {
		{ "/srv/hr/staff.csv.xz", "staff.csv" },
		{ "backup.tgz", "backup.tar" },
		{ "backup.tbz2", "backup.tar" },
		{ "backup.txz", "backup.tar" },
		{ "backup.tzst", "backup.tar" },
		{ "list.txt.bz2", "list.txt" },
		{ "old.Z", "old" },
		{ "notes.zst", "notes" },
		{ ".xz", ".xz" },           /* a suffix alone is a name */
		{ "report", "report" },
	};
	char out[64];

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		ps_unpacked_name(cases[i][0], out, sizeof out);
		is_str(out, cases[i][1], "%s", cases[i][0]);
	}
	ps_unpacked_name(NULL, out, sizeof out);
	is_str(out, "data", "no name: data");
}

static void
test_tar(void)
{
	static const unsigned char binary[] = { 0x01, 0x02, 0x03, 0x00, 0xff };
	const struct member m[] = {
		{ "docs/", AE_IFDIR, NULL, 0 },
		{ "docs/link", AE_IFLNK, NULL, 0 },
		{ "docs/empty.txt", AE_IFREG, NULL, 0 },
		{ "docs/a.txt", AE_IFREG, card_text, sizeof card_text - 1 },
		{ "b.bin", AE_IFREG, binary, sizeof binary },
		{ "c.txt", AE_IFREG, "nothing\n", 8 },
	};
	char path[512];
	struct ps_file_result *r;

	snprintf(path, sizeof path, "%s/a.tar", dir);
	make_archive(path, ARCHIVE_FORMAT_TAR_PAX_RESTRICTED, ARCHIVE_FILTER_NONE, m, 6);
	r = scan(path);
	is_str(r->type, "tar", "tar: type");
	is_str(r->status, "ok", "tar: folder, link, empty and binary members pass");
	is_str(members(r), "docs/a.txt line 1 411111******1111", "tar: the member's path");
	ps_file_result_free(r);

	snprintf(path, sizeof path, "%s/a.cpio", dir);
	make_archive(path, ARCHIVE_FORMAT_CPIO_SVR4_NOCRC, ARCHIVE_FILTER_NONE, m + 3, 3);
	r = scan(path);
	is_str(r->type, "cpio", "cpio: type");
	is_str(members(r), "docs/a.txt line 1 411111******1111", "cpio: the member's path");
	ps_file_result_free(r);

	/* A tar in xz: the stream is named after the file, less .txz. */
	snprintf(path, sizeof path, "%s/backup.txz", dir);
	make_archive(path, ARCHIVE_FORMAT_TAR_USTAR, ARCHIVE_FILTER_XZ, m, 6);
	r = scan(path);
	is_str(r->type, "xz", "tar in xz: type xz");
	is_str(r->status, "ok", "tar in xz: ok");
	is_str(members(r), "backup.tar/docs/a.txt line 1 411111******1111",
	    "tar in xz: the chain");
	ps_file_result_free(r);

	/* 7-Zip: read from the file, and from memory inside a tar. */
	snprintf(path, sizeof path, "%s/a.7z", dir);
	make_archive(path, ARCHIVE_FORMAT_7ZIP, ARCHIVE_FILTER_NONE, m, 6);
	r = scan(path);
	is_str(r->type, "7z", "7-Zip: type");
	is_str(r->status, "ok", "7-Zip: ok");
	is_str(members(r), "docs/a.txt line 1 411111******1111", "7-Zip: the member's path");
	ps_file_result_free(r);
	{
		size_t len;
		void *bytes = NULL;
		FILE *f = fopen(path, "rb");
		struct member inner = { "inner.7z", AE_IFREG, NULL, 0 };

		if (f != NULL && (bytes = malloc(65536)) != NULL)
			len = fread(bytes, 1, 65536, f);
		else
			len = 0;
		if (f != NULL)
			fclose(f);
		inner.data = bytes;
		inner.len = len;
		snprintf(path, sizeof path, "%s/with7z.tar", dir);
		make_archive(path, ARCHIVE_FORMAT_TAR_USTAR, ARCHIVE_FILTER_NONE, &inner, 1);
		free(bytes);
	}
	r = scan(path);
	is_str(r->status, "ok", "7-Zip in a tar: ok");
	is_str(members(r), "inner.7z/docs/a.txt line 1 411111******1111",
	    "7-Zip in a tar: the chain");
	ps_file_result_free(r);

	/* Two members with content, one allowed. */
	limits.max_members = 1;
	snprintf(path, sizeof path, "%s/two.tar", dir);
	{
		const struct member two[] = {
			{ "1.txt", AE_IFREG, card_text, sizeof card_text - 1 },
			{ "2.txt", AE_IFREG, card_text, sizeof card_text - 1 },
		};

		make_archive(path, ARCHIVE_FORMAT_TAR_USTAR, ARCHIVE_FILTER_NONE, two, 2);
	}
	r = scan(path);
	is_str(r->status, "partial", "--max-members 1, two members: partial");
	is_str(r->reason, "limit: members", "... limit: members");
	is_str(members(r), "1.txt line 1 411111******1111", "... the first is read");
	ps_file_result_free(r);
	limits.max_members = PS_DEFAULT_MAX_MEMBERS;
}

static void
test_damage_and_limits(void)
{
	const struct member m[] = {
		{ "a.txt", AE_IFREG, card_text, sizeof card_text - 1 },
		{ "b.txt", AE_IFREG, card_text, sizeof card_text - 1 },
	};
	char path[512], cmd[1200];
	size_t big = (size_t)4 << 20;
	char *letters = malloc(big);
	struct ps_file_result *r;

	/* The second header cut in half. */
	snprintf(path, sizeof path, "%s/whole.tar", dir);
	make_archive(path, ARCHIVE_FORMAT_TAR_USTAR, ARCHIVE_FILTER_NONE, m, 2);
	snprintf(cmd, sizeof cmd, "head -c 1200 '%s' > '%s/cut.tar'", path, dir);
	if (system(cmd) != 0)
		printf("# cannot cut the tar\n");
	snprintf(path, sizeof path, "%s/cut.tar", dir);
	r = scan(path);
	is_str(r->status, "partial", "a tar cut in a header: partial");
	is_str(r->reason, "corrupt: Truncated tar archive", "... libarchive's reason");
	is_str(members(r), "a.txt line 1 411111******1111", "... the member before is read");
	ps_file_result_free(r);

	/* 4 MiB of one letter in xz: far over 200 bytes a compressed byte. */
	if (letters == NULL) {
		printf("Bail out! out of memory\n");
		exit(1);
	}
	memset(letters, 'a', big);
	snprintf(path, sizeof path, "%s/letters.txt.xz", dir);
	{
		const struct member one = { "data", AE_IFREG, letters, big };

		make_archive(path, ARCHIVE_FORMAT_RAW, ARCHIVE_FILTER_XZ, &one, 1);
	}
	r = scan(path);
	is_str(r->type, "xz", "a bomb in xz: type xz");
	is_str(r->status, "partial", "... partial");
	is_str(r->reason, "limit: ratio", "... limit: ratio");
	ok(r->bytes_read < 65536, "... %llu bytes of it read",
	    (unsigned long long)r->bytes_read);
	ps_file_result_free(r);
	free(letters);
}

int
main(void)
{
	char why[256];

	if (mkdtemp(dir) == NULL || ps_patterns_load(NULL, &set, why, sizeof why) != PS_OK) {
		printf("Bail out! set-up\n");
		return 1;
	}
	for (size_t i = 0; i < sizeof key.bytes; i++)
		key.bytes[i] = (uint8_t)i;
	limits.max_filesize = (uint64_t)1 << 30;
	limits.max_expanded = PS_DEFAULT_MAX_EXPANDED;
	limits.max_depth = PS_DEFAULT_MAX_DEPTH;
	limits.max_members = PS_DEFAULT_MAX_MEMBERS;
	limits.max_ratio = PS_DEFAULT_MAX_RATIO;
	test_names();
	test_tar();
	test_damage_and_limits();
	ps_patterns_free(set);
	{
		char cmd[600];

		snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
		if (system(cmd) != 0)
			printf("# could not remove %s\n", dir);
	}
	return done_testing();
}

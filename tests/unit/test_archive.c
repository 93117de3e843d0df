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

#include "../unit/scanfile.h"

static const char card_text[] = "card 4111111000231111\n";

struct member {
	const char *name;
	mode_t type;                /* AE_IFREG, AE_IFDIR, AE_IFLNK */
	const void *data;
	size_t len;
};

/* Write an archive called name (in dir): format and filter as libarchive
 * codes (filter ARCHIVE_FILTER_NONE for none). */
static void
make_archive(const char *name, int format, int filter, const struct member *m,
    size_t n)
{
	struct archive *a = archive_write_new();
	bool written = a != NULL && archive_write_set_format(a, format) == ARCHIVE_OK
	    && (filter == ARCHIVE_FILTER_NONE
		|| archive_write_add_filter(a, filter) == ARCHIVE_OK)
	    && archive_write_open_filename(a, path_of(name)) == ARCHIVE_OK;

	for (size_t i = 0; written && i < n; i++) {
		struct archive_entry *e = archive_entry_new();

		archive_entry_set_pathname(e, m[i].name);
		archive_entry_set_filetype(e, m[i].type);
		archive_entry_set_perm(e, 0644);
		if (m[i].type == AE_IFLNK)
			archive_entry_set_symlink(e, "elsewhere");
		archive_entry_set_size(e, (la_int64_t)m[i].len);
		written = archive_write_header(a, e) == ARCHIVE_OK
		    && (m[i].len == 0
			|| archive_write_data(a, m[i].data, m[i].len) == (la_ssize_t)m[i].len);
		archive_entry_free(e);
	}
	if (!written || archive_write_close(a) != ARCHIVE_OK)
		printf("Bail out! cannot write %s\n", name);
	archive_write_free(a);
}

/* Scan name: its type, status and reason as "type status reason", and
 * its findings, each "member where masked", in order, after a "; ". */
static const char *
outcome(const char *name)
{
	static char buf[2048];
	struct ps_file_result *r = scan(name, NULL);
	size_t n;

	if (r == NULL)
		return "(not scanned)";
	n = (size_t)snprintf(buf, sizeof buf, "%s %s %s", r->type, r->status, r->reason);
	for (size_t i = 0; i < r->findings.count && n < sizeof buf - 300; i++)
		n += (size_t)snprintf(buf + n, sizeof buf - n, "; %s %s %s",
		    r->findings.items[i].member != NULL ? r->findings.items[i].member : "",
		    r->findings.items[i].where, r->findings.items[i].masked);
	ps_file_result_free(r);
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
test_archives(void)
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
	const char *found = "; docs/a.txt line 1 411111******1111";
	char want[256];
	struct member inner = { "inner.7z", AE_IFREG, NULL, 0 };
	FILE *f;

	make_archive("a.tar", ARCHIVE_FORMAT_TAR_PAX_RESTRICTED, ARCHIVE_FILTER_NONE, m, 6);
	snprintf(want, sizeof want, "tar ok %s", found);
	is_str(outcome("a.tar"), want,
	    "tar: folder, link, empty and binary members passed over; the member's path");
	make_archive("a.cpio", ARCHIVE_FORMAT_CPIO_SVR4_NOCRC, ARCHIVE_FILTER_NONE, m + 3, 3);
	snprintf(want, sizeof want, "cpio ok %s", found);
	is_str(outcome("a.cpio"), want, "cpio: the member's path");
	/* A tar in xz: the stream is named after the file, less .txz. */
	make_archive("backup.txz", ARCHIVE_FORMAT_TAR_USTAR, ARCHIVE_FILTER_XZ, m, 6);
	is_str(outcome("backup.txz"), "xz ok ; backup.tar/docs/a.txt line 1 411111******1111",
	    "tar in xz: the chain");

	/* 7-Zip: read from the file, and from memory inside a tar. */
	make_archive("a.7z", ARCHIVE_FORMAT_7ZIP, ARCHIVE_FILTER_NONE, m, 6);
	snprintf(want, sizeof want, "7z ok %s", found);
	is_str(outcome("a.7z"), want, "7-Zip: the member's path");
	if ((f = fopen(path_of("a.7z"), "rb")) != NULL) {
		static unsigned char bytes[65536];

		inner.data = bytes;
		inner.len = fread(bytes, 1, sizeof bytes, f);
		fclose(f);
	}
	make_archive("with7z.tar", ARCHIVE_FORMAT_TAR_USTAR, ARCHIVE_FILTER_NONE, &inner, 1);
	is_str(outcome("with7z.tar"), "tar ok ; inner.7z/docs/a.txt line 1 411111******1111",
	    "7-Zip in a tar: the chain");
}

static void
test_damage_and_limits(void)
{
	const struct member two[] = {
		{ "1.txt", AE_IFREG, card_text, sizeof card_text - 1 },
		{ "2.txt", AE_IFREG, card_text, sizeof card_text - 1 },
	};
	size_t big = (size_t)4 << 20;
	char *letters = malloc(big), cmd[600];
	struct member one = { "data", AE_IFREG, letters, big };
	struct ps_limits few = limits;
	struct ps_worker *all = worker;
	struct ps_key key;
	char why[256];

	/* The second header cut in half. */
	make_archive("two.tar", ARCHIVE_FORMAT_TAR_USTAR, ARCHIVE_FILTER_NONE, two, 2);
	snprintf(cmd, sizeof cmd, "head -c 1200 '%s' > '%s'", path_of("two.tar"),
	    path_of("cut.tar"));
	if (system(cmd) != 0)
		printf("# cannot cut the tar\n");
	is_str(outcome("cut.tar"),
	    "tar partial corrupt: Truncated tar archive; 1.txt line 1 411111******1111",
	    "a tar cut in a header: partial, libarchive's reason, the member before read");

	/* 4 MiB of one letter in xz: far over 200 bytes a compressed byte. */
	if (letters == NULL) {
		printf("Bail out! out of memory\n");
		exit(1);
	}
	memset(letters, 'a', big);
	make_archive("letters.txt.xz", ARCHIVE_FORMAT_RAW, ARCHIVE_FILTER_XZ, &one, 1);
	is_str(outcome("letters.txt.xz"), "xz partial limit: ratio", "a bomb in xz: limit: ratio");
	make_archive("letters.7z", ARCHIVE_FORMAT_7ZIP, ARCHIVE_FILTER_NONE, &one, 1);
	is_str(outcome("letters.7z"), "7z partial limit: ratio",
	    "a bomb in 7-Zip: limit: ratio, on its declared size");
	free(letters);

	/* Two members with content, one allowed. */
	few.max_members = 1;
	memset(key.bytes, 0x5a, sizeof key.bytes);
	if ((worker = ps_worker_new(patterns, &key, &few, NULL, NULL, why, sizeof why)) == NULL) {
		printf("Bail out! %s\n", why);
		exit(1);
	}
	is_str(outcome("two.tar"), "tar partial limit: members; 1.txt line 1 411111******1111",
	    "--max-members 1, two members: the first read, partial");
	ps_worker_free(worker);
	worker = all;
}

int
main(void)
{
	if (!scanfile_setup("archive"))
		return done_testing();
	test_names();
	test_archives();
	test_damage_and_limits();
	return scanfile_teardown();
}

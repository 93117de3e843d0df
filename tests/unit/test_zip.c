/*
 * test_zip.c - the zip and gzip extractors and the recursion point: a file
 * scanned through ps_scan_file, its findings' member chains, and the limit
 * reasons recorded on it.
 */
#include "config.h"

#include <stdlib.h>
#include <unistd.h>
#include <zip.h>
#include <zlib.h>

#include "../unit/tap.h"
#include "scan.h"

static struct ps_patterns *set;
static struct ps_key key;
static struct ps_limits limits;
static char dir[] = "/tmp/piiscan-zip.XXXXXX";

static const char card_text[] = "card 4111111000231111\n";

/* A zip at path with members name[i] holding text[i] (deflated). */
static void
make_zip(const char *path, size_t n, const char *const *names,
    const void *const *texts, const size_t *lens)
{
	int err;
	zip_t *za = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &err);

	for (size_t i = 0; za != NULL && i < n; i++) {
		zip_source_t *src = zip_source_buffer(za, texts[i], lens[i], 0);

		zip_file_add(za, names[i], src, 0);
	}
	if (za == NULL || zip_close(za) != 0)
		printf("Bail out! cannot write %s\n", path);
}

static void *
read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;

	*len = 0;
	if (f == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	*len = (size_t)ftell(f);
	rewind(f);
	buf = malloc(*len + 1);
	if (buf != NULL && fread(buf, 1, *len, f) != *len) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
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
test_zip(void)
{
	char path[512], inner[512];
	const char *names[] = { "docs/", "docs/a.txt", "b.bin", "c.txt" };
	const void *texts[] = { "", card_text, "\x01\x02\x03\x00\xff", "nothing\n" };
	const size_t lens[] = { 0, sizeof card_text - 1, 5, 8 };
	struct ps_file_result *r;
	size_t len;
	void *data;

	snprintf(inner, sizeof inner, "%s/inner.zip", dir);
	make_zip(inner, 4, names, texts, lens);
	r = scan(inner);
	is_str(r->type, "zip", "zip: type");
	is_str(r->status, "ok", "zip: ok (a binary member has no text to miss)");
	is_str(members(r), "docs/a.txt line 1 411111******1111", "zip: member and place");
	ps_file_result_free(r);

	data = read_all(inner, &len);
	{
		const char *n2[] = { "x/inner.zip", "top.txt" };
		const void *t2[] = { data, card_text };
		const size_t l2[] = { len, sizeof card_text - 1 };

		snprintf(path, sizeof path, "%s/outer.zip", dir);
		make_zip(path, 2, n2, t2, l2);
	}
	free(data);
	r = scan(path);
	is_str(members(r), "x/inner.zip/docs/a.txt line 1 411111******1111; "
	    "top.txt line 1 411111******1111", "zip in zip: the member chain");
	is_str(r->status, "ok", "zip in zip: ok");
	ps_file_result_free(r);

	limits.max_depth = 1;
	r = scan(path);
	is_str(r->status, "partial", "--max-depth 1: partial");
	is_str(r->reason, "limit: depth", "--max-depth 1: reason");
	is_str(members(r), "top.txt line 1 411111******1111", "--max-depth 1: the first level");
	ps_file_result_free(r);
	limits.max_depth = PS_DEFAULT_MAX_DEPTH;

	limits.max_members = 1;
	r = scan(path);
	is_str(r->reason, "limit: members", "--max-members 1: reason");
	ps_file_result_free(r);
	limits.max_members = PS_DEFAULT_MAX_MEMBERS;

	limits.max_expanded = 10;
	r = scan(path);
	is_str(r->reason, "limit: expanded", "--max-expanded 10: reason");
	ps_file_result_free(r);
	limits.max_expanded = PS_DEFAULT_MAX_EXPANDED;

	limits.max_filesize = 100;
	r = scan(path);
	is_str(r->status, "partial", "a zip over --max-filesize: partial");
	is_str(r->reason, "limit: filesize", "... limit: filesize");
	is_int(r->findings.count, 0, "... and not opened");
	ps_file_result_free(r);
	limits.max_filesize = (uint64_t)1 << 30;
}

static void
write_gzip(const char *path, const char *text, bool twice)
{
	gzFile g = gzopen(path, "wb");

	gzwrite(g, text, (unsigned)strlen(text));
	gzclose(g);
	if (twice) {
		size_t len;
		char *once = read_all(path, &len);
		FILE *f = fopen(path, "ab");

		fwrite(once, 1, len, f);
		fclose(f);
		free(once);
	}
}

static void
test_gzip(void)
{
	char path[512];
	struct ps_file_result *r;

	snprintf(path, sizeof path, "%s/people.csv.gz", dir);
	write_gzip(path, "name,HKID\nChan,A1234563\n", false);
	r = scan(path);
	is_str(r->type, "gzip", "gzip: type");
	is_str(r->status, "ok", "gzip: ok");
	is_str(members(r), "people.csv line 2 A******(3)", "gzip: member without .gz, CSV inside");
	is_int(r->findings.count == 1 ? r->findings.items[0].confidence : 0, PS_CONF_HIGH,
	    "gzip: the CSV header gives context");
	ps_file_result_free(r);

	snprintf(path, sizeof path, "%s/twice.gz", dir);
	write_gzip(path, card_text, true);
	r = scan(path);
	is_str(members(r), "twice line 1 411111******1111; twice line 2 411111******1111",
	    "gzip: concatenated members");
	ps_file_result_free(r);

	snprintf(path, sizeof path, "%s/cut.gz", dir);
	{
		char big[4096];
		size_t len;
		char *whole;
		FILE *f;

		for (size_t i = 0; i < sizeof big - 1; i++)
			big[i] = (char)('a' + (i * 7919) % 26);
		big[sizeof big - 1] = '\0';
		write_gzip(path, big, false);
		whole = read_all(path, &len);
		f = fopen(path, "wb");
		fwrite(whole, 1, len / 2, f);
		fclose(f);
		free(whole);
	}
	r = scan(path);
	is_str(r->status, "partial", "gzip cut in half: partial");
	is_str(r->reason, "corrupt: gzip stream truncated", "gzip cut in half: reason");
	ps_file_result_free(r);
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
	test_zip();
	test_gzip();
	ps_patterns_free(set);
	{
		char cmd[600];

		snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
		if (system(cmd) != 0)
			printf("# could not remove %s\n", dir);
	}
	return done_testing();
}

/*
 * ole.c - OLE2 compound files (libgsf): the legacy Word, Excel and
 * PowerPoint formats and Outlook messages, each read by its own file (see
 * ole.h), chosen by the streams the file holds, whatever its name or MIME
 * type said.
 *
 * The file is read into memory (within the file size limit and
 * PS_OLE_MAX_FILE) and opened from there, so that a compound file inside
 * an archive is read like one on disk.  A compound file that is none of
 * these (a Visio drawing, a thumbnail cache) is recorded as type "ole"
 * and its streams read for text runs, as strings(1) would; one libgsf
 * cannot open at all is read for text runs as a whole and recorded
 * partial.  Encrypted OOXML (an EncryptedPackage stream) is
 * recorded partial "encrypted".
 */
#include "config.h"

#include "ole.h"
#include "glibquiet.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <gsf/gsf-infile-msole.h>
#include <gsf/gsf-infile.h>
#include <gsf/gsf-input-memory.h>
#include <gsf/gsf-input.h>
#include <gsf/gsf-utils.h>

#include "../finding.h"

#define MAX_STORAGE_DEPTH 8      /* storages inside storages read for runs */
#define READ_STEP         (64 * 1024)

struct ps_ole {
	struct ps_extract *x;
	GsfInfile *root;
	size_t file_len;
	uint64_t streams;            /* streams read so far */
};

static pthread_once_t gsf_once = PTHREAD_ONCE_INIT;

/* libgsf reports damage with g_warning() (naming streams of the file). */
static void
gsf_setup(void)
{
	static const char *const domains[] = { "libgsf", "libgsf:msole",
		"libgsf:utils", NULL };

	gsf_init();
	for (const char *const *d = domains; *d != NULL; d++)
		ps_glib_quiet(*d, PS_GLIB_ALL_LEVELS);
	/* gsf_infile_child_by_index() warns in no domain at all when a
	 * child's sectors are missing. */
	ps_glib_quiet(NULL, G_LOG_LEVEL_WARNING | G_LOG_LEVEL_MESSAGE
	    | G_LOG_LEVEL_INFO | G_LOG_LEVEL_DEBUG);
}

/* The child of storage called name, case ignored as OLE2 does; *named
 * (if not NULL) says whether there was one by that name, opened or not. */
static GsfInput *
child_lookup(GsfInfile *storage, const char *name, bool *named)
{
	int n = gsf_infile_num_children(storage);

	if (named != NULL)
		*named = false;
	for (int i = 0; i < n; i++) {
		const char *cn = gsf_infile_name_by_index(storage, i);

		if (cn != NULL && strcasecmp(cn, name) == 0) {
			if (named != NULL)
				*named = true;
			return gsf_infile_child_by_index(storage, i);
		}
	}
	return NULL;
}

GsfInput *
ps_ole_child(GsfInfile *storage, const char *name)
{
	return child_lookup(storage, name, NULL);
}

/* A child that is named but cannot be opened (its sectors are not all
 * there) is damage: recorded. */
static GsfInput *
stream_child(struct ps_ole *o, GsfInfile *storage, const char *name)
{
	bool named;
	GsfInput *in = child_lookup(storage, name, &named);

	if (in == NULL && named)
		ps_extract_partial(o->x, "corrupt: stream %s unreadable", name);
	return in;
}

static bool
has_child(GsfInfile *storage, const char *name)
{
	GsfInput *c = ps_ole_child(storage, name);

	if (c == NULL)
		return false;
	g_object_unref(c);
	return true;
}

/* A stream name fit for where: control characters (the \005 of property
 * sets) dropped, cut at a character boundary. */
static void
where_of(const char *name, char *out, size_t cap)
{
	size_t k = 0;

	for (const unsigned char *p = (const unsigned char *)name; *p != '\0'; p++) {
		if (*p < 0x20)
			continue;
		if (k + 1 >= cap)
			break;
		out[k++] = (char)*p;
	}
	/* Never leave half a UTF-8 character at the end. */
	while (k > 0 && ((unsigned char)out[k - 1] & 0xC0) == 0x80)
		k--;
	if (k > 0 && ((unsigned char)out[k - 1] & 0xC0) == 0xC0)
		k--;
	out[k] = '\0';
	if (k == 0)
		snprintf(out, cap, "stream");
}

/* The bytes of one stream, within the container's size and the budget. */
static enum ps_error
read_stream(struct ps_ole *o, GsfInput *in, const char *name,
    struct ps_ole_stream *s)
{
	gsf_off_t size = gsf_input_size(in);
	uint64_t *budget = ps_extract_budget(o->x);
	size_t len, got = 0;

	s->data = NULL;
	s->len = 0;
	/* Sectors of the file make a stream: a larger one repeats them. */
	if (size < 0 || (uint64_t)size > o->file_len) {
		ps_extract_partial(o->x, "corrupt: stream %s larger than the file", name);
		return PS_ERR_CORRUPT;
	}
	if ((uint64_t)size > *budget) {
		ps_extract_partial(o->x, "limit: expanded");
		return PS_ERR_LIMIT;
	}
	len = (size_t)size;
	if ((s->data = malloc(len > 0 ? len : 1)) == NULL)
		return PS_ERR_NOMEM;
	while (got < len) {
		size_t n = len - got < READ_STEP ? len - got : READ_STEP;

		if (gsf_input_read(in, n, s->data + got) == NULL) {
			ps_extract_partial(o->x, "corrupt: stream %s cut short", name);
			break;
		}
		got += n;
	}
	*budget -= got;
	s->len = got;
	o->streams++;
	return PS_OK;
}

GsfInfile *
ps_ole_root(struct ps_ole *o)
{
	return o->root;
}

enum ps_error
ps_ole_stream(struct ps_ole *o, const char *name, struct ps_ole_stream *s)
{
	return ps_ole_stream_in(o, o->root, name, s);
}

enum ps_error
ps_ole_stream_open(struct ps_ole *o, GsfInfile *storage, const char *name,
    GsfInput **in)
{
	gsf_off_t size;

	if ((*in = stream_child(o, storage, name)) == NULL)
		return PS_ERR_OPEN;
	size = gsf_input_size(*in);
	if (size < 0 || (uint64_t)size > o->file_len) {
		ps_extract_partial(o->x, "corrupt: stream %s larger than the file", name);
		g_object_unref(*in);
		*in = NULL;
		return PS_ERR_CORRUPT;
	}
	o->streams++;
	return PS_OK;
}

enum ps_error
ps_ole_stream_in(struct ps_ole *o, GsfInfile *storage, const char *name,
    struct ps_ole_stream *s)
{
	GsfInput *in = stream_child(o, storage, name);
	enum ps_error err;

	s->data = NULL;
	s->len = 0;
	if (in == NULL)
		return PS_ERR_OPEN;
	err = read_stream(o, in, name, s);
	g_object_unref(in);
	return err;
}

void
ps_ole_stream_free(struct ps_ole_stream *s)
{
	if (s->data != NULL)
		ps_wipe(s->data, s->len);
	free(s->data);
	s->data = NULL;
	s->len = 0;
}

/* Text runs of every stream of a storage and the storages inside it. */
static enum ps_error
runs_of_storage(struct ps_ole *o, GsfInfile *storage, unsigned depth)
{
	int n = gsf_infile_num_children(storage);
	enum ps_error err = PS_OK;

	for (int i = 0; i < n && err == PS_OK; i++) {
		GsfInput *c;
		const char *cn;
		char where[PS_WHERE_MAX];

		if (ps_extract_stopping(o->x))
			return PS_ERR_STOP;
		if (o->streams >= ps_extract_max_members(o->x)) {
			ps_extract_partial(o->x, "limit: members");
			break;
		}
		if ((c = gsf_infile_child_by_index(storage, i)) == NULL)
			continue;
		cn = gsf_infile_name_by_index(storage, i);
		if (GSF_IS_INFILE(c) && gsf_infile_num_children(GSF_INFILE(c)) >= 0) {
			if (depth < MAX_STORAGE_DEPTH)
				err = runs_of_storage(o, GSF_INFILE(c), depth + 1);
		} else {
			struct ps_ole_stream s;

			where_of(cn != NULL ? cn : "", where, sizeof where);
			err = read_stream(o, c, where, &s);
			if (err == PS_OK)
				err = ps_ole_text_runs(o->x, s.data, s.len, where);
			else if (err == PS_ERR_CORRUPT)
				err = PS_OK;
			ps_ole_stream_free(&s);
		}
		g_object_unref(c);
	}
	return err == PS_ERR_LIMIT ? PS_OK : err;
}

/* An Outlook message ([MS-OXMSG]): its property stream, or property
 * value streams at the root. */
static bool
is_message(GsfInfile *root)
{
	int n = gsf_infile_num_children(root);

	if (has_child(root, "__properties_version1.0"))
		return true;
	for (int i = 0; i < n; i++) {
		const char *cn = gsf_infile_name_by_index(root, i);

		if (cn != NULL && strncasecmp(cn, "__substg1.0_", 12) == 0)
			return true;
	}
	return false;
}

static enum ps_error
dispatch(struct ps_extract *x, struct ps_ole *o)
{
	if (has_child(o->root, "WordDocument"))
		return ps_ole_doc(x, o);
	if (has_child(o->root, "Workbook") || has_child(o->root, "Book"))
		return ps_ole_xls(x, o);
	if (has_child(o->root, "PowerPoint Document"))
		return ps_ole_ppt(x, o);
	if (is_message(o->root))
		return ps_ole_msg(x, o);
	ps_extract_set_type(x, "ole");
	if (has_child(o->root, "EncryptedPackage")) {
		ps_extract_partial(x, "encrypted");
		return PS_OK;
	}
	return runs_of_storage(o, o->root, 0);
}

enum ps_error
ps_extract_ole(struct ps_extract *x)
{
	struct ps_input *in = x->in;
	struct ps_ole o = { .x = x };
	unsigned char *data = NULL;
	GsfInput *mem = NULL;
	GError *gerr = NULL;
	uint64_t max = in->limit < PS_OLE_MAX_FILE ? in->limit : PS_OLE_MAX_FILE;
	size_t len = 0;
	enum ps_error err;

	err = ps_input_slurp(in, max, &data, &len);
	if (err == PS_ERR_LIMIT) {
		if (max == PS_OLE_MAX_FILE)
			in->limit_hit = "limit: compound file size";
		return PS_OK;
	}
	if (err != PS_OK) {
		if (err == PS_ERR_IO)
			snprintf(x->reason, sizeof x->reason, "read: %s", strerror(in->error));
		return err;
	}
	pthread_once(&gsf_once, gsf_setup);
	o.file_len = len;
	if ((mem = gsf_input_memory_new(data, (gsf_off_t)len, FALSE)) == NULL) {
		err = PS_ERR_NOMEM;
		goto done;
	}
	if ((o.root = gsf_infile_msole_new(mem, &gerr)) == NULL) {
		/* Not a compound file libgsf can open: what text it has. */
		ps_extract_set_type(x, "ole");
		ps_extract_partial(x, "corrupt: compound file");
		err = ps_ole_text_runs(x, data, len, "file");
		goto done;
	}
	err = dispatch(x, &o);
done:
	if (gerr != NULL)
		g_error_free(gerr);
	if (o.root != NULL)
		g_object_unref(o.root);
	if (mem != NULL)
		g_object_unref(mem);
	if (data != NULL)
		ps_wipe(data, len);
	free(data);
	return err;
}

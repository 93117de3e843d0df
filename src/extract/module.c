/*
 * module.c - the program's entry points for the extractors kept in
 * modules (see module.h): the first call to one of a module's loads it,
 * once for the run.  Which file: the module beside the running program
 * when there is one (the build tree), else the installed one in
 * PS_MODULE_DIR ($(pkglibdir)).
 */
#include "config.h"

#include "module.h"

#include <dlfcn.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#ifndef PS_MODULE_DIR
#define PS_MODULE_DIR "/usr/local/lib/piiscan"
#endif

struct module_file {
	const char *file, *symbol;
	void (*loader)(void);           /* load() for this one, for pthread_once() */
	pthread_once_t once;
	const struct ps_module *table;  /* once loaded */
	char error[sizeof ((struct ps_extract *)0)->reason];
};

static void load_ole_mail(void);
static void load_archive(void);

static struct module_file ole_mail = { PS_MODULE_OLE_MAIL_FILE,
	PS_MODULE_OLE_MAIL_SYMBOL, load_ole_mail, PTHREAD_ONCE_INIT, NULL, "" };
static struct module_file archive = { PS_MODULE_ARCHIVE_FILE,
	PS_MODULE_ARCHIVE_SYMBOL, load_archive, PTHREAD_ONCE_INIT, NULL, "" };

static void
load(struct module_file *mf)
{
	char path[PATH_MAX];
	const struct ps_module *m;
	void *handle;

	if (!ps_beside_program(mf->file, R_OK, path, sizeof path))
		snprintf(path, sizeof path, "%s/%s", PS_MODULE_DIR, mf->file);
	/* dlerror() names the file and the cause. */
	if ((handle = dlopen(path, RTLD_NOW | RTLD_LOCAL)) == NULL) {
		snprintf(mf->error, sizeof mf->error, "module: %s", dlerror());
		return;
	}
	m = dlsym(handle, mf->symbol);
	if (m == NULL || strcmp(m->version, PACKAGE_VERSION) != 0
	    || m->extract_size != sizeof(struct ps_extract)
	    || m->input_size != sizeof(struct ps_input)) {
		size_t len = strlen(path);

		/* The path's end says most. */
		snprintf(mf->error, sizeof mf->error,
		    "module: %s%.80s: built for another piiscan",
		    len > 80 ? "..." : "", len > 80 ? path + len - 80 : path);
		dlclose(handle);
		return;
	}
	mf->table = m;
}

/* pthread_once() takes no argument: a loader a module. */
static void load_ole_mail(void) { load(&ole_mail); }
static void load_archive(void) { load(&archive); }

/* Extract x with the module's extractor of that name; the module not
 * there, or without it: an error, the reason on x. */
static enum ps_error
run(struct ps_extract *x, struct module_file *mf, const char *name)
{
	pthread_once(&mf->once, mf->loader);
	if (mf->table == NULL) {
		snprintf(x->reason, sizeof x->reason, "%s", mf->error);
		return PS_ERR_IO;
	}
	for (const struct ps_module_extractor *e = mf->table->extractors;
	    e->name != NULL; e++)
		if (strcmp(e->name, name) == 0)
			return e->extract(x);
	snprintf(x->reason, sizeof x->reason, "module: %s has no %s extractor",
	    mf->file, name);
	return PS_ERR_IO;
}

enum ps_error
ps_extract_ole(struct ps_extract *x)
{
	return run(x, &ole_mail, "ole");
}

enum ps_error
ps_extract_eml(struct ps_extract *x)
{
	return run(x, &ole_mail, "eml");
}

enum ps_error
ps_extract_mbox(struct ps_extract *x)
{
	return run(x, &ole_mail, "mbox");
}

enum ps_error
ps_extract_pst(struct ps_extract *x)
{
	return run(x, &ole_mail, "pst");
}

enum ps_error
ps_extract_tar(struct ps_extract *x)
{
	return run(x, &archive, "tar");
}

enum ps_error
ps_extract_7z(struct ps_extract *x)
{
	return run(x, &archive, "7z");
}

enum ps_error
ps_extract_rar(struct ps_extract *x)
{
	return run(x, &archive, "rar");
}

enum ps_error
ps_extract_compressed(struct ps_extract *x)
{
	return run(x, &archive, "compressed");
}

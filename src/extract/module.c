/*
 * module.c - the program's entry points for the extractors of
 * piiscan-ole-mail.so (see module.h): the first call loads it, once for
 * the run.  Which file: piiscan-ole-mail.so beside the running program
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

static pthread_once_t load_once = PTHREAD_ONCE_INIT;
static const struct ps_module *module;
static char load_error[sizeof ((struct ps_extract *)0)->reason];

static void
load(void)
{
	char path[PATH_MAX];
	const struct ps_module *m;
	void *handle;

	if (!ps_beside_program(PS_MODULE_FILE, R_OK, path, sizeof path))
		snprintf(path, sizeof path, "%s/%s", PS_MODULE_DIR, PS_MODULE_FILE);
	/* dlerror() names the file and the cause. */
	if ((handle = dlopen(path, RTLD_NOW | RTLD_LOCAL)) == NULL) {
		snprintf(load_error, sizeof load_error, "module: %s", dlerror());
		return;
	}
	m = dlsym(handle, PS_MODULE_SYMBOL);
	if (m == NULL || strcmp(m->version, PACKAGE_VERSION) != 0
	    || m->extract_size != sizeof(struct ps_extract)
	    || m->input_size != sizeof(struct ps_input)) {
		size_t len = strlen(path);

		/* The path's end says most. */
		snprintf(load_error, sizeof load_error,
		    "module: %s%.80s: built for another piiscan",
		    len > 80 ? "..." : "", len > 80 ? path + len - 80 : path);
		dlclose(handle);
		return;
	}
	module = m;
}

/* The module, or NULL with the reason on x. */
static const struct ps_module *
loaded(struct ps_extract *x)
{
	pthread_once(&load_once, load);
	if (module == NULL)
		snprintf(x->reason, sizeof x->reason, "%s", load_error);
	return module;
}

enum ps_error
ps_extract_ole(struct ps_extract *x)
{
	const struct ps_module *m = loaded(x);

	return m != NULL ? m->ole(x) : PS_ERR_IO;
}

enum ps_error
ps_extract_eml(struct ps_extract *x)
{
	const struct ps_module *m = loaded(x);

	return m != NULL ? m->eml(x) : PS_ERR_IO;
}

enum ps_error
ps_extract_mbox(struct ps_extract *x)
{
	const struct ps_module *m = loaded(x);

	return m != NULL ? m->mbox(x) : PS_ERR_IO;
}

enum ps_error
ps_extract_pst(struct ps_extract *x)
{
	const struct ps_module *m = loaded(x);

	return m != NULL ? m->pst(x) : PS_ERR_IO;
}

/*
 * glibquiet.h - silencing the GLib log domains of the libraries the
 * extractors use (libgsf, GMime), for extract/ files only: their
 * warnings about damaged input would go to stderr, and may name parts of
 * the file; the file's status says what matters.
 */
#ifndef PS_GLIBQUIET_H
#define PS_GLIBQUIET_H

#include <glib.h>

/* Every level of a library's own domain, fatal ones included. */
#define PS_GLIB_ALL_LEVELS \
	(G_LOG_LEVEL_MASK | G_LOG_FLAG_FATAL | G_LOG_FLAG_RECURSION)

/* Drop the messages of domain (NULL: GLib's default domain) at levels. */
void ps_glib_quiet(const char *domain, GLogLevelFlags levels);

#endif

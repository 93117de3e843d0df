/*
 * glibquiet.c - silencing GLib log domains (see glibquiet.h).
 */
#include "config.h"

#include "glibquiet.h"

static void
ignore(const gchar *domain, GLogLevelFlags level, const gchar *message,
    gpointer data)
{
	(void)domain;
	(void)level;
	(void)message;
	(void)data;
}

void
ps_glib_quiet(const char *domain, GLogLevelFlags levels)
{
	g_log_set_handler(domain, levels, ignore, NULL);
}

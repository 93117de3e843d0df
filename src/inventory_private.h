/*
 * inventory_private.h - the connection object, shared by inventory.c and
 * inventory_read.c only.
 */
#ifndef PS_INVENTORY_PRIVATE_H
#define PS_INVENTORY_PRIVATE_H

#include <sqlite3.h>

#define PS_NAME_CACHE 64

struct ps_name_cache_entry {
	unsigned id;
	char *name;
};

struct ps_inventory {
	sqlite3 *db;
	/* Writer statements, prepared on first use. */
	sqlite3_stmt *upsert_file, *delete_findings, *insert_finding;
	sqlite3_stmt *carry_findings, *carry_file;
	int64_t scan_id;            /* the scan being written */
	char rules[40];             /* its rules digest */
	int lock_fd;                /* the writer lock, or -1 */
	struct ps_name_cache_entry users[PS_NAME_CACHE], groups[PS_NAME_CACHE];
};

#endif

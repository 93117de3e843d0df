/*
 * export.h - what an export format writes from: the output, the inventory
 * and the scan, and the filter of the reading options.  Main thread.
 */
#ifndef PS_EXPORT_H
#define PS_EXPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "inventory.h"

struct ps_export {
	FILE *out;
	struct ps_inventory *inv;
	const struct ps_scan_row *scan;
	struct ps_filter filter;
	bool to_file;               /* -o FILE: a FILE.sha256 goes beside it */
};

/* One self-contained HTML page for a reader who is not technical
 * (export_html.c). */
enum ps_error ps_export_html(struct ps_export *x);

#endif

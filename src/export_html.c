/*
 * export_html.c - placeholder: the HTML page is being written.
 */
#include "config.h"

#include "export.h"

enum ps_error
ps_export_html(struct ps_export *x)
{
	fputs("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>piiscan"
	    "</title></head><body></body></html>\n", x->out);
	return PS_OK;
}

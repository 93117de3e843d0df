/* inventory_values.c - placeholder: queries for stale and lookup. */
#include "config.h"
extern int ps_placeholder_values;

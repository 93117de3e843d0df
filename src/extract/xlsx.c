/* xlsx.c - placeholder. */
#include "config.h"
extern int ps_placeholder_xlsx;

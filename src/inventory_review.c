/* inventory_review.c - placeholder. */
#include "config.h"
extern int ps_placeholder_review;

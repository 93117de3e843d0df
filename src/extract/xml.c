/* xml.c - placeholder. */
#include "config.h"
extern int ps_placeholder_xml;

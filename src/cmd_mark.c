/* cmd_mark.c - placeholder. */
#include "config.h"
#include "cli.h"
int
ps_cmd_mark(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return PS_EXIT_USAGE;
}

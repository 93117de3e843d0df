/*
 * cmd_stale.c - placeholder: `piiscan stale` is being written.
 */
#include "config.h"

#include "cli.h"

int
ps_cmd_stale(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	ps_cli_error("stale: not available yet");
	return PS_EXIT_USAGE;
}

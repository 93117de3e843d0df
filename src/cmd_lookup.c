/*
 * cmd_lookup.c - placeholder: `piiscan lookup` is being written.
 */
#include "config.h"

#include "cli.h"

int
ps_cmd_lookup(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	ps_cli_error("lookup: not available yet");
	return PS_EXIT_USAGE;
}

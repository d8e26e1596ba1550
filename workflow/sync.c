/* sync.c: pureboot-workflow sync (stub until the DB part lands). */
#include <stdio.h>

#include "wfcmd.h"

int
wf_cmd_sync(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "pureboot-workflow: sync: not yet\n");
	return 2;
}

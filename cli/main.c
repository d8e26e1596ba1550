/* main.c: pureboot-workflow, the operator's command for workflow files.
 *   pureboot-workflow validate FILE...
 *   pureboot-workflow sync [-n] [-p] [-d CONNINFO] [DIR]
 *   pureboot-workflow resolve [-e] [-s SERIAL] ... FILE
 * Errors are printed as "file:line:column: key: reason". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "wf/workflow.h"
#include "wfcmd.h"

static void
usage(void)
{
	fprintf(stderr,
	    "usage: pureboot-workflow validate FILE...\n"
	    "       pureboot-workflow sync [-n] [-p] [-d CONNINFO] [DIR]\n"
	    "       pureboot-workflow resolve [-e] [-s SERIAL] [-m MAC] "
	    "[-H HOSTNAME]\n"
	    "                [-i NODE_ID] [-u SERVER_URL] FILE\n"
	    "  validate  check workflow files; print every error\n"
	    "  sync      load DIR (default: workflows) into pureboot.workflows\n"
	    "            in one transaction: all files valid, or nothing "
	    "changes\n"
	    "    -d      libpq connection string (default: $PB_DB, then "
	    "libpq's defaults)\n"
	    "    -n      check and show what would change, change nothing\n"
	    "    -p      also remove workflows that no file defines\n"
	    "  resolve   show the instructions a node would get (-e: its "
	    "first-boot\n"
	    "            files as the agent's PB_FILE_* lines)\n");
}

static int
cmd_validate(int argc, char **argv)
{
	struct pb_wf_diag d;
	json_t *j;
	int i, bad = 0;

	if (argc < 2) {
		usage();
		return 2;
	}
	for (i = 1; i < argc; i++) {
		if ((j = pb_wf_load_file(argv[i], &d)) == NULL) {
			pb_wf_diag_print(stderr, argv[i], &d);
			bad = 1;
			continue;
		}
		json_decref(j);
	}
	return bad;
}

int
main(int argc, char **argv)
{
	if (argc < 2) {
		usage();
		return 2;
	}
	if (strcmp(argv[1], "validate") == 0)
		return cmd_validate(argc - 1, argv + 1);
	if (strcmp(argv[1], "sync") == 0)
		return wf_cmd_sync(argc - 1, argv + 1);
	if (strcmp(argv[1], "resolve") == 0)
		return wf_cmd_resolve(argc - 1, argv + 1);
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
		usage();
		return 0;
	}
	fprintf(stderr, "pureboot-workflow: unknown command \"%.40s\"\n",
	    argv[1]);
	usage();
	return 2;
}

/* workflow_cmd.c: pureboot workflow: the group's table and validate.
 * Errors in files are printed as "file:line:column: key: reason". */
#include <stdio.h>

#include "wf/workflow.h"
#include "groups.h"

static const char validate_usage[] =
    "usage: pureboot workflow validate FILE...\n"
    "  check workflow files; print every error; exit 1 if any\n";

static int
cmd_validate(int argc, char **argv, const struct cmd *self)
{
	struct pb_wf_diag d;
	json_t *j;
	int i, bad = 0;

	if (argc < 2)
		return cmd_usage(self);
	for (i = 1; i < argc; i++) {
		if ((j = pb_wf_load_file(argv[i], &d)) == NULL) {
			pb_wf_diag_print(stderr, argv[i], &d);
			bad = 1;
			continue;
		}
		json_decref(j);
	}
	return bad ? CMD_FAIL : CMD_OK;
}

static const struct cmd workflow[] = {
	{ "validate", cmd_validate, "check workflow files; print every error",
	  validate_usage },
	{ "sync", wf_cmd_sync, "load a directory into the database, all "
	  "files or none", wf_sync_usage },
	{ "resolve", wf_cmd_resolve, "show what a node would be told by a "
	  "file", wf_resolve_usage },
	{ NULL, NULL, NULL, NULL },
};

int
workflow_main(int argc, char **argv, const struct cmd *self)
{
	(void)self;
	return cmd_dispatch(workflow, "pureboot workflow", argc, argv);
}

/* main.c: pureboot, the operator's command.
 *   pureboot workflow validate|sync|resolve ...   workflow files
 *   pureboot token create|revoke|list ...         operator API tokens
 *   pureboot nfs import|list|remove ...           diskless base trees
 *   pureboot board list|add|remove ...            U-Boot and UEFI boards
 *   pureboot node list|show|assign|transition|retire|history ...
 *   pureboot events [--follow] [NODE]             what the nodes report
 *   pureboot tree check                           lint the TFTP tree
 *   pureboot status                               is the site working
 *   pureboot db init|migrate ...                  the database and its roles
 *   pureboot help [COMMAND...]
 * Exit codes (docs/pureboot.1): 0 done, 1 failed or refused, 2 usage;
 * from the API: 3 not found, 4 conflict (api.h). */
#include <stdio.h>
#include <stdlib.h>

#include <sodium.h>

#include "core/prog.h"
#include "cmd.h"
#include "groups.h"

static int cmd_help(int, char **, const struct cmd *);

static const struct cmd top[] = {
	{ "workflow", workflow_main, "validate, sync and resolve workflow "
	  "files", NULL },
	{ "token", token_main, "create, revoke and list operator API tokens",
	  NULL },
	{ "nfs", nfs_main, "import, list and remove diskless base trees",
	  NULL },
	{ "board", board_main, "list, add and remove U-Boot and UEFI boards",
	  NULL },
	{ "node", node_main, "list, show, assign, transition, retire nodes "
	  "and show their history", NULL },
	{ "events", events_main, "the nodes' events; --follow for new ones "
	  "as they come", events_usage },
	{ "tree", tree_main, "check the TFTP tree as the Pis would fetch it",
	  NULL },
	{ "status", status_main, "services up, nodes by state, last errors",
	  status_usage },
	{ "db", db_main, "make the database and its roles, apply migrations",
	  NULL },
	{ "help", cmd_help, "this list; \"help COMMAND...\" for one command",
	  NULL },
	{ NULL, NULL, NULL, NULL },
};

/* help A B: what "pureboot A B --help" prints. */
static int
cmd_help(int argc, char **argv, const struct cmd *self)
{
	static char help[] = "--help";
	char *av[8];
	int i, n = 0;

	(void)self;
	if (argc > 4) {
		fprintf(stderr, "usage: pureboot help [COMMAND [SUBCOMMAND]]\n");
		return CMD_USAGE;
	}
	av[n++] = argv[0];
	for (i = 1; i < argc; i++)
		av[n++] = argv[i];
	av[n++] = help;
	av[n] = NULL;
	return cmd_dispatch(top, "pureboot", n, av);
}

int
main(int argc, char **argv)
{
	pb_prog_init("pureboot");
	/* token create draws its secret from randombytes_buf(). */
	if (sodium_init() < 0)
		pb_die(CMD_FAIL, "cannot initialise libsodium");
	return cmd_dispatch(top, "pureboot", argc, argv);
}

/* tree_cmd.c: pureboot tree check: the hook's own linter
 * (pureboot-tftp-hook check, tftp-hook/check.c), run as it is, so that
 * there is one check of the tree and not two that drift apart.  It
 * reads the database and the tree, so it runs on the server. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "groups.h"

static const char check_usage[] =
    "usage: pureboot tree check [-d CONNINFO] [-r TFTP_ROOT]\n"
    "  replay each node's TFTP requests against the tree and print what "
    "would fail\n"
    "  (pureboot-tftp-hook check); exit 1 on any problem\n"
    "  -d  libpq connection string (default: $PUREBOOT_DB)\n"
    "  -r  the TFTP root (default: $PUREBOOT_TFTP_ROOT)\n";

/* The hook beside this program (a build directory, /usr/sbin next to
 * /usr/bin is not), else on PATH. */
static void
hook_path(char *out, size_t outsz)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	char *slash;

	snprintf(out, outsz, "pureboot-tftp-hook");
	if (n <= 0)
		return;
	self[n] = '\0';
	if ((slash = strrchr(self, '/')) == NULL)
		return;
	*slash = '\0';
	if ((size_t)snprintf(out, outsz, "%s/pureboot-tftp-hook", self) >=
	    outsz || access(out, X_OK) != 0)
		snprintf(out, outsz, "pureboot-tftp-hook");
}

static int
cmd_check(int argc, char **argv, const struct cmd *self)
{
	char hook[PATH_MAX + 32];
	char *av[8];
	int ch, n = 0;
	char *db = NULL, *root = NULL;
	static char d[] = "-d", r[] = "-r", check[] = "check";

	optind = 1;
	while ((ch = getopt(argc, argv, "d:r:")) != -1) {
		switch (ch) {
		case 'd': db = optarg; break;
		case 'r': root = optarg; break;
		default: return cmd_usage(self);
		}
	}
	if (optind != argc)
		return cmd_usage(self);
	hook_path(hook, sizeof(hook));
	av[n++] = hook;
	if (db != NULL) {
		av[n++] = d;
		av[n++] = db;
	}
	if (root != NULL) {
		av[n++] = r;
		av[n++] = root;
	}
	av[n++] = check;
	av[n] = NULL;
	fflush(stdout);
	execvp(hook, av);
	fprintf(stderr, "pureboot tree check: \"%s\": %s\n", hook,
	    strerror(errno));
	return CMD_FAIL;
}

static const struct cmd tree_cmds[] = {
	{ "check", cmd_check, "lint the TFTP tree as the Pis would fetch it",
	  check_usage },
	{ NULL, NULL, NULL, NULL },
};

int
tree_main(int argc, char **argv, const struct cmd *self)
{
	(void)self;
	return cmd_dispatch(tree_cmds, "pureboot tree", argc, argv);
}

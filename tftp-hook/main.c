/* main.c: pureboot-tftp-hook, the TFTP tree of a PureBoot-Pi site.
 *
 *   pureboot-tftp-hook [-d CONNINFO] -r ROOT sync
 *   pureboot-tftp-hook [-d CONNINFO] -r ROOT [-i SECONDS] watch
 *   pureboot-tftp-hook [-d CONNINFO] -r ROOT check
 *   pureboot-tftp-hook dhcp-script ACTION ARGS...   (or as dnsmasq calls
 *       it: pureboot-tftp-hook add|old|del|tftp|init ...)
 *
 * CONNINFO defaults to $PUREBOOT_DB, ROOT to $PUREBOOT_TFTP_ROOT. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/prog.h"
#include "hook.h"

static const char usage[] =
    "usage: pureboot-tftp-hook [-d CONNINFO] [-r TFTP_ROOT] [-i SECONDS] "
    "[-n] [-b BATCH] sync|watch|check\n"
    "       pureboot-tftp-hook dhcp-script add|old|del|tftp ARGS...\n"
    "  CONNINFO defaults to $PUREBOOT_DB, TFTP_ROOT to "
    "$PUREBOOT_TFTP_ROOT\n"
    "  -n: no fsync (tests only)\n";

static int
is_dnsmasq_action(const char *a)
{
	static const char *const acts[] = {
		"add", "old", "del", "tftp", "init", "arp", "arp-add", "arp-del",
		"relay-snoop", NULL,
	};
	const char *const *p;

	for (p = acts; *p != NULL; p++)
		if (strcmp(*p, a) == 0)
			return 1;
	return 0;
}

int
main(int argc, char **argv)
{
	struct hookctx h;
	struct pb_err e;
	const char *root, *mode;
	int c, interval = 300, flags = TREE_FSYNC, rc;

	pb_prog_init("pureboot-tftp-hook");
	/* dnsmasq runs the script with its action as the first argument;
	 * that path must never fail. */
	if (argc >= 2 && is_dnsmasq_action(argv[1]))
		return mode_dhcp(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "dhcp-script") == 0)
		return mode_dhcp(argc - 2, argv + 2);

	memset(&h, 0, sizeof(h));
	h.conninfo = getenv("PUREBOOT_DB");
	root = getenv("PUREBOOT_TFTP_ROOT");
	h.batch = 256;
	while ((c = getopt(argc, argv, "d:r:i:nb:")) != -1) {
		switch (c) {
		case 'd': h.conninfo = optarg; break;
		case 'r': root = optarg; break;
		case 'i': interval = pb_opt_int(optarg, 1, 86400, "interval"); break;
		case 'n': flags &= ~TREE_FSYNC; break;
		case 'b': h.batch = pb_opt_int(optarg, 1, 100000, "batch"); break;
		default: pb_usage(2, usage);
		}
	}
	if (optind != argc - 1 || root == NULL)
		pb_usage(2, usage);
	mode = argv[optind];
	/* Files are 0644 and directories 0755 whatever the caller's umask:
	 * dnsmasq running as root serves only world-readable files. */
	umask(022);
	if (strcmp(mode, "check") == 0)
		flags = TREE_READONLY;
	else if (strcmp(mode, "sync") != 0 && strcmp(mode, "watch") != 0)
		pb_usage(2, usage);
	if (tree_open(&h.tree, root, flags, &e) == -1) {
		hook_log("%s", e.msg);
		return 1;
	}
	if (strcmp(mode, "watch") == 0) {
		rc = mode_watch(&h, interval);
		goto out;
	}
	if ((h.db = db_connect(h.conninfo, &e)) == NULL) {
		hook_log("%s", e.msg);
		rc = 1;
		goto out;
	}
	if (strcmp(mode, "check") == 0)
		rc = mode_check(&h);
	else {
		rc = reconcile(&h, &e) == 0 && h.skipped == 0 ? 0 : 1;
		if (rc != 0 && h.skipped != 0)
			hook_log("sync: %lu nodes skipped for bad data (see "
			    "above)", h.skipped);
	}
out:
	PQfinish(h.db);
	tree_close(&h.tree);
	strmap_free(&h.id_serial);
	strmap_free(&h.id_macdir);
	strmap_free(&h.owner);
	return rc;
}

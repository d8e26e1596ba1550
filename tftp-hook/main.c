/* main.c: pureboot-tftp-hook, the TFTP tree of a PureBoot-Pi site.
 *
 *   pureboot-tftp-hook [-d CONNINFO] -r ROOT sync
 *   pureboot-tftp-hook [-d CONNINFO] -r ROOT [-i SECONDS] watch
 *   pureboot-tftp-hook [-d CONNINFO] -r ROOT check
 *   sync and watch also take the diskless nodes' options:
 *       --nfs-root DIR [--nfs-clients SPEC] [--nfs-exports FILE
 *       --nfs-exports-format exports|ganesha] [--nfs-reload CMD]
 *   pureboot-tftp-hook dhcp-script ACTION ARGS...   (or as dnsmasq calls
 *       it: pureboot-tftp-hook add|old|del|tftp|init ...)
 *
 * CONNINFO defaults to $PUREBOOT_DB, ROOT to $PUREBOOT_TFTP_ROOT. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/chars.h"
#include "core/prog.h"
#include "db.h"
#include "dhcp.h"
#include "hookctx.h"
#include "log.h"
#include "tree.h"

static const char usage[] =
    "usage: pureboot-tftp-hook [-d CONNINFO] [-r TFTP_ROOT] [-i SECONDS] "
    "[-n] [-b BATCH] sync|watch|check\n"
    "       pureboot-tftp-hook dhcp-script add|old|del|tftp ARGS...\n"
    "  CONNINFO defaults to $PUREBOOT_DB, TFTP_ROOT to "
    "$PUREBOOT_TFTP_ROOT\n"
    "  -n: no fsync (tests only)\n"
    "  diskless nodes (docs/diskless.md), sync and watch:\n"
    "    --nfs-root DIR            <nfsroot>: base/ and nodes/ (none: no NFS)\n"
    "    --nfs-clients SPEC        who may mount the bases: * (default) or\n"
    "                              ADDR[/PREFIX],...\n"
    "    --nfs-exports FILE        the exports file to write (none: not written)\n"
    "    --nfs-exports-format F    exports (kernel nfsd, default) or ganesha\n"
    "    --nfs-reload CMD          run by /bin/sh after the exports changed\n";

enum { OPT_NFS_ROOT = 256, OPT_NFS_CLIENTS, OPT_NFS_EXPORTS, OPT_NFS_FORMAT,
	OPT_NFS_RELOAD };

static const struct option longopts[] = {
	{ "nfs-root", required_argument, NULL, OPT_NFS_ROOT },
	{ "nfs-clients", required_argument, NULL, OPT_NFS_CLIENTS },
	{ "nfs-exports", required_argument, NULL, OPT_NFS_EXPORTS },
	{ "nfs-exports-format", required_argument, NULL, OPT_NFS_FORMAT },
	{ "nfs-reload", required_argument, NULL, OPT_NFS_RELOAD },
	{ NULL, 0, NULL, 0 },
};

/* The --nfs-* values, checked: they go into the exports file. */
static void
nfs_opts_check(struct nfscfg *n)
{
	struct pb_err e;

	if (n->root == NULL) {
		if (n->exports != NULL || n->reload != NULL)
			pb_die(2, "--nfs-exports and --nfs-reload need --nfs-root");
		return;
	}
	if (pb_check_abspath("--nfs-root", n->root, &e) == -1)
		pb_die(2, "%s", e.msg);
	/* <root>/base/<128-byte name> must fit an export's 255 bytes. */
	if (strlen(n->root) > 120)
		pb_die(2, "--nfs-root \"%.40s...\" is longer than 120 characters",
		    n->root);
	if (strcmp(n->root, "/") == 0)
		pb_die(2, "--nfs-root \"/\": the NFS root must be a directory of "
		    "its own");
	if (nfs_clients_check(n->clients, &e) == -1)
		pb_die(2, "--nfs-clients: %s", e.msg);
	if (n->reload != NULL && n->exports == NULL)
		pb_die(2, "--nfs-reload needs --nfs-exports");
}

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
	h.nfs.clients = "*";
	h.nfs.format = EXPORTS_NFSD;
	while ((c = getopt_long(argc, argv, "d:r:i:nb:", longopts, NULL)) != -1) {
		switch (c) {
		case 'd': h.conninfo = optarg; break;
		case 'r': root = optarg; break;
		case 'i': interval = pb_opt_int(optarg, 1, 86400, "interval"); break;
		case 'n': flags &= ~TREE_FSYNC; break;
		case 'b': h.batch = pb_opt_int(optarg, 1, 100000, "batch"); break;
		case OPT_NFS_ROOT: h.nfs.root = optarg; break;
		case OPT_NFS_CLIENTS: h.nfs.clients = optarg; break;
		case OPT_NFS_EXPORTS: h.nfs.exports = optarg; break;
		case OPT_NFS_FORMAT:
			if (exports_format_parse(&h.nfs.format, optarg, &e) == -1)
				pb_die(2, "--nfs-exports-format: %s", e.msg);
			break;
		case OPT_NFS_RELOAD: h.nfs.reload = optarg; break;
		default: pb_usage(2, usage);
		}
	}
	if (optind != argc - 1 || root == NULL)
		pb_usage(2, usage);
	mode = argv[optind];
	nfs_opts_check(&h.nfs);
	/* Files are 0644 and directories 0755 whatever the caller's umask:
	 * dnsmasq running as root serves only world-readable files. */
	umask(022);
	if (strcmp(mode, "check") == 0) {
		flags = TREE_READONLY;
		h.nfs.root = NULL;	/* check reads the TFTP tree only */
	}
	else if (strcmp(mode, "sync") != 0 && strcmp(mode, "watch") != 0)
		pb_usage(2, usage);
	h.nfs.nd.rootfd = h.nfs.nd.nodesfd = -1;
	if (tree_open(&h.tree, root, flags, &e) == -1) {
		hook_log("%s", e.msg);
		return 1;
	}
	if (h.nfs.root != NULL && nodedir_open(&h.nfs.nd, h.nfs.root,
	    (flags & TREE_FSYNC) != 0, &e) == -1) {
		hook_log("%s", e.msg);
		rc = 1;
		goto out;
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
	nodedir_close(&h.nfs.nd);
	strset_free(&h.nfs.exported);
	strmap_free(&h.id_serial);
	strmap_free(&h.id_macdir);
	strmap_free(&h.id_boardmac);
	strmap_free(&h.owner);
	strmap_free(&h.skip_why);
	return rc;
}

/* nfsplan.h: what <nfsroot>/nodes/ and the exports must hold for one
 * node (nfsplan.c; pure, no writes).  nfs.c executes a plan. */
#ifndef PB_HOOK_NFSPLAN_H
#define PB_HOOK_NFSPLAN_H

#include "nodedir.h"

/* The database's view of one node, as text (nfs.c's query). */
struct nfs_row {
	const char *id, *serial, *hostname, *state, *addr, *mac;
	const char *install_method;
	const char *definition;	/* the workflow's JSON, as text */
	const char *epoch;	/* node_nfs_epoch() */
	const char *vars;	/* nodes.vars as text (sql/038), or NULL */
};

enum nfs_kind {
	NFS_NONE,	/* no directory: removed when the hook made one */
	NFS_SKIP,	/* bad data: log, leave its directory as it is */
	NFS_NODE,	/* its directory and, with an address, its export */
	NFS_DEPROV,	/* deprovisioning: removed, then the node retired */
};

struct nfs_plan {
	enum nfs_kind kind;
	struct node_ident ni;	/* id always; serial "" when invalid */
	char addr[46];		/* NODE: the known address, "" for none */
	char why[512];		/* SKIP: the reason */
};

/* Does a node in this state keep its directory (1), lose it (0), or
 * is the state unknown (-1)?  Kept on the install and run path:
 * pending, installing, install_failed, installed, active, migrating,
 * serving_source, cloning_target; lost in discovered, reprovision,
 * deprovisioning, retired. */
int nfs_state_keeps(const char *state);
/* The plan of row for the hook whose nfs root is root ("/srv/nfsroot");
 * server: the server_url setting ("" when unset), for ${server}. */
void nfs_plan_node(const char *root, const char *server,
    const struct nfs_row *row, struct nfs_plan *p);

#endif

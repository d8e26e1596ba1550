/* nodedir.h: the diskless nodes' directories, <nfsroot>/nodes/<serial>/
 * (nodedir.c, the only code that writes them; docs/diskless.md). */
#ifndef PB_HOOK_NODEDIR_H
#define PB_HOOK_NODEDIR_H

#include "core/err.h"
#include "strset.h"

/* The file that says the hook made a directory, and for which node. */
#define NODEDIR_MARK ".pureboot-node"

struct nodedir {
	const char *root;	/* <nfsroot>, borrowed */
	int rootfd, nodesfd;	/* <nfsroot>, <nfsroot>/nodes */
	int fsync;
	unsigned long made, updated, removed;
};

/* What a node's directory holds of the database: its identity files
 * follow hostname; epoch (node_nfs_epoch()) tells one life of the node
 * from the next. */
struct node_ident {
	char id[37];
	char serial[9];
	char hostname[64];
	long long epoch;
};

/* Opens <nfsroot> and makes nodes/ in it when missing; removes what an
 * interrupted run left there. */
int nodedir_open(struct nodedir *nd, const char *root, int fsync,
    struct pb_err *e);
void nodedir_close(struct nodedir *nd);
/* Make the node's directory when missing (or of an earlier life: made
 * again), else bring hostname and fstab up to date; machine-id and the
 * ssh host key are made with the directory and never again.  1 made,
 * 0 already there, -1 left alone (e says why). */
int nodedir_put(struct nodedir *nd, const struct node_ident *ni,
    struct pb_err *e);
/* Remove nodes/<serial> when the hook made it (for node id, or for any
 * node when id is NULL): renamed out of sight first, then taken apart.
 * 1 removed, 0 nothing of ours there, -1 error. */
int nodedir_remove(struct nodedir *nd, const char *serial, const char *id,
    struct pb_err *e);
/* Remove every directory of ours whose serial keep does not hold;
 * the number of errors (logged). */
int nodedir_sweep(struct nodedir *nd, const struct strset *keep);

#endif

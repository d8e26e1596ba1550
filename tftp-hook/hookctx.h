/* hookctx.h: the running hook (tree, database, settings, who holds
 * which names) and the modes that act on it: reconcile.c, watch.c,
 * check.c. */
#ifndef PB_HOOK_CTX_H
#define PB_HOOK_CTX_H

#include <libpq-fe.h>

#include "core/err.h"
#include "exports.h"
#include "nodedir.h"
#include "plan.h"
#include "strset.h"
#include "tree.h"

/* The names one node holds in the tree ("": none): its serial dir,
 * its MAC fence dir, and a board's two files by its MAC. */
struct node_names {
	char serial[9];
	char macdir[18];
	char boardmac[18];
};

/* --nfs-*: the diskless nodes' side (nfs.c); root NULL: none. */
struct nfscfg {
	const char *root;	/* <nfsroot> */
	const char *clients;	/* who may mount the bases */
	const char *exports;	/* the exports file; NULL: none */
	enum exports_format format;
	const char *reload;	/* run after the exports changed */
	struct nodedir nd;
	struct strset exported;	/* node ids with an export now */
};

struct hookctx {
	struct tree tree;
	PGconn *db;
	const char *conninfo;
	struct env env;
	/* Who has which names, for watch: node id -> its serial and its
	 * MAC dir and its board files' MAC (struct node_names, one map
	 * per field; reconcile.c) and name -> node id. */
	struct strmap id_serial, id_macdir, id_boardmac, owner;
	/* node id -> a sum of why it was last skipped: the same reason is
	 * logged once, not at every reconcile (reconcile.c). */
	struct strmap skip_why;
	struct nfscfg nfs;
	int batch;		/* nodes per syncfs batch */
	unsigned long skipped;
};

/* reconcile.c: every node, or the one node a NOTIFY names. */
int reconcile(struct hookctx *h, struct pb_err *e);
int render_one(struct hookctx *h, const char *id, struct pb_err *e);

int mode_watch(struct hookctx *h, int interval);	/* watch.c */
int mode_check(struct hookctx *h);			/* check.c */

#endif

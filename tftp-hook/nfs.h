/* nfs.h: the diskless nodes' directories and exports (nfs.c), when the
 * hook runs with --nfs-root. */
#ifndef PB_HOOK_NFS_H
#define PB_HOOK_NFS_H

struct hookctx;

/* Every node: directories made, kept, removed; the exports; the
 * deprovisioned nodes retired.  The number of errors (logged). */
int nfs_reconcile(struct hookctx *h);
/* One node, by id; old_serial: the serial it had at the last render
 * ("" for none).  The number of errors (logged). */
int nfs_render_one(struct hookctx *h, const char *id, const char *old_serial);

#endif

/* nfs.h: what the files of "pureboot nfs" share: where the bases are,
 * which nodes use which base (from the database), and the tree helpers
 * (remove, size).  docs/diskless.md "Base images". */
#ifndef PB_CLI_NFS_H
#define PB_CLI_NFS_H

#include <stdint.h>

#include <jansson.h>
#include <libpq-fe.h>

#include "core/nfsbase.h"

#define NFS_ROOT_DEFAULT "/srv/nfsroot"

/* --nfs-root's value, else $PUREBOOT_NFS_ROOT, else NFS_ROOT_DEFAULT. */
const char *nfs_root(const char *opt);

/* The nodes that use a base: one per node whose workflow has
 * install_method nfs and is not retired, with the nfs_image its
 * workflow resolves to for it. */
struct nfs_user {
	char who[40];		/* serial, else node id */
	char *image;
};
struct nfs_usage {
	struct nfs_user *v;
	size_t n;
};

/* u filled from c (nfs_usage_free() it); -1 with the reason printed. */
int nfs_usage_load(PGconn *c, struct nfs_usage *u, const char *where);
void nfs_usage_free(struct nfs_usage *u);
/* How many users name base; their "who"s, comma-separated, in buf. */
size_t nfs_usage_of(const struct nfs_usage *u, const char *base, char *buf,
    size_t bufsz);

/* The users of base as a JSON array of their "who"s (new). */
json_t *nfs_usage_json(const struct nfs_usage *u, const char *base);

/* Remove the tree at path (never following a symlink); 0, or -1 with
 * "where: remove \"path\": reason" printed. */
int nfs_tree_remove(const char *path, const char *where);
/* Bytes on disk of the tree at path (blocks, hard links once); -1 with
 * the reason printed. */
int nfs_tree_bytes(const char *path, int64_t *bytes, const char *where);

/* <root>/base into dir, made (mkdir -p) when create; -1 with the
 * reason printed, or unprinted with errno ENOENT when !create and it is
 * not there. */
int nfs_base_dir(const char *root, int create, char *dir, size_t dirsz,
    const char *where);

#endif

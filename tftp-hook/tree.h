/* tree.h: the TFTP tree and the only code that writes it (tree.c; its
 * manifest, manifest.c).  A dirspec is what a directory must hold. */
#ifndef PB_HOOK_TREE_H
#define PB_HOOK_TREE_H

#include <stddef.h>

#include "core/err.h"
#include "strset.h"

/* One entry of a directory the hook renders. */
struct ent {
	char name[40];
	int is_link;		/* else a regular file, mode 0644 */
	char target[160];	/* link target, relative */
	size_t len;		/* file length */
	char data[1024];	/* file content */
};

#define DIR_MAXENT 24

/* A directory as it must be on disk: exactly these entries. */
struct dirspec {
	char name[HOOK_NAME_MAX];
	size_t n;
	struct ent e[DIR_MAXENT];
};

/* The tree and its manifest (tree.c, manifest.c). */
struct tree {
	const char *root;	/* path, borrowed */
	int rootfd;
	int fsync;		/* 0: skip fsync (tests, bench of the loop) */
	int manfd;		/* append-only manifest log */
	struct strset man;	/* names the hook created */
	/* Counters for the log line of a reconcile. */
	unsigned long written, unchanged, removed;
	/* Manifest lines appended since it was last written whole. */
	unsigned long appended;
	/* Renames not yet made durable by an fsync of the root. */
	int dirty;
};

#define TREE_FSYNC	1	/* make each change durable before it is visible */
#define TREE_READONLY	2	/* check mode: no lock, no cleanup, no writes */
int tree_open(struct tree *t, const char *root, int flags, struct pb_err *e);
void tree_close(struct tree *t);

/* A directory built under a temporary name, not yet visible. */
struct staged {
	char name[HOOK_NAME_MAX];
	char tmp[HOOK_NAME_MAX + 16];
};
/* Compare d with the disk: 0 already so (nothing staged), 1 staged in
 * *st, -1 error (nothing changed).  sync: fsync what it wrote (else the
 * caller calls tree_sync() before tree_commit()). */
int tree_stage_dir(struct tree *t, const struct dirspec *d, int sync,
    struct staged *st, struct pb_err *e);
/* Swap a staged directory into place (RENAME_EXCHANGE or a plain
 * rename for a new name) and remove the old one. */
int tree_commit(struct tree *t, struct staged *st, struct pb_err *e);
/* stage + fsync + commit: 1 written, 0 already so, -1 error. */
int tree_put_dir(struct tree *t, const struct dirspec *d, struct pb_err *e);
/* A link or file at the top of the root, or a board's file in
 * pxelinux.cfg/ or grub/ (hook_sub_name_ok; the directory made and
 * claimed when missing): temp name beside it, then rename over. */
int tree_put_rootent(struct tree *t, const struct ent *en, struct pb_err *e);
/* Remove a name the manifest holds; 0 also when it is gone already. */
int tree_remove(struct tree *t, const char *name, struct pb_err *e);
/* Rewrite the manifest from the set (after a full reconcile). */
int tree_compact(struct tree *t, struct pb_err *e);
/* Flush all writes since the last call (one syncfs for a batch). */
int tree_sync(struct tree *t, struct pb_err *e);

#endif

/* hook.h: pureboot-tftp-hook, the one program that writes the TFTP
 * tree (docs/operator-guide.md, "The tree"; docs/pi-boot.md).  Shared
 * types of its files. */
#ifndef PB_HOOK_H
#define PB_HOOK_H

#include <stddef.h>

#include <libpq-fe.h>

#include "core/err.h"
#include "core/ident.h"
#include "boot/model.h"
#include "boot/pimodel.h"
#include "wf/wf_instructions.h"

#include "log.h"
#include "names.h"
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
/* A link or file at the top of the root: temp name, then rename over. */
int tree_put_rootent(struct tree *t, const struct ent *en, struct pb_err *e);
/* Remove a name the manifest holds; 0 also when it is gone already. */
int tree_remove(struct tree *t, const char *name, struct pb_err *e);
/* Rewrite the manifest from the set (after a full reconcile). */
int tree_compact(struct tree *t, struct pb_err *e);
/* Is name ours (in the manifest)? */
int tree_owns(const struct tree *t, const char *name);
/* Flush all writes since the last call (one syncfs for a batch). */
int tree_sync(struct tree *t, struct pb_err *e);

/* The database's view of one node, validated (plan.c). */
struct node_row {
	const char *id, *serial, *mac, *model, *hostname, *state, *boot_mode;
	const char *install_method;
	const char *definition;	/* the workflow's JSON, as text */
};

/* What the environment offers the renderer (settings, files on disk). */
struct env {
	char server[256];	/* "" when the setting is missing or bad */
	int discovery;
	/* Per model: the DTB to name in config.txt (first candidate found
	 * in rpi-firmware/, else the first candidate). */
	const char *dtb[PB_NMODELS];
	int dtb_present[PB_NMODELS];
	int have_overlays;
};

enum plan_kind {
	PLAN_NONE,	/* not a Pi node: nothing of it in the tree */
	PLAN_SKIP,	/* bad data: log, leave its names as they are */
	PLAN_FENCE,	/* must boot locally */
	PLAN_BOOT,	/* deploy environment or NFS */
};

struct plan {
	enum plan_kind kind;
	char id[37];
	char serial[9];		/* "" when none or invalid */
	char macdir[18];	/* "" when none */
	struct dirspec dir;	/* the serial dir (FENCE, BOOT) */
	int want_macdir;	/* FENCE with a MAC */
	int pi3_boot;		/* BOOT of a Pi 3 family node: needs bootcode.bin */
	char why[512];		/* SKIP: the reason */
	struct pb_wf_nfs nfs;	/* BOOT of an nfs workflow: its root */
};

void env_load_files(struct env *env, int rootfd);
void plan_node(const struct env *env, const struct node_row *row,
    struct plan *p);
/* The discovery root entries (on: rendered; count in *n). */
int plan_root(const struct env *env, struct ent *ents, size_t max, size_t *n,
    struct pb_err *e);

/* db.c */
PGconn *db_connect(const char *conninfo, struct pb_err *e);
PGconn *db_connect_timeout(const char *conninfo, int timeout_ms,
    struct pb_err *e);
int db_settings(PGconn *db, struct env *env, struct pb_err *e);
/* All Pi nodes, or one node by id (NULL: all). */
PGresult *db_nodes(PGconn *db, const char *id, struct pb_err *e);
void db_row(PGresult *res, int i, struct node_row *row);

/* reconcile.c */
/* The top-level names one node holds in the tree ("": none). */
struct node_names {
	char serial[9];
	char macdir[18];
};

struct hookctx {
	struct tree tree;
	PGconn *db;
	const char *conninfo;
	struct env env;
	/* Who has which names, for watch: node id -> its serial and its
	 * MAC dir (struct node_names, one map per field; reconcile.c) and
	 * name -> node id. */
	struct strmap id_serial, id_macdir, owner;
	int batch;		/* nodes per syncfs batch */
	unsigned long skipped;
};
int reconcile(struct hookctx *h, struct pb_err *e);
int render_one(struct hookctx *h, const char *id, struct pb_err *e);

/* log.c */

/* modes */
int mode_watch(struct hookctx *h, int interval);
int mode_check(struct hookctx *h);
int mode_dhcp(int argc, char **argv);

#endif

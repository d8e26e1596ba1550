/* plan.h: what the tree must hold for one node, and for the discovery
 * root (plan.c; no writes).  apply in reconcile.c executes a plan. */
#ifndef PB_HOOK_PLAN_H
#define PB_HOOK_PLAN_H

#include <stddef.h>

#include "core/err.h"
#include "boot/model.h"
#include "wf/wf_instructions.h"
#include "strset.h"
#include "tree.h"

/* The database's view of one node (db.c), as text: plan.c validates it. */
struct node_row {
	const char *id, *serial, *mac, *model, *hostname, *state, *boot_mode;
	const char *install_method;
	const char *definition;	/* the workflow's JSON, as text */
	const char *vars;	/* nodes.vars as text (sql/038), or NULL */
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

/* A plan's directories: the serial dir, then the MAC fence, in the
 * order apply makes them (fence first: each step alone is safe). */
#define PLAN_MAXDIRS 2
/* Root entries one node needs: bootcode.bin for a Pi 3. */
#define PLAN_MAXROOT 1

/* Everything the tree must hold for one node; apply (reconcile.c)
 * executes it and decides nothing. */
struct plan {
	enum plan_kind kind;
	char id[37];
	char serial[9];		/* "" when none or invalid */
	char macdir[18];	/* the MAC as a dir name; "" when none */
	size_t ndirs;
	struct dirspec dirs[PLAN_MAXDIRS];	/* FENCE, BOOT */
	size_t nroot;
	struct ent root[PLAN_MAXROOT];		/* BOOT */
	char why[512];		/* SKIP: the reason */
	struct pb_wf_nfs nfs;	/* BOOT of an nfs workflow: its root */
};

void env_load_files(struct env *env, int rootfd);
void plan_node(const struct env *env, const struct node_row *row,
    struct plan *p);
/* Add the names p keeps in the tree to want (SKIP: the names it has,
 * so that a fence stays a fence). */
void plan_names(const struct plan *p, struct strset *want);
/* The discovery root entries (on: rendered; count in *n). */
int plan_root(const struct env *env, struct ent *ents, size_t max, size_t *n,
    struct pb_err *e);

#endif

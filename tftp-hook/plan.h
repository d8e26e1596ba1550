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
	/* Board nodes (uboot, uefi): the board, its console and extra
	 * words, and the DTB (the node's own, else the board's). */
	const char *board, *console, *cmdline_extra, *dtb;
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
	PLAN_NONE,	/* not a Pi or board node: nothing of it in the tree */
	PLAN_SKIP,	/* bad data: log, leave its names as they are */
	PLAN_FENCE,	/* must boot locally */
	PLAN_BOOT,	/* deploy environment or NFS */
};

/* A plan's directories: the serial dir, then the MAC fence, in the
 * order apply makes them (fence first: each step alone is safe). */
#define PLAN_MAXDIRS 2
/* Root entries one node needs: bootcode.bin for a Pi 3. */
#define PLAN_MAXROOT 1
/* A board node's files: pxelinux.cfg/01-<mac>, grub/grub.cfg-01-<mac>. */
#define PLAN_MAXFILES 2
/* The boards' root files: pxelinux.cfg/default, grub/grub.cfg,
 * boot.scr.uimg. */
#define PLAN_BOARD_ROOT 3

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
	char boardmac[18];	/* a board node's MAC dir name: its files */
	size_t nfiles;
	struct ent files[PLAN_MAXFILES];	/* board FENCE, BOOT; first */
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

/* boardplan.c: a U-Boot or UEFI node (named by MAC), and the boards'
 * root files: discovery on, the discovery boot; off, nothing bootable.
 * Always PLAN_BOARD_ROOT of them. */
int plan_board(const struct env *env, const struct node_row *row,
    struct plan *p, struct pb_wf_node *wn);
int plan_board_root(const struct env *env, struct ent *ents, size_t max,
    size_t *n, struct pb_err *e);
/* The two file names of a board node of MAC dir name macdir. */
void plan_board_names(const char *macdir, char pxe[HOOK_NAME_MAX],
    char grub[HOOK_NAME_MAX]);
extern const char hook_boot_cmd[];	/* bootscr.c */

/* plan.c's steps that boardplan.c shares: skip the node (what "value"
 * why, or a message), a new directory, the NFS root, the hostname and
 * server checks.  Each returns 0 (-1 only when p is full). */
int plan_skip(struct plan *p, const char *what, const char *v,
    const char *why);
int plan_skip_msg(struct plan *p, const char *msg);
struct dirspec *plan_add_dir(struct plan *p, const char *name);
int plan_nfs(const struct node_row *row, struct plan *p,
    const struct pb_wf_node *wn);
int plan_node_values(const struct env *env, const struct node_row *row,
    struct plan *p, struct pb_wf_node *wn);

#endif

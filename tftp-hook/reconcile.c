/* reconcile.c: make the tree match the database, for every node (a
 * reconcile) or for one (on NOTIFY). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "db.h"
#include "hookctx.h"
#include "log.h"
#include "manifest.h"
#include "names.h"
#include "nfs.h"
#include "plan.h"
#include "strset.h"
#include "tree.h"

#define ROOT_MAX 32

/* A node skipped for the reason it was skipped for last time is not
 * logged again: a periodic reconcile would repeat the line for every
 * such node at every interval (a few hundred nodes registered without
 * a model made thousands of lines in minutes).  A new reason is logged,
 * and so is the old one after the node was fine in between. */
static void
log_skip(struct hookctx *h, const struct plan *p)
{
	unsigned long long sum = 1469598103934665603ULL;	/* FNV-1a */
	const unsigned char *c;
	const char *was;
	char hex[17];

	for (c = (const unsigned char *)p->why; *c != '\0'; c++)
		sum = (sum ^ *c) * 1099511628211ULL;
	snprintf(hex, sizeof(hex), "%016llx", sum);
	was = strmap_get(&h->skip_why, p->id);
	if (was != NULL && strcmp(was, hex) == 0)
		return;
	hook_log("node %s: %s: skipped, its files stay as they were", p->id,
	    p->why);
	/* Without room to remember it, it is logged again next time. */
	(void)strmap_set(&h->skip_why, p->id, hex);
}

/* The names node id held at the last reconcile or render. */
static void
names_get(const struct hookctx *h, const char *id, struct node_names *nn)
{
	const char *s = strmap_get(&h->id_serial, id);
	const char *m = strmap_get(&h->id_macdir, id);
	const char *b = strmap_get(&h->id_boardmac, id);

	snprintf(nn->serial, sizeof(nn->serial), "%s", s ? s : "");
	snprintf(nn->macdir, sizeof(nn->macdir), "%s", m ? m : "");
	snprintf(nn->boardmac, sizeof(nn->boardmac), "%s", b ? b : "");
}

/* Does p make a directory of this name? */
static int
plan_has_dir(const struct plan *p, const char *name)
{
	size_t i;

	for (i = 0; i < p->ndirs; i++)
		if (strcmp(p->dirs[i].name, name) == 0)
			return 1;
	return 0;
}

static void
claim(struct hookctx *h, const struct plan *p)
{
	struct node_names nn;

	char pxe[HOOK_NAME_MAX], grub[HOOK_NAME_MAX];

	if (p->kind == PLAN_NONE) {
		strmap_del(&h->id_serial, p->id);
		strmap_del(&h->id_macdir, p->id);
		strmap_del(&h->id_boardmac, p->id);
		return;
	}
	memcpy(nn.serial, p->serial, sizeof(nn.serial));
	nn.macdir[0] = '\0';
	if (p->macdir[0] != '\0' &&
	    (p->kind == PLAN_SKIP || plan_has_dir(p, p->macdir)))
		memcpy(nn.macdir, p->macdir, sizeof(nn.macdir));
	strmap_set(&h->id_serial, p->id, nn.serial);
	strmap_set(&h->id_macdir, p->id, nn.macdir);
	if (nn.serial[0] != '\0')
		strmap_set(&h->owner, nn.serial, p->id);
	if (nn.macdir[0] != '\0')
		strmap_set(&h->owner, nn.macdir, p->id);
	strmap_set(&h->id_boardmac, p->id, p->boardmac);
	if (p->boardmac[0] != '\0') {
		plan_board_names(p->boardmac, pxe, grub);
		strmap_set(&h->owner, pxe, p->id);
		strmap_set(&h->owner, grub, p->id);
	}
}

/* Where apply() writes.  A reconcile stages directories (st != NULL)
 * for one syncfs per batch and gathers the root entries its nodes need
 * for put_root(); a single-node render (st == NULL) makes each change
 * durable and visible at once. */
struct batch {
	struct staged *st;
	size_t n, max;
	struct ent root[ROOT_MAX];	/* the nodes' root entries, by name */
	size_t nroot;
	struct strset *want;		/* names the tree keeps */
	int errors;
};

static int
flush(struct hookctx *h, struct batch *b, struct pb_err *e)
{
	size_t i;

	if (b->n == 0)
		return 0;
	/* One syncfs for the batch instead of an fsync per file: the
	 * content and the manifest lines are on disk before any rename. */
	if (tree_sync(&h->tree, e) == -1)
		return -1;
	for (i = 0; i < b->n; i++)
		if (tree_commit(&h->tree, &b->st[i], e) == -1) {
			hook_log("%s", e->msg);
			b->errors++;
		}
	b->n = 0;
	return 0;
}

/* Stage d into the batch when it differs from the disk. */
static void
stage(struct hookctx *h, const struct plan *p, const struct dirspec *d,
    struct batch *b)
{
	struct pb_err e;

	switch (tree_stage_dir(&h->tree, d, 0, &b->st[b->n], &e)) {
	case -1:
		hook_log("node %s: %s", p->id, e.msg);
		b->errors++;
		break;
	case 1:
		b->n++;
		break;
	}
}

/* A root entry a node needs, once however many nodes need it. */
static void
gather_root(struct batch *b, const struct ent *en)
{
	size_t i;

	for (i = 0; i < b->nroot; i++)
		if (strcmp(b->root[i].name, en->name) == 0)
			return;
	if (b->nroot == ROOT_MAX) {
		hook_log("root entry \"%s\": more than %d root entries",
		    en->name, ROOT_MAX);
		b->errors++;
		return;
	}
	b->root[b->nroot++] = *en;
}

/* Make the tree hold what p says, in the plan's order; the one
 * executor of a plan, for a reconcile and a single-node render alike.
 * -1 only for a single-node render whose write failed (e says why; the
 * node's names are not claimed then). */
static int
apply(struct hookctx *h, const struct plan *p, struct batch *b,
    struct pb_err *e)
{
	size_t i;

	plan_names(p, b->want);
	if (p->kind == PLAN_SKIP) {
		log_skip(h, p);
		h->skipped++;
	} else {
		strmap_del(&h->skip_why, p->id);
	}
	/* A board's files first, at once (each a temp name and a rename):
	 * its own file says "boot locally" before the MAC dir stops the
	 * board being served anything. */
	for (i = 0; i < p->nfiles; i++)
		if (tree_put_rootent(&h->tree, &p->files[i], e) == -1) {
			if (b->st == NULL)
				return -1;
			hook_log("node %s: %s", p->id, e->msg);
			b->errors++;
		}
	/* A node's directories go into one batch: the fence before the
	 * MAC dir, never split across two syncfs. */
	if (b->st != NULL && b->n + p->ndirs > b->max && flush(h, b, e) == -1)
		return -1;
	for (i = 0; i < p->ndirs; i++) {
		if (b->st != NULL)
			stage(h, p, &p->dirs[i], b);
		else if (tree_put_dir(&h->tree, &p->dirs[i], e) == -1)
			return -1;
	}
	for (i = 0; i < p->nroot; i++) {
		if (b->st != NULL)
			gather_root(b, &p->root[i]);
		else if (!tree_owns(&h->tree, p->root[i].name) &&
		    tree_put_rootent(&h->tree, &p->root[i], e) == -1)
			return -1;
	}
	claim(h, p);
	return 0;
}

/* name is there and not the hook's. */
static int
foreign(struct hookctx *h, const char *name)
{
	struct stat sb;

	return !tree_owns(&h->tree, name) &&
	    fstatat(h->tree.rootfd, name, &sb, AT_SYMLINK_NOFOLLOW) == 0;
}

/* The boards' root files (discovery on or off) and their containers;
 * when they cannot be rendered, what is there stays. */
static void
put_board_root(struct hookctx *h, struct batch *b)
{
	static const char *const keep[] = {
		"pxelinux.cfg", "grub", "pxelinux.cfg/default", "grub/grub.cfg",
		"boot.scr.uimg", NULL,
	};
	struct ent *ents;
	struct pb_err e;
	size_t n, i;

	for (i = 0; keep[i] != NULL; i++)
		if (i < 2 || tree_owns(&h->tree, keep[i]))
			strset_add(b->want, keep[i]);
	if ((ents = calloc(PLAN_BOARD_ROOT, sizeof(*ents))) == NULL) {
		hook_log("boards' root: out of memory");
		b->errors++;
		return;
	}
	if (plan_board_root(&h->env, ents, PLAN_BOARD_ROOT, &n, &e) == -1) {
		hook_log("%s: the boards' root files are left as they were",
		    e.msg);
		b->errors++;
		goto out;
	}
	for (i = 0; i < n; i++) {
		/* A PXE set-up of the site's own (x86 pxelinux shares the
		 * names with U-Boot) keeps its file: boards not in the
		 * database then get that, which check reports. */
		if (foreign(h, ents[i].name))
			continue;
		strset_add(b->want, ents[i].name);
		if (tree_put_rootent(&h->tree, &ents[i], &e) == -1) {
			hook_log("%s", e.msg);
			b->errors++;
		}
	}
out:
	free(ents);
}

/* The root entries: the discovery root, or else what the nodes need. */
static void
put_root(struct hookctx *h, struct batch *b)
{
	struct ent *ents = b->root, *disc = NULL;
	struct pb_err e;
	const char *name;
	size_t n = b->nroot, i, it;

	if (h->env.discovery) {
		if ((disc = calloc(ROOT_MAX, sizeof(*disc))) == NULL) {
			hook_log("discovery root: out of memory");
			b->errors++;
			return;
		}
		if (plan_root(&h->env, disc, ROOT_MAX, &n, &e) == -1) {
			hook_log("%s: the discovery root is left as it was", e.msg);
			b->errors++;
			/* Keep what is there rather than half of it. */
			it = 0;
			while ((name = strset_next(&h->tree.man, &it)) != NULL)
				if (hook_root_name_ok(name))
					strset_add(b->want, name);
			goto out;
		}
		ents = disc;
	}
	for (i = 0; i < n; i++) {
		strset_add(b->want, ents[i].name);
		if (tree_put_rootent(&h->tree, &ents[i], &e) == -1) {
			hook_log("%s", e.msg);
			b->errors++;
		}
	}
out:
	free(disc);
}

int
reconcile(struct hookctx *h, struct pb_err *e)
{
	struct strset want = { 0 }, gone = { 0 };
	struct batch *b = NULL;
	struct plan *p = NULL;
	PGresult *res = NULL;
	struct node_row row;
	const char *name;
	size_t it;
	int i, errors, rc = -1;

	h->tree.written = h->tree.unchanged = h->tree.removed = 0;
	h->skipped = 0;
	env_load_files(&h->env, h->tree.rootfd);
	if (db_settings(h->db, &h->env, e) == -1 ||
	    (res = db_nodes(h->db, NULL, e)) == NULL)
		goto out;
	if ((p = malloc(sizeof(*p))) == NULL ||
	    (b = calloc(1, sizeof(*b))) == NULL) {
		pb_fail(e, "reconcile: out of memory");
		goto out;
	}
	/* Room for one node's directories however small the batch. */
	b->max = h->batch > PLAN_MAXDIRS ? (size_t)h->batch : PLAN_MAXDIRS;
	b->want = &want;
	if ((b->st = calloc(b->max, sizeof(*b->st))) == NULL) {
		pb_fail(e, "reconcile: out of memory");
		goto out;
	}
	for (i = 0; i < PQntuples(res); i++) {
		db_row(res, i, &row);
		plan_node(&h->env, &row, p);
		if (apply(h, p, b, e) == -1)
			goto out;
	}
	if (flush(h, b, e) == -1)
		goto out;
	put_root(h, b);
	put_board_root(h, b);
	errors = b->errors;

	/* Whatever the manifest holds that no node or setting wants. */
	it = 0;
	while ((name = strset_next(&h->tree.man, &it)) != NULL)
		if (!strset_has(&want, name))
			strset_add(&gone, name);
	it = 0;
	while ((name = strset_next(&gone, &it)) != NULL) {
		if (tree_remove(&h->tree, name, e) == -1) {
			hook_log("%s", e->msg);
			errors++;
		}
		strmap_del(&h->owner, name);
	}
	/* The renames of this reconcile (and of the NOTIFYs before it)
	 * become durable here. */
	if (tree_compact(&h->tree, e) == -1) {
		hook_log("%s", e->msg);
		errors++;
	}
	if (h->tree.fsync && h->tree.dirty) {
		if (fsync(h->tree.rootfd) == -1) {
			hook_log("fsync \"%s\": %s", h->tree.root, strerror(errno));
			errors++;
		} else
			h->tree.dirty = 0;
	}
	hook_log("reconcile: %d nodes, %lu written, %lu unchanged, %lu removed, "
	    "%lu skipped, %d errors", PQntuples(res), h->tree.written,
	    h->tree.unchanged, h->tree.removed, h->skipped, errors);
	if (h->nfs.root != NULL)
		errors += nfs_reconcile(h);
	rc = errors == 0 ? 0 : -1;
	if (rc == -1)
		pb_fail(e, "reconcile: %d errors (see above)", errors);
out:
	PQclear(res);
	free(p);
	if (b != NULL)
		free(b->st);
	free(b);
	strset_free(&want);
	strset_free(&gone);
	return rc;
}

/* Remove name unless another node holds it now (a serial or MAC moved
 * from one node to another in one transaction). */
static void
release(struct hookctx *h, const char *id, const char *name)
{
	const char *o = strmap_get(&h->owner, name);
	struct pb_err e;

	if (name[0] == '\0' || (o != NULL && strcmp(o, id) != 0))
		return;
	if (tree_remove(&h->tree, name, &e) == -1)
		hook_log("%s", e.msg);
	strmap_del(&h->owner, name);
}

int
render_one(struct hookctx *h, const char *id, struct pb_err *e)
{
	struct node_names old;
	struct batch *b = NULL;
	struct plan *p = NULL;
	PGresult *res = NULL;
	struct node_row row;
	struct strset want = { 0 };
	int rc = -1;

	if ((p = malloc(sizeof(*p))) == NULL ||
	    (b = calloc(1, sizeof(*b))) == NULL) {
		pb_fail(e, "out of memory");
		goto out;
	}
	b->want = &want;	/* no st: each change at once */
	if ((res = db_nodes(h->db, id, e)) == NULL)
		goto out;
	names_get(h, id, &old);
	if (PQntuples(res) == 0) {
		memset(p, 0, sizeof(*p));
		snprintf(p->id, sizeof(p->id), "%s", id);
		p->kind = PLAN_NONE;
	} else {
		db_row(res, 0, &row);
		plan_node(&h->env, &row, p);
	}
	if (apply(h, p, b, e) == -1)
		goto out;
	/* The names this node had and no longer wants. */
	if (!strset_has(&want, old.serial))
		release(h, id, old.serial);
	if (!strset_has(&want, old.macdir))
		release(h, id, old.macdir);
	if (old.boardmac[0] != '\0') {
		char pxe[HOOK_NAME_MAX], grub[HOOK_NAME_MAX];

		plan_board_names(old.boardmac, pxe, grub);
		if (!strset_has(&want, pxe))
			release(h, id, pxe);
		if (!strset_has(&want, grub))
			release(h, id, grub);
	}
	if (h->nfs.root != NULL && nfs_render_one(h, id, old.serial) != 0)
		hook_log("node %s: nfs: errors (see above)", id);
	rc = 0;
out:
	PQclear(res);
	strset_free(&want);
	free(b);
	free(p);
	return rc;
}

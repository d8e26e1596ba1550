/* reconcile.c: make the tree match the database, for every node (a
 * reconcile) or for one (on NOTIFY). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hook.h"

#define ROOT_MAX 32

static void
log_skip(const struct plan *p)
{
	hook_log("node %s: %s: skipped, its files stay as they were", p->id,
	    p->why);
}

/* The names node id held at the last reconcile or render. */
static void
names_get(const struct hookctx *h, const char *id, struct node_names *nn)
{
	const char *s = strmap_get(&h->id_serial, id);
	const char *m = strmap_get(&h->id_macdir, id);

	snprintf(nn->serial, sizeof(nn->serial), "%s", s ? s : "");
	snprintf(nn->macdir, sizeof(nn->macdir), "%s", m ? m : "");
}

static void
claim(struct hookctx *h, const struct plan *p)
{
	struct node_names nn;

	if (p->kind == PLAN_NONE) {
		strmap_del(&h->id_serial, p->id);
		strmap_del(&h->id_macdir, p->id);
		return;
	}
	memcpy(nn.serial, p->serial, sizeof(nn.serial));
	nn.macdir[0] = '\0';
	if (p->kind == PLAN_SKIP || p->want_macdir)
		memcpy(nn.macdir, p->macdir, sizeof(nn.macdir));
	strmap_set(&h->id_serial, p->id, nn.serial);
	strmap_set(&h->id_macdir, p->id, nn.macdir);
	if (nn.serial[0] != '\0')
		strmap_set(&h->owner, nn.serial, p->id);
	if (nn.macdir[0] != '\0')
		strmap_set(&h->owner, nn.macdir, p->id);
}

/* The names a plan keeps in the tree. */
static void
plan_names(const struct plan *p, struct strset *want)
{
	switch (p->kind) {
	case PLAN_NONE:
		break;
	case PLAN_SKIP:
		/* Bad data: keep what is there (a fence stays a fence). */
		if (p->serial[0] != '\0')
			strset_add(want, p->serial);
		if (p->macdir[0] != '\0')
			strset_add(want, p->macdir);
		break;
	case PLAN_FENCE:
		if (p->dir.name[0] != '\0')
			strset_add(want, p->dir.name);
		if (p->want_macdir)
			strset_add(want, p->macdir);
		break;
	case PLAN_BOOT:
		strset_add(want, p->dir.name);
		break;
	}
}

static int
flush(struct hookctx *h, struct staged *st, size_t *n, int *errors)
{
	struct pb_err e;
	size_t i;

	if (*n == 0)
		return 0;
	/* One syncfs for the batch instead of an fsync per file: the
	 * content and the manifest lines are on disk before any rename. */
	if (tree_sync(&h->tree, &e) == -1) {
		hook_log("%s", e.msg);
		return -1;
	}
	for (i = 0; i < *n; i++)
		if (tree_commit(&h->tree, &st[i], &e) == -1) {
			hook_log("%s", e.msg);
			(*errors)++;
		}
	*n = 0;
	return 0;
}

/* Stage d into st[*n] when it differs from the disk. */
static void
stage(struct hookctx *h, const struct plan *p, const struct dirspec *d,
    struct staged *st, size_t *n, int *errors)
{
	struct pb_err e;

	switch (tree_stage_dir(&h->tree, d, 0, &st[*n], &e)) {
	case -1:
		hook_log("node %s: %s", p->id, e.msg);
		(*errors)++;
		break;
	case 1:
		(*n)++;
		break;
	}
}

static int
put_root(struct hookctx *h, struct strset *want, int any_pi3, int *errors)
{
	struct ent *ents;
	struct pb_err e;
	const char *name;
	size_t n = 0, i, it;
	int rc = 0;

	if ((ents = calloc(ROOT_MAX, sizeof(*ents))) == NULL)
		return -1;
	if (h->env.discovery) {
		if (plan_root(&h->env, ents, ROOT_MAX, &n, &e) == -1) {
			hook_log("%s: the discovery root is left as it was", e.msg);
			(*errors)++;
			/* Keep what is there rather than half of it. */
			it = 0;
			while ((name = strset_next(&h->tree.man, &it)) != NULL)
				if (hook_root_name_ok(name))
					strset_add(want, name);
			goto out;
		}
	} else if (any_pi3) {
		/* A Pi 3 ROM asks for bootcode.bin at the root, before it
		 * looks in <serial>/: netbooting Pi 3 nodes need it even
		 * with discovery off.  It boots nothing by itself. */
		memset(&ents[0], 0, sizeof(ents[0]));
		snprintf(ents[0].name, sizeof(ents[0].name), "bootcode.bin");
		ents[0].is_link = 1;
		snprintf(ents[0].target, sizeof(ents[0].target),
		    "rpi-firmware/bootcode.bin");
		n = 1;
	}
	for (i = 0; i < n; i++) {
		strset_add(want, ents[i].name);
		if (tree_put_rootent(&h->tree, &ents[i], &e) == -1) {
			hook_log("%s", e.msg);
			(*errors)++;
		}
	}
out:
	free(ents);
	return rc;
}

int
reconcile(struct hookctx *h, struct pb_err *e)
{
	struct strset want = { 0 }, gone = { 0 };
	struct staged *st = NULL;
	struct plan *p = NULL;
	PGresult *res = NULL;
	struct node_row row;
	const char *name;
	size_t nst = 0, it;
	int i, errors = 0, any_pi3 = 0, rc = -1, batch;

	h->tree.written = h->tree.unchanged = h->tree.removed = 0;
	h->skipped = 0;
	batch = h->batch > 0 ? h->batch : 256;
	env_load_files(&h->env, h->tree.rootfd);
	if (db_settings(h->db, &h->env, e) == -1 ||
	    (res = db_nodes(h->db, NULL, e)) == NULL)
		goto out;
	if ((p = malloc(sizeof(*p))) == NULL ||
	    (st = calloc((size_t)batch, sizeof(*st))) == NULL) {
		pb_fail(e, "reconcile: out of memory");
		goto out;
	}
	for (i = 0; i < PQntuples(res); i++) {
		db_row(res, i, &row);
		plan_node(&h->env, &row, p);
		claim(h, p);
		plan_names(p, &want);
		if (p->kind == PLAN_SKIP) {
			log_skip(p);
			h->skipped++;
			continue;
		}
		if (p->kind == PLAN_BOOT && p->pi3_boot)
			any_pi3 = 1;
		if (p->dir.name[0] != '\0')
			stage(h, p, &p->dir, st, &nst, &errors);
		if (p->want_macdir) {
			struct dirspec *md = &p->dir;

			/* The fence dir is empty; reuse the plan's space. */
			memset(md, 0, sizeof(*md));
			snprintf(md->name, sizeof(md->name), "%s", p->macdir);
			stage(h, p, md, st, &nst, &errors);
		}
		if (nst + 2 > (size_t)batch && flush(h, st, &nst, &errors) == -1)
			goto out;
	}
	if (flush(h, st, &nst, &errors) == -1)
		goto out;
	put_root(h, &want, any_pi3, &errors);

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
	rc = errors == 0 ? 0 : -1;
	if (rc == -1)
		pb_fail(e, "reconcile: %d errors (see above)", errors);
out:
	PQclear(res);
	free(p);
	free(st);
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
	struct plan *p = NULL;
	PGresult *res = NULL;
	struct node_row row;
	struct strset want = { 0 };
	int rc = -1;

	if ((p = malloc(sizeof(*p))) == NULL)
		return pb_fail(e, "out of memory");
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
	plan_names(p, &want);
	switch (p->kind) {
	case PLAN_SKIP:
		log_skip(p);
		break;
	case PLAN_FENCE:
	case PLAN_BOOT:
		/* Fence first, then the MAC dir: each step alone is safe. */
		if (p->dir.name[0] != '\0' && tree_put_dir(&h->tree, &p->dir, e) == -1)
			goto out;
		if (p->want_macdir) {
			memset(&p->dir, 0, sizeof(p->dir));
			snprintf(p->dir.name, sizeof(p->dir.name), "%s", p->macdir);
			if (tree_put_dir(&h->tree, &p->dir, e) == -1)
				goto out;
		}
		if (p->kind == PLAN_BOOT && p->pi3_boot && !h->env.discovery &&
		    !tree_owns(&h->tree, "bootcode.bin")) {
			struct ent en;

			memset(&en, 0, sizeof(en));
			snprintf(en.name, sizeof(en.name), "bootcode.bin");
			en.is_link = 1;
			snprintf(en.target, sizeof(en.target),
			    "rpi-firmware/bootcode.bin");
			if (tree_put_rootent(&h->tree, &en, e) == -1)
				goto out;
		}
		break;
	case PLAN_NONE:
		break;
	}
	claim(h, p);
	/* The names this node had and no longer wants. */
	if (!strset_has(&want, old.serial))
		release(h, id, old.serial);
	if (!strset_has(&want, old.macdir))
		release(h, id, old.macdir);
	rc = 0;
out:
	PQclear(res);
	strset_free(&want);
	free(p);
	return rc;
}

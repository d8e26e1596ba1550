/* planpart.c: the pieces every node's plan is made of, for plan.c
 * (Pis) and boardplan.c (U-Boot and UEFI boards): a skipped node and
 * its reason, a directory of the plan, the values every netbooting node
 * needs, an NFS root's values. */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "plan.h"
#include "core/err.h"
#include "core/ident.h"
#include "wf/wf_instructions.h"

/* The node is skipped: what "value" why, the value quoted and cut. */
int
plan_skip(struct plan *p, const char *what, const char *v, const char *why)
{
	char qv[64];

	pb_quote(qv, sizeof(qv), v ? v : "NULL", 40);
	p->kind = PLAN_SKIP;
	p->ndirs = p->nroot = p->nfiles = 0;	/* its files stay */
	snprintf(p->why, sizeof(p->why), "%s \"%s\" %s", what, qv, why);
	return 0;
}

/* The node is skipped for a reason a parser or renderer gave. */
int
plan_skip_msg(struct plan *p, const char *msg)
{
	p->kind = PLAN_SKIP;
	p->ndirs = p->nroot = p->nfiles = 0;	/* its files stay */
	snprintf(p->why, sizeof(p->why), "%.400s", msg);
	return 0;
}

/* A new directory of the plan, empty (NULL when the plan is full,
 * which no case reaches: PLAN_MAXDIRS counts them). */
struct dirspec *
plan_add_dir(struct plan *p, const char *name)
{
	struct dirspec *d;

	if (p->ndirs == PLAN_MAXDIRS)
		return NULL;
	d = &p->dirs[p->ndirs++];
	memset(d, 0, sizeof(*d));
	snprintf(d->name, sizeof(d->name), "%s", name);
	return d;
}

/* An nfs node's root, from the resolver the API's agent answer uses
 * for its nfs keys: the same values, variables and checks included. */
int
plan_nfs(const struct node_row *row, struct plan *p,
    const struct pb_wf_node *wn)
{
	struct pb_err e;
	struct pb_wf_node n = *wn;
	json_error_t je;
	json_t *def, *vars = NULL;
	int rc;

	if (row->definition == NULL ||
	    (def = json_loads(row->definition, 0, &je)) == NULL)
		return plan_skip_msg(p, "workflow definition is not JSON");
	/* The node's own variable values, as the API's answer uses them. */
	if (row->vars != NULL && (vars = json_loads(row->vars, 0, &je)) == NULL) {
		json_decref(def);
		return plan_skip_msg(p, "node vars are not JSON");
	}
	n.vars = vars;
	rc = pb_wf_nfs_resolve(&p->nfs, def, &n, &e);
	json_decref(vars);
	json_decref(def);
	if (rc == -1)
		return plan_skip_msg(p, e.msg);
	return 0;
}

/* The values every netbooting node needs: a good hostname (or none)
 * and the server's URL. */
int
plan_node_values(const struct env *env, const struct node_row *row,
    struct plan *p, struct pb_wf_node *wn)
{
	if (row->hostname != NULL &&
	    pb_hostname_parse(&wn->hostname, row->hostname, NULL) == -1)
		return plan_skip(p, "hostname", row->hostname,
		    "is not an RFC 1123 label");
	if (row->hostname != NULL && strcmp(wn->hostname.s, row->hostname) != 0)
		return plan_skip(p, "hostname", row->hostname, "is not lower case");
	if (env->server[0] == '\0')
		return plan_skip_msg(p, "the server_url setting is missing or bad");
	wn->server = env->server;
	return 0;
}

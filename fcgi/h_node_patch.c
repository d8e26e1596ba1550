/* h_node_patch.c: PATCH /nodes/{id} {hostname, pi_model, workflow_id,
 * vars}: each optional, null clears it.  A workflow of another arch than
 * the node's is refused by the trigger (409 naming both arches); vars
 * are checked against the workflow's variables (nodevars.c). */
#include <stdlib.h>

#include "handlers.h"
#include "hutil.h"
#include "nodevars.h"

#define WHERE "patch node"

/* p[] of node_patch: id, then per field "t"/"f" (given) and the value
 * (NULL: cleared). */
static void
set(const char **p, int i, const struct pb_jfield *f, const char *v)
{
	p[1 + 2 * i] = f[i].given != PB_ABSENT ? "t" : "f";
	p[2 + 2 * i] = f[i].given == PB_GIVEN ? v : NULL;
}

void
h_node_patch(struct pb_req *r)
{
	struct pb_hostname host;
	const char *model = NULL, *wf = NULL, *p[8];
	const json_t *vars = NULL;
	char *vtext = NULL;
	struct pb_jfield f[] = {
		{ "hostname", PB_F_OPTIONAL, pb_jf_hostname, &host, 0 },
		{ "pi_model", PB_F_OPTIONAL, pb_jf_model, &model, 0 },
		{ "workflow_id", PB_F_OPTIONAL, pb_jf_workflow_id, &wf, 0 },
		{ "vars", PB_F_NULL, pb_jf_vars, &vars, 0 },
		{ NULL, 0, NULL, NULL, 0 },
	};
	struct pb_uuid id;
	json_t *root;
	struct pb_err e;

	if (pb_arg_uuid(r, 0, WHERE, &id) == -1)
		return;
	if ((root = pb_req_json(r, WHERE)) == NULL)
		return;
	if (pb_jfields(root, f, &e) == -1)
		goto bad;
	if (f[0].given == PB_ABSENT && f[1].given == PB_ABSENT &&
	    f[2].given == PB_ABSENT && f[3].given == PB_ABSENT) {
		pb_fail(&e, "nothing to change; fields: hostname, pi_model, "
		    "workflow_id, vars");
		goto bad;
	}
	p[0] = id.s;
	set(p, 0, f, host.s);
	set(p, 1, f, model);
	set(p, 2, f, wf);
	/* vars belong to a workflow: checked whenever either changes. */
	if (f[2].given == PB_ABSENT && f[3].given == PB_ABSENT)
		pb_exec_json(r, WHERE, "node_patch", 7, p, 200, "no such node");
	else if (pb_node_vars_patch(r, WHERE, id.s, f[3].given == PB_ABSENT ?
	    NULL : vars, f[2].given == PB_GIVEN_NULL, f[2].given == PB_GIVEN ?
	    wf : NULL, &vtext) == 0) {
		p[7] = vtext;
		pb_exec_json(r, WHERE, "node_patch_vars", 8, p, 200,
		    "no such node");
	}
	free(vtext);
	json_decref(root);
	return;
bad:
	pb_reply_bad(r, WHERE, &e);
	json_decref(root);
}

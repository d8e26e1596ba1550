/* h_node_patch.c: PATCH /nodes/{id} {hostname, pi_model, workflow_id}:
 * each optional, null clears it.  A workflow of another arch than the
 * node's is refused by the trigger (409 naming both arches). */
#include "handlers.h"
#include "hutil.h"

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
	const char *model = NULL, *wf = NULL, *p[7];
	struct pb_jfield f[] = {
		{ "hostname", PB_F_OPTIONAL, pb_jf_hostname, &host, 0 },
		{ "pi_model", PB_F_OPTIONAL, pb_jf_model, &model, 0 },
		{ "workflow_id", PB_F_OPTIONAL, pb_jf_workflow_id, &wf, 0 },
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
	    f[2].given == PB_ABSENT) {
		pb_fail(&e, "nothing to change; fields: hostname, pi_model, "
		    "workflow_id");
		goto bad;
	}
	p[0] = id.s;
	set(p, 0, f, host.s);
	set(p, 1, f, model);
	set(p, 2, f, wf);
	pb_exec_json(r, WHERE, "node_patch", 7, p, 200, "no such node");
	json_decref(root);
	return;
bad:
	pb_reply_bad(r, WHERE, &e);
	json_decref(root);
}

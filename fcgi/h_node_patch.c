/* h_node_patch.c: PATCH /nodes/{id} {hostname, pi_model, workflow_id}:
 * each optional, null clears it.  A workflow of another arch than the
 * node's is refused by the trigger (409 naming both arches). */
#include "handlers.h"
#include "hutil.h"
#include "boot/model.h"
#include "core/nodestate.h"

#define WHERE "patch node"

void
h_node_patch(struct pb_req *r)
{
	struct pb_field f[] = {
		{ "hostname", 0, NULL }, { "pi_model", 0, NULL },
		{ "workflow_id", 0, NULL }, { NULL, 0, NULL },
	};
	struct pb_uuid id;
	struct pb_hostname host;
	enum pb_model model;
	const char *p[7], *s;
	json_t *root;
	struct pb_err e;
	int i, any = 0;

	if (pb_arg_uuid(r, 0, WHERE, &id) == -1)
		return;
	if ((root = pb_req_json(r, WHERE)) == NULL)
		return;
	if (pb_fields(root, f, &e) == -1)
		goto bad;
	p[0] = id.s;
	for (i = 0; i < 3; i++) {
		p[1 + 2 * i] = f[i].v != NULL ? "t" : "f";
		p[2 + 2 * i] = NULL;
		if (f[i].v == NULL)
			continue;
		any = 1;
		if (json_is_null(f[i].v))
			continue;
		if (pb_json_str(f[i].v, f[i].name, &s, &e) == -1)
			goto bad;
		if (i == 0) {
			if (pb_hostname_parse(&host, s, &e) == -1)
				goto bad;
			p[2] = host.s;
		} else if (i == 1) {
			if (pb_model_parse(&model, s, &e) == -1)
				goto bad;
			p[4] = pb_model_name(model);
		} else {
			if (pb_workflow_id_check(s, &e) == -1)
				goto bad;
			p[6] = s;
		}
	}
	if (!any) {
		pb_fail(&e, "nothing to change; fields: hostname, pi_model, "
		    "workflow_id");
		goto bad;
	}
	pb_exec_json(r, WHERE, "node_patch", 7, p, 200, "no such node");
	json_decref(root);
	return;
bad:
	pb_reply_bad(r, WHERE, &e);
	json_decref(root);
}

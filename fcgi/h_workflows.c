/* h_workflows.c: GET /workflows and GET /workflows/{id}, from the
 * workflows table (the YAML loader fills it). */
#include "handlers.h"
#include "hutil.h"
#include "core/nodestate.h"

void
h_workflows_list(struct pb_req *r)
{
	pb_exec_json(r, "workflows", "workflows_list", 0, NULL, 200, "");
}

void
h_workflow_get(struct pb_req *r)
{
	const char *p[1] = { r->arg[0] };
	struct pb_err e;

	if (pb_workflow_id_check(r->arg[0], &e) == -1) {
		pb_reply_bad(r, "workflow", &e);
		return;
	}
	pb_exec_json(r, "workflow", "workflow_get", 1, p, 200,
	    "no such workflow");
}

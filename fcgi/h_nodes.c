/* h_nodes.c: GET /nodes (filters, paging), GET /nodes/{id},
 * DELETE /nodes/{id}. */
#include <stdio.h>

#include "handlers.h"
#include "hutil.h"
#include "qfield.h"

/* GET /nodes?arch=&state=&pi_model=&workflow=&limit=&after=: ordered by
 * id, so "after=<last id of a page>" pages stably while nodes come and
 * go. */
void
h_nodes_list(struct pb_req *r)
{
	const char *p[6] = { NULL, NULL, NULL, NULL, NULL, NULL };
	char wf[64], limit[8];
	struct pb_uuid after;
	int n = 100;
	struct pb_qfield f[] = {
		{ "arch", 0, 16, pb_qf_arch, &p[0], 0 },
		{ "state", 0, 32, pb_qf_state, &p[1], 0 },
		{ "pi_model", 0, 16, pb_qf_model, &p[2], 0 },
		{ "workflow", 0, 80, pb_qf_workflow_id, wf, 0 },
		{ "after", 0, 48, pb_qf_uuid, &after, 0 },
		{ "limit", 0, 16, pb_qf_limit, &n, 0 },
		{ NULL, 0, 0, NULL, NULL, 0 },
	};
	struct pb_err e;

	if (pb_qfields(r->query, f, &e) == -1) {
		pb_reply_bad(r, "nodes", &e);
		return;
	}
	p[3] = f[3].given ? wf : NULL;
	p[4] = f[4].given ? after.s : NULL;
	snprintf(limit, sizeof(limit), "%d", n);
	p[5] = limit;
	pb_exec_json(r, "nodes", "nodes_list", 6, p, 200, "");
}

void
h_node_get(struct pb_req *r)
{
	struct pb_uuid id;
	const char *p[1];

	if (pb_arg_uuid(r, 0, "node", &id) == -1)
		return;
	p[0] = id.s;
	pb_exec_json(r, "node", "node_get", 1, p, 200, "no such node");
}

void
h_node_delete(struct pb_req *r)
{
	struct pb_uuid id;
	const char *p[1];
	PGresult *res = NULL;
	struct pb_err e;
	int rc;

	if (pb_arg_uuid(r, 0, "delete node", &id) == -1)
		return;
	p[0] = id.s;
	rc = pb_db_exec(r->db, "node_delete", 1, p, &res, &e);
	if (rc != PB_DB_OK)
		pb_reply_sql(r, rc, res, &e, "delete node");
	else if (PQntuples(res) == 0)
		pb_reply_error(r, 404, "not_found", "delete node: no such node");
	else {
		pb_log("node %s deleted by %s", id.s, r->actor);
		pb_reply(r, 204, NULL);
	}
	PQclear(res);
}

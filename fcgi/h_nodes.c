/* h_nodes.c: GET /nodes (filters, paging), GET /nodes/{id},
 * DELETE /nodes/{id}. */
#include <string.h>

#include "handlers.h"
#include "hutil.h"
#include "boot/model.h"
#include "core/nodestate.h"
#include "query.h"

static const char *const list_keys[] = {
	"arch", "state", "pi_model", "workflow", "limit", "after", NULL,
};

/* GET /nodes?arch=&state=&pi_model=&workflow=&limit=&after=: ordered by
 * id, so "after=<last id of a page>" pages stably while nodes come and
 * go. */
void
h_nodes_list(struct pb_req *r)
{
	char arch[16], state[32], model[16], wf[80], after[48], limit[8];
	const char *p[6] = { NULL, NULL, NULL, NULL, NULL, NULL };
	struct pb_uuid a;
	enum pb_model m;
	struct pb_err e;

	if (pb_query_check(r->query, list_keys, &e) == -1 ||
	    pb_query_get(r->query, "arch", arch, sizeof(arch), &e) == -1 ||
	    pb_query_get(r->query, "state", state, sizeof(state), &e) == -1 ||
	    pb_query_get(r->query, "pi_model", model, sizeof(model), &e) == -1 ||
	    pb_query_get(r->query, "workflow", wf, sizeof(wf), &e) == -1 ||
	    pb_query_get(r->query, "after", after, sizeof(after), &e) == -1)
		goto bad;
	if (arch[0] != '\0' && pb_arch_parse(&p[0], arch, &e) == -1)
		goto bad;
	if (state[0] != '\0' && pb_state_parse(&p[1], state, &e) == -1)
		goto bad;
	if (model[0] != '\0') {
		if (pb_model_parse(&m, model, &e) == -1)
			goto bad;
		p[2] = pb_model_name(m);
	}
	if (wf[0] != '\0') {
		if (pb_workflow_id_check(wf, &e) == -1)
			goto bad;
		p[3] = wf;
	}
	if (after[0] != '\0') {
		if (pb_uuid_parse(&a, after, &e) == -1)
			goto bad;
		p[4] = a.s;
	}
	if (pb_query_limit(r, "nodes", 100, limit) == -1)
		return;
	p[5] = limit;
	pb_exec_json(r, "nodes", "nodes_list", 6, p, 200, "");
	return;
bad:
	pb_reply_bad(r, "nodes", &e);
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

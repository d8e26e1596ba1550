/* nodevars.c: a node's own values of its workflow's variables
 * (nodevars.h). */
#include <stdlib.h>

#include "handlers.h"
#include "instr.h"
#include "nodevars.h"
#include "wf/wf_vars.h"

int
pb_jf_vars(const json_t *v, const char *name, void *out, struct pb_err *e)
{
	if (!json_is_object(v) && !json_is_null(v))
		return pb_fail(e, "%s: must be an object of variable names to "
		    "values, or null", name);
	*(const json_t **)out = v;
	return 0;
}

/* The JSON cell col of row 0, new, or NULL in *out for SQL NULL. */
static int
cell_json(const PGresult *res, int col, json_t **out, struct pb_err *e)
{
	json_error_t je;

	*out = NULL;
	if (PQgetisnull(res, 0, col))
		return 0;
	if ((*out = json_loads(PQgetvalue(res, 0, col), 0, &je)) == NULL)
		return pb_fail(e, "the database's node vars: %s", je.text);
	return 0;
}

int
pb_node_vars_get(struct pb_db *db, const char *node, json_t **vars,
    struct pb_err *e)
{
	const char *p[2] = { node, NULL };
	PGresult *res = NULL;
	int rc = -1;

	*vars = NULL;
	if (pb_db_exec(db, "node_vars", 2, p, &res, e) != PB_DB_OK)
		goto out;
	if (PQntuples(res) != 1) {
		pb_fail(e, "node %s: gone", node);
		goto out;
	}
	rc = cell_json(res, 0, vars, e);
out:
	PQclear(res);
	return rc;
}

int
pb_node_vars_patch(struct pb_req *r, const char *where, const char *node,
    const json_t *patch, int wf_cleared, const char *workflow, char **text)
{
	const char *p[2] = { node, workflow };
	json_t *stored = NULL, *def = NULL, *out = NULL, *none = NULL;
	PGresult *res = NULL;
	struct pb_err e;
	int rc;

	*text = NULL;
	rc = pb_db_exec(r->db, "node_vars", 2, p, &res, &e);
	if (rc != PB_DB_OK) {
		pb_reply_sql(r, rc, res, &e, where);
		goto out;
	}
	if (PQntuples(res) == 0) {
		pb_reply_error(r, 404, "not_found", "%s: no such node", where);
		goto out;
	}
	if (cell_json(res, 0, &stored, &e) == -1 ||
	    cell_json(res, 1, &def, &e) == -1) {
		pb_reply_internal(r, where, &e);
		goto out;
	}
	/* Without a workflow a node has no variables: they go with it.
	 * Not given: what is kept must fit the (maybe new) workflow. */
	if (wf_cleared && (patch == NULL || json_is_null(patch)))
		out = json_object();
	else if ((out = wf_node_vars_new(wf_cleared ? NULL : def, stored,
	    patch != NULL ? patch : (none = json_object()), &e)) == NULL) {
		pb_reply_bad(r, where, &e);
		goto out;
	}
	if (out == NULL || (*text = json_dumps(out, JSON_COMPACT)) == NULL) {
		pb_fail(&e, "out of memory");
		pb_reply_internal(r, where, &e);
	}
out:
	json_decref(none);
	json_decref(out);
	json_decref(def);
	json_decref(stored);
	PQclear(res);
	return *text != NULL ? 0 : -1;
}

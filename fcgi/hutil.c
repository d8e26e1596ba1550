/* hutil.c: the steps most handlers share. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hutil.h"

int
pb_arg_uuid(struct pb_req *r, int i, const char *where, struct pb_uuid *out)
{
	struct pb_err e;

	if (pb_uuid_parse(out, r->arg[i], &e) == -1) {
		pb_reply_bad(r, where, &e);
		return -1;
	}
	return 0;
}

void
pb_exec_json(struct pb_req *r, const char *what, const char *stmt, int n,
    const char *const *p, int status, const char *notfound)
{
	PGresult *res = NULL;
	json_t *body = NULL;
	json_error_t je;
	struct pb_err e;
	int rc;

	rc = pb_db_exec(r->db, stmt, n, p, &res, &e);
	if (rc != PB_DB_OK)
		pb_reply_sql(r, rc, res, &e, what);
	else if (PQntuples(res) == 0)
		pb_reply_error(r, 404, "not_found", "%s: %s", what, notfound);
	else if ((body = json_loads(PQgetvalue(res, 0, 0), 0, &je)) == NULL) {
		pb_fail(&e, "the database's JSON: %s", je.text);
		pb_reply_internal(r, what, &e);
	} else
		pb_reply(r, status, body);	/* compact, keys in order */
	json_decref(body);
	PQclear(res);
}

/* h_health.c: GET /api/v1/health, for load balancers and operators. */
#include "handlers.h"

void
h_health(struct pb_req *r)
{
	struct pb_err e;
	PGresult *res = NULL;
	json_t *body;
	int down;

	down = pb_db_exec(r->db, "health", 0, NULL, &res, &e) != PB_DB_OK;
	PQclear(res);
	if (down) {
		pb_log("health: %s", e.msg);
		r->retry_after = 5;
	}
	body = json_pack("{s:s, s:s}", "status", down ? "unavailable" : "ok",
	    "database", down ? "down" : "ok");
	pb_reply(r, down ? 503 : 200, body);
	json_decref(body);
}

/* worker.c: one pre-forked worker: accept, route, reply, repeat. */
#include <stdlib.h>
#include <string.h>

#include "worker.h"
#include "req.h"

static const char *
param(FCGX_Request *fx, const char *name)
{
	const char *v = FCGX_GetParam(name, fx->envp);

	return v != NULL ? v : "";
}

static void
serve(FCGX_Request *fx, struct pb_db *db)
{
	struct pb_req r;

	memset(&r, 0, sizeof(r));
	r.fx = fx;
	r.db = db;
	r.method = param(fx, "REQUEST_METHOD");
	r.path = param(fx, "DOCUMENT_URI");
	r.query = param(fx, "QUERY_STRING");
	r.ctype = param(fx, "CONTENT_TYPE");
	r.clen = param(fx, "CONTENT_LENGTH");
	r.authz = param(fx, "HTTP_AUTHORIZATION");
	r.remote_addr = param(fx, "REMOTE_ADDR");
	pb_route(&r);
	if (!r.replied) {
		pb_log("%s %s: handler sent no reply", r.method, r.path);
		pb_reply_error(&r, 500, "internal", "no reply");
	}
}

void
pb_worker_run(int sock, const char *conninfo)
{
	FCGX_Request fx;
	struct pb_db db = { conninfo, NULL };
	struct pb_err e;

	if (FCGX_InitRequest(&fx, sock, 0) != 0) {
		pb_log("cannot initialise a FastCGI request");
		exit(1);
	}
	/* Connect now so the first request does not pay for it; a database
	 * that is down is retried on each request. */
	if (pb_db_ensure(&db, &e) != PB_DB_OK)
		pb_log("%s", e.msg);
	while (FCGX_Accept_r(&fx) >= 0) {
		serve(&fx, &db);
		FCGX_Finish_r(&fx);
	}
	pb_db_close(&db);
	exit(0);
}

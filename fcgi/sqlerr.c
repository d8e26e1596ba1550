/* sqlerr.c: SQL failures as HTTP answers.  The state rules live in SQL
 * (PB409 and friends); this only maps their SQLSTATE to a status and
 * passes their message on, which names the node and both states. */
#include <stdlib.h>
#include <string.h>

#include "req.h"

/* A limit's Retry-After: the DETAIL SQL gives, seconds, else 60. */
static int
retry_secs(const PGresult *res)
{
	const char *d = PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL);
	long s;

	if (d == NULL || d[0] == '\0' || strspn(d, "0123456789") != strlen(d) ||
	    strlen(d) > 5 || (s = strtol(d, NULL, 10)) < 1)
		return 60;
	return (int)s;
}

/* Messages for the unique constraints a client can hit. */
static const struct { const char *constraint, *msg; } uniques[] = {
	{ "nodes_mac_key", "mac is already used by another node" },
	{ "nodes_serial_key", "serial is already used by another node" },
	{ "workflows_pkey", "a workflow with that id exists" },
	{ "boards_pkey", "a board with that name exists" },
};

/* Foreign keys a client can name wrong. */
static const struct { const char *constraint, *msg; } fkeys[] = {
	{ "nodes_workflow_id_fkey", "workflow_id names no workflow" },
	{ "nodes_board_fkey", "board names no board of the node's boot_mode" },
};

/* Check constraints whose reason a client can act on. */
static const struct { const char *constraint, *msg; } checks[] = {
	{ "nodes_dtb_not_pi", "dtb is for U-Boot and UEFI nodes only; a "
	  "Pi's device tree is its model's" },
};

/* The row of fkeys for constraint con, or the table's size. */
static size_t
fkey(const char *con)
{
	size_t i;

	for (i = 0; i < sizeof(fkeys) / sizeof(fkeys[0]); i++)
		if (strcmp(con, fkeys[i].constraint) == 0)
			break;
	return i;
}

void
pb_reply_sql(struct pb_req *r, int rc, const PGresult *res,
    const struct pb_err *e, const char *what)
{
	const char *st, *msg, *con;
	size_t i;

	if (rc == PB_DB_DOWN) {
		pb_reply_db_down(r, e);
		return;
	}
	st = res != NULL ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	msg = res != NULL ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) :
	    NULL;
	con = res != NULL ? PQresultErrorField(res, PG_DIAG_CONSTRAINT_NAME) :
	    NULL;
	if (st == NULL || msg == NULL) {
		pb_reply_internal(r, what, e);
		return;
	}
	if (strcmp(st, "PB409") == 0) {
		pb_reply_error(r, 409, "conflict", "%s: %s", what, msg);
	} else if (strcmp(st, "PB429") == 0) {
		r->retry_after = retry_secs(res);
		pb_reply_error(r, 429, "too_many_requests", "%s: %s", what, msg);
	} else if (strcmp(st, "PB503") == 0) {
		r->retry_after = retry_secs(res);
		pb_reply_error(r, 503, "discovery_full", "%s: %s", what, msg);
	} else if (strcmp(st, "PB404") == 0) {
		pb_reply_error(r, 404, "not_found", "%s: %s", what, msg);
	} else if (strcmp(st, "23505") == 0) {
		for (i = 0; i < sizeof(uniques) / sizeof(uniques[0]); i++)
			if (con != NULL && strcmp(con, uniques[i].constraint) == 0)
				break;
		pb_reply_error(r, 409, "conflict", "%s: %s", what,
		    i < sizeof(uniques) / sizeof(uniques[0]) ? uniques[i].msg :
		    "the value is already in use");
	} else if (strcmp(st, "23503") == 0 && con != NULL &&
	    (i = fkey(con)) < sizeof(fkeys) / sizeof(fkeys[0])) {
		pb_reply_error(r, 400, "bad_request", "%s: %s", what,
		    fkeys[i].msg);
	} else if (strcmp(st, "23514") == 0 && con != NULL &&
	    strcmp(con, checks[0].constraint) == 0) {
		pb_reply_error(r, 400, "bad_request", "%s: %s", what,
		    checks[0].msg);
	} else if (strcmp(st, "PB400") == 0 || strcmp(st, "23514") == 0 ||
	    strcmp(st, "23503") == 0 || strncmp(st, "22", 2) == 0) {
		/* The C checks come first; reaching a constraint means they
		 * missed something, which the log should show. */
		pb_log("%s %s: %s: refused by the database: %s", r->method,
		    r->path, what, e->msg);
		pb_reply_error(r, 400, "bad_request", "%s: refused by the "
		    "database: %s", what, msg);
	} else
		pb_reply_internal(r, what, e);
}

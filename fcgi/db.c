/* db.c: the worker's PostgreSQL connection. */
#include <string.h>

#include "db.h"

static void
drop(struct pb_db *db)
{
	if (db->conn != NULL)
		PQfinish(db->conn);
	db->conn = NULL;
}

static int
prepare_all(PGconn *conn, struct pb_err *e)
{
	const struct pb_stmt *s;
	PGresult *res;
	int ok;

	for (s = pb_stmts; s->name != NULL; s++) {
		res = PQprepare(conn, s->name, s->sql, s->nparams, NULL);
		ok = PQresultStatus(res) == PGRES_COMMAND_OK;
		if (!ok)
			pb_fail(e, "prepare \"%s\": %s", s->name,
			    PQerrorMessage(conn));
		PQclear(res);
		if (!ok)
			return -1;
	}
	return 0;
}

int
pb_db_ensure(struct pb_db *db, struct pb_err *e)
{
	if (db->conn != NULL && PQstatus(db->conn) == CONNECTION_OK)
		return PB_DB_OK;
	drop(db);
	db->conn = PQconnectdb(db->conninfo);
	if (db->conn == NULL)
		return pb_fail(e, "database: out of memory"), PB_DB_DOWN;
	if (PQstatus(db->conn) != CONNECTION_OK) {
		pb_fail(e, "database: %s", PQerrorMessage(db->conn));
		drop(db);
		return PB_DB_DOWN;
	}
	if (prepare_all(db->conn, e) == -1) {
		drop(db);
		return PB_DB_DOWN;
	}
	return PB_DB_OK;
}

int
pb_db_exec(struct pb_db *db, const char *name, int n,
    const char *const *vals, PGresult **res, struct pb_err *e)
{
	ExecStatusType st;
	int tries;

	*res = NULL;
	/* A connection that broke since the last request is only noticed
	 * here; one reconnect makes a restarted PostgreSQL invisible to
	 * the client.  A statement cut off with its connection was rolled
	 * back by the server unless the server died in the instant between
	 * COMMIT and the reply; every statement is one transaction, so the
	 * worst case is running it twice, which the SQL functions allow. */
	for (tries = 0; tries < 2; tries++) {
		if (pb_db_ensure(db, e) != PB_DB_OK)
			return PB_DB_DOWN;
		*res = PQexecPrepared(db->conn, name, n, vals, NULL, NULL, 0);
		st = PQresultStatus(*res);
		if (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK)
			return PB_DB_OK;
		if (PQstatus(db->conn) != CONNECTION_OK) {
			pb_fail(e, "database: %s", PQerrorMessage(db->conn));
			PQclear(*res);
			*res = NULL;
			drop(db);
			continue;
		}
		pb_fail(e, "%s", *res != NULL ? PQresultErrorMessage(*res) :
		    PQerrorMessage(db->conn));
		return PB_DB_ERR;
	}
	return PB_DB_DOWN;
}

void
pb_db_close(struct pb_db *db)
{
	drop(db);
}

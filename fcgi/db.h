/* db.h: one PostgreSQL connection per worker, prepared statements,
 * reconnect when the database comes back. */
#ifndef PB_DB_H
#define PB_DB_H

#include <libpq-fe.h>

#include "core/err.h"

struct pb_stmt {
	const char *name;
	const char *sql;
	int nparams;
};

struct pb_db {
	const char *conninfo;	/* borrowed */
	PGconn *conn;		/* NULL while down */
};

enum { PB_DB_OK = 0, PB_DB_DOWN = -2, PB_DB_ERR = -1 };

/* The statements every worker prepares (stmts.c). */
extern const struct pb_stmt pb_stmts[];

/* Make sure a usable connection exists: connect and prepare if needed.
 * Returns PB_DB_OK or PB_DB_DOWN with the reason in e. */
int pb_db_ensure(struct pb_db *db, struct pb_err *e);

/* Run prepared statement name with text parameters.  On success *res
 * holds the result (caller PQclear()s it) and PB_DB_OK is returned.
 * PB_DB_DOWN: the connection is gone (it is dropped, next call
 * reconnects).  PB_DB_ERR: the statement failed; *res is kept so the
 * caller can read the SQLSTATE, e has the message. */
int pb_db_exec(struct pb_db *db, const char *name, int n,
    const char *const *vals, PGresult **res, struct pb_err *e);

void pb_db_close(struct pb_db *db);

#endif

/* db.c: the hook's queries.  The hook reads nodes, their workflow and
 * settings; what it reads is untrusted until plan.c has parsed it. */
#include <stdio.h>
#include <string.h>

#include "db.h"
#include "log.h"
#include "boot/render.h"
#include "core/url.h"

/* Columns in the order of struct node_row. */
#define NODE_SQL \
	"SELECT n.id::text, n.serial, n.mac::text, n.pi_model, n.hostname, " \
	"n.state::text, n.boot_mode, w.definition->>'install_method', " \
	"w.definition::text, n.board, b.console, b.cmdline_extra, " \
	"COALESCE(n.dtb, b.dtb), n.vars::text " \
	"FROM pureboot.nodes n LEFT JOIN pureboot.workflows w " \
	"ON w.id = n.workflow_id " \
	"LEFT JOIN pureboot.boards b ON b.name = n.board "

PGconn *
db_connect(const char *conninfo, struct pb_err *e)
{
	return db_connect_timeout(conninfo, 30000, e);
}

PGconn *
db_connect_timeout(const char *conninfo, int timeout_ms, struct pb_err *e)
{
	char sql[128];
	PGconn *c;
	PGresult *r;

	if (conninfo == NULL) {
		pb_fail(e, "database: no conninfo: use -d or set PUREBOOT_DB");
		return NULL;
	}
	c = PQconnectdb(conninfo);
	if (c == NULL || PQstatus(c) != CONNECTION_OK) {
		pb_fail(e, "database: %s", c ? PQerrorMessage(c) : "out of memory");
		PQfinish(c);
		return NULL;
	}
	/* A long lock wait must not stall the tree (or dnsmasq). */
	snprintf(sql, sizeof(sql), "SET statement_timeout = %d; "
	    "SET application_name = 'pureboot-tftp-hook'", timeout_ms);
	r = PQexec(c, sql);
	PQclear(r);
	return c;
}

int
db_settings(PGconn *db, struct env *env, struct pb_err *e)
{
	PGresult *r;
	const char *k, *v;
	int i, rc = -1;

	env->server[0] = '\0';
	env->discovery = 0;
	r = PQexec(db, "SELECT key, value FROM pureboot.settings");
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		pb_fail(e, "database: settings: %s", PQerrorMessage(db));
		goto out;
	}
	for (i = 0; i < PQntuples(r); i++) {
		k = PQgetvalue(r, i, 0);
		v = PQgetvalue(r, i, 1);
		if (strcmp(k, "server_url") == 0) {
			struct pb_err ue;

			if (pb_server_url_check(v, &ue) == -1)
				hook_log("%s: nodes are not rendered until it is "
				    "fixed", ue.msg);
			else
				snprintf(env->server, sizeof(env->server), "%s", v);
		} else if (strcmp(k, "discovery") == 0)
			env->discovery = strcmp(v, "on") == 0;
	}
	rc = 0;
out:
	PQclear(r);
	return rc;
}

/* The NFS side's columns, in the order of struct nfs_row. */
#define NFS_SQL \
	"SELECT n.id::text, n.serial, n.hostname, n.state::text, " \
	"host(n.known_addr), n.mac::text, w.definition->>'install_method', " \
	"w.definition::text, pureboot.node_nfs_epoch(n.id)::text, " \
	"n.vars::text " \
	"FROM pureboot.nodes n LEFT JOIN pureboot.workflows w " \
	"ON w.id = n.workflow_id "

static PGresult *
query_nodes(PGconn *db, const char *sql_all, const char *sql_one,
    const char *id, struct pb_err *e)
{
	PGresult *r;
	const char *vals[1] = { id };

	if (id == NULL)
		r = PQexec(db, sql_all);
	else
		r = PQexecParams(db, sql_one, 1, NULL, vals, NULL, NULL, 0);
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		pb_fail(e, "database: nodes: %s", PQerrorMessage(db));
		PQclear(r);
		return NULL;
	}
	return r;
}

PGresult *
db_nodes(PGconn *db, const char *id, struct pb_err *e)
{
	return query_nodes(db, NODE_SQL "ORDER BY n.serial",
	    NODE_SQL "WHERE n.id = $1::uuid", id, e);
}

PGresult *
db_nfs_nodes(PGconn *db, const char *id, struct pb_err *e)
{
	return query_nodes(db, NFS_SQL "WHERE w.definition->>'install_method' "
	    "= 'nfs' ORDER BY n.serial", NFS_SQL "WHERE n.id = $1::uuid", id, e);
}

static const char *
col(PGresult *r, int i, int c)
{
	return PQgetisnull(r, i, c) ? NULL : PQgetvalue(r, i, c);
}

void
db_row(PGresult *r, int i, struct node_row *row)
{
	row->id = col(r, i, 0);
	row->serial = col(r, i, 1);
	row->mac = col(r, i, 2);
	row->model = col(r, i, 3);
	row->hostname = col(r, i, 4);
	row->state = col(r, i, 5);
	row->boot_mode = col(r, i, 6);
	row->install_method = col(r, i, 7);
	row->definition = col(r, i, 8);
	row->board = col(r, i, 9);
	row->console = col(r, i, 10);
	row->cmdline_extra = col(r, i, 11);
	row->dtb = col(r, i, 12);
	row->vars = col(r, i, 13);
}

void
db_nfs_row(PGresult *r, int i, struct nfs_row *row)
{
	row->id = col(r, i, 0);
	row->serial = col(r, i, 1);
	row->hostname = col(r, i, 2);
	row->state = col(r, i, 3);
	row->addr = col(r, i, 4);
	row->mac = col(r, i, 5);
	row->install_method = col(r, i, 6);
	row->definition = col(r, i, 7);
	row->epoch = col(r, i, 8);
	row->vars = col(r, i, 9);
}

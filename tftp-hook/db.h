/* db.h: the hook's queries (db.c): settings into struct env, node rows
 * into struct node_row (plan.h) and struct nfs_row (nfsplan.h). */
#ifndef PB_HOOK_DB_H
#define PB_HOOK_DB_H

#include <libpq-fe.h>

#include "core/err.h"
#include "nfsplan.h"
#include "plan.h"

PGconn *db_connect(const char *conninfo, struct pb_err *e);
PGconn *db_connect_timeout(const char *conninfo, int timeout_ms,
    struct pb_err *e);
int db_settings(PGconn *db, struct env *env, struct pb_err *e);
/* All nodes with their board's columns, or one node by id (NULL:
 * all). */
PGresult *db_nodes(PGconn *db, const char *id, struct pb_err *e);
void db_row(PGresult *res, int i, struct node_row *row);
/* The nodes of NFS workflows, or one node by id (any workflow): the
 * NFS side's rows (struct nfs_row, nfsplan.h). */
PGresult *db_nfs_nodes(PGconn *db, const char *id, struct pb_err *e);
void db_nfs_row(PGresult *res, int i, struct nfs_row *row);

#endif

/* hutil.h: the steps most handlers share. */
#ifndef PB_HUTIL_H
#define PB_HUTIL_H

#include "core/ident.h"
#include "jsonfield.h"
#include "req.h"

/* r->arg[i] as a UUID; replies 400 and returns -1 when it is not. */
int pb_arg_uuid(struct pb_req *r, int i, const char *where,
    struct pb_uuid *out);

/* Run a statement whose one row and column is the JSON answer: reply
 * it with status, or 404 not_found with notfound when there is no row,
 * or the SQL error's reply. */
void pb_exec_json(struct pb_req *r, const char *what, const char *stmt,
    int n, const char *const *p, int status, const char *notfound);

#endif

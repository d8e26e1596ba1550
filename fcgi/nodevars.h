/* nodevars.h: a node's own values of its workflow's variables
 * (issue 13, sql/038, lib/wf/wf_vars.h): read for the install
 * answers, checked and written for PATCH /nodes/{id} "vars". */
#ifndef PB_NODEVARS_H
#define PB_NODEVARS_H

#include <jansson.h>

#include "db.h"
#include "jsonfield.h"
#include "req.h"

/* The "vars" field of PATCH /nodes/{id}: the JSON value itself
 * (const json_t *, borrowed), an object or null; wf_node_vars_new()
 * checks it. */
pb_jparse pb_jf_vars;

/* The values of node (new object into *vars); -1 with the reason. */
int pb_node_vars_get(struct pb_db *db, const char *node, json_t **vars,
    struct pb_err *e);

/* The node's values after a PATCH, as JSON text (new, into *text):
 * patch is the "vars" field (NULL: not given), workflow the workflow_id
 * the same PATCH assigns (NULL: the node's own); cleared, the values
 * go with the workflow.  -1 when it replied (400 with the reason, 404,
 * or the database's error): nothing is changed. */
int pb_node_vars_patch(struct pb_req *r, const char *where, const char *node,
    const json_t *patch, int wf_cleared, const char *workflow, char **text);

#endif

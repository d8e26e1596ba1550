/* wf_vars.h: typed workflow variables and their per-node values.
 *
 * A workflow declares a variable as "name: default" (type string) or
 * "name: {type: T, default: D}" (docs/workflows.md).  A node's own
 * values (nodes.vars, set with PATCH /nodes/{id} "vars") are checked
 * against the declaration when they are assigned, and again when
 * instructions are made, by the same function.  Pure. */
#ifndef PB_WF_VARS_H
#define PB_WF_VARS_H

#include <jansson.h>

#include "core/err.h"

#define WF_VAR_MAX 256		/* longest value */

enum wf_vtype { WF_VT_STRING, WF_VT_WORD, WF_VT_HOSTNAME, WF_VT_INTEGER,
	WF_VT_BOOLEAN };

/* "string", "word", ... -> 0 with *t set, or -1 with the reason. */
int wf_vtype_parse(enum wf_vtype *t, const char *what, const char *s,
    struct pb_err *e);
const char *wf_vtype_name(enum wf_vtype t);
/* A value the type accepts, for checking a workflow without a node. */
const char *wf_vtype_sample(enum wf_vtype t);

/* A literal value (no ${...}) against its type: 0, or -1 with
 * WHAT "VALUE" REASON in e. */
int wf_var_check(enum wf_vtype t, const char *what, const char *s,
    struct pb_err *e);

/* The declaration of name in definition: 0 with its type and default
 * (NULL: none), -1 when the workflow has no such variable. */
int wf_var_decl(const json_t *definition, const char *name, enum wf_vtype *t,
    const char **dflt);

/* The node values after a PATCH: stored (an object or NULL) with patch
 * applied ("name": "value" sets, "name": null removes, patch null
 * clears all), each value checked against definition's declarations.
 * Integers and booleans may be given as JSON numbers and booleans;
 * the result holds strings only.  A new object, or NULL with the
 * reason (an undefined name, a value of the wrong type). */
json_t *wf_node_vars_new(const json_t *definition, const json_t *stored,
    const json_t *patch, struct pb_err *e);

#endif

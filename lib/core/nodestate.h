/* nodestate.h: node state names as pureboot.node_state has them, and
 * the other short enumerations of the API (pure). */
#ifndef PB_NODESTATE_H
#define PB_NODESTATE_H

#include "core/err.h"

/* in must be a state name exactly (a row of pb_boot_states[]); *out
 * points at the static name. */
int pb_state_parse(const char **out, const char *in, struct pb_err *e);

/* The architectures a node or workflow may have, NULL-terminated:
 * the API and the workflow loader both check against this list. */
extern const char *const pb_arches[];

/* One of pb_arches: "aarch64" or "x86_64". */
int pb_arch_parse(const char **out, const char *in, struct pb_err *e);

/* 1 when in is a slug, ^[a-z0-9][a-z0-9-]{0,62}$: a workflow id or a
 * board name. */
int pb_slug_ok(const char *in);

/* A workflow id: ^[a-z0-9][a-z0-9-]{0,62}$ as the table checks it. */
int pb_workflow_id_check(const char *in, struct pb_err *e);

#endif

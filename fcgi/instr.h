/* instr.h: the install instructions of one node and the answers that
 * carry them, shared by GET /boot/pi (what to do, the token, where to
 * fetch the rest) and GET /nodes/{id}/install (the rest: image, files,
 * secrets; docs/agent-contract.md). */
#ifndef PB_INSTR_H
#define PB_INSTR_H

#include <stddef.h>

#include <jansson.h>
#include <libpq-fe.h>

#include "req.h"
#include "wf/wf_instructions.h"

/* The first columns of the rows of pureboot.boot_pi() and
 * pureboot.node_install(), in the order stmts.c selects them. */
enum { PB_IC_NODE, PB_IC_STATE, PB_IC_SERIAL, PB_IC_MAC, PB_IC_HOSTNAME,
	PB_IC_WORKFLOW, PB_IC_DEF, PB_IC_SERVER, PB_IC_ATTEMPTS };

/* Row 0's value of col, NULL for SQL NULL. */
const char *pb_cell(const PGresult *res, int col);

/* The workflow definition of the row, new, or NULL in *def when the
 * node has none; -1 with the reason when it is not JSON. */
int pb_instr_def(const PGresult *res, json_t **def, struct pb_err *e);

/* The node of the row as the workflow resolver sees it; its server
 * (without a trailing '/') is written to server. */
int pb_instr_node(struct pb_wf_node *n, const PGresult *res, char *server,
    size_t serversz, struct pb_err *e);

/* answer's "message": install workflow W, attempt N. */
void pb_instr_message(json_t *answer, const PGresult *res);

/* answer's URLs of node: callback_url and events_url, and
 * instructions_url when with_instructions. */
void pb_instr_urls(json_t *answer, const struct pb_wf_node *node,
    int with_instructions);

/* Copy every key of from into to, or only those starting with prefix. */
void pb_json_merge(json_t *to, const json_t *from, const char *prefix);

/* 0 when instr has an env form, -1 with the reason when not. */
int pb_instr_env_check(const json_t *instr, struct pb_err *e);

/* Send answer as JSON or, when env, as KEY='value' lines (envout.h);
 * -1 with the reason when it has no env form (nothing is sent). */
int pb_answer_send(struct pb_req *r, const json_t *answer, int env,
    struct pb_err *e);

/* The install of node could not be served (why): installing ->
 * install_failed in the state log (an attempt) rather than a node left
 * installing with instructions nobody got; replies 500. */
void pb_instr_fail(struct pb_req *r, const char *where, const char *node,
    const char *workflow, const struct pb_err *why);

#endif

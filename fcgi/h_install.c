/* h_install.c: GET /nodes/{id}/install[?format=env]: the install
 * instructions of a node that is installing (image URL and checksum,
 * target, first-boot files, script and its arguments: whatever of the
 * workflow may be a secret), for the holder of its install token only
 * (auth.c).  GET /boot/pi hands out the token and this URL; this is
 * the second step (docs/agent-contract.md).  Changes nothing. */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "core/token.h"
#include "handlers.h"
#include "hutil.h"
#include "instr.h"
#include "nodevars.h"
#include "qfield.h"
#include "wf/wf_firstboot.h"

#define WHERE "install"

/* The first-boot report of a cloud-init install carries the caller's
 * own install token (wf_firstboot_report; the DECISIONS section
 * "first_boot from the installed system").  An operator gets no token
 * file: it has no install token to give. */
static int
add_report(struct pb_req *r, json_t *answer, struct pb_err *e)
{
	char text[PB_TOKEN_MAX];
	struct pb_token t;
	json_t *files = json_object_get(answer, "files");
	const char *url = json_string_value(json_object_get(answer,
	    "events_url"));
	int rc;

	if (r->operator || !json_is_array(files) || url == NULL)
		return 0;
	if (pb_token_parse(&t, r->authz, e) == -1 || t.kind !=
	    PB_TOKEN_INSTALL)
		return pb_fail(e, "first-boot report: no install token");
	snprintf(text, sizeof(text), "pbi1.%s.%s", t.id, t.secret);
	rc = wf_firstboot_report(files, url, text, e);
	sodium_memzero(text, sizeof(text));
	sodium_memzero(&t, sizeof(t));
	return rc;
}

/* The answer: what /boot/pi said, and the instructions. */
static json_t *
install_answer_new(struct pb_req *r, const PGresult *res, const json_t *def,
    const json_t *vars, struct pb_err *e)
{
	char server[512];
	struct pb_wf_node node;
	json_t *answer, *instr;

	if (pb_instr_node(&node, res, server, sizeof(server), e) == -1)
		return NULL;
	node.vars = vars;
	if ((instr = pb_wf_instructions_new(def, &node, e)) == NULL)
		return NULL;
	answer = json_pack("{s:s, s:s, s:s, s:s}", "state",
	    pb_cell(res, PB_IC_STATE), "action", "install", "message", "",
	    "node_id", pb_cell(res, PB_IC_NODE));
	if (answer == NULL) {
		json_decref(instr);
		pb_fail(e, "out of memory");
		return NULL;
	}
	pb_instr_message(answer, res);
	pb_json_merge(answer, instr, NULL);
	pb_instr_urls(answer, &node, 0);
	json_decref(instr);
	if (add_report(r, answer, e) == -1) {
		json_decref(answer);
		return NULL;
	}
	return answer;
}

void
h_install(struct pb_req *r)
{
	struct pb_uuid id;
	int env = 0;
	struct pb_qfield f[] = {
		{ "format", 0, 8, pb_qf_format, &env, 0 },
		{ NULL, 0, 0, NULL, NULL, 0 },
	};
	const char *p[1];
	PGresult *res = NULL;
	json_t *answer = NULL, *def = NULL, *vars = NULL;
	struct pb_err e;
	int rc;

	if (pb_arg_uuid(r, 0, WHERE, &id) == -1)
		return;
	if (pb_qfields(r->query, f, &e) == -1) {
		pb_reply_bad(r, WHERE, &e);
		return;
	}
	p[0] = id.s;
	rc = pb_db_exec(r->db, "node_install", 1, p, &res, &e);
	if (rc != PB_DB_OK) {
		pb_reply_sql(r, rc, res, &e, WHERE);
		goto out;
	}
	if (PQntuples(res) != 1) {
		pb_reply_error(r, 404, "not_found", "no such node");
		goto out;
	}
	if (pb_instr_def(res, &def, &e) == -1 ||
	    pb_node_vars_get(r->db, pb_cell(res, PB_IC_NODE), &vars, &e) == -1 ||
	    (answer = install_answer_new(r, res, def, vars, &e)) == NULL ||
	    pb_answer_send(r, answer, env, &e) == -1)
		pb_instr_fail(r, WHERE, pb_cell(res, PB_IC_NODE),
		    pb_cell(res, PB_IC_WORKFLOW), &e);
out:
	json_decref(vars);
	json_decref(def);
	json_decref(answer);
	PQclear(res);
}

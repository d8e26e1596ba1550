/* h_boot.c: GET /api/v1/boot/pi?serial=&mac=[&format=env] and
 * GET /api/v1/boot/arm64?mac=[&boot_mode=&model=&format=env]: the deploy
 * agent's instructions, by the state of its node.  A Pi is named by its
 * serial, a U-Boot or UEFI board by its MAC (docs/boards.md); all the
 * rest is one code path here and one SQL body (pureboot.boot_answer(),
 * sql/036-board-nodes.sql) that both boot_pi() and boot_arm64() end in.
 *
 * pureboot.boot_pi() does every state change in one transaction and
 * one round trip: registration of an unknown serial (auto_register),
 * pending -> installing with the install token made here, a reboot
 * during an install counted as a failed attempt.  This file turns its
 * row into the answer: JSON, or KEY='value' lines for busybox sh.
 *
 * An install answer says what to do and carries the install token and
 * the URLs; the instructions themselves (image, files, secrets) are
 * made here too, so that a workflow that cannot be resolved fails the
 * install now, but only GET /nodes/{id}/install (h_install.c, with the
 * token) sends them.
 *
 * A request from another address than the node's known one (under
 * agent_trust 'address') changes nothing there; here it gets the state
 * and the action and nothing of the workflow: no token, no files, no
 * NFS or script keys (docs/security.md). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "core/boot_action.h"
#include "handlers.h"
#include "hutil.h"
#include "instr.h"
#include "nodevars.h"
#include "peer.h"
#include "qfield.h"
#include "core/token.h"

/* How long a waiting agent sleeps before it asks again (it adds its
 * own jitter). */
#define RETRY_AFTER 30

/* After instr.h's PB_IC_* columns. */
enum { C_ISSUED = PB_IC_ATTEMPTS + 1, C_REGISTERED, C_REFUSED };

#define REFUSED_MSG "refused: this request is not from the known address " \
	"of the node, so nothing was changed or served; a new address is " \
	"learned from its DHCP lease"

/* What the agent asked for.  arm64: a board by MAC, else a Pi. */
struct boot_q {
	const char *where;	/* "boot/pi", "boot/arm64" */
	int arm64;
	struct pb_serial serial;
	struct pb_mac mac;
	int has_mac;
	const char *boot_mode;	/* arm64: the firmware, NULL: not said */
	char model[65];		/* arm64: DMI's or the device tree's */
	int has_model;
	int env;		/* format=env: KEY='value' lines */
};

/* ?serial=&mac=&format=: the query, by table; buffer sizes as the
 * values allow (a longer one is refused by its length). */
static int
boot_query(const struct pb_req *r, struct boot_q *q, struct pb_err *e)
{
	struct pb_qfield f[] = {
		{ "serial", 1, 32, pb_qf_serial_loose, &q->serial, 0 },
		{ "mac", 0, 40, pb_qf_mac, &q->mac, 0 },
		{ "format", 0, 8, pb_qf_format, &q->env, 0 },
		{ NULL, 0, 0, NULL, NULL, 0 },
	};

	memset(q, 0, sizeof(*q));
	q->where = "boot/pi";
	if (pb_qfields(r->query, f, e) == -1)
		return -1;
	q->has_mac = f[1].given;
	return 0;
}

/* ?mac=&boot_mode=&model=&format=: a board's query. */
static int
boot_query_arm64(const struct pb_req *r, struct boot_q *q, struct pb_err *e)
{
	struct pb_qfield f[] = {
		{ "mac", 1, 40, pb_qf_mac, &q->mac, 0 },
		{ "boot_mode", 0, 8, pb_qf_board_mode, &q->boot_mode, 0 },
		{ "model", 0, sizeof(q->model), pb_qf_text, q->model, 0 },
		{ "format", 0, 8, pb_qf_format, &q->env, 0 },
		{ NULL, 0, 0, NULL, NULL, 0 },
	};

	memset(q, 0, sizeof(*q));
	q->where = "boot/arm64";
	q->arm64 = 1;
	if (pb_qfields(r->query, f, e) == -1)
		return -1;
	q->has_mac = 1;
	q->has_model = f[2].given;
	return 0;
}

/* Run boot_pi() or boot_arm64() for q with a fresh token: 0 with its
 * one row in *res, or -1 when the reply (SQL error, 404) is sent. */
static int
boot_row(struct pb_req *r, const struct boot_q *q,
    struct pb_install_token *tok, PGresult **res)
{
	unsigned char rnd[40];
	struct pb_ip peer;
	const char *p[6];
	struct pb_err e;
	int rc;

	if (pb_req_peer(r, q->where, &peer) == -1)
		return -1;
	/* A fresh token for every request costs a few microseconds; the
	 * function keeps it only when it starts an install. */
	randombytes_buf(rnd, sizeof(rnd));
	pb_install_token_make(tok, rnd);
	sodium_memzero(rnd, sizeof(rnd));
	if (q->arm64) {
		p[0] = q->mac.s;
		p[1] = q->boot_mode;
		p[2] = q->has_model ? q->model : NULL;
		p[3] = tok->id;
		p[4] = tok->hash_hex;
		p[5] = peer.s;
		rc = pb_db_exec(r->db, "boot_arm64", 6, p, res, &e);
	} else {
		p[0] = q->serial.s;
		p[1] = q->has_mac ? q->mac.s : NULL;
		p[2] = tok->id;
		p[3] = tok->hash_hex;
		p[4] = peer.s;
		rc = pb_db_exec(r->db, "boot_pi", 5, p, res, &e);
	}
	if (rc != PB_DB_OK) {
		pb_reply_sql(r, rc, *res, &e, q->where);
		return -1;
	}
	if (PQntuples(*res) != 1 || pb_cell(*res, PB_IC_NODE) == NULL) {
		pb_reply_error(r, 404, "not_found", "%s: %s \"%s\" is not "
		    "registered and auto_register is off", q->where,
		    q->arm64 ? "mac" : "serial",
		    q->arm64 ? q->mac.s : q->serial.s);
		return -1;
	}
	return 0;
}

/* The action for the row, and the workflow definition (*def, NULL when
 * the node has none) that decides whether it boots an NFS root. */
static int
boot_decide(const PGresult *res, json_t **def, enum pb_action *act,
    struct pb_err *e)
{
	const json_t *m;
	int nfs = 0;

	if (pb_instr_def(res, def, e) == -1)
		return -1;
	if (*def != NULL) {
		m = json_object_get(*def, "install_method");
		nfs = json_is_string(m) && strcmp(json_string_value(m),
		    "nfs") == 0;
	}
	*act = pb_boot_action(pb_cell(res, PB_IC_STATE),
	    strcmp(pb_cell(res, C_ISSUED), "t") == 0, nfs);
	return 0;
}

static void
set_str(json_t *o, const char *k, const char *v)
{
	json_object_set_new(o, k, json_string(v));
}

/* The answer for act, new; instr (install, nfs) made from def.  An
 * install answer carries none of instr (see the top of this file), but
 * instr must have an env form when env is asked for: the agent fetches
 * it so next. */
static json_t *
boot_answer_new(const PGresult *res, enum pb_action act, const json_t *def,
    const json_t *vars, const struct pb_install_token *tok, int env,
    struct pb_err *e)
{
	char server[512], s[700];
	struct pb_wf_node node;
	json_t *answer, *instr = NULL;
	const char *state = pb_cell(res, PB_IC_STATE);

	answer = json_pack("{s:s, s:s, s:s, s:s}", "state", state, "action",
	    pb_action_name(act), "message", "", "node_id",
	    pb_cell(res, PB_IC_NODE));
	if (answer == NULL) {
		pb_fail(e, "out of memory");
		return NULL;
	}
	if (strcmp(pb_cell(res, C_REFUSED), "t") == 0) {
		/* boot_pi() issued nothing, so act is never install; it
		 * asks again, and the answer holds nothing of the workflow. */
		set_str(answer, "message", REFUSED_MSG);
		json_object_set_new(answer, "retry_after",
		    json_integer(RETRY_AFTER));
		return answer;
	}
	if ((act == PB_ACT_INSTALL || act == PB_ACT_NFS) &&
	    (pb_instr_node(&node, res, server, sizeof(server), e) == -1 ||
	    (node.vars = vars, instr = pb_wf_instructions_new(def, &node,
	    e)) == NULL)) {
		json_decref(answer);
		return NULL;
	}
	switch (act) {
	case PB_ACT_WAIT:
		set_str(answer, "message", pb_boot_wait_message(state));
		json_object_set_new(answer, "retry_after",
		    json_integer(RETRY_AFTER));
		break;
	case PB_ACT_INSTALL:
		if (env && pb_instr_env_check(instr, e) == -1) {
			json_decref(instr);
			json_decref(answer);
			return NULL;
		}
		pb_instr_message(answer, res);
		set_str(answer, "token", tok->text);
		pb_instr_urls(answer, &node, 1);
		break;
	case PB_ACT_NFS:
		snprintf(s, sizeof(s), "boot the NFS root of workflow %s",
		    pb_cell(res, PB_IC_WORKFLOW));
		set_str(answer, "message", s);
		pb_json_merge(answer, instr, "nfs_");
		/* A diskless node's one script step (the k3s agent) runs
		 * on every NFS boot, so it travels with the NFS answer. */
		pb_json_merge(answer, instr, "script");
		break;
	case PB_ACT_LOCAL_BOOT:
		set_str(answer, "message", "boot from local storage");
		break;
	case PB_ACT_POWEROFF:
		set_str(answer, "message", "the node is retired; power off");
		break;
	}
	json_decref(instr);
	return answer;
}

/* The answer for q, whichever way the node is named. */
static void
boot_serve(struct pb_req *r, const struct boot_q *q)
{
	struct pb_install_token tok;
	PGresult *res = NULL;
	json_t *answer = NULL, *def = NULL, *vars = NULL;
	struct pb_err e;
	enum pb_action act = PB_ACT_WAIT;

	memset(&tok, 0, sizeof(tok));
	if (boot_row(r, q, &tok, &res) == -1)
		goto out;
	/* The node's own variable values: only an answer that resolves
	 * the workflow needs them. */
	if (boot_decide(res, &def, &act, &e) == -1 ||
	    ((act == PB_ACT_INSTALL || act == PB_ACT_NFS) &&
	    pb_node_vars_get(r->db, pb_cell(res, PB_IC_NODE), &vars,
	    &e) == -1) ||
	    (answer = boot_answer_new(res, act, def, vars, &tok, q->env,
	    &e)) == NULL ||
	    pb_answer_send(r, answer, q->env, &e) == -1) {
		if (strcmp(pb_cell(res, C_ISSUED), "t") == 0)
			pb_instr_fail(r, q->where, pb_cell(res, PB_IC_NODE),
			    pb_cell(res, PB_IC_WORKFLOW), &e);
		else
			pb_reply_internal(r, q->where, &e);
	}
out:
	sodium_memzero(&tok, sizeof(tok));
	json_decref(vars);
	json_decref(def);
	json_decref(answer);
	PQclear(res);
}

void
h_boot(struct pb_req *r)
{
	struct boot_q q;
	struct pb_err e;

	if (boot_query(r, &q, &e) == -1) {
		pb_reply_bad(r, "boot/pi", &e);
		return;
	}
	boot_serve(r, &q);
}

void
h_boot_arm64(struct pb_req *r)
{
	struct boot_q q;
	struct pb_err e;

	if (boot_query_arm64(r, &q, &e) == -1) {
		pb_reply_bad(r, "boot/arm64", &e);
		return;
	}
	boot_serve(r, &q);
}

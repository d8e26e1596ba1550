/* h_boot.c: GET /api/v1/boot/pi?serial=&mac=[&format=env]: the deploy
 * agent's instructions, by the state of its node.
 *
 * pureboot.boot_pi() does every state change in one transaction and
 * one round trip: registration of an unknown serial (auto_register),
 * pending -> installing with the install token made here, a reboot
 * during an install counted as a failed attempt.  This file turns its
 * row into the answer: JSON, or KEY='value' lines for busybox sh.
 *
 * A request from another address than the node's known one (under
 * agent_trust 'address') changes nothing there; here it gets the state
 * and the action and nothing of the workflow: no token, no files, no
 * NFS or script keys (docs/security.md). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "core/json_iter.h"
#include "core/boot_action.h"
#include "envout.h"
#include "handlers.h"
#include "hutil.h"
#include "peer.h"
#include "qfield.h"
#include "core/token.h"
#include "wf/wf_instructions.h"

#define WHERE "boot/pi"
/* How long a waiting agent sleeps before it asks again (it adds its
 * own jitter). */
#define RETRY_AFTER 30

enum { C_NODE, C_STATE, C_SERIAL, C_MAC, C_HOSTNAME, C_WORKFLOW, C_DEF,
	C_SERVER, C_ISSUED, C_ATTEMPTS, C_REGISTERED, C_REFUSED };

#define REFUSED_MSG "refused: this request is not from the known address " \
	"of the node, so nothing was changed or served; a new address is " \
	"learned from its DHCP lease"

/* What the agent asked for. */
struct boot_q {
	struct pb_serial serial;
	struct pb_mac mac;
	int has_mac;
	int env;		/* format=env: KEY='value' lines */
};

static int
format_parse(const char *in, const char *name, void *out, struct pb_err *e)
{
	(void)name;
	if (strcmp(in, "env") != 0 && strcmp(in, "json") != 0)
		return pb_fail(e, "format \"%.8s\" is not json or env", in);
	*(int *)out = strcmp(in, "env") == 0;
	return 0;
}

/* ?serial=&mac=&format=: the query, by table; buffer sizes as the
 * values allow (a longer one is refused by its length). */
static int
boot_query(const struct pb_req *r, struct boot_q *q, struct pb_err *e)
{
	struct pb_qfield f[] = {
		{ "serial", 1, 32, pb_qf_serial_loose, &q->serial, 0 },
		{ "mac", 0, 40, pb_qf_mac, &q->mac, 0 },
		{ "format", 0, 8, format_parse, &q->env, 0 },
		{ NULL, 0, 0, NULL, NULL, 0 },
	};

	memset(q, 0, sizeof(*q));
	if (pb_qfields(r->query, f, e) == -1)
		return -1;
	q->has_mac = f[1].given;
	return 0;
}

static const char *
cell(const PGresult *res, int col)
{
	return PQgetisnull(res, 0, col) ? NULL : PQgetvalue(res, 0, col);
}

/* The node as the workflow resolver sees it; server without a trailing
 * '/'.  The values come from the database, whose checks match these
 * parsers, so a failure here is a server fault. */
static int
wf_node(struct pb_wf_node *n, const PGresult *res, char *server,
    size_t serversz, struct pb_err *e)
{
	const char *s;
	size_t len;

	memset(n, 0, sizeof(*n));
	if (pb_uuid_parse(&n->id, cell(res, C_NODE), e) == -1 ||
	    pb_serial_parse(&n->serial, cell(res, C_SERIAL), e) == -1)
		return -1;
	if ((s = cell(res, C_MAC)) != NULL && pb_mac_parse(&n->mac, s, e) == -1)
		return -1;
	if ((s = cell(res, C_HOSTNAME)) != NULL &&
	    pb_hostname_parse(&n->hostname, s, e) == -1)
		return -1;
	s = cell(res, C_SERVER);
	snprintf(server, serversz, "%s", s != NULL ? s : "http://127.0.0.1:8080");
	len = strlen(server);
	while (len > 0 && server[len - 1] == '/')
		server[--len] = '\0';
	n->server = server;
	return 0;
}

/* The served install could not be completed: say so in the state log
 * (installing -> install_failed, counted as an attempt) rather than
 * leave the node installing with instructions nobody got. */
static void
fail_install(struct pb_req *r, const char *node, const char *workflow,
    const struct pb_err *why)
{
	char comment[600];
	const char *p[2] = { node, comment };
	PGresult *res = NULL;
	struct pb_err e;

	pb_log("%s: node %s: workflow %s: %s", WHERE, node, workflow, why->msg);
	snprintf(comment, sizeof(comment), "install instructions of workflow "
	    "%s could not be made: %s", workflow, why->msg);
	if (pb_db_exec(r->db, "boot_fail", 2, p, &res, &e) != PB_DB_OK)
		pb_log("%s: node %s: cannot record the failed install: %s",
		    WHERE, node, e.msg);
	PQclear(res);
	pb_reply_error(r, 500, "internal", "%s: the install instructions of "
	    "workflow %s could not be made for this node; it is now "
	    "install_failed and the reason is in the server log", WHERE,
	    workflow);
}

/* Copy every key of from into to (install instructions into the
 * answer), or only those starting with prefix. */
static void
merge(json_t *to, const json_t *from, const char *prefix)
{
	const char *k;
	json_t *v;

	json_object_foreach(pb_json_iterable(from), k, v)
		if (prefix == NULL || strncmp(k, prefix, strlen(prefix)) == 0)
			json_object_set(to, k, v);
}

/* Run boot_pi() for q with a fresh token: 0 with its one row in *res,
 * or -1 when the reply (SQL error, 404) is sent. */
static int
boot_pi(struct pb_req *r, const struct boot_q *q, struct pb_install_token *tok,
    PGresult **res)
{
	unsigned char rnd[40];
	struct pb_ip peer;
	const char *p[5];
	struct pb_err e;
	int rc;

	if (pb_req_peer(r, WHERE, &peer) == -1)
		return -1;
	/* A fresh token for every request costs a few microseconds; the
	 * function keeps it only when it starts an install. */
	randombytes_buf(rnd, sizeof(rnd));
	pb_install_token_make(tok, rnd);
	sodium_memzero(rnd, sizeof(rnd));
	p[0] = q->serial.s;
	p[1] = q->has_mac ? q->mac.s : NULL;
	p[2] = tok->id;
	p[3] = tok->hash_hex;
	p[4] = peer.s;
	rc = pb_db_exec(r->db, "boot_pi", 5, p, res, &e);
	if (rc != PB_DB_OK) {
		pb_reply_sql(r, rc, *res, &e, WHERE);
		return -1;
	}
	if (PQntuples(*res) != 1 || cell(*res, C_NODE) == NULL) {
		pb_reply_error(r, 404, "not_found", "%s: serial \"%s\" is not "
		    "registered and auto_register is off", WHERE, q->serial.s);
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
	json_error_t je;
	int nfs = 0;

	*def = NULL;
	if (cell(res, C_DEF) != NULL) {
		if ((*def = json_loads(cell(res, C_DEF), 0, &je)) == NULL)
			return pb_fail(e, "definition: %s", je.text);
		m = json_object_get(*def, "install_method");
		nfs = json_is_string(m) && strcmp(json_string_value(m),
		    "nfs") == 0;
	}
	*act = pb_boot_action(cell(res, C_STATE),
	    strcmp(cell(res, C_ISSUED), "t") == 0, nfs);
	return 0;
}

static void
set_str(json_t *o, const char *k, const char *v)
{
	json_object_set_new(o, k, json_string(v));
}

/* An install: the instructions, the token and where to report. */
static void
add_install(json_t *answer, const PGresult *res, const json_t *instr,
    const struct pb_install_token *tok, const struct pb_wf_node *node)
{
	char s[700];

	snprintf(s, sizeof(s), "install workflow %s, attempt %d",
	    cell(res, C_WORKFLOW), atoi(cell(res, C_ATTEMPTS)) + 1);
	set_str(answer, "message", s);
	merge(answer, instr, NULL);
	set_str(answer, "token", tok->text);
	snprintf(s, sizeof(s), "%s/api/v1/nodes/%s/installed", node->server,
	    node->id.s);
	set_str(answer, "callback_url", s);
	snprintf(s, sizeof(s), "%s/api/v1/nodes/%s/events", node->server,
	    node->id.s);
	set_str(answer, "events_url", s);
}

/* The answer for act, new; instr (install, nfs) made from def. */
static json_t *
boot_answer_new(const PGresult *res, enum pb_action act, const json_t *def,
    const struct pb_install_token *tok, struct pb_err *e)
{
	char server[512], s[700];
	struct pb_wf_node node;
	json_t *answer, *instr = NULL;
	const char *state = cell(res, C_STATE);

	answer = json_pack("{s:s, s:s, s:s, s:s}", "state", state, "action",
	    pb_action_name(act), "message", "", "node_id", cell(res, C_NODE));
	if (answer == NULL) {
		pb_fail(e, "out of memory");
		return NULL;
	}
	if (strcmp(cell(res, C_REFUSED), "t") == 0) {
		/* boot_pi() issued nothing, so act is never install; it
		 * asks again, and the answer holds nothing of the workflow. */
		set_str(answer, "message", REFUSED_MSG);
		json_object_set_new(answer, "retry_after",
		    json_integer(RETRY_AFTER));
		return answer;
	}
	if ((act == PB_ACT_INSTALL || act == PB_ACT_NFS) &&
	    (wf_node(&node, res, server, sizeof(server), e) == -1 ||
	    (instr = pb_wf_instructions_new(def, &node, e)) == NULL)) {
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
		add_install(answer, res, instr, tok, &node);
		break;
	case PB_ACT_NFS:
		snprintf(s, sizeof(s), "boot the NFS root of workflow %s",
		    cell(res, C_WORKFLOW));
		set_str(answer, "message", s);
		merge(answer, instr, "nfs_");
		/* A diskless node's one script step (the k3s agent) runs
		 * on every NFS boot, so it travels with the NFS answer. */
		merge(answer, instr, "script");
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

/* Send answer as JSON or, for format=env, as KEY='value' lines. */
static int
boot_send(struct pb_req *r, const json_t *answer, int env_out,
    struct pb_err *e)
{
	struct pb_err why;
	char *env;

	if (!env_out) {
		pb_reply(r, 200, answer);
		return 0;
	}
	if ((env = pb_envout_new(answer, &why)) == NULL)
		return pb_fail(e, "format=env: %.400s", why.msg);
	pb_reply_text(r, 200, "text/plain; charset=us-ascii", env);
	/* It holds the install token. */
	sodium_memzero(env, strlen(env));
	free(env);
	return 0;
}

void
h_boot(struct pb_req *r)
{
	struct pb_install_token tok;
	struct boot_q q;
	PGresult *res = NULL;
	json_t *answer = NULL, *def = NULL;
	struct pb_err e;
	enum pb_action act = PB_ACT_WAIT;

	memset(&tok, 0, sizeof(tok));
	if (boot_query(r, &q, &e) == -1) {
		pb_reply_bad(r, WHERE, &e);
		return;
	}
	if (boot_pi(r, &q, &tok, &res) == -1)
		goto out;
	if (boot_decide(res, &def, &act, &e) == -1 ||
	    (answer = boot_answer_new(res, act, def, &tok, &e)) == NULL ||
	    boot_send(r, answer, q.env, &e) == -1) {
		if (strcmp(cell(res, C_ISSUED), "t") == 0)
			fail_install(r, cell(res, C_NODE), cell(res, C_WORKFLOW),
			    &e);
		else
			pb_reply_internal(r, WHERE, &e);
	}
out:
	sodium_memzero(&tok, sizeof(tok));
	json_decref(def);
	json_decref(answer);
	PQclear(res);
}

/* h_boot.c: GET /api/v1/boot/pi?serial=&mac=[&format=env]: the deploy
 * agent's instructions, by the state of its node.
 *
 * pureboot.boot_pi() does every state change in one transaction and
 * one round trip: registration of an unknown serial (auto_register),
 * pending -> installing with the install token made here, a reboot
 * during an install counted as a failed attempt.  This file turns its
 * row into the answer: JSON, or KEY='value' lines for busybox sh. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "core/json_iter.h"
#include "core/boot_action.h"
#include "envout.h"
#include "handlers.h"
#include "hutil.h"
#include "query.h"
#include "token.h"
#include "wf/wf_instructions.h"

#define WHERE "boot/pi"
/* How long a waiting agent sleeps before it asks again (it adds its
 * own jitter). */
#define RETRY_AFTER 30

enum { C_NODE, C_STATE, C_SERIAL, C_MAC, C_HOSTNAME, C_WORKFLOW, C_DEF,
	C_SERVER, C_ISSUED, C_ATTEMPTS, C_REGISTERED };

static const char *const qkeys[] = { "serial", "mac", "format", NULL };

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

void
h_boot(struct pb_req *r)
{
	char serial_in[32], mac_in[40], format[8], server[512], url[700];
	struct pb_install_token tok;
	unsigned char rnd[40];
	struct pb_serial serial;
	struct pb_mac mac;
	struct pb_wf_node node;
	const char *p[4], *state, *wf;
	PGresult *res = NULL;
	json_t *answer = NULL, *def = NULL, *instr = NULL;
	json_error_t je;
	char *env = NULL;
	struct pb_err e, e2;
	enum pb_action act;
	int rc, issued, nfs = 0, env_out = 0;

	if (pb_query_check(r->query, qkeys, &e) == -1 ||
	    pb_query_get(r->query, "serial", serial_in, sizeof(serial_in),
	    &e) == -1 ||
	    pb_query_get(r->query, "mac", mac_in, sizeof(mac_in), &e) == -1 ||
	    pb_query_get(r->query, "format", format, sizeof(format), &e) == -1)
		goto bad;
	if (serial_in[0] == '\0') {
		pb_fail(&e, "query parameter \"serial\" is required");
		goto bad;
	}
	if (pb_serial_parse_loose(&serial, serial_in, &e) == -1 ||
	    (mac_in[0] != '\0' && pb_mac_parse(&mac, mac_in, &e) == -1))
		goto bad;
	if (strcmp(format, "env") == 0)
		env_out = 1;
	else if (format[0] != '\0' && strcmp(format, "json") != 0) {
		pb_fail(&e, "format \"%.8s\" is not json or env", format);
		goto bad;
	}

	/* A fresh token for every request costs a few microseconds; the
	 * function keeps it only when it starts an install. */
	randombytes_buf(rnd, sizeof(rnd));
	pb_install_token_make(&tok, rnd);
	sodium_memzero(rnd, sizeof(rnd));
	p[0] = serial.s;
	p[1] = mac_in[0] != '\0' ? mac.s : NULL;
	p[2] = tok.id;
	p[3] = tok.hash_hex;
	rc = pb_db_exec(r->db, "boot_pi", 4, p, &res, &e);
	if (rc != PB_DB_OK) {
		pb_reply_sql(r, rc, res, &e, WHERE);
		goto out;
	}
	if (PQntuples(res) != 1 || cell(res, C_NODE) == NULL) {
		pb_reply_error(r, 404, "not_found", "%s: serial \"%s\" is not "
		    "registered and auto_register is off", WHERE, serial.s);
		goto out;
	}
	state = cell(res, C_STATE);
	wf = cell(res, C_WORKFLOW);
	issued = strcmp(cell(res, C_ISSUED), "t") == 0;
	if (cell(res, C_DEF) != NULL) {
		def = json_loads(cell(res, C_DEF), 0, &je);
		if (def == NULL) {
			pb_fail(&e, "definition: %s", je.text);
			goto fault;
		}
		nfs = json_is_string(json_object_get(def, "install_method")) &&
		    strcmp(json_string_value(json_object_get(def,
		    "install_method")), "nfs") == 0;
	}
	act = pb_boot_action(state, issued, nfs);
	answer = json_pack("{s:s, s:s, s:s, s:s}", "state", state, "action",
	    pb_action_name(act), "message", "", "node_id", cell(res, C_NODE));
	if (answer == NULL) {
		pb_fail(&e, "out of memory");
		goto fault;
	}
	if (act == PB_ACT_INSTALL || act == PB_ACT_NFS) {
		if (wf_node(&node, res, server, sizeof(server), &e) == -1)
			goto fault;
		if ((instr = pb_wf_instructions_new(def, &node, &e)) == NULL)
			goto fault;
	}
	switch (act) {
	case PB_ACT_WAIT:
		json_object_set_new(answer, "message",
		    json_string(pb_boot_wait_message(state)));
		json_object_set_new(answer, "retry_after",
		    json_integer(RETRY_AFTER));
		break;
	case PB_ACT_INSTALL:
		snprintf(url, sizeof(url), "install workflow %s, attempt %d", wf,
		    atoi(cell(res, C_ATTEMPTS)) + 1);
		json_object_set_new(answer, "message", json_string(url));
		merge(answer, instr, NULL);
		json_object_set_new(answer, "token", json_string(tok.text));
		snprintf(url, sizeof(url), "%s/api/v1/nodes/%s/installed", server,
		    node.id.s);
		json_object_set_new(answer, "callback_url", json_string(url));
		snprintf(url, sizeof(url), "%s/api/v1/nodes/%s/events", server,
		    node.id.s);
		json_object_set_new(answer, "events_url", json_string(url));
		break;
	case PB_ACT_NFS:
		snprintf(url, sizeof(url), "boot the NFS root of workflow %s", wf);
		json_object_set_new(answer, "message", json_string(url));
		merge(answer, instr, "nfs_");
		/* A diskless node's one script step (the k3s agent) runs
		 * on every NFS boot, so it travels with the NFS answer. */
		merge(answer, instr, "script");
		break;
	case PB_ACT_LOCAL_BOOT:
		json_object_set_new(answer, "message",
		    json_string("boot from local storage"));
		break;
	case PB_ACT_POWEROFF:
		json_object_set_new(answer, "message",
		    json_string("the node is retired; power off"));
		break;
	}
	if (env_out) {
		if ((env = pb_envout_new(answer, &e2)) == NULL) {
			pb_fail(&e, "format=env: %.400s", e2.msg);
			goto fault;
		}
		pb_reply_text(r, 200, "text/plain; charset=us-ascii", env);
	} else
		pb_reply(r, 200, answer);
	goto out;
fault:
	if (issued)
		fail_install(r, cell(res, C_NODE), wf, &e);
	else
		pb_reply_internal(r, WHERE, &e);
	goto out;
bad:
	pb_reply_bad(r, WHERE, &e);
out:
	sodium_memzero(&tok, sizeof(tok));
	if (env != NULL)
		sodium_memzero(env, strlen(env));
	free(env);
	json_decref(instr);
	json_decref(def);
	json_decref(answer);
	PQclear(res);
}

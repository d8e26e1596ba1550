/* instr.c: the install instructions of one node and the answers that
 * carry them (instr.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "core/json_iter.h"
#include "envout.h"
#include "instr.h"

const char *
pb_cell(const PGresult *res, int col)
{
	return PQgetisnull(res, 0, col) ? NULL : PQgetvalue(res, 0, col);
}

int
pb_instr_def(const PGresult *res, json_t **def, struct pb_err *e)
{
	json_error_t je;

	*def = NULL;
	if (pb_cell(res, PB_IC_DEF) == NULL)
		return 0;
	if ((*def = json_loads(pb_cell(res, PB_IC_DEF), 0, &je)) == NULL)
		return pb_fail(e, "definition: %s", je.text);
	return 0;
}

/* The values come from the database, whose checks match these parsers,
 * so a failure here is a server fault. */
int
pb_instr_node(struct pb_wf_node *n, const PGresult *res, char *server,
    size_t serversz, struct pb_err *e)
{
	const char *s;
	size_t len;

	memset(n, 0, sizeof(*n));
	if (pb_uuid_parse(&n->id, pb_cell(res, PB_IC_NODE), e) == -1)
		return -1;
	/* A U-Boot or UEFI board has no serial: n->serial stays "". */
	if ((s = pb_cell(res, PB_IC_SERIAL)) != NULL &&
	    pb_serial_parse(&n->serial, s, e) == -1)
		return -1;
	if ((s = pb_cell(res, PB_IC_MAC)) != NULL &&
	    pb_mac_parse(&n->mac, s, e) == -1)
		return -1;
	if ((s = pb_cell(res, PB_IC_HOSTNAME)) != NULL &&
	    pb_hostname_parse(&n->hostname, s, e) == -1)
		return -1;
	s = pb_cell(res, PB_IC_SERVER);
	snprintf(server, serversz, "%s", s != NULL ? s : "http://127.0.0.1:8080");
	len = strlen(server);
	while (len > 0 && server[len - 1] == '/')
		server[--len] = '\0';
	n->server = server;
	return 0;
}

void
pb_instr_message(json_t *answer, const PGresult *res)
{
	char s[200];

	snprintf(s, sizeof(s), "install workflow %s, attempt %d",
	    pb_cell(res, PB_IC_WORKFLOW), atoi(pb_cell(res, PB_IC_ATTEMPTS)) + 1);
	json_object_set_new(answer, "message", json_string(s));
}

static void
set_url(json_t *answer, const char *key, const struct pb_wf_node *node,
    const char *what)
{
	char s[700];

	snprintf(s, sizeof(s), "%s/api/v1/nodes/%s/%s", node->server,
	    node->id.s, what);
	json_object_set_new(answer, key, json_string(s));
}

void
pb_instr_urls(json_t *answer, const struct pb_wf_node *node,
    int with_instructions)
{
	if (with_instructions)
		set_url(answer, "instructions_url", node, "install");
	set_url(answer, "callback_url", node, "installed");
	set_url(answer, "events_url", node, "events");
}

void
pb_json_merge(json_t *to, const json_t *from, const char *prefix)
{
	const char *k;
	json_t *v;

	json_object_foreach(pb_json_iterable(from), k, v)
		if (prefix == NULL || strncmp(k, prefix, strlen(prefix)) == 0)
			json_object_set(to, k, v);
}

int
pb_instr_env_check(const json_t *instr, struct pb_err *e)
{
	struct pb_err why;
	char *text;

	if ((text = pb_envout_new(instr, &why)) == NULL)
		return pb_fail(e, "format=env: %.400s", why.msg);
	sodium_memzero(text, strlen(text));
	free(text);
	return 0;
}

int
pb_answer_send(struct pb_req *r, const json_t *answer, int env,
    struct pb_err *e)
{
	struct pb_err why;
	char *text;

	if (!env) {
		pb_reply(r, 200, answer);
		return 0;
	}
	if ((text = pb_envout_new(answer, &why)) == NULL)
		return pb_fail(e, "format=env: %.400s", why.msg);
	pb_reply_text(r, 200, "text/plain; charset=us-ascii", text);
	/* It may hold the install token or a workflow's secret. */
	sodium_memzero(text, strlen(text));
	free(text);
	return 0;
}

void
pb_instr_fail(struct pb_req *r, const char *where, const char *node,
    const char *workflow, const struct pb_err *why)
{
	char comment[600];
	const char *p[2] = { node, comment };
	PGresult *res = NULL;
	struct pb_err e;

	pb_log("%s: node %s: workflow %s: %s", where, node, workflow, why->msg);
	snprintf(comment, sizeof(comment), "install instructions of workflow "
	    "%s could not be made: %s", workflow, why->msg);
	if (pb_db_exec(r->db, "boot_fail", 2, p, &res, &e) != PB_DB_OK)
		pb_log("%s: node %s: cannot record the failed install: %s",
		    where, node, e.msg);
	PQclear(res);
	pb_reply_error(r, 500, "internal", "%s: the install instructions of "
	    "workflow %s could not be made for this node; it is now "
	    "install_failed and the reason is in the server log", where,
	    workflow);
}

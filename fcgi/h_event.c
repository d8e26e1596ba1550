/* h_event.c: POST /nodes/{id}/events {type, ...}: the agent (with its
 * install token) or an operator reports.  install_failed moves
 * installing -> install_failed (an attempt), first_boot installed ->
 * active, both in pureboot.node_event() with the event row. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "handlers.h"
#include "hutil.h"

#define WHERE "event"
#define INT_MAX_BYTES (1LL << 53)	/* exact in any JSON reader */

/* The fields of each type, after "type". */
static const struct {
	const char *type;
	const char *fields[4];
} types[] = {
	{ "boot_started", { NULL } },
	{ "install_started", { NULL } },
	{ "install_progress", { "bytes", "total", "percent", NULL } },
	{ "install_failed", { "reason", "log", NULL } },
	{ "install_complete", { NULL } },
	{ "first_boot", { NULL } },
	{ "heartbeat", { NULL } },
};

#define NTYPES (sizeof(types) / sizeof(types[0]))

/* Check the fields of one type and copy them into payload. */
static int
fields(size_t t, const json_t *root, json_t *payload, struct pb_err *e)
{
	struct pb_field f[6];
	const char *s;
	long long n;
	size_t i;

	f[0] = (struct pb_field){ "type", 1, NULL };
	for (i = 0; types[t].fields[i] != NULL; i++)
		f[i + 1] = (struct pb_field){ types[t].fields[i], 0, NULL };
	f[i + 1] = (struct pb_field){ NULL, 0, NULL };
	if (strcmp(types[t].type, "install_progress") == 0)
		f[1].required = 1;	/* bytes */
	if (strcmp(types[t].type, "install_failed") == 0)
		f[1].required = 1;	/* reason */
	if (pb_fields(root, f, e) == -1)
		return -1;
	for (i = 1; f[i].name != NULL; i++) {
		if (f[i].v == NULL || json_is_null(f[i].v))
			continue;
		if (strcmp(f[i].name, "percent") == 0) {
			if (pb_json_int(f[i].v, "percent", 0, 100, &n, e) == -1)
				return -1;
			json_object_set_new(payload, "percent", json_integer(n));
		} else if (strcmp(f[i].name, "bytes") == 0 ||
		    strcmp(f[i].name, "total") == 0) {
			if (pb_json_int(f[i].v, f[i].name, 0, INT_MAX_BYTES, &n,
			    e) == -1)
				return -1;
			json_object_set_new(payload, f[i].name, json_integer(n));
		} else if (strcmp(f[i].name, "reason") == 0) {
			if (pb_json_text(f[i].v, "reason", 500, &s, e) == -1)
				return -1;
			json_object_set_new(payload, "reason", json_string(s));
		} else {	/* log: the agent's log buffer, newlines and all */
			if (pb_json_str(f[i].v, "log", &s, e) == -1)
				return -1;
			json_object_set_new(payload, "log", json_string(s));
		}
	}
	return 0;
}

void
h_event_post(struct pb_req *r)
{
	struct pb_uuid id;
	const char *p[4], *type;
	PGresult *res = NULL;
	json_t *root, *payload = NULL, *out = NULL;
	char *txt = NULL, q[64];
	struct pb_err e;
	size_t t;
	int rc;

	if (pb_arg_uuid(r, 0, WHERE, &id) == -1)
		return;
	if ((root = pb_req_json(r, WHERE)) == NULL)
		return;
	if (json_object_get(root, "type") == NULL) {
		pb_fail(&e, "field \"type\" is required");
		goto bad;
	}
	if (pb_json_str(json_object_get(root, "type"), "type", &type, &e) == -1)
		goto bad;
	for (t = 0; t < NTYPES; t++)
		if (strcmp(type, types[t].type) == 0)
			break;
	if (t == NTYPES) {
		pb_quote(q, sizeof(q), type, 40);
		pb_fail(&e, "type \"%s\" is not one of boot_started, "
		    "install_started, install_progress, install_failed, "
		    "install_complete, first_boot, heartbeat", q);
		goto bad;
	}
	if ((payload = json_object()) == NULL ||
	    fields(t, root, payload, &e) == -1)
		goto bad;
	if ((txt = json_dumps(payload, JSON_COMPACT)) == NULL) {
		pb_fail(&e, "cannot serialise the payload");
		pb_reply_internal(r, WHERE, &e);
		goto out;
	}
	p[0] = id.s;
	p[1] = types[t].type;
	p[2] = txt;
	p[3] = r->actor;
	rc = pb_db_exec(r->db, "node_event", 4, p, &res, &e);
	if (rc != PB_DB_OK) {
		pb_reply_sql(r, rc, res, &e, WHERE);
		goto out;
	}
	out = json_pack("{s:I, s:s, s:s, s:s}", "event_id",
	    (json_int_t)strtoll(PQgetvalue(res, 0, 0), NULL, 10), "node_id",
	    id.s, "type", types[t].type, "state", PQgetvalue(res, 0, 1));
	pb_reply(r, 201, out);
	goto out;
bad:
	pb_reply_bad(r, WHERE, &e);
out:
	free(txt);
	json_decref(out);
	json_decref(payload);
	json_decref(root);
	PQclear(res);
}

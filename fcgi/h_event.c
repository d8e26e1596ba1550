/* h_event.c: POST /nodes/{id}/events {type, key, ...}: the agent (with
 * its install token) or an operator reports.  install_failed moves
 * installing -> install_failed (an attempt), first_boot installed ->
 * active, both in pureboot.node_event() with the event row.  An event
 * with a key the node already used is not recorded again: the answer
 * is the first one's, with "duplicate": true (sql/039). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "handlers.h"
#include "hutil.h"

#define WHERE "event"
#define INT_MAX_BYTES (1LL << 53)	/* exact in any JSON reader */

/* Validators of event fields: each checks one value and copies it into
 * the payload (out, a json_t object) under its name. */
static int
put(json_t *payload, const char *name, json_t *v)
{
	json_object_set_new(payload, name, v);	/* as before: no ENOMEM path */
	return 0;
}

static int
put_int(const json_t *v, const char *name, long long hi, json_t *payload,
    struct pb_err *e)
{
	long long n;

	if (pb_json_int(v, name, 0, hi, &n, e) == -1)
		return -1;
	return put(payload, name, json_integer(n));
}

static int
put_bytes(const json_t *v, const char *name, void *out, struct pb_err *e)
{
	return put_int(v, name, INT_MAX_BYTES, out, e);
}

static int
put_percent(const json_t *v, const char *name, void *out, struct pb_err *e)
{
	return put_int(v, name, 100, out, e);
}

static int
put_reason(const json_t *v, const char *name, void *out, struct pb_err *e)
{
	const char *s;

	if (pb_json_text(v, name, 500, &s, e) == -1)
		return -1;
	return put(out, name, json_string(s));
}

/* log: the agent's log buffer, newlines and all. */
static int
put_log(const json_t *v, const char *name, void *out, struct pb_err *e)
{
	const char *s;

	if (pb_json_str(v, name, &s, e) == -1)
		return -1;
	return put(out, name, json_string(s));
}

/* first_boot of a diskless node (initramfs/agent/nfs.sh): how its root
 * came to be.  Each a choice from a list, or a bounded text. */
static int
put_choice(const json_t *v, const char *name, const char *const *ok,
    json_t *payload, struct pb_err *e)
{
	char list[80] = "";
	const char *s;
	size_t i;

	if (pb_json_str(v, name, &s, e) == -1)
		return -1;
	for (i = 0; ok[i] != NULL; i++) {
		if (strcmp(s, ok[i]) == 0)
			return put(payload, name, json_string(s));
		snprintf(list + strlen(list), sizeof(list) - strlen(list),
		    "%s%s", i > 0 ? ", " : "", ok[i]);
	}
	return pb_refuse(e, name, s, "is not one of %s", list);
}

static int
put_method(const json_t *v, const char *name, void *out, struct pb_err *e)
{
	static const char *const ok[] = { "image", "nfs", NULL };

	return put_choice(v, name, ok, out, e);
}

static int
put_mode(const json_t *v, const char *name, void *out, struct pb_err *e)
{
	static const char *const ok[] = { "persistent", "stateless", NULL };

	return put_choice(v, name, ok, out, e);
}

/* root: SERVER:PATH of the NFS root, as the answer gave it. */
static int
put_root(const json_t *v, const char *name, void *out, struct pb_err *e)
{
	const char *s;

	if (pb_json_text(v, name, 300, &s, e) == -1)
		return -1;
	return put(out, name, json_string(s));
}

/* script_output (issue 13): which script, its chunk number, the
 * chunk (newlines kept, at most SCRIPT_TEXT_MAX bytes: a script that
 * prints megabytes is cut by the agent, and a bigger chunk is refused
 * here), and how many bytes the agent left out before it. */
#define SCRIPT_TEXT_MAX 4096

static int
put_script(const json_t *v, const char *name, void *out, struct pb_err *e)
{
	const char *s;

	if (pb_json_str(v, name, &s, e) == -1)
		return -1;
	if (s[0] == '\0' || strlen(s) > 64 ||
	    strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_[].") != strlen(s))
		return pb_refuse(e, name, s, "is not a script name "
		    "(install, post_install[N])");
	return put(out, name, json_string(s));
}

static int
put_text(const json_t *v, const char *name, void *out, struct pb_err *e)
{
	const char *s;

	if (pb_json_str(v, name, &s, e) == -1)
		return -1;
	if (strlen(s) > SCRIPT_TEXT_MAX)
		return pb_fail(e, "%s: %zu bytes, more than %d", name, strlen(s),
		    SCRIPT_TEXT_MAX);
	return put(out, name, json_string(s));
}

static int
put_count(const json_t *v, const char *name, void *out, struct pb_err *e)
{
	return put_int(v, name, 1000000000, out, e);
}

#define FIELDS_MAX 4

/* The fields of each type, after "type"; out is set per request. */
static const struct {
	const char *type;
	struct pb_jfield fields[FIELDS_MAX + 1];
} types[] = {
	{ "boot_started", { { NULL, 0, NULL, NULL, 0 } } },
	{ "install_started", { { NULL, 0, NULL, NULL, 0 } } },
	{ "install_progress", {
		{ "bytes", PB_F_REQUIRED, put_bytes, NULL, 0 },
		{ "total", PB_F_OPTIONAL, put_bytes, NULL, 0 },
		{ "percent", PB_F_OPTIONAL, put_percent, NULL, 0 },
		{ NULL, 0, NULL, NULL, 0 } } },
	{ "install_failed", {
		{ "reason", PB_F_REQUIRED, put_reason, NULL, 0 },
		{ "log", PB_F_OPTIONAL, put_log, NULL, 0 },
		{ NULL, 0, NULL, NULL, 0 } } },
	{ "install_complete", { { NULL, 0, NULL, NULL, 0 } } },
	{ "first_boot", {
		{ "method", PB_F_OPTIONAL, put_method, NULL, 0 },
		{ "mode", PB_F_OPTIONAL, put_mode, NULL, 0 },
		{ "root", PB_F_OPTIONAL, put_root, NULL, 0 },
		{ NULL, 0, NULL, NULL, 0 } } },
	{ "heartbeat", { { NULL, 0, NULL, NULL, 0 } } },
	{ "script_output", {
		{ "script", PB_F_REQUIRED, put_script, NULL, 0 },
		{ "seq", PB_F_REQUIRED, put_count, NULL, 0 },
		{ "text", PB_F_REQUIRED, put_text, NULL, 0 },
		{ "dropped", PB_F_OPTIONAL, put_count, NULL, 0 },
		{ NULL, 0, NULL, NULL, 0 } } },
};

#define NTYPES (sizeof(types) / sizeof(types[0]))

/* key: the client's name of this event, the same on each try. */
static int
parse_key(const json_t *v, const char *name, void *out, struct pb_err *e)
{
	const char *s;

	if (pb_json_str(v, name, &s, e) == -1)
		return -1;
	return pb_evkey_parse(out, s, e);
}

/* Check the fields of type t and copy them into payload; the key, when
 * given, into key (*has_key 1).  The key is not part of the payload. */
static int
fields(size_t t, const json_t *root, json_t *payload, struct pb_evkey *key,
    int *has_key, struct pb_err *e)
{
	struct pb_jfield f[FIELDS_MAX + 3];
	size_t i;

	f[0] = (struct pb_jfield){ "type", PB_F_REQUIRED, NULL, NULL, 0 };
	f[1] = (struct pb_jfield){ "key", PB_F_OPTIONAL, parse_key, key, 0 };
	for (i = 0; types[t].fields[i].name != NULL; i++) {
		f[i + 2] = types[t].fields[i];
		f[i + 2].out = payload;
	}
	f[i + 2] = (struct pb_jfield){ NULL, 0, NULL, NULL, 0 };
	if (pb_jfields(root, f, e) == -1)
		return -1;
	*has_key = f[1].given == PB_GIVEN;
	return 0;
}

void
h_event_post(struct pb_req *r)
{
	struct pb_uuid id;
	struct pb_evkey key;
	const char *p[6], *type;
	PGresult *res = NULL;
	json_t *root, *payload = NULL, *out = NULL;
	char *txt = NULL, q[64];
	struct pb_err e;
	size_t t;
	int rc, has_key = 0;

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
		    "install_complete, first_boot, heartbeat, script_output", q);
		goto bad;
	}
	if ((payload = json_object()) == NULL ||
	    fields(t, root, payload, &key, &has_key, &e) == -1)
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
	/* events_per_minute bounds an install token, not an operator. */
	p[4] = r->operator ? "false" : "true";
	p[5] = has_key ? key.s : NULL;
	rc = pb_db_exec(r->db, "node_event", 6, p, &res, &e);
	if (rc != PB_DB_OK) {
		pb_reply_sql(r, rc, res, &e, WHERE);
		goto out;
	}
	out = json_pack("{s:I, s:s, s:s, s:s}", "event_id",
	    (json_int_t)strtoll(PQgetvalue(res, 0, 0), NULL, 10), "node_id",
	    id.s, "type", types[t].type, "state", PQgetvalue(res, 0, 1));
	/* A repeat answers as the first try did (201: a client that lost
	 * the first answer takes this one for it), and says so. */
	if (out != NULL && strcmp(PQgetvalue(res, 0, 2), "t") == 0)
		json_object_set_new(out, "duplicate", json_true());
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

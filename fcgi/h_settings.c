/* h_settings.c: GET /settings, PATCH /settings {server_url,
 * auto_register, discovery, agent_trust, discovery_limit,
 * discovery_per_addr, events_per_minute, install_token_ttl}: booleans are stored as
 * on/off, numbers as their decimal digits (docs/security.md says what
 * the agent-trust ones do). */
#include <stdio.h>
#include <string.h>

#include "handlers.h"
#include "hutil.h"
#include "core/url.h"

#define WHERE "settings"
#define NSET 8

/* A number setting: its decimal digits in out (char[12]). */
static int
num_setting(const json_t *v, const char *name, long long lo, long long hi,
    void *out, struct pb_err *e)
{
	long long n;

	if (pb_json_int(v, name, lo, hi, &n, e) == -1)
		return -1;
	snprintf(out, 12, "%lld", n);
	return 0;
}

/* 0 refuses every node the agent would make. */
static int
jf_discovery_limit(const json_t *v, const char *name, void *out,
    struct pb_err *e)
{
	return num_setting(v, name, 0, 9999999, out, e);
}

static int
jf_per_minute(const json_t *v, const char *name, void *out, struct pb_err *e)
{
	return num_setting(v, name, 1, 999999, out, e);
}

/* Seconds, up to 30 days. */
static int
jf_ttl(const json_t *v, const char *name, void *out, struct pb_err *e)
{
	return num_setting(v, name, 1, 2592000, out, e);
}

static int
jf_agent_trust(const json_t *v, const char *name, void *out,
    struct pb_err *e)
{
	const char *s;

	if (pb_json_str(v, name, &s, e) == -1)
		return -1;
	if (strcmp(s, "address") != 0 && strcmp(s, "open") != 0)
		return pb_fail(e, "field \"%s\" must be \"address\" or \"open\"",
		    name);
	*(const char **)out = strcmp(s, "open") == 0 ? "open" : "address";
	return 0;
}

void
h_settings_get(struct pb_req *r)
{
	pb_exec_json(r, WHERE, "settings_get", 0, NULL, 200, "");
}

void
h_settings_patch(struct pb_req *r)
{
	struct pb_url url;
	int b[2];
	const char *trust = NULL;
	char num[4][12];
	/* lib/core/url.c owns the URL rule; the settings table's CHECK is
	 * its copy in SQL.  What goes to SQL is the parsed URL.  A null
	 * goes to the validators, which refuse it.  Rows in the order of
	 * settings_set's parameters. */
	struct pb_jfield f[] = {
		{ "server_url", PB_F_NULL, pb_jf_url, &url, PB_ABSENT },
		{ "auto_register", PB_F_NULL, pb_jf_bool, &b[0], PB_ABSENT },
		{ "discovery", PB_F_NULL, pb_jf_bool, &b[1], PB_ABSENT },
		{ "agent_trust", PB_F_NULL, jf_agent_trust, &trust, PB_ABSENT },
		{ "discovery_limit", PB_F_NULL, jf_discovery_limit, num[0],
		  PB_ABSENT },
		{ "discovery_per_addr", PB_F_NULL, jf_per_minute, num[1],
		  PB_ABSENT },
		{ "events_per_minute", PB_F_NULL, jf_per_minute, num[2],
		  PB_ABSENT },
		{ "install_token_ttl", PB_F_NULL, jf_ttl, num[3], PB_ABSENT },
		{ NULL, 0, NULL, NULL, PB_ABSENT },
	};
	const char *p[NSET] = { NULL };
	PGresult *res = NULL;
	json_t *root;
	struct pb_err e;
	int i, rc, any = 0;

	if ((root = pb_req_json(r, WHERE)) == NULL)
		return;
	if (pb_jfields(root, f, &e) == -1)
		goto bad;
	if (f[0].given == PB_GIVEN)
		p[0] = url.s;
	for (i = 1; i < 3; i++)
		if (f[i].given == PB_GIVEN)
			p[i] = b[i - 1] ? "on" : "off";
	if (f[3].given == PB_GIVEN)
		p[3] = trust;
	for (i = 4; i < NSET; i++)
		if (f[i].given == PB_GIVEN)
			p[i] = num[i - 4];
	for (i = 0; i < NSET; i++)
		any |= p[i] != NULL;
	if (!any) {
		pb_fail(&e, "nothing to change; fields: server_url, "
		    "auto_register, discovery, agent_trust, discovery_limit, "
		    "discovery_per_addr, events_per_minute, install_token_ttl");
		goto bad;
	}
	rc = pb_db_exec(r->db, "settings_set", NSET, p, &res, &e);
	if (rc != PB_DB_OK) {
		pb_reply_sql(r, rc, res, &e, WHERE);
		goto out;
	}
	pb_log("settings changed by %s", r->actor);
	pb_exec_json(r, WHERE, "settings_get", 0, NULL, 200, "");
	goto out;
bad:
	pb_reply_bad(r, WHERE, &e);
out:
	PQclear(res);
	json_decref(root);
}

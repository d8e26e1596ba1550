/* h_settings.c: GET /settings, PATCH /settings {server_url,
 * auto_register, discovery} (booleans; stored as on/off). */
#include "handlers.h"
#include "hutil.h"
#include "core/url.h"

#define WHERE "settings"

void
h_settings_get(struct pb_req *r)
{
	pb_exec_json(r, WHERE, "settings_get", 0, NULL, 200, "");
}

void
h_settings_patch(struct pb_req *r)
{
	struct pb_field f[] = {
		{ "server_url", 0, NULL }, { "auto_register", 0, NULL },
		{ "discovery", 0, NULL }, { NULL, 0, NULL },
	};
	const char *p[3] = { NULL, NULL, NULL };
	struct pb_url url;
	PGresult *res = NULL;
	json_t *root;
	struct pb_err e;
	int i, b, rc;

	if ((root = pb_req_json(r, WHERE)) == NULL)
		return;
	if (pb_fields(root, f, &e) == -1)
		goto bad;
	/* lib/core/url.c owns the rule; the settings table's CHECK is
	 * its copy in SQL.  What goes to SQL is the parsed URL. */
	if (f[0].v != NULL) {
		if (pb_json_str(f[0].v, "server_url", &p[0], &e) == -1 ||
		    pb_url_parse(&url, p[0], &e) == -1)
			goto bad;
		p[0] = url.s;
	}
	for (i = 1; i < 3; i++) {
		if (f[i].v == NULL)
			continue;
		if (pb_json_bool(f[i].v, f[i].name, &b, &e) == -1)
			goto bad;
		p[i] = b ? "on" : "off";
	}
	if (p[0] == NULL && p[1] == NULL && p[2] == NULL) {
		pb_fail(&e, "nothing to change; fields: server_url, "
		    "auto_register, discovery");
		goto bad;
	}
	rc = pb_db_exec(r->db, "settings_set", 3, p, &res, &e);
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

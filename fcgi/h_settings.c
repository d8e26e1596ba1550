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
	struct pb_url url;
	int b[2];
	/* lib/core/url.c owns the URL rule; the settings table's CHECK is
	 * its copy in SQL.  What goes to SQL is the parsed URL.  A null
	 * goes to the validators, which refuse it. */
	struct pb_jfield f[] = {
		{ "server_url", PB_F_NULL, pb_jf_url, &url, PB_ABSENT },
		{ "auto_register", PB_F_NULL, pb_jf_bool, &b[0], PB_ABSENT },
		{ "discovery", PB_F_NULL, pb_jf_bool, &b[1], PB_ABSENT },
		{ NULL, 0, NULL, NULL, PB_ABSENT },
	};
	const char *p[3] = { NULL, NULL, NULL };
	PGresult *res = NULL;
	json_t *root;
	struct pb_err e;
	int i, rc;

	if ((root = pb_req_json(r, WHERE)) == NULL)
		return;
	if (pb_jfields(root, f, &e) == -1)
		goto bad;
	if (f[0].given == PB_GIVEN)
		p[0] = url.s;
	for (i = 1; i < 3; i++)
		if (f[i].given == PB_GIVEN)
			p[i] = b[i - 1] ? "on" : "off";
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

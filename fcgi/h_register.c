/* h_register.c: POST /api/v1/nodes/register-pi {serial, mac, model,
 * ip_address}: the deploy agent announces a Pi.  201 for a new node
 * (discovered), 200 for a known serial (MAC, model, IP updated), 409
 * when the MAC is another node's.  The race of two calls for one serial
 * is settled by INSERT ... ON CONFLICT in pureboot.register_pi(). */
#include <string.h>

#include "handlers.h"
#include "hutil.h"
#include "boot/model.h"

#define WHERE "register-pi"

void
h_register(struct pb_req *r)
{
	struct pb_field f[] = {
		{ "serial", 1, NULL }, { "mac", 1, NULL },
		{ "model", 0, NULL }, { "ip_address", 0, NULL },
		{ NULL, 0, NULL },
	};
	struct pb_serial serial;
	struct pb_mac mac;
	struct pb_ip ip;
	enum pb_model model;
	const char *s, *p[5];
	PGresult *res = NULL;
	json_t *root, *out = NULL;
	struct pb_err e;
	int rc, created;

	if ((root = pb_req_json(r, WHERE)) == NULL)
		return;
	if (pb_fields(root, f, &e) == -1 ||
	    pb_json_str(f[0].v, "serial", &s, &e) == -1 ||
	    pb_serial_parse_loose(&serial, s, &e) == -1 ||
	    pb_json_str(f[1].v, "mac", &s, &e) == -1 ||
	    pb_mac_parse(&mac, s, &e) == -1)
		goto bad;
	p[0] = serial.s;
	p[1] = mac.s;
	p[2] = p[3] = NULL;
	if (f[2].v != NULL && !json_is_null(f[2].v)) {
		if (pb_json_str(f[2].v, "model", &s, &e) == -1 ||
		    pb_model_parse(&model, s, &e) == -1)
			goto bad;
		p[2] = pb_model_name(model);
	}
	if (f[3].v != NULL && !json_is_null(f[3].v)) {
		if (pb_json_str(f[3].v, "ip_address", &s, &e) == -1 ||
		    pb_ip_parse(&ip, s, &e) == -1)
			goto bad;
		p[3] = ip.s;
	}
	p[4] = "api:register-pi";
	rc = pb_db_exec(r->db, "register_pi", 5, p, &res, &e);
	if (rc != PB_DB_OK) {
		pb_reply_sql(r, rc, res, &e, WHERE);
		goto out;
	}
	created = strcmp(PQgetvalue(res, 0, 2), "t") == 0;
	out = json_pack("{s:s, s:s, s:s}", "node_id", PQgetvalue(res, 0, 0),
	    "state", PQgetvalue(res, 0, 1), "message", created ?
	    "registered; waiting for an operator to assign a workflow" :
	    "known node; details updated");
	pb_reply(r, created ? 201 : 200, out);
	goto out;
bad:
	pb_reply_bad(r, WHERE, &e);
out:
	json_decref(out);
	json_decref(root);
	PQclear(res);
}

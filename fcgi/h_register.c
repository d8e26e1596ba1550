/* h_register.c: POST /api/v1/nodes/register-pi {serial, mac, model,
 * ip_address}: the deploy agent announces a Pi.  201 for a new node
 * (discovered), 200 for a known serial (MAC, model, IP updated), 409
 * when the MAC is another node's or the serial's node is known at
 * another address (nothing changed; an agent_refused event), 404 for a
 * new serial with auto_register off, 429/503 past the creation limits.
 * The race of two calls for one serial is settled by INSERT ... ON
 * CONFLICT in pureboot.register_pi(). */
#include <string.h>

#include "handlers.h"
#include "hutil.h"
#include "peer.h"

#define WHERE "register-pi"

void
h_register(struct pb_req *r)
{
	struct pb_serial serial;
	struct pb_mac mac;
	struct pb_ip ip, peer;
	const char *model = NULL, *p[6];
	struct pb_jfield f[] = {
		{ "serial", PB_F_REQUIRED, pb_jf_serial_loose, &serial, 0 },
		{ "mac", PB_F_REQUIRED, pb_jf_mac, &mac, 0 },
		{ "model", PB_F_OPTIONAL, pb_jf_model, &model, 0 },
		{ "ip_address", PB_F_OPTIONAL, pb_jf_ip, &ip, 0 },
		{ NULL, 0, NULL, NULL, 0 },
	};
	PGresult *res = NULL;
	json_t *root, *out = NULL;
	struct pb_err e;
	int rc, created;

	if (pb_req_peer(r, WHERE, &peer) == -1)
		return;
	if ((root = pb_req_json(r, WHERE)) == NULL)
		return;
	if (pb_jfields(root, f, &e) == -1)
		goto bad;
	p[0] = serial.s;
	p[1] = mac.s;
	p[2] = model;
	p[3] = f[3].given == PB_GIVEN ? ip.s : NULL;
	p[4] = "api:register-pi";
	p[5] = peer.s;
	rc = pb_db_exec(r->db, "register_pi", 6, p, &res, &e);
	if (rc != PB_DB_OK) {
		pb_reply_sql(r, rc, res, &e, WHERE);
		goto out;
	}
	if (!PQgetisnull(res, 0, 3)) {
		pb_reply_error(r, 409, "conflict", "%s: %s", WHERE,
		    PQgetvalue(res, 0, 3));
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

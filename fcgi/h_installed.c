/* h_installed.c: POST /nodes/{id}/installed {}: the agent (with its
 * install token) reports the image written: installing -> installed. */
#include "handlers.h"
#include "hutil.h"

#define WHERE "installed"

void
h_installed(struct pb_req *r)
{
	struct pb_jfield f[] = { { NULL, 0, NULL, NULL, 0 } };
	struct pb_uuid id;
	const char *p[2];
	json_t *root;
	struct pb_err e;

	if (pb_arg_uuid(r, 0, WHERE, &id) == -1)
		return;
	if ((root = pb_req_json(r, WHERE)) == NULL)
		return;
	if (pb_jfields(root, f, &e) == -1) {
		pb_reply_bad(r, WHERE, &e);
		json_decref(root);
		return;
	}
	json_decref(root);
	p[0] = id.s;
	p[1] = r->actor;
	pb_exec_json(r, WHERE, "installed", 2, p, 200, "no such node");
}

/* h_transition.c: POST /nodes/{id}/transition {to, comment, force}:
 * an operator moves a node; pureboot.transition() decides (409 naming
 * both states when the table refuses). */
#include "handlers.h"
#include "hutil.h"

#define WHERE "transition"

void
h_transition(struct pb_req *r)
{
	const char *p[5], *to = NULL, *comment = NULL;
	int force = 0;
	/* force: null is not false: the validator refuses it. */
	struct pb_jfield f[] = {
		{ "to", PB_F_REQUIRED, pb_jf_state, &to, 0 },
		{ "comment", PB_F_OPTIONAL, pb_jf_comment, &comment, 0 },
		{ "force", PB_F_NULL, pb_jf_bool, &force, 0 },
		{ NULL, 0, NULL, NULL, 0 },
	};
	struct pb_uuid id;
	json_t *root;
	struct pb_err e;

	if (pb_arg_uuid(r, 0, WHERE, &id) == -1)
		return;
	if ((root = pb_req_json(r, WHERE)) == NULL)
		return;
	if (pb_jfields(root, f, &e) == -1)
		goto bad;
	p[0] = id.s;
	p[1] = to;
	p[2] = r->actor;
	p[3] = comment;
	p[4] = force ? "t" : "f";
	pb_exec_json(r, WHERE, "transition", 5, p, 200, "no such node");
	json_decref(root);
	return;
bad:
	pb_reply_bad(r, WHERE, &e);
	json_decref(root);
}

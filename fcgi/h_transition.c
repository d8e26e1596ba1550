/* h_transition.c: POST /nodes/{id}/transition {to, comment, force}:
 * an operator moves a node; pureboot.transition() decides (409 naming
 * both states when the table refuses). */
#include "handlers.h"
#include "hutil.h"
#include "core/nodestate.h"

#define WHERE "transition"

void
h_transition(struct pb_req *r)
{
	struct pb_field f[] = {
		{ "to", 1, NULL }, { "comment", 0, NULL }, { "force", 0, NULL },
		{ NULL, 0, NULL },
	};
	struct pb_uuid id;
	const char *p[5], *to, *s;
	json_t *root;
	struct pb_err e;
	int force = 0;

	if (pb_arg_uuid(r, 0, WHERE, &id) == -1)
		return;
	if ((root = pb_req_json(r, WHERE)) == NULL)
		return;
	p[3] = NULL;
	if (pb_fields(root, f, &e) == -1 ||
	    pb_json_str(f[0].v, "to", &s, &e) == -1 ||
	    pb_state_parse(&to, s, &e) == -1)
		goto bad;
	if (f[1].v != NULL && !json_is_null(f[1].v) &&
	    pb_json_text(f[1].v, "comment", 500, &p[3], &e) == -1)
		goto bad;
	if (f[2].v != NULL && pb_json_bool(f[2].v, "force", &force, &e) == -1)
		goto bad;
	p[0] = id.s;
	p[1] = to;
	p[2] = r->actor;
	p[4] = force ? "t" : "f";
	pb_exec_json(r, WHERE, "transition", 5, p, 200, "no such node");
	json_decref(root);
	return;
bad:
	pb_reply_bad(r, WHERE, &e);
	json_decref(root);
}

/* h_node_patch.c: PATCH /nodes/{id} {hostname, pi_model, workflow_id,
 * mac, arch, boot_mode, board, dtb, vars}: each optional, null clears it
 * (but mac, arch and boot_mode, which a node always has).  A workflow of
 * another arch than the node's is refused by the trigger (409 naming
 * both arches); a board of another boot_mode by the board key (400);
 * boot_mode and board change in one UPDATE, so both may change at once.
 * dtb: the node's own DTB, a path in the DTB store (docs/boards.md).
 * vars are checked against the workflow's variables (nodevars.c). */
#include <stdlib.h>

#include "handlers.h"
#include "hutil.h"
#include "nodevars.h"

#define WHERE "patch node"
/* The fields node_patch() takes; vars, after them, go to node_set_vars. */
#define NFIELDS 8
#define VARS NFIELDS

/* p[] of node_patch: id, then per field "t"/"f" (given) and the value
 * (NULL: cleared). */
static void
set(const char **p, int i, const struct pb_jfield *f, const char *v)
{
	p[1 + 2 * i] = f[i].given != PB_ABSENT ? "t" : "f";
	p[2 + 2 * i] = f[i].given == PB_GIVEN ? v : NULL;
}

void
h_node_patch(struct pb_req *r)
{
	struct pb_hostname host;
	struct pb_mac mac;
	const char *model = NULL, *wf = NULL, *arch = NULL, *mode = NULL,
	    *board = NULL, *dtb = NULL, *p[2 + 2 * NFIELDS];
	const json_t *vars = NULL;
	char *vtext = NULL;
	struct pb_jfield f[] = {
		{ "hostname", PB_F_OPTIONAL, pb_jf_hostname, &host, 0 },
		{ "pi_model", PB_F_OPTIONAL, pb_jf_model, &model, 0 },
		{ "workflow_id", PB_F_OPTIONAL, pb_jf_workflow_id, &wf, 0 },
		{ "mac", PB_F_OPTIONAL, pb_jf_mac, &mac, 0 },
		{ "arch", PB_F_OPTIONAL, pb_jf_arch, &arch, 0 },
		{ "boot_mode", PB_F_OPTIONAL, pb_jf_board_mode, &mode, 0 },
		{ "board", PB_F_OPTIONAL, pb_jf_board, &board, 0 },
		{ "dtb", PB_F_OPTIONAL, pb_jf_dtb, &dtb, 0 },
		{ "vars", PB_F_NULL, pb_jf_vars, &vars, 0 },
		{ NULL, 0, NULL, NULL, 0 },
	};
	struct pb_uuid id;
	json_t *root;
	struct pb_err e;
	int i, any = 0;

	if (pb_arg_uuid(r, 0, WHERE, &id) == -1)
		return;
	if ((root = pb_req_json(r, WHERE)) == NULL)
		return;
	if (pb_jfields(root, f, &e) == -1)
		goto bad;
	for (i = 0; i <= VARS; i++)
		any |= f[i].given != PB_ABSENT;
	if (!any) {
		pb_fail(&e, "nothing to change; fields: hostname, pi_model, "
		    "workflow_id, mac, arch, boot_mode, board, dtb, vars");
		goto bad;
	}
	for (i = 3; i <= 5; i++)
		if (f[i].given == PB_GIVEN_NULL) {
			pb_fail(&e, "field \"%s\" cannot be cleared", f[i].name);
			goto bad;
		}
	p[0] = id.s;
	set(p, 0, f, host.s);
	set(p, 1, f, model);
	set(p, 2, f, wf);
	set(p, 3, f, mac.s);
	set(p, 4, f, arch);
	set(p, 5, f, mode);
	set(p, 6, f, board);
	set(p, 7, f, dtb);
	/* vars belong to a workflow: checked whenever either changes. */
	if (f[2].given == PB_ABSENT && f[VARS].given == PB_ABSENT)
		pb_exec_json(r, WHERE, "node_patch", 1 + 2 * NFIELDS, p, 200,
		    "no such node");
	else if (pb_node_vars_patch(r, WHERE, id.s,
	    f[VARS].given == PB_ABSENT ? NULL : vars,
	    f[2].given == PB_GIVEN_NULL, f[2].given == PB_GIVEN ? wf : NULL,
	    &vtext) == 0) {
		p[1 + 2 * NFIELDS] = vtext;
		pb_exec_json(r, WHERE, "node_patch_vars", 2 + 2 * NFIELDS, p,
		    200, "no such node");
	}
	free(vtext);
	json_decref(root);
	return;
bad:
	pb_reply_bad(r, WHERE, &e);
	json_decref(root);
}

/* h_node_create.c: POST /api/v1/nodes {mac, arch, boot_mode, board,
 * dtb, hostname, workflow_id}: an operator's U-Boot or UEFI board,
 * named by MAC (docs/boards.md).  201 with the node; 409 when the MAC
 * is another node's; 400 for a bad field or a board that is not one of
 * boot_mode's.  The node starts discovered with no known address: the
 * first agent request for it teaches it (docs/security.md).  A Pi is
 * not made here: it registers by serial (register-pi). */
#include "handlers.h"
#include "hutil.h"

#define WHERE "create node"

void
h_node_create(struct pb_req *r)
{
	struct pb_hostname host;
	struct pb_mac mac;
	const char *arch = "aarch64", *mode = NULL, *board = NULL, *dtb = NULL,
	    *wf = NULL, *p[8];
	struct pb_jfield f[] = {
		{ "mac", PB_F_REQUIRED, pb_jf_mac, &mac, 0 },
		{ "arch", PB_F_OPTIONAL, pb_jf_arch, &arch, 0 },
		{ "boot_mode", PB_F_REQUIRED, pb_jf_board_mode, &mode, 0 },
		{ "board", PB_F_OPTIONAL, pb_jf_board, &board, 0 },
		{ "dtb", PB_F_OPTIONAL, pb_jf_dtb, &dtb, 0 },
		{ "hostname", PB_F_OPTIONAL, pb_jf_hostname, &host, 0 },
		{ "workflow_id", PB_F_OPTIONAL, pb_jf_workflow_id, &wf, 0 },
		{ NULL, 0, NULL, NULL, 0 },
	};
	json_t *root;
	struct pb_err e;

	if ((root = pb_req_json(r, WHERE)) == NULL)
		return;
	if (pb_jfields(root, f, &e) == -1) {
		pb_reply_bad(r, WHERE, &e);
		goto out;
	}
	p[0] = mac.s;
	p[1] = arch;
	p[2] = mode;
	p[3] = board;
	p[4] = dtb;
	p[5] = f[5].given == PB_GIVEN ? host.s : NULL;
	p[6] = wf;
	p[7] = r->actor;
	pb_exec_json(r, WHERE, "node_create", 8, p, 201, "no node made");
out:
	json_decref(root);
}

/* h_boards.c: GET /boards, POST /boards {name, dtb, console,
 * cmdline_extra, boot_mode, description}, DELETE /boards/{name}: the
 * boards table of docs/boards.md, for operators.  POST: 201, 409 when
 * the name is taken; DELETE: 204, 404 for no such board, 409 while
 * nodes use it. */
#include <string.h>

#include "core/board.h"
#include "handlers.h"
#include "hutil.h"

void
h_boards_list(struct pb_req *r)
{
	pb_exec_json(r, "boards", "boards_list", 0, NULL, 200, "");
}

void
h_board_add(struct pb_req *r)
{
	static const char where[] = "add board";
	const char *name = NULL, *dtb = NULL, *console = NULL, *extra = NULL,
	    *mode = NULL, *desc = NULL, *p[6];
	struct pb_jfield f[] = {
		{ "name", PB_F_REQUIRED, pb_jf_board, &name, 0 },
		{ "dtb", PB_F_OPTIONAL, pb_jf_dtb, &dtb, 0 },
		{ "console", PB_F_REQUIRED, pb_jf_console, &console, 0 },
		{ "cmdline_extra", PB_F_OPTIONAL, pb_jf_cmdline_extra, &extra, 0 },
		{ "boot_mode", PB_F_REQUIRED, pb_jf_board_mode, &mode, 0 },
		{ "description", PB_F_OPTIONAL, pb_jf_board_text, &desc, 0 },
		{ NULL, 0, NULL, NULL, 0 },
	};
	json_t *root;
	struct pb_err e;

	if ((root = pb_req_json(r, where)) == NULL)
		return;
	if (pb_jfields(root, f, &e) == -1) {
		pb_reply_bad(r, where, &e);
		goto out;
	}
	p[0] = name;
	p[1] = dtb;
	p[2] = console;
	p[3] = extra;
	p[4] = mode;
	p[5] = desc;
	pb_exec_json(r, where, "board_add", 6, p, 201, "no board made");
out:
	json_decref(root);
}

void
h_board_remove(struct pb_req *r)
{
	static const char where[] = "remove board";
	const char *p[1];
	PGresult *res = NULL;
	struct pb_err e;
	int rc;

	if (pb_board_name_check(r->arg[0], &e) == -1) {
		pb_reply_bad(r, where, &e);
		return;
	}
	p[0] = r->arg[0];
	rc = pb_db_exec(r->db, "board_remove", 1, p, &res, &e);
	if (rc != PB_DB_OK)
		pb_reply_sql(r, rc, res, &e, where);
	else if (PQntuples(res) == 0)
		pb_reply_error(r, 404, "not_found", "%s: no such board", where);
	else {
		pb_log("board %s removed by %s", p[0], r->actor);
		pb_reply(r, 204, NULL);
	}
	PQclear(res);
}

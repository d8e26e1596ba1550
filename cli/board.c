/* board.c: pureboot board list|add|remove: the boards table of
 * docs/boards.md (sql/035-boards.sql), through the functions the API
 * uses (board_add, board_remove, board_json: sql/036-board-nodes.sql),
 * with the values checked first by lib/core/board.c, as the API checks
 * them. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "core/board.h"
#include "core/err.h"
#include "groups.h"

struct opts {
	const char *conninfo, *dtb, *console, *extra, *mode, *desc;
	int json;
};

/* -d, --json (list, add) and add's value options; then nargs operands
 * (the board name, checked).  Anything but CMD_OK is the exit code. */
static int
parse(struct opts *o, int argc, char **argv, const struct cmd *self,
    int nargs, int add, const char *where)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "dtb", required_argument, NULL, 't' },
		{ "console", required_argument, NULL, 'c' },
		{ "cmdline-extra", required_argument, NULL, 'x' },
		{ "boot-mode", required_argument, NULL, 'm' },
		{ "description", required_argument, NULL, 'D' },
		{ NULL, 0, NULL, 0 },
	};
	struct pb_err e;
	int ch;

	memset(o, 0, sizeof(*o));
	optind = 1;
	while ((ch = getopt_long(argc, argv, "d:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'd': o->conninfo = optarg; break;
		case 'j': o->json = 1; break;
		case 't': o->dtb = optarg; break;
		case 'c': o->console = optarg; break;
		case 'x': o->extra = optarg; break;
		case 'm': o->mode = optarg; break;
		case 'D': o->desc = optarg; break;
		default: return cmd_usage(self);
		}
	}
	if (argc - optind != nargs || (o->json && nargs == 1 && !add) ||
	    (!add && (o->dtb || o->console || o->extra || o->mode || o->desc)))
		return cmd_usage(self);
	if (add && (o->console == NULL || o->mode == NULL))
		return cmd_usage(self);
	if ((nargs == 1 && pb_board_name_check(argv[optind], &e) == -1) ||
	    (o->mode != NULL && pb_board_boot_mode_parse(&o->mode, o->mode,
	    &e) == -1) ||
	    (o->dtb != NULL && pb_dtb_check("dtb", o->dtb, &e) == -1) ||
	    (o->console != NULL && pb_console_check("console", o->console,
	    &e) == -1) ||
	    pb_cmdline_extra_check("cmdline-extra", o->extra, &e) == -1 ||
	    (o->desc != NULL && pb_board_text_check("description", o->desc,
	    &e) == -1)) {
		fprintf(stderr, "%s: %s\n", where, e.msg);
		return CMD_FAIL;
	}
	return CMD_OK;
}

/* Run sql (params p) and print what it returns: --json the JSON of
 * each row's first column, else text.  -1 when it failed (said). */
static int
run(PGconn *c, const char *where, const char *sql, int n,
    const char *const *p, PGresult **r)
{
	*r = PQexecParams(c, sql, n, NULL, p, NULL, NULL, 0);
	if (PQresultStatus(*r) != PGRES_TUPLES_OK) {
		cmd_db_error(where, c, *r);
		return -1;
	}
	return 0;
}

static const char list_usage[] =
    "usage: pureboot board list [-d CONNINFO] [--json]\n"
    "  every board: name, boot mode, DTB (- for the firmware's own),\n"
    "  console, the nodes on it\n"
    "  --json  {\"boards\": [{\"name\", \"dtb\", \"console\", "
    "\"cmdline_extra\",\n"
    "          \"boot_mode\", \"description\", \"nodes\", \"created_at\", "
    "\"updated_at\"}]}\n"
    "  -d      libpq connection string (default: $PUREBOOT_DB)\n";

static int
cmd_list(int argc, char **argv, const struct cmd *self)
{
	static const char where[] = "pureboot board list";
	static const char sql[] = "SELECT json_build_object('boards', "
	    "coalesce(json_agg(pureboot.board_json(b) ORDER BY b.name), "
	    "'[]'::json)) FROM pureboot.boards b";
	PGresult *r = NULL;
	PGconn *c = NULL;
	json_t *j = NULL, *b;
	json_error_t je;
	struct opts o;
	size_t i;
	int rc;

	if ((rc = parse(&o, argc, argv, self, 0, 0, where)) != CMD_OK)
		return rc;
	rc = CMD_FAIL;
	if ((c = cmd_connect(cmd_conninfo(o.conninfo), where)) == NULL ||
	    run(c, where, sql, 0, NULL, &r) == -1)
		goto out;
	if ((j = json_loads(PQgetvalue(r, 0, 0), 0, &je)) == NULL) {
		fprintf(stderr, "%s: database: %s\n", where, je.text);
		goto out;
	}
	if (o.json)
		cmd_print_json(j);
	else
		json_array_foreach(json_object_get(j, "boards"), i, b)
			printf("%s %s dtb=%s console=%s nodes=%lld\n",
			    json_string_value(json_object_get(b, "name")),
			    json_string_value(json_object_get(b, "boot_mode")),
			    json_is_string(json_object_get(b, "dtb")) ?
			    json_string_value(json_object_get(b, "dtb")) : "-",
			    json_string_value(json_object_get(b, "console")),
			    (long long)json_integer_value(json_object_get(b,
			    "nodes")));
	rc = CMD_OK;
out:
	json_decref(j);
	PQclear(r);
	PQfinish(c);
	return rc;
}

static const char add_usage[] =
    "usage: pureboot board add [-d CONNINFO] [--json] --boot-mode uboot|uefi\n"
    "       --console WORD [--dtb PATH] [--cmdline-extra WORDS]\n"
    "       [--description TEXT] NAME\n"
    "  a new board; NAME is 1 to 63 of a-z 0-9 - (exit 1 when it is taken)\n"
    "  --dtb   a DTB relative to the DTB store (dtbs/), ending .dtb; none:\n"
    "          the firmware's own device tree\n"
    "  --json  the board as GET /api/v1/boards shows it\n"
    "  -d      libpq connection string (default: $PUREBOOT_DB)\n";

static int
cmd_add(int argc, char **argv, const struct cmd *self)
{
	static const char where[] = "pureboot board add";
	static const char sql[] = "SELECT * FROM pureboot.board_add($1, $2, "
	    "$3, $4, $5, $6)";
	const char *p[6], *state, *cons;
	PGresult *r = NULL;
	PGconn *c = NULL;
	json_t *j;
	struct opts o;
	int rc;

	if ((rc = parse(&o, argc, argv, self, 1, 1, where)) != CMD_OK)
		return rc;
	rc = CMD_FAIL;
	if ((c = cmd_connect(cmd_conninfo(o.conninfo), where)) == NULL)
		goto out;
	p[0] = argv[optind];
	p[1] = o.dtb;
	p[2] = o.console;
	p[3] = o.extra;
	p[4] = o.mode;
	p[5] = o.desc;
	r = PQexecParams(c, sql, 6, NULL, p, NULL, NULL, 0);
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
		cons = PQresultErrorField(r, PG_DIAG_CONSTRAINT_NAME);
		if (state != NULL && strcmp(state, "23505") == 0 &&
		    cons != NULL && strcmp(cons, "boards_pkey") == 0)
			fprintf(stderr, "%s: board \"%s\" exists\n", where, p[0]);
		else
			cmd_db_error(where, c, r);
		goto out;
	}
	if (o.json && (j = json_loads(PQgetvalue(r, 0, 0), 0, NULL)) != NULL) {
		cmd_print_json(j);
		json_decref(j);
	} else
		printf("board \"%s\" added\n", p[0]);
	rc = CMD_OK;
out:
	PQclear(r);
	PQfinish(c);
	return rc;
}

static const char remove_usage[] =
    "usage: pureboot board remove [-d CONNINFO] NAME\n"
    "  remove a board no node uses (exit 1 while nodes use it, or when\n"
    "  there is no such board)\n"
    "  -d      libpq connection string (default: $PUREBOOT_DB)\n";

static int
cmd_remove(int argc, char **argv, const struct cmd *self)
{
	static const char where[] = "pureboot board remove";
	PGresult *r = NULL;
	PGconn *c = NULL;
	const char *p[1];
	struct opts o;
	int rc;

	if ((rc = parse(&o, argc, argv, self, 1, 0, where)) != CMD_OK)
		return rc;
	rc = CMD_FAIL;
	p[0] = argv[optind];
	if ((c = cmd_connect(cmd_conninfo(o.conninfo), where)) == NULL ||
	    run(c, where, "SELECT * FROM pureboot.board_remove($1)", 1, p,
	    &r) == -1)
		goto out;
	if (PQntuples(r) == 0) {
		fprintf(stderr, "%s: no board \"%s\"\n", where, p[0]);
		goto out;
	}
	printf("board \"%s\" removed\n", p[0]);
	rc = CMD_OK;
out:
	PQclear(r);
	PQfinish(c);
	return rc;
}

static const struct cmd board[] = {
	{ "list", cmd_list, "every board and the nodes on it", list_usage },
	{ "add", cmd_add, "a new board: DTB, console, kernel words, boot mode",
	  add_usage },
	{ "remove", cmd_remove, "remove a board no node uses", remove_usage },
	{ NULL, NULL, NULL, NULL },
};

int
board_main(int argc, char **argv, const struct cmd *self)
{
	(void)self;
	return cmd_dispatch(board, "pureboot board", argc, argv);
}

/* Unit tests for the endpoint field tables (fcgi/qfield.c,
 * fcgi/jsonfield.c), Content-Length (fcgi/body.c) and the boot table
 * (lib/core/boot_action.c).  want NULL: accepted. */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "core/boot_action.h"
#include "core/ident.h"
#include "jsonfield.h"
#include "qfield.h"
#include "req.h"
#include "tap.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* want: the length, or the reason. */
static const struct { const char *in, *want; } clens[] = {
	{ "", "0" }, { "0", "0" }, { "5", "5" }, { "65537", "65537" },
	{ "99999999999", "99999999999" },
	{ "-1", "Content-Length \"-1\" is not a number of bytes" },
	{ "-0", "Content-Length \"-0\" is not a number of bytes" },
	{ "+5", "Content-Length \"+5\" is not a number of bytes" },
	{ " 5", "Content-Length \" 5\" is not a number of bytes" },
	{ "5 ", "Content-Length \"5 \" is not a number of bytes" },
	{ "0x5", "Content-Length \"0x5\" is not a number of bytes" },
	{ "99999999999999999999", "Content-Length \"99999999999999999999\" "
	  "is not a number of bytes" },
};

/* A query for a table of serial (required), limit and after. */
static const struct { const char *name, *q, *err; } queries[] = {
	{ "all given", "serial=D83ADD36&limit=5&after=12", NULL },
	{ "defaults", "serial=d83add36", NULL },
	{ "empty is absent", "serial=d83add36&limit=&after=", NULL },
	{ "required", "limit=5", "query parameter \"serial\" is required" },
	{ "required, empty", "serial=", "query parameter \"serial\" is "
	  "required" },
	{ "unknown key", "serial=d83add36&limt=5", NULL /* query.c's */ },
	{ "limit -1", "serial=d83add36&limit=-1",
	  "limit \"-1\" is not a number from 1 to 1000" },
	{ "limit +5 (a space)", "serial=d83add36&limit=+5",
	  "limit \" 5\" is not a number from 1 to 1000" },
	{ "limit %2B5", "serial=d83add36&limit=%2B5",
	  "limit \"+5\" is not a number from 1 to 1000" },
	{ "limit 5 then space", "serial=d83add36&limit=5%20",
	  "limit \"5 \" is not a number from 1 to 1000" },
	{ "limit overflow", "serial=d83add36&limit=99999999999999999999",
	  "limit \"99999999999999999999\" is not a number from 1 to 1000" },
	{ "limit 1001", "serial=d83add36&limit=1001",
	  "limit \"1001\" is not a number from 1 to 1000" },
	{ "after -1", "serial=d83add36&after=-1", "after \"-1\" is not an id" },
	{ "after -0", "serial=d83add36&after=-0", "after \"-0\" is not an id" },
	{ "after %2B1", "serial=d83add36&after=%2B1",
	  "after \"+1\" is not an id" },
	{ "after 19 digits", "serial=d83add36&after=1000000000000000000",
	  "after \"1000000000000000000\" is not an id" },
	{ "bad serial", "serial=d83add3", "serial \"d83add3\" is not 8 hex "
	  "digits" },
};

/* A body for a table of serial (required), force (null refused) and
 * model (null: not given). */
static const struct { const char *name, *json, *err; } bodies[] = {
	{ "all given", "{\"serial\":\"d83add36\",\"force\":true,"
	  "\"model\":\"pi4\"}", NULL },
	{ "model null", "{\"serial\":\"d83add36\",\"model\":null}", NULL },
	{ "force null", "{\"serial\":\"d83add36\",\"force\":null}",
	  "field \"force\" must be true or false" },
	{ "serial null", "{\"serial\":null}", "field \"serial\" is required" },
	{ "unknown before required", "{\"x\":1}", "unknown field \"x\"" },
	{ "serial number", "{\"serial\":1}", "field \"serial\" must be a "
	  "string" },
	{ "bad model", "{\"serial\":\"d83add36\",\"model\":\"pi9\"}", "" },
};

static void
test_clen(void)
{
	struct pb_err e;
	long long n;
	char got[sizeof(((struct pb_err *)0)->msg) + 8];
	size_t i;

	for (i = 0; i < N(clens); i++) {
		if (pb_clen_parse(&n, clens[i].in, &e) == 0)
			snprintf(got, sizeof(got), "%lld", n);
		else
			snprintf(got, sizeof(got), "%s", e.msg);
		tap_is(got, clens[i].want, clens[i].in);
	}
}

static void
test_query(void)
{
	struct pb_serial serial;
	long long after;
	int limit;
	struct pb_qfield f[] = {
		{ "serial", 1, 32, pb_qf_serial_loose, &serial, 0 },
		{ "limit", 0, 32, pb_qf_limit, &limit, 0 },
		{ "after", 0, 24, pb_qf_id, &after, 0 },
		{ NULL, 0, 0, NULL, NULL, 0 },
	};
	struct pb_err e;
	size_t i;
	int rc;

	for (i = 0; i < N(queries); i++) {
		memset(&e, 0, sizeof(e));
		rc = pb_qfields(queries[i].q, f, &e);
		if (strcmp(queries[i].name, "unknown key") == 0)
			tap_ok(rc == -1, queries[i].name);
		else
			tap_is(rc == 0 ? NULL : e.msg, queries[i].err,
			    queries[i].name);
	}
	limit = 100;
	after = -1;
	tap_ok(pb_qfields("serial=D83ADD36&limit=7", f, &e) == 0 &&
	    strcmp(serial.s, "d83add36") == 0 && limit == 7 && after == -1 &&
	    f[0].given && f[1].given && !f[2].given,
	    "values are typed; an absent one is left alone");
}

/* format=: json or env, as 1 for env. */
static void
test_format(void)
{
	static const struct { const char *in, *want; } formats[] = {
		{ "env", "1" }, { "json", "0" },
		{ "xml", "format \"xml\" is not json or env" },
		{ "ENV", "format \"ENV\" is not json or env" },
		{ "environment", "format \"environm...\" is not json or env" },
		/* found by fuzz/query.c: a decoded byte went into the reply
		 * as it was, not valid UTF-8 in the JSON error */
		{ "\xad", "format \"\\xad\" is not json or env" },
		{ "e\"\n", "format \"e\\\"\\x0a\" is not json or env" },
	};
	struct pb_err e;
	char got[sizeof(e.msg)];
	size_t i;
	int env;

	for (i = 0; i < N(formats); i++) {
		env = -1;
		if (pb_qf_format(formats[i].in, "format", &env, &e) == 0)
			snprintf(got, sizeof(got), "%d", env);
		else
			snprintf(got, sizeof(got), "%s", e.msg);
		tap_is(got, formats[i].want, formats[i].in);
	}
}

static struct pb_serial serial;
static const char *model;
static int force;
static struct pb_jfield body_fields[] = {
	{ "serial", PB_F_REQUIRED, pb_jf_serial_loose, &serial, 0 },
	{ "force", PB_F_NULL, pb_jf_bool, &force, 0 },
	{ "model", PB_F_OPTIONAL, pb_jf_model, &model, 0 },
	{ NULL, 0, NULL, NULL, 0 },
};

static void
test_body(void)
{
	struct pb_jfield *f = body_fields;
	struct pb_err e;
	json_t *j;
	size_t i;
	int rc;

	for (i = 0; i < N(bodies); i++) {
		j = json_loads(bodies[i].json, 0, NULL);
		memset(&e, 0, sizeof(e));
		model = NULL;
		rc = pb_jfields(j, f, &e);
		if (bodies[i].err != NULL && bodies[i].err[0] == '\0')
			tap_ok(rc == -1 && e.msg[0] != '\0', bodies[i].name);
		else
			tap_is(rc == 0 ? NULL : e.msg, bodies[i].err,
			    bodies[i].name);
		if (strcmp(bodies[i].name, "all given") == 0)
			tap_ok(rc == 0 && force == 1 && model != NULL &&
			    strcmp(model, "pi4") == 0 &&
			    strcmp(serial.s, "d83add36") == 0 &&
			    f[2].given == PB_GIVEN, "all given: typed values");
		if (strcmp(bodies[i].name, "model null") == 0)
			tap_ok(rc == 0 && model == NULL &&
			    f[1].given == PB_ABSENT &&
			    f[2].given == PB_GIVEN_NULL,
			    "model null: given as null, validator not run");
		json_decref(j);
	}
}

/* POST /nodes's table (fcgi/h_node_create.c): the board validators. */
static const struct { const char *name, *json, *err; } board_bodies[] = {
	{ "board node", "{\"mac\":\"52-54-00-12-34-56\",\"boot_mode\":\"uefi\","
	  "\"board\":\"qemu-arm64-uefi\",\"dtb\":\"qemu/virt.dtb\","
	  "\"arch\":\"aarch64\"}", NULL },
	{ "boot_mode pi", "{\"mac\":\"52:54:00:12:34:56\",\"boot_mode\":\"pi\"}",
	  "boot_mode \"pi\" is not uboot or uefi" },
	{ "boot_mode a number", "{\"mac\":\"52:54:00:12:34:56\",\"boot_mode\":1}",
	  "field \"boot_mode\" must be a string" },
	{ "board not a slug", "{\"mac\":\"52:54:00:12:34:56\",\"boot_mode\":"
	  "\"uboot\",\"board\":\"a/b\"}", "board \"a/b\" is not 1 to 63 of "
	  "a-z 0-9 - (not starting with -)" },
	{ "dtb with ..", "{\"mac\":\"52:54:00:12:34:56\",\"boot_mode\":"
	  "\"uboot\",\"dtb\":\"a/../b.dtb\"}", "dtb \"a/../b.dtb\" is not a "
	  "plain relative file name (A-Z a-z 0-9 . _ - /, no \"..\")" },
	{ "dtb an overlay", "{\"mac\":\"52:54:00:12:34:56\",\"boot_mode\":"
	  "\"uboot\",\"dtb\":\"a.dtbo\"}", "dtb \"a.dtbo\" does not end in "
	  ".dtb" },
	{ "arch riscv64", "{\"mac\":\"52:54:00:12:34:56\",\"boot_mode\":"
	  "\"uboot\",\"arch\":\"riscv64\"}", "arch \"riscv64\" is not aarch64 "
	  "or x86_64" },
};

static void
test_board_body(void)
{
	struct pb_mac mac;
	const char *mode = NULL, *board = NULL, *dtb = NULL, *arch = NULL;
	struct pb_jfield f[] = {
		{ "mac", PB_F_REQUIRED, pb_jf_mac, &mac, 0 },
		{ "arch", PB_F_OPTIONAL, pb_jf_arch, &arch, 0 },
		{ "boot_mode", PB_F_REQUIRED, pb_jf_board_mode, &mode, 0 },
		{ "board", PB_F_OPTIONAL, pb_jf_board, &board, 0 },
		{ "dtb", PB_F_OPTIONAL, pb_jf_dtb, &dtb, 0 },
		{ NULL, 0, NULL, NULL, 0 },
	};
	struct pb_err e;
	json_t *j;
	size_t i;
	int rc;

	for (i = 0; i < N(board_bodies); i++) {
		j = json_loads(board_bodies[i].json, 0, NULL);
		memset(&e, 0, sizeof(e));
		rc = pb_jfields(j, f, &e);
		tap_is(rc == 0 ? NULL : e.msg, board_bodies[i].err,
		    board_bodies[i].name);
		if (i == 0)
			tap_ok(rc == 0 && strcmp(mac.s, "52:54:00:12:34:56") == 0 &&
			    strcmp(mode, "uefi") == 0 &&
			    strcmp(board, "qemu-arm64-uefi") == 0 &&
			    strcmp(dtb, "qemu/virt.dtb") == 0 &&
			    strcmp(arch, "aarch64") == 0, "board node: typed values");
		json_decref(j);
	}
}

/* The table itself; t/0120-sql-boot-class.t compares it with SQL. */
static void
test_boot_table(void)
{
	size_t i, j;
	int ok = 1, waits = 1;

	for (i = 0; i < pb_boot_nstates; i++) {
		for (j = i + 1; j < pb_boot_nstates; j++)
			if (strcmp(pb_boot_states[i].state,
			    pb_boot_states[j].state) == 0)
				ok = 0;
		if (pb_boot_state(pb_boot_states[i].state) != &pb_boot_states[i])
			ok = 0;
		/* A state whose boot can wait says why. */
		if (pb_boot_states[i].cls != PB_BOOT_RUN &&
		    pb_boot_states[i].cls != PB_BOOT_POWEROFF &&
		    pb_boot_states[i].wait == NULL)
			waits = 0;
	}
	tap_ok(ok, "boot table: one row per state name");
	tap_ok(waits, "boot table: every state that can wait has a message");
	tap_ok(pb_boot_state("Pending") == NULL, "boot table: names are exact");
	tap_is(pb_boot_wait_message("deprovisioning"), "waiting for an operator",
	    "boot table: generic wait message");
	tap_ok(pb_boot_action("pending", 0, 0) == PB_ACT_WAIT,
	    "pending without a workflow waits");
	tap_ok(pb_boot_action("no_such_state", 1, 1) == PB_ACT_WAIT,
	    "an unknown state waits");
}

int
main(void)
{
	test_clen();
	test_query();
	test_format();
	test_body();
	test_board_body();
	test_boot_table();
	return tap_done();
}

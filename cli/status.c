/* status.c: pureboot status: is the site working?  The API and its
 * database (GET /health), the hook (its sessions in the database, seen
 * only with -d or $PUREBOOT_DB: the hook has no endpoint), the nodes by
 * state, and the last install failures and refusals (GET /events). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "groups.h"
#include "table.h"

const char status_usage[] =
    "usage: pureboot status [-d CONNINFO] [--json]\n"
    "  the API, its database, the hook, nodes by state, the last errors;\n"
    "  exit 1 when a service is down\n"
    "  -d      libpq connection string, to see the hook (default: "
    "$PUREBOOT_DB;\n"
    "          neither: the hook is \"unknown\")\n"
    "  --json  {\"api\", \"database\", \"hook\", \"hook_sessions\", "
    "\"nodes\": {STATE: COUNT},\n"
    "          \"total\", \"errors\": [EVENT...]}\n";

/* The events that say something went wrong, newest last. */
static int
is_error(const char *type)
{
	return type != NULL && (strcmp(type, "install_failed") == 0 ||
	    strcmp(type, "install_timeout") == 0 ||
	    strcmp(type, "agent_refused") == 0);
}

/* "up", "down" or "unknown"; *sessions the hook's database sessions. */
static const char *
hook_state(const char *conninfo, long *sessions)
{
	static const char sql[] = "SELECT count(*) FROM pg_stat_activity "
	    "WHERE application_name = 'pureboot-tftp-hook' AND "
	    "datname = current_database()";
	PGresult *r = NULL;
	PGconn *c;
	const char *st = "unknown";

	*sessions = -1;
	if (conninfo == NULL)
		return st;
	if ((c = cmd_connect(conninfo, "pureboot status: hook")) == NULL)
		return st;
	r = PQexec(c, sql);
	if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1) {
		*sessions = atol(PQgetvalue(r, 0, 0));
		st = *sessions > 0 ? "up" : "down";
	} else
		cmd_db_error("pureboot status: hook", c, r);
	PQclear(r);
	PQfinish(c);
	return st;
}

/* {"api", "database"} from GET /health. */
static void
health(struct api *a, json_t *out)
{
	const char *db, *code;
	struct pb_err e;
	json_t *r = NULL;
	long status;

	if (api_call_quiet(a, "GET", "health", NULL, &status, &r, &e) == -1) {
		json_object_set_new(out, "api", json_string("down"));
		json_object_set_new(out, "api_error", json_string(e.msg));
		json_object_set_new(out, "database", json_string("unknown"));
		return;
	}
	db = json_string_value(json_object_get(r, "database"));
	/* 503 with a body is the API saying its database is down. */
	json_object_set_new(out, "api", json_string(status == 200 ||
	    (status == 503 && db != NULL) ? "ok" : "down"));
	if (status != 200 && !(status == 503 && db != NULL)) {
		code = json_string_value(json_object_get(json_object_get(r,
		    "error"), "code"));
		/* nginx's api_down: the API behind it does not answer. */
		snprintf(e.msg, sizeof(e.msg), "GET /api/v1/health: %ld %.40s",
		    status, code ? code : "");
		json_object_set_new(out, "api_error", json_string(e.msg));
	}
	json_object_set_new(out, "database", json_string(db != NULL &&
	    strcmp(db, "ok") == 0 ? "ok" : db ? "down" : "unknown"));
	json_decref(r);
}

/* "nodes": {state: count}, "total", "errors": the last 5 of 200 events. */
static int
nodes_errors(struct api *a, json_t *out)
{
	json_t *nodes = NULL, *by, *r = NULL, *errs, *ev;
	const char *st;
	size_t i;
	int rc;

	if ((rc = api_nodes_all(a, "", &nodes)) != CMD_OK)
		return rc;
	by = json_object();
	json_array_foreach(nodes, i, ev) {
		if ((st = json_string_value(json_object_get(ev, "state"))) ==
		    NULL)
			continue;
		json_object_set_new(by, st, json_integer(json_integer_value(
		    json_object_get(by, st)) + 1));
	}
	json_object_set_new(out, "nodes", by);
	json_object_set_new(out, "total", json_integer(
	    (json_int_t)json_array_size(nodes)));
	json_decref(nodes);
	if ((rc = api_call(a, "GET", "events?limit=200", NULL, &r)) != CMD_OK)
		return rc;
	errs = json_array();
	json_array_foreach(json_object_get(r, "events"), i, ev)
		if (is_error(json_string_value(json_object_get(ev, "type"))))
			json_array_append(errs, ev);
	while (json_array_size(errs) > 5)
		json_array_remove(errs, 0);
	json_object_set_new(out, "errors", errs);
	json_decref(r);
	return CMD_OK;
}

static const struct table_col err_cols[] = {
	{ "AT", "at", 19, 1 },
	{ "SERIAL", "serial", 8, 0 },
	{ "TYPE", "type", 16, 0 },
	{ "PAYLOAD", "payload", 100, 0 },
	{ NULL, NULL, 0, 0 },
};

static void
print_human(const json_t *s)
{
	const char *k, *err;
	const json_t *v;
	long hs;

	err = json_string_value(json_object_get(s, "api_error"));
	printf("api:      %s%s%s\n", json_string_value(json_object_get(s,
	    "api")), err ? ": " : "", err ? err : "");
	printf("database: %s\n", json_string_value(json_object_get(s,
	    "database")));
	hs = (long)json_integer_value(json_object_get(s, "hook_sessions"));
	printf("hook:     %s", json_string_value(json_object_get(s, "hook")));
	if (json_is_integer(json_object_get(s, "hook_sessions")))
		printf(" (%ld database session%s)", hs, hs == 1 ? "" : "s");
	printf("\n");
	if (json_object_get(s, "nodes") == NULL)
		return;
	printf("nodes:    %lld\n", (long long)json_integer_value(
	    json_object_get(s, "total")));
	json_object_foreach((json_t *)json_object_get(s, "nodes"), k, v)
		printf("  %-16s %lld\n", k, (long long)json_integer_value(v));
	printf("last errors:\n");
	table_print(stdout, err_cols, json_object_get(s, "errors"));
}

int
status_main(int argc, char **argv, const struct cmd *self)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	const char *conninfo = getenv("PUREBOOT_DB"), *hook, *db, *api;
	struct api *a = NULL;
	json_t *s = NULL;
	int ch, json = 0, rc;
	long sessions;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "d:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'd': conninfo = optarg; break;
		case 'j': json = 1; break;
		default: return cmd_usage(self);
		}
	}
	if (optind != argc)
		return cmd_usage(self);
	if ((a = api_open("pureboot status")) == NULL)
		return CMD_FAIL;
	s = json_object();
	health(a, s);
	hook = hook_state(conninfo, &sessions);
	json_object_set_new(s, "hook", json_string(hook));
	json_object_set_new(s, "hook_sessions", sessions >= 0 ?
	    json_integer(sessions) : json_null());
	api = json_string_value(json_object_get(s, "api"));
	db = json_string_value(json_object_get(s, "database"));
	rc = strcmp(api, "ok") == 0 && strcmp(db, "ok") == 0 ? CMD_OK :
	    CMD_FAIL;
	/* With the API or its database down there are no nodes to count. */
	if (rc == CMD_OK)
		rc = nodes_errors(a, s) == CMD_OK ? CMD_OK : CMD_FAIL;
	if (strcmp(hook, "down") == 0)
		rc = CMD_FAIL;
	if (json)
		cmd_print_json(s);
	else
		print_human(s);
	json_decref(s);
	api_close(a);
	return rc;
}

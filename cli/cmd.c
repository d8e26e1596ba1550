/* cmd.c: subcommand dispatch and the helpers every subcommand uses. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/json_iter.h"
#include "cmd.h"

static int
is_help(const char *a)
{
	return strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0;
}

static void
list(FILE *f, const struct cmd *tab, const char *where)
{
	const struct cmd *c;

	fprintf(f, "usage: %s COMMAND [ARGS...]\n", where);
	for (c = tab; c->name != NULL; c++)
		fprintf(f, "  %-10s %s\n", c->name, c->summary);
	fprintf(f, "\"%s COMMAND --help\" shows one command's options; "
	    "man pureboot (docs/pureboot.1) has them all.\n", where);
}

int
cmd_dispatch(const struct cmd *tab, const char *where, int argc, char **argv)
{
	const struct cmd *c;

	if (argc < 2) {
		list(stderr, tab, where);
		return CMD_USAGE;
	}
	if (is_help(argv[1])) {
		list(stdout, tab, where);
		return CMD_OK;
	}
	for (c = tab; c->name != NULL; c++) {
		if (strcmp(c->name, argv[1]) != 0)
			continue;
		if (c->usage != NULL && argc > 2 && is_help(argv[2])) {
			fputs(c->usage, stdout);
			return CMD_OK;
		}
		return c->fn(argc - 1, argv + 1, c);
	}
	fprintf(stderr, "%s: unknown command \"%.40s\"\n", where, argv[1]);
	list(stderr, tab, where);
	return CMD_USAGE;
}

int
cmd_usage(const struct cmd *self)
{
	fputs(self->usage, stderr);
	return CMD_USAGE;
}

const char *
cmd_conninfo(const char *opt)
{
	const char *env = getenv("PUREBOOT_DB");

	if (opt != NULL)
		return opt;
	return env != NULL ? env : "";
}

PGconn *
cmd_connect(const char *conninfo, const char *where)
{
	PGconn *c = PQconnectdb(conninfo);

	if (PQstatus(c) != CONNECTION_OK) {
		/* libpq's message ends in a newline. */
		fprintf(stderr, "%s: database: %s", where, PQerrorMessage(c));
		PQfinish(c);
		return NULL;
	}
	return c;
}

void
cmd_db_error(const char *where, PGconn *c, const PGresult *r)
{
	const char *msg = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) :
	    NULL;

	fprintf(stderr, "%s: database: %s%s", where, msg ? msg :
	    PQerrorMessage(c), msg ? "\n" : "");
}

void
cmd_print_json(const json_t *j)
{
	char *s = json_dumps(j, JSON_INDENT(2) | JSON_SORT_KEYS);

	if (s != NULL)
		printf("%s\n", s);
	free(s);
}

static void
flat(const char *path, const json_t *j)
{
	const char *k, *s;
	const json_t *v;
	char *d;
	char sub[256];
	size_t i;

	switch (json_typeof(j)) {
	case JSON_OBJECT:
		json_object_foreach(pb_json_iterable(j), k, v) {
			snprintf(sub, sizeof(sub), "%s%s%s", path,
			    path[0] ? "." : "", k);
			flat(sub, v);
		}
		break;
	case JSON_ARRAY:
		if (json_array_size(j) == 0)
			printf("%s: (none)\n", path);
		json_array_foreach(pb_json_iterable(j), i, v) {
			snprintf(sub, sizeof(sub), "%s[%zu]", path, i);
			flat(sub, v);
		}
		break;
	case JSON_STRING:
		s = json_string_value(j);
		if (strlen(s) > 72)
			printf("%s: %.60s... (%zu characters)\n", path, s,
			    strlen(s));
		else
			printf("%s: %s\n", path, s);
		break;
	default:
		d = json_dumps(j, JSON_ENCODE_ANY);
		printf("%s: %s\n", path, d ? d : "?");
		free(d);
		break;
	}
}

void
cmd_print_flat(const json_t *j)
{
	flat("", j);
}

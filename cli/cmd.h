/* cmd.h: the pureboot command's table of subcommands and what its
 * subcommands share (the database connection, JSON output). */
#ifndef PB_CMD_H
#define PB_CMD_H

#include <stdio.h>

#include <jansson.h>
#include <libpq-fe.h>

/* Exit codes of every subcommand (docs/pureboot.1). */
#define CMD_OK		0
#define CMD_FAIL	1	/* failed or refused; nothing half-done */
#define CMD_USAGE	2

/* One subcommand.  A group (workflow, token) has no usage of its own:
 * its fn dispatches its own table.  argv[0] is the subcommand's name. */
struct cmd {
	const char *name;
	int (*fn)(int argc, char **argv, const struct cmd *self);
	const char *summary;
	const char *usage;	/* whole lines: "usage: pureboot ...\n  -x ...\n" */
};

/* Run the entry of tab (ended by a NULL name) named argv[1]; where is
 * the command so far ("pureboot", "pureboot token").  "--help" or "-h"
 * right after a leaf's name prints its usage to stdout. */
int cmd_dispatch(const struct cmd *tab, const char *where, int argc,
    char **argv);

/* A leaf's usage on stderr; returns CMD_USAGE. */
int cmd_usage(const struct cmd *self);

/* -d's value, else $PUREBOOT_DB, else "" (libpq's own defaults). */
const char *cmd_conninfo(const char *opt);

/* Connected, or NULL with "where: database: reason" printed. */
PGconn *cmd_connect(const char *conninfo, const char *where);

/* "where: database: reason" for a failed result r (NULL: no result). */
void cmd_db_error(const char *where, PGconn *c, const PGresult *r);

/* j on stdout as indented JSON, keys sorted, with a newline. */
void cmd_print_json(const json_t *j);

/* j on stdout for people: one "path: value" line per scalar, long
 * strings cut short. */
void cmd_print_flat(const json_t *j);

#endif

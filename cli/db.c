/* db.c: pureboot db init|migrate: the database on an existing
 * PostgreSQL (docs/install.md).
 *
 * init, as a superuser (Debian: user postgres), makes what is missing:
 * the owner role, the programs' least-privilege roles of sql/031 and
 * sql/037, the database owned by the owner with CONNECT for these roles
 * only; then applies the pending migrations as the owner.  migrate
 * applies them as whoever connects (the owner).  Both run again safely:
 * the migrations are scripts/migrate's, which applies each file once
 * and sql/grants.sql every time (one owner of that logic; installed as
 * $PUREBOOT_SHARE/scripts/migrate beside $PUREBOOT_SHARE/sql/). */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/err.h"
#include "groups.h"

#ifndef PB_DATADIR
#define PB_DATADIR "/usr/share/pureboot"
#endif

/* The roles the programs connect as (sql/031-roles.sql, sql/037). */
static const char *const prog_roles[] = {
	"pureboot_api", "pureboot_hook", "pureboot_dhcp", "pureboot_report",
	NULL,
};

/* A role or database name we make: a plain lower-case identifier, so
 * that it is the same quoted or not and safe in a conninfo. */
struct db_ident {
	char s[64];
};

static int
db_ident_parse(struct db_ident *out, const char *what, const char *in,
    struct pb_err *e)
{
	char q[80];
	size_t n = strlen(in);

	if (n < 1 || n > 63 || strchr("abcdefghijklmnopqrstuvwxyz_", in[0]) ==
	    NULL || strspn(in, "abcdefghijklmnopqrstuvwxyz0123456789_") != n) {
		pb_quote(q, sizeof(q), in, 64);
		return pb_fail(e, "%s \"%s\" is not 1 to 63 of a-z 0-9 _ "
		    "starting with a letter or _", what, q);
	}
	memcpy(out->s, in, n + 1);
	return 0;
}

/* The share directory: $PUREBOOT_SHARE, else where make install put it. */
static const char *
db_share(void)
{
	const char *s = getenv("PUREBOOT_SHARE");

	return s != NULL && s[0] != '\0' ? s : PB_DATADIR;
}

/* Run share/scripts/migrate CONNINFO; role, when not NULL, is set for
 * the session (PGOPTIONS -c role=), so that what it makes is role's. */
static int
db_run_migrate(const char *conninfo, const char *role, const char *where)
{
	char prog[4096], opts[4096];
	const char *old = getenv("PGOPTIONS");
	pid_t pid;
	int st;

	if ((size_t)snprintf(prog, sizeof(prog), "%s/scripts/migrate",
	    db_share()) >= sizeof(prog)) {
		fprintf(stderr, "%s: PUREBOOT_SHARE is too long\n", where);
		return CMD_FAIL;
	}
	if (access(prog, X_OK) == -1) {
		fprintf(stderr, "%s: migrations \"%s\": %s (set PUREBOOT_SHARE "
		    "to the directory with scripts/migrate and sql/)\n", where,
		    prog, strerror(errno));
		return CMD_FAIL;
	}
	fflush(NULL);
	if ((pid = fork()) == -1) {
		fprintf(stderr, "%s: fork: %s\n", where, strerror(errno));
		return CMD_FAIL;
	}
	if (pid == 0) {
		if (role != NULL) {
			snprintf(opts, sizeof(opts), "%s -c role=%s",
			    old != NULL ? old : "", role);
			setenv("PGOPTIONS", opts, 1);
		}
		execl(prog, prog, conninfo, (char *)NULL);
		fprintf(stderr, "%s: exec \"%s\": %s\n", where, prog,
		    strerror(errno));
		_exit(127);
	}
	while (waitpid(pid, &st, 0) == -1)
		if (errno != EINTR) {
			fprintf(stderr, "%s: waitpid: %s\n", where,
			    strerror(errno));
			return CMD_FAIL;
		}
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		fprintf(stderr, "%s: migrations failed; nothing of the failed "
		    "file was applied\n", where);
		return CMD_FAIL;
	}
	return CMD_OK;
}

/* One statement without parameters (identifiers already escaped). */
static int
db_exec(PGconn *c, const char *sql, const char *where)
{
	PGresult *r = PQexec(c, sql);
	int rc = CMD_OK;

	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		cmd_db_error(where, c, r);
		rc = CMD_FAIL;
	}
	PQclear(r);
	return rc;
}

/* 1 when the query with one parameter returns a row, 0 when not, -1 on
 * error (said); *val (may be NULL) gets the first column, copied. */
static int
db_one(PGconn *c, const char *sql, const char *p, char *val, size_t vlen,
    const char *where)
{
	PGresult *r = PQexecParams(c, sql, 1, NULL, &p, NULL, NULL, 0);
	int rc = -1;

	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		cmd_db_error(where, c, r);
		goto out;
	}
	rc = PQntuples(r) > 0;
	if (rc == 1 && val != NULL)
		snprintf(val, vlen, "%s", PQgetvalue(r, 0, 0));
out:
	PQclear(r);
	return rc;
}

/* CREATE ROLE name unless it exists; owner roles may log in and own,
 * program roles are NOINHERIT like sql/031's. */
static int
db_role(PGconn *c, const char *name, int owner, const char *where)
{
	char sql[256];
	char *id = NULL;
	int rc = CMD_FAIL, has;

	if ((has = db_one(c, "SELECT 1 FROM pg_roles WHERE rolname = $1",
	    name, NULL, 0, where)) == -1)
		goto out;
	if (has) {
		printf("%s: role %s exists\n", where, name);
		rc = CMD_OK;
		goto out;
	}
	if ((id = PQescapeIdentifier(c, name, strlen(name))) == NULL) {
		cmd_db_error(where, c, NULL);
		goto out;
	}
	snprintf(sql, sizeof(sql), "CREATE ROLE %s LOGIN NOSUPERUSER "
	    "NOCREATEDB NOCREATEROLE%s", id, owner ? "" : " NOINHERIT");
	if (db_exec(c, sql, where) != CMD_OK)
		goto out;
	printf("%s: created role %s\n", where, name);
	rc = CMD_OK;
out:
	PQfreemem(id);
	return rc;
}

/* Does the database exist (1) or not (0)?  An existing one must be
 * owner's: migrating it as owner could not work otherwise (-1, said,
 * before anything is made). */
static int
db_exists(PGconn *c, const char *name, const char *owner, const char *where)
{
	char had[128];
	int has;

	if ((has = db_one(c, "SELECT pg_get_userbyid(datdba) FROM pg_database "
	    "WHERE datname = $1", name, had, sizeof(had), where)) == -1)
		return -1;
	if (has && strcmp(had, owner) != 0) {
		fprintf(stderr, "%s: database \"%s\" exists and is owned by "
		    "\"%s\", not \"%s\": pass --owner %s, or change its owner "
		    "first (ALTER DATABASE ... OWNER TO)\n", where, name, had,
		    owner, had);
		return -1;
	}
	return has;
}

/* The database (made unless has), owned by owner, reachable by the
 * owner and the program roles only. */
static int
db_database(PGconn *c, const char *name, const char *owner, int has,
    const char *where)
{
	char sql[512];
	char *id = NULL, *oid = NULL;
	int rc = CMD_FAIL, i;

	if ((id = PQescapeIdentifier(c, name, strlen(name))) == NULL ||
	    (oid = PQescapeIdentifier(c, owner, strlen(owner))) == NULL) {
		cmd_db_error(where, c, NULL);
		goto out;
	}
	if (has)
		printf("%s: database %s exists\n", where, name);
	else {
		/* UTF8 whatever the cluster's default: the schema's checks
		 * name characters by code point. */
		snprintf(sql, sizeof(sql), "CREATE DATABASE %s OWNER %s "
		    "ENCODING 'UTF8' TEMPLATE template0", id, oid);
		if (db_exec(c, sql, where) != CMD_OK)
			goto out;
		printf("%s: created database %s owned by %s\n", where, name,
		    owner);
	}
	snprintf(sql, sizeof(sql), "REVOKE CONNECT, TEMPORARY ON DATABASE %s "
	    "FROM PUBLIC", id);
	if (db_exec(c, sql, where) != CMD_OK)
		goto out;
	for (i = 0; prog_roles[i] != NULL; i++) {
		snprintf(sql, sizeof(sql), "GRANT CONNECT, TEMPORARY ON "
		    "DATABASE %s TO %s", id, prog_roles[i]);
		if (db_exec(c, sql, where) != CMD_OK)
			goto out;
	}
	rc = CMD_OK;
out:
	PQfreemem(id);
	PQfreemem(oid);
	return rc;
}

static const char init_usage_[] =
    "usage: pureboot db init [-d CONNINFO] [--database NAME] "
    "[--owner ROLE]\n"
    "  as a PostgreSQL superuser (Debian: runuser -u postgres -- pureboot "
    "db init):\n"
    "  make the roles ROLE (default pureboot), pureboot_api, "
    "pureboot_hook,\n"
    "  pureboot_dhcp and pureboot_report and the database NAME (default "
    "pureboot)\n"
    "  when missing, then apply the pending migrations as ROLE; safe to "
    "run again\n"
    "  -d CONNINFO  key=value conninfo of the server (default "
    "$PUREBOOT_DB, else libpq's)\n";

static const char migrate_usage_[] =
    "usage: pureboot db migrate [-d CONNINFO]\n"
    "  apply the pending migrations and sql/grants.sql, as the database "
    "owner\n"
    "  -d CONNINFO  the database (default $PUREBOOT_DB)\n";

static int
cmd_init(int argc, char **argv, const struct cmd *self)
{
	static const struct option longopts[] = {
		{ "database", required_argument, NULL, 'D' },
		{ "owner", required_argument, NULL, 'O' },
		{ NULL, 0, NULL, 0 },
	};
	const char *where = "db init", *base;
	struct db_ident dbname, owner;
	struct pb_err e;
	char admin[4096], target[4096];
	const char *opt = NULL, *dopt = "pureboot", *oopt = "pureboot";
	PGconn *c = NULL;
	int ch, i, has, rc = CMD_FAIL;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "d:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'd': opt = optarg; break;
		case 'D': dopt = optarg; break;
		case 'O': oopt = optarg; break;
		default: return cmd_usage(self);
		}
	}
	if (argc != optind)
		return cmd_usage(self);
	if (db_ident_parse(&dbname, "database", dopt, &e) == -1 ||
	    db_ident_parse(&owner, "owner", oopt, &e) == -1) {
		fprintf(stderr, "%s: %s\n", where, e.msg);
		return CMD_FAIL;
	}
	base = cmd_conninfo(opt);
	/* A later keyword wins in a key=value conninfo. */
	if (strstr(base, "://") != NULL) {
		fprintf(stderr, "%s: conninfo must be key=value words, not a "
		    "URI\n", where);
		return CMD_FAIL;
	}
	if ((size_t)snprintf(admin, sizeof(admin), "%s dbname=postgres",
	    base) >= sizeof(admin) || (size_t)snprintf(target, sizeof(target),
	    "%s dbname=%s", base, dbname.s) >= sizeof(target)) {
		fprintf(stderr, "%s: conninfo is too long\n", where);
		return CMD_FAIL;
	}
	if ((c = cmd_connect(admin, where)) == NULL)
		goto out;
	if ((has = db_exists(c, dbname.s, owner.s, where)) == -1)
		goto out;
	if (db_role(c, owner.s, 1, where) != CMD_OK)
		goto out;
	for (i = 0; prog_roles[i] != NULL; i++)
		if (db_role(c, prog_roles[i], 0, where) != CMD_OK)
			goto out;
	if (db_database(c, dbname.s, owner.s, has, where) != CMD_OK)
		goto out;
	PQfinish(c);
	c = NULL;
	if (db_run_migrate(target, owner.s, where) != CMD_OK)
		goto out;
	printf("%s: database %s is up to date\n", where, dbname.s);
	rc = CMD_OK;
out:
	PQfinish(c);
	return rc;
}

static int
cmd_migrate(int argc, char **argv, const struct cmd *self)
{
	const char *opt = NULL;
	int ch;

	optind = 1;
	while ((ch = getopt(argc, argv, "d:")) != -1) {
		switch (ch) {
		case 'd': opt = optarg; break;
		default: return cmd_usage(self);
		}
	}
	if (argc != optind)
		return cmd_usage(self);
	if (cmd_conninfo(opt)[0] == '\0') {
		fprintf(stderr, "db migrate: no database: pass -d CONNINFO or "
		    "set PUREBOOT_DB\n");
		return CMD_FAIL;
	}
	return db_run_migrate(cmd_conninfo(opt), NULL, "db migrate");
}

static const struct cmd db[] = {
	{ "init", cmd_init, "make the roles and the database, apply the "
	  "migrations", init_usage_ },
	{ "migrate", cmd_migrate, "apply the pending migrations",
	  migrate_usage_ },
	{ NULL, NULL, NULL, NULL },
};

int
db_main(int argc, char **argv, const struct cmd *self)
{
	(void)self;
	return cmd_dispatch(db, "pureboot db", argc, argv);
}

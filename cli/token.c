/* token.c: pureboot token create|revoke|list: operator API tokens.
 *
 * create makes the token here, with the code the API checks it with
 * (lib/core/token.c), and stores only the id, the name and
 * sha256(secret); the whole token is printed once and never again. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "core/err.h"
#include "core/token.h"
#include "groups.h"

#define NAME_CHARS "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz" \
	"0123456789._@-"

/* The name of a token: 1 to 64 of NAME_CHARS (the api_tokens CHECK). */
struct token_name {
	char s[65];
};

static int
token_name_parse(struct token_name *out, const char *in, struct pb_err *e)
{
	char q[80];
	size_t n = strlen(in);

	if (n < 1 || n > 64 || strspn(in, NAME_CHARS) != n) {
		pb_quote(q, sizeof(q), in, 64);
		return pb_fail(e, "token name \"%s\" is not 1 to 64 characters "
		    "of A-Z a-z 0-9 . _ @ -", q);
	}
	memcpy(out->s, in, n + 1);
	return 0;
}

struct args {
	const char *conninfo;
	int json;
	struct token_name name;
};

/* -d CONNINFO, --json if json_ok, then nargs (0 or 1: the name); then
 * *c connected.  Anything but CMD_OK is the exit code, said why. */
static int
start(struct args *a, PGconn **c, int argc, char **argv,
    const struct cmd *self, int json_ok, int nargs, const char *where)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	struct pb_err e;
	int ch;

	memset(a, 0, sizeof(*a));
	optind = 1;
	while ((ch = getopt_long(argc, argv, "d:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'd': a->conninfo = optarg; break;
		case 'j':
			if (json_ok) {
				a->json = 1;
				break;
			}
			/* FALLTHROUGH */
		default: return cmd_usage(self);
		}
	}
	if (argc - optind != nargs)
		return cmd_usage(self);
	if (nargs == 1 && token_name_parse(&a->name, argv[optind], &e) == -1) {
		fprintf(stderr, "%s: %s\n", where, e.msg);
		return CMD_FAIL;
	}
	if ((*c = cmd_connect(cmd_conninfo(a->conninfo), where)) == NULL)
		return CMD_FAIL;
	return CMD_OK;
}

static const char create_usage[] =
    "usage: pureboot token create [-d CONNINFO] [--json] NAME\n"
    "  print a new operator token for NAME (shown once: keep it)\n"
    "  --json  {\"name\", \"id\", \"token\"}\n"
    "  -d      libpq connection string (default: $PUREBOOT_DB)\n";

static const char insert_sql[] =
    "INSERT INTO pureboot.api_tokens (id, name, hash) "
    "VALUES ($1, $2, decode($3, 'hex'))";

static int
cmd_create(int argc, char **argv, const struct cmd *self)
{
	static const char where[] = "pureboot token create";
	struct pb_api_token t;
	unsigned char rnd[38];
	const char *p[3], *state, *cons;
	PGresult *r = NULL;
	PGconn *c = NULL;
	struct args a;
	json_t *j;
	int rc, attempt;

	if ((rc = start(&a, &c, argc, argv, self, 1, 1, where)) != CMD_OK)
		return rc;
	rc = CMD_FAIL;
	/* Two random ids collide once in 2^48; a few draws make it moot. */
	for (attempt = 0; attempt < 5; attempt++) {
		randombytes_buf(rnd, sizeof(rnd));
		pb_api_token_make(&t, rnd);
		p[0] = t.id;
		p[1] = a.name.s;
		p[2] = t.hash_hex;
		PQclear(r);
		r = PQexecParams(c, insert_sql, 3, NULL, p, NULL, NULL, 0);
		if (PQresultStatus(r) == PGRES_COMMAND_OK)
			break;
		state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
		cons = PQresultErrorField(r, PG_DIAG_CONSTRAINT_NAME);
		if (state == NULL || strcmp(state, "23505") != 0) {
			cmd_db_error(where, c, r);
			goto out;
		}
		if (cons != NULL && strcmp(cons, "api_tokens_name_key") == 0) {
			fprintf(stderr, "%s: token name \"%s\" is already taken "
			    "(revoked names stay taken)\n", where, a.name.s);
			goto out;
		}
	}
	if (attempt == 5) {
		fprintf(stderr, "%s: token \"%s\": no free id after 5 random "
		    "draws\n", where, a.name.s);
		goto out;
	}
	if (a.json) {
		j = json_pack("{s:s, s:s, s:s}", "name", a.name.s, "id", t.id,
		    "token", t.text);
		cmd_print_json(j);
		json_decref(j);
	} else
		printf("%s\n", t.text);
	rc = CMD_OK;
out:
	sodium_memzero(&t, sizeof(t));
	sodium_memzero(rnd, sizeof(rnd));
	PQclear(r);
	PQfinish(c);
	return rc;
}

static const char revoke_usage[] =
    "usage: pureboot token revoke [-d CONNINFO] NAME\n"
    "  revoke NAME's token: the API refuses it from the next request on;\n"
    "  revoking again is harmless (exit 0)\n"
    "  -d      libpq connection string (default: $PUREBOOT_DB)\n";

static int
cmd_revoke(int argc, char **argv, const struct cmd *self)
{
	static const char where[] = "pureboot token revoke";
	const char *p[1];
	PGresult *r = NULL;
	PGconn *c = NULL;
	struct args a;
	int rc;

	if ((rc = start(&a, &c, argc, argv, self, 0, 1, where)) != CMD_OK)
		return rc;
	rc = CMD_FAIL;
	p[0] = a.name.s;
	r = PQexecParams(c, "SELECT pureboot.token_revoke($1)", 1, NULL, p,
	    NULL, NULL, 0);
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		cmd_db_error(where, c, r);
		goto out;
	}
	if (strcmp(PQgetvalue(r, 0, 0), "t") == 0)
		printf("token \"%s\" revoked\n", a.name.s);
	else
		printf("token \"%s\": no live token of that name (already "
		    "revoked?)\n", a.name.s);
	rc = CMD_OK;
out:
	PQclear(r);
	PQfinish(c);
	return rc;
}

static const char list_usage[] =
    "usage: pureboot token list [-d CONNINFO] [--json]\n"
    "  every token: name, created, last used, live or revoked\n"
    "  --json  {\"tokens\": [{\"name\", \"id\", \"created_at\", "
    "\"last_used\", \"revoked_at\"}]}\n"
    "  -d      libpq connection string (default: $PUREBOOT_DB)\n";

#define TS(col) "to_char(" col ", 'YYYY-MM-DD\"T\"HH24:MI:SS')"
static const char list_sql[] =
    "SELECT name, id, " TS("created_at") ", " TS("last_used") ", "
    TS("revoked_at") " FROM pureboot.api_tokens ORDER BY name";

/* Column i of row, or NULL for SQL NULL. */
static const char *
col(const PGresult *r, int row, int i)
{
	return PQgetisnull(r, row, i) ? NULL : PQgetvalue(r, row, i);
}

static int
cmd_list(int argc, char **argv, const struct cmd *self)
{
	static const char where[] = "pureboot token list";
	json_t *root = NULL, *arr;
	PGresult *r = NULL;
	PGconn *c = NULL;
	struct args a;
	int rc, i;

	if ((rc = start(&a, &c, argc, argv, self, 1, 0, where)) != CMD_OK)
		return rc;
	rc = CMD_FAIL;
	r = PQexec(c, list_sql);
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		cmd_db_error(where, c, r);
		goto out;
	}
	if (!a.json) {
		for (i = 0; i < PQntuples(r); i++)
			printf("%s created=%s last_used=%s %s\n", col(r, i, 0),
			    col(r, i, 2), col(r, i, 3) ? col(r, i, 3) : "-",
			    col(r, i, 4) ? "revoked" : "live");
		rc = CMD_OK;
		goto out;
	}
	root = json_pack("{s:[]}", "tokens");
	arr = json_object_get(root, "tokens");
	for (i = 0; i < PQntuples(r); i++)
		json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:s?, "
		    "s:s?}", "name", col(r, i, 0), "id", col(r, i, 1),
		    "created_at", col(r, i, 2), "last_used", col(r, i, 3),
		    "revoked_at", col(r, i, 4)));
	cmd_print_json(root);
	rc = CMD_OK;
out:
	json_decref(root);
	PQclear(r);
	PQfinish(c);
	return rc;
}

static const struct cmd token[] = {
	{ "create", cmd_create, "print a new operator API token (shown once)",
	  create_usage },
	{ "revoke", cmd_revoke, "revoke a token; repeating is harmless",
	  revoke_usage },
	{ "list", cmd_list, "names, created, last used, live or revoked",
	  list_usage },
	{ NULL, NULL, NULL, NULL },
};

int
token_main(int argc, char **argv, const struct cmd *self)
{
	(void)self;
	return cmd_dispatch(token, "pureboot token", argc, argv);
}

/* auth.c: bearer tokens.  Operator tokens (pb1.) for operator
 * endpoints; per-install tokens (pbi1.) for the agent's state-changing
 * calls on its own node, until it ends or expires
 * (pureboot.install_token_get() in sql/032-install-steps.sql).  Only
 * sha256(secret) is stored; the secret is compared in C in constant
 * time (libsodium).  A token, good or bad,
 * never appears in a reply or a log line. */
#include <stdio.h>
#include <string.h>

#include "core/ident.h"
#include "req.h"
#include "core/token.h"

static int
refuse(struct pb_req *r, const char *why)
{
	r->www_auth = 1;
	pb_reply_error(r, 401, "unauthorized", "%s", why);
	return -1;
}

/* A token row's hash is compared even when the row is revoked or
 * missing (against a dummy), so the time taken says nothing more than
 * the status does. */
static const char dummy_hash[] =
    "0000000000000000000000000000000000000000000000000000000000000000";

/* Look up t's row with stmt and compare its secret (column 1), always:
 * 1 when the row exists and the secret matches (*res holds the row), 0
 * when not, -1 when the reply (SQL error) is sent. */
static int
token_row(struct pb_req *r, const char *stmt, const struct pb_token *t,
    PGresult **res)
{
	const char *p[1] = { t->id };
	struct pb_err e;
	int rc, found, ok;

	rc = pb_db_exec(r->db, stmt, 1, p, res, &e);
	if (rc != PB_DB_OK) {
		pb_reply_sql(r, rc, *res, &e, "auth");
		return -1;
	}
	found = PQntuples(*res) == 1;
	ok = pb_token_check(t->secret, found ? PQgetvalue(*res, 0, 1) :
	    dummy_hash) == 0;
	return found && ok;
}

static int
operator_ok(struct pb_req *r, const struct pb_token *t)
{
	const char *p[1] = { t->id };
	PGresult *res = NULL;
	struct pb_err e;
	int rc, ret = -1;

	if ((rc = token_row(r, "api_token", t, &res)) == -1)
		goto out;
	if (rc == 0 || strcmp(PQgetvalue(res, 0, 2), "f") != 0) {
		refuse(r, "the bearer token is unknown, wrong or revoked");
		goto out;
	}
	snprintf(r->actor, sizeof(r->actor), "api:%s", PQgetvalue(res, 0, 0));
	r->operator = 1;
	PQclear(res);
	res = NULL;
	rc = pb_db_exec(r->db, "api_token_used", 1, p, &res, &e);
	if (rc != PB_DB_OK) {
		pb_reply_sql(r, rc, res, &e, "auth");
		goto out;
	}
	ret = 0;
out:
	PQclear(res);
	return ret;
}

static int
install_ok(struct pb_req *r, const struct pb_token *t)
{
	char why[300];
	struct pb_uuid node;
	PGresult *res = NULL;
	struct pb_err e;
	int rc, ret = -1;

	if (pb_uuid_parse(&node, r->arg[0], &e) == -1) {
		pb_reply_bad(r, "auth", &e);
		return -1;
	}
	if ((rc = token_row(r, "install_token", t, &res)) == -1)
		goto out;
	if (rc == 0) {
		refuse(r, "the install token is unknown, wrong or replaced by a "
		    "newer install");
		goto out;
	}
	/* Not a credential for this node: 401 as for no token at all. */
	if (strcmp(PQgetvalue(res, 0, 0), node.s) != 0) {
		refuse(r, "the install token belongs to another node");
		goto out;
	}
	/* Only the holder of the secret hears why it ended. */
	if (!PQgetisnull(res, 0, 2)) {
		snprintf(why, sizeof(why), "the install token is no longer "
		    "good: %s", PQgetvalue(res, 0, 2));
		refuse(r, why);
		goto out;
	}
	snprintf(r->actor, sizeof(r->actor), "agent:%s", node.s);
	ret = 0;
out:
	PQclear(res);
	return ret;
}

int
pb_auth(struct pb_req *r, enum pb_auth kind)
{
	struct pb_token t;
	struct pb_err e;
	int rc;

	if (kind == PB_AUTH_OPEN) {
		snprintf(r->actor, sizeof(r->actor), "api:agent");
		return 0;
	}
	if (pb_token_parse(&t, r->authz, &e) == -1)
		return refuse(r, e.msg);
	if (t.kind == PB_TOKEN_API)
		rc = operator_ok(r, &t);
	else if (kind == PB_AUTH_NODE)
		rc = install_ok(r, &t);
	else {
		pb_reply_error(r, 403, "forbidden", "an install token is good "
		    "only for its node's install, events and installed calls");
		rc = -1;
	}
	return rc;
}

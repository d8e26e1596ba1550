/* req.h: one HTTP request as the handlers see it, and the replies. */
#ifndef PB_REQ_H
#define PB_REQ_H

#include <fcgiapp.h>
#include <jansson.h>

#include "db.h"
#include "core/err.h"

#define PB_MAX_ARGS 2
#define PB_ARG_MAX 128

struct pb_req {
	FCGX_Request *fx;
	struct pb_db *db;
	const char *method;	/* REQUEST_METHOD */
	const char *path;	/* DOCUMENT_URI, decoded by nginx */
	const char *query;	/* QUERY_STRING, "" when absent */
	const char *ctype;	/* CONTENT_TYPE, "" when absent */
	const char *clen;	/* CONTENT_LENGTH, "" when absent */
	const char *authz;	/* HTTP_AUTHORIZATION: never logged */
	const char *remote_addr; /* REMOTE_ADDR, "" when absent (peer.h) */
	char actor[96];		/* who, for the state log: set by pb_auth */
	int operator;		/* authenticated with an operator token */
	char arg[PB_MAX_ARGS][PB_ARG_MAX]; /* "{}" path segments */
	int retry_after;	/* seconds; 0: no Retry-After header */
	const char *allow;	/* Allow header for 405, or NULL */
	int www_auth;		/* send WWW-Authenticate: Bearer (401) */
	int replied;
};

typedef void pb_handler(struct pb_req *r);

/* Send status and body (not stolen: the caller still owns body). */
void pb_reply(struct pb_req *r, int status, const json_t *body);

/* Send the one error shape of the API:
 * {"error": {"code": code, "message": message}}. */
void pb_reply_error(struct pb_req *r, int status, const char *code,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* 503 with Retry-After, for when PostgreSQL cannot be reached. */
void pb_reply_db_down(struct pb_req *r, const struct pb_err *e);

/* 500 for a failure the client cannot fix; the reason is logged,
 * never sent (it may hold SQL or paths). */
void pb_reply_internal(struct pb_req *r, const char *what,
    const struct pb_err *e);

/* Send a non-JSON body (e.g. text/plain for format=env). */
void pb_reply_text(struct pb_req *r, int status, const char *ctype,
    const char *text);

/* 400 bad_request with "where: reason". */
void pb_reply_bad(struct pb_req *r, const char *where,
    const struct pb_err *e);

/* The reply for a failed pb_db_exec(): 503 when the database is down,
 * otherwise by SQLSTATE (PB409 and 23505 409, PB404 404, 23514 23503
 * 22xxx PB400 400, PB429 429 and PB503 503 with the DETAIL as
 * Retry-After, anything else 500 with the reason logged). */
void pb_reply_sql(struct pb_req *r, int rc, const PGresult *res,
    const struct pb_err *e, const char *what);

/* Read and parse the JSON body: an object, or {} when the body is
 * empty.  Replies 413/415/400 itself and returns NULL on failure. */
json_t *pb_req_json(struct pb_req *r, const char *where);

/* CONTENT_LENGTH as a length (0 when ""): decimal digits only, so
 * "-1", "+5", " 5" and an overflow are refused with the reason (pure). */
int pb_clen_parse(long long *len, const char *clen, struct pb_err *e);

/* Log a line to stderr with the program name and pid. */
void pb_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Who may call an endpoint. */
enum pb_auth {
	PB_AUTH_OPEN,		/* anyone on the provisioning network */
	PB_AUTH_OPERATOR,	/* an operator API token */
	PB_AUTH_NODE,		/* arg[0]'s install token, or an operator */
};

/* Check r's bearer token for kind and set r->actor; replies 400/401/403
 * itself and returns -1 when refused. */
int pb_auth(struct pb_req *r, enum pb_auth kind);

/* Find the handler for r->path and r->method, fill r->arg, run it. */
void pb_route(struct pb_req *r);

#endif

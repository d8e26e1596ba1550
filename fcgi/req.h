/* req.h: one HTTP request as the handlers see it, and the replies. */
#ifndef PB_REQ_H
#define PB_REQ_H

#include <fcgiapp.h>
#include <jansson.h>

#include "db.h"
#include "err.h"

#define PB_MAX_ARGS 2
#define PB_ARG_MAX 128

struct pb_req {
	FCGX_Request *fx;
	struct pb_db *db;
	const char *method;	/* REQUEST_METHOD */
	const char *path;	/* DOCUMENT_URI, decoded by nginx */
	const char *query;	/* QUERY_STRING, "" when absent */
	char arg[PB_MAX_ARGS][PB_ARG_MAX]; /* "{}" path segments */
	int retry_after;	/* seconds; 0: no Retry-After header */
	const char *allow;	/* Allow header for 405, or NULL */
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

/* Log a line to stderr with the program name and pid. */
void pb_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Find the handler for r->path and r->method, fill r->arg, run it. */
void pb_route(struct pb_req *r);

#endif

/* reply.c: HTTP status lines, JSON bodies and the error shape. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "req.h"

static const char *
status_text(int status)
{
	switch (status) {
	case 200: return "OK";
	case 201: return "Created";
	case 204: return "No Content";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 409: return "Conflict";
	case 413: return "Payload Too Large";
	case 415: return "Unsupported Media Type";
	case 503: return "Service Unavailable";
	default: return "Internal Server Error";
	}
}

void
pb_log(const char *fmt, ...)
{
	char line[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	fprintf(stderr, "pureboot-api[%ld]: %s\n", (long)getpid(), line);
}

void
pb_reply(struct pb_req *r, int status, const json_t *body)
{
	char *txt = NULL;

	if (r->replied)
		return;
	r->replied = 1;
	if (body != NULL)
		txt = json_dumps(body, JSON_COMPACT);
	if (body != NULL && txt == NULL) {
		pb_log("%s %s: cannot serialise reply", r->method, r->path);
		status = 500;
	}
	FCGX_FPrintF(r->fx->out, "Status: %d %s\r\n", status,
	    status_text(status));
	if (r->retry_after > 0)
		FCGX_FPrintF(r->fx->out, "Retry-After: %d\r\n", r->retry_after);
	if (r->allow != NULL)
		FCGX_FPrintF(r->fx->out, "Allow: %s\r\n", r->allow);
	FCGX_PutS("Cache-Control: no-store\r\n", r->fx->out);
	if (txt != NULL) {
		FCGX_PutS("Content-Type: application/json\r\n\r\n", r->fx->out);
		FCGX_PutS(txt, r->fx->out);
		FCGX_PutS("\n", r->fx->out);
	} else
		FCGX_PutS("\r\n", r->fx->out);
	free(txt);
}

void
pb_reply_error(struct pb_req *r, int status, const char *code,
    const char *fmt, ...)
{
	char msg[1024];
	json_t *body;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	body = json_pack("{s:{s:s, s:s}}", "error", "code", code,
	    "message", msg);
	pb_reply(r, body != NULL ? status : 500, body);
	json_decref(body);
}

void
pb_reply_db_down(struct pb_req *r, const struct pb_err *e)
{
	pb_log("%s %s: %s", r->method, r->path, e->msg);
	r->retry_after = 5;
	pb_reply_error(r, 503, "database_down",
	    "the database is not reachable; try again shortly");
}

void
pb_reply_internal(struct pb_req *r, const char *what,
    const struct pb_err *e)
{
	pb_log("%s %s: %s: %s", r->method, r->path, what, e->msg);
	pb_reply_error(r, 500, "internal", "%s failed; the reason is in the "
	    "server log", what);
}

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
	case 429: return "Too Many Requests";
	case 500: return "Internal Server Error";
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

/* The one place that writes a response: status, headers, body. */
static void
send(struct pb_req *r, int status, const char *ctype, const char *body,
    const char *trailer)
{
	if (r->replied)
		return;
	r->replied = 1;
	FCGX_FPrintF(r->fx->out, "Status: %d %s\r\n", status,
	    status_text(status));
	if (r->retry_after > 0)
		FCGX_FPrintF(r->fx->out, "Retry-After: %d\r\n", r->retry_after);
	if (r->allow != NULL)
		FCGX_FPrintF(r->fx->out, "Allow: %s\r\n", r->allow);
	if (r->www_auth)
		FCGX_PutS("WWW-Authenticate: Bearer realm=\"pureboot\"\r\n",
		    r->fx->out);
	FCGX_PutS("Cache-Control: no-store\r\n", r->fx->out);
	if (body != NULL) {
		FCGX_FPrintF(r->fx->out, "Content-Type: %s\r\n\r\n", ctype);
		FCGX_PutS(body, r->fx->out);
		FCGX_PutS(trailer, r->fx->out);
	} else
		FCGX_PutS("\r\n", r->fx->out);
}

void
pb_reply(struct pb_req *r, int status, const json_t *body)
{
	char *txt = NULL;

	if (r->replied)
		return;
	if (body != NULL)
		txt = json_dumps(body, JSON_COMPACT);
	if (body != NULL && txt == NULL) {
		pb_log("%s %s: cannot serialise reply", r->method, r->path);
		send(r, 500, "application/json", "{\"error\":{\"code\":"
		    "\"internal\",\"message\":\"cannot serialise reply\"}}", "\n");
		return;
	}
	send(r, status, "application/json", txt, "\n");
	free(txt);
}

void
pb_reply_text(struct pb_req *r, int status, const char *ctype,
    const char *text)
{
	send(r, status, ctype, text, "");
}

void
pb_reply_bad(struct pb_req *r, const char *where, const struct pb_err *e)
{
	pb_reply_error(r, 400, "bad_request", "%s: %s", where, e->msg);
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
	if (body == NULL) {
		/* Not UTF-8 (a value that reached the message unquoted, or
		 * cut mid-character): the same message, every byte outside
		 * printable ASCII escaped, never an empty reply. */
		char safe[4 * sizeof(msg) + 8];

		pb_quote(safe, sizeof(safe), msg, sizeof(msg));
		pb_log("%s %s: reply message is not UTF-8; sent escaped",
		    r->method, r->path);
		body = json_pack("{s:{s:s, s:s}}", "error", "code", code,
		    "message", safe);
	}
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

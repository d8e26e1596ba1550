/* body.c: the request body: size, content type, JSON with position. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/num.h"
#include "req.h"

/* nginx refuses larger bodies first (client_max_body_size); this is the
 * same limit for a worker reached some other way. */
#define BODY_MAX 65536

/* "application/json", optionally with parameters ("; charset=utf-8"). */
static int
is_json(const char *ct)
{
	size_t n = strlen("application/json");

	return strncasecmp(ct, "application/json", n) == 0 &&
	    (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ');
}

int
pb_clen_parse(long long *len, const char *clen, struct pb_err *e)
{
	struct pb_err why;
	char q[40];

	*len = 0;
	if (clen[0] == '\0')
		return 0;
	/* Any number of digits is a length (a large one gets 413 below);
	 * a sign (even "-0"), a space or an overflow is not. */
	if (clen[0] == '-' || pb_num_parse(len, clen, 0, LLONG_MAX,
	    "Content-Length", &why) == -1) {
		pb_quote(q, sizeof(q), clen, 24);
		return pb_fail(e, "Content-Length \"%s\" is not a number of "
		    "bytes", q);
	}
	return 0;
}

json_t *
pb_req_json(struct pb_req *r, const char *where)
{
	json_error_t je;
	json_t *root = NULL;
	char *buf = NULL;
	struct pb_err e;
	long long len;
	int got;

	if (pb_clen_parse(&len, r->clen, &e) == -1) {
		pb_reply_bad(r, where, &e);
		return NULL;
	}
	if (len > BODY_MAX) {
		pb_reply_error(r, 413, "payload_too_large", "request body is "
		    "larger than 64 KiB");
		return NULL;
	}
	if (len == 0)
		return json_object();
	if (!is_json(r->ctype)) {
		pb_reply_error(r, 415, "unsupported_media_type", "%s: the body "
		    "must be Content-Type: application/json", where);
		return NULL;
	}
	if ((buf = malloc((size_t)len)) == NULL) {
		pb_log("%s %s: out of memory for the body", r->method, r->path);
		pb_reply_error(r, 500, "internal", "out of memory");
		return NULL;
	}
	got = FCGX_GetStr(buf, (int)len, r->fx->in);
	if (got != len) {
		pb_reply_error(r, 400, "bad_request", "%s: body shorter than "
		    "its Content-Length", where);
		goto out;
	}
	/* jansson refuses \u0000 in strings unless told otherwise, and
	 * invalid UTF-8 always: no NUL can reach a C string or SQL. */
	root = json_loadb(buf, (size_t)len, JSON_REJECT_DUPLICATES, &je);
	if (root == NULL) {
		pb_reply_error(r, 400, "bad_json", "%s: body: line %d column %d: "
		    "%s", where, je.line, je.column, je.text);
		goto out;
	}
	if (!json_is_object(root)) {
		pb_reply_error(r, 400, "bad_request", "%s: body must be a JSON "
		    "object", where);
		json_decref(root);
		root = NULL;
	}
out:
	free(buf);
	return root;
}

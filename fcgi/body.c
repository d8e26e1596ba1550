/* body.c: the request body: size, content type, JSON with position. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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

json_t *
pb_req_json(struct pb_req *r, const char *where)
{
	json_error_t je;
	json_t *root = NULL;
	char *buf = NULL, *end;
	long len = 0;
	int got;

	if (r->clen[0] != '\0') {
		errno = 0;
		len = strtol(r->clen, &end, 10);
		if (errno != 0 || *end != '\0' || len < 0) {
			pb_reply_error(r, 400, "bad_request", "%s: Content-Length "
			    "is not a number", where);
			return NULL;
		}
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

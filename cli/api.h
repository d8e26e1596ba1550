/* api.h: how pureboot's node, events and status commands reach the
 * API: cli.conf and the environment (conf.c), HTTP (http.c), and a node
 * named on the command line (node_ref.c). */
#ifndef PB_CLI_API_H
#define PB_CLI_API_H

#include <jansson.h>

#include "core/err.h"
#include "core/token.h"
#include "core/url.h"

/* Exit codes past cmd.h's, for the commands that ask the API
 * (docs/pureboot.1): the API's 404 and 409. */
#define CMD_NOTFOUND	3
#define CMD_CONFLICT	4

#define CLI_CONF_DEFAULT "/etc/pureboot/cli.conf"

/* Where the API is and who the operator is.  Set only if valid. */
struct api_conf {
	char url[PB_URL_MAX + 1];	/* the server, as settings' server_url */
	char token[PB_TOKEN_MAX + 1];	/* an operator token, pb1.... */
};

/* text, the whole of a cli.conf, into c (pure): "key = value" lines,
 * keys url and token, '#' comments and blank lines; each key at most
 * once.  Values are checked as they would be used.  Reasons read
 * FILE:LINE: what is wrong. */
int api_conf_parse(struct api_conf *c, const char *text, const char *file,
    struct pb_err *e);

/* $PUREBOOT_CONF, else CLI_CONF_DEFAULT (may be missing), refused when
 * others may read or write it; then $PUREBOOT_URL and $PUREBOOT_TOKEN
 * over what it said.  Both must be known in the end. */
int api_conf_load(struct api_conf *c, struct pb_err *e);

struct api;

/* Conf loaded and an HTTP handle made, or NULL with "where: reason"
 * printed. */
struct api *api_open(const char *where);
void api_close(struct api *a);

/* method on path (from "/api/v1/", every variable part already
 * validated and percent-encoded: api_path) with body (NULL: none).
 * CMD_OK and *reply (the parsed JSON; NULL for an empty answer, the
 * caller's) on a 2xx; else the exit code, with "where: message" (the
 * API's error message) on stderr. */
int api_call(struct api *a, const char *method, const char *path,
    const json_t *body, json_t **reply);

/* As api_call, but a failure is not printed: *status and *reply (the
 * API's error JSON) say what happened; 0 status: not reached, and the
 * reason is in e. */
int api_call_quiet(struct api *a, const char *method, const char *path,
    const json_t *body, long *status, json_t **reply, struct pb_err *e);

/* "key=value" percent-encoded (RFC 3986 unreserved kept) into out,
 * after sep ('?' or '&'); -1 when it does not fit. */
int api_query_add(char *out, size_t outsz, char sep, const char *key,
    const char *value);

/* The exit code of an API status: 404 CMD_NOTFOUND, 409 CMD_CONFLICT,
 * else CMD_FAIL. */
int api_status_exit(long status);

/* A node as an operator names it: its id (a UUID), serial (8 hex
 * digits), MAC, or hostname.  Anything else is refused before it
 * reaches a URL.  id is the node's UUID: given, or looked up by paging
 * GET /nodes.  CMD_OK or the exit code, said why. */
int node_ref(struct api *a, const char *where, const char *arg,
    char id[37]);

/* Every node GET /nodes gives for filter (a query of validated,
 * encoded filters; "" for none), page by page, into *nodes (a new
 * array, the caller's).  CMD_OK or the exit code, said why. */
int api_nodes_all(struct api *a, const char *filter, json_t **nodes);

#endif

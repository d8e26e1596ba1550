/* route.c: the table of endpoints, who may call them, and 404 / 405
 * for the rest. */
#include <string.h>

#include "handlers.h"
#include "req.h"

struct route {
	const char *method;
	const char *pattern;	/* "{}" matches one non-empty segment */
	enum pb_auth auth;
	pb_handler *fn;
};

#define OPEN PB_AUTH_OPEN
#define OPER PB_AUTH_OPERATOR
#define NODE PB_AUTH_NODE

static const struct route routes[] = {
	{ "GET", "/api/v1/health", OPEN, h_health },
	{ "GET", "/api/v1/boot/pi", OPEN, h_boot },
	{ "GET", "/api/v1/boot/arm64", OPEN, h_boot_arm64 },
	{ "POST", "/api/v1/nodes/register-pi", OPEN, h_register },
	{ "GET", "/api/v1/nodes", OPER, h_nodes_list },
	{ "POST", "/api/v1/nodes", OPER, h_node_create },
	{ "GET", "/api/v1/nodes/{}", OPER, h_node_get },
	{ "PATCH", "/api/v1/nodes/{}", OPER, h_node_patch },
	{ "DELETE", "/api/v1/nodes/{}", OPER, h_node_delete },
	{ "POST", "/api/v1/nodes/{}/transition", OPER, h_transition },
	{ "GET", "/api/v1/nodes/{}/history", OPER, h_history },
	{ "GET", "/api/v1/nodes/{}/events", OPER, h_events_list },
	{ "POST", "/api/v1/nodes/{}/events", NODE, h_event_post },
	{ "POST", "/api/v1/nodes/{}/installed", NODE, h_installed },
	{ "GET", "/api/v1/nodes/{}/install", NODE, h_install },
	{ "GET", "/api/v1/events", OPER, h_site_events },
	{ "GET", "/api/v1/workflows", OPER, h_workflows_list },
	{ "GET", "/api/v1/workflows/{}", OPER, h_workflow_get },
	{ "GET", "/api/v1/boards", OPER, h_boards_list },
	{ "POST", "/api/v1/boards", OPER, h_board_add },
	{ "DELETE", "/api/v1/boards/{}", OPER, h_board_remove },
	{ "GET", "/api/v1/settings", OPER, h_settings_get },
	{ "PATCH", "/api/v1/settings", OPER, h_settings_patch },
	{ NULL, NULL, OPEN, NULL },
};

/* Match path against pattern segment by segment; fill r->arg.
 * Returns the number of "{}" segments plus one, or 0: no match. */
static int
match(struct pb_req *r, const char *pattern, const char *path)
{
	int nargs = 0;

	while (*pattern != '\0' && *path != '\0') {
		size_t pl = strcspn(pattern, "/"), sl = strcspn(path, "/");

		if (pl == 2 && strncmp(pattern, "{}", 2) == 0) {
			if (sl == 0 || sl >= PB_ARG_MAX || nargs >= PB_MAX_ARGS)
				return 0;
			memcpy(r->arg[nargs], path, sl);
			r->arg[nargs++][sl] = '\0';
		} else if (pl != sl || strncmp(pattern, path, pl) != 0)
			return 0;
		pattern += pl;
		path += sl;
		if (*pattern == '/' && *path == '/') {
			pattern++;
			path++;
		} else if (*pattern != *path)
			return 0;
	}
	return *pattern == '\0' && *path == '\0' ? nargs + 1 : 0;
}

void
pb_route(struct pb_req *r)
{
	const struct route *rt;
	char allow[128] = "";
	int best = 0, m;

	/* A literal segment beats "{}": /nodes/register-pi is never a
	 * node id, whatever the method. */
	for (rt = routes; rt->pattern != NULL; rt++)
		if ((m = match(r, rt->pattern, r->path)) != 0 &&
		    (best == 0 || m < best))
			best = m;
	for (rt = routes; rt->pattern != NULL && best != 0; rt++) {
		if (match(r, rt->pattern, r->path) != best)
			continue;
		if (strcmp(rt->method, r->method) == 0) {
			if (pb_auth(r, rt->auth) == 0)
				rt->fn(r);
			return;
		}
		if (strstr(allow, rt->method) == NULL &&
		    strlen(allow) + strlen(rt->method) + 3 < sizeof(allow)) {
			if (allow[0] != '\0')
				strcat(allow, ", ");
			strcat(allow, rt->method);
		}
	}
	if (allow[0] != '\0') {
		r->allow = allow;
		pb_reply_error(r, 405, "method_not_allowed",
		    "%.16s is not allowed here; allowed: %s",
		    r->method, allow);
		r->allow = NULL;
		return;
	}
	pb_reply_error(r, 404, "not_found", "no such endpoint");
}

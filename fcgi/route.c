/* route.c: the table of endpoints, and 404 / 405 for the rest. */
#include <string.h>

#include "handlers.h"
#include "req.h"

struct route {
	const char *method;
	const char *pattern;	/* "{}" matches one non-empty segment */
	pb_handler *fn;
};

static const struct route routes[] = {
	{ "GET", "/api/v1/health", h_health },
	{ NULL, NULL, NULL },
};

/* Match path against pattern segment by segment; fill r->arg. */
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
	return *pattern == '\0' && *path == '\0';
}

void
pb_route(struct pb_req *r)
{
	const struct route *rt;
	char allow[128] = "";

	for (rt = routes; rt->pattern != NULL; rt++) {
		if (!match(r, rt->pattern, r->path))
			continue;
		if (strcmp(rt->method, r->method) == 0) {
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

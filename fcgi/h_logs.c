/* h_logs.c: GET /nodes/{id}/history (state log) and GET
 * /nodes/{id}/events, oldest first, paged by ?after=<id>&limit=. */
#include <stdlib.h>
#include <string.h>

#include "handlers.h"
#include "hutil.h"
#include "query.h"

static const char *const keys[] = { "after", "limit", NULL };

static void
page(struct pb_req *r, const char *where, const char *stmt)
{
	char after[24], limit[8], *end;
	const char *p[3];
	struct pb_uuid id;
	struct pb_err e;

	if (pb_arg_uuid(r, 0, where, &id) == -1)
		return;
	if (pb_query_check(r->query, keys, &e) == -1 ||
	    pb_query_get(r->query, "after", after, sizeof(after), &e) == -1) {
		pb_reply_bad(r, where, &e);
		return;
	}
	if (after[0] != '\0' && (after[0] < '0' || after[0] > '9' ||
	    strtoll(after, &end, 10) < 0 || *end != '\0' ||
	    strlen(after) > 18)) {
		pb_reply_error(r, 400, "bad_request", "%s: after \"%.20s\" is not "
		    "an id", where, after);
		return;
	}
	if (pb_query_limit(r, where, 100, limit) == -1)
		return;
	p[0] = id.s;
	p[1] = after[0] != '\0' ? after : NULL;
	p[2] = limit;
	pb_exec_json(r, where, stmt, 3, p, 200, "no such node");
}

void
h_history(struct pb_req *r)
{
	page(r, "history", "history");
}

void
h_events_list(struct pb_req *r)
{
	page(r, "events", "events");
}

/* h_logs.c: GET /nodes/{id}/history (state log) and GET
 * /nodes/{id}/events, oldest first, paged by ?after=<id>&limit=. */
#include <stdio.h>

#include "handlers.h"
#include "hutil.h"
#include "qfield.h"

static void
page(struct pb_req *r, const char *where, const char *stmt)
{
	long long after_id = 0;
	int limit = 100;
	struct pb_qfield f[] = {
		{ "after", 0, 24, pb_qf_id, &after_id, 0 },
		{ "limit", 0, 16, pb_qf_limit, &limit, 0 },
		{ NULL, 0, 0, NULL, NULL, 0 },
	};
	char after[24], lim[8];
	const char *p[3];
	struct pb_uuid id;
	struct pb_err e;

	if (pb_arg_uuid(r, 0, where, &id) == -1)
		return;
	if (pb_qfields(r->query, f, &e) == -1) {
		pb_reply_bad(r, where, &e);
		return;
	}
	snprintf(after, sizeof(after), "%lld", after_id);
	snprintf(lim, sizeof(lim), "%d", limit);
	p[0] = id.s;
	p[1] = f[0].given ? after : NULL;
	p[2] = lim;
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

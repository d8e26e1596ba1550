/* h_site_events.c: GET /events, the events of every node: the feed
 * "pureboot events [--follow]" and "pureboot status" read.
 *
 * Without after it is the last `limit` events (as tail(1) starts);
 * with after=<id> the first `limit` after that id.  Oldest first either
 * way, and "cursor" is the after for the next poll (the newest id
 * returned, else the after given, else 0), so a poll loop never misses
 * nor repeats an event: ids only grow. */
#include <stdio.h>

#include "handlers.h"
#include "hutil.h"
#include "qfield.h"

void
h_site_events(struct pb_req *r)
{
	long long after_id = 0;
	int limit = 100;
	struct pb_qfield f[] = {
		{ "after", 0, 24, pb_qf_id, &after_id, 0 },
		{ "limit", 0, 16, pb_qf_limit, &limit, 0 },
		{ NULL, 0, 0, NULL, NULL, 0 },
	};
	char after[24], lim[8];
	const char *p[2];
	struct pb_err e;

	if (pb_qfields(r->query, f, &e) == -1) {
		pb_reply_bad(r, "events", &e);
		return;
	}
	snprintf(after, sizeof(after), "%lld", after_id);
	snprintf(lim, sizeof(lim), "%d", limit);
	p[0] = f[0].given ? after : NULL;
	p[1] = lim;
	pb_exec_json(r, "events", "site_events", 2, p, 200, "");
}

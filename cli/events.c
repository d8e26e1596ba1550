/* events.c: pureboot events [--follow] [NODE]: the events of every
 * node (GET /events) or of one (GET /nodes/{id}/events), then, like
 * tail -f, the new ones as they come, by polling with the last id
 * seen as the cursor: ids only grow, so none is missed or repeated. */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/prog.h"
#include "api.h"
#include "groups.h"
#include "table.h"

const char events_usage[] =
    "usage: pureboot events [-f|--follow] [-n COUNT] [-i SECONDS] [--json] "
    "[NODE]\n"
    "  the last COUNT events (default 20) of every node, or of NODE (its "
    "id,\n"
    "  serial, MAC or hostname), oldest first\n"
    "  -f, --follow  then the new ones as they come, until interrupted "
    "(exit 0)\n"
    "  -i            seconds between polls with --follow (1 to 3600, "
    "default 1)\n"
    "  --json        one JSON object a line, as the API gives the event\n";

static volatile sig_atomic_t stop;

static void
on_stop(int sig)
{
	(void)sig;
	stop = 1;
}

static const struct table_col site_cols[] = {
	{ "AT", "at", 19, 1 },
	{ "SERIAL", "serial", 8, 0 },
	{ "HOSTNAME", "hostname", 20, 0 },
	{ "TYPE", "type", 16, 0 },
	{ "PAYLOAD", "payload", 200, 0 },
	{ NULL, NULL, 0, 0 },
};

static const struct table_col node_cols[] = {
	{ "AT", "at", 19, 1 },
	{ "TYPE", "type", 16, 0 },
	{ "PAYLOAD", "payload", 200, 0 },
	{ NULL, NULL, 0, 0 },
};

/* Events [from, size) of arr printed; *cursor past the last. */
static void
show(const json_t *arr, size_t from, const struct table_col *cols,
    int json, long long *cursor)
{
	const json_t *ev, *id;
	char *s;
	size_t i;

	for (i = from; i < json_array_size(arr); i++) {
		ev = json_array_get(arr, i);
		if (json) {
			s = json_dumps(ev, JSON_COMPACT | JSON_SORT_KEYS);
			if (s != NULL)
				printf("%s\n", s);
			free(s);
		} else
			table_line(stdout, cols, ev);
		id = json_object_get(ev, "id");
		if (json_is_integer(id) && json_integer_value(id) > *cursor)
			*cursor = json_integer_value(id);
	}
	fflush(stdout);
}

/* One poll after cursor.  CMD_OK, or the exit code: a 4xx ends the
 * follow (the token was revoked, the node removed); an API or network
 * that is down is said and tried again. */
static int
poll_once(struct api *a, const char *where, const char *id,
    const struct table_col *cols, int json, long long *cursor)
{
	char path[128];
	const char *msg;
	struct pb_err e;
	json_t *r = NULL;
	long status;

	if (id != NULL)
		snprintf(path, sizeof(path), "nodes/%s/events?limit=1000&"
		    "after=%lld", id, *cursor);
	else
		snprintf(path, sizeof(path), "events?limit=1000&after=%lld",
		    *cursor);
	if (api_call_quiet(a, "GET", path, NULL, &status, &r, &e) == -1) {
		fprintf(stderr, "%s: %s (trying again)\n", where, e.msg);
		return CMD_OK;
	}
	if (status == 200)
		show(json_object_get(r, "events"), 0, cols, json, cursor);
	else {
		msg = json_string_value(json_object_get(json_object_get(r,
		    "error"), "message"));
		fprintf(stderr, "%s: %ld %s%s\n", where, status,
		    msg ? msg : "(no error message)", status >= 500 ?
		    " (trying again)" : "");
		if (status < 500) {
			json_decref(r);
			return api_status_exit(status);
		}
	}
	json_decref(r);
	return CMD_OK;
}

int
events_main(int argc, char **argv, const struct cmd *self)
{
	static const char where[] = "pureboot events";
	static const struct option longopts[] = {
		{ "follow", no_argument, NULL, 'f' },
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	const struct table_col *cols = site_cols;
	int ch, follow = 0, json = 0, count = 20, secs = 1, rc;
	struct timespec ts;
	struct sigaction sa;
	long long cursor = 0;
	struct api *a = NULL;
	json_t *all = NULL, *r = NULL;
	char id[37], path[64];
	const char *node = NULL;
	size_t n;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "fn:i:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'f': follow = 1; break;
		case 'j': json = 1; break;
		case 'n': count = pb_opt_int(optarg, 1, 1000, "count"); break;
		case 'i': secs = pb_opt_int(optarg, 1, 3600, "interval"); break;
		default: return cmd_usage(self);
		}
	}
	if (argc - optind > 1)
		return cmd_usage(self);
	if (argc - optind == 1)
		node = argv[optind];
	if ((a = api_open(where)) == NULL)
		return CMD_FAIL;
	if (node != NULL)
		cols = node_cols;
	if (!json)
		table_head(stdout, cols);
	if (node != NULL) {
		if ((rc = node_ref(a, where, node, id)) != CMD_OK ||
		    (rc = node_log_all(a, id, "events", &all)) != CMD_OK)
			goto out;
		n = json_array_size(all);
		show(all, n > (size_t)count ? n - (size_t)count : 0, cols, json,
		    &cursor);
	} else {
		snprintf(path, sizeof(path), "events?limit=%d", count);
		if ((rc = api_call(a, "GET", path, NULL, &r)) != CMD_OK)
			goto out;
		show(json_object_get(r, "events"), 0, cols, json, &cursor);
		if (json_is_integer(json_object_get(r, "cursor")))
			cursor = json_integer_value(json_object_get(r,
			    "cursor"));
	}
	if (!follow)
		goto out;
	/* No SA_RESTART: the signal cuts the sleep short. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	while (!stop) {
		ts.tv_sec = secs;
		ts.tv_nsec = 0;
		nanosleep(&ts, NULL);
		if (stop)
			break;
		if ((rc = poll_once(a, where, node ? id : NULL, cols, json,
		    &cursor)) != CMD_OK)
			goto out;
	}
	rc = CMD_OK;
out:
	json_decref(all);
	json_decref(r);
	api_close(a);
	return rc;
}

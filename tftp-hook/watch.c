/* watch.c: reconcile, then LISTEN pureboot_changes and re-render each
 * node named in a payload; reconcile again every interval and after
 * every reconnect (NOTIFYs sent while the hook was away are lost: the
 * reconcile is what makes that safe). */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "db.h"
#include "hookctx.h"
#include "log.h"
#include "strset.h"

/* After a failed write (a full disk, a permission): a reconcile this
 * soon, not at the interval: the tree catches up once the cause is gone
 * (t/0723). */
#define RETRY_S 5

static volatile sig_atomic_t stopping, want_reconcile;

static void
on_stop(int sig)
{
	(void)sig;
	stopping = 1;
}

static void
on_hup(int sig)
{
	(void)sig;
	want_reconcile = 1;
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
connect_listen(struct hookctx *h, struct pb_err *e)
{
	PGresult *r;

	PQfinish(h->db);
	if ((h->db = db_connect(h->conninfo, e)) == NULL)
		return -1;
	r = PQexec(h->db, "LISTEN pureboot_changes");
	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		pb_fail(e, "database: LISTEN: %s", PQerrorMessage(h->db));
		PQclear(r);
		return -1;
	}
	PQclear(r);
	return 0;
}

/* Take every pending notification; 1 if one says "settings". */
static int
drain(struct hookctx *h, struct strset *ids)
{
	PGnotify *n;
	int settings = 0;

	while ((n = PQnotifies(h->db)) != NULL) {
		if (strcmp(n->extra, "settings") == 0)
			settings = 1;
		else if (strlen(n->extra) == 36)
			strset_add(ids, n->extra);
		else
			hook_log("notify: ignoring payload \"%.40s\"", n->extra);
		PQfreemem(n);
	}
	return settings;
}

int
mode_watch(struct hookctx *h, int interval)
{
	struct sigaction sa;
	struct pb_err e;
	struct pollfd pfd;
	struct strset ids = { 0 };
	double next = 0, backoff = 0.5;
	const char *id;
	size_t it;
	/* recheck: queries ran since the last drain.  libpq keeps the
	 * notifications that come in with a query's answer in its own queue;
	 * the socket then has nothing to read, and poll() alone would leave
	 * them there until the next reconcile (found by the boot storm:
	 * bench-storm, t/0721). */
	int connected = 0, settings, timeout, recheck = 0;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = on_hup;
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	while (!stopping) {
		if (!connected) {
			if (connect_listen(h, &e) == -1) {
				hook_log("%s; retrying in %.1f s", e.msg, backoff);
				usleep((useconds_t)(backoff * 1e6));
				if (backoff < 10)
					backoff *= 2;
				continue;
			}
			connected = 1;
			backoff = 0.5;
			next = 0;	/* LISTEN first, then reconcile: no gap */
			hook_log("watch: listening on pureboot_changes");
		}
		if (want_reconcile || now() >= next) {
			want_reconcile = 0;
			next = now() + interval;
			if (reconcile(h, &e) == -1) {
				hook_log("%s; again in %d s", e.msg, RETRY_S);
				next = now() + RETRY_S;
			}
			recheck = 1;
			if (PQstatus(h->db) != CONNECTION_OK) {
				connected = 0;
				continue;
			}
		}
		pfd.fd = PQsocket(h->db);
		pfd.events = POLLIN;
		pfd.revents = 0;
		timeout = recheck ? 0 : (int)((next - now()) * 1000);
		if (timeout < 0)
			timeout = 0;
		if (poll(&pfd, 1, timeout) == -1) {
			if (errno != EINTR)
				hook_log("poll: %s", strerror(errno));
			continue;
		}
		if (!recheck && !(pfd.revents & (POLLIN | POLLHUP | POLLERR)))
			continue;
		recheck = 0;
		if (PQconsumeInput(h->db) == 0 ||
		    PQstatus(h->db) != CONNECTION_OK) {
			hook_log("database: connection lost: %s",
			    PQerrorMessage(h->db));
			connected = 0;
			continue;
		}
		settings = drain(h, &ids);
		if (settings) {
			/* The server URL is in every cmdline.txt. */
			strset_free(&ids);
			next = now() + interval;
			if (reconcile(h, &e) == -1) {
				hook_log("%s; again in %d s", e.msg, RETRY_S);
				next = now() + RETRY_S;
			}
			recheck = 1;
			continue;
		}
		it = 0;
		while ((id = strset_next(&ids, &it)) != NULL) {
			recheck = 1;
			if (render_one(h, id, &e) == -1) {
				hook_log("node %s: %s", id, e.msg);
				if (next > now() + RETRY_S)
					next = now() + RETRY_S;
				if (PQstatus(h->db) != CONNECTION_OK) {
					connected = 0;
					break;
				}
			}
		}
		strset_free(&ids);
	}
	strset_free(&ids);
	hook_log("watch: stopped");
	return 0;
}

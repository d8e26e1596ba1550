/*
 * pb-listen CONNINFO CHANNEL COUNT TIMEOUT_MS
 *
 * Test helper: LISTEN on CHANNEL, print "ready" once the LISTEN is in
 * effect, then print each notification payload on its own line until
 * COUNT have arrived or TIMEOUT_MS (counted from "ready") have passed.
 *
 * Exit status: 0 COUNT payloads received, 1 timed out first, 2 usage or
 * database error. A test that expects no notification relies on 1 and 2
 * being different: a failed connection must not look like silence.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libpq-fe.h>

static const char *prog = "pb-listen";

static int
parse_count(const char *what, const char *s, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (end == s || *end != '\0' || errno != 0 || v < 0 || v > INT_MAX) {
		fprintf(stderr, "%s: %s \"%.16s\" is not a number from 0 to %d\n",
		    prog, what, s, INT_MAX);
		return -1;
	}
	*out = v;
	return 0;
}

static long long
now_ms(void)
{
	struct timespec ts;

	/* CLOCK_MONOTONIC cannot fail on Linux; a wall clock step must not
	 * cut a wait short or stretch it. */
	(void)clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int
main(int argc, char *argv[])
{
	PGconn *conn = NULL;
	PGresult *res = NULL;
	PGnotify *n = NULL;
	char *ident = NULL, *sql = NULL;
	long want, timeout, got = 0;
	long long deadline, left;
	size_t len;
	struct pollfd pfd;
	int rc = 2;

	if (argc != 5) {
		fprintf(stderr, "usage: %s CONNINFO CHANNEL COUNT TIMEOUT_MS\n", prog);
		goto out;
	}
	if (parse_count("COUNT", argv[3], &want) == -1 ||
	    parse_count("TIMEOUT_MS", argv[4], &timeout) == -1)
		goto out;

	conn = PQconnectdb(argv[1]);
	if (conn == NULL || PQstatus(conn) != CONNECTION_OK) {
		fprintf(stderr, "%s: connect: %s", prog,
		    conn != NULL ? PQerrorMessage(conn) : "out of memory\n");
		goto out;
	}

	/* The channel is an identifier, not a string: quote it as one. */
	if ((ident = PQescapeIdentifier(conn, argv[2], strlen(argv[2]))) == NULL) {
		fprintf(stderr, "%s: channel \"%.32s\": %s", prog, argv[2],
		    PQerrorMessage(conn));
		goto out;
	}
	len = strlen("LISTEN ") + strlen(ident) + 1;
	if ((sql = malloc(len)) == NULL) {
		fprintf(stderr, "%s: out of memory\n", prog);
		goto out;
	}
	(void)snprintf(sql, len, "LISTEN %s", ident);
	res = PQexec(conn, sql);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		fprintf(stderr, "%s: %s: %s", prog, sql, PQerrorMessage(conn));
		goto out;
	}

	/* LISTEN has committed: every NOTIFY committed from now on reaches us. */
	if (printf("ready\n") < 0 || fflush(stdout) == EOF) {
		perror(prog);
		goto out;
	}

	deadline = now_ms() + timeout;
	for (;;) {
		if (PQconsumeInput(conn) == 0) {
			fprintf(stderr, "%s: %s", prog, PQerrorMessage(conn));
			goto out;
		}
		while (got < want && (n = PQnotifies(conn)) != NULL) {
			if (printf("%s\n", n->extra) < 0 || fflush(stdout) == EOF) {
				perror(prog);
				goto out;
			}
			PQfreemem(n);
			n = NULL;
			got++;
		}
		if (got >= want)
			break;
		if ((left = deadline - now_ms()) <= 0) {
			rc = 1;
			goto out;
		}
		pfd.fd = PQsocket(conn);
		pfd.events = POLLIN;
		pfd.revents = 0;
		if (pfd.fd < 0) {
			fprintf(stderr, "%s: lost the connection\n", prog);
			goto out;
		}
		if (poll(&pfd, 1, (int)left) == -1 && errno != EINTR) {
			perror(prog);
			goto out;
		}
	}
	rc = 0;
out:
	if (n != NULL)
		PQfreemem(n);
	PQclear(res);
	free(sql);
	if (ident != NULL)
		PQfreemem(ident);
	PQfinish(conn);
	return rc;
}

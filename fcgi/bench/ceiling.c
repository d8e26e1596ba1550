/* ceiling.c: the bench-api ceiling.  The least a FastCGI program can do
 * for GET /boot/pi: one prepared SELECT by serial, a small JSON reply,
 * the same pre-forked worker model and libraries as pureboot-api.  Not
 * a product; no validation beyond what keeps it from crashing.
 * usage: pb-bench-ceiling SOCKET CONNINFO WORKERS */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fcgiapp.h>
#include <libpq-fe.h>

static void
serve(int sock, const char *conninfo)
{
	FCGX_Request fx;
	PGconn *db;
	PGresult *res;
	const char *q, *p[1];
	char serial[9];

	db = PQconnectdb(conninfo);
	if (PQstatus(db) != CONNECTION_OK) {
		fprintf(stderr, "ceiling: %s", PQerrorMessage(db));
		exit(1);
	}
	res = PQprepare(db, "boot", "SELECT state FROM pureboot.nodes "
	    "WHERE serial = $1", 1, NULL);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		fprintf(stderr, "ceiling: %s", PQerrorMessage(db));
		exit(1);
	}
	PQclear(res);
	if (FCGX_InitRequest(&fx, sock, 0) != 0)
		exit(1);
	while (FCGX_Accept_r(&fx) >= 0) {
		q = FCGX_GetParam("QUERY_STRING", fx.envp);
		q = q != NULL ? strstr(q, "serial=") : NULL;
		snprintf(serial, sizeof(serial), "%s", q != NULL ? q + 7 : "");
		p[0] = serial;
		res = PQexecPrepared(db, "boot", 1, p, NULL, NULL, 0);
		if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1)
			FCGX_FPrintF(fx.out, "Status: 200 OK\r\nContent-Type: "
			    "application/json\r\n\r\n{\"state\":\"%s\"}\n",
			    PQgetvalue(res, 0, 0));
		else
			FCGX_PutS("Status: 404 Not Found\r\n\r\n", fx.out);
		PQclear(res);
		FCGX_Finish_r(&fx);
	}
	exit(0);
}

static pid_t kids[64];
static int nkids;

/* Stopping the parent stops the workers. */
static void
on_term(int sig)
{
	int i;

	for (i = 0; i < nkids; i++)
		kill(kids[i], sig);
	_exit(0);
}

int
main(int argc, char **argv)
{
	int sock, i, n, st;

	if (argc != 4 || (n = atoi(argv[3])) < 1 || n > 64) {
		fprintf(stderr, "usage: pb-bench-ceiling SOCKET CONNINFO WORKERS\n");
		return 2;
	}
	if (FCGX_Init() != 0 || (sock = FCGX_OpenSocket(argv[1], 256)) < 0) {
		fprintf(stderr, "ceiling: cannot listen on %s\n", argv[1]);
		return 1;
	}
	if (chmod(argv[1], 0666) == -1)
		return 1;
	for (i = 0; i < n; i++)
		if ((kids[nkids++] = fork()) == 0)
			serve(sock, argv[2]);
	signal(SIGTERM, on_term);
	signal(SIGINT, on_term);
	while (wait(&st) > 0)
		;
	return 0;
}

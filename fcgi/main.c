/* main.c: pureboot-api, the pre-forking FastCGI server.
 *
 * The parent opens the socket, forks the workers and replaces any that
 * die; SIGTERM or SIGINT stops them all.  Each worker holds its own
 * PostgreSQL connection (worker.c). */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <fcgiapp.h>
#include <sodium.h>

#include "core/prog.h"
#include "req.h"
#include "worker.h"

#define MAX_WORKERS 64

struct opts {
	const char *socket;
	const char *conninfo;
	int workers;
	int backlog;
};

static volatile sig_atomic_t stopping;

static void
on_stop(int sig)
{
	(void)sig;
	stopping = 1;
}

static const char usage[] =
    "usage: pureboot-api -s SOCKET [-d CONNINFO] [-w WORKERS] [-b BACKLOG]\n"
    "  CONNINFO defaults to $PUREBOOT_DB\n";

static void
parse_opts(struct opts *o, int argc, char **argv)
{
	int c;

	o->conninfo = getenv("PUREBOOT_DB");
	o->workers = 4;
	o->backlog = 256;
	while ((c = getopt(argc, argv, "s:d:w:b:")) != -1) {
		switch (c) {
		case 's': o->socket = optarg; break;
		case 'd': o->conninfo = optarg; break;
		case 'w': o->workers = pb_opt_int(optarg, 1, MAX_WORKERS,
		    "workers"); break;
		case 'b': o->backlog = pb_opt_int(optarg, 1, 65535,
		    "backlog"); break;
		default: pb_usage(2, usage);
		}
	}
	if (o->socket == NULL || o->conninfo == NULL || optind != argc)
		pb_usage(2, usage);
}

static pid_t
spawn(int sock, const char *conninfo)
{
	pid_t pid = fork();

	if (pid == 0) {
		signal(SIGTERM, SIG_DFL);
		signal(SIGINT, SIG_DFL);
		pb_worker_run(sock, conninfo);
	}
	if (pid == -1)
		pb_log("fork: %s", strerror(errno));
	return pid;
}

static void
supervise(const struct opts *o, int sock)
{
	pid_t kids[MAX_WORKERS];
	time_t born[MAX_WORKERS];
	int i, st;
	pid_t pid;

	for (i = 0; i < o->workers; i++) {
		kids[i] = spawn(sock, o->conninfo);
		born[i] = time(NULL);
	}
	while (!stopping) {
		pid = wait(&st);
		if (pid == -1 && errno != EINTR)
			sleep(1);	/* no children: respawn below */
		for (i = 0; i < o->workers && !stopping; i++) {
			if (kids[i] != pid && kids[i] != -1)
				continue;
			if (kids[i] == pid)
				pb_log("worker %ld exited (status %d); "
				    "starting another", (long)pid, st);
			/* A worker that dies at once would otherwise be
			 * replaced in a tight loop. */
			if (time(NULL) - born[i] < 1)
				sleep(1);
			kids[i] = spawn(sock, o->conninfo);
			born[i] = time(NULL);
		}
	}
	for (i = 0; i < o->workers; i++)
		if (kids[i] > 0)
			kill(kids[i], SIGTERM);
	while (wait(&st) > 0 || errno == EINTR)
		;
}

int
main(int argc, char **argv)
{
	struct sigaction sa;
	struct opts o = { 0 };
	int sock;

	pb_prog_init("pureboot-api");
	parse_opts(&o, argc, argv);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;	/* no SA_RESTART: wait() must wake */
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	/* Install tokens come from randombytes_buf(); initialise before the
	 * workers fork so none of them does it on a request. */
	if (sodium_init() < 0)
		pb_die(1, "cannot initialise libsodium");
	if (FCGX_Init() != 0)
		pb_die(1, "cannot initialise libfcgi");
	sock = FCGX_OpenSocket(o.socket, o.backlog);
	if (sock < 0)
		pb_die(1, "socket \"%s\": cannot listen: %s", o.socket,
		    strerror(errno));
	/* nginx's workers must reach the socket; nobody else may. */
	if (chmod(o.socket, 0660) == -1)
		pb_die(1, "chmod \"%s\": %s", o.socket, strerror(errno));
	pb_log("listening on %s with %d workers", o.socket, o.workers);
	supervise(&o, sock);
	unlink(o.socket);
	pb_log("stopped");
	return 0;
}

/* worker.h: the request loop of one worker process. */
#ifndef PB_WORKER_H
#define PB_WORKER_H

/* Serve requests on the listening socket until it closes; never
 * returns. */
void pb_worker_run(int sock, const char *conninfo) __attribute__((noreturn));

#endif

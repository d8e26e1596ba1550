/* tftpc.h: the TFTP client of the test tools (pb-tftp, pb-storm): one
 * read request with the options and habits of a Raspberry Pi. */
#ifndef PB_TFTPC_H
#define PB_TFTPC_H

#include <netinet/in.h>
#include <stddef.h>

struct tftpc {
	struct sockaddr_in server;
	const char *bind_ip;
	int blksize;		/* 0: no option */
	int tsize;
	int abort_after_oack;
	const char *outdir;	/* pb-tftp replay -o */
	/* 0: give up after 6 silent seconds in a row (pb-tftp).  Else the
	 * Pi bootloader's rule: the whole file within this many ms, or a
	 * timeout, and no second try. */
	int file_timeout_ms;
	int quiet;		/* no complaints on stderr */
	int rcvbuf;		/* SO_RCVBUF, 0: the kernel's */
};

struct tftpc_xfer {
	char *data;		/* NULL with discard */
	size_t len, cap;
	int served;
	int timed_out;		/* the per-file timeout or 6 silent seconds */
	unsigned retries;	/* requests and ACKs sent again */
	int discard;		/* count the bytes, keep none */
	size_t stop_after;	/* >0: abort once this many bytes came */
	char errmsg[256];
};

/* One transfer of file.  0 done (served or refused: see x), -1 a
 * transport error or timeout (x->timed_out says which). */
int tftpc_fetch(const struct tftpc *c, const char *file, int tsize,
    int blksize, int abort_oack, struct tftpc_xfer *x);

#endif

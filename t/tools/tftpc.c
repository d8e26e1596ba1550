/* tftpc.c: one TFTP read request as a Raspberry Pi makes it (tftpc.h). */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "tftpc.h"

#define OP_RRQ 1
#define OP_DATA 3
#define OP_ACK 4
#define OP_ERROR 5
#define OP_OACK 6

static long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int
sock_new(const struct tftpc *c)
{
	struct sockaddr_in a;
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (s == -1) {
		if (!c->quiet)
			fprintf(stderr, "pb-tftp: socket: %s\n", strerror(errno));
		return -1;
	}
	if (c->rcvbuf > 0)
		(void)setsockopt(s, SOL_SOCKET, SO_RCVBUF, &c->rcvbuf,
		    sizeof(c->rcvbuf));
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	if (c->bind_ip != NULL && inet_pton(AF_INET, c->bind_ip, &a.sin_addr) != 1) {
		fprintf(stderr, "pb-tftp: bind address \"%s\" is not IPv4\n",
		    c->bind_ip);
		close(s);
		return -1;
	}
	if (bind(s, (struct sockaddr *)&a, sizeof(a)) == -1) {
		if (!c->quiet)
			fprintf(stderr, "pb-tftp: bind: %s\n", strerror(errno));
		close(s);
		return -1;
	}
	return s;
}
static size_t
put_str(unsigned char *p, size_t off, const char *s)
{
	size_t n = strlen(s) + 1;

	memcpy(p + off, s, n);
	return off + n;
}

static size_t
rrq(unsigned char *pkt, const char *file, int tsize, int blksize)
{
	char num[16];
	size_t n = 2;

	pkt[0] = 0;
	pkt[1] = OP_RRQ;
	n = put_str(pkt, n, file);
	n = put_str(pkt, n, "octet");
	if (tsize) {
		n = put_str(pkt, n, "tsize");
		n = put_str(pkt, n, "0");
	}
	if (blksize) {
		snprintf(num, sizeof(num), "%d", blksize);
		n = put_str(pkt, n, "blksize");
		n = put_str(pkt, n, num);
	}
	return n;
}

/* Wait for a packet from the server's address (any port on the first
 * reply, then that port only). */
static ssize_t
recv_pkt(int s, unsigned char *buf, size_t size, struct sockaddr_in *peer,
    int timeout_ms)
{
	struct pollfd pfd = { s, POLLIN, 0 };
	socklen_t sl = sizeof(*peer);
	int r;

	r = poll(&pfd, 1, timeout_ms);
	if (r <= 0)
		return r == 0 ? 0 : -1;
	return recvfrom(s, buf, size, 0, (struct sockaddr *)peer, &sl);
}

static void
send_error(int s, const struct sockaddr_in *to, int code, const char *msg)
{
	unsigned char pkt[128];
	size_t n;

	pkt[0] = 0;
	pkt[1] = OP_ERROR;
	pkt[2] = 0;
	pkt[3] = (unsigned char)code;
	n = put_str(pkt, 4, msg);
	(void)sendto(s, pkt, n, 0, (const struct sockaddr *)to, sizeof(*to));
}

static void
send_ack(int s, const struct sockaddr_in *to, unsigned block)
{
	unsigned char pkt[4] = { 0, OP_ACK, (unsigned char)(block >> 8),
	    (unsigned char)block };

	(void)sendto(s, pkt, 4, 0, (const struct sockaddr *)to, sizeof(*to));
}

static int
append(struct tftpc_xfer *x, const unsigned char *p, size_t n)
{
	if (x->discard) {
		x->len += n;
		return 0;
	}
	if (x->len + n + 1 > x->cap) {
		size_t cap = (x->len + n + 1) * 2;
		char *d = realloc(x->data, cap);

		if (d == NULL)
			return -1;
		x->data = d;
		x->cap = cap;
	}
	memcpy(x->data + x->len, p, n);
	x->len += n;
	x->data[x->len] = '\0';
	return 0;
}

/* Parse an OACK: the tsize and blksize the server agreed to. */
static void
parse_oack(const unsigned char *p, size_t n, long *tsize, int *blksize)
{
	size_t i = 2;

	while (i < n) {
		const char *k = (const char *)p + i, *v;
		size_t kl = strnlen(k, n - i);

		if (i + kl + 1 >= n)
			break;
		v = k + kl + 1;
		i += kl + 1 + strnlen(v, n - (i + kl + 1)) + 1;
		if (strcasecmp(k, "tsize") == 0)
			*tsize = atol(v);
		else if (strcasecmp(k, "blksize") == 0)
			*blksize = atoi(v);
	}
}

int
tftpc_fetch(const struct tftpc *c, const char *file, int tsize, int blksize,
    int abort_oack, struct tftpc_xfer *x)
{
	unsigned char pkt[65536], req[600];
	struct sockaddr_in peer, tid;
	size_t reqlen;
	ssize_t n;
	long want_size = -1, deadline = 0, wait;
	unsigned expect = 1;
	int s, tries, bs = 512, have_tid = 0, rc = -1, sent_req = 0;

	x->len = 0;
	x->served = 0;
	x->timed_out = 0;
	x->errmsg[0] = '\0';
	if (strlen(file) > 500)
		return -1;
	if ((s = sock_new(c)) == -1)
		return -1;
	if (c->file_timeout_ms > 0)
		deadline = now_ms() + c->file_timeout_ms;
	reqlen = rrq(req, file, tsize, blksize);
	for (tries = 0; c->file_timeout_ms > 0 || tries < 6; ) {
		if (!sent_req) {
			if (sendto(s, req, reqlen, 0, (const struct sockaddr *)&c->server,
			    sizeof(c->server)) == -1) {
				if (!c->quiet)
					fprintf(stderr, "pb-tftp: send: %s\n",
					    strerror(errno));
				goto out;
			}
			sent_req = 1;
		}
		wait = 1000;
		if (deadline != 0) {
			long left = deadline - now_ms();

			if (left <= 0)
				break;
			if (left < wait)
				wait = left;
		}
		n = recv_pkt(s, pkt, sizeof(pkt), &peer, (int)wait);
		if (n == -1)
			goto out;
		if (n == 0) {
			tries++;
			x->retries++;
			/* Lost: ask again (or repeat the last ACK). */
			if (!have_tid)
				sent_req = 0;
			else
				send_ack(s, &tid, expect - 1);
			continue;
		}
		if (peer.sin_addr.s_addr != c->server.sin_addr.s_addr)
			continue;
		if (have_tid && peer.sin_port != tid.sin_port) {
			send_error(s, &peer, 5, "unknown transfer id");
			continue;
		}
		if (n < 4)
			continue;
		tid = peer;
		have_tid = 1;
		tries = 0;
		switch (pkt[1]) {
		case OP_ERROR:
			snprintf(x->errmsg, sizeof(x->errmsg), "%.*s",
			    (int)(n > 4 ? n - 4 : 0), (char *)pkt + 4);
			x->errmsg[strcspn(x->errmsg, "\n")] = '\0';
			rc = 0;
			goto out;
		case OP_OACK:
			if (expect != 1)
				continue;
			bs = 512;
			parse_oack(pkt, (size_t)n, &want_size, &bs);
			if (blksize == 0)
				bs = 512;
			if (abort_oack) {
				/* The Pi's habit: look at tsize, drop the
				 * transfer, ask again. */
				send_error(s, &tid, 0, "abort");
				x->len = (size_t)(want_size < 0 ? 0 : want_size);
				x->served = 1;
				rc = 0;
				goto out;
			}
			send_ack(s, &tid, 0);
			break;
		case OP_DATA: {
			unsigned blk = (unsigned)pkt[2] << 8 | pkt[3];
			size_t dl = (size_t)n - 4;

			if (abort_oack) {
				/* A Pi gets an OACK to abort or sees a
				 * server it does not expect. */
				if (!c->quiet)
					fprintf(stderr, "pb-tftp: %s: data instead "
					    "of the OACK to abort\n", file);
				goto out;
			}

			if (blk != (expect & 0xffff)) {
				send_ack(s, &tid, blk);	/* duplicate */
				continue;
			}
			if (append(x, pkt + 4, dl) == -1)
				goto out;
			if (x->stop_after > 0 && x->len >= x->stop_after) {
				/* As much as was asked for: drop the rest. */
				send_error(s, &tid, 0, "enough");
				x->served = 1;
				rc = 0;
				goto out;
			}
			send_ack(s, &tid, blk);
			expect++;
			if (dl < (size_t)bs) {
				if (want_size >= 0 && (size_t)want_size != x->len) {
					if (!c->quiet)
						fprintf(stderr, "pb-tftp: %s: tsize "
						    "%ld but %zu bytes came\n", file,
						    want_size, x->len);
					goto out;
				}
				x->served = 1;
				rc = 0;
				goto out;
			}
			break;
		}
		default:
			break;
		}
	}
	x->timed_out = 1;
	if (!c->quiet)
		fprintf(stderr, "pb-tftp: %s: timed out\n", file);
out:
	close(s);
	return rc;
}

/*
 * pb-tftp: the TFTP replayer of the tests.
 *
 *   pb-tftp [-b BIND_IP] [-p PORT] [-B BLKSIZE] [-t] [-a] SERVER get FILE [OUT]
 *   pb-tftp [-b BIND_IP] [-p PORT] [-o DIR] SERVER replay MODEL SERIAL
 *
 * get: one read request; -t asks for tsize, -B for a block size, -a
 * aborts right after the OACK and asks again (as a Pi 4 does), first
 * printing "aborted after the OACK: tsize <n>".  Prints "<size>" or
 * "not served: <server message>"; exit 0 served, 1 not served, 3
 * transport error (timeout, bad packet, tsize mismatch, or with -a data
 * where the OACK to abort should be).
 *
 * replay: the request sequence of a Raspberry Pi model (lib/boot/pibootseq.c)
 * with that model's transfer habits: Pi 3 ROM plain 512-byte blocks, Pi
 * 4 and 5 blksize 1468 with a tsize probe aborted after the OACK and
 * restarted (-B changes the block size of either).  Prints one line per
 * request, then the outcome; with -o,
 * each served file is saved as DIR/<path with '/' as '%'>.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "boot/pibootseq.h"

#define OP_RRQ 1
#define OP_DATA 3
#define OP_ACK 4
#define OP_ERROR 5
#define OP_OACK 6

struct client {
	struct sockaddr_in server;
	const char *bind_ip;
	int blksize;		/* 0: no option */
	int tsize;
	int abort_after_oack;
	const char *outdir;
};

struct xfer {
	char *data;
	size_t len, cap;
	int served;
	char errmsg[256];
};

static int
sock_new(const struct client *c)
{
	struct sockaddr_in a;
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (s == -1)
		return -1;
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	if (c->bind_ip != NULL && inet_pton(AF_INET, c->bind_ip, &a.sin_addr) != 1) {
		fprintf(stderr, "pb-tftp: bind address \"%s\" is not IPv4\n",
		    c->bind_ip);
		close(s);
		return -1;
	}
	if (bind(s, (struct sockaddr *)&a, sizeof(a)) == -1) {
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
append(struct xfer *x, const unsigned char *p, size_t n)
{
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

/* One transfer. 0 done (served or refused: see x), -1 transport error. */
static int
fetch1(const struct client *c, const char *file, int tsize, int blksize,
    int abort_oack, struct xfer *x)
{
	unsigned char pkt[65536], req[600];
	struct sockaddr_in peer, tid;
	size_t reqlen;
	ssize_t n;
	long want_size = -1;
	unsigned expect = 1;
	int s, tries, bs = 512, have_tid = 0, rc = -1, sent_req = 0;

	x->len = 0;
	x->served = 0;
	x->errmsg[0] = '\0';
	if (strlen(file) > 500)
		return -1;
	if ((s = sock_new(c)) == -1)
		return -1;
	reqlen = rrq(req, file, tsize, blksize);
	for (tries = 0; tries < 6; ) {
		if (!sent_req) {
			if (sendto(s, req, reqlen, 0, (const struct sockaddr *)&c->server,
			    sizeof(c->server)) == -1) {
				fprintf(stderr, "pb-tftp: send: %s\n", strerror(errno));
				goto out;
			}
			sent_req = 1;
		}
		n = recv_pkt(s, pkt, sizeof(pkt), &peer, 1000);
		if (n == -1)
			goto out;
		if (n == 0) {
			tries++;
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
				fprintf(stderr, "pb-tftp: %s: data instead of "
				    "the OACK to abort\n", file);
				goto out;
			}

			if (blk != (expect & 0xffff)) {
				send_ack(s, &tid, blk);	/* duplicate */
				continue;
			}
			if (append(x, pkt + 4, dl) == -1)
				goto out;
			send_ack(s, &tid, blk);
			expect++;
			if (dl < (size_t)bs) {
				if (want_size >= 0 && (size_t)want_size != x->len) {
					fprintf(stderr, "pb-tftp: %s: tsize %ld but "
					    "%zu bytes came\n", file, want_size,
					    x->len);
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
	fprintf(stderr, "pb-tftp: %s: timed out\n", file);
out:
	close(s);
	return rc;
}

static int
save(const struct client *c, const char *path, const struct xfer *x)
{
	char name[700], *p;
	FILE *f;

	if (c->outdir == NULL)
		return 0;
	snprintf(name, sizeof(name), "%s/%s", c->outdir, path);
	for (p = name + strlen(c->outdir) + 1; *p; p++)
		if (*p == '/')
			*p = '%';
	if ((f = fopen(name, "w")) == NULL ||
	    fwrite(x->data ? x->data : "", 1, x->len, f) != x->len ||
	    fclose(f) == EOF) {
		fprintf(stderr, "pb-tftp: write \"%s\": %s\n", name,
		    strerror(errno));
		return -1;
	}
	return 0;
}

/* As the Pi fetches one file: a Pi 4/5 first asks with tsize and drops
 * the transfer after the OACK, then asks again. */
static int
pi_fetch(void *ctx, const char *path, int want_data, struct pb_fetch *out)
{
	const struct client *c = ctx;
	struct xfer x = { 0 };
	int rc = -1;

	if (c->abort_after_oack &&
	    fetch1(c, path, 1, c->blksize, 1, &x) == -1)
		goto out;
	if (c->abort_after_oack && !x.served) {
		printf("get %s: not served\n", path);
		fprintf(stderr, "pb-tftp: %s: %s\n", path, x.errmsg);
		out->served = 0;
		rc = 0;
		goto out;
	}
	if (fetch1(c, path, c->tsize, c->blksize, 0, &x) == -1)
		goto out;
	out->served = x.served;
	out->size = x.len;
	if (x.served) {
		printf("get %s: %zu bytes\n", path, x.len);
		if (save(c, path, &x) == -1)
			goto out;
		if (want_data) {
			out->data = x.data;
			x.data = NULL;
		}
	} else {
		printf("get %s: not served\n", path);
		fprintf(stderr, "pb-tftp: %s: %s\n", path, x.errmsg);
	}
	rc = 0;
out:
	free(x.data);
	return rc;
}

static void
usage(void)
{
	fprintf(stderr, "usage: pb-tftp [-b BIND_IP] [-p PORT] [-B BLKSIZE] "
	    "[-t] [-a] SERVER get FILE [OUT]\n"
	    "       pb-tftp [-b BIND_IP] [-p PORT] [-o DIR] SERVER replay MODEL "
	    "SERIAL\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	struct client c;
	struct xfer x = { 0 };
	struct pb_err e;
	int ch, port = 69;

	memset(&c, 0, sizeof(c));
	setvbuf(stdout, NULL, _IOLBF, 0);
	while ((ch = getopt(argc, argv, "b:p:B:tao:")) != -1) {
		switch (ch) {
		case 'b': c.bind_ip = optarg; break;
		case 'p': port = atoi(optarg); break;
		case 'B': c.blksize = atoi(optarg); break;
		case 't': c.tsize = 1; break;
		case 'a': c.abort_after_oack = 1; break;
		case 'o': c.outdir = optarg; break;
		default: usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 2 || port <= 0 || port > 65535)
		usage();
	c.server.sin_family = AF_INET;
	c.server.sin_port = htons((uint16_t)port);
	if (inet_pton(AF_INET, argv[0], &c.server.sin_addr) != 1)
		usage();

	if (strcmp(argv[1], "get") == 0 && (argc == 3 || argc == 4)) {
		int tsize = c.tsize || c.abort_after_oack;

		if (c.abort_after_oack) {
			if (fetch1(&c, argv[2], 1, c.blksize, 1, &x) == -1)
				return 3;
			if (!x.served) {
				printf("not served: %s\n", x.errmsg);
				return 1;
			}
			printf("aborted after the OACK: tsize %zu\n", x.len);
		}
		if (fetch1(&c, argv[2], tsize, c.blksize, 0, &x) == -1)
			return 3;
		if (!x.served) {
			printf("not served: %s\n", x.errmsg);
			return 1;
		}
		if (argc == 4) {
			FILE *f = fopen(argv[3], "w");

			if (f == NULL || fwrite(x.data ? x.data : "", 1, x.len, f) !=
			    x.len || fclose(f) == EOF)
				return 3;
		}
		printf("%zu\n", x.len);
		free(x.data);
		return 0;
	}
	if (strcmp(argv[1], "replay") == 0 && argc == 4) {
		const struct pb_pimodel *pm;
		struct pb_serial serial;
		struct pb_bootseq r;
		enum pb_model m;
		size_t i;

		if (pb_model_parse(&m, argv[2], &e) == -1 ||
		    pb_serial_parse(&serial, argv[3], &e) == -1) {
			fprintf(stderr, "pb-tftp: %s\n", e.msg);
			return 2;
		}
		pm = pb_pimodel(m);
		if (pm->loader != PB_LOADER_ROM) {
			if (c.blksize == 0)
				c.blksize = 1468;
			c.tsize = 1;
			c.abort_after_oack = 1;
		}
		if (pb_bootseq_run(pm, &serial, pi_fetch, &c, &r, &e) == -1) {
			fprintf(stderr, "pb-tftp: %s\n", e.msg);
			return 3;
		}
		printf("end: %s", pb_bootseq_end_name(r.end));
		if (r.end == PB_END_BOOTED)
			printf(" kernel=%s initramfs=%s dtb=%s", r.kernel,
			    r.initramfs[0] ? r.initramfs : "-", r.dtb);
		for (i = 0; i < r.nmissing; i++)
			printf(" missing=%s", r.missing[i]);
		printf("\n");
		if (r.cmdline[0] != '\0')
			printf("cmdline: %s\n", r.cmdline);
		if (r.bootable_served)
			printf("bootable files served\n");
		return 0;
	}
	usage();
	return 2;
}

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
#include "tftpc.h"

static int
save(const struct tftpc *c, const char *path, const struct tftpc_xfer *x)
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
	const struct tftpc *c = ctx;
	struct tftpc_xfer x = { 0 };
	int rc = -1;

	if (c->abort_after_oack &&
	    tftpc_fetch(c, path, 1, c->blksize, 1, &x) == -1)
		goto out;
	if (c->abort_after_oack && !x.served) {
		printf("get %s: not served\n", path);
		fprintf(stderr, "pb-tftp: %s: %s\n", path, x.errmsg);
		out->served = 0;
		rc = 0;
		goto out;
	}
	if (tftpc_fetch(c, path, c->tsize, c->blksize, 0, &x) == -1)
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
	struct tftpc c;
	struct tftpc_xfer x = { 0 };
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
			if (tftpc_fetch(&c, argv[2], 1, c.blksize, 1, &x) == -1)
				return 3;
			if (!x.served) {
				printf("not served: %s\n", x.errmsg);
				return 1;
			}
			printf("aborted after the OACK: tsize %zu\n", x.len);
		}
		if (tftpc_fetch(&c, argv[2], tsize, c.blksize, 0, &x) == -1)
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

/* dhcp.c: dnsmasq's --dhcp-script arguments and environment
 * (tftp-hook/dhcp_args.c: what mode_dhcp hands to SQL).  Input: fields
 * separated by NUL bytes: DNSMASQ_VENDOR_CLASS, PUREBOOT_TFTP_ROOT
 * (empty: unset), then argv.  Properties: it never fails otherwise than
 * with a printable reason; an event's every parameter is NULL or valid
 * for its SQL type and column: the action one of add/old/del, a MAC
 * and an IP that parse again to themselves, a hostname, a serial, a
 * size that is the argument's number, printable text of at most 64
 * bytes for the vendor class and the file. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/ident.h"
#include "core/num.h"
#include "dhcp_args.h"
#include "fz.h"

#define ARGS_MAX 8

static void
text(const char *s, const char *what)
{
	if (s == NULL)
		return;
	FZ_ASSERT(*s != '\0' && strlen(s) <= 64 && fz_printable(s), "%s \"%s\"",
	    what, s);
}

static void
lease(const struct dhcp_event *ev, char **argv)
{
	struct pb_err e;
	struct pb_mac m;
	struct pb_ip ip;
	struct pb_hostname h;

	FZ_ASSERT(ev->nparams == 5, "lease with %d parameters", ev->nparams);
	FZ_ASSERT(strcmp(ev->vals[0], "add") == 0 || strcmp(ev->vals[0], "old") == 0
	    || strcmp(ev->vals[0], "del") == 0, "action %s", ev->vals[0]);
	FZ_ASSERT(pb_mac_parse(&m, ev->vals[1], &e) == 0 &&
	    strcmp(m.s, ev->vals[1]) == 0 && pb_mac_parse(&m, argv[1], &e) == 0 &&
	    strcmp(m.s, ev->vals[1]) == 0, "mac %s", ev->vals[1]);
	FZ_ASSERT(pb_ip_parse(&ip, ev->vals[2], &e) == 0 &&
	    strcmp(ip.s, ev->vals[2]) == 0, "ip %s", ev->vals[2]);
	text(ev->vals[3], "vendor class");
	if (ev->vals[4] != NULL)
		FZ_ASSERT(pb_hostname_parse(&h, ev->vals[4], &e) == 0 &&
		    strcmp(h.s, ev->vals[4]) == 0, "hostname %s", ev->vals[4]);
}

static void
tftp(const struct dhcp_event *ev, char **argv)
{
	struct pb_err e;
	struct pb_serial s;
	struct pb_mac m;
	struct pb_ip ip;
	int sz, sz2;

	FZ_ASSERT(ev->nparams == 6 && ev->vals[5] == NULL, "tftp parameters");
	FZ_ASSERT(pb_int_parse(&sz, ev->vals[0], 0, INT_MAX, "size", &e) == 0 &&
	    pb_int_parse(&sz2, argv[1], 0, INT_MAX, "size", &e) == 0 &&
	    sz == sz2, "size %s of %s", ev->vals[0], argv[1]);
	FZ_ASSERT(pb_ip_parse(&ip, ev->vals[1], &e) == 0 &&
	    strcmp(ip.s, ev->vals[1]) == 0, "ip %s", ev->vals[1]);
	if (ev->vals[2] != NULL)
		FZ_ASSERT(pb_serial_parse(&s, ev->vals[2], &e) == 0 &&
		    strstr(argv[3], ev->vals[2]) != NULL, "serial %s", ev->vals[2]);
	if (ev->vals[3] != NULL)
		FZ_ASSERT(pb_mac_parse(&m, ev->vals[3], &e) == 0 &&
		    strcmp(m.s, ev->vals[3]) == 0, "mac %s", ev->vals[3]);
	FZ_ASSERT(ev->vals[4] != NULL, "tftp event without a file");
	text(ev->vals[4], "file");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *f[ARGS_MAX + 2], *buf;
	struct dhcp_event ev;
	struct pb_err e;
	size_t n = fz_split(data, size, '\0', f, ARGS_MAX + 2, &buf);
	int rc;

	if (n < 3) {
		free(buf);
		return 0;
	}
	rc = dhcp_args_parse(&ev, (int)(n - 2), f + 2, f[0],
	    f[1][0] != '\0' ? f[1] : NULL, &e);
	FZ_ASSERT(rc >= -1 && rc <= 1, "rc %d", rc);
	if (rc == -1)
		fz_check_refusal(&e, "dhcp-script");
	else if (rc == 1 && ev.kind == DHCP_LEASE)
		lease(&ev, f + 2);
	else if (rc == 1)
		tftp(&ev, f + 2);
	free(buf);
	return 0;
}

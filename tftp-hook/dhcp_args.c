/* dhcp_args.c: --dhcp-script arguments into event parameters (pure).
 * Every value is parsed into a validated type or dropped. */
#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "core/num.h"
#include "dhcp_args.h"

#define Q(buf, s) (pb_quote((buf), sizeof(buf), (s), 60), (buf))

/* Printable ASCII only, at most 64 bytes; NULL when nothing is left. */
static const char *
clean(char *out, size_t size, const char *in)
{
	size_t o = 0;

	if (in == NULL)
		return NULL;
	for (; *in != '\0' && o + 1 < size && o < 64; in++)
		if (isprint((unsigned char)*in))
			out[o++] = *in;
	out[o] = '\0';
	return o > 0 ? out : NULL;
}

void
dhcp_path_ids(const char *path, const char *root, char serial[9],
    char mac[18], const char **file)
{
	struct pb_serial s;
	struct pb_mac m;
	char comp[64];
	const char *p = path, *slash;
	size_t n;

	serial[0] = mac[0] = '\0';
	*file = path;
	if (root != NULL && (n = strlen(root)) > 0 && strncmp(path, root, n) == 0 &&
	    path[n] == '/')
		*file = p = path + n + 1;
	while ((slash = strchr(p, '/')) != NULL) {
		n = (size_t)(slash - p);
		if (n < sizeof(comp)) {
			memcpy(comp, p, n);
			comp[n] = '\0';
			if (pb_serial_parse(&s, comp, NULL) == 0)
				memcpy(serial, s.s, 9);
			else if (pb_mac_parse(&m, comp, NULL) == 0)
				memcpy(mac, m.s, 18);
		}
		p = slash + 1;
	}
}

static int
lease(struct dhcp_event *ev, int argc, char *const *argv, const char *vendor,
    struct pb_err *e)
{
	struct pb_err why;
	char q[128];

	if (argc < 3 || pb_mac_parse(&ev->mac, argv[1], &why) == -1 ||
	    pb_ip_parse(&ev->ip, argv[2], &why) == -1)
		return pb_fail(e, "%s: %s", Q(q, argv[0]),
		    argc < 3 ? "too few arguments" : why.msg);
	ev->kind = DHCP_LEASE;
	ev->vals[0] = argv[0];
	ev->vals[1] = ev->mac.s;
	ev->vals[2] = ev->ip.s;
	ev->vals[3] = clean(ev->vendor, sizeof(ev->vendor), vendor);
	ev->vals[4] = argc > 3 &&
	    pb_hostname_parse(&ev->host, argv[3], NULL) == 0 ? ev->host.s : NULL;
	ev->nparams = 5;
	return 1;
}

static int
tftp(struct dhcp_event *ev, int argc, char *const *argv, const char *root,
    struct pb_err *e)
{
	struct pb_err why;
	const char *f;
	int sz;

	if (argc < 4 || pb_ip_parse(&ev->ip, argv[2], &why) == -1)
		return pb_fail(e, "tftp: %s", argc < 4 ? "too few arguments" :
		    why.msg);
	/* Decimal digits only: strtoull would take "-1" as 2^64-1 and
	 * "+1" or " 1" as 1. */
	if (pb_int_parse(&sz, argv[1], 0, INT_MAX, "size", &why) == -1)
		return pb_fail(e, "tftp: %s", why.msg);
	snprintf(ev->size, sizeof(ev->size), "%d", sz);
	dhcp_path_ids(argv[3], root, ev->serial, ev->macs, &f);
	if (clean(ev->file, sizeof(ev->file), f) == NULL)
		return 0;
	ev->kind = DHCP_TFTP;
	ev->vals[0] = ev->size;
	ev->vals[1] = ev->ip.s;
	ev->vals[2] = ev->serial[0] ? ev->serial : NULL;
	ev->vals[3] = ev->macs[0] ? ev->macs : NULL;
	ev->vals[4] = ev->file;
	ev->vals[5] = NULL;
	ev->nparams = 6;
	return 1;
}

int
dhcp_args_parse(struct dhcp_event *ev, int argc, char *const *argv,
    const char *vendor, const char *root, struct pb_err *e)
{
	memset(ev, 0, sizeof(*ev));
	if (argc < 1)
		return 0;
	if (strcmp(argv[0], "add") == 0 || strcmp(argv[0], "old") == 0 ||
	    strcmp(argv[0], "del") == 0)
		return lease(ev, argc, argv, vendor, e);
	if (strcmp(argv[0], "tftp") == 0)
		return tftp(ev, argc, argv, root, e);
	return 0;	/* init, arp-add, ...: nothing to record */
}

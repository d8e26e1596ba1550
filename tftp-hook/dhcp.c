/* dhcp.c: dnsmasq's --dhcp-script.
 *
 *   add|old|del MAC IP [HOSTNAME]   (env DNSMASQ_VENDOR_CLASS, ...)
 *   tftp SIZE CLIENT_IP PATH        (PATH as resolved on disk)
 *
 * dnsmasq runs the script synchronously: this must be quick and must
 * never fail, whatever the environment holds.  Every value is parsed
 * into a validated type or dropped; the event goes to the database in
 * one call (sql/020-hook-events.sql); any problem is one log line on
 * stderr (dnsmasq logs it) and exit status 0. */
#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/num.h"
#include "hook.h"

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

/* The client's MAC from the kernel's neighbour table (/proc/net/arp of
 * dnsmasq's network namespace, which the script shares): dnsmasq has
 * just talked to it.  "" when not there or incomplete. */
static void
arp_mac(const char *ip, char out[18])
{
	char line[256], a[64], hw[64], flags[16];
	struct pb_mac m;
	FILE *f;

	out[0] = '\0';
	if ((f = fopen("/proc/net/arp", "r")) == NULL)
		return;
	while (fgets(line, sizeof(line), f) != NULL) {
		/* IP address, HW type, Flags, HW address, Mask, Device */
		if (sscanf(line, "%63s %*s %15s %63s", a, flags, hw) != 3 ||
		    strcmp(a, ip) != 0 || strcmp(flags, "0x0") == 0)
			continue;
		if (pb_mac_parse(&m, hw, NULL) == 0 &&
		    strcmp(m.s, "00:00:00:00:00:00") != 0)
			memcpy(out, m.s, 18);
		break;
	}
	fclose(f);
}

/* The serial or MAC directory a TFTP path went through. */
static void
path_ids(const char *path, const char *root, char serial[9], char mac[18],
    const char **file)
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

int
mode_dhcp(int argc, char **argv)
{
	const char *vals[6] = { NULL };
	struct pb_mac mac;
	struct pb_ip ip;
	struct pb_hostname host;
	struct pb_err e;
	char q[128], vendor[80], size[24], serial[9], macs[18], file[256];
	char cmac[18];
	const char *f, *sql;
	PGconn *db = NULL;
	PGresult *r = NULL;
	int sz;
	int nparams;

	if (argc < 1)
		return 0;
	if (strcmp(argv[0], "add") == 0 || strcmp(argv[0], "old") == 0 ||
	    strcmp(argv[0], "del") == 0) {
		if (argc < 3 || pb_mac_parse(&mac, argv[1], &e) == -1 ||
		    pb_ip_parse(&ip, argv[2], &e) == -1) {
			hook_log("dhcp-script: %s: %s", Q(q, argv[0]),
			    argc < 3 ? "too few arguments" : e.msg);
			return 0;
		}
		vals[0] = argv[0];
		vals[1] = mac.s;
		vals[2] = ip.s;
		vals[3] = clean(vendor, sizeof(vendor), getenv("DNSMASQ_VENDOR_CLASS"));
		vals[4] = argc > 3 && pb_hostname_parse(&host, argv[3], NULL) == 0 ?
		    host.s : NULL;
		sql = "SELECT pureboot.hook_dhcp_event($1, $2::macaddr, $3::inet, "
		    "$4, $5)";
		nparams = 5;
	} else if (strcmp(argv[0], "tftp") == 0) {
		if (argc < 4 || pb_ip_parse(&ip, argv[2], &e) == -1) {
			hook_log("dhcp-script: tftp: %s", argc < 4 ?
			    "too few arguments" : e.msg);
			return 0;
		}
		/* Decimal digits only: strtoull would take "-1" as 2^64-1
		 * and "+1" or " 1" as 1. */
		if (pb_int_parse(&sz, argv[1], 0, INT_MAX, "size", &e) == -1) {
			hook_log("dhcp-script: tftp: %s", e.msg);
			return 0;
		}
		snprintf(size, sizeof(size), "%d", sz);
		path_ids(argv[3], getenv("PUREBOOT_TFTP_ROOT"), serial, macs, &f);
		if (clean(file, sizeof(file), f) == NULL)
			return 0;
		vals[0] = size;
		vals[1] = ip.s;
		vals[2] = serial[0] ? serial : NULL;
		vals[3] = macs[0] ? macs : NULL;
		vals[4] = file;
		arp_mac(ip.s, cmac);
		vals[5] = cmac[0] ? cmac : NULL;
		sql = "SELECT pureboot.hook_tftp_event($1::bigint, $2::inet, $3, "
		    "$4::macaddr, $5, $6::macaddr)";
		nparams = 6;
	} else
		return 0;	/* init, arp-add, ...: nothing to record */

	/* Never hold dnsmasq up for long: its script runs synchronously. */
	setenv("PGCONNECT_TIMEOUT", "2", 0);
	if ((db = db_connect_timeout(getenv("PUREBOOT_DB"), 2000, &e)) == NULL) {
		hook_log("dhcp-script: %s", e.msg);
		return 0;
	}
	r = PQexecParams(db, sql, nparams, NULL, vals, NULL, NULL, 0);
	if (PQresultStatus(r) != PGRES_TUPLES_OK)
		hook_log("dhcp-script: %s: %s", argv[0], PQerrorMessage(db));
	PQclear(r);
	PQfinish(db);
	return 0;
}

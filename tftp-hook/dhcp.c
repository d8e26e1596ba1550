/* dhcp.c: dnsmasq's --dhcp-script.
 *
 *   add|old|del MAC IP [HOSTNAME]   (env DNSMASQ_VENDOR_CLASS, ...)
 *   tftp SIZE CLIENT_IP PATH        (PATH as resolved on disk)
 *
 * dnsmasq runs the script synchronously: this must be quick and must
 * never fail, whatever the environment holds.  Every value is parsed
 * into a validated type or dropped (dhcp_args.c, pure); the event goes
 * to the database in one call (sql/020-hook-events.sql); any problem is
 * one log line on stderr (dnsmasq logs it) and exit status 0. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/ident.h"
#include "dhcp.h"
#include "dhcp_args.h"
#include "db.h"
#include "log.h"

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

int
mode_dhcp(int argc, char **argv)
{
	struct dhcp_event ev;
	struct pb_err e;
	char cmac[18];
	const char *sql;
	PGconn *db = NULL;
	PGresult *r = NULL;
	int rc;

	rc = dhcp_args_parse(&ev, argc, argv, getenv("DNSMASQ_VENDOR_CLASS"),
	    getenv("PUREBOOT_TFTP_ROOT"), &e);
	if (rc == -1)
		hook_log("dhcp-script: %s", e.msg);
	if (rc != 1)
		return 0;
	if (ev.kind == DHCP_LEASE)
		sql = "SELECT pureboot.hook_dhcp_event($1, $2::macaddr, $3::inet, "
		    "$4, $5)";
	else {
		arp_mac(ev.ip.s, cmac);
		ev.vals[5] = cmac[0] ? cmac : NULL;
		sql = "SELECT pureboot.hook_tftp_event($1::bigint, $2::inet, $3, "
		    "$4::macaddr, $5, $6::macaddr)";
	}

	/* Never hold dnsmasq up for long: its script runs synchronously. */
	setenv("PGCONNECT_TIMEOUT", "2", 0);
	if ((db = db_connect_timeout(getenv("PUREBOOT_DB"), 2000, &e)) == NULL) {
		hook_log("dhcp-script: %s", e.msg);
		return 0;
	}
	r = PQexecParams(db, sql, ev.nparams, NULL, ev.vals, NULL, NULL, 0);
	if (PQresultStatus(r) != PGRES_TUPLES_OK)
		hook_log("dhcp-script: %s: %s", argv[0], PQerrorMessage(db));
	PQclear(r);
	PQfinish(db);
	return 0;
}

/* dhcp_args.h: dnsmasq's --dhcp-script arguments and environment,
 * parsed into the SQL parameters of one event (dhcp_args.c).  Pure: the
 * caller passes the environment in and does the I/O (dhcp.c). */
#ifndef PB_HOOK_DHCP_ARGS_H
#define PB_HOOK_DHCP_ARGS_H

#include "core/err.h"
#include "core/ident.h"

enum dhcp_kind { DHCP_LEASE, DHCP_TFTP };

/* One event; vals point into the struct itself or at argv[0]. */
struct dhcp_event {
	enum dhcp_kind kind;
	int nparams;
	/* lease: action, mac, ip, vendor class, hostname;
	 * tftp: size, client ip, serial, mac, file, (client mac: dhcp.c) */
	const char *vals[6];
	struct pb_mac mac;
	struct pb_ip ip;
	struct pb_hostname host;
	char vendor[80], size[24], serial[9], macs[18], file[256];
};

/* argv as dnsmasq gives it (without the program name), vendor its
 * DNSMASQ_VENDOR_CLASS and root PUREBOOT_TFTP_ROOT (either NULL).
 * 1: an event to record; 0: nothing to record (another action, or a
 * TFTP path with no printable byte); -1: refused, with the log line's
 * text in e ("add: mac \"x\" is not ...", "tftp: too few arguments"). */
int dhcp_args_parse(struct dhcp_event *ev, int argc, char *const *argv,
    const char *vendor, const char *root, struct pb_err *e);

/* The serial or MAC directory a TFTP path went through (each "" when
 * none) and the path below root (or path itself). */
void dhcp_path_ids(const char *path, const char *root, char serial[9],
    char mac[18], const char **file);

#endif

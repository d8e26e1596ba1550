/* netlookup.c: the config file names U-Boot's pxe command and GRUB's
 * net config search try, in their order (pure).  The tests replay
 * them against the tree and check the fence through them. */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "boot/netboot.h"
#include "core/chars.h"

/* The IPv4 address as 8 upper-case hex digits; -1 when not a quad. */
static int
ip_hex(const char *ip, char hex[9], struct pb_err *e)
{
	struct in_addr a;
	unsigned char *b = (unsigned char *)&a.s_addr;
	char q[64];

	if (inet_pton(AF_INET, ip, &a) != 1)
		return pb_fail(e, "lookup: ip \"%s\" is not an IPv4 address",
		    (pb_quote(q, sizeof(q), ip, 40), q));
	snprintf(hex, 9, "%02X%02X%02X%02X", b[0], b[1], b[2], b[3]);
	return 0;
}

/* A name part (arch, soc, board) as U-Boot's build gives it. */
static int
part_ok(const char *what, const char *v, struct pb_err *e)
{
	return v == NULL ? 0 : pb_check_filename(what, v, e);
}

int
pb_netboot_lookup(enum pb_loader l, const struct pb_mac *m, const char *ip,
    const char *arch, const char *soc, const char *board,
    char out[PB_LOOKUP_MAX][PB_LOOKUP_LEN], struct pb_err *e)
{
	const char *dir = l == PB_LOADER_UBOOT ? "pxelinux.cfg/" :
	    "grub/grub.cfg-";
	char d[18], hex[9];
	int n = 0, i;

	if (ip != NULL && ip_hex(ip, hex, e) == -1)
		return -1;
	if (part_ok("lookup: arch", arch, e) == -1 ||
	    part_ok("lookup: soc", soc, e) == -1 ||
	    part_ok("lookup: board", board, e) == -1)
		return -1;
	pb_mac_dir(m, d);
	snprintf(out[n++], PB_LOOKUP_LEN, "%s01-%s", dir, d);
	for (i = 8; ip != NULL && i > 0; i--)
		snprintf(out[n++], PB_LOOKUP_LEN, "%s%.*s", dir, i, hex);
	if (l == PB_LOADER_GRUB) {
		snprintf(out[n++], PB_LOOKUP_LEN, "grub/grub.cfg");
		return n;
	}
	/* U-Boot: pxe_utils.c's pxelinux_configfile order. */
	if (arch != NULL && soc != NULL && board != NULL)
		snprintf(out[n++], PB_LOOKUP_LEN, "%sdefault-%s-%s-%s", dir,
		    arch, soc, board);
	if (arch != NULL && soc != NULL)
		snprintf(out[n++], PB_LOOKUP_LEN, "%sdefault-%s-%s", dir, arch,
		    soc);
	if (arch != NULL)
		snprintf(out[n++], PB_LOOKUP_LEN, "%sdefault-%s", dir, arch);
	snprintf(out[n++], PB_LOOKUP_LEN, "%sdefault", dir);
	return n;
}

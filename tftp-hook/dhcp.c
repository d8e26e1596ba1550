/* dhcp.c: dnsmasq's --dhcp-script (filled in below). */
#include "hook.h"

int
mode_dhcp(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

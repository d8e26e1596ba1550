/* dhcp.h: dnsmasq's --dhcp-script (dhcp.c). */
#ifndef PB_HOOK_DHCP_H
#define PB_HOOK_DHCP_H

int mode_dhcp(int argc, char **argv);

#endif

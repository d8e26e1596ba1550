/* netboot_in.h: the checks both netboot renderers make (pure), for
 * render_pxelinux.c and render_grub.c only. */
#ifndef PB_NETBOOT_IN_H
#define PB_NETBOOT_IN_H

#include "boot/netboot.h"

/* in is good for file ("pxelinux.cfg") and the output buffer buf has
 * room (emptied here): its comment, and for PB_NB_DEPLOY its paths and
 * its command line, rendered into cmd without the newline. */
int pb_netboot_check(const char *file, const struct pb_netboot_in *in,
    char *buf, size_t size, char *cmd, size_t cmdsize, struct pb_err *e);

#endif

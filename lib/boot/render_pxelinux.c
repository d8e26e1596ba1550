/* render_pxelinux.c: a pxelinux.cfg file for U-Boot's pxe command
 * (pure).  One label only: U-Boot tries every other label of the file
 * when the chosen one fails, so a second label would be a way around
 * the fence. */
#include <stdio.h>

#include "boot/netboot.h"
#include "boot/netboot_in.h"
#include "boot/render_out.h"

ssize_t
pb_render_pxelinux(char *buf, size_t size, const struct pb_netboot_in *in,
    struct pb_err *e)
{
	struct pb_out o = { buf, size, 0, 0 };
	char cmd[1024];

	if (pb_netboot_check("pxelinux.cfg", in, buf, size, cmd, sizeof(cmd),
	    e) == -1)
		return -1;
	pb_out_printf(&o, "# PureBoot-Pi: %s\n", in->what);
	pb_out_printf(&o, "# Written by pureboot-tftp-hook from the database; "
	    "changes here are overwritten.\n");
	if (in->kind == PB_NB_LOCAL) {
		/* U-Boot runs $localcmd when the board sets one, else the
		 * pxe command returns and the boot goes on to the next
		 * boot target: local storage. */
		pb_out_printf(&o, "DEFAULT local\nPROMPT 0\n");
		pb_out_printf(&o, "LABEL local\n\tLOCALBOOT 0\n");
	} else {
		pb_out_printf(&o, "DEFAULT pureboot\nPROMPT 0\n");
		pb_out_printf(&o, "LABEL pureboot\n");
		pb_out_printf(&o, "\tKERNEL %s\n", in->kernel);
		pb_out_printf(&o, "\tINITRD %s\n", in->initrd);
		if (in->fdt != NULL)
			pb_out_printf(&o, "\tFDT %s\n", in->fdt);
		if (in->fdtdir != NULL)
			pb_out_printf(&o, "\tFDTDIR %s\n", in->fdtdir);
		pb_out_printf(&o, "\tAPPEND %s\n", cmd);
	}
	if (o.full)
		return pb_fail(e, "pxelinux.cfg: longer than %zu bytes",
		    size - 1);
	return (ssize_t)o.len;
}

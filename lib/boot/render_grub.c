/* render_grub.c: grub.cfg files for GRUB netboot (pure).  No menu
 * entries: the commands run in order, so there is nothing else to
 * choose. */
#include <stdio.h>

#include "boot/netboot.h"
#include "boot/netboot_in.h"
#include "boot/render_out.h"

#define HEAD "# Written by pureboot-tftp-hook from the database; " \
	"changes here are overwritten.\n"

/* in is good for a grub.cfg: GRUB takes one DTB, never a directory. */
static int
check(const struct pb_netboot_in *in, char *buf, size_t size, char *cmd,
    size_t cmdsize, struct pb_err *e)
{
	if (in->fdtdir != NULL) {
		if (size > 0)
			buf[0] = '\0';
		return pb_fail(e, "grub.cfg: GRUB has no DTB directory: name "
		    "the DTB");
	}
	return pb_netboot_check("grub.cfg", in, buf, size, cmd, cmdsize, e);
}

/* The commands of in, after the checks. */
static void
body(struct pb_out *o, const struct pb_netboot_in *in, const char *cmd)
{
	if (in->kind == PB_NB_LOCAL) {
		/* Back to the firmware, which boots its next entry. */
		pb_out_printf(o, "exit\n");
		return;
	}
	pb_out_printf(o, "linux /%s %s\n", in->kernel, cmd);
	pb_out_printf(o, "initrd /%s\n", in->initrd);
	if (in->fdt != NULL)
		pb_out_printf(o, "devicetree /%s\n", in->fdt);
	pb_out_printf(o, "boot\n");
}

ssize_t
pb_render_grub(char *buf, size_t size, const struct pb_netboot_in *in,
    struct pb_err *e)
{
	struct pb_out o = { buf, size, 0, 0 };
	char cmd[1024];

	if (check(in, buf, size, cmd, sizeof(cmd), e) == -1)
		return -1;
	pb_out_printf(&o, "# PureBoot-Pi: %s\n" HEAD, in->what);
	pb_out_printf(&o, "set timeout=0\nset pb_node=1\n");
	body(&o, in, cmd);
	if (o.full)
		return pb_fail(e, "grub.cfg: longer than %zu bytes", size - 1);
	return (ssize_t)o.len;
}

ssize_t
pb_render_grub_root(char *buf, size_t size,
    const struct pb_netboot_in *fallback, struct pb_err *e)
{
	struct pb_out o = { buf, size, 0, 0 };
	char cmd[1024];

	if (check(fallback, buf, size, cmd, sizeof(cmd), e) == -1)
		return -1;
	pb_out_printf(&o, "# PureBoot-Pi: the GRUB netboot root; %s\n" HEAD,
	    fallback->what);
	pb_out_printf(&o, "set timeout=0\n");
	/* GRUB prints $net_default_mac as 52:54:00:12:34:56; the hook
	 * names the per-MAC file with dashes, as GRUB's own net search
	 * would (Debian's 2.06 build does none: it reads this file
	 * first).  source, not a test: "[ -f ]" is always false on
	 * (tftp), which lists no directory; a file that is not there is
	 * an error and the script goes on.  The node's own file sets
	 * pb_node, so that once it was read (an exit never returns; a
	 * boot that fails does) the fallback never runs. */
	pb_out_printf(&o, "set pb_node=\n");
	pb_out_printf(&o, "if regexp --set=1:m1 --set=2:m2 --set=3:m3 "
	    "--set=4:m4 --set=5:m5 --set=6:m6 "
	    "'^([0-9a-f]{2}):([0-9a-f]{2}):([0-9a-f]{2}):([0-9a-f]{2}):"
	    "([0-9a-f]{2}):([0-9a-f]{2})$' \"$net_default_mac\"; then\n");
	pb_out_printf(&o, "\tsource \"$prefix/grub.cfg-01-$m1-$m2-$m3-$m4-"
	    "$m5-$m6\"\n");
	pb_out_printf(&o, "fi\n");
	pb_out_printf(&o, "if [ -z \"$pb_node\" ]; then\n");
	body(&o, fallback, cmd);
	pb_out_printf(&o, "fi\n");
	if (o.full)
		return pb_fail(e, "grub.cfg: longer than %zu bytes", size - 1);
	return (ssize_t)o.len;
}

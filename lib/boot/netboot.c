/* netboot.c: the state rule, file names and checked inputs shared by
 * the pxelinux and GRUB renderers (pure). */
#include <stdio.h>
#include <string.h>

#include "boot/netboot.h"
#include "boot/netboot_in.h"
#include "core/boot_action.h"
#include "core/chars.h"

enum pb_netboot_kind
pb_netboot_kind(const char *state, int nfs)
{
	const struct pb_boot_state *s = state ? pb_boot_state(state) : NULL;

	if (s == NULL || (s->cls == PB_BOOT_RUN && !nfs))
		return PB_NB_LOCAL;
	return PB_NB_DEPLOY;
}

void
pb_pxelinux_name(const struct pb_mac *m, char out[21])
{
	char d[18];

	pb_mac_dir(m, d);
	snprintf(out, 21, "01-%s", d);
}

void
pb_grub_name(const struct pb_mac *m, char out[30])
{
	char d[18];

	pb_mac_dir(m, d);
	snprintf(out, 30, "grub.cfg-01-%s", d);
}

int
pb_netboot_check(const char *file, const struct pb_netboot_in *in,
    char *buf, size_t size, char *cmd, size_t cmdsize, struct pb_err *e)
{
	char w[32];
	ssize_t n;

	if (size == 0)
		return pb_fail(e, "%s: no room", file);
	buf[0] = '\0';
	if (pb_check_comment(file, in->what, e) == -1)
		return -1;
	if (in->kind == PB_NB_LOCAL)
		return 0;
	if (in->kind != PB_NB_DEPLOY)
		return pb_fail(e, "%s: unknown kind %d", file, (int)in->kind);
	if (in->cmdline == NULL)
		return pb_fail(e, "%s: the kernel command line is missing", file);
	if (in->fdt != NULL && in->fdtdir != NULL)
		return pb_fail(e, "%s: both a DTB and a DTB directory", file);
#define PATH(what, v) (snprintf(w, sizeof(w), "%s: %s", file, what), \
	pb_check_relpath(w, v, e))
	if (PATH("kernel", in->kernel) == -1 ||
	    PATH("initrd", in->initrd) == -1 ||
	    (in->fdt != NULL && PATH("fdt", in->fdt) == -1) ||
	    (in->fdtdir != NULL && PATH("fdtdir", in->fdtdir) == -1))
		return -1;
#undef PATH
	if (in->board == NULL)
		return pb_fail(e, "%s: the board's console is missing", file);
	if ((n = pb_render_cmdline_board(cmd, cmdsize, in->cmdline, in->board,
	    e)) < 0)
		return -1;
	cmd[n - 1] = '\0';	/* its newline */
	return 0;
}

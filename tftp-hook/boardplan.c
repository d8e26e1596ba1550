/* boardplan.c: what the tree must hold for a U-Boot or UEFI board (a
 * node named by its MAC, docs/boards.md), and the boards' root files
 * (no writes).  Per node, pxelinux.cfg/01-<mac> and grub/grub.cfg-01-
 * <mac> (both, whichever way the node boots: a board that is not what
 * the database says still finds its own file first), and for a node
 * that must boot locally the empty MAC dir as for a Pi (dnsmasq serves
 * it nothing at all).  The renderers are lib/boot/netboot.h's. */
#include <stdio.h>
#include <string.h>

#include "plan.h"
#include "boot/netboot.h"
#include "boot/uimage.h"
#include "core/ident.h"

#define KERNEL "deploy-arm64/Image"
#define INITRD "deploy-arm64/initramfs.img"
#define DTBS "dtbs/"

/* A board node without a board, and the discovery boot of an unknown
 * board: QEMU's and most SBSA machines' PL011. */
#define CONSOLE_DEFAULT "ttyAMA0"

/* One file of p, rendered by r (pb_render_pxelinux or pb_render_grub). */
static int
add_rendered(struct plan *p, const char *name,
    ssize_t (*r)(char *, size_t, const struct pb_netboot_in *,
    struct pb_err *), const struct pb_netboot_in *in)
{
	struct ent *en;
	struct pb_err e;
	ssize_t n;

	if (p->nfiles == PLAN_MAXFILES)
		return plan_skip_msg(p, "plan: no room for a board file");
	en = &p->files[p->nfiles];
	memset(en, 0, sizeof(*en));
	snprintf(en->name, sizeof(en->name), "%s", name);
	if ((n = r(en->data, sizeof(en->data), in, &e)) < 0)
		return plan_skip_msg(p, e.msg);
	en->len = (size_t)n;
	p->nfiles++;
	return 0;
}

/* Both files of a node from in. */
static int
add_both(struct plan *p, const struct pb_mac *mac,
    const struct pb_netboot_in *in)
{
	char file[30], name[48];

	pb_pxelinux_name(mac, file);
	snprintf(name, sizeof(name), "pxelinux.cfg/%s", file);
	if (add_rendered(p, name, pb_render_pxelinux, in) == -1 ||
	    p->kind == PLAN_SKIP)
		return 0;
	pb_grub_name(mac, file);
	snprintf(name, sizeof(name), "grub/%s", file);
	return add_rendered(p, name, pb_render_grub, in);
}

void
plan_board_names(const char *macdir, char pxe[HOOK_NAME_MAX],
    char grub[HOOK_NAME_MAX])
{
	snprintf(pxe, HOOK_NAME_MAX, "pxelinux.cfg/01-%s", macdir);
	snprintf(grub, HOOK_NAME_MAX, "grub/grub.cfg-01-%s", macdir);
}

int
plan_board(const struct env *env, const struct node_row *row, struct plan *p,
    struct pb_wf_node *wn)
{
	struct pb_cmdline_board board;
	struct pb_cmdline_in lin;
	struct pb_netboot_in in;
	char what[96], fdt[160];
	int nfsboot;

	if (row->mac == NULL || pb_mac_parse(&wn->mac, row->mac, NULL) == -1)
		return plan_skip(p, "mac", row->mac, "is not a MAC address");
	pb_mac_dir(&wn->mac, p->macdir);
	memcpy(p->boardmac, p->macdir, sizeof(p->boardmac));
	nfsboot = row->install_method != NULL &&
	    strcmp(row->install_method, "nfs") == 0;
	/* The board's name is a slug (pureboot.boards), the MAC is ours:
	 * the comment check refuses anything else. */
	snprintf(what, sizeof(what), "node %s (%.64s)", wn->mac.s,
	    row->board != NULL ? row->board : "no board");
	memset(&in, 0, sizeof(in));
	in.what = what;
	in.kind = pb_netboot_kind(row->state, nfsboot);
	if (in.kind == PB_NB_LOCAL) {
		p->kind = PLAN_FENCE;
		if (add_both(p, &wn->mac, &in) == -1 || p->kind == PLAN_SKIP)
			return 0;
		/* After its files: the MAC dir is the second layer. */
		(void)plan_add_dir(p, p->macdir);
		return 0;
	}
	if (plan_node_values(env, row, p, wn) == -1 || p->kind == PLAN_SKIP)
		return 0;
	memset(&lin, 0, sizeof(lin));
	lin.mode = nfsboot ? PB_MODE_NFS : PB_MODE_INSTALL;
	lin.server = env->server;
	lin.state = row->state;
	lin.node_id = &wn->id;
	lin.mac = &wn->mac;
	lin.hostname = row->hostname != NULL ? &wn->hostname : NULL;
	if (nfsboot) {
		if (plan_nfs(row, p, wn) == -1 || p->kind == PLAN_SKIP)
			return 0;
		lin.nfs_server = p->nfs.server;
		lin.nfs_path = p->nfs.path;
		lin.nfs_options = p->nfs.options;
	}
	board.console = row->console != NULL ? row->console : CONSOLE_DEFAULT;
	board.extra = row->cmdline_extra;
	in.kernel = KERNEL;
	in.initrd = INITRD;
	if (row->dtb != NULL) {
		snprintf(fdt, sizeof(fdt), DTBS "%.140s", row->dtb);
		in.fdt = fdt;
	}
	in.cmdline = &lin;
	in.board = &board;
	p->kind = PLAN_BOOT;
	return add_both(p, &wn->mac, &in);
}

/* boot.scr.uimg: conf/u-boot/boot.cmd, compiled in (bootscr.c). */
static int
boot_script(struct ent *en, struct pb_err *e)
{
	ssize_t n;

	memset(en, 0, sizeof(*en));
	snprintf(en->name, sizeof(en->name), "boot.scr.uimg");
	if ((n = pb_uimage_script((unsigned char *)en->data, sizeof(en->data),
	    hook_boot_cmd, strlen(hook_boot_cmd), "PureBoot-Pi boot script",
	    e)) < 0)
		return -1;
	en->len = (size_t)n;
	return 0;
}

int
plan_board_root(const struct env *env, struct ent *ents, size_t max,
    size_t *n, struct pb_err *e)
{
	struct pb_cmdline_board board = { CONSOLE_DEFAULT, NULL };
	struct pb_cmdline_in lin;
	struct pb_netboot_in in;
	ssize_t len;

	if (max < PLAN_BOARD_ROOT)
		return pb_fail(e, "boards' root: no room");
	memset(&in, 0, sizeof(in));
	memset(&lin, 0, sizeof(lin));
	memset(ents, 0, PLAN_BOARD_ROOT * sizeof(*ents));
	if (env->discovery) {
		if (env->server[0] == '\0')
			return pb_fail(e, "boards' discovery root: the server_url "
			    "setting is missing or bad");
		lin.mode = PB_MODE_DISCOVERY;
		lin.server = env->server;
		in.what = "discovery for boards not in the database";
		in.kind = PB_NB_DEPLOY;
		in.kernel = KERNEL;
		in.initrd = INITRD;
		in.cmdline = &lin;
		in.board = &board;
	} else {
		in.what = "discovery is off: nothing to boot";
		in.kind = PB_NB_LOCAL;
	}
	snprintf(ents[0].name, sizeof(ents[0].name), "pxelinux.cfg/default");
	if ((len = pb_render_pxelinux(ents[0].data, sizeof(ents[0].data), &in,
	    e)) < 0)
		return -1;
	ents[0].len = (size_t)len;
	snprintf(ents[1].name, sizeof(ents[1].name), "grub/grub.cfg");
	if ((len = pb_render_grub_root(ents[1].data, sizeof(ents[1].data), &in,
	    e)) < 0)
		return -1;
	ents[1].len = (size_t)len;
	if (boot_script(&ents[2], e) == -1)
		return -1;
	*n = PLAN_BOARD_ROOT;
	return 0;
}

/* netboot.h: what a U-Boot or UEFI (GRUB) board reads over TFTP, and in
 * which order (pure).
 *
 * Boards that are not Pis are named by their MAC.  U-Boot's `pxe get`
 * reads pxelinux.cfg/01-<mac with dashes> and, failing that, a list of
 * fallbacks ending in pxelinux.cfg/default; GRUB netboot reads
 * grub/grub.cfg-01-<mac> and fallbacks ending in grub/grub.cfg
 * (pb_netboot_lookup).  The renderers write the text of those files
 * from the same state rules and the same checked kernel command line
 * as the Pi path (render.h's pb_render_cmdline): in the states where a
 * node boots its own storage, the file names no kernel at all, and the
 * first name of the lookup order that exists is that file (the fence,
 * docs/boards.md). */
#ifndef PB_NETBOOT_H
#define PB_NETBOOT_H

#include <stddef.h>
#include <sys/types.h>

#include "boot/render.h"
#include "core/err.h"
#include "core/ident.h"

enum pb_netboot_kind {
	PB_NB_DEPLOY,	/* boot the deploy kernel and initramfs */
	PB_NB_LOCAL,	/* boot local storage: no kernel is named */
};

/* What a node's per-MAC file does in state (NULL: unknown), nfs: its
 * workflow boots an NFS root.  PB_NB_LOCAL for the states that run the
 * installed OS (boot class "run", lib/core/boot_action.c) unless nfs,
 * and for a NULL or unknown state (fail closed); PB_NB_DEPLOY for the
 * rest, where the agent asks the API what to do. */
enum pb_netboot_kind pb_netboot_kind(const char *state, int nfs);

struct pb_netboot_in {
	const char *what;	/* comment: "node 52:54:00:12:34:56 (qemu-arm64)" */
	enum pb_netboot_kind kind;
	/* PB_NB_DEPLOY only, paths relative to the TFTP root: */
	const char *kernel;	/* the raw arm64 Image, required */
	const char *initrd;	/* required */
	const char *fdt;	/* one DTB; NULL: the firmware's own */
	const char *fdtdir;	/* U-Boot's FDTDIR; NULL: none; not with fdt */
	const struct pb_cmdline_in *cmdline;	/* the kernel's words */
	const struct pb_cmdline_board *board;	/* console and extras */
};

/* pxelinux.cfg/01-<mac> or pxelinux.cfg/default for U-Boot's pxe
 * command: one label, LOCALBOOT alone for PB_NB_LOCAL. */
ssize_t pb_render_pxelinux(char *buf, size_t size,
    const struct pb_netboot_in *in, struct pb_err *e);

/* grub/grub.cfg-01-<mac> for GRUB netboot: linux, initrd, devicetree
 * and boot, or exit (back to the firmware's next boot entry) for
 * PB_NB_LOCAL. */
ssize_t pb_render_grub(char *buf, size_t size, const struct pb_netboot_in *in,
    struct pb_err *e);

/* grub/grub.cfg, the file Debian's GRUB reads first (it makes no net
 * config search of its own): it sources the per-MAC file, and only
 * when there was none does what fallback says (discovery, or
 * PB_NB_LOCAL: nothing bootable). */
ssize_t pb_render_grub_root(char *buf, size_t size,
    const struct pb_netboot_in *fallback, struct pb_err *e);

/* The per-MAC file names: "01-52-54-00-12-34-56" (in pxelinux.cfg/)
 * and "grub.cfg-01-52-54-00-12-34-56" (in grub/). */
void pb_pxelinux_name(const struct pb_mac *m, char out[21]);
void pb_grub_name(const struct pb_mac *m, char out[30]);

enum pb_loader { PB_LOADER_UBOOT, PB_LOADER_GRUB };

#define PB_LOOKUP_MAX 16
#define PB_LOOKUP_LEN 96

/* The TFTP paths the loader tries, in order, for a board of MAC m at
 * IPv4 address ip (dotted quad; NULL: none yet), as U-Boot 2023.01's
 * `pxe get` and GRUB 2.06's net config search make them.  U-Boot:
 * pxelinux.cfg/01-<mac>, the IP in upper-case hex shortened one digit
 * at a time, default-<arch>-<soc>-<board>, default-<arch>-<soc>,
 * default-<arch> (each only with its parts; arch "arm" for arm64
 * builds), default.  GRUB, where a build searches (upstream's net
 * config search): grub/grub.cfg-01-<mac>, the hex IP shortened,
 * grub/grub.cfg; Debian 12's asks for grub/grub.cfg alone, which then
 * sources the per-MAC file (pb_render_grub_root).  Returns how many,
 * or -1 with the reason when ip is not a dotted quad. */
int pb_netboot_lookup(enum pb_loader l, const struct pb_mac *m, const char *ip,
    const char *arch, const char *soc, const char *board,
    char out[PB_LOOKUP_MAX][PB_LOOKUP_LEN], struct pb_err *e);

#endif

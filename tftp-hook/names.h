/* names.h: which names the hook may create at the top of the TFTP root
 * (names.c).  Pure. */
#ifndef PB_HOOK_NAMES_H
#define PB_HOOK_NAMES_H

/* A serial dir, a MAC fence dir, a discovery root entry, a container
 * or boot.scr.uimg: the names at the top of the root, none with '/'. */
int hook_name_ok(const char *name);
/* A discovery root entry: config.txt, cmdline.txt, initramfs.img,
 * overlays, or a file lib/boot/pimodel.c names for some model
 * (pb_pimodel_file: firmware, kernel, DTB). */
int hook_root_name_ok(const char *name);

/* The boards' side (docs/boards.md): a directory the hook's files live
 * in ("pxelinux.cfg", "grub"), made by the hook when missing and shared
 * otherwise (an x86 PXE set-up may have its own pxelinux.cfg/). */
int hook_container_ok(const char *name);
/* A file inside one: "pxelinux.cfg/default", "pxelinux.cfg/01-<mac>",
 * "grub/grub.cfg", "grub/grub.cfg-01-<mac>" (MAC lower case with
 * dashes).  The only names with a '/' the hook makes. */
int hook_sub_name_ok(const char *path);
/* What the manifest may hold: hook_name_ok or hook_sub_name_ok. */
int hook_tree_name_ok(const char *name);

#endif

/* loaderrefs.h: the files a pxelinux.cfg or grub.cfg file names
 * (loaderrefs.c; pure).  check.c looks each one up in the tree. */
#ifndef PB_HOOK_LOADERREFS_H
#define PB_HOOK_LOADERREFS_H

#include <stddef.h>

enum ref_kind { REF_KERNEL, REF_INITRD, REF_FDT, REF_FDTDIR };

struct loader_ref {
	enum ref_kind kind;
	char path[160];		/* relative to the TFTP root, no leading '/' */
};

#define LOADER_MAXREFS 8

/* The references of text, in order, as the hook's renderers write
 * them: pxelinux (KERNEL or LINUX, INITRD, FDT or DEVICETREE, FDTDIR;
 * keywords in any case, leading blanks) and grub (linux, initrd,
 * devicetree, each with a path from the root, "/" first).  A line of
 * neither kind names nothing.  Returns how many (at most max; a path
 * too long is cut and still counted, so that it is not found).
 * *bootable: a kernel is named. */
size_t loader_refs(const char *text, struct loader_ref *out, size_t max,
    int *bootable);

#endif

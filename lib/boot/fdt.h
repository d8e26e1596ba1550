/* fdt.h: is a file a flattened device tree a loader will take (pure).
 * The header alone: magic 0xd00dfeed, total size equal to the file's,
 * a version U-Boot, GRUB and Linux read (16 or 17, or a later one that
 * says it is compatible with 16 or 17), and the blocks inside the
 * total size.  The tree's contents are the kernel's business. */
#ifndef PB_FDT_H
#define PB_FDT_H

#include <stddef.h>

#include "core/err.h"

#define PB_FDT_MAGIC 0xd00dfeedU
#define PB_FDT_HEADER 40	/* bytes, version 17 */

/* buf: the first len bytes of the file, len: its size.  0, or -1 with
 * "fdt: ..." in e. */
int pb_fdt_check(const unsigned char *buf, size_t len, struct pb_err *e);

#endif

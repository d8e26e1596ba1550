/* uimage.h: a U-Boot legacy image of type script (pure), the format
 * `mkimage -A arm64 -O linux -T script -C none` writes and U-Boot's
 * `source` reads (boot.scr.uimg, docs/boards.md).  A 64-byte header,
 * all fields big-endian: magic 0x27051956, the header's CRC-32 (taken
 * with that field zero), a time stamp, the data size, load and entry
 * address (0), the data's CRC-32, OS 5 (Linux), architecture 22
 * (arm64), type 6 (script), compression 0 (none) and a 32-byte name.
 * A script's data is a list of 32-bit lengths ended by a zero (one
 * here: the script's), then the script. */
#ifndef PB_UIMAGE_H
#define PB_UIMAGE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "core/err.h"

#define PB_UIMAGE_MAGIC 0x27051956U
#define PB_UIMAGE_HEADER 64

/* CRC-32 as zlib's crc32(0, buf, len) (IEEE 802.3, reflected). */
uint32_t pb_crc32(const unsigned char *buf, size_t len);

/* The script image of script (len bytes) into buf, named name (at most
 * 31 bytes, printable ASCII), time stamp 0 (what mkimage writes with
 * SOURCE_DATE_EPOCH=0: the image depends on the script alone).
 * Returns its length, or -1 with the reason. */
ssize_t pb_uimage_script(unsigned char *buf, size_t size, const char *script,
    size_t len, const char *name, struct pb_err *e);

#endif

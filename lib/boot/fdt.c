/* fdt.c: the flattened device tree header check (pure). */
#include <stdint.h>

#include "boot/fdt.h"

static uint32_t
be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

/* A block [off, off + size) inside total, off aligned to align. */
static int
block(const char *what, uint32_t off, uint32_t size, uint32_t total,
    uint32_t align, struct pb_err *e)
{
	if (off % align != 0)
		return pb_fail(e, "fdt: %s offset %u is not %u-byte aligned",
		    what, off, align);
	if (off < PB_FDT_HEADER - 4 || off > total || size > total - off)
		return pb_fail(e, "fdt: %s (offset %u, %u bytes) is outside "
		    "the %u bytes of the tree", what, off, size, total);
	return 0;
}

int
pb_fdt_check(const unsigned char *buf, size_t len, struct pb_err *e)
{
	uint32_t total, version, lastcomp, s_struct, s_strings;

	if (len < PB_FDT_HEADER)
		return pb_fail(e, "fdt: %zu bytes is shorter than a header",
		    len);
	if (be32(buf) != PB_FDT_MAGIC)
		return pb_fail(e, "fdt: magic 0x%08x is not 0xd00dfeed",
		    (unsigned)be32(buf));
	total = be32(buf + 4);
	if (total != len)
		return pb_fail(e, "fdt: total size %u is not the file size %zu",
		    (unsigned)total, len);
	version = be32(buf + 20);
	lastcomp = be32(buf + 24);
	if (version < 16 || lastcomp > 17 || lastcomp > version)
		return pb_fail(e, "fdt: version %u (compatible with %u) is not "
		    "16 or 17", (unsigned)version, (unsigned)lastcomp);
	/* size_dt_strings since version 3, size_dt_struct since 17. */
	s_strings = be32(buf + 32);
	s_struct = version >= 17 ? be32(buf + 36) : 0;
	if (block("memory reserve map", be32(buf + 16), 16, total, 8, e) == -1 ||
	    block("structure block", be32(buf + 8), s_struct, total, 4, e) == -1 ||
	    block("strings block", be32(buf + 12), s_strings, total, 1, e) == -1)
		return -1;
	return 0;
}

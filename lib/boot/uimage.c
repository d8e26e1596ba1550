/* uimage.c: U-Boot's legacy image header around a script (pure). */
#include <string.h>

#include "boot/uimage.h"

uint32_t
pb_crc32(const unsigned char *buf, size_t len)
{
	uint32_t c = 0xffffffffU;
	size_t i;
	int k;

	for (i = 0; i < len; i++) {
		c ^= buf[i];
		for (k = 0; k < 8; k++)
			c = (c >> 1) ^ (0xedb88320U & (0U - (c & 1U)));
	}
	return c ^ 0xffffffffU;
}

static void
put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

/* Header offsets (include/image.h's struct legacy_img_hdr). */
enum { H_MAGIC = 0, H_HCRC = 4, H_TIME = 8, H_SIZE = 12, H_LOAD = 16,
	H_EP = 20, H_DCRC = 24, H_OS = 28, H_ARCH = 29, H_TYPE = 30,
	H_COMP = 31, H_NAME = 32, NAME_LEN = 32 };

ssize_t
pb_uimage_script(unsigned char *buf, size_t size, const char *script,
    size_t len, const char *name, struct pb_err *e)
{
	size_t nlen = strlen(name), i, data = 8 + len;
	unsigned char *d = buf + PB_UIMAGE_HEADER;

	if (nlen >= NAME_LEN)
		return pb_fail(e, "uimage: name \"%.40s\" is longer than %d "
		    "bytes", name, NAME_LEN - 1);
	for (i = 0; i < nlen; i++)
		if (name[i] < 0x20 || name[i] > 0x7e)
			return pb_fail(e, "uimage: name has byte 0x%02x",
			    (unsigned char)name[i]);
	if (len > 0xffffffffU - 8 || size < PB_UIMAGE_HEADER ||
	    size - PB_UIMAGE_HEADER < data)
		return pb_fail(e, "uimage: a script of %zu bytes does not fit "
		    "in %zu", len, size);
	memset(buf, 0, PB_UIMAGE_HEADER);
	put32(d, (uint32_t)len);	/* the one length, then the end */
	put32(d + 4, 0);
	memcpy(d + 8, script, len);
	put32(buf + H_MAGIC, PB_UIMAGE_MAGIC);
	put32(buf + H_SIZE, (uint32_t)data);
	put32(buf + H_DCRC, pb_crc32(d, data));
	buf[H_OS] = 5;		/* IH_OS_LINUX */
	buf[H_ARCH] = 22;	/* IH_ARCH_ARM64 */
	buf[H_TYPE] = 6;	/* IH_TYPE_SCRIPT */
	buf[H_COMP] = 0;	/* IH_COMP_NONE */
	memcpy(buf + H_NAME, name, nlen);
	put32(buf + H_HCRC, pb_crc32(buf, PB_UIMAGE_HEADER));
	return (ssize_t)(PB_UIMAGE_HEADER + data);
}

/* Unit tests for lib/boot/uimage.c: images compared byte for byte with
 * what Debian's mkimage 2023.01 wrote for the same script
 * (SOURCE_DATE_EPOCH=0 mkimage -A arm64 -O linux -T script -C none
 * [-n NAME] -d s.cmd s.uimg), and the refusals. */
#include <stdio.h>
#include <string.h>

#include "boot/uimage.h"
#include "tap.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* The header's CRC, data size and data CRC as mkimage wrote them. */
static const struct {
	const char *what, *script, *name;
	unsigned char hcrc[4], size[4], dcrc[4];
} cases[] = {
	{ "named, 8-byte script", "echo hi\n", "PureBoot-Pi",
	  { 0x59, 0x36, 0x29, 0x8b }, { 0, 0, 0, 0x10 },
	  { 0xd9, 0x34, 0x01, 0x62 } },
	{ "one-letter name, 3 bytes: no padding", "ab\n", "x",
	  { 0x70, 0x81, 0x68, 0x50 }, { 0, 0, 0, 0x0b },
	  { 0x1b, 0x03, 0xf7, 0x23 } },
	{ "no name", "ab\n", "",
	  { 0xc1, 0x1b, 0x54, 0x9b }, { 0, 0, 0, 0x0b },
	  { 0x1b, 0x03, 0xf7, 0x23 } },
};

int
main(void)
{
	static const unsigned char fixed[] = { 0x05, 0x16, 0x06, 0x00 };
	unsigned char buf[256];
	char what[96];
	struct pb_err e;
	size_t i, len;
	ssize_t n;

	for (i = 0; i < N(cases); i++) {
		len = strlen(cases[i].script);
		n = pb_uimage_script(buf, sizeof(buf), cases[i].script, len,
		    cases[i].name, &e);
		snprintf(what, sizeof(what), "%s: length", cases[i].what);
		tap_ok(n == (ssize_t)(64 + 8 + len), what);
		if (n < 0)
			n = 0;
		snprintf(what, sizeof(what), "%s: magic, header CRC, size, "
		    "data CRC, os/arch/type/comp", cases[i].what);
		tap_ok(n > 0 && memcmp(buf, "\x27\x05\x19\x56", 4) == 0 &&
		    memcmp(buf + 4, cases[i].hcrc, 4) == 0 &&
		    memcmp(buf + 8, "\0\0\0\0", 4) == 0 &&
		    memcmp(buf + 12, cases[i].size, 4) == 0 &&
		    memcmp(buf + 24, cases[i].dcrc, 4) == 0 &&
		    memcmp(buf + 28, fixed, 4) == 0, what);
		snprintf(what, sizeof(what), "%s: name", cases[i].what);
		tap_is(n > 0 ? (char *)buf + 32 : "(failed)", cases[i].name,
		    what);
		snprintf(what, sizeof(what), "%s: length list, script",
		    cases[i].what);
		tap_ok(n > 0 && buf[64 + 3] == len && memcmp(buf + 68, "\0\0\0\0", 4) == 0 &&
		    memcmp(buf + 72, cases[i].script, len) == 0, what);
	}
	tap_ok(pb_crc32((const unsigned char *)"123456789", 9) == 0xcbf43926U,
	    "CRC-32 check value of \"123456789\"");
	tap_ok(pb_uimage_script(buf, 74, "ab\n", 3, "x", &e) == -1 &&
	    strstr(e.msg, "does not fit") != NULL, "a buffer one byte short");
	tap_ok(pb_uimage_script(buf, 75, "ab\n", 3, "x", &e) == 75,
	    "a buffer just long enough");
	tap_ok(pb_uimage_script(buf, sizeof(buf), "ab\n", 3,
	    "0123456789012345678901234567890123", &e) == -1 &&
	    strstr(e.msg, "longer than 31") != NULL, "a name of 34 bytes");
	tap_ok(pb_uimage_script(buf, sizeof(buf), "ab\n", 3, "a\nb", &e) == -1,
	    "a name with a newline");
	return tap_done();
}

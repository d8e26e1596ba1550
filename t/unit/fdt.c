/* Unit tests for lib/boot/fdt.c: headers made here, one field changed
 * per case.  want 0: accepted, -1: refused. */
#include <stdint.h>
#include <stdio.h>

#include "boot/fdt.h"
#include "tap.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define SIZE 256

/* Header fields by word index. */
enum { MAGIC, TOTAL, OFF_STRUCT, OFF_STRINGS, OFF_RSV, VERSION, LASTCOMP,
	CPU, SIZE_STRINGS, SIZE_STRUCT };

static void
put(unsigned char *b, int word, uint32_t v)
{
	b[word * 4] = (unsigned char)(v >> 24);
	b[word * 4 + 1] = (unsigned char)(v >> 16);
	b[word * 4 + 2] = (unsigned char)(v >> 8);
	b[word * 4 + 3] = (unsigned char)v;
}

/* A good version 17 tree of SIZE bytes: rsvmap at 40, struct at 56
 * (120 bytes), strings at 176 (80 bytes). */
static void
good(unsigned char *b)
{
	memset(b, 0, SIZE);
	put(b, MAGIC, 0xd00dfeed);
	put(b, TOTAL, SIZE);
	put(b, OFF_STRUCT, 56);
	put(b, OFF_STRINGS, 176);
	put(b, OFF_RSV, 40);
	put(b, VERSION, 17);
	put(b, LASTCOMP, 16);
	put(b, SIZE_STRINGS, 80);
	put(b, SIZE_STRUCT, 120);
}

int
main(void)
{
	static const struct {
		const char *name;
		int word;		/* -1: none changed */
		uint32_t v;
		size_t len;		/* 0: SIZE */
		int want;
		const char *msg;	/* the start of the reason */
	} cases[] = {
		{ "a good version 17 tree", -1, 0, 0, 0, NULL },
		{ "version 16 (no struct size)", VERSION, 16, 0, 0, NULL },
		{ "a later version compatible with 16", VERSION, 18, 0, 0, NULL },
		{ "little-endian magic", MAGIC, 0xedfe0dd0, 0, -1,
		  "fdt: magic 0xedfe0dd0 is not 0xd00dfeed" },
		{ "a gzip file", MAGIC, 0x1f8b0800, 0, -1, "fdt: magic" },
		{ "total size larger than the file", TOTAL, SIZE + 1, 0, -1,
		  "fdt: total size 257 is not the file size 256" },
		{ "total size smaller than the file", TOTAL, SIZE - 4, 0, -1,
		  "fdt: total size 252" },
		{ "a truncated file", -1, 0, 200, -1,
		  "fdt: total size 256 is not the file size 200" },
		{ "shorter than a header", -1, 0, 39, -1,
		  "fdt: 39 bytes is shorter than a header" },
		{ "version 15", VERSION, 15, 0, -1, "fdt: version 15" },
		{ "last compatible version 18", LASTCOMP, 18, 0, -1,
		  "fdt: version 17 (compatible with 18)" },
		{ "strings block past the end", SIZE_STRINGS, 81, 0, -1,
		  "fdt: strings block (offset 176, 81 bytes) is outside" },
		{ "structure block past the end", OFF_STRUCT, 252, 0, -1,
		  "fdt: structure block" },
		{ "structure offset not aligned", OFF_STRUCT, 58, 0, -1,
		  "fdt: structure block offset 58 is not 4-byte aligned" },
		{ "reserve map inside the header", OFF_RSV, 8, 0, -1,
		  "fdt: memory reserve map" },
		{ "huge strings size (wraps 32 bits)", SIZE_STRINGS, 0xffffff80,
		  0, -1, "fdt: strings block" },
	};
	unsigned char b[SIZE];
	struct pb_err e;
	char got[128];
	size_t i;
	int rc;

	for (i = 0; i < N(cases); i++) {
		good(b);
		if (cases[i].word >= 0)
			put(b, cases[i].word, cases[i].v);
		e.msg[0] = '\0';
		rc = pb_fdt_check(b, cases[i].len ? cases[i].len : SIZE, &e);
		tap_ok(rc == cases[i].want, cases[i].name);
		if (cases[i].msg != NULL) {
			snprintf(got, sizeof(got), "%.*s",
			    (int)strlen(cases[i].msg), e.msg);
			tap_is(got, cases[i].msg, "  the reason");
			printf("# %s\n", e.msg);
		}
	}
	return tap_done();
}

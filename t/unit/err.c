/* Unit tests for lib/core/err.c: quoting of untrusted values and reasons. */
#include "core/err.h"
#include "tap.h"

static const struct {
	const char *name, *in;
	size_t max, outsz;
	const char *want;
} cases[] = {
	{ "plain text kept", "d83add36", 64, 64, "d83add36" },
	{ "quote and backslash escaped", "a\"b\\c", 64, 64, "a\\\"b\\\\c" },
	{ "newline and DEL escaped", "x\n\x7f", 64, 64, "x\\x0a\\x7f" },
	{ "cut at max with ...", "0123456789", 4, 64, "0123..." },
	{ "cut by the buffer, still terminated", "0123456789", 64, 8, "0123..." },
	{ "escape not split by the buffer", "ab\n", 64, 8, "ab..." },
	{ "empty string", "", 64, 64, "" },
	/* Valid UTF-8 or not, bytes >= 0x80 are escaped: the quoted
	 * text is ASCII, so a JSON reply built from it is always valid. */
	{ "a lone byte 0xaa escaped", "aa\xaa" "0001", 64, 64, "aa\\xaa0001" },
	{ "UTF-8 e-acute escaped byte by byte", "caf\xc3\xa9", 64, 64,
	  "caf\\xc3\\xa9" },
	{ "0xff escaped", "\xff", 64, 64, "\\xff" },
};

int
main(void)
{
	struct pb_err e;
	char out[64];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		pb_quote(out, cases[i].outsz, cases[i].in, cases[i].max);
		tap_is(out, cases[i].want, cases[i].name);
	}
	tap_ok(pb_fail(&e, "serial \"%s\" is bad\n", "x") == -1,
	    "pb_fail returns -1");
	tap_is(e.msg, "serial \"x\" is bad", "pb_fail drops the trailing newline");
	tap_ok(pb_fail(NULL, "ignored") == -1, "pb_fail takes a NULL reason");
	return tap_done();
}

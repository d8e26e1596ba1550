/* Unit tests for lib/core/num.c.  want NULL: refused. */
#include <stdio.h>

#include "core/num.h"
#include "tap.h"

static const struct { const char *in; int lo, hi; const char *want; } cases[] = {
	{ "4", 1, 64, "4" }, { "64", 1, 64, "64" }, { "1", 1, 64, "1" },
	{ "0", 1, 64, NULL }, { "65", 1, 64, NULL }, { "", 1, 64, NULL },
	{ "4x", 1, 64, NULL }, { " 4", 1, 64, NULL }, { "99999999999999999999", 1, 64, NULL },
	{ "-3", -5, 5, "-3" }, { "+4", 1, 64, NULL }, { "-", -5, 5, NULL },
};

int
main(void)
{
	struct pb_err e;
	char got[32], name[80];
	size_t i;
	int v;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(name, sizeof(name), "workers \"%s\" in %d..%d", cases[i].in,
		    cases[i].lo, cases[i].hi);
		if (pb_int_parse(&v, cases[i].in, cases[i].lo, cases[i].hi,
		    "workers", &e) == 0) {
			snprintf(got, sizeof(got), "%d", v);
			tap_is(got, cases[i].want, name);
		} else
			tap_is(NULL, cases[i].want, name);
	}
	tap_ok(pb_int_parse(&v, "4x", 1, 64, "workers", &e) == -1,
	    "a bad number is refused");
	tap_is(e.msg, "workers \"4x\" is not a number from 1 to 64",
	    "the reason names the option and quotes the value");
	return tap_done();
}

/* Unit tests for lib/core/num.c.  want NULL: refused. */
#include <limits.h>
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
	long long ll;
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
	tap_ok(pb_num_parse(&ll, "9223372036854775807", 0, LLONG_MAX, "n",
	    &e) == 0 && ll == LLONG_MAX, "long long: the largest");
	tap_ok(pb_num_parse(&ll, "9223372036854775808", 0, LLONG_MAX, "n",
	    &e) == -1, "long long: overflow refused");
	tap_ok(pb_num_parse(&ll, "+1", 0, 5, "n", &e) == -1 &&
	    pb_num_parse(&ll, " 1", 0, 5, "n", &e) == -1 &&
	    pb_num_parse(&ll, "-1", 0, 5, "n", &e) == -1,
	    "long long: sign, space, below range refused");
	tap_is(e.msg, "n \"-1\" is not a number from 0 to 5",
	    "long long: the reason");
	tap_ok(pb_int_parse(&v, "4x", 1, 64, "workers", &e) == -1,
	    "a bad number is refused");
	tap_is(e.msg, "workers \"4x\" is not a number from 1 to 64",
	    "the reason names the option and quotes the value");
	return tap_done();
}

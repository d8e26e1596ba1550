/* tap.h: the few TAP helpers the C unit tests share. */
#ifndef PB_TAP_H
#define PB_TAP_H

#include <stdio.h>
#include <string.h>

static int tap_n, tap_failed;

/* Compare two strings (NULL allowed), print ok / not ok with a diff. */
static void
tap_is(const char *got, const char *want, const char *name)
{
	int ok = (got == NULL && want == NULL) ||
	    (got != NULL && want != NULL && strcmp(got, want) == 0);

	printf("%s %d - %s\n", ok ? "ok" : "not ok", ++tap_n, name);
	if (!ok) {
		tap_failed++;
		printf("# want: %s\n#  got: %s\n", want ? want : "(null)",
		    got ? got : "(null)");
	}
}

static void
tap_ok(int ok, const char *name)
{
	printf("%s %d - %s\n", ok ? "ok" : "not ok", ++tap_n, name);
	if (!ok)
		tap_failed++;
}

static int
tap_done(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed != 0;
}

#endif

/* num.c: whole numbers (pure). */
#include <errno.h>
#include <stdlib.h>

#include "core/num.h"

int
pb_int_parse(int *out, const char *s, int lo, int hi, const char *what,
    struct pb_err *e)
{
	char q[40], *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	/* strtol skips leading white space and takes a '+'; we do not. */
	if (errno != 0 || (*s != '-' && (*s < '0' || *s > '9')) ||
	    *end != '\0' || v < lo || v > hi) {
		pb_quote(q, sizeof(q), s, 20);
		return pb_fail(e, "%s \"%s\" is not a number from %d to %d",
		    what, q, lo, hi);
	}
	*out = (int)v;
	return 0;
}

/* num.c: whole numbers (pure). */
#include <errno.h>
#include <stdlib.h>

#include "core/num.h"

int
pb_num_parse(long long *out, const char *s, long long lo, long long hi,
    const char *what, struct pb_err *e)
{
	char q[40], *end;
	long long v;
	const char *d = *s == '-' ? s + 1 : s;

	errno = 0;
	v = strtoll(s, &end, 10);
	/* strtoll skips leading white space and takes a '+'; we do not. */
	if (errno != 0 || *d < '0' || *d > '9' || *end != '\0' || v < lo ||
	    v > hi) {
		pb_quote(q, sizeof(q), s, 20);
		return pb_fail(e, "%s \"%s\" is not a number from %lld to %lld",
		    what, q, lo, hi);
	}
	*out = v;
	return 0;
}

int
pb_int_parse(int *out, const char *s, int lo, int hi, const char *what,
    struct pb_err *e)
{
	long long v;

	if (pb_num_parse(&v, s, lo, hi, what, e) == -1)
		return -1;
	*out = (int)v;
	return 0;
}

/* err.h: error reasons that name the thing and what is wrong. */
#ifndef PB_ERR_H
#define PB_ERR_H

#include <stddef.h>

struct pb_err {
	char msg[512];
};

/* Format a reason into e (may be NULL) and return -1, so that
 * "return pb_fail(e, ...)" reads as the failure it is. */
int pb_fail(struct pb_err *e, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Copy at most max bytes of untrusted s into out (size outsz) with
 * control bytes, quotes and backslashes escaped, so that a value from
 * the network can be quoted in a message or a log line.  Always
 * NUL-terminates; appends "..." when cut. */
void pb_quote(char *out, size_t outsz, const char *s, size_t max);

#endif

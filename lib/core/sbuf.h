/* sbuf.h: a growing text buffer for renderers (sbuf.c, pure). */
#ifndef PB_SBUF_H
#define PB_SBUF_H

#include <stddef.h>

/* s is malloc'd (free(s) when done); oom is set by the first failed
 * growth, after which appends do nothing: check it once at the end. */
struct pb_sbuf {
	char *s;
	size_t len, cap;
	int oom;
};

void pb_sbuf_printf(struct pb_sbuf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif

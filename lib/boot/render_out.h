/* render_out.h: the output buffer of the renderers (pure).  Appends
 * never write past size; the first append that does not fit marks the
 * buffer full, later appends do nothing, and the renderer reports it. */
#ifndef PB_RENDER_OUT_H
#define PB_RENDER_OUT_H

#include <stddef.h>

struct pb_out {
	char *buf;	/* the caller's */
	size_t size, len;
	int full;	/* something did not fit */
};

/* Append printf-style. */
void pb_out_printf(struct pb_out *o, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Append a word: a space first unless the buffer is empty. */
void pb_out_word(struct pb_out *o, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif

/* sbuf.c: a growing text buffer for renderers (pure). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/sbuf.h"

void
pb_sbuf_printf(struct pb_sbuf *b, const char *fmt, ...)
{
	va_list ap;
	char *ns;
	int n;

	if (b->oom)
		return;
	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(b->s ? b->s + b->len : NULL,
		    b->s ? b->cap - b->len : 0, fmt, ap);
		va_end(ap);
		if (n < 0) {
			b->oom = 1;
			return;
		}
		if (b->s != NULL && (size_t)n < b->cap - b->len) {
			b->len += (size_t)n;
			return;
		}
		b->cap = (b->cap + (size_t)n + 1) * 2;
		if ((ns = realloc(b->s, b->cap)) == NULL) {
			b->oom = 1;
			return;
		}
		b->s = ns;
	}
}

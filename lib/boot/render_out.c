/* render_out.c: the output buffer of the renderers (pure). */
#include <stdarg.h>
#include <stdio.h>

#include "boot/render_out.h"

__attribute__((format(printf, 2, 0)))
static void
vput(struct pb_out *o, const char *fmt, va_list ap)
{
	int n;

	if (o->full)
		return;
	n = vsnprintf(o->buf + o->len, o->size - o->len, fmt, ap);
	if (n < 0 || (size_t)n >= o->size - o->len)
		o->full = 1;
	else
		o->len += (size_t)n;
}

void
pb_out_printf(struct pb_out *o, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vput(o, fmt, ap);
	va_end(ap);
}

void
pb_out_word(struct pb_out *o, const char *fmt, ...)
{
	va_list ap;

	if (o->len > 0)
		pb_out_printf(o, " ");
	va_start(ap, fmt);
	vput(o, fmt, ap);
	va_end(ap);
}

/* err.c: error reasons and safe quoting of untrusted values. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/err.h"

int
pb_fail(struct pb_err *e, const char *fmt, ...)
{
	va_list ap;
	size_t n;

	if (e == NULL)
		return -1;
	e->reason = 0;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	/* libpq messages end in a newline; a reason is one line. */
	n = strlen(e->msg);
	while (n > 0 && (e->msg[n - 1] == '\n' || e->msg[n - 1] == ' '))
		e->msg[--n] = '\0';
	return -1;
}

int
pb_refuse(struct pb_err *e, const char *what, const char *v,
    const char *fmt, ...)
{
	char q[4 * PB_QUOTE_MAX + 8];
	va_list ap;
	int n;

	if (e == NULL)
		return -1;
	pb_quote(q, sizeof(q), v != NULL ? v : "", PB_QUOTE_MAX);
	n = snprintf(e->msg, sizeof(e->msg), "%s%s\"%s\" ", what,
	    *what != '\0' ? " " : "", q);
	if (n < 0 || (size_t)n >= sizeof(e->msg))
		n = (int)strlen(e->msg);
	va_start(ap, fmt);
	vsnprintf(e->msg + n, sizeof(e->msg) - (size_t)n, fmt, ap);
	va_end(ap);
	e->reason = (size_t)n;
	return -1;
}

void
pb_quote(char *out, size_t outsz, const char *s, size_t max)
{
	static const char hex[] = "0123456789abcdef";
	size_t o = 0, i;

	if (outsz == 0)
		return;
	for (i = 0; s[i] != '\0' && i < max; i++) {
		unsigned char c = (unsigned char)s[i];
		char buf[4];
		size_t n = 0;

		if (c == '"' || c == '\\') {
			buf[n++] = '\\';
			buf[n++] = (char)c;
		} else if (c < 0x20 || c >= 0x7f) {
			buf[n++] = '\\';
			buf[n++] = 'x';
			buf[n++] = hex[c >> 4];
			buf[n++] = hex[c & 15];
		} else
			buf[n++] = (char)c;
		if (o + n + 4 > outsz)
			break;
		memcpy(out + o, buf, n);
		o += n;
	}
	if (s[i] != '\0' && o + 4 <= outsz) {
		memcpy(out + o, "...", 3);
		o += 3;
	}
	out[o] = '\0';
}

/* fz.c: helpers of the fuzz harnesses (fz.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fz.h"

void
fz_fail(const char *file, int line, const char *cond, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s:%d: property failed: %s: ", file, line, cond);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

char *
fz_strndup(const uint8_t *d, size_t n)
{
	char *s = malloc(n + 1);

	if (s == NULL)
		abort();
	memcpy(s, d, n);
	s[n] = '\0';
	return s;
}

size_t
fz_split(const uint8_t *d, size_t n, char sep, char **field, size_t max,
    char **buf)
{
	char *s = fz_strndup(d, n), *p = s, *q;
	size_t k = 0;

	*buf = s;
	if (max == 0)
		return 0;
	/* Split on the raw bytes: a NUL inside a field ends it early. */
	for (;;) {
		field[k++] = p;
		if (k == max || (q = memchr(p, sep, n - (size_t)(p - s))) == NULL)
			break;
		*q = '\0';
		p = q + 1;
	}
	return k;
}

int
fz_printable(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
			return 0;
	return 1;
}

int
fz_in_set(const char *s, const char *set)
{
	return strspn(s, set) == strlen(s);
}

void
fz_check_refusal(const struct pb_err *e, const char *what)
{
	size_t n = strnlen(e->msg, sizeof(e->msg));

	FZ_ASSERT(n < sizeof(e->msg), "%s: refusal not NUL-terminated", what);
	FZ_ASSERT(n > 0, "%s: empty refusal", what);
	FZ_ASSERT(fz_printable(e->msg), "%s: refusal has a byte outside "
	    "printable ASCII: %s", what, e->msg);
	FZ_ASSERT(e->reason < n, "%s: reason offset %zu past the message",
	    what, e->reason);
}

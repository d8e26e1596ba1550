/* log.c: the hook's log line, on standard error. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "log.h"

void
hook_log(const char *fmt, ...)
{
	va_list ap;
	char buf[1024];
	size_t n;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	n = strlen(buf);
	while (n > 0 && buf[n - 1] == '\n')
		buf[--n] = '\0';
	fprintf(stderr, "pureboot-tftp-hook: %s\n", buf);
}

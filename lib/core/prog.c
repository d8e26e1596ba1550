/* prog.c: program name, usage-and-exit, die: one copy for the API, the
 * TFTP hook and the pureboot command. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/err.h"
#include "core/num.h"
#include "core/prog.h"

static const char *prog = "pureboot";

void
pb_prog_init(const char *name)
{
	prog = name;
}

const char *
pb_prog_name(void)
{
	return prog;
}

void
pb_usage(int code, const char *text)
{
	fputs(text, code == 0 ? stdout : stderr);
	exit(code);
}

static void vwarn(const char *, va_list) __attribute__((format(printf, 1, 0)));

static void
vwarn(const char *fmt, va_list ap)
{
	fprintf(stderr, "%s: ", prog);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void
pb_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn(fmt, ap);
	va_end(ap);
}

void
pb_die(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn(fmt, ap);
	va_end(ap);
	exit(code);
}

int
pb_opt_int(const char *s, int lo, int hi, const char *what)
{
	struct pb_err e;
	int v;

	if (pb_int_parse(&v, s, lo, hi, what, &e) == -1)
		pb_die(2, "%s", e.msg);
	return v;
}

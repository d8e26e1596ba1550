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

void
pb_die(int code, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
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

/* fz.h: what the libFuzzer harnesses (fuzz/NAME.c) share: the entry
 * point's prototype, a property check that names what broke, and the
 * checks every parser's refusal must pass.  Not part of any program. */
#ifndef PB_FZ_H
#define PB_FZ_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A property that does not hold: print it and abort, so libFuzzer
 * keeps the input as a crash. */
#define FZ_ASSERT(cond, ...) do {					\
	if (!(cond))							\
		fz_fail(__FILE__, __LINE__, #cond, __VA_ARGS__);	\
} while (0)

void fz_fail(const char *file, int line, const char *cond,
    const char *fmt, ...) __attribute__((noreturn, format(printf, 4, 5)));

/* A new NUL-terminated copy of d[0..n) (a NUL inside ends the string,
 * as it would for the C string a parser gets). */
char *fz_strndup(const uint8_t *d, size_t n);

/* Split d[0..n) at every sep byte into at most max fields, the last
 * taking the rest; *buf (free it) holds them.  Returns the count. */
size_t fz_split(const uint8_t *d, size_t n, char sep, char **field,
    size_t max, char **buf);

/* Every byte of s printable ASCII (0x20 to 0x7e). */
int fz_printable(const char *s);
/* Every byte of s in set. */
int fz_in_set(const char *s, const char *set);

/* A refusal: a non-empty, NUL-terminated, printable ASCII message
 * (so valid UTF-8 and one line wherever it goes: a JSON reply, a log
 * line, stderr); what names the parser. */
void fz_check_refusal(const struct pb_err *e, const char *what);

#endif

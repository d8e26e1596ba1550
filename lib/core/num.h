/* num.h: whole numbers from command lines, settings and requests
 * (pure).  The one checked parser of numbers from outside: decimal
 * digits and an optional leading '-' only, so "+5", " 5", "5 ", "0x5"
 * and values out of range (overflow included) are refused. */
#ifndef PB_NUM_H
#define PB_NUM_H

#include "core/err.h"

/* Decimal s, nothing else, from lo to hi; what names it in the reason:
 * what "s" is not a number from lo to hi. */
int pb_num_parse(long long *out, const char *s, long long lo, long long hi,
    const char *what, struct pb_err *e);

/* pb_num_parse() into an int. */
int pb_int_parse(int *out, const char *s, int lo, int hi, const char *what,
    struct pb_err *e);

#endif

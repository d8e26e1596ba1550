/* num.h: whole numbers from command lines and settings (pure). */
#ifndef PB_NUM_H
#define PB_NUM_H

#include "core/err.h"

/* Decimal s, nothing else, from lo to hi; what names it in the reason. */
int pb_int_parse(int *out, const char *s, int lo, int hi, const char *what,
    struct pb_err *e);

#endif

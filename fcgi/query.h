/* query.h: the URL query string, decoded strictly (pure).
 *
 * A value is percent-decoded ('+' is a space) into a buffer; a decoded
 * NUL byte, a bad escape, a value that does not fit, a key given twice
 * and a key not in the endpoint's list are all refused, so "serial=
 * d83add36%00" can never pass as "d83add36". */
#ifndef PB_QUERY_H
#define PB_QUERY_H

#include <stddef.h>

#include "core/err.h"

/* Every key in query must be one of keys (NULL-terminated), at most
 * once.  Returns 0 or -1 with the reason. */
int pb_query_check(const char *query, const char *const *keys,
    struct pb_err *e);

/* Decode the value of key into out (size outsz, NUL-terminated).
 * Returns 1 when found, 0 when absent (out is ""), -1 with the reason. */
int pb_query_get(const char *query, const char *key, char *out,
    size_t outsz, struct pb_err *e);

#endif

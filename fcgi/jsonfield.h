/* jsonfield.h: the fields of a JSON request body, checked against the
 * endpoint's table (pure).  jansson's own messages do not name the key
 * (Debian 12's 2.14), so values are taken as json_t and these say which
 * field is wrong and why. */
#ifndef PB_JSONFIELD_H
#define PB_JSONFIELD_H

#include <stddef.h>

#include <jansson.h>

#include "core/err.h"

struct pb_field {
	const char *name;
	int required;		/* absent or null is an error */
	const json_t *v;	/* out: borrowed; NULL when absent */
};

/* Every key of obj must be in f (terminated by a NULL name); fill
 * f[].v.  -1 with the reason: unknown field, required field missing. */
int pb_fields(const json_t *obj, struct pb_field *f, struct pb_err *e);

/* Typed values; name is for the reason.  Strings are borrowed. */
int pb_json_str(const json_t *v, const char *name, const char **out,
    struct pb_err *e);
/* A string of 1..max characters without control bytes (free text that
 * ends up in logs and psql output). */
int pb_json_text(const json_t *v, const char *name, size_t max,
    const char **out, struct pb_err *e);
int pb_json_bool(const json_t *v, const char *name, int *out,
    struct pb_err *e);
int pb_json_int(const json_t *v, const char *name, long long lo,
    long long hi, long long *out, struct pb_err *e);

#endif

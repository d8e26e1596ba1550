/* json_iter.h: iterating a const json_t (pure).  jansson 2.14's
 * json_object_foreach and json_array_foreach take json_t *, though
 * iteration does not change the value; this is the one place that
 * drops the const for them, so that -Wcast-qual holds elsewhere. */
#ifndef PB_JSON_ITER_H
#define PB_JSON_ITER_H

#include <jansson.h>

static inline json_t *
pb_json_iterable(const json_t *j)
{
	union { const json_t *c; json_t *m; } u = { .c = j };

	return u.m;
}

#endif

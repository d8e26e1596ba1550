/* envout.h: a boot/pi answer as KEY='value' lines for busybox sh (pure).
 *
 * Every key has a strict character set; a value outside it (or a key
 * with no env form) makes the whole rendering fail with the reason,
 * never a quoted or dropped value: the agent sources this text, so
 * nothing in it may need quoting beyond the single quotes. */
#ifndef PB_ENVOUT_H
#define PB_ENVOUT_H

#include <jansson.h>

#include "core/err.h"

/* Render answer (a JSON object of the keys in docs/api.md) as a new
 * string of "PB_KEY='value'\n" lines, in a fixed key order; NULL with
 * the reason in e.  JSON null values are left out. */
char *pb_envout_new(const json_t *answer, struct pb_err *e);

#endif

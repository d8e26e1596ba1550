/* stmts.c: every SQL statement the API runs, prepared once per
 * connection.  Parameters only; no SQL is ever built from input. */
#include <stddef.h>

#include "db.h"

const struct pb_stmt pb_stmts[] = {
	{ "health", "SELECT 1", 0 },
	{ NULL, NULL, 0 },
};

/* wfile.h: a new file with exactly these bytes (wfile.c). */
#ifndef PB_HOOK_WFILE_H
#define PB_HOOK_WFILE_H

#include <stddef.h>
#include <sys/types.h>

#include "core/err.h"

/* Create dfd/name (O_EXCL, O_NOFOLLOW: never an existing name, never
 * through a link) holding data, with exactly mode whatever the umask,
 * fsync'd when sync; on failure nothing of it is left. */
int wfile_create_at(int dfd, const char *name, const void *data, size_t len,
    mode_t mode, int sync, struct pb_err *e);

#endif

/* tmpname.h: temporary names in the TFTP root (tmpname.c). */
#ifndef PB_HOOK_TMPNAME_H
#define PB_HOOK_TMPNAME_H

#include <stddef.h>

/* ".<name>.<kind>.XXXXXX": a name no reader asks for and no other
 * program makes. */
void tree_tmpname(char *out, size_t size, const char *name,
    const char *kind);

#endif

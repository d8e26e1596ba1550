/* rmtree.h: rm -r of one entry under a directory fd (rmtree.c). */
#ifndef PB_HOOK_RMTREE_H
#define PB_HOOK_RMTREE_H

#include "core/err.h"

/* Remove dirfd/name and everything under it, never following a link
 * (a link is removed, not what it names), at most maxdepth directory
 * levels below name; 0 also when it is gone already. */
int rm_tree_at(int dirfd, const char *name, int maxdepth, struct pb_err *e);

#endif

/* manifest.h: the manifest (manifest.c): what the hook owns. */
#ifndef PB_HOOK_MANIFEST_H
#define PB_HOOK_MANIFEST_H

#include "tree.h"

#define MANIFEST ".pureboot-manifest"

/* Append "+name" or "-name". */
int man_append(struct tree *t, char op, const char *name, struct pb_err *e);
/* Claim name before it first appears (sync: fdatasync the line). */
int man_add(struct tree *t, const char *name, int sync, struct pb_err *e);
/* Read the manifest into t->man: only names hook_name_ok() accepts. */
int man_load(struct tree *t, struct pb_err *e);
/* The manifest names it: the hook created name and may change it. */
int tree_owns(const struct tree *t, const char *name);

#endif

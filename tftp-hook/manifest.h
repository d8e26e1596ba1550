/* manifest.h: the manifest's lines (manifest.c), for tree.c. */
#ifndef PB_HOOK_MANIFEST_H
#define PB_HOOK_MANIFEST_H

#include "hook.h"

#define MANIFEST ".pureboot-manifest"

/* Append "+name" or "-name". */
int man_append(struct tree *t, char op, const char *name, struct pb_err *e);
/* Claim name before it first appears (sync: fdatasync the line). */
int man_add(struct tree *t, const char *name, int sync, struct pb_err *e);
/* Read the manifest into t->man: only names hook_name_ok() accepts. */
int man_load(struct tree *t, struct pb_err *e);
/* ".<name>.<kind>.XXXXXX" (tree.c): a name no reader asks for. */
void tree_tmpname(char *out, size_t size, const char *name,
    const char *kind);

#endif

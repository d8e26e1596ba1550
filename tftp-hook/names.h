/* names.h: which names the hook may create at the top of the TFTP root
 * (names.c).  Pure. */
#ifndef PB_HOOK_NAMES_H
#define PB_HOOK_NAMES_H

/* A serial dir, a MAC fence dir or a discovery root entry. */
int hook_name_ok(const char *name);
/* A discovery root entry: a fixed file or link, or a DTB that
 * lib/boot/pimodel.c names for some model. */
int hook_root_name_ok(const char *name);

#endif

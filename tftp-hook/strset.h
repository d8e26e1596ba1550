/* strset.h: the hook's string set and string -> string map. */
#ifndef PB_STRSET_H
#define PB_STRSET_H

#include <stddef.h>

/* Names the hook may create at the top of the TFTP root: a serial dir
 * (8 hex), a MAC fence dir (xx-xx-xx-xx-xx-xx) or a discovery root
 * file from a fixed list.  Nothing else, whatever a manifest says. */
#define HOOK_NAME_MAX 40

/* A string set (open addressing); names up to HOOK_NAME_MAX. */
struct strset {
	char (*slot)[HOOK_NAME_MAX];
	size_t cap, n, fill;	/* fill: live + deleted slots */
};
int strset_add(struct strset *s, const char *name);	/* 1 new, 0 had, -1 */
int strset_has(const struct strset *s, const char *name);
int strset_del(struct strset *s, const char *name);	/* 1 if it was there */
void strset_free(struct strset *s);
/* Iterate: i from 0; returns the next name or NULL. */
const char *strset_next(const struct strset *s, size_t *i);

struct strmap {
	struct { char k[HOOK_NAME_MAX], v[HOOK_NAME_MAX]; } *slot;
	size_t cap, n, fill;
};
int strmap_set(struct strmap *m, const char *k, const char *v);
const char *strmap_get(const struct strmap *m, const char *k);
void strmap_del(struct strmap *m, const char *k);
void strmap_free(struct strmap *m);

#endif

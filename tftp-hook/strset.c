/* strset.c: the hook's string set and string map (open addressing). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "strset.h"

static uint64_t
hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;	/* FNV-1a */

	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
	return h;
}

/* Tombstones keep probe chains intact after a delete. */
#define TOMB "\x01"

static int
grow(struct strset *s)
{
	/* Double when live names fill a quarter; else only clear the
	 * tombstones (a churning set must not grow for ever). */
	struct strset n = { NULL, s->cap == 0 ? 256 :
	    (s->n + 1) * 4 > s->cap ? s->cap * 2 : s->cap, 0, 0 };
	size_t i;

	if ((n.slot = calloc(n.cap, sizeof(*n.slot))) == NULL)
		return -1;
	for (i = 0; i < s->cap; i++)
		if (s->slot[i][0] != '\0' && strcmp(s->slot[i], TOMB) != 0)
			strset_add(&n, s->slot[i]);
	free(s->slot);
	*s = n;
	return 0;
}

static size_t
find(const struct strset *s, const char *name, int *found)
{
	size_t i = hash(name) & (s->cap - 1), tomb = (size_t)-1;

	*found = 0;
	while (s->slot[i][0] != '\0') {
		if (strcmp(s->slot[i], name) == 0) {
			*found = 1;
			return i;
		}
		if (tomb == (size_t)-1 && strcmp(s->slot[i], TOMB) == 0)
			tomb = i;
		i = (i + 1) & (s->cap - 1);
	}
	return tomb != (size_t)-1 ? tomb : i;
}

int
strset_add(struct strset *s, const char *name)
{
	size_t i;
	int found;

	if (strlen(name) >= HOOK_NAME_MAX || name[0] == '\0')
		return -1;
	if ((s->fill + 1) * 2 > s->cap && grow(s) == -1)
		return -1;
	i = find(s, name, &found);
	if (found)
		return 0;
	if (s->slot[i][0] == '\0')
		s->fill++;
	strcpy(s->slot[i], name);
	s->n++;
	return 1;
}

int
strset_has(const struct strset *s, const char *name)
{
	int found;

	if (s->cap == 0)
		return 0;
	find(s, name, &found);
	return found;
}

int
strset_del(struct strset *s, const char *name)
{
	size_t i;
	int found;

	if (s->cap == 0)
		return 0;
	i = find(s, name, &found);
	if (!found)
		return 0;
	strcpy(s->slot[i], TOMB);
	s->n--;
	return 1;
}

const char *
strset_next(const struct strset *s, size_t *i)
{
	while (*i < s->cap) {
		const char *v = s->slot[(*i)++];

		if (v[0] != '\0' && strcmp(v, TOMB) != 0)
			return v;
	}
	return NULL;
}

void
strset_free(struct strset *s)
{
	free(s->slot);
	s->slot = NULL;
	s->cap = s->n = s->fill = 0;
}

/* A string -> string map on the same scheme. */
static size_t
mfind(const struct strmap *m, const char *k, int *found)
{
	size_t i = hash(k) & (m->cap - 1), tomb = (size_t)-1;

	*found = 0;
	while (m->slot[i].k[0] != '\0') {
		if (strcmp(m->slot[i].k, k) == 0) {
			*found = 1;
			return i;
		}
		if (tomb == (size_t)-1 && strcmp(m->slot[i].k, TOMB) == 0)
			tomb = i;
		i = (i + 1) & (m->cap - 1);
	}
	return tomb != (size_t)-1 ? tomb : i;
}

int
strmap_set(struct strmap *m, const char *k, const char *v)
{
	size_t i;
	int found;

	if (strlen(k) >= HOOK_NAME_MAX || strlen(v) >= HOOK_NAME_MAX ||
	    k[0] == '\0')
		return -1;
	if ((m->fill + 1) * 2 > m->cap) {
		struct strmap n = { NULL, m->cap == 0 ? 256 :
		    (m->n + 1) * 4 > m->cap ? m->cap * 2 : m->cap, 0, 0 };

		if ((n.slot = calloc(n.cap, sizeof(*n.slot))) == NULL)
			return -1;
		for (i = 0; i < m->cap; i++)
			if (m->slot[i].k[0] != '\0' &&
			    strcmp(m->slot[i].k, TOMB) != 0)
				strmap_set(&n, m->slot[i].k, m->slot[i].v);
		free(m->slot);
		*m = n;
	}
	i = mfind(m, k, &found);
	if (!found) {
		if (m->slot[i].k[0] == '\0')
			m->fill++;
		strcpy(m->slot[i].k, k);
		m->n++;
	}
	strcpy(m->slot[i].v, v);
	return 0;
}

const char *
strmap_get(const struct strmap *m, const char *k)
{
	size_t i;
	int found;

	if (m->cap == 0)
		return NULL;
	i = mfind(m, k, &found);
	return found ? m->slot[i].v : NULL;
}

void
strmap_del(struct strmap *m, const char *k)
{
	size_t i;
	int found;

	if (m->cap == 0)
		return;
	i = mfind(m, k, &found);
	if (!found)
		return;
	strcpy(m->slot[i].k, TOMB);
	m->slot[i].v[0] = '\0';
	m->n--;
}

void
strmap_free(struct strmap *m)
{
	free(m->slot);
	memset(m, 0, sizeof(*m));
}

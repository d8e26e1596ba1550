/* wf_diag.c: workflow error positions and the error list. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "wf/wf_diag.h"

void
wf_marks_free(struct wf_marks *m)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		free(m->v[i].key);
	free(m->v);
	m->v = NULL;
	m->n = m->cap = 0;
}

const struct wf_mark *
wf_mark_find(const struct wf_marks *m, const json_t *parent, const char *key,
    size_t index)
{
	size_t i;

	if (m == NULL)
		return NULL;
	for (i = 0; i < m->n; i++) {
		if (m->v[i].parent != parent)
			continue;
		if (key == NULL ? (m->v[i].key == NULL && m->v[i].index == index)
		    : (m->v[i].key != NULL && strcmp(m->v[i].key, key) == 0))
			return &m->v[i];
	}
	return NULL;
}

void
wf_diag_add(struct pb_wf_diag *d, int line, int col, const char *key,
    const char *fmt, ...)
{
	struct pb_wf_error *w;
	va_list ap;

	if (d->n == PB_WF_MAX_ERRORS) {
		d->dropped++;
		return;
	}
	w = &d->e[d->n++];
	w->line = line;
	w->col = col;
	/* A key path is made of the file's own keys, any bytes YAML can
	 * hold: escaped as every untrusted value in a message is, so an
	 * error line stays one printable line (a terminal, a JSON reply). */
	pb_quote(w->key, sizeof(w->key), key, sizeof(w->key));
	va_start(ap, fmt);
	vsnprintf(w->reason, sizeof(w->reason), fmt, ap);
	va_end(ap);
}

/* wf_diag.h: where a workflow error was, and the list of errors.  The
 * YAML reader (wf_yaml.c) records marks and reports syntax errors; the
 * schema check (wf_schema.c) looks marks up and reports schema errors.
 * Both use this unit and neither calls the other: no cycle between
 * them. */
#ifndef PB_WF_DIAG_H
#define PB_WF_DIAG_H

#include <stddef.h>

#include <jansson.h>

#include "wf/workflow.h"

/* Where one member of an object (key != NULL) or item of an array was.
 * Keyed by the container, because jansson's true/false/null are shared
 * singletons and cannot carry a position of their own. */
struct wf_mark {
	const json_t *parent;	/* NULL: the document's root */
	char *key;
	size_t index;
	int kline, kcol;	/* the key (arrays: same as the value) */
	int vline, vcol;	/* the value */
};

/* Filled by the YAML reader (it owns the keys' copies). */
struct wf_marks {
	struct wf_mark *v;
	size_t n, cap;
};

void wf_marks_free(struct wf_marks *m);

/* The mark of parent[key] or parent[index]; NULL if unknown or m is
 * NULL. */
const struct wf_mark *wf_mark_find(const struct wf_marks *m,
    const json_t *parent, const char *key, size_t index);

/* Add one error; past PB_WF_MAX_ERRORS it is only counted. */
void wf_diag_add(struct pb_wf_diag *d, int line, int col, const char *key,
    const char *fmt, ...) __attribute__((format(printf, 5, 6)));

#endif

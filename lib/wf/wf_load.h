/* wf_load.h: inside the workflow loader.  The YAML reader
 * (wf_yaml.c) turns a document into JSON and remembers where each key
 * and value was; the schema check (wf_schema.c) then works on the JSON
 * alone and asks these marks for positions.  The stored definition,
 * which has no positions, goes through the same check without marks. */
#ifndef PB_WF_LOAD_H
#define PB_WF_LOAD_H

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

struct wf_marks {
	struct wf_mark *v;
	size_t n, cap;
};

void wf_marks_free(struct wf_marks *m);

/* The mark of parent[key] or parent[index]; NULL if unknown. */
const struct wf_mark *wf_mark_find(const struct wf_marks *m,
    const json_t *parent, const char *key, size_t index);

/* YAML text -> JSON with marks.  Syntax errors, anchors, aliases, tags,
 * several documents, duplicate keys and too deep nesting are reported
 * here; NULL if any was found. */
json_t *wf_yaml_to_json(const char *buf, size_t len, struct wf_marks *m,
    struct pb_wf_diag *d);

/* The schema check of docs/workflows.md; marks may be NULL.  With
 * WF_META_OPTIONAL, id, name and arch may be absent (the resolver: the
 * table's own columns hold them); when present they are checked. */
#define WF_META_OPTIONAL 1
int wf_validate(const json_t *def, const struct wf_marks *m,
    struct pb_wf_diag *d, int flags);

void wf_diag_add(struct pb_wf_diag *d, int line, int col, const char *key,
    const char *fmt, ...) __attribute__((format(printf, 5, 6)));

#endif

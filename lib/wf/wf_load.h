/* wf_load.h: inside the workflow loader.  The YAML reader
 * (wf_yaml.c) turns a document into JSON and remembers where each key
 * and value was; the schema check (wf_schema.c) then works on the JSON
 * alone and asks these marks for positions.  The stored definition,
 * which has no positions, goes through the same check without marks.
 * Both halves report through wf_diag.h and call each other not at all. */
#ifndef PB_WF_LOAD_H
#define PB_WF_LOAD_H

#include <stddef.h>

#include <jansson.h>

#include "wf/wf_diag.h"
#include "wf/workflow.h"

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

#endif

/* wf_yaml.c: workflow YAML -> JSON with positions (libyaml).
 *
 * Two passes over the text.  The event pass refuses what the document
 * API would silently resolve: anchors and aliases (a few lines of
 * aliases expand to gigabytes), explicit tags, several documents, and
 * nesting deeper than any workflow needs.  Only a clean stream is then
 * loaded as a document and converted, scalar by scalar. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "core/err.h"
#include "wf/wf_load.h"

/* root mapping > post_install > step > fields > list > item */
#define MAX_DEPTH 6

static int
mark_add(struct wf_marks *m, const json_t *parent, const char *key,
    size_t index, yaml_mark_t k, yaml_mark_t v)
{
	struct wf_mark *nv, *w;

	if (m->n == m->cap) {
		m->cap = m->cap ? m->cap * 2 : 64;
		if ((nv = realloc(m->v, m->cap * sizeof(*nv))) == NULL)
			return -1;
		m->v = nv;
	}
	w = &m->v[m->n];
	w->key = NULL;
	if (key != NULL && (w->key = strdup(key)) == NULL)
		return -1;
	w->parent = parent;
	w->index = index;
	w->kline = (int)k.line + 1;
	w->kcol = (int)k.column + 1;
	w->vline = (int)v.line + 1;
	w->vcol = (int)v.column + 1;
	m->n++;
	return 0;
}

/* Line and column of a byte offset, for reader errors (bad UTF-8),
 * which libyaml reports by offset only. */
static void
offset_mark(const char *buf, size_t len, size_t off, int *line, int *col)
{
	size_t i;

	*line = 1;
	*col = 1;
	for (i = 0; i < off && i < len; i++) {
		if (buf[i] == '\n') {
			(*line)++;
			*col = 1;
		} else if (((unsigned char)buf[i] & 0xc0) != 0x80)
			(*col)++;
	}
}

static void
parser_error(const yaml_parser_t *p, const char *buf, size_t len,
    struct pb_wf_diag *d)
{
	int line, col;

	if (p->error == YAML_READER_ERROR) {
		offset_mark(buf, len, p->problem_offset, &line, &col);
		wf_diag_add(d, line, col, "yaml", "%s",
		    p->problem ? p->problem : "cannot read the text");
		return;
	}
	line = (int)p->problem_mark.line + 1;
	col = (int)p->problem_mark.column + 1;
	if (p->context != NULL)
		wf_diag_add(d, line, col, "yaml", "%s (%s at line %d column %d)",
		    p->problem ? p->problem : "syntax error", p->context,
		    (int)p->context_mark.line + 1,
		    (int)p->context_mark.column + 1);
	else
		wf_diag_add(d, line, col, "yaml", "%s",
		    p->problem ? p->problem : "syntax error");
}

static void
event_checks(const yaml_event_t *ev, struct pb_wf_diag *d)
{
	const yaml_char_t *anchor = NULL, *tag = NULL;
	char q[4 * 60 + 4];
	int line = (int)ev->start_mark.line + 1;
	int col = (int)ev->start_mark.column + 1;

	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		anchor = ev->data.scalar.anchor;
		tag = ev->data.scalar.tag;
		break;
	case YAML_SEQUENCE_START_EVENT:
		anchor = ev->data.sequence_start.anchor;
		tag = ev->data.sequence_start.tag;
		break;
	case YAML_MAPPING_START_EVENT:
		anchor = ev->data.mapping_start.anchor;
		tag = ev->data.mapping_start.tag;
		break;
	case YAML_ALIAS_EVENT:
		wf_diag_add(d, line, col, "yaml", "alias \"*%.40s\" is not "
		    "allowed (no anchors or aliases in workflow files)",
		    (const char *)ev->data.alias.anchor);
		return;
	default:
		return;
	}
	if (anchor != NULL)
		wf_diag_add(d, line, col, "yaml", "anchor \"&%.40s\" is not "
		    "allowed (no anchors or aliases in workflow files)",
		    (const char *)anchor);
	/* libyaml decodes %-escapes in a tag: any byte.  (Anchor names
	 * are letters, digits, '-' and '_' only.) */
	if (tag != NULL) {
		pb_quote(q, sizeof(q), (const char *)tag, 60);
		wf_diag_add(d, line, col, "yaml", "tag \"%s\" is not allowed "
		    "(no tags in workflow files)", q);
	}
}

/* The event pass: 0 if the stream may be loaded as a document. */
static int
scan_events(const char *buf, size_t len, struct pb_wf_diag *d)
{
	yaml_parser_t p;
	yaml_event_t ev;
	size_t before = d->n + d->dropped;
	int depth = 0, docs = 0, done = 0;

	if (!yaml_parser_initialize(&p)) {
		wf_diag_add(d, 0, 0, "yaml", "out of memory");
		return -1;
	}
	yaml_parser_set_input_string(&p, (const unsigned char *)buf, len);
	while (!done) {
		if (!yaml_parser_parse(&p, &ev)) {
			parser_error(&p, buf, len, d);
			break;
		}
		event_checks(&ev, d);
		switch (ev.type) {
		case YAML_DOCUMENT_START_EVENT:
			if (++docs == 2)
				wf_diag_add(d, (int)ev.start_mark.line + 1,
				    (int)ev.start_mark.column + 1, "yaml",
				    "a second document; a workflow file holds "
				    "exactly one");
			if (ev.data.document_start.tag_directives.start !=
			    ev.data.document_start.tag_directives.end)
				wf_diag_add(d, (int)ev.start_mark.line + 1,
				    (int)ev.start_mark.column + 1, "yaml",
				    "%%TAG directives are not allowed");
			break;
		case YAML_SEQUENCE_START_EVENT:
		case YAML_MAPPING_START_EVENT:
			if (++depth > MAX_DEPTH) {
				wf_diag_add(d, (int)ev.start_mark.line + 1,
				    (int)ev.start_mark.column + 1, "yaml",
				    "nesting deeper than %d levels",
				    MAX_DEPTH);
				done = 1;
			}
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			depth--;
			break;
		case YAML_STREAM_END_EVENT:
			done = 1;
			break;
		default:
			break;
		}
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&p);
	return d->n + d->dropped == before ? 0 : -1;
}

static int
is_one_of(const char *s, const char *const *list)
{
	for (; *list != NULL; list++)
		if (strcmp(s, *list) == 0)
			return 1;
	return 0;
}

/* A plain scalar is typed the YAML 1.2 core way, so that the schema
 * can say "must be a string, not a number" instead of guessing. */
static json_t *
scalar_json(const yaml_node_t *n)
{
	static const char *const nulls[] = { "", "~", "null", "Null", "NULL",
		NULL };
	static const char *const trues[] = { "true", "True", "TRUE", NULL };
	static const char *const falses[] = { "false", "False", "FALSE",
		NULL };
	const char *s = (const char *)n->data.scalar.value, *q;
	size_t len = n->data.scalar.length;
	char *end;
	long long ll;
	double dd;

	if (n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return json_stringn(s, len);
	if (is_one_of(s, nulls))
		return json_null();
	if (is_one_of(s, trues))
		return json_true();
	if (is_one_of(s, falses))
		return json_false();
	q = s + (s[0] == '-' || s[0] == '+');
	if (*q != '\0' && strspn(q, "0123456789") == strlen(q)) {
		ll = strtoll(s, &end, 10);
		return json_integer(ll);
	}
	if (strspn(s, "+-0123456789.eE") == len && strpbrk(s, "0123456789")) {
		dd = strtod(s, &end);
		if (*end == '\0')
			return json_real(dd);
	}
	return json_stringn(s, len);
}

struct conv {
	yaml_document_t *doc;
	struct wf_marks *m;
	struct pb_wf_diag *d;
	int oom;
};

static json_t *convert(struct conv *c, yaml_node_t *n, const char *path);

static json_t *
convert_map(struct conv *c, yaml_node_t *n, const char *path)
{
	yaml_node_pair_t *pr;
	yaml_node_t *k, *v;
	const struct wf_mark *first;
	json_t *obj, *val;
	char sub[96];
	const char *key;

	if ((obj = json_object()) == NULL)
		return c->oom = 1, NULL;
	for (pr = n->data.mapping.pairs.start; pr < n->data.mapping.pairs.top;
	    pr++) {
		k = yaml_document_get_node(c->doc, pr->key);
		v = yaml_document_get_node(c->doc, pr->value);
		if (k == NULL || v == NULL)
			continue;
		if (k->type != YAML_SCALAR_NODE) {
			wf_diag_add(c->d, (int)k->start_mark.line + 1,
			    (int)k->start_mark.column + 1, path[0] ? path :
			    "yaml", "a key must be a plain string, not a %s",
			    k->type == YAML_MAPPING_NODE ? "mapping" :
			    "sequence");
			continue;
		}
		key = (const char *)k->data.scalar.value;
		if (strlen(key) != k->data.scalar.length) {
			wf_diag_add(c->d, (int)k->start_mark.line + 1,
			    (int)k->start_mark.column + 1, path[0] ? path :
			    "yaml", "a key contains a NUL byte");
			continue;
		}
		snprintf(sub, sizeof(sub), "%s%s%s", path, path[0] ? "." : "",
		    key);
		if ((first = wf_mark_find(c->m, obj, key, 0)) != NULL) {
			wf_diag_add(c->d, (int)k->start_mark.line + 1,
			    (int)k->start_mark.column + 1, sub,
			    "duplicate key (first at line %d)", first->kline);
			continue;
		}
		if ((val = convert(c, v, sub)) == NULL)
			continue;
		if (json_object_set_new(obj, key, val) == -1 ||
		    mark_add(c->m, obj, key, 0, k->start_mark, v->start_mark))
			c->oom = 1;
	}
	return obj;
}

static json_t *
convert(struct conv *c, yaml_node_t *n, const char *path)
{
	yaml_node_item_t *it;
	yaml_node_t *v;
	json_t *arr, *val;
	char sub[96];
	size_t i;

	switch (n->type) {
	case YAML_SCALAR_NODE:
		if (strlen((const char *)n->data.scalar.value) !=
		    n->data.scalar.length) {
			wf_diag_add(c->d, (int)n->start_mark.line + 1,
			    (int)n->start_mark.column + 1, path,
			    "contains a NUL byte");
			return NULL;
		}
		if ((val = scalar_json(n)) == NULL)
			wf_diag_add(c->d, (int)n->start_mark.line + 1,
			    (int)n->start_mark.column + 1, path,
			    "is not valid UTF-8");
		return val;
	case YAML_MAPPING_NODE:
		return convert_map(c, n, path);
	case YAML_SEQUENCE_NODE:
		if ((arr = json_array()) == NULL)
			return c->oom = 1, NULL;
		for (it = n->data.sequence.items.start, i = 0;
		    it < n->data.sequence.items.top; it++, i++) {
			if ((v = yaml_document_get_node(c->doc, *it)) == NULL)
				continue;
			snprintf(sub, sizeof(sub), "%s[%zu]", path, i);
			/* An item that failed still holds its index, so
			 * that later positions stay right. */
			if ((val = convert(c, v, sub)) == NULL)
				val = json_null();
			if (json_array_append_new(arr, val) == -1 ||
			    mark_add(c->m, arr, NULL, i, v->start_mark,
			    v->start_mark))
				c->oom = 1;
		}
		return arr;
	default:
		return NULL;
	}
}

json_t *
wf_yaml_to_json(const char *buf, size_t len, struct wf_marks *m,
    struct pb_wf_diag *d)
{
	yaml_parser_t p;
	yaml_document_t doc;
	yaml_node_t *root;
	struct conv c;
	json_t *j = NULL;
	size_t before = d->n + d->dropped;
	int have_doc = 0, have_parser = 0;

	if (scan_events(buf, len, d) == -1)
		return NULL;
	if (!yaml_parser_initialize(&p))
		goto oom;
	have_parser = 1;
	yaml_parser_set_input_string(&p, (const unsigned char *)buf, len);
	if (!yaml_parser_load(&p, &doc)) {
		parser_error(&p, buf, len, d);
		goto out;
	}
	have_doc = 1;
	if ((root = yaml_document_get_root_node(&doc)) == NULL) {
		wf_diag_add(d, 1, 1, "yaml", "the file is empty; a workflow is "
		    "a mapping of keys such as id, name, arch");
		goto out;
	}
	c.doc = &doc;
	c.m = m;
	c.d = d;
	c.oom = 0;
	j = convert(&c, root, "");
	if (j != NULL && mark_add(m, NULL, NULL, 0, root->start_mark,
	    root->start_mark) == -1)
		c.oom = 1;
	if (c.oom)
		goto oom;
	goto out;
oom:
	wf_diag_add(d, 0, 0, "yaml", "out of memory");
out:
	if (have_doc)
		yaml_document_delete(&doc);
	if (have_parser)
		yaml_parser_delete(&p);
	if (j != NULL && d->n + d->dropped != before) {
		json_decref(j);
		j = NULL;
	}
	return j;
}

/* wf_vars.c: typed workflow variables and their per-node values
 * (wf_vars.h).  Pure. */
#include <stdio.h>
#include <string.h>

#include "core/chars.h"
#include "core/json_iter.h"
#include "wf/wf_rules.h"
#include "wf/wf_vars.h"

/* The value set of a string variable: the defaults' set without the
 * '$', '{' and '}' of references.  A node's value is literal. */
#define VALUE_SET PB_LOWER PB_UPPER PB_DIGIT "._~:/?#@&+,=%-"

static const char *const vtypes[] = { "string", "word", "hostname",
	"integer", "boolean", NULL };

int
wf_vtype_parse(enum wf_vtype *t, const char *what, const char *s,
    struct pb_err *e)
{
	int i;

	for (i = 0; vtypes[i] != NULL; i++)
		if (strcmp(s, vtypes[i]) == 0) {
			*t = (enum wf_vtype)i;
			return 0;
		}
	return pb_refuse(e, what, s, "is not one of string, word, hostname, "
	    "integer, boolean");
}

const char *
wf_vtype_name(enum wf_vtype t)
{
	return vtypes[t];
}

const char *
wf_vtype_sample(enum wf_vtype t)
{
	static const char *const sample[] = { "sample", "sample",
		"pi-00000000", "0", "true" };

	return sample[t];
}

int
wf_var_check(enum wf_vtype t, const char *what, const char *s,
    struct pb_err *e)
{
	size_t n = strlen(s), nd;
	const char *d;

	if (n > WF_VAR_MAX)
		return pb_refuse(e, what, s, "is longer than %d characters",
		    WF_VAR_MAX);
	switch (t) {
	case WF_VT_STRING:
		if (strspn(s, VALUE_SET " ") != n)
			return pb_refuse(e, what, s, "contains a character "
			    "outside [A-Za-z0-9._~:/?#@&+,=%% -]");
		return 0;
	case WF_VT_WORD:
		if (n == 0 || strspn(s, VALUE_SET) != n)
			return pb_refuse(e, what, s, "is not a word of "
			    "[A-Za-z0-9._~:/?#@&+,=%%-]");
		return 0;
	case WF_VT_HOSTNAME:
		return wf_check_hostname(what, s, e);
	case WF_VT_INTEGER:
		/* Decimal, no sign games: what a script's $((...)) and a
		 * config file both read the same way. */
		d = s + (s[0] == '-');
		nd = strlen(d);
		if (nd == 0 || nd > 18 || strspn(d, PB_DIGIT) != nd ||
		    (d[0] == '0' && nd > 1))
			return pb_refuse(e, what, s, "is not an integer");
		return 0;
	case WF_VT_BOOLEAN:
		if (strcmp(s, "true") != 0 && strcmp(s, "false") != 0)
			return pb_refuse(e, what, s, "is not true or false");
		return 0;
	}
	return pb_refuse(e, what, s, "has an unknown type");
}

int
wf_var_decl(const json_t *definition, const char *name, enum wf_vtype *t,
    const char **dflt)
{
	const json_t *v = json_object_get(json_object_get(definition,
	    "variables"), name);
	const char *ts;

	if (v == NULL)
		return -1;
	*t = WF_VT_STRING;
	if (json_is_string(v)) {
		*dflt = json_string_value(v);
		return 0;
	}
	/* The mapping form; the loader checked it. */
	ts = json_string_value(json_object_get(v, "type"));
	if (ts != NULL && wf_vtype_parse(t, "", ts, NULL) == -1)
		return -1;
	*dflt = json_string_value(json_object_get(v, "default"));
	return 0;
}

/* One patch value as the string it is stored as, checked. */
static int
node_value(const json_t *definition, const char *k, const json_t *v,
    char *buf, size_t bufsz, struct pb_err *e)
{
	enum wf_vtype t;
	const char *dflt, *s;
	char what[PB_QUOTE_MAX * 4 + 16], q[PB_QUOTE_MAX * 4 + 4];

	pb_quote(q, sizeof(q), k, 40);
	snprintf(what, sizeof(what), "vars.%s", q);
	if (wf_var_decl(definition, k, &t, &dflt) == -1)
		return pb_fail(e, "vars: \"%s\" is not a variable of the node's "
		    "workflow", q);
	if (json_is_string(v))
		s = json_string_value(v);
	else if (t == WF_VT_INTEGER && json_is_integer(v)) {
		snprintf(buf, bufsz, "%lld", (long long)json_integer_value(v));
		s = buf;
	} else if (t == WF_VT_BOOLEAN && json_is_boolean(v))
		s = json_is_true(v) ? "true" : "false";
	else
		return pb_fail(e, "%s: must be a string (or null to remove "
		    "it), for a variable of type %s", what, wf_vtype_name(t));
	if (wf_var_check(t, what, s, e) == -1)
		return -1;
	if (s != buf)
		snprintf(buf, bufsz, "%s", s);
	return 0;
}

json_t *
wf_node_vars_new(const json_t *definition, const json_t *stored,
    const json_t *patch, struct pb_err *e)
{
	char buf[WF_VAR_MAX + 1];
	json_t *out, *v;
	const char *k;

	if ((out = json_object()) == NULL)
		goto oom;
	if (patch == NULL || json_is_null(patch))
		return out;	/* cleared; or nothing given and nothing kept */
	if (!json_is_object(patch)) {
		pb_fail(e, "vars: must be an object of variable names to "
		    "values, or null");
		goto fail;
	}
	json_object_foreach(pb_json_iterable(stored), k, v)
		if (json_object_set(out, k, v) == -1)
			goto oom;
	json_object_foreach(pb_json_iterable(patch), k, v) {
		if (json_is_null(v)) {
			json_object_del(out, k);
			continue;
		}
		if (definition == NULL) {
			pb_fail(e, "vars: the node has no workflow; assign one "
			    "(workflow_id) before setting its variables");
			goto fail;
		}
		if (node_value(definition, k, v, buf, sizeof(buf), e) == -1)
			goto fail;
		if (json_object_set_new(out, k, json_string(buf)) == -1)
			goto oom;
	}
	/* A value kept from before must fit this workflow too: the patch
	 * may have changed the workflow. */
	json_object_foreach(pb_json_iterable(out), k, v)
		if (node_value(definition, k, v, buf, sizeof(buf), e) == -1)
			goto fail;
	return out;
oom:
	pb_fail(e, "vars: out of memory");
fail:
	json_decref(out);
	return NULL;
}

/* jsonfield.c: body fields by table, with reasons that name them. */
#include <string.h>

#include "core/json_iter.h"
#include "jsonfield.h"

int
pb_fields(const json_t *obj, struct pb_field *f, struct pb_err *e)
{
	const char *key;
	const json_t *v;
	char q[64];
	size_t i;

	for (i = 0; f[i].name != NULL; i++)
		f[i].v = NULL;
	if (!json_is_object(obj))
		return pb_fail(e, "body must be a JSON object");
	json_object_foreach(pb_json_iterable(obj), key, v) {
		for (i = 0; f[i].name != NULL; i++)
			if (strcmp(key, f[i].name) == 0)
				break;
		if (f[i].name == NULL) {
			pb_quote(q, sizeof(q), key, 40);
			return pb_fail(e, "unknown field \"%s\"", q);
		}
		f[i].v = v;
	}
	for (i = 0; f[i].name != NULL; i++)
		if (f[i].required && (f[i].v == NULL || json_is_null(f[i].v)))
			return pb_fail(e, "field \"%s\" is required", f[i].name);
	return 0;
}

int
pb_json_str(const json_t *v, const char *name, const char **out,
    struct pb_err *e)
{
	if (!json_is_string(v))
		return pb_fail(e, "field \"%s\" must be a string", name);
	*out = json_string_value(v);
	return 0;
}

int
pb_json_text(const json_t *v, const char *name, size_t max,
    const char **out, struct pb_err *e)
{
	const unsigned char *s;
	size_t n;

	if (pb_json_str(v, name, out, e) == -1)
		return -1;
	n = json_string_length(v);
	if (n == 0 || n > max)
		return pb_fail(e, "field \"%s\" must be 1 to %zu bytes", name,
		    max);
	for (s = (const unsigned char *)*out; *s != '\0'; s++)
		if (*s < 0x20 || *s == 0x7f)
			return pb_fail(e, "field \"%s\" must not contain control "
			    "characters", name);
	return 0;
}

int
pb_json_bool(const json_t *v, const char *name, int *out, struct pb_err *e)
{
	if (!json_is_boolean(v))
		return pb_fail(e, "field \"%s\" must be true or false", name);
	*out = json_is_true(v);
	return 0;
}

int
pb_json_int(const json_t *v, const char *name, long long lo, long long hi,
    long long *out, struct pb_err *e)
{
	json_int_t n;

	if (!json_is_integer(v))
		return pb_fail(e, "field \"%s\" must be an integer", name);
	n = json_integer_value(v);
	if (n < lo || n > hi)
		return pb_fail(e, "field \"%s\" must be from %lld to %lld", name,
		    lo, hi);
	*out = (long long)n;
	return 0;
}

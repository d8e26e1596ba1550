/* jsonfield.c: body fields by table, with reasons that name them. */
#include <string.h>

#include "boot/model.h"
#include "core/board.h"
#include "core/ident.h"
#include "core/json_iter.h"
#include "core/nodestate.h"
#include "core/url.h"
#include "jsonfield.h"

int
pb_jfields(const json_t *obj, struct pb_jfield *f, struct pb_err *e)
{
	const char *key;
	const json_t *v;
	char q[64];
	size_t i;

	for (i = 0; f[i].name != NULL; i++)
		f[i].given = PB_ABSENT;
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
		f[i].given = json_is_null(v) ? PB_GIVEN_NULL : PB_GIVEN;
	}
	for (i = 0; f[i].name != NULL; i++)
		if ((f[i].flags & PB_F_REQUIRED) && f[i].given != PB_GIVEN)
			return pb_fail(e, "field \"%s\" is required", f[i].name);
	for (i = 0; f[i].name != NULL; i++) {
		if (f[i].parse == NULL || f[i].given == PB_ABSENT ||
		    (f[i].given == PB_GIVEN_NULL && !(f[i].flags & PB_F_NULL)))
			continue;
		if (f[i].parse(json_object_get(obj, f[i].name), f[i].name,
		    f[i].out, e) == -1)
			return -1;
	}
	return 0;
}

int
pb_jf_str(const json_t *v, const char *name, void *out, struct pb_err *e)
{
	return pb_json_str(v, name, out, e);
}

int
pb_jf_comment(const json_t *v, const char *name, void *out,
    struct pb_err *e)
{
	return pb_json_text(v, name, 500, out, e);
}

int
pb_jf_bool(const json_t *v, const char *name, void *out, struct pb_err *e)
{
	return pb_json_bool(v, name, out, e);
}

/* The identifier parsers name the field themselves ("serial \"x\" is
 * not ..."), so these only take the string first. */
#define STR_THEN(fn, parse)						\
int									\
fn(const json_t *v, const char *name, void *out, struct pb_err *e)	\
{									\
	const char *s = NULL;						\
									\
	if (pb_json_str(v, name, &s, e) == -1)				\
		return -1;						\
	return parse;							\
}

STR_THEN(pb_jf_serial_loose, pb_serial_parse_loose(out, s, e))
STR_THEN(pb_jf_mac, pb_mac_parse(out, s, e))
STR_THEN(pb_jf_ip, pb_ip_parse(out, s, e))
STR_THEN(pb_jf_hostname, pb_hostname_parse(out, s, e))
STR_THEN(pb_jf_state, pb_state_parse(out, s, e))
STR_THEN(pb_jf_url, pb_url_parse(out, s, e))
STR_THEN(pb_jf_arch, pb_arch_parse(out, s, e))
STR_THEN(pb_jf_board_mode, pb_board_boot_mode_parse(out, s, e))

/* Checked strings kept as they are (borrowed from the body). */
#define CHECKED(fn, check)						\
int									\
fn(const json_t *v, const char *name, void *out, struct pb_err *e)	\
{									\
	const char *s = NULL;						\
									\
	if (pb_json_str(v, name, &s, e) == -1 || (check) == -1)	\
		return -1;						\
	*(const char **)out = s;					\
	return 0;							\
}

CHECKED(pb_jf_workflow_id, pb_workflow_id_check(s, e))
CHECKED(pb_jf_board, pb_board_name_check(s, e))
CHECKED(pb_jf_dtb, pb_dtb_check(name, s, e))
CHECKED(pb_jf_console, pb_console_check(name, s, e))
CHECKED(pb_jf_cmdline_extra, pb_cmdline_extra_check(name, s, e))
CHECKED(pb_jf_board_text, pb_board_text_check(name, s, e))

int
pb_jf_model(const json_t *v, const char *name, void *out, struct pb_err *e)
{
	enum pb_model m;
	const char *s = NULL;

	if (pb_json_str(v, name, &s, e) == -1 ||
	    pb_model_parse(&m, s, e) == -1)
		return -1;
	*(const char **)out = pb_model_name(m);
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

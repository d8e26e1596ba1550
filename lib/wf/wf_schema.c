/* wf_schema.c: the workflow schema (docs/workflows.md), checked on the
 * JSON form.  Every error is reported, not only the first; positions
 * come from the marks the YAML reader left, when there are any.  Pure. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "core/json_iter.h"
#include "core/nodestate.h"
#include "wf/wf_load.h"
#include "wf/wf_rules.h"
#include "wf/wf_vars.h"

typedef int rule_fn(const char *what, const char *s, struct pb_err *e);

enum ftype { F_STR, F_BOOL, F_STRLIST, F_INT };

/* A key of a mapping: its type, its rule, whether ${...} may be used. */
struct field {
	const char *name;
	enum ftype type;
	rule_fn *rule;
	int refs;
	int required;
	size_t maxn;		/* F_STRLIST: at most this many items;
				 * F_INT: 1 to this */
};

enum method { M_IMAGE, M_NFS, M_SCRIPT, M_NONE };
static const char *const method_names[] = { "image", "nfs", "script", NULL };

#define MI (1 << M_IMAGE)
#define MN (1 << M_NFS)
#define MS (1 << M_SCRIPT)

struct rootkey {
	struct field f;
	int applies;		/* methods it applies to */
	int required_for;	/* methods it is required for */
};

struct vctx {
	const struct wf_marks *m;
	struct pb_wf_diag *d;
	struct wf_vars vars;	/* sample values, for checks after expansion */
	char sample[WF_MAX_VARS][WF_MAX_URL + 1];
};

static int rule_arch(const char *what, const char *s,
    struct pb_err *e);
static int rule_method(const char *what, const char *s,
    struct pb_err *e);
static int rule_sha_of(const char *what, const char *s,
    struct pb_err *e);
static int rule_verify(const char *what, const char *s,
    struct pb_err *e);
static int rule_nfs_mode(const char *what, const char *s,
    struct pb_err *e);
static int rule_where(const char *what, const char *s,
    struct pb_err *e);

static const struct rootkey rootkeys[] = {
	{ { "id", F_STR, wf_check_id, 0, 1, 0 }, MI | MN | MS, 0 },
	{ { "name", F_STR, wf_check_name, 0, 1, 0 }, MI | MN | MS, 0 },
	{ { "arch", F_STR, rule_arch, 0, 1, 0 }, MI | MN | MS, 0 },
	{ { "install_method", F_STR, rule_method, 0, 1, 0 }, MI | MN | MS, 0 },
	{ { "image_url", F_STR, wf_check_url, 1, 0, 0 }, MI, MI },
	{ { "image_sha256", F_STR, wf_check_sha256, 0, 0, 0 }, MI, 0 },
	{ { "image_sha256_of", F_STR, rule_sha_of, 0, 0, 0 }, MI, 0 },
	{ { "image_verify", F_STR, rule_verify, 0, 0, 0 }, MI, 0 },
	{ { "target_device", F_STR, wf_check_device, 0, 0, 0 }, MI | MS, MI },
	{ { "nfs_server", F_STR, pb_check_host, 1, 0, 0 }, MN, MN },
	{ { "nfs_base_path", F_STR, pb_check_abspath, 1, 0, 0 }, MN, MN },
	{ { "nfs_image", F_STR, pb_check_filename, 1, 0, 0 }, MN, MN },
	{ { "nfs_options", F_STR, wf_check_nfs_options, 1, 0, 0 }, MN, 0 },
	{ { "nfs_mode", F_STR, rule_nfs_mode, 0, 0, 0 }, MN, 0 },
	{ { "script_url", F_STR, wf_check_url, 1, 0, 0 }, MS, MS },
	{ { "script_sha256", F_STR, wf_check_sha256, 0, 0, 0 }, MS, MS },
	{ { "script_args", F_STR, wf_check_args, 1, 0, 0 }, MS, 0 },
	/* Seconds; a day bounds a hung installer on a board nobody
	 * watches. */
	{ { "script_timeout", F_INT, NULL, 0, 0, WF_SCRIPT_TIMEOUT_MAX }, MS,
	  0 },
	/* Checked by their own functions; listed so they are known. */
	{ { "post_install", F_STR, NULL, 0, 0, 0 }, MI | MN, 0 },
	{ { "variables", F_STR, NULL, 0, 0, 0 }, MI | MN | MS, 0 },
};
#define NROOTKEYS (sizeof(rootkeys) / sizeof(rootkeys[0]))

/* Post-install steps and their fields. */
enum step { S_ENABLE_SSH, S_SET_HOSTNAME, S_SSH_KEYS, S_CLOUD_INIT,
	S_RESIZE_ROOTFS, S_SCRIPT, S_PACKAGES, S_NSTEPS };
static const char *const step_names[] = { "enable_ssh", "set_hostname",
	"ssh_keys", "cloud_init", "resize_rootfs", "script", "packages", NULL };

static const struct field f_enable_ssh[] = {
	{ "password_authentication", F_BOOL, NULL, 0, 0, 0 }, { NULL, 0, 0, 0,
	0, 0 } };
static const struct field f_set_hostname[] = {
	{ "hostname", F_STR, wf_check_hostname, 1, 0, 0 }, { NULL, 0, 0, 0, 0,
	0 } };
static const struct field f_ssh_keys[] = {
	{ "user", F_STR, wf_check_user, 1, 0, 0 },
	{ "keys", F_STRLIST, wf_check_ssh_key, 0, 1, 32 },
	{ "password_hash", F_STR, wf_check_password_hash, 0, 0, 0 },
	{ NULL, 0, 0, 0, 0, 0 } };
static const struct field f_cloud_init[] = {
	{ "interface", F_STR, wf_check_iface, 0, 0, 0 },
	{ "timezone", F_STR, wf_check_timezone, 0, 0, 0 },
	{ NULL, 0, 0, 0, 0, 0 } };
static const struct field f_none[] = { { NULL, 0, 0, 0, 0, 0 } };
/* script and packages keep their value beside the step name. */
static const struct field f_script[] = {
	{ "script", F_STR, wf_check_url, 1, 1, 0 },
	{ "args", F_STR, wf_check_args, 1, 0, 0 },
	{ "sha256", F_STR, wf_check_sha256, 0, 0, 0 },
	{ "where", F_STR, rule_where, 0, 0, 0 },
	{ NULL, 0, 0, 0, 0, 0 } };
static const struct field f_packages[] = {
	{ "packages", F_STRLIST, wf_check_package, 0, 1, 64 },
	{ NULL, 0, 0, 0, 0, 0 } };

static const struct field *const step_fields[] = { f_enable_ssh,
	f_set_hostname, f_ssh_keys, f_cloud_init, f_none, f_script,
	f_packages };

/* a + sep + b into out, cut to fit: key paths only label messages. */
static void
join(char *out, size_t sz, const char *a, const char *sep, const char *b)
{
	size_t o = 0;
	const char *parts[3] = { a, sep, b };
	size_t i, n;

	for (i = 0; i < 3; i++) {
		n = strlen(parts[i]);
		if (n > sz - 1 - o)
			n = sz - 1 - o;
		memcpy(out + o, parts[i], n);
		o += n;
	}
	out[o] = '\0';
}

static int
in_list(const char *s, const char *const *list)
{
	int i;

	for (i = 0; list[i] != NULL; i++)
		if (strcmp(s, list[i]) == 0)
			return i;
	return -1;
}

/* s must be one of list; the reason names them all, from the list
 * itself, so the two cannot disagree. */
static int
one_of(const char *what, const char *s, const char *const *list,
    struct pb_err *e)
{
	char names[128];
	size_t i, n = 0;

	if (in_list(s, list) != -1)
		return 0;
	names[0] = '\0';
	for (i = 0; list[i] != NULL && n < sizeof(names); i++)
		n += (size_t)snprintf(names + n, sizeof(names) - n, "%s%s",
		    i > 0 ? ", " : "", list[i]);
	return pb_refuse(e, what, s, "is not one of %s", names);
}

static int
rule_arch(const char *what, const char *s, struct pb_err *e)
{
	return one_of(what, s, pb_arches, e);
}

static int
rule_method(const char *what, const char *s, struct pb_err *e)
{
	return one_of(what, s, method_names, e);
}

static int
rule_sha_of(const char *what, const char *s, struct pb_err *e)
{
	static const char *const of[] = { "compressed", "raw", NULL };

	return one_of(what, s, of, e);
}

static int
rule_verify(const char *what, const char *s, struct pb_err *e)
{
	static const char *const v[] = { "sha256", "none", NULL };

	return one_of(what, s, v, e);
}

/* Issue 11 (docs/diskless.md): where a diskless node's writes go. */
static int
rule_nfs_mode(const char *what, const char *s, struct pb_err *e)
{
	static const char *const modes[] = { "persistent", "stateless", NULL };

	return one_of(what, s, modes, e);
}

/* Issue 13: a post_install script runs in the deploy environment
 * against the written disk, or on the installed system's first boot. */
static int
rule_where(const char *what, const char *s, struct pb_err *e)
{
	static const char *const w[] = { "deploy", "first_boot", NULL };

	return one_of(what, s, w, e);
}

static const char *
jtype(const json_t *j)
{
	switch (json_typeof(j)) {
	case JSON_OBJECT: return "a mapping";
	case JSON_ARRAY: return "a list";
	case JSON_STRING: return "a string";
	case JSON_INTEGER:
	case JSON_REAL: return "a number";
	case JSON_TRUE:
	case JSON_FALSE: return "a boolean";
	default: return "empty (null)";
	}
}

/* Report at parent[key] (or parent[idx]): at the key itself when at_key,
 * else at the value. */
static void
err(struct vctx *v, const json_t *parent, const char *key, size_t idx,
    int at_key, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));

static void
err(struct vctx *v, const json_t *parent, const char *key, size_t idx,
    int at_key, const char *path, const char *fmt, ...)
{
	const struct wf_mark *mk = wf_mark_find(v->m, parent, key, idx);
	char reason[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	wf_diag_add(v->d, mk ? (at_key ? mk->kline : mk->vline) : 0,
	    mk ? (at_key ? mk->kcol : mk->vcol) : 0, path, "%s", reason);
}

#define Q(buf, s) (pb_quote((buf), sizeof(buf), (s), 60), (buf))

/* One string value against its rule, before and (for values with
 * ${...}) after filling in the sample node's variables.  The rules say
 * "VALUE" REASON (what ""): the key is the diagnostic's own. */
static void
check_string(struct vctx *v, const json_t *parent, const char *key,
    size_t idx, const char *path, const char *s, const struct field *f)
{
	struct pb_err e;
	char q[256], q2[256], buf[WF_MAX_URL + 1];

	if (f->refs && wf_has_refs(s)) {
		if (wf_refs_check("", s, &v->vars, 1, &e) == -1 ||
		    wf_expand("", s, &v->vars, buf, sizeof(buf), &e) == -1) {
			err(v, parent, key, idx, 0, path, "%s", e.msg);
			return;
		}
		/* The template is what the author wrote: quote it, and the
		 * sample only as an example. */
		if (f->rule != NULL && f->rule("", buf, &e) == -1)
			err(v, parent, key, idx, 0, path, "\"%s\" %s once its "
			    "variables are filled in (for a sample node: "
			    "\"%s\")", Q(q, s), e.msg + e.reason, Q(q2, buf));
		return;
	}
	if (f->rule != NULL && f->rule("", s, &e) == -1)
		err(v, parent, key, idx, 0, path, "%s", e.msg);
}

/* The value parent[key] (idx for array items) against field f. */
static void
check_value(struct vctx *v, const json_t *parent, const char *key,
    size_t idx, const char *path, const json_t *val, const struct field *f)
{
	char sub[96];
	size_t i;

	switch (f->type) {
	case F_INT:
		if (!json_is_integer(val) || json_integer_value(val) < 1 ||
		    json_integer_value(val) > (json_int_t)f->maxn)
			err(v, parent, key, idx, 0, path, "must be a whole number "
			    "from 1 to %zu, not %s", f->maxn, json_is_integer(val) ?
			    "that" : jtype(val));
		return;
	case F_BOOL:
		if (!json_is_boolean(val))
			err(v, parent, key, idx, 0, path, "must be true or "
			    "false, not %s", jtype(val));
		return;
	case F_STR:
		if (!json_is_string(val)) {
			err(v, parent, key, idx, 0, path, "must be a string, "
			    "not %s%s", jtype(val), json_is_number(val) ||
			    json_is_boolean(val) ? " (quote it)" : "");
			return;
		}
		check_string(v, parent, key, idx, path, json_string_value(val),
		    f);
		return;
	case F_STRLIST:
		if (!json_is_array(val)) {
			err(v, parent, key, idx, 0, path, "must be a list of "
			    "strings, not %s", jtype(val));
			return;
		}
		if (json_array_size(val) == 0 || json_array_size(val) >
		    f->maxn) {
			err(v, parent, key, idx, 0, path, "must have 1 to %zu "
			    "items", f->maxn);
			return;
		}
		for (i = 0; i < json_array_size(val); i++) {
			struct field item = *f;

			item.type = F_STR;
			snprintf(sub, sizeof(sub), "%s[%zu]", path, i);
			check_value(v, val, NULL, i, sub,
			    json_array_get(val, i), &item);
		}
		return;
	}
}

static const struct field *
find_field(const struct field *fs, const char *name)
{
	for (; fs->name != NULL; fs++)
		if (strcmp(fs->name, name) == 0)
			return fs;
	return NULL;
}

/* A mapping of fields: unknown keys, types, rules, required keys.
 * owner/okey/oidx locate obj itself, for "is required" errors. */
static void
check_fields(struct vctx *v, const json_t *obj, const struct field *fs,
    const json_t *owner, const char *okey, size_t oidx, const char *path,
    const char *skip)
{
	const struct field *f;
	const char *k;
	json_t *val;
	char sub[96];

	json_object_foreach(pb_json_iterable(obj), k, val) {
		join(sub, sizeof(sub), path, ".", k);
		if (skip != NULL && strcmp(k, skip) == 0)
			continue;
		if ((f = find_field(fs, k)) == NULL) {
			err(v, obj, k, 0, 1, sub, "unknown key");
			continue;
		}
		check_value(v, obj, k, 0, sub, val, f);
	}
	for (f = fs; f->name != NULL; f++)
		if (f->required && json_object_get(obj, f->name) == NULL) {
			snprintf(sub, sizeof(sub), "%s.%s", path, f->name);
			err(v, owner, okey, oidx, 0, sub, "is required");
		}
}

/* One variable's declaration: a default string (type string), or a
 * mapping {type, default}.  Defaults may use the built-in variables
 * only, so that resolution is one pass with no cycles.  0 with the
 * sample value in out (the default for the sample node, or the type's
 * sample when there is no default). */
static int
check_variable(struct vctx *v, const json_t *vars, const char *k,
    const json_t *val, const char *sub, char *out, size_t outsz)
{
	enum wf_vtype t = WF_VT_STRING;
	const json_t *jt, *jd = val, *x;
	const char *s, *xk;
	struct pb_err e;
	char q[256], sub2[96];

	if (json_is_object(val)) {
		json_object_foreach(pb_json_iterable(val), xk, x)
			if (strcmp(xk, "type") != 0 && strcmp(xk, "default") != 0) {
				join(sub2, sizeof(sub2), sub, ".", xk);
				err(v, val, xk, 0, 1, sub2, "unknown key (a "
				    "variable has type and default)");
				return -1;
			}
		jt = json_object_get(val, "type");
		join(sub2, sizeof(sub2), sub, ".", "type");
		if (jt == NULL) {
			err(v, vars, k, 0, 0, sub2, "is required");
			return -1;
		}
		if (!json_is_string(jt) || wf_vtype_parse(&t, "",
		    json_string_value(jt), &e) == -1) {
			err(v, val, "type", 0, 0, sub2, "%s", json_is_string(jt) ?
			    e.msg : "must be a string");
			return -1;
		}
		if ((jd = json_object_get(val, "default")) == NULL) {
			snprintf(out, outsz, "%s", wf_vtype_sample(t));
			return 0;
		}
		vars = val;
		k = "default";
		join(sub2, sizeof(sub2), sub, ".", "default");
		sub = sub2;
	}
	if (!json_is_string(jd)) {
		err(v, vars, k, 0, 0, sub, "must be a string%s, not %s%s",
		    vars == val ? "" : " or a mapping of type and default",
		    jtype(jd), json_is_number(jd) || json_is_boolean(jd) ?
		    " (quote it)" : "");
		return -1;
	}
	s = json_string_value(jd);
	/* A default may use the built-ins: checked with the sample node's
	 * values filled in, then by the type. */
	if (strlen(s) > WF_VAR_MAX) {
		err(v, vars, k, 0, 0, sub, "is longer than %d characters",
		    WF_VAR_MAX);
		return -1;
	}
	if (strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTU"
	    "VWXYZ0123456789._~:/?#@&+,=%- ${}") != strlen(s)) {
		err(v, vars, k, 0, 0, sub, "\"%s\" contains a character "
		    "outside [A-Za-z0-9._~:/?#@&+,=%% -]", Q(q, s));
		return -1;
	}
	if (wf_refs_check("", s, NULL, 0, &e) == -1 ||
	    wf_expand("", s, &v->vars, out, outsz, &e) == -1 ||
	    wf_var_check(t, "", out, &e) == -1) {
		err(v, vars, k, 0, 0, sub, "%s", e.msg);
		return -1;
	}
	return 0;
}

/* variables: name -> declaration. */
static void
check_variables(struct vctx *v, const json_t *root, const json_t *vars)
{
	struct pb_err e;
	const char *k;
	json_t *val;
	char sub[96];
	size_t n = 0;

	if (!json_is_object(vars)) {
		err(v, root, "variables", 0, 0, "variables", "must be a mapping "
		    "of names to default values, not %s", jtype(vars));
		return;
	}
	json_object_foreach(pb_json_iterable(vars), k, val) {
		join(sub, sizeof(sub), "variables", ".", k);
		if (wf_check_varname("", k, &e) == -1) {
			err(v, vars, k, 0, 1, sub, "%s", e.msg);
			continue;
		}
		if (wf_is_builtin_var(k)) {
			err(v, vars, k, 0, 1, sub, "is a built-in variable and "
			    "cannot be redefined");
			continue;
		}
		if (++n > WF_MAX_VARS) {
			err(v, vars, k, 0, 1, sub, "more than %d variables",
			    WF_MAX_VARS);
			return;
		}
		/* The sample value, for checking where it is used. */
		if (check_variable(v, vars, k, val, sub,
		    v->sample[v->vars.n - 5], sizeof(v->sample[0])) == -1)
			continue;
		v->vars.name[v->vars.n] = k;
		v->vars.value[v->vars.n] = v->sample[v->vars.n - 5];
		v->vars.n++;
	}
}

static int
step_of(struct vctx *v, const json_t *list, size_t i, const json_t *st,
    const char *path, const char **name)
{
	const char *k, *found = NULL;
	json_t *val;
	char q[4 * 40 + 4];	/* a step name from the file, quoted */
	int s;

	if (json_is_string(st)) {
		*name = json_string_value(st);
		pb_quote(q, sizeof(q), *name, 40);
		if ((s = in_list(*name, step_names)) == -1)
			err(v, list, NULL, i, 0, path, "unknown step \"%s\"; "
			    "steps are enable_ssh, set_hostname, ssh_keys, "
			    "cloud_init, resize_rootfs, script, packages", q);
		return s;
	}
	if (!json_is_object(st)) {
		err(v, list, NULL, i, 0, path, "a step is a name or a mapping, "
		    "not %s", jtype(st));
		return -1;
	}
	json_object_foreach(pb_json_iterable(st), k, val) {
		if (in_list(k, step_names) == -1)
			continue;
		if (found != NULL) {
			err(v, st, k, 0, 1, path, "one step per list item; "
			    "found %s and %s", found, k);
			return -1;
		}
		found = k;
	}
	if (found == NULL) {
		k = json_object_iter_key(json_object_iter(pb_json_iterable(st)));
		pb_quote(q, sizeof(q), k ? k : "", 40);
		err(v, list, NULL, i, 0, path, "unknown step \"%s\"; steps "
		    "are enable_ssh, set_hostname, ssh_keys, cloud_init, "
		    "resize_rootfs, script, packages", q);
		return -1;
	}
	*name = found;
	return in_list(found, step_names);
}

static void
check_step(struct vctx *v, const json_t *list, size_t i, const json_t *st,
    int s, const char *name, const char *path)
{
	char sub[96];
	const json_t *fields;

	if (json_is_string(st)) {
		/* A bare name: fine unless the step has required fields. */
		if (s == S_SSH_KEYS || s == S_SCRIPT || s == S_PACKAGES)
			err(v, list, NULL, i, 0, path, "step %s needs %s", name,
			    s == S_SSH_KEYS ? "keys" : s == S_SCRIPT ?
			    "a script URL (script: URL)" :
			    "a list of packages");
		return;
	}
	if (s == S_SCRIPT || s == S_PACKAGES) {
		check_fields(v, st, step_fields[s], list, NULL, i, path, NULL);
		return;
	}
	/* Every other key beside the name is unknown. */
	join(sub, sizeof(sub), path, ".", name);
	fields = json_object_get(st, name);
	check_fields(v, st, f_none, list, NULL, i, path, name);
	if (json_is_null(fields))
		return;
	if (!json_is_object(fields)) {
		err(v, st, name, 0, 0, sub, "must be a mapping of the step's "
		    "settings, not %s", jtype(fields));
		return;
	}
	if (s == S_SSH_KEYS && json_object_size(fields) == 0) {
		err(v, st, name, 0, 0, sub, "needs keys");
		return;
	}
	check_fields(v, fields, step_fields[s], st, name, 0, sub, NULL);
}

static int
script_at_deploy(const json_t *st)
{
	const char *w = json_string_value(json_object_get(st, "where"));

	return w != NULL && strcmp(w, "deploy") == 0;
}

/* Issue 13: an image's script is fetched with its checksum, wherever it
 * runs; an NFS node's one script is the diskless agent's business and
 * takes neither key. */
static void
check_script_step(struct vctx *v, const json_t *list, size_t i,
    const json_t *st, enum method m, const char *path)
{
	static const char *const keys[] = { "sha256", "where", NULL };
	char sub[96];
	int k;

	for (k = 0; keys[k] != NULL; k++) {
		join(sub, sizeof(sub), path, ".", keys[k]);
		if (m == M_NFS && json_object_get(st, keys[k]) != NULL)
			err(v, st, keys[k], 0, 1, sub, "does not apply to "
			    "install_method nfs");
	}
	join(sub, sizeof(sub), path, ".", "sha256");
	if (m == M_IMAGE && json_object_get(st, "sha256") == NULL)
		err(v, list, NULL, i, 0, sub, "is required for install_method "
		    "image (a script is checked before it runs)");
}

static void
check_post_install(struct vctx *v, const json_t *root, const json_t *list,
    enum method m)
{
	int seen[S_NSTEPS] = { 0 }, sid[32];
	size_t i, scripts = 0;
	const char *name;
	char path[96];
	json_t *st;
	int s;

	if (!json_is_array(list)) {
		err(v, root, "post_install", 0, 0, "post_install", "must be a "
		    "list of steps, not %s", jtype(list));
		return;
	}
	if (json_array_size(list) > 32) {
		err(v, root, "post_install", 0, 0, "post_install", "has more "
		    "than 32 steps");
		return;
	}
	json_array_foreach(pb_json_iterable(list), i, st) {
		snprintf(path, sizeof(path), "post_install[%zu]", i);
		sid[i] = s = step_of(v, list, i, st, path, &name);
		if (s == -1)
			continue;
		check_step(v, list, i, st, s, name, path);
		if (s == S_SCRIPT && json_is_object(st))
			check_script_step(v, list, i, st, m, path);
		if (s == S_SCRIPT)
			scripts++;
		else if (seen[s]++)
			err(v, list, NULL, i, 0, path, "step %s appears twice",
			    name);
		if (m == M_NFS && s != S_SCRIPT)
			err(v, list, NULL, i, 0, path, "step %s does not apply "
			    "to install_method nfs (only script does)", name);
		if (m == M_NFS && s == S_SCRIPT && scripts == 2)
			err(v, list, NULL, i, 0, path, "install_method nfs takes "
			    "at most one script step");
	}
	if (m != M_IMAGE || seen[S_CLOUD_INIT])
		return;
	/* Without cloud-init nothing runs commands at first boot. */
	for (i = 0; i < json_array_size(list); i++) {
		if (sid[i] != S_SCRIPT && sid[i] != S_PACKAGES)
			continue;
		if (sid[i] == S_SCRIPT && script_at_deploy(json_array_get(list,
		    i)))
			continue;	/* the agent runs it */
		snprintf(path, sizeof(path), "post_install[%zu]", i);
		err(v, list, NULL, i, 0, path, "step %s needs the cloud_init "
		    "step (first-boot commands run through cloud-init)",
		    step_names[sid[i]]);
	}
}

static void
set_samples(struct vctx *v)
{
	static const char *const sample[] = { "00000000",
		"00:00:00:00:00:00", "pi-00000000",
		"00000000-0000-0000-0000-000000000000",
		"http://pureboot.invalid" };
	size_t i;

	for (i = 0; i < 5; i++) {
		v->vars.name[i] = wf_builtin_vars[i];
		v->vars.value[i] = sample[i];
	}
	v->vars.n = 5;
}

/* An image is checked against its sha256 unless the workflow says, in
 * so many words, that it is not: a checksum left out by mistake must not
 * look like a choice.  An image_verify that is itself wrong has its own
 * error already. */
static void
check_verify(struct vctx *v, const json_t *def)
{
	const json_t *jv = json_object_get(def, "image_verify");
	const char *verify = json_string_value(jv);
	struct pb_err e;
	int none;

	if (jv != NULL && (verify == NULL || rule_verify("", verify,
	    &e) == -1))
		return;
	none = verify != NULL && strcmp(verify, "none") == 0;
	if (none && json_object_get(def, "image_sha256") != NULL)
		err(v, def, "image_sha256", 0, 1, "image_sha256", "is set, but "
		    "image_verify is none: keep one of them");
	else if (!none && json_object_get(def, "image_sha256") == NULL &&
	    json_object_get(def, "image_sha256_of") == NULL)
		/* (With image_sha256_of, "needs image_sha256" says it.) */
		err(v, NULL, NULL, 0, 0, "image_sha256", "is required for "
		    "install_method image unless image_verify is none");
}

int
wf_validate(const json_t *def, const struct wf_marks *m,
    struct pb_wf_diag *d, int flags)
{
	struct vctx v;
	const struct rootkey *rk;
	const json_t *jm, *val;
	const char *k;
	enum method meth = M_NONE;
	size_t before = d->n + d->dropped;
	int bit, mi;

	memset(&v, 0, sizeof(v));
	v.m = m;
	v.d = d;
	set_samples(&v);
	if (!json_is_object(def)) {
		err(&v, NULL, NULL, 0, 0, "yaml", "a workflow is a mapping of "
		    "keys such as id, name, arch, not %s", jtype(def));
		return -1;
	}
	jm = json_object_get(def, "install_method");
	if (json_is_string(jm) && (mi = in_list(json_string_value(jm),
	    method_names)) != -1)
		meth = (enum method)mi;
	bit = meth == M_NONE ? 0 : 1 << meth;
	if ((val = json_object_get(def, "variables")) != NULL)
		check_variables(&v, def, val);
	json_object_foreach(pb_json_iterable(def), k, val) {
		for (rk = rootkeys; rk < rootkeys + NROOTKEYS; rk++)
			if (strcmp(rk->f.name, k) == 0)
				break;
		if (rk == rootkeys + NROOTKEYS) {
			err(&v, def, k, 0, 1, k, "unknown key");
			continue;
		}
		if (bit != 0 && !(rk->applies & bit)) {
			err(&v, def, k, 0, 1, k, "does not apply to "
			    "install_method %s", method_names[meth]);
			continue;
		}
		if (strcmp(k, "variables") == 0)
			continue;
		if (strcmp(k, "post_install") == 0) {
			check_post_install(&v, def, val, meth);
			continue;
		}
		check_value(&v, def, k, 0, k, val, &rk->f);
	}
	for (rk = rootkeys; rk < rootkeys + NROOTKEYS; rk++) {
		if (json_object_get(def, rk->f.name) != NULL)
			continue;
		if (rk->f.required && (flags & WF_META_OPTIONAL) &&
		    strcmp(rk->f.name, "install_method") != 0)
			continue;
		if (rk->f.required)
			err(&v, NULL, NULL, 0, 0, rk->f.name, "is required");
		else if (rk->required_for & bit)
			err(&v, NULL, NULL, 0, 0, rk->f.name, "is required for "
			    "install_method %s", method_names[meth]);
	}
	if (json_object_get(def, "image_sha256_of") != NULL &&
	    json_object_get(def, "image_sha256") == NULL && meth == M_IMAGE)
		err(&v, def, "image_sha256_of", 0, 1, "image_sha256_of",
		    "needs image_sha256");
	if (meth == M_IMAGE)
		check_verify(&v, def);
	return d->n + d->dropped == before ? 0 : -1;
}

/* envout.c: JSON answer -> KEY='value' lines with strict sets (pure). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "core/chars.h"
#include "core/json_iter.h"
#include "envout.h"


enum kind { K_STR, K_INT, K_BOOL, K_B64OF };

/* Never ' \ " $ ` or a space, except where a set says so. */
static const struct key {
	const char *json, *env;
	enum kind kind;
	const char *set;	/* allowed bytes for strings */
	int empty_ok;
} keys[] = {
	{ "state", "PB_STATE", K_STR, "abcdefghijklmnopqrstuvwxyz_", 0 },
	{ "action", "PB_ACTION", K_STR, "abcdefghijklmnopqrstuvwxyz_", 0 },
	{ "message", "PB_MESSAGE", K_STR, PB_ALNUM " .,:;()_+/=-", 0 },
	{ "node_id", "PB_NODE_ID", K_STR, "0123456789abcdef-", 0 },
	{ "retry_after", "PB_RETRY_AFTER", K_INT, NULL, 0 },
	{ "token", "PB_TOKEN", K_STR, PB_ALNUM "._-", 0 },
	{ "install_method", "PB_INSTALL_METHOD", K_STR,
	  "abcdefghijklmnopqrstuvwxyz_", 0 },
	{ "image_url", "PB_IMAGE_URL", K_STR, PB_ALNUM "-._~:/?#[]@!&*+,;=%", 0 },
	{ "image_sha256", "PB_IMAGE_SHA256", K_STR, "0123456789abcdef", 0 },
	{ "image_sha256_of", "PB_IMAGE_SHA256_OF", K_STR,
	  "abcdefghijklmnopqrstuvwxyz_", 0 },
	{ "image_verify", "PB_IMAGE_VERIFY", K_STR,
	  "abcdefghijklmnopqrstuvwxyz0123456789", 0 },
	{ "target_device", "PB_TARGET_DEVICE", K_STR, PB_ALNUM "/_-", 0 },
	{ "resize_rootfs", "PB_RESIZE_ROOTFS", K_BOOL, NULL, 0 },
	{ "instructions_url", "PB_INSTRUCTIONS_URL", K_STR,
	  PB_ALNUM "-._~:/?#[]@!&*+,;=%", 0 },
	{ "callback_url", "PB_CALLBACK_URL", K_STR, PB_ALNUM "-._~:/?#[]@!&*+,;=%",
	  0 },
	{ "events_url", "PB_EVENTS_URL", K_STR, PB_ALNUM "-._~:/?#[]@!&*+,;=%", 0 },
	{ "files", "PB_FILES", K_INT, NULL, 0 },	/* the array: see below */
	{ "nfs_server", "PB_NFS_SERVER", K_STR, PB_ALNUM ".:[]-", 0 },
	{ "nfs_path", "PB_NFS_PATH", K_STR, PB_ALNUM "._/-", 0 },
	{ "nfs_options", "PB_NFS_OPTIONS", K_STR, PB_ALNUM ".,=_:/-", 1 },
	{ "nfs_mode", "PB_NFS_MODE", K_STR, "abcdefghijklmnopqrstuvwxyz", 0 },
	{ "script", "PB_SCRIPT_B64", K_B64OF, NULL, 0 },
	{ "script_args", "PB_SCRIPT_ARGS", K_STR, PB_ALNUM " ._/=:,@+-", 1 },
	/* install_method script and deploy-time scripts (issue 13) */
	{ "script_url", "PB_SCRIPT_URL", K_STR, PB_ALNUM "-._~:/?#[]@!&*+,;=%", 0 },
	{ "script_sha256", "PB_SCRIPT_SHA256", K_STR, "0123456789abcdef", 0 },
	{ "script_timeout", "PB_SCRIPT_TIMEOUT", K_INT, NULL, 0 },
	{ "deploy_scripts", "PB_DEPLOY_SCRIPTS", K_INT, NULL, 0 },	/* array */
	{ "vars", "PB_VAR_", K_INT, NULL, 0 },	/* the object: see vars() */
};

/* The sets of lib/wf/wf_vars.c: a variable's value never has a quote,
 * '$', '{', '}' or a backslash. */
#define VAR_VALUE PB_ALNUM "._~:/?#@&+,=%- "

static const struct key file_keys[] = {
	{ "partition", "PART", K_STR, PB_ALNUM "_-", 0 },
	{ "path", "PATH", K_STR, PB_ALNUM "._/-", 0 },
	{ "mode", "MODE", K_STR, "01234567", 0 },
	{ "content_b64", "B64", K_STR, PB_ALNUM "+/=", 1 },
};

static const struct key deploy_keys[] = {
	{ "url", "URL", K_STR, PB_ALNUM "-._~:/?#[]@!&*+,;=%", 0 },
	{ "sha256", "SHA256", K_STR, "0123456789abcdef", 0 },
	{ "args", "ARGS", K_STR, PB_ALNUM " ._/=:,@+-", 1 },
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

struct buf { char *s; size_t len, cap; int failed; };

static void
put(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;
	char *ns;

	if (b->failed)
		return;
	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(b->s + b->len, b->cap - b->len, fmt, ap);
		va_end(ap);
		if (n < 0) {
			b->failed = 1;
			return;
		}
		if ((size_t)n < b->cap - b->len) {
			b->len += (size_t)n;
			return;
		}
		ns = realloc(b->s, b->cap * 2 + (size_t)n);
		if (ns == NULL) {
			b->failed = 1;
			return;
		}
		b->s = ns;
		b->cap = b->cap * 2 + (size_t)n;
	}
}

/* Reject a path with an empty, "." or ".." component or a leading '/'. */
static int
path_ok(const char *s)
{
	size_t n;

	if (*s == '/')
		return 0;
	while (*s != '\0') {
		n = strcspn(s, "/");
		if (n == 0 || (n == 1 && s[0] == '.') ||
		    (n == 2 && s[0] == '.' && s[1] == '.'))
			return 0;
		s += n;
		if (*s == '/')
			s++;
	}
	return 1;
}

static int
one(struct buf *b, const struct key *k, const char *env, const json_t *v,
    struct pb_err *e)
{
	const char *s;
	char q[64], *b64;
	size_t n, blen;

	switch (k->kind) {
	case K_INT:
		if (!json_is_integer(v) || json_integer_value(v) < 0)
			return pb_fail(e, "%s: not a non-negative integer", k->json);
		put(b, "%s='%lld'\n", env, (long long)json_integer_value(v));
		return 0;
	case K_BOOL:
		if (!json_is_boolean(v))
			return pb_fail(e, "%s: not true or false", k->json);
		put(b, "%s='%d'\n", env, json_is_true(v) ? 1 : 0);
		return 0;
	case K_B64OF:
		if (!json_is_string(v))
			return pb_fail(e, "%s: not a string", k->json);
		n = json_string_length(v);
		blen = sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_ORIGINAL);
		if ((b64 = malloc(blen)) == NULL)
			return pb_fail(e, "%s: out of memory", k->json);
		sodium_bin2base64(b64, blen, (const unsigned char *)json_string_value(v),
		    n, sodium_base64_VARIANT_ORIGINAL);
		put(b, "%s='%s'\n", env, b64);
		free(b64);
		return 0;
	case K_STR:
		break;
	}
	if (!json_is_string(v))
		return pb_fail(e, "%s: not a string", k->json);
	s = json_string_value(v);
	n = json_string_length(v);
	pb_quote(q, sizeof(q), s, 40);
	/* strlen() != n: an embedded NUL would end the value early. */
	if (strlen(s) != n || strspn(s, k->set) != n)
		return pb_fail(e, "%s \"%s\" has a character outside the "
		    "set allowed for %s", k->json, q, env);
	if (n == 0 && !k->empty_ok)
		return pb_fail(e, "%s is empty", k->json);
	if (strcmp(k->json, "path") == 0 && !path_ok(s))
		return pb_fail(e, "path \"%s\" is not a relative path without "
		    "'.' or '..'", q);
	put(b, "%s='%s'\n", env, s);
	return 0;
}

/* An array of objects (files, deploy_scripts) as PREFIX_COUNT and
 * PREFIX_<i>_<KEY> lines; every key of kt present, no other. */
static int
objects(struct buf *b, const json_t *arr, const char *what,
    const char *count, const char *prefix, const struct key *kt, size_t nk,
    struct pb_err *e)
{
	const json_t *f, *v;
	const char *name;
	char env[64];
	size_t i, j;

	if (!json_is_array(arr))
		return pb_fail(e, "%s: not an array", what);
	put(b, "%s='%zu'\n", count, json_array_size(arr));
	json_array_foreach(arr, i, f) {
		if (!json_is_object(f))
			return pb_fail(e, "%s[%zu]: not an object", what, i);
		json_object_foreach(pb_json_iterable(f), name, v) {
			for (j = 0; j < nk; j++)
				if (strcmp(name, kt[j].json) == 0)
					break;
			if (j == nk) {
				pb_quote(env, sizeof(env), name, 12);
				return pb_fail(e, "%s[%zu]: key \"%s\" has no "
				    "env form", what, i, env);
			}
		}
		for (j = 0; j < nk; j++) {
			v = json_object_get(f, kt[j].json);
			if (v == NULL)
				return pb_fail(e, "%s[%zu]: %s is missing", what, i,
				    kt[j].json);
			snprintf(env, sizeof(env), "%s_%zu_%s", prefix, i + 1,
			    kt[j].env);
			if (one(b, &kt[j], env, v, e) == -1)
				return -1;
		}
	}
	return 0;
}

/* vars {name: value} as PB_VAR_<NAME> lines: the names are workflow
 * variable names ([a-z][a-z0-9_]{0,31}), upper-cased. */
static int
vars(struct buf *b, const json_t *obj, struct pb_err *e)
{
	static const struct key vk = { "vars", "", K_STR, VAR_VALUE, 1 };
	const json_t *v;
	const char *name;
	char env[64], q[64];
	size_t i, n;

	if (!json_is_object(obj))
		return pb_fail(e, "vars: not an object");
	json_object_foreach(pb_json_iterable(obj), name, v) {
		n = strlen(name);
		pb_quote(q, sizeof(q), name, 40);
		if (n == 0 || n > 32 || strchr(PB_LOWER, name[0]) == NULL ||
		    strspn(name, PB_LOWER PB_DIGIT "_") != n)
			return pb_fail(e, "vars: name \"%s\" is not a variable "
			    "name", q);
		snprintf(env, sizeof(env), "PB_VAR_");
		for (i = 0; i < n; i++)
			env[7 + i] = (char)(name[i] >= 'a' && name[i] <= 'z' ?
			    name[i] - ('a' - 'A') : name[i]);
		env[7 + n] = '\0';
		if (one(b, &vk, env, v, e) == -1)
			return -1;
	}
	return 0;
}

char *
pb_envout_new(const json_t *answer, struct pb_err *e)
{
	struct buf b = { NULL, 0, 256, 0 };
	const json_t *v;
	const char *name;
	char q[64];
	size_t i;

	if (!json_is_object(answer))
		return pb_fail(e, "answer is not an object"), NULL;
	json_object_foreach(pb_json_iterable(answer), name, v) {
		for (i = 0; i < N(keys); i++)
			if (strcmp(name, keys[i].json) == 0)
				break;
		if (i == N(keys)) {
			pb_quote(q, sizeof(q), name, 40);
			return pb_fail(e, "key \"%s\" has no env form", q), NULL;
		}
	}
	if ((b.s = malloc(b.cap)) == NULL)
		return pb_fail(e, "out of memory"), NULL;
	b.s[0] = '\0';
	for (i = 0; i < N(keys); i++) {
		v = json_object_get(answer, keys[i].json);
		if (v == NULL || json_is_null(v))
			continue;
		if (strcmp(keys[i].json, "files") == 0) {
			if (objects(&b, v, "files", "PB_FILES", "PB_FILE",
			    file_keys, N(file_keys), e) == -1)
				goto fail;
		} else if (strcmp(keys[i].json, "deploy_scripts") == 0) {
			if (objects(&b, v, "deploy_scripts", "PB_DEPLOY_SCRIPTS",
			    "PB_DEPLOY_SCRIPT", deploy_keys, N(deploy_keys),
			    e) == -1)
				goto fail;
		} else if (strcmp(keys[i].json, "vars") == 0) {
			if (vars(&b, v, e) == -1)
				goto fail;
		} else if (one(&b, &keys[i], keys[i].env, v, e) == -1)
			goto fail;
	}
	if (b.failed) {
		pb_fail(e, "out of memory");
		goto fail;
	}
	return b.s;
fail:
	free(b.s);
	return NULL;
}

/* wf_instructions.c: a stored workflow resolved for one node, as the
 * deploy agent gets it (lib/wf/wf_instructions.h).  The definition is
 * checked again first (psql can write anything into the table), then
 * every ${...} is filled in and each resulting value is checked once
 * more by the rule of the place it goes: a value that was fine in the
 * file can still be wrong for a node.  Pure. */
#include <stdlib.h>
#include <string.h>

#include "core/json_iter.h"
#include "wf/wf_firstboot.h"
#include "wf/wf_load.h"
#include "wf/wf_instructions.h"
#include "wf/wf_rules.h"
#include "wf/wf_vars.h"
#include "wf/workflow.h"

#define DEFAULT_NFS_OPTIONS "vers=3,tcp"

typedef int rule_fn(const char *what, const char *s, struct pb_err *e);

struct rctx {
	const json_t *def;
	const char *id;
	struct wf_vars vars;
	char server[WF_MAX_URL + 1];
	char hostname[64];
	char uvals[WF_MAX_VARS][WF_MAX_URL + 1];
	/* Resolved values that the first-boot renderer borrows. */
	char fb_hostname[64];
	char fb_user[64];
	char fb_url[WF_FB_MAX_SCRIPTS][WF_MAX_URL + 1];
	char fb_args[WF_FB_MAX_SCRIPTS][WF_MAX_URL + 1];
	char fb_sha[WF_FB_MAX_SCRIPTS][65];
	struct wf_fb fb;
	/* post_install scripts with where: deploy (the agent runs them). */
	size_t ndeploy;
	struct wf_fb_script deploy[WF_FB_MAX_SCRIPTS];
};

/* Fill in tmpl and check the result with rule; out holds it. */
static int
resolve(struct rctx *c, const char *what, const char *tmpl, rule_fn *rule,
    char *out, size_t outsz, struct pb_err *e)
{
	struct pb_err why;

	/* The rules say "VALUE" REASON (what ""); the prefix names it. */
	if (wf_expand("", tmpl, &c->vars, out, outsz, &why) == -1 ||
	    (rule != NULL && rule("", out, &why) == -1))
		return pb_fail(e, "workflow %s: %s: %s", c->id, what, why.msg);
	return 0;
}

/* A sha256 the loader accepted (either case), as served: lower-case. */
static void
lower_sha(char out[65], const char *sha)
{
	size_t i;

	for (i = 0; i < 64; i++)
		out[i] = (char)(sha[i] >= 'A' && sha[i] <= 'F' ?
		    sha[i] + ('a' - 'A') : sha[i]);
	out[64] = '\0';
}

static const char *
str(const json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}

static void
add_var(struct rctx *c, const char *name, const char *value)
{
	c->vars.name[c->vars.n] = name;
	c->vars.value[c->vars.n] = value;
	c->vars.n++;
}

/* Variable k's value for node into out: the node's own, checked by its
 * declared type again (the column can be written by psql), else the
 * default resolved. */
static int
node_var(struct rctx *c, const struct pb_wf_node *node, const char *k,
    char *out, size_t outsz, struct pb_err *e)
{
	const char *own = json_string_value(json_object_get(node->vars, k));
	const char *dflt;
	enum wf_vtype t;
	struct pb_err why;
	char what[64];

	snprintf(what, sizeof(what), "variables.%s", k);
	if (wf_var_decl(c->def, k, &t, &dflt) == -1)
		return pb_fail(e, "workflow %s: %s: no declaration", c->id, what);
	if (own != NULL) {
		if (wf_var_check(t, "", own, &why) == -1)
			return pb_fail(e, "workflow %s: the node's value of %s: "
			    "%s", c->id, k, why.msg);
		snprintf(out, outsz, "%s", own);
		return 0;
	}
	if (dflt == NULL)
		return pb_fail(e, "workflow %s: variable %s has no default and "
		    "no value for this node (PATCH /nodes/{id} \"vars\")",
		    c->id, k);
	if (resolve(c, what, dflt, NULL, out, outsz, e) == -1)
		return -1;
	return 0;
}

static int
set_vars(struct rctx *c, const struct pb_wf_node *node, struct pb_err *e)
{
	const json_t *uv;
	const char *k;
	json_t *val;
	size_t n, i = 0;
	char what[PB_QUOTE_MAX * 4 + 4];

	if (node->serial.s[0] != '\0')
		add_var(c, "serial", node->serial.s);
	if (node->mac.s[0] != '\0')
		add_var(c, "mac", node->mac.s);
	/* A node without a hostname of its own is still named, after
	 * its serial, as the Pi bootloader knows it. */
	if (node->hostname.s[0] != '\0')
		snprintf(c->hostname, sizeof(c->hostname), "%s",
		    node->hostname.s);
	else if (node->serial.s[0] != '\0')
		snprintf(c->hostname, sizeof(c->hostname), "pi-%s",
		    node->serial.s);
	if (c->hostname[0] != '\0')
		add_var(c, "hostname", c->hostname);
	add_var(c, "node_id", node->id.s);
	if (node->server != NULL) {
		n = strlen(node->server);
		while (n > 0 && node->server[n - 1] == '/')
			n--;
		if (n >= sizeof(c->server))
			return pb_fail(e, "workflow %s: server_url is longer "
			    "than %d characters", c->id, WF_MAX_URL);
		memcpy(c->server, node->server, n);
		c->server[n] = '\0';
		add_var(c, "server", c->server);
	}
	/* A node's own value wins over the default; defaults use the
	 * built-ins only (the loader made sure), so one pass resolves them
	 * all. */
	uv = json_object_get(c->def, "variables");
	json_object_foreach(pb_json_iterable(uv), k, val) {
		if (node_var(c, node, k, c->uvals[i], sizeof(c->uvals[i]),
		    e) == -1)
			return -1;
		add_var(c, k, c->uvals[i]);
		i++;
	}
	/* A value for a variable the workflow does not have: it was
	 * checked at assignment, so the workflow changed since. */
	json_object_foreach(pb_json_iterable(node->vars), k, val)
		if (json_object_get(uv, k) == NULL) {
			pb_quote(what, sizeof(what), k, 40);
			return pb_fail(e, "workflow %s: the node has a value for "
			    "\"%s\", which is not one of its variables", c->id,
			    what);
		}
	return 0;
}

static int
put(json_t *out, const char *key, json_t *v, struct pb_err *e)
{
	if (v == NULL || json_object_set_new(out, key, v) == -1)
		return pb_fail(e, "workflow instructions: out of memory");
	return 0;
}

/* A string key of the definition, resolved and checked, into out. */
static int
put_resolved(struct rctx *c, json_t *out, const char *outkey,
    const char *key, rule_fn *rule, struct pb_err *e)
{
	char buf[WF_MAX_URL + 1];

	if (resolve(c, key, str(c->def, key), rule, buf, sizeof(buf), e) == -1)
		return -1;
	return put(out, outkey, json_string(buf), e);
}

static const char *
step_name(const json_t *st)
{
	static const char *const names[] = { "enable_ssh", "set_hostname",
		"ssh_keys", "cloud_init", "resize_rootfs", "script", "packages",
		NULL };
	const char *const *n;

	if (json_is_string(st))
		return json_string_value(st);
	for (n = names; *n != NULL; n++)
		if (json_object_get(st, *n) != NULL)
			return *n;
	return "";
}

/* A post_install script step, resolved: into c->deploy when the agent
 * runs it (where: deploy), else into c->fb's first-boot scripts. */
static int
collect_script(struct rctx *c, const json_t *st, const char *what,
    struct pb_err *e)
{
	const char *w = str(st, "where"), *sha = str(st, "sha256");
	size_t j = c->fb.nscripts + c->ndeploy;
	struct wf_fb_script *out;

	if (resolve(c, what, str(st, "script"), wf_check_url, c->fb_url[j],
	    sizeof(c->fb_url[j]), e) == -1 ||
	    resolve(c, what, str(st, "args") ? str(st, "args") : "",
	    wf_check_args, c->fb_args[j], sizeof(c->fb_args[j]), e) == -1)
		return -1;
	out = w != NULL && strcmp(w, "deploy") == 0 ?
	    &c->deploy[c->ndeploy++] : &c->fb.scripts[c->fb.nscripts++];
	out->url = c->fb_url[j];
	out->args = c->fb_args[j];
	out->sha256 = NULL;
	if (sha != NULL) {
		lower_sha(c->fb_sha[j], sha);
		out->sha256 = c->fb_sha[j];
	}
	return 0;
}

/* [{url, sha256, args}] of the deploy-time scripts, in their order. */
static int
put_deploy_scripts(struct rctx *c, json_t *out, struct pb_err *e)
{
	json_t *a, *o;
	size_t i;

	if (c->ndeploy == 0)
		return 0;
	if ((a = json_array()) == NULL)
		return pb_fail(e, "workflow instructions: out of memory");
	for (i = 0; i < c->ndeploy; i++) {
		o = json_pack("{s:s, s:s, s:s}", "url", c->deploy[i].url,
		    "sha256", c->deploy[i].sha256, "args", c->deploy[i].args);
		if (o == NULL || json_array_append_new(a, o) == -1) {
			json_decref(a);
			return pb_fail(e, "workflow instructions: out of memory");
		}
	}
	return put(out, "deploy_scripts", a, e);
}

/* vars: every variable's value for this node, built-ins included, for
 * the environment of the scripts the agent runs. */
static int
put_vars(struct rctx *c, json_t *out, struct pb_err *e)
{
	json_t *o;
	size_t i;

	if ((o = json_object()) == NULL)
		return pb_fail(e, "workflow instructions: out of memory");
	for (i = 0; i < c->vars.n; i++)
		if (json_object_set_new(o, c->vars.name[i],
		    json_string(c->vars.value[i])) == -1) {
			json_decref(o);
			return pb_fail(e, "workflow instructions: out of memory");
		}
	return put(out, "vars", o, e);
}

/* The post_install steps of an image workflow, resolved into c->fb. */
static int
collect_steps(struct rctx *c, struct pb_err *e)
{
	struct wf_fb *fb = &c->fb;
	const json_t *list = json_object_get(c->def, "post_install"), *st, *f;
	const char *name, *s;
	char what[96];
	size_t i, j;

	fb->family = WF_FB_RASPIOS;
	fb->iface = "eth0";
	json_array_foreach(pb_json_iterable(list), i, st) {
		name = step_name(st);
		f = json_is_object(st) ? json_object_get(st, name) : NULL;
		snprintf(what, sizeof(what), "post_install[%zu].%s", i, name);
		if (strcmp(name, "enable_ssh") == 0) {
			fb->enable_ssh = 1;
			fb->password_auth = json_is_true(json_object_get(f,
			    "password_authentication"));
		} else if (strcmp(name, "set_hostname") == 0) {
			s = str(f, "hostname");
			if (resolve(c, what, s ? s : "${hostname}",
			    wf_check_hostname, c->fb_hostname,
			    sizeof(c->fb_hostname), e) == -1)
				return -1;
			/* Host names are compared lower-case everywhere. */
			for (j = 0; c->fb_hostname[j] != '\0'; j++)
				if (c->fb_hostname[j] >= 'A' &&
				    c->fb_hostname[j] <= 'Z')
					c->fb_hostname[j] += 'a' - 'A';
			fb->hostname = c->fb_hostname;
		} else if (strcmp(name, "ssh_keys") == 0) {
			s = str(f, "user");
			if (resolve(c, what, s ? s : "pi", wf_check_user,
			    c->fb_user, sizeof(c->fb_user), e) == -1)
				return -1;
			fb->user = c->fb_user;
			fb->password_hash = str(f, "password_hash");
			for (j = 0; j < json_array_size(json_object_get(f,
			    "keys")) && j < WF_FB_MAX_KEYS; j++)
				fb->keys[fb->nkeys++] = json_string_value(
				    json_array_get(json_object_get(f, "keys"),
				    j));
		} else if (strcmp(name, "cloud_init") == 0) {
			fb->family = WF_FB_CLOUD_INIT;
			if ((s = str(f, "interface")) != NULL)
				fb->iface = s;
			fb->timezone = str(f, "timezone");
		} else if (strcmp(name, "resize_rootfs") == 0) {
			fb->resize_rootfs = 1;
		} else if (strcmp(name, "packages") == 0) {
			f = json_object_get(st, "packages");
			for (j = 0; j < json_array_size(f) &&
			    fb->npkgs < WF_FB_MAX_PKGS; j++)
				fb->pkgs[fb->npkgs++] = json_string_value(
				    json_array_get(f, j));
		} else if (strcmp(name, "script") == 0 &&
		    fb->nscripts + c->ndeploy < WF_FB_MAX_SCRIPTS) {
			if (collect_script(c, st, what, e) == -1)
				return -1;
		}
	}
	return 0;
}

static int
image(struct rctx *c, json_t *out, struct pb_err *e)
{
	const char *sha = str(c->def, "image_sha256"), *of;
	char low[65];
	json_t *files;

	if (put_resolved(c, out, "image_url", "image_url", wf_check_url, e))
		return -1;
	if (sha != NULL)
		lower_sha(low, sha);
	of = str(c->def, "image_sha256_of");
	/* The validator let sha be NULL only with image_verify: none; the
	 * agent refuses an empty checksum unless told "none". */
	if (put(out, "image_sha256", sha ? json_string(low) : json_null(), e) ||
	    put(out, "image_sha256_of", json_string(of ? of : "compressed"),
	    e) ||
	    put(out, "image_verify", json_string(sha ? "sha256" : "none"), e) ||
	    put(out, "target_device", json_string(str(c->def,
	    "target_device")), e))
		return -1;
	if (collect_steps(c, e) == -1)
		return -1;
	if (put(out, "resize_rootfs", json_boolean(c->fb.resize_rootfs), e))
		return -1;
	c->fb.workflow_id = c->id;
	if ((files = wf_firstboot_files(&c->fb, e)) == NULL)
		return -1;
	if (put(out, "files", files, e) == -1 ||
	    put_deploy_scripts(c, out, e) == -1)
		return -1;
	return c->ndeploy > 0 ? put_vars(c, out, e) : 0;
}

/* The NFS root values, resolved and checked: one place for the
 * agent's keys and the hook's cmdline.txt. */
static int
nfs_values(struct rctx *c, struct pb_wf_nfs *v, struct pb_err *e)
{
	char base[WF_MAX_URL + 1], img[WF_MAX_URL + 1];
	char path[2 * WF_MAX_URL + 8];
	const char *opt = str(c->def, "nfs_options");

	if (resolve(c, "nfs_server", str(c->def, "nfs_server"), pb_check_host,
	    v->server, sizeof(v->server), e) == -1 ||
	    resolve(c, "nfs_base_path", str(c->def, "nfs_base_path"),
	    pb_check_abspath, base, sizeof(base), e) == -1 ||
	    resolve(c, "nfs_image", str(c->def, "nfs_image"),
	    pb_check_filename, img, sizeof(img), e) == -1)
		return -1;
	snprintf(path, sizeof(path), "%s/%s", strcmp(base, "/") ? base : "",
	    img);
	if (resolve(c, "nfs_path", path, pb_check_abspath, v->path,
	    sizeof(v->path), e) == -1)
		return -1;
	if (opt != NULL)
		return resolve(c, "nfs_options", opt, wf_check_nfs_options,
		    v->options, sizeof(v->options), e);
	snprintf(v->options, sizeof(v->options), "%s", DEFAULT_NFS_OPTIONS);
	return 0;
}

static int
nfs(struct rctx *c, json_t *out, struct pb_err *e)
{
	struct pb_wf_nfs *v;
	int rc = -1;

	if ((v = malloc(sizeof(*v))) == NULL)
		return pb_fail(e, "workflow instructions: out of memory");
	if (nfs_values(c, v, e) == -1 ||
	    put(out, "nfs_server", json_string(v->server), e) == -1 ||
	    put(out, "nfs_path", json_string(v->path), e) == -1 ||
	    put(out, "nfs_options", json_string(v->options), e) == -1)
		goto out;
	/* Only when the workflow names it: the agent's default is
	 * persistent (docs/diskless.md). */
	if (str(c->def, "nfs_mode") != NULL && put(out, "nfs_mode",
	    json_string(str(c->def, "nfs_mode")), e) == -1)
		goto out;
	/* The one script step an NFS workflow may have. */
	if (collect_steps(c, e) == -1)
		goto out;
	if (c->fb.nscripts == 1 &&
	    (put(out, "script", json_string(c->fb.scripts[0].url), e) == -1 ||
	    put(out, "script_args", json_string(c->fb.scripts[0].args), e)))
		goto out;
	rc = 0;
out:
	free(v);
	return rc;
}

/* install_method script (issue 13): the agent fetches script_url,
 * checks script_sha256, runs it with the arguments and vars in its
 * environment, and kills it after script_timeout seconds. */
static int
script(struct rctx *c, json_t *out, struct pb_err *e)
{
	char args[WF_MAX_URL + 1], low[65];
	const char *a = str(c->def, "script_args"), *dev;
	const char *sha = str(c->def, "script_sha256");
	const json_t *jt = json_object_get(c->def, "script_timeout");

	lower_sha(low, sha);
	if (put_resolved(c, out, "script_url", "script_url", wf_check_url,
	    e) == -1 ||
	    put(out, "script_sha256", json_string(low), e) == -1 ||
	    resolve(c, "script_args", a ? a : "", wf_check_args, args,
	    sizeof(args), e) == -1 ||
	    put(out, "script_args", json_string(args), e) == -1 ||
	    put(out, "script_timeout", json_integer(jt != NULL ?
	    json_integer_value(jt) : WF_SCRIPT_TIMEOUT_DEFAULT), e) == -1 ||
	    put_vars(c, out, e) == -1)
		return -1;
	if ((dev = str(c->def, "target_device")) != NULL)
		return put(out, "target_device", json_string(dev), e);
	return 0;
}

/* Check definition again and set up c for node: its variables. */
static int
rctx_init(struct rctx *c, const json_t *definition,
    const struct pb_wf_node *node, struct pb_err *e)
{
	struct pb_wf_diag d;
	char q[64];

	if (definition == NULL || node == NULL)
		return pb_fail(e, "workflow instructions: no definition or no "
		    "node");
	/* id, name and arch are the row's columns; a definition written
	 * by hand may leave them out.  Everything else is as strict as
	 * the loader. */
	memset(&d, 0, sizeof(d));
	if (wf_validate(definition, NULL, &d, WF_META_OPTIONAL) == -1) {
		/* The id may be the invalid part: quoted, cut short. */
		pb_quote(q, sizeof(q), json_is_string(json_object_get(
		    definition, "id")) ? str(definition, "id") : "", 40);
		return pb_fail(e, "workflow \"%s\": stored definition is "
		    "invalid: %s: %s", q, d.e[0].key, d.e[0].reason);
	}
	c->def = definition;
	c->id = str(definition, "id") ? str(definition, "id") : "(no id)";
	c->fb.node_id = node->id.s;
	return set_vars(c, node, e);
}

int
pb_wf_nfs_resolve(struct pb_wf_nfs *out, const json_t *definition,
    const struct pb_wf_node *node, struct pb_err *e)
{
	struct rctx *c;
	int rc = -1;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return pb_fail(e, "workflow instructions: out of memory");
	if (rctx_init(c, definition, node, e) == -1)
		goto out;
	if (strcmp(str(definition, "install_method"), "nfs") != 0) {
		pb_fail(e, "workflow %s: install_method is not nfs", c->id);
		goto out;
	}
	rc = nfs_values(c, out, e);
out:
	free(c);
	return rc;
}

json_t *
pb_wf_instructions_new(const json_t *definition,
    const struct pb_wf_node *node, struct pb_err *e)
{
	struct rctx *c = NULL;
	json_t *out = NULL;
	const char *m;
	int rc = -1;

	if ((c = calloc(1, sizeof(*c))) == NULL ||
	    (out = json_object()) == NULL) {
		pb_fail(e, "workflow instructions: out of memory");
		goto out;
	}
	if (rctx_init(c, definition, node, e) == -1)
		goto out;
	m = str(definition, "install_method");
	if (put(out, "install_method", json_string(m), e) == -1)
		goto out;
	if (strcmp(m, "image") == 0)
		rc = image(c, out, e);
	else if (strcmp(m, "nfs") == 0)
		rc = nfs(c, out, e);
	else
		rc = script(c, out, e);
out:
	free(c);
	if (rc == -1) {
		json_decref(out);
		out = NULL;
	}
	return out;
}

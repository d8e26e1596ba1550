/* wf_instructions.c: MINIMAL stand-in for the workflow resolver, written
 * by the API issue so that it can be built and tested alone; the
 * workflows issue replaces this file with the full one (loader-side
 * validation, first-boot files).  It copies the install keys of the
 * definition, substitutes ${serial} ${mac} ${hostname} ${node_id}
 * ${server} in strings and gives an empty files list. */
#include <stdio.h>
#include <string.h>

#include "wf_instructions.h"

static const char *const copied[] = {
	"install_method", "image_url", "image_sha256", "image_sha256_of",
	"target_device", "nfs_server", "nfs_path", "nfs_options", NULL,
};

/* Substitute the variables of s into out; -1 on an unknown one. */
static int
subst(const char *key, const char *s, const struct pb_wf_node *node,
    char *out, size_t outsz, struct pb_err *e)
{
	const struct { const char *name, *val; } vars[] = {
		{ "serial", node->serial.s }, { "mac", node->mac.s },
		{ "hostname", node->hostname.s }, { "node_id", node->id.s },
		{ "server", node->server != NULL ? node->server : "" },
	};
	size_t o = 0, i, n;
	const char *end;

	while (*s != '\0') {
		if (strncmp(s, "${", 2) == 0 && (end = strchr(s, '}')) != NULL) {
			n = (size_t)(end - s - 2);
			for (i = 0; i < sizeof(vars) / sizeof(vars[0]); i++)
				if (strlen(vars[i].name) == n &&
				    strncmp(s + 2, vars[i].name, n) == 0)
					break;
			if (i == sizeof(vars) / sizeof(vars[0]))
				return pb_fail(e, "%s: unknown variable \"%.*s\"", key,
				    (int)(n > 32 ? 32 : n), s + 2);
			n = strlen(vars[i].val);
			if (o + n >= outsz)
				return pb_fail(e, "%s: value too long", key);
			memcpy(out + o, vars[i].val, n);
			o += n;
			s = end + 1;
			continue;
		}
		if (o + 1 >= outsz)
			return pb_fail(e, "%s: value too long", key);
		out[o++] = *s++;
	}
	out[o] = '\0';
	return 0;
}

json_t *
pb_wf_instructions_new(const json_t *definition,
    const struct pb_wf_node *node, struct pb_err *e)
{
	char buf[2048];
	const json_t *v;
	json_t *out;
	const char *base, *image, *method;
	size_t i;

	if (!json_is_object(definition))
		return pb_fail(e, "workflow definition is not an object"), NULL;
	if ((out = json_object()) == NULL)
		return pb_fail(e, "out of memory"), NULL;
	for (i = 0; copied[i] != NULL; i++) {
		v = json_object_get(definition, copied[i]);
		if (v == NULL)
			continue;
		if (json_is_string(v)) {
			if (subst(copied[i], json_string_value(v), node, buf,
			    sizeof(buf), e) == -1)
				goto fail;
			json_object_set_new(out, copied[i], json_string(buf));
		} else
			json_object_set(out, copied[i], (json_t *)v);
	}
	/* DESIGN.md 6 names the NFS root by base path and image. */
	base = json_string_value(json_object_get(definition, "nfs_base_path"));
	image = json_string_value(json_object_get(definition, "nfs_image"));
	if (base != NULL && image != NULL &&
	    json_object_get(out, "nfs_path") == NULL) {
		char p[1024];

		snprintf(p, sizeof(p), "%s/%s", base, image);
		if (subst("nfs_path", p, node, buf, sizeof(buf), e) == -1)
			goto fail;
		json_object_set_new(out, "nfs_path", json_string(buf));
	}
	if (json_object_get(out, "install_method") == NULL)
		json_object_set_new(out, "install_method", json_string("image"));
	method = json_string_value(json_object_get(out, "install_method"));
	if (method != NULL && strcmp(method, "image") == 0 &&
	    json_object_get(out, "image_sha256_of") == NULL)
		json_object_set_new(out, "image_sha256_of",
		    json_string("compressed"));
	json_object_set_new(out, "files", json_array());
	return out;
fail:
	json_decref(out);
	return NULL;
}

/* Unit tests for lib/wf/workflow.c: the JSON form of a workflow file, and
 * the check of a stored definition (no positions). */
#include <stdlib.h>
#include <string.h>

#include "wf/workflow.h"
#include "tap.h"

#define SHA "c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3"
#define N(a) (sizeof(a) / sizeof((a)[0]))

static const struct {
	const char *name, *yaml, *want;	/* want: JSON, or the first error */
} cases[] = {
	{ "image workflow, steps bare and with fields",
	  "id: w\nname: 'W: \"1\"'\narch: aarch64\ninstall_method: image\n"
	  "image_url: http://s/x.img\ntarget_device: auto\n"
	  "image_sha256: E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855\n"
	  "post_install:\n  - enable_ssh:\n      password_authentication: false\n"
	  "  - resize_rootfs\n  - set_hostname:\n",
	  "{\"arch\":\"aarch64\",\"id\":\"w\",\"image_sha256\":"
	  "\"E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855\","
	  "\"image_url\":\"http://s/x.img\",\"install_method\":\"image\","
	  "\"name\":\"W: \\\"1\\\"\",\"post_install\":[{\"enable_ssh\":"
	  "{\"password_authentication\":false}},\"resize_rootfs\","
	  "{\"set_hostname\":null}],\"target_device\":\"auto\"}" },
	{ "nfs workflow with variables and a script step",
	  "id: k\nname: K\narch: aarch64\ninstall_method: nfs\n"
	  "nfs_server: 10.0.0.1\nnfs_base_path: /nfs\nnfs_image: base\n"
	  "variables: {srv: 'https://k:6443'}\n"
	  "post_install:\n  - script: ${server}/k.sh\n    args: --server ${srv}\n",
	  "{\"arch\":\"aarch64\",\"id\":\"k\",\"install_method\":\"nfs\","
	  "\"name\":\"K\",\"nfs_base_path\":\"/nfs\",\"nfs_image\":\"base\","
	  "\"nfs_server\":\"10.0.0.1\",\"post_install\":[{\"args\":"
	  "\"--server ${srv}\",\"script\":\"${server}/k.sh\"}],"
	  "\"variables\":{\"srv\":\"https://k:6443\"}}" },
	{ "quoted true stays a string, plain true is a boolean",
	  "id: 'true'\nname: t\narch: aarch64\ninstall_method: script\n"
	  "script_url: http://s/i.sh\nscript_args: \"1\"\nscript_sha256: " SHA "\n",
	  "{\"arch\":\"aarch64\",\"id\":\"true\",\"install_method\":\"script\","
	  "\"name\":\"t\",\"script_args\":\"1\",\"script_sha256\":\"" SHA "\","
	  "\"script_url\":\"http://s/i.sh\"}" },
	{ "flow mappings and block mappings are the same",
	  "{id: f, name: F, arch: x86_64, install_method: script, "
	  "script_url: 'http://s/i.sh', script_sha256: " SHA ", script_timeout: 5}\n",
	  "{\"arch\":\"x86_64\",\"id\":\"f\",\"install_method\":\"script\","
	  "\"name\":\"F\",\"script_sha256\":\"" SHA "\",\"script_timeout\":5,"
	  "\"script_url\":\"http://s/i.sh\"}" },
	{ "a float is a number", "id: t\nname: 1.5\n",
	  "t.yaml:2:7: name: must be a string, not a number (quote it)" },
	{ "a dotted quad is a string", "nfs_server: 10.1.2.3\n",
	  "t.yaml:1:1: id: is required" },
	/* found by fuzz/workflow.c: the key path of an error held the
	 * file's bytes as they were, control bytes included */
	{ "a key with a control byte is escaped in the error",
	  "\"a\\x1b[2Jb\": 1\nid: k\nname: K\narch: aarch64\n"
	  "install_method: script\nscript_url: http://s/i.sh\n"
	  "script_sha256: " SHA "\n",
	  "t.yaml:1:1: a\\x1b[2Jb: unknown key" },
	{ "a non-ASCII variable name is escaped in the error",
	  "id: k\nname: K\narch: aarch64\ninstall_method: script\n"
	  "script_url: http://s/i.sh\nvariables:\n  \xc3\xa9: x\n"
	  "script_sha256: " SHA "\n",
	  "t.yaml:7:3: variables.\\xc3\\xa9: \"\\xc3\\xa9\" is not a variable "
	  "name (a lower-case letter, then up to 31 lower-case letters, "
	  "digits, '_')" },
	{ "a tag's %-escaped byte is escaped in the error",
	  "id: !<tag:%01> k\n", "t.yaml:1:5: yaml: tag \"tag:\\x01\" is not "
	  "allowed (no tags in workflow files)" },
	{ "an unknown step with a tab is escaped in the error",
	  "id: k\nname: K\narch: aarch64\ninstall_method: image\n"
	  "image_url: http://s/i.img\npost_install:\n  - \"a\\tb\"\n",
	  "t.yaml:7:5: post_install[0]: unknown step \"a\\x09b\"; steps are "
	  "enable_ssh, set_hostname, ssh_keys, cloud_init, resize_rootfs, "
	  "script, packages" },
};

static const struct {
	const char *name, *json, *want;
} stored[] = {
	{ "stored definition: valid",
	  "{\"id\":\"s\",\"name\":\"S\",\"arch\":\"aarch64\","
	  "\"install_method\":\"script\",\"script_url\":\"http://s/i.sh\","
	  "\"script_sha256\":\"" SHA "\"}", NULL },
	{ "stored definition: bad value, no position",
	  "{\"id\":\"s\",\"name\":\"S\",\"arch\":\"aarch64\","
	  "\"install_method\":\"script\",\"script_url\":\"http://s/i.sh;x\","
	  "\"script_sha256\":\"" SHA "\"}",
	  "db: script_url: \"http://s/i.sh;x\" contains ';', which is not allowed "
	  "in a URL" },
	{ "stored definition: not an object", "[1]",
	  "db: yaml: a workflow is a mapping of keys such as id, name, arch, "
	  "not a list" },
	{ "stored definition: unknown key",
	  "{\"id\":\"s\",\"name\":\"S\",\"arch\":\"aarch64\","
	  "\"install_method\":\"script\",\"script_url\":\"http://s/i.sh\","
	  "\"script_sha256\":\"" SHA "\",\"x\":1}", "db: x: unknown key" },
};

int
main(void)
{
	struct pb_wf_diag d;
	json_error_t je;
	json_t *j;
	char *s, line[512];
	size_t i;

	for (i = 0; i < N(cases); i++) {
		j = pb_wf_load_yaml(cases[i].yaml, strlen(cases[i].yaml), &d);
		if (j != NULL) {
			s = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
			tap_is(s, cases[i].want, cases[i].name);
			free(s);
			json_decref(j);
		} else {
			pb_wf_error_format(line, sizeof(line), "t.yaml", &d.e[0]);
			tap_is(line, cases[i].want, cases[i].name);
		}
	}
	for (i = 0; i < N(stored); i++) {
		j = json_loads(stored[i].json, 0, &je);
		if (pb_wf_check_json(j, &d) == 0)
			tap_is(NULL, stored[i].want, stored[i].name);
		else {
			pb_wf_error_format(line, sizeof(line), "db", &d.e[0]);
			tap_is(line, stored[i].want, stored[i].name);
		}
		json_decref(j);
	}
	tap_ok(pb_wf_load_yaml("", 0, &d) == NULL && d.n == 1,
	    "an empty text is one error");
	return tap_done();
}

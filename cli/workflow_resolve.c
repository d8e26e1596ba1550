/* workflow_resolve.c: pureboot workflow resolve: what a node would be
 * told by this workflow file, for checking a workflow before assigning
 * it.  The instructions as "key: value" lines, as JSON with --json; with
 * -e only the first-boot files, as the PB_FILES / PB_FILE_<i>_* lines of
 * the agent's env format. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <getopt.h>
#include <unistd.h>

#include "core/json_iter.h"
#include "core/ident.h"
#include "wf/wf_instructions.h"
#include "wf/wf_vars.h"
#include "wf/workflow.h"
#include "groups.h"

const char wf_resolve_usage[] =
    "usage: pureboot workflow resolve [--json | -e] [-s SERIAL] [-m MAC] "
    "[-H HOSTNAME]\n"
    "           [-i NODE_ID] [-u SERVER_URL] [-V NAME=VALUE]... FILE\n"
    "  the instructions a node would get from FILE, as key: value lines\n"
    "  -V      a node value of a workflow variable (PATCH /nodes/{id} vars)\n"
    "  --json  as the JSON the API answers\n"
    "  -e      only the first-boot files, as the agent's PB_FILE_* lines\n";

static void
print_env(const json_t *files)
{
	const json_t *f;
	size_t i;

	printf("PB_FILES='%zu'\n", json_array_size(files));
	json_array_foreach(pb_json_iterable(files), i, f) {
		printf("PB_FILE_%zu_PART='%s'\n", i + 1,
		    json_string_value(json_object_get(f, "partition")));
		printf("PB_FILE_%zu_PATH='%s'\n", i + 1,
		    json_string_value(json_object_get(f, "path")));
		printf("PB_FILE_%zu_MODE='%s'\n", i + 1,
		    json_string_value(json_object_get(f, "mode")));
		printf("PB_FILE_%zu_B64='%s'\n", i + 1,
		    json_string_value(json_object_get(f, "content_b64")));
	}
}

int
wf_cmd_resolve(int argc, char **argv, const struct cmd *self)
{
	struct pb_wf_node node;
	struct pb_wf_diag d;
	struct pb_err e;
	json_t *def = NULL, *out = NULL, *patch = NULL, *vars = NULL;
	char *eq;
	const char *id = "00000000-0000-0000-0000-000000000000";
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	int ch, env = 0, json = 0, rc = CMD_FAIL;

	memset(&node, 0, sizeof(node));
	node.server = "http://127.0.0.1:8080";
	if ((patch = json_object()) == NULL)
		return CMD_FAIL;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "es:m:H:i:u:V:", longopts, NULL)) !=
	    -1) {
		switch (ch) {
		case 'e': env = 1; break;
		case 'j': json = 1; break;
		case 's':
			if (pb_serial_parse_loose(&node.serial, optarg, &e) == -1)
				goto bad;
			break;
		case 'm':
			if (pb_mac_parse(&node.mac, optarg, &e) == -1)
				goto bad;
			break;
		case 'H':
			if (pb_hostname_parse(&node.hostname, optarg, &e) == -1)
				goto bad;
			break;
		case 'i': id = optarg; break;
		case 'u': node.server = optarg; break;
		case 'V':
			/* Checked as the API checks them, once the file says
			 * what the variables are. */
			if ((eq = strchr(optarg, '=')) == NULL) {
				pb_fail(&e, "-V \"%.60s\" is not NAME=VALUE", optarg);
				goto bad;
			}
			*eq = '\0';
			json_object_set_new(patch, optarg, json_string(eq + 1));
			break;
		default: json_decref(patch); return cmd_usage(self);
		}
	}
	if (optind != argc - 1 || (env && json)) {
		json_decref(patch);
		return cmd_usage(self);
	}
	if (pb_uuid_parse(&node.id, id, &e) == -1)
		goto bad;
	if ((def = pb_wf_load_file(argv[optind], &d)) == NULL) {
		pb_wf_diag_print(stderr, argv[optind], &d);
		json_decref(patch);
		return CMD_FAIL;
	}
	if ((vars = wf_node_vars_new(def, NULL, patch, &e)) == NULL)
		goto bad;
	node.vars = vars;
	if ((out = pb_wf_instructions_new(def, &node, &e)) == NULL)
		goto bad;
	if (env)
		print_env(json_object_get(out, "files"));
	else if (json)
		cmd_print_json(out);
	else
		cmd_print_flat(out);
	rc = CMD_OK;
	goto out;
bad:
	fprintf(stderr, "pureboot workflow resolve: %s\n", e.msg);
out:
	json_decref(vars);
	json_decref(patch);
	json_decref(out);
	json_decref(def);
	return rc;
}

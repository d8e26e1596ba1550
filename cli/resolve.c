/* resolve.c: pureboot-workflow resolve: what a node would be told by
 * this workflow file, for checking a workflow before assigning it.
 *   pureboot-workflow resolve [-e] [-s SERIAL] [-m MAC] [-H HOSTNAME]
 *       [-i NODE_ID] [-u SERVER_URL] FILE
 * Prints the instructions as JSON; with -e only the first-boot files,
 * as the PB_FILES / PB_FILE_<i>_* lines of the agent's env format. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/json_iter.h"
#include "core/ident.h"
#include "wf/wf_instructions.h"
#include "wf/workflow.h"
#include "wfcmd.h"

static int
usage(void)
{
	fprintf(stderr, "usage: pureboot-workflow resolve [-e] [-s SERIAL] "
	    "[-m MAC] [-H HOSTNAME] [-i NODE_ID] [-u SERVER_URL] FILE\n");
	return 2;
}

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
wf_cmd_resolve(int argc, char **argv)
{
	struct pb_wf_node node;
	struct pb_wf_diag d;
	struct pb_err e;
	json_t *def = NULL, *out = NULL;
	const char *id = "00000000-0000-0000-0000-000000000000";
	char *s;
	int ch, env = 0, rc = 1;

	memset(&node, 0, sizeof(node));
	node.server = "http://127.0.0.1:8080";
	optind = 1;
	while ((ch = getopt(argc, argv, "es:m:H:i:u:")) != -1) {
		switch (ch) {
		case 'e': env = 1; break;
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
		default: return usage();
		}
	}
	if (optind != argc - 1)
		return usage();
	if (pb_uuid_parse(&node.id, id, &e) == -1)
		goto bad;
	if ((def = pb_wf_load_file(argv[optind], &d)) == NULL) {
		pb_wf_diag_print(stderr, argv[optind], &d);
		return 1;
	}
	if ((out = pb_wf_instructions_new(def, &node, &e)) == NULL)
		goto bad;
	if (env)
		print_env(json_object_get(out, "files"));
	else if ((s = json_dumps(out, JSON_INDENT(2) | JSON_SORT_KEYS))) {
		printf("%s\n", s);
		free(s);
	}
	rc = 0;
	goto out;
bad:
	fprintf(stderr, "pureboot-workflow: resolve: %s\n", e.msg);
out:
	json_decref(out);
	json_decref(def);
	return rc;
}

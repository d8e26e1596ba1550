/* node_cmd.c: pureboot node list|show|history (reading), and the node
 * group's table; the changes are in node_change.c.  All through the
 * API (api.h): a node is named by id, serial, MAC or hostname. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "boot/model.h"
#include "core/nodestate.h"
#include "api.h"
#include "groups.h"
#include "table.h"

static const struct option json_only[] = {
	{ "json", no_argument, NULL, 'j' },
	{ NULL, 0, NULL, 0 },
};

/* --json and exactly nargs operands; else the usage, exit 2. */
static int
node_args(int argc, char **argv, const struct cmd *self, int nargs,
    int *json)
{
	int ch;

	*json = 0;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "", json_only, NULL)) != -1) {
		if (ch != 'j')
			return cmd_usage(self);
		*json = 1;
	}
	return argc - optind == nargs ? CMD_OK : cmd_usage(self);
}

static const char list_usage[] =
    "usage: pureboot node list [--state STATE] [--arch ARCH] "
    "[--model MODEL]\n"
    "                          [--workflow WORKFLOW] [--json]\n"
    "  every node (all pages), ordered by id; filters as GET /nodes\n"
    "  --json  {\"nodes\": [NODE...]} as the API gives them\n";

static const struct table_col node_cols[] = {
	{ "SERIAL", "serial", 8, 0 },
	{ "MAC", "mac", 17, 0 },
	{ "MODEL", "pi_model", 8, 0 },
	{ "STATE", "state", 16, 0 },
	{ "WORKFLOW", "workflow_id", 32, 0 },
	{ "HOSTNAME", "hostname", 32, 0 },
	{ "LAST_SEEN", "last_seen", 19, 1 },
	{ "ID", "id", 36, 0 },
	{ NULL, NULL, 0, 0 },
};

enum { OPT_STATE = 256, OPT_ARCH, OPT_MODEL, OPT_WORKFLOW, OPT_JSON };

/* One filter option, validated, onto the query; *seen has a bit per
 * filter given. */
static int
list_filter(char *q, size_t qsz, int ch, const char *v, unsigned *seen,
    struct pb_err *e)
{
	const char *name, *key;
	enum pb_model m;

	switch (ch) {
	case OPT_STATE:
		if (pb_state_parse(&name, v, e) == -1)
			return -1;
		key = "state";
		break;
	case OPT_ARCH:
		if (pb_arch_parse(&name, v, e) == -1)
			return -1;
		key = "arch";
		break;
	case OPT_MODEL:
		if (pb_model_parse(&m, v, e) == -1)
			return -1;
		name = pb_model_name(m);
		key = "pi_model";
		break;
	default:
		if (pb_workflow_id_check(v, e) == -1)
			return -1;
		name = v;
		key = "workflow";
		break;
	}
	if (*seen & (1u << (ch - OPT_STATE)))
		return pb_fail(e, "--%s is given twice", ch == OPT_MODEL ?
		    "model" : key);
	*seen |= 1u << (ch - OPT_STATE);
	if (api_query_add(q, qsz, '&', key, name) == -1)
		return pb_fail(e, "filters too long");
	return 0;
}

static int
cmd_list(int argc, char **argv, const struct cmd *self)
{
	static const char where[] = "pureboot node list";
	static const struct option longopts[] = {
		{ "state", required_argument, NULL, OPT_STATE },
		{ "arch", required_argument, NULL, OPT_ARCH },
		{ "model", required_argument, NULL, OPT_MODEL },
		{ "workflow", required_argument, NULL, OPT_WORKFLOW },
		{ "json", no_argument, NULL, OPT_JSON },
		{ NULL, 0, NULL, 0 },
	};
	char q[512] = "";
	unsigned seen = 0;
	struct api *a = NULL;
	json_t *nodes = NULL, *out;
	struct pb_err e;
	int ch, json = 0, rc;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (ch == OPT_JSON)
			json = 1;
		else if (ch < OPT_STATE)
			return cmd_usage(self);
		else if (list_filter(q, sizeof(q), ch, optarg, &seen, &e) == -1) {
			fprintf(stderr, "%s: %s\n", where, e.msg);
			return CMD_FAIL;
		}
	}
	if (optind != argc)
		return cmd_usage(self);
	if ((a = api_open(where)) == NULL)
		return CMD_FAIL;
	if ((rc = api_nodes_all(a, q, &nodes)) == CMD_OK) {
		if (json) {
			out = json_pack("{s:O}", "nodes", nodes);
			cmd_print_json(out);
			json_decref(out);
		} else
			table_print(stdout, node_cols, nodes);
	}
	json_decref(nodes);
	api_close(a);
	return rc;
}

static const char show_usage[] =
    "usage: pureboot node show [--json] NODE\n"
    "  one node; NODE is its id, serial, MAC or hostname\n"
    "  --json  the node as the API gives it\n";

static int
cmd_show(int argc, char **argv, const struct cmd *self)
{
	static const char where[] = "pureboot node show";
	char id[37], path[64];
	struct api *a = NULL;
	json_t *n = NULL;
	int json, rc;

	if ((rc = node_args(argc, argv, self, 1, &json)) != CMD_OK)
		return rc;
	if ((a = api_open(where)) == NULL)
		return CMD_FAIL;
	if ((rc = node_ref(a, where, argv[optind], id)) != CMD_OK)
		goto out;
	snprintf(path, sizeof(path), "nodes/%s", id);
	if ((rc = api_call(a, "GET", path, NULL, &n)) != CMD_OK)
		goto out;
	if (json)
		cmd_print_json(n);
	else
		cmd_print_flat(n);
out:
	json_decref(n);
	api_close(a);
	return rc;
}

static const char history_usage[] =
    "usage: pureboot node history [--json] NODE\n"
    "  the node's state log, oldest first (all pages)\n"
    "  --json  {\"node_id\", \"history\": [{id, from, to, actor, comment, "
    "forced, at}...]}\n";

static const struct table_col history_cols[] = {
	{ "AT", "at", 19, 1 },
	{ "FROM", "from", 16, 0 },
	{ "TO", "to", 16, 0 },
	{ "ACTOR", "actor", 40, 0 },
	{ "FORCED", "forced", 6, 0 },
	{ "COMMENT", "comment", 120, 0 },
	{ NULL, NULL, 0, 0 },
};

/* Every page of nodes/ID/LIST into *all (the caller's). */
int
node_log_all(struct api *a, const char *id, const char *list, json_t **all)
{
	char path[160];
	json_t *page = NULL, *next;
	int rc = CMD_OK;

	*all = json_array();
	snprintf(path, sizeof(path), "nodes/%s/%s?limit=1000", id, list);
	for (;;) {
		if ((rc = api_call(a, "GET", path, NULL, &page)) != CMD_OK)
			break;
		if (json_array_extend(*all, json_object_get(page, list)) ==
		    -1) {
			fprintf(stderr, "%s: the API's answer has no %s\n",
			    id, list);
			rc = CMD_FAIL;
			break;
		}
		next = json_object_get(page, "next");
		if (!json_is_integer(next))
			break;
		snprintf(path, sizeof(path), "nodes/%s/%s?limit=1000&"
		    "after=%lld", id, list, (long long)json_integer_value(next));
		json_decref(page);
		page = NULL;
	}
	json_decref(page);
	if (rc != CMD_OK) {
		json_decref(*all);
		*all = NULL;
	}
	return rc;
}

static int
cmd_history(int argc, char **argv, const struct cmd *self)
{
	static const char where[] = "pureboot node history";
	struct api *a = NULL;
	json_t *h = NULL, *out;
	char id[37];
	int json, rc;

	if ((rc = node_args(argc, argv, self, 1, &json)) != CMD_OK)
		return rc;
	if ((a = api_open(where)) == NULL)
		return CMD_FAIL;
	if ((rc = node_ref(a, where, argv[optind], id)) != CMD_OK ||
	    (rc = node_log_all(a, id, "history", &h)) != CMD_OK)
		goto out;
	if (json) {
		out = json_pack("{s:s, s:O}", "node_id", id, "history", h);
		cmd_print_json(out);
		json_decref(out);
	} else
		table_print(stdout, history_cols, h);
out:
	json_decref(h);
	api_close(a);
	return rc;
}

static const struct cmd node_cmds[] = {
	{ "list", cmd_list, "every node, or those of a state, arch, model "
	  "or workflow", list_usage },
	{ "show", cmd_show, "one node", show_usage },
	{ "assign", node_cmd_assign, "give a node a workflow (and a "
	  "hostname)", node_assign_usage },
	{ "transition", node_cmd_transition, "move a node to another state",
	  node_transition_usage },
	{ "retire", node_cmd_retire, "move a node to retired (it powers "
	  "off at its next boot)", node_retire_usage },
	{ "history", cmd_history, "a node's state log", history_usage },
	{ NULL, NULL, NULL, NULL },
};

int
node_main(int argc, char **argv, const struct cmd *self)
{
	(void)self;
	return cmd_dispatch(node_cmds, "pureboot node", argc, argv);
}

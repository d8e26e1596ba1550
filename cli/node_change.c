/* node_change.c: pureboot node assign|transition|retire, the changes;
 * the API and pureboot.transition() decide, and record the actor as
 * api:<token name>. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "core/ident.h"
#include "core/nodestate.h"
#include "api.h"
#include "groups.h"

const char node_assign_usage[] =
    "usage: pureboot node assign [--hostname HOSTNAME] [--json] NODE "
    "WORKFLOW\n"
    "  set the node's workflow (and hostname); \"pureboot node transition "
    "NODE pending\"\n"
    "  then installs it at its next boot\n"
    "  --json  the node as the API gives it\n";

const char node_transition_usage[] =
    "usage: pureboot node transition [-m COMMENT] [--force] [--json] NODE "
    "STATE\n"
    "  move the node to STATE if the state machine allows it "
    "(docs/state-machine.md)\n"
    "  -m       the state log's comment (at most 500 bytes, no control "
    "bytes)\n"
    "  --force  past the 3-attempts limit of install_failed -> pending\n"
    "  --json   the node as the API gives it\n";

const char node_retire_usage[] =
    "usage: pureboot node retire [-m COMMENT] [--json] NODE\n"
    "  move the node to retired: it is told to power off when it boots\n"
    "  -m       the state log's comment\n"
    "  --json   the node as the API gives it\n";

/* The node after a change, as people or as JSON. */
static void
node_done(const json_t *n, int json)
{
	const char *s, *id, *st;

	if (json) {
		cmd_print_json(n);
		return;
	}
	s = json_string_value(json_object_get(n, "serial"));
	id = json_string_value(json_object_get(n, "id"));
	st = json_string_value(json_object_get(n, "state"));
	printf("node %s (%s): %s", id ? id : "?", s ? s : "no serial",
	    st ? st : "?");
	if ((s = json_string_value(json_object_get(n, "workflow_id"))))
		printf(", workflow %s", s);
	if ((s = json_string_value(json_object_get(n, "hostname"))))
		printf(", hostname %s", s);
	printf("\n");
}

/* PATH with BODY, then the node printed; BODY is the caller's. */
static int
change(const char *where, const char *node, const char *method,
    const char *sub, json_t *body, int json)
{
	char id[37], path[96];
	struct api *a = NULL;
	json_t *n = NULL;
	int rc;

	if ((a = api_open(where)) == NULL)
		return CMD_FAIL;
	if ((rc = node_ref(a, where, node, id)) != CMD_OK)
		goto out;
	snprintf(path, sizeof(path), "nodes/%s%s", id, sub);
	if ((rc = api_call(a, method, path, body, &n)) == CMD_OK)
		node_done(n, json);
out:
	json_decref(n);
	api_close(a);
	return rc;
}

int
node_cmd_assign(int argc, char **argv, const struct cmd *self)
{
	static const char where[] = "pureboot node assign";
	static const struct option longopts[] = {
		{ "hostname", required_argument, NULL, 'H' },
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	struct pb_hostname host;
	const char *hostname = NULL;
	json_t *body;
	struct pb_err e;
	int ch, json = 0, rc;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "H:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'H': hostname = optarg; break;
		case 'j': json = 1; break;
		default: return cmd_usage(self);
		}
	}
	if (argc - optind != 2)
		return cmd_usage(self);
	if (pb_workflow_id_check(argv[optind + 1], &e) == -1 ||
	    (hostname != NULL && pb_hostname_parse(&host, hostname, &e) ==
	    -1)) {
		fprintf(stderr, "%s: %s\n", where, e.msg);
		return CMD_FAIL;
	}
	body = json_pack("{s:s}", "workflow_id", argv[optind + 1]);
	if (hostname != NULL)
		json_object_set_new(body, "hostname", json_string(host.s));
	rc = change(where, argv[optind], "PATCH", "", body, json);
	json_decref(body);
	return rc;
}

/* A comment as the API takes it: checked here so that a bad one is
 * refused before anything is asked. */
static int
comment_check(const char *c, struct pb_err *e)
{
	const unsigned char *p;

	if (strlen(c) > 500)
		return pb_fail(e, "comment is over 500 bytes");
	for (p = (const unsigned char *)c; *p != '\0'; p++)
		if (*p < 0x20 || *p == 0x7f)
			return pb_fail(e, "comment has a control byte "
			    "(\\x%02x)", *p);
	return 0;
}

/* STATE (NULL: retired), -m, --force, --json: the transition. */
static int
transition(int argc, char **argv, const struct cmd *self,
    const char *where, int retire)
{
	static const struct option longopts[] = {
		{ "force", no_argument, NULL, 'f' },
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	const char *comment = NULL, *to = "retired";
	int ch, json = 0, force = 0, rc;
	json_t *body, *jc = NULL;
	struct pb_err e;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "m:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'm': comment = optarg; break;
		case 'j': json = 1; break;
		case 'f':
			if (!retire) {
				force = 1;
				break;
			}
			/* FALLTHROUGH */
		default: return cmd_usage(self);
		}
	}
	if (argc - optind != (retire ? 1 : 2))
		return cmd_usage(self);
	if ((!retire && pb_state_parse(&to, argv[optind + 1], &e) == -1) ||
	    (comment != NULL && comment_check(comment, &e) == -1)) {
		fprintf(stderr, "%s: %s\n", where, e.msg);
		return CMD_FAIL;
	}
	/* jansson takes only UTF-8, as the API does. */
	if (comment != NULL && (jc = json_string(comment)) == NULL) {
		fprintf(stderr, "%s: comment is not UTF-8\n", where);
		return CMD_FAIL;
	}
	body = json_pack("{s:s, s:b}", "to", to, "force", force);
	if (jc != NULL)
		json_object_set_new(body, "comment", jc);
	rc = change(where, argv[optind], "POST", "/transition", body, json);
	json_decref(body);
	return rc;
}

int
node_cmd_transition(int argc, char **argv, const struct cmd *self)
{
	return transition(argc, argv, self, "pureboot node transition", 0);
}

int
node_cmd_retire(int argc, char **argv, const struct cmd *self)
{
	return transition(argc, argv, self, "pureboot node retire", 1);
}

/* Unit tests for lib/wf/wf_vars.c: typed variable values, and a node's
 * values after a PATCH checked against the workflow's declarations;
 * table-driven. */
#include <stdlib.h>
#include <string.h>

#include "wf/wf_vars.h"
#include "tap.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const struct {
	enum wf_vtype t;
	const char *v, *want;	/* want NULL: accepted */
} checks[] = {
	{ WF_VT_STRING, "https://k3s:6443/a b", NULL },
	{ WF_VT_STRING, "", NULL },
	{ WF_VT_STRING, "a'b", "v \"a'b\" contains a character outside "
	  "[A-Za-z0-9._~:/?#@&+,=% -]" },
	{ WF_VT_STRING, "${serial}", "v \"${serial}\" contains a character "
	  "outside [A-Za-z0-9._~:/?#@&+,=% -]" },
	{ WF_VT_WORD, "lab-2", NULL },
	{ WF_VT_WORD, "a b", "v \"a b\" is not a word of "
	  "[A-Za-z0-9._~:/?#@&+,=%-]" },
	{ WF_VT_WORD, "", "v \"\" is not a word of [A-Za-z0-9._~:/?#@&+,=%-]" },
	{ WF_VT_HOSTNAME, "web-1", NULL },
	{ WF_VT_HOSTNAME, "web_1", "v \"web_1\" is not a host name (one label "
	  "of letters, digits and '-', at most 63)" },
	{ WF_VT_INTEGER, "6443", NULL },
	{ WF_VT_INTEGER, "-1", NULL },
	{ WF_VT_INTEGER, "0", NULL },
	{ WF_VT_INTEGER, "007", "v \"007\" is not an integer" },
	{ WF_VT_INTEGER, "1e3", "v \"1e3\" is not an integer" },
	{ WF_VT_INTEGER, "-", "v \"-\" is not an integer" },
	{ WF_VT_INTEGER, "", "v \"\" is not an integer" },
	{ WF_VT_BOOLEAN, "true", NULL },
	{ WF_VT_BOOLEAN, "yes", "v \"yes\" is not true or false" },
};

#define DEF "{\"variables\":{\"k3s\":\"https://${server}:6443\"," \
	"\"port\":{\"type\":\"integer\",\"default\":\"6443\"}," \
	"\"debug\":{\"type\":\"boolean\"},\"name\":{\"type\":\"hostname\"}}}"

static const struct {
	const char *name, *def, *stored, *patch, *want;
} patches[] = {
	{ "set two, typed values as JSON numbers and booleans", DEF, "{}",
	  "{\"port\":8443,\"debug\":true}",
	  "{\"debug\":\"true\",\"port\":\"8443\"}" },
	{ "merged with what is kept; null removes one", DEF,
	  "{\"port\":\"1\",\"name\":\"a\"}", "{\"name\":null,\"k3s\":\"x\"}",
	  "{\"k3s\":\"x\",\"port\":\"1\"}" },
	{ "vars null clears all", DEF, "{\"port\":\"1\"}", "null", "{}" },
	{ "an undefined name is refused", DEF, "{}", "{\"prot\":\"1\"}",
	  "vars: \"prot\" is not a variable of the node's workflow" },
	{ "a bad integer is refused", DEF, "{}", "{\"port\":\"64k\"}",
	  "vars.port \"64k\" is not an integer" },
	{ "a number for a string variable is refused", DEF, "{}",
	  "{\"k3s\":1}", "vars.k3s: must be a string (or null to remove it), "
	  "for a variable of type string" },
	{ "bad characters are refused", DEF, "{}", "{\"k3s\":\"a;b\"}",
	  "vars.k3s \"a;b\" contains a character outside "
	  "[A-Za-z0-9._~:/?#@&+,=% -]" },
	{ "a kept value the new workflow lacks is refused",
	  "{\"variables\":{\"other\":\"x\"}}", "{\"port\":\"1\"}", "{}",
	  "vars: \"port\" is not a variable of the node's workflow" },
	{ "no workflow: nothing can be set", NULL, "{}", "{\"port\":\"1\"}",
	  "vars: the node has no workflow; assign one (workflow_id) before "
	  "setting its variables" },
	{ "not an object", DEF, "{}", "[1]", "vars: must be an object of "
	  "variable names to values, or null" },
};

int
main(void)
{
	struct pb_err e;
	json_t *def, *stored, *patch, *out;
	char name[200], *s;
	size_t i;

	for (i = 0; i < N(checks); i++) {
		snprintf(name, sizeof(name), "%s \"%s\" %s",
		    wf_vtype_name(checks[i].t), checks[i].v, checks[i].want ?
		    "refused" : "accepted");
		tap_is(wf_var_check(checks[i].t, "v", checks[i].v, &e) == 0 ?
		    NULL : e.msg, checks[i].want, name);
	}
	for (i = 0; i < N(patches); i++) {
		def = patches[i].def ? json_loads(patches[i].def, 0, NULL) : NULL;
		stored = json_loads(patches[i].stored, 0, NULL);
		patch = json_loads(patches[i].patch, JSON_DECODE_ANY, NULL);
		out = wf_node_vars_new(def, stored, patch, &e);
		s = out ? json_dumps(out, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
		tap_is(out ? s : e.msg, patches[i].want, patches[i].name);
		snprintf(name, sizeof(name), "%s: a result exactly when accepted",
		    patches[i].name);
		tap_ok((out != NULL) == (patches[i].want[0] == '{'), name);
		free(s);
		json_decref(out);
		json_decref(patch);
		json_decref(stored);
		json_decref(def);
	}
	return tap_done();
}

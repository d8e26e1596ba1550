/* Unit tests for the API's small pure parts: boot actions by state,
 * state/arch/workflow-id parsers, the server URL, body fields, the
 * peer address (REMOTE_ADDR). */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "core/boot_action.h"
#include "jsonfield.h"
#include "core/nodestate.h"
#include "core/url.h"
#include "peer.h"
#include "tap.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const struct {
	const char *state;
	int issued, nfs;
	const char *want;
} actions[] = {
	{ "discovered", 0, 0, "wait" }, { "pending", 0, 0, "wait" },
	{ "installing", 1, 0, "install" }, { "installing", 1, 1, "install" },
	{ "installing", 0, 0, "wait" }, { "install_failed", 0, 0, "wait" },
	{ "installed", 0, 0, "local_boot" }, { "installed", 0, 1, "nfs" },
	{ "active", 0, 0, "local_boot" }, { "active", 0, 1, "nfs" },
	{ "migrating", 0, 0, "local_boot" }, { "reprovision", 0, 0, "wait" },
	{ "deprovisioning", 0, 0, "wait" }, { "cloning_target", 0, 0, "wait" },
	{ "retired", 0, 1, "poweroff" },
};

static const struct { const char *in; int ok; } urls[] = {
	{ "http://127.0.0.1:8080", 1 }, { "https://pxe.example.org/pb", 1 },
	{ "http://[fe80::1]:80/", 1 }, { "ftp://x", 0 }, { "http://", 0 },
	{ "http://x/a b", 0 }, { "http://x/a'b", 0 }, { "http://x?a=1", 0 },
	{ "http://x/$(id)", 0 }, { "http://x\n", 0 },
};

static const struct { const char *name, *json, *err; } bodies[] = {
	{ "all fields", "{\"a\":\"x\",\"b\":1}", NULL },
	{ "optional absent", "{\"a\":\"x\"}", NULL },
	{ "unknown field", "{\"a\":\"x\",\"c\":1}", "unknown field \"c\"" },
	{ "required missing", "{\"b\":1}", "field \"a\" is required" },
	{ "required null", "{\"a\":null}", "field \"a\" is required" },
};

/* REMOTE_ADDR as nginx may pass it; want NULL: refused. */
static const struct { const char *in, *want; } peers[] = {
	{ "127.0.0.11", "127.0.0.11" }, { "10.0.0.5", "10.0.0.5" },
	{ "fe80::0:1", "fe80::1" }, { "2001:db8::5", "2001:db8::5" },
	/* a dual-stack listener: the lease says 10.0.0.5 */
	{ "::ffff:10.0.0.5", "10.0.0.5" }, { "::FFFF:10.0.0.5", "10.0.0.5" },
	{ "::ffff:a00:5", "10.0.0.5" }, { "::ffff", "::ffff" },
	{ "", NULL }, { "unix:", NULL }, { "10.0.0.5 ", NULL },
	{ "10.0.0.256", NULL }, { "10.0.0.5:8080", NULL },
};

int
main(void)
{
	struct pb_ip ip;
	struct pb_jfield f[3];
	struct pb_err e;
	const char *s;
	json_t *j;
	long long n;
	size_t i;

	for (i = 0; i < N(actions); i++) {
		char name[80];

		snprintf(name, sizeof(name), "%s issued=%d nfs=%d",
		    actions[i].state, actions[i].issued, actions[i].nfs);
		tap_is(pb_action_name(pb_boot_action(actions[i].state,
		    actions[i].issued, actions[i].nfs)), actions[i].want, name);
	}
	tap_ok(pb_state_parse(&s, "install_failed", &e) == 0 &&
	    strcmp(s, "install_failed") == 0, "state parses");
	tap_ok(pb_state_parse(&s, "Pending", &e) == -1, "state is exact");
	tap_ok(pb_arch_parse(&s, "aarch64", &e) == 0, "arch aarch64");
	tap_ok(pb_arch_parse(&s, "arm64", &e) == -1, "arch arm64 refused");
	tap_ok(pb_workflow_id_check("pi-raspios-lite", &e) == 0, "workflow id");
	tap_ok(pb_workflow_id_check("-x", &e) == -1, "workflow id leading -");
	tap_ok(pb_workflow_id_check("a/b", &e) == -1, "workflow id slash");
	tap_ok(pb_workflow_id_check("", &e) == -1, "workflow id empty");
	for (i = 0; i < N(urls); i++)
		tap_ok((pb_server_url_check(urls[i].in, &e) == 0) == urls[i].ok,
		    urls[i].in);
	for (i = 0; i < N(bodies); i++) {
		f[0] = (struct pb_jfield){ "a", PB_F_REQUIRED, NULL, NULL, 0 };
		f[1] = (struct pb_jfield){ "b", PB_F_NULL, NULL, NULL, 0 };
		f[2] = (struct pb_jfield){ NULL, 0, NULL, NULL, 0 };
		j = json_loads(bodies[i].json, 0, NULL);
		memset(&e, 0, sizeof(e));
		tap_is(pb_jfields(j, f, &e) == 0 ? NULL : e.msg, bodies[i].err,
		    bodies[i].name);
		json_decref(j);
	}
	j = json_loads("{\"s\":\"a\\u0001b\",\"n\":101,\"t\":\"\"}", 0, NULL);
	tap_ok(pb_json_text(json_object_get(j, "s"), "s", 10, &s, &e) == -1,
	    "text refuses a control byte");
	tap_ok(pb_json_text(json_object_get(j, "t"), "t", 10, &s, &e) == -1,
	    "text refuses empty");
	tap_ok(pb_json_int(json_object_get(j, "n"), "n", 0, 100, &n, &e) == -1 &&
	    strcmp(e.msg, "field \"n\" must be from 0 to 100") == 0,
	    "int range names the field");
	tap_ok(pb_json_str(json_object_get(j, "n"), "n", &s, &e) == -1 &&
	    strcmp(e.msg, "field \"n\" must be a string") == 0,
	    "string type names the field");
	json_decref(j);
	for (i = 0; i < N(peers); i++) {
		char name[80];

		snprintf(name, sizeof(name), "peer \"%s\"", peers[i].in);
		tap_is(pb_peer_parse(&ip, peers[i].in, &e) == 0 ? ip.s : NULL,
		    peers[i].want, name);
	}
	tap_ok(pb_peer_parse(&ip, "", &e) == -1 && strcmp(e.msg, "REMOTE_ADDR "
	    "is empty: nginx must pass fastcgi_param REMOTE_ADDR $remote_addr")
	    == 0, "an empty peer names the nginx setting");
	return tap_done();
}

/* workflow.c: workflow YAML through everything that follows it: the
 * loader (lib/wf/wf_yaml.c, wf_schema.c, workflow.c), the stored JSON
 * form, the per-node resolution (wf_instructions.c), the format=env
 * answer (fcgi/envout.c) and the NFS cmdline.txt (lib/boot/
 * render_cmdline.c).  Properties:
 *  - a refused file has at least one error, each with a printable key
 *    and reason (they reach a terminal and JSON replies);
 *  - an accepted file's JSON form passes the stored-definition check,
 *    also after a trip through JSON text (the database keeps text);
 *  - the instructions resolved from it for a node either are refused
 *    with a printable reason or have an env form, and every line of it
 *    passes the agent's own pb_env_check (initramfs/agent/lib.sh);
 *  - its NFS root, when it resolves, renders a one-line cmdline.txt of
 *    printable ASCII. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "boot/render.h"
#include "envout.h"
#include "fz.h"
#include "fz_agent.h"
#include "wf/wf_instructions.h"
#include "wf/workflow.h"

static void
check_diag(const struct pb_wf_diag *d, const char *what)
{
	char line[512];
	size_t i;

	FZ_ASSERT(d->n >= 1, "%s: refused without an error", what);
	for (i = 0; i < d->n; i++) {
		FZ_ASSERT(d->e[i].line >= 0 && d->e[i].col >= 0, "%s: position",
		    what);
		FZ_ASSERT(fz_printable(d->e[i].key), "%s: key %s", what,
		    d->e[i].key);
		FZ_ASSERT(d->e[i].reason[0] != '\0' &&
		    fz_printable(d->e[i].reason), "%s: reason %s", what,
		    d->e[i].reason);
		pb_wf_error_format(line, sizeof(line), "w.yaml", &d->e[i]);
		FZ_ASSERT(fz_printable(line), "%s: line %s", what, line);
	}
}

static void
node_init(struct pb_wf_node *n, int full)
{
	struct pb_err e;

	memset(n, 0, sizeof(*n));
	if (pb_uuid_parse(&n->id, "0b3c9a52-8f1e-4d7a-9c2b-5e6f7a8b9c0d",
	    &e) == -1 || pb_serial_parse(&n->serial, "d83add36", &e) == -1)
		abort();
	if (full && (pb_mac_parse(&n->mac, "dc:a6:32:01:02:03", &e) == -1 ||
	    pb_hostname_parse(&n->hostname, "rack1-node07", &e) == -1))
		abort();
	n->server = full ? "http://10.0.0.1:8080" : "https://pxe.lan/pureboot";
}

static void
nfs(const json_t *def, const struct pb_wf_node *n)
{
	struct pb_wf_nfs r;
	struct pb_cmdline_in in;
	struct pb_err e;
	char buf[2048];
	ssize_t len;

	if (pb_wf_nfs_resolve(&r, def, n, &e) == -1) {
		fz_check_refusal(&e, "nfs resolve");
		return;
	}
	memset(&in, 0, sizeof(in));
	in.mode = PB_MODE_NFS;
	in.server = n->server;
	in.state = "nfs_booting";
	in.serial = &n->serial;
	in.node_id = &n->id;
	in.mac = n->mac.s[0] != '\0' ? &n->mac : NULL;
	in.hostname = n->hostname.s[0] != '\0' ? &n->hostname : NULL;
	in.nfs_server = r.server;
	in.nfs_path = r.path;
	in.nfs_options = r.options;
	len = pb_render_cmdline(buf, sizeof(buf), &in, &e);
	FZ_ASSERT(len > 0, "a resolved NFS root has no cmdline.txt: %s", e.msg);
	FZ_ASSERT((size_t)len == strlen(buf) && buf[len - 1] == '\n' &&
	    strchr(buf, '\n') == buf + len - 1, "cmdline.txt is not one line");
	buf[len - 1] = '\0';
	FZ_ASSERT(fz_printable(buf), "cmdline.txt: %s", buf);
}

static void
resolve(const json_t *def, const struct pb_wf_node *n)
{
	struct pb_err e;
	json_t *instr;
	char *text;

	if ((instr = pb_wf_instructions_new(def, n, &e)) == NULL) {
		fz_check_refusal(&e, "instructions");
		return;
	}
	text = pb_envout_new(instr, &e);
	FZ_ASSERT(text != NULL, "instructions of a valid workflow have no env "
	    "form: %s", e.msg);
	fz_check_env(text, 1);
	free(text);
	json_decref(instr);
	nfs(def, n);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pb_wf_diag d;
	struct pb_wf_node n;
	json_t *def, *back;
	char *txt;

	memset(&d, 0, sizeof(d));
	if ((def = pb_wf_load_yaml((const char *)data, size, &d)) == NULL) {
		check_diag(&d, "load");
		return 0;
	}
	FZ_ASSERT(d.n == 0, "accepted with %zu errors", d.n);
	FZ_ASSERT(pb_wf_check_json(def, &d) == 0, "the loader's JSON form "
	    "fails the stored check: %s: %s", d.e[0].key, d.e[0].reason);
	txt = json_dumps(def, JSON_COMPACT);
	FZ_ASSERT(txt != NULL, "definition does not dump");
	back = json_loads(txt, JSON_REJECT_DUPLICATES, NULL);
	FZ_ASSERT(back != NULL && json_equal(back, def), "definition does not "
	    "load back: %s", txt);
	FZ_ASSERT(pb_wf_check_json(back, &d) == 0, "stored form refused");
	node_init(&n, 1);
	resolve(back, &n);
	node_init(&n, 0);
	resolve(back, &n);
	json_decref(back);
	free(txt);
	json_decref(def);
	return 0;
}

/* nfsplan.c: what a diskless node's directory and export must be, from
 * its database row (pure: no I/O).  The rule that ties the workflow to
 * the hook: the workflow's base (nfs_base_path/nfs_image, resolved as
 * the API resolves it for the agent) must be <nfsroot>/base/<image>,
 * since the agent finds the node's directory as the sibling
 * <nfsroot>/nodes/<serial> of that base (docs/diskless.md). */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "core/ident.h"
#include "core/nodestate.h"
#include "nfsplan.h"
#include "wf/wf_instructions.h"

/* The states that end a node's per-node data; every other state of the
 * machine keeps it (a failed install is retried with the same
 * identity; a clone target or a migrating node is still the node). */
static const char *const ending[] = {
	"discovered", "reprovision", "deprovisioning", "retired", NULL,
};

int
nfs_state_keeps(const char *state)
{
	const char *const *s, *st;

	if (state == NULL || pb_state_parse(&st, state, NULL) == -1)
		return -1;
	for (s = ending; *s != NULL; s++)
		if (strcmp(*s, state) == 0)
			return 0;
	return 1;
}

static void
skip(struct nfs_plan *p, const char *what, const char *v, const char *why)
{
	char qv[64];

	pb_quote(qv, sizeof(qv), v ? v : "NULL", 40);
	p->kind = NFS_SKIP;
	snprintf(p->why, sizeof(p->why), "%s \"%s\" %s", what, qv, why);
}

/* The workflow's base, resolved; 0 when it is <root>/base/<one name>. */
static int
base_is_ours(const char *root, const char *server, const struct nfs_row *row,
    const struct pb_wf_node *wn, struct nfs_plan *p)
{
	struct pb_wf_nfs nfs;
	struct pb_wf_node n = *wn;
	struct pb_err e;
	json_error_t je;
	json_t *def, *vars = NULL;
	size_t rl = strlen(root);
	const char *img;
	int rc;

	n.server = server != NULL && server[0] != '\0' ? server : NULL;
	if (row->definition == NULL ||
	    (def = json_loads(row->definition, 0, &je)) == NULL) {
		p->kind = NFS_SKIP;
		snprintf(p->why, sizeof(p->why), "workflow definition is not JSON");
		return -1;
	}
	/* The node's own variable values, as the API's answer uses them. */
	if (row->vars != NULL && (vars = json_loads(row->vars, 0, &je)) == NULL) {
		json_decref(def);
		p->kind = NFS_SKIP;
		snprintf(p->why, sizeof(p->why), "node vars are not JSON");
		return -1;
	}
	n.vars = vars;
	rc = pb_wf_nfs_resolve(&nfs, def, &n, &e);
	json_decref(vars);
	json_decref(def);
	if (rc == -1) {
		p->kind = NFS_SKIP;
		snprintf(p->why, sizeof(p->why), "%.400s", e.msg);
		return -1;
	}
	img = strncmp(nfs.path, root, rl) == 0 &&
	    strncmp(nfs.path + rl, "/base/", 6) == 0 ? nfs.path + rl + 6 : NULL;
	if (img == NULL || img[0] == '\0' || strchr(img, '/') != NULL) {
		p->kind = NFS_SKIP;
		snprintf(p->why, sizeof(p->why), "workflow base \"%.200s\" is "
		    "not %.200s/base/<image> (nfs_base_path must be the hook's "
		    "--nfs-root followed by /base)", nfs.path, root);
		return -1;
	}
	return 0;
}

void
nfs_plan_node(const char *root, const char *server,
    const struct nfs_row *row, struct nfs_plan *p)
{
	struct pb_wf_node wn;
	struct pb_ip ip;
	int keeps;

	memset(p, 0, sizeof(*p));
	memset(&wn, 0, sizeof(wn));
	if (row->id == NULL || pb_uuid_parse(&wn.id, row->id, NULL) == -1) {
		skip(p, "node id", row->id, "is not a UUID");
		return;
	}
	memcpy(p->ni.id, wn.id.s, sizeof(p->ni.id));
	if (row->serial != NULL &&
	    pb_serial_parse(&wn.serial, row->serial, NULL) == 0)
		memcpy(p->ni.serial, wn.serial.s, sizeof(p->ni.serial));
	if (row->install_method == NULL ||
	    strcmp(row->install_method, "nfs") != 0) {
		p->kind = NFS_NONE;
		return;
	}
	if ((keeps = nfs_state_keeps(row->state)) == -1) {
		skip(p, "state", row->state, "is not a node state");
		return;
	}
	if (keeps == 0 && strcmp(row->state, "deprovisioning") != 0) {
		p->kind = NFS_NONE;
		return;
	}
	if (p->ni.serial[0] == '\0') {
		skip(p, "serial", row->serial, "is not 8 lower-case hex digits");
		return;
	}
	if (row->mac != NULL && pb_mac_parse(&wn.mac, row->mac, NULL) == -1)
		memset(&wn.mac, 0, sizeof(wn.mac));
	if (row->hostname != NULL &&
	    (pb_hostname_parse(&wn.hostname, row->hostname, NULL) == -1 ||
	    strcmp(wn.hostname.s, row->hostname) != 0)) {
		skip(p, "hostname", row->hostname,
		    "is not a lower-case RFC 1123 label");
		return;
	}
	/* Whose node it is: the hook whose root holds its base. */
	if (base_is_ours(root, server, row, &wn, p) == -1)
		return;
	if (keeps == 0) {
		p->kind = NFS_DEPROV;
		return;
	}
	if (row->epoch == NULL || row->epoch[0] == '\0' || strlen(row->epoch) > 18 ||
	    strspn(row->epoch, "0123456789") != strlen(row->epoch)) {
		skip(p, "state log epoch", row->epoch, "is not a number");
		return;
	}
	sscanf(row->epoch, "%lld", &p->ni.epoch);
	/* Named as the workflow's ${hostname} names it. */
	if (wn.hostname.s[0] != '\0')
		memcpy(p->ni.hostname, wn.hostname.s, sizeof(p->ni.hostname));
	else
		snprintf(p->ni.hostname, sizeof(p->ni.hostname), "pi-%s",
		    wn.serial.s);
	if (row->addr != NULL && pb_ip_parse(&ip, row->addr, NULL) == 0)
		memcpy(p->addr, ip.s, sizeof(p->addr));
	p->kind = NFS_NODE;
}

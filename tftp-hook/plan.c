/* plan.c: what the tree must hold for one node, and for the discovery
 * root, from database rows and the files on disk (no writes). */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "plan.h"
#include "log.h"
#include "boot/pimodel.h"
#include "boot/render.h"
#include "core/ident.h"
#include "core/boot_action.h"
#include "wf/wf_instructions.h"

#define FW "rpi-firmware/"
#define DEPLOY "deploy-arm64/"

/* The order of the discovery root's sections: a general filter before
 * the specific ones it also covers ([pi3] before [pi3+] and [cm3]), as
 * the last matching section wins. */
static const enum pb_model root_order[] = {
	PB_PI3, PB_PI3P, PB_CM3, PB_PI4, PB_PI400, PB_CM4, PB_PI5, PB_CM5,
	PB_PI500,
};

void
env_load_files(struct env *env, int rootfd)
{
	const struct pb_pimodel *pm;
	const char *const *c;
	char path[256];
	struct stat st;
	int m;

	for (m = 0; m < PB_NMODELS; m++) {
		pm = pb_pimodel((enum pb_model)m);
		env->dtb[m] = pm->dtbs[0];
		env->dtb_present[m] = 0;
		for (c = pm->dtbs; *c != NULL; c++) {
			snprintf(path, sizeof(path), FW "%s", *c);
			if (fstatat(rootfd, path, &st, 0) == 0 && S_ISREG(st.st_mode)) {
				env->dtb[m] = *c;
				env->dtb_present[m] = 1;
				break;
			}
		}
	}
	env->have_overlays = fstatat(rootfd, FW "overlays", &st, 0) == 0 &&
	    S_ISDIR(st.st_mode);
}

static struct ent *
add(struct dirspec *d, const char *name)
{
	struct ent *en;
	size_t i;

	for (i = 0; i < d->n; i++)
		if (strcmp(d->e[i].name, name) == 0)
			return &d->e[i];
	if (d->n == DIR_MAXENT)
		return NULL;
	en = &d->e[d->n++];
	memset(en, 0, sizeof(*en));
	snprintf(en->name, sizeof(en->name), "%s", name);
	return en;
}

static void
add_link(struct dirspec *d, const char *name, const char *dir, const char *file)
{
	struct ent *en = add(d, name);

	if (en == NULL)
		return;
	en->is_link = 1;
	snprintf(en->target, sizeof(en->target), "%s%s", dir, file);
}

static void
add_file(struct dirspec *d, const char *name, const char *data, size_t len)
{
	struct ent *en = add(d, name);

	if (en == NULL || len > sizeof(en->data))
		return;
	en->is_link = 0;
	memcpy(en->data, data, len);
	en->len = len;
}

/* States in which a node boots what is on its own storage: it must
 * never be served anything bootable (docs/pi-boot.md, "The fence").
 * For an NFS workflow these are the states that boot the NFS root.
 * Which states those are is the boot table's (lib/core/boot_action.c). */
static int
runs_installed_os(const char *state)
{
	const struct pb_boot_state *s = pb_boot_state(state);

	return s != NULL && s->cls == PB_BOOT_RUN;
}

/* a: an untrusted value (quoted here); b: a reason already quoted. */
/* The node is skipped: what "value" why, the value quoted and cut. */
static int
skip(struct plan *p, const char *what, const char *v, const char *why)
{
	char qv[64];

	pb_quote(qv, sizeof(qv), v ? v : "NULL", 40);
	p->kind = PLAN_SKIP;
	p->ndirs = p->nroot = 0;	/* nothing to write: its files stay */
	snprintf(p->why, sizeof(p->why), "%s \"%s\" %s", what, qv, why);
	return 0;
}

/* The node is skipped for a reason a parser or renderer gave. */
static int
skip_msg(struct plan *p, const char *msg)
{
	p->kind = PLAN_SKIP;
	p->ndirs = p->nroot = 0;	/* nothing to write: its files stay */
	snprintf(p->why, sizeof(p->why), "%.400s", msg);
	return 0;
}

/* A new directory of the plan, empty (NULL when the plan is full,
 * which no case reaches: PLAN_MAXDIRS counts them). */
static struct dirspec *
add_dir(struct plan *p, const char *name)
{
	struct dirspec *d;

	if (p->ndirs == PLAN_MAXDIRS)
		return NULL;
	d = &p->dirs[p->ndirs++];
	memset(d, 0, sizeof(*d));
	snprintf(d->name, sizeof(d->name), "%s", name);
	return d;
}

/* A link at the top of the root that the node needs. */
static void
add_root_link(struct plan *p, const char *name, const char *target)
{
	struct ent *en;

	if (p->nroot == PLAN_MAXROOT)
		return;
	en = &p->root[p->nroot++];
	memset(en, 0, sizeof(*en));
	snprintf(en->name, sizeof(en->name), "%s", name);
	en->is_link = 1;
	snprintf(en->target, sizeof(en->target), "%s", target);
}

/* A node that must boot locally: its serial dir stops a Pi at once,
 * and an empty MAC dir keeps dnsmasq from the main root. */
static void
plan_fence(struct plan *p)
{
	struct dirspec *d;

	p->kind = PLAN_FENCE;
	if (p->serial[0] != '\0' && (d = add_dir(p, p->serial)) != NULL) {
		/* Zero-length: a Pi 4/5 bootloader gives up network boot
		 * at once; start.elf too, so that a Pi 3 finds the prefix
		 * and nothing bootable in it instead of falling back to
		 * the root. */
		add_file(d, "start4.elf", "", 0);
		add_file(d, "start.elf", "", 0);
	}
	/* After the serial dir: the MAC dir alone fails open. */
	if (p->macdir[0] != '\0')
		(void)add_dir(p, p->macdir);
}

/* An nfs node's root, from the resolver the API's agent answer uses
 * for its nfs keys: the same values, variables and checks included. */
static int
plan_nfs(const struct node_row *row, struct plan *p,
    const struct pb_wf_node *wn)
{
	struct pb_err e;
	struct pb_wf_node n = *wn;
	json_error_t je;
	json_t *def, *vars = NULL;
	int rc;

	if (row->definition == NULL ||
	    (def = json_loads(row->definition, 0, &je)) == NULL)
		return skip_msg(p, "workflow definition is not JSON");
	/* The node's own variable values, as the API's answer uses them. */
	if (row->vars != NULL && (vars = json_loads(row->vars, 0, &je)) == NULL) {
		json_decref(def);
		return skip_msg(p, "node vars are not JSON");
	}
	n.vars = vars;
	rc = pb_wf_nfs_resolve(&p->nfs, def, &n, &e);
	json_decref(vars);
	json_decref(def);
	if (rc == -1)
		return skip_msg(p, e.msg);
	return 0;
}

/* config.txt and the links of a netbooting node's serial dir. */
static int
plan_boot_files(const struct env *env, enum pb_model m, struct plan *p,
    struct dirspec *d)
{
	const struct pb_pimodel *pm = pb_pimodel(m);
	struct pb_config_section sec;
	struct pb_config_in cin;
	struct pb_err e;
	char buf[1024], what[64];
	ssize_t n;

	snprintf(what, sizeof(what), "node %s (%s)", p->serial, pm->section);
	sec.filter = pm->section;
	sec.kernel = pm->kernel;
	sec.dtb = env->dtb[m];
	cin.what = what;
	cin.initramfs = "initramfs.img";
	cin.sections = &sec;
	cin.nsections = 1;
	if ((n = pb_render_config(buf, sizeof(buf), &cin, &e)) < 0)
		return skip_msg(p, e.msg);
	add_file(d, "config.txt", buf, (size_t)n);

	/* Pi 5: no GPU firmware is fetched, but the bootloader probes
	 * <serial>/start4.elf to decide whether to use the prefix. */
	add_link(d, pm->probe, "../" FW, pm->probe);
	if (pm->start_elf != NULL)
		add_link(d, pm->start_elf, "../" FW, pm->start_elf);
	if (pm->fixup_dat != NULL)
		add_link(d, pm->fixup_dat, "../" FW, pm->fixup_dat);
	/* A DTB missing from rpi-firmware/ is still named in config.txt
	 * (check mode reports it) but never linked: no dangling links. */
	if (env->dtb_present[m])
		add_link(d, env->dtb[m], "../" FW, env->dtb[m]);
	if (env->have_overlays)
		add_link(d, "overlays", "../" FW, "overlays");
	add_link(d, pm->kernel, "../" DEPLOY, "kernel8.img");
	add_link(d, "initramfs.img", "../" DEPLOY, "initramfs.img");
	/* A Pi 3 ROM asks for bootcode.bin at the root, before it looks
	 * in <serial>/: a netbooting Pi 3 needs it even with discovery
	 * off (with it on, the discovery root has it).  It boots nothing
	 * by itself. */
	if (pm->bootcode && !env->discovery)
		add_root_link(p, PB_PI_BOOTCODE, FW PB_PI_BOOTCODE);
	p->kind = PLAN_BOOT;
	return 0;
}

/* A node to boot over the network (install, or its NFS root): every
 * value must be good, else it is skipped. */
static int
plan_netboot(const struct env *env, const struct node_row *row,
    struct plan *p, struct pb_wf_node *wn, int nfsboot)
{
	struct pb_cmdline_in lin;
	struct dirspec *d;
	struct pb_err e;
	enum pb_model m;
	char buf[1024];
	ssize_t n;

	if (p->serial[0] == '\0')
		return skip(p, "serial", row->serial,
		    "is not 8 lower-case hex digits");
	if (row->model == NULL || pb_model_parse(&m, row->model, NULL) == -1)
		return skip(p, "pi_model", row->model,
		    "is not a model in the table");
	if (row->hostname != NULL &&
	    pb_hostname_parse(&wn->hostname, row->hostname, NULL) == -1)
		return skip(p, "hostname", row->hostname,
		    "is not an RFC 1123 label");
	if (row->hostname != NULL && strcmp(wn->hostname.s, row->hostname) != 0)
		return skip(p, "hostname", row->hostname, "is not lower case");
	if (env->server[0] == '\0')
		return skip_msg(p, "the server_url setting is missing or bad");
	wn->server = env->server;

	memset(&lin, 0, sizeof(lin));
	lin.mode = nfsboot ? PB_MODE_NFS : PB_MODE_INSTALL;
	lin.server = env->server;
	lin.state = row->state;
	lin.serial = &wn->serial;
	lin.node_id = &wn->id;
	lin.mac = wn->mac.s[0] != '\0' ? &wn->mac : NULL;
	lin.hostname = row->hostname != NULL ? &wn->hostname : NULL;
	if (nfsboot) {
		if (plan_nfs(row, p, wn) == -1 || p->kind == PLAN_SKIP)
			return 0;	/* skipped: p->why says why */
		lin.nfs_server = p->nfs.server;
		lin.nfs_path = p->nfs.path;
		lin.nfs_options = p->nfs.options;
	}
	if ((n = pb_render_cmdline(buf, sizeof(buf), &lin, &e)) < 0)
		return skip_msg(p, e.msg);
	if ((d = add_dir(p, p->serial)) == NULL)
		return skip_msg(p, "plan: no room for the serial dir");
	add_file(d, "cmdline.txt", buf, (size_t)n);
	return plan_boot_files(env, m, p, d);
}

/* Which case a node is: not a Pi, bad id, fenced, or netbooting. */
static int
plan_node1(const struct env *env, const struct node_row *row, struct plan *p)
{
	struct pb_wf_node wn;
	int nfsboot;

	memset(p, 0, sizeof(*p));
	memset(&wn, 0, sizeof(wn));
	if (row->id == NULL || pb_uuid_parse(&wn.id, row->id, NULL) == -1)
		return skip(p, "node id", row->id, "is not a UUID");
	memcpy(p->id, wn.id.s, sizeof(p->id));
	if (row->boot_mode == NULL || strcmp(row->boot_mode, "pi") != 0) {
		p->kind = PLAN_NONE;
		return 0;
	}
	if (row->serial == NULL ||
	    pb_serial_parse(&wn.serial, row->serial, NULL) == -1)
		memset(&wn.serial, 0, sizeof(wn.serial));
	memcpy(p->serial, wn.serial.s, sizeof(p->serial));
	if (row->mac == NULL || pb_mac_parse(&wn.mac, row->mac, NULL) == -1)
		memset(&wn.mac, 0, sizeof(wn.mac));
	else
		pb_mac_dir(&wn.mac, p->macdir);

	nfsboot = row->install_method != NULL &&
	    strcmp(row->install_method, "nfs") == 0;
	if (row->state == NULL || (runs_installed_os(row->state) && !nfsboot)) {
		plan_fence(p);
		if (p->serial[0] == '\0')
			hook_log("node %s: serial \"%.40s\" is not 8 lower-case "
			    "hex digits: fenced by MAC only", p->id,
			    row->serial ? row->serial : "NULL");
		return 0;
	}
	return plan_netboot(env, row, p, &wn, nfsboot);
}

void
plan_node(const struct env *env, const struct node_row *row, struct plan *p)
{
	(void)plan_node1(env, row, p);
}

void
plan_names(const struct plan *p, struct strset *want)
{
	size_t i;

	switch (p->kind) {
	case PLAN_NONE:
		break;
	case PLAN_SKIP:
		/* Bad data: keep what is there (a fence stays a fence). */
		if (p->serial[0] != '\0')
			strset_add(want, p->serial);
		if (p->macdir[0] != '\0')
			strset_add(want, p->macdir);
		break;
	case PLAN_FENCE:
	case PLAN_BOOT:
		for (i = 0; i < p->ndirs; i++)
			strset_add(want, p->dirs[i].name);
		for (i = 0; i < p->nroot; i++)
			strset_add(want, p->root[i].name);
		break;
	}
}

int
plan_root(const struct env *env, struct ent *ents, size_t max, size_t *n,
    struct pb_err *e)
{
	static const char *const fw[] = {
		"bootcode.bin", "start.elf", "fixup.dat", "start4.elf",
		"fixup4.dat", NULL,
	};
	struct pb_config_section secs[PB_NMODELS];
	struct pb_config_in cin;
	struct pb_cmdline_in lin;
	struct dirspec d;
	const struct pb_pimodel *pm;
	char buf[2048];
	ssize_t len;
	size_t i;

	if (env->server[0] == '\0')
		return pb_fail(e, "discovery root: the server_url setting is "
		    "missing or bad");
	memset(&d, 0, sizeof(d));
	memset(&lin, 0, sizeof(lin));
	lin.mode = PB_MODE_DISCOVERY;
	lin.server = env->server;
	if ((len = pb_render_cmdline(buf, sizeof(buf), &lin, e)) < 0)
		return -1;
	add_file(&d, "cmdline.txt", buf, (size_t)len);
	for (i = 0; i < PB_NMODELS; i++) {
		pm = pb_pimodel(root_order[i]);
		secs[i].filter = pm->section;
		secs[i].kernel = pm->kernel;
		secs[i].dtb = env->dtb[root_order[i]];
	}
	cin.what = "discovery root for Pis not in the database";
	cin.initramfs = "initramfs.img";
	cin.sections = secs;
	cin.nsections = PB_NMODELS;
	if ((len = pb_render_config(buf, sizeof(buf), &cin, e)) < 0)
		return -1;
	if ((size_t)len > sizeof(d.e[0].data))
		return pb_fail(e, "discovery root: config.txt is too long");
	add_file(&d, "config.txt", buf, (size_t)len);
	for (i = 0; fw[i] != NULL; i++)
		add_link(&d, fw[i], FW, fw[i]);
	for (i = 0; i < PB_NMODELS; i++)
		if (env->dtb_present[i])
			add_link(&d, env->dtb[i], FW, env->dtb[i]);
	if (env->have_overlays)
		add_link(&d, "overlays", FW, "overlays");
	add_link(&d, "kernel8.img", DEPLOY, "kernel8.img");
	add_link(&d, "kernel_2712.img", DEPLOY, "kernel8.img");
	add_link(&d, "initramfs.img", DEPLOY, "initramfs.img");
	if (d.n > max)
		return pb_fail(e, "discovery root: too many entries");
	memcpy(ents, d.e, d.n * sizeof(d.e[0]));
	*n = d.n;
	return 0;
}

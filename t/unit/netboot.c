/* Unit tests for lib/boot/netboot.c, render_pxelinux.c, render_grub.c
 * and netlookup.c: the files U-Boot and GRUB read, their lookup order,
 * and the fence through that order.  want NULL: must be refused. */
#include <stdio.h>

#include "boot/netboot.h"
#include "core/boot_action.h"
#include "tap.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static struct pb_uuid id;
static struct pb_mac mac, mac2;

#define SRV "http://10.0.2.100"
#define HEAD(what) "# PureBoot-Pi: " what "\n# Written by pureboot-tftp-hook " \
	"from the database; changes here are overwritten.\n"
#define WORDS "console=ttyAMA0 pureboot.server=" SRV " pureboot.mode=install " \
	"pureboot.state=pending pureboot.node_id=0b8e2c1a-1234-4abc-8def-" \
	"0123456789ab pureboot.mac=52:54:00:12:34:56"
#define DISC "console=ttyAMA0 pureboot.server=" SRV " pureboot.mode=discovery"

static const struct pb_cmdline_in pending = { PB_MODE_INSTALL, SRV, "pending",
	NULL, &id, &mac, NULL, NULL, NULL, NULL };
static const struct pb_cmdline_in disc = { PB_MODE_DISCOVERY, SRV, NULL,
	NULL, NULL, NULL, NULL, NULL, NULL, NULL };
static const struct pb_cmdline_in nomac = { PB_MODE_INSTALL, SRV, "pending",
	NULL, &id, NULL, NULL, NULL, NULL, NULL };
static const struct pb_cmdline_board qemu = { "ttyAMA0", NULL };
static const struct pb_cmdline_board rock = { "ttyS2,1500000",
	"earlycon=uart8250,mmio32,0xff1a0000 rootwait" };
static const struct pb_cmdline_board badextra = { "ttyAMA0",
	"quiet pureboot.mode=nfs" };
static const struct pb_cmdline_board badconsole = { "ttyS0 init=/x", NULL };

#define K "deploy-arm64/Image", "deploy-arm64/initramfs.img"
#define Q "node 52:54:00:12:34:56 (qemu-arm64)"

static const struct { const char *name; struct pb_netboot_in in;
    const char *pxe, *grub; } cases[] = {
	{ "install state, no DTB", { Q, PB_NB_DEPLOY, K, NULL, NULL, &pending, &qemu },
	  HEAD(Q) "DEFAULT pureboot\nPROMPT 0\nLABEL pureboot\n"
	  "\tKERNEL deploy-arm64/Image\n\tINITRD deploy-arm64/initramfs.img\n"
	  "\tAPPEND " WORDS "\n",
	  HEAD(Q) "set timeout=0\nset pb_node=1\nlinux /deploy-arm64/Image " WORDS "\n"
	  "initrd /deploy-arm64/initramfs.img\nboot\n" },
	{ "install state, a DTB and board words", { "node (rock-pi-4b)",
	    PB_NB_DEPLOY, K, "dtbs/rockchip/rk3399-rock-pi-4b.dtb", NULL, &pending, &rock },
	  HEAD("node (rock-pi-4b)") "DEFAULT pureboot\nPROMPT 0\nLABEL pureboot\n"
	  "\tKERNEL deploy-arm64/Image\n\tINITRD deploy-arm64/initramfs.img\n"
	  "\tFDT dtbs/rockchip/rk3399-rock-pi-4b.dtb\n"
	  "\tAPPEND console=ttyS2,1500000 earlycon=uart8250,mmio32,0xff1a0000 "
	  "rootwait pureboot.server=" SRV " pureboot.mode=install "
	  "pureboot.state=pending pureboot.node_id=0b8e2c1a-1234-4abc-8def-"
	  "0123456789ab pureboot.mac=52:54:00:12:34:56\n",
	  HEAD("node (rock-pi-4b)") "set timeout=0\nset pb_node=1\nlinux /deploy-arm64/Image "
	  "console=ttyS2,1500000 earlycon=uart8250,mmio32,0xff1a0000 "
	  "rootwait pureboot.server=" SRV " pureboot.mode=install "
	  "pureboot.state=pending pureboot.node_id=0b8e2c1a-1234-4abc-8def-"
	  "0123456789ab pureboot.mac=52:54:00:12:34:56\n"
	  "initrd /deploy-arm64/initramfs.img\n"
	  "devicetree /dtbs/rockchip/rk3399-rock-pi-4b.dtb\nboot\n" },
	{ "install state, FDTDIR (U-Boot picks by $fdtfile)", { Q, PB_NB_DEPLOY,
	    K, NULL, "dtbs", &pending, &qemu },
	  HEAD(Q) "DEFAULT pureboot\nPROMPT 0\nLABEL pureboot\n"
	  "\tKERNEL deploy-arm64/Image\n\tINITRD deploy-arm64/initramfs.img\n"
	  "\tFDTDIR dtbs\n\tAPPEND " WORDS "\n", NULL },
	{ "local boot names no kernel", { Q, PB_NB_LOCAL, K, "dtbs/x.dtb", NULL,
	    &pending, &qemu },
	  HEAD(Q) "DEFAULT local\nPROMPT 0\nLABEL local\n\tLOCALBOOT 0\n",
	  HEAD(Q) "set timeout=0\nset pb_node=1\nexit\n" },
	{ "local boot without any paths", { Q, PB_NB_LOCAL, NULL, NULL, NULL,
	    NULL, NULL, NULL },
	  HEAD(Q) "DEFAULT local\nPROMPT 0\nLABEL local\n\tLOCALBOOT 0\n",
	  HEAD(Q) "set timeout=0\nset pb_node=1\nexit\n" },
	{ "discovery", { "discovery", PB_NB_DEPLOY, K, NULL, NULL, &disc, &qemu },
	  HEAD("discovery") "DEFAULT pureboot\nPROMPT 0\nLABEL pureboot\n"
	  "\tKERNEL deploy-arm64/Image\n\tINITRD deploy-arm64/initramfs.img\n"
	  "\tAPPEND " DISC "\n",
	  HEAD("discovery") "set timeout=0\nset pb_node=1\nlinux /deploy-arm64/Image " DISC
	  "\ninitrd /deploy-arm64/initramfs.img\nboot\n" },
	{ "a DTB and FDTDIR", { Q, PB_NB_DEPLOY, K, "a.dtb", "dtbs", &pending, &qemu },
	  NULL, NULL },
	{ "kernel with ..", { Q, PB_NB_DEPLOY, "../etc/passwd",
	    "deploy-arm64/initramfs.img", NULL, NULL, &pending, &qemu }, NULL, NULL },
	{ "initrd with a space", { Q, PB_NB_DEPLOY, "Image", "a b", NULL, NULL,
	    &pending, &qemu }, NULL, NULL },
	{ "no initrd", { Q, PB_NB_DEPLOY, "Image", NULL, NULL, NULL, &pending, &qemu },
	  NULL, NULL },
	{ "DTB with a newline", { Q, PB_NB_DEPLOY, K, "a.dtb\nLABEL x", NULL,
	    &pending, &qemu }, NULL, NULL },
	{ "comment with a newline", { "x\nLABEL evil", PB_NB_LOCAL, NULL, NULL,
	    NULL, NULL, NULL, NULL }, NULL, NULL },
	{ "no command line", { Q, PB_NB_DEPLOY, K, NULL, NULL, NULL, &qemu },
	  NULL, NULL },
	{ "no board console", { Q, PB_NB_DEPLOY, K, NULL, NULL, &pending, NULL },
	  NULL, NULL },
	{ "extra word setting pureboot.mode", { Q, PB_NB_DEPLOY, K, NULL, NULL,
	    &pending, &badextra }, NULL, NULL },
	{ "console with a space", { Q, PB_NB_DEPLOY, K, NULL, NULL,
	    &pending, &badconsole }, NULL, NULL },
	{ "node with neither serial nor MAC", { Q, PB_NB_DEPLOY, K, NULL, NULL,
	    &nomac, &qemu }, NULL, NULL },
	{ "unknown kind", { Q, (enum pb_netboot_kind)7, K, NULL, NULL, &pending, &qemu },
	  NULL, NULL },
};

static void
renderers(void)
{
	char buf[2048], name[160];
	struct pb_err e;
	size_t i;
	ssize_t n;

	for (i = 0; i < N(cases); i++) {
		n = pb_render_pxelinux(buf, sizeof(buf), &cases[i].in, &e);
		snprintf(name, sizeof(name), "pxelinux: %s", cases[i].name);
		tap_is(n < 0 ? NULL : buf, cases[i].pxe, name);
		if (n < 0)
			printf("# %s\n", e.msg);
		n = pb_render_grub(buf, sizeof(buf), &cases[i].in, &e);
		snprintf(name, sizeof(name), "grub: %s", cases[i].name);
		tap_is(n < 0 ? NULL : buf, cases[i].grub, name);
		if (n < 0)
			printf("# %s\n", e.msg);
	}
	tap_ok(pb_render_pxelinux(buf, 100, &cases[0].in, &e) == -1,
	    "pxelinux: a buffer too small is an error, not a cut file");
	tap_ok(pb_render_grub(buf, 100, &cases[0].in, &e) == -1,
	    "grub: a buffer too small is an error, not a cut file");
}

static void
grub_root(void)
{
	static const char sel[] = "set pb_node=\n"
	    "if regexp --set=1:m1 --set=2:m2 --set=3:m3 "
	    "--set=4:m4 --set=5:m5 --set=6:m6 '^([0-9a-f]{2}):([0-9a-f]{2}):"
	    "([0-9a-f]{2}):([0-9a-f]{2}):([0-9a-f]{2}):([0-9a-f]{2})$' "
	    "\"$net_default_mac\"; then\n"
	    "\tsource \"$prefix/grub.cfg-01-$m1-$m2-$m3-$m4-$m5-$m6\"\nfi\n"
	    "if [ -z \"$pb_node\" ]; then\n";
	static const struct pb_netboot_in off = { "discovery is off",
	    PB_NB_LOCAL, NULL, NULL, NULL, NULL, NULL, NULL };
	char buf[2048], want[2048];
	struct pb_err e;

	snprintf(want, sizeof(want), "# PureBoot-Pi: the GRUB netboot root; "
	    "discovery\n# Written by pureboot-tftp-hook from the database; "
	    "changes here are overwritten.\nset timeout=0\n%slinux "
	    "/deploy-arm64/Image " DISC "\ninitrd /deploy-arm64/initramfs.img\n"
	    "boot\nfi\n", sel);
	tap_is(pb_render_grub_root(buf, sizeof(buf), &cases[5].in, &e) < 0 ?
	    NULL : buf, want, "grub root: per-MAC file, else discovery");
	snprintf(want, sizeof(want), "# PureBoot-Pi: the GRUB netboot root; "
	    "discovery is off\n# Written by pureboot-tftp-hook from the "
	    "database; changes here are overwritten.\nset timeout=0\n%sexit\nfi\n",
	    sel);
	tap_is(pb_render_grub_root(buf, sizeof(buf), &off, &e) < 0 ? NULL : buf,
	    want, "grub root: per-MAC file, else nothing bootable");
	tap_ok(pb_render_grub_root(buf, sizeof(buf), &cases[2].in, &e) == -1,
	    "grub root: no DTB directory");
}

static void
kinds(void)
{
	static const struct { const char *state; int nfs;
	    enum pb_netboot_kind want; } k[] = {
		{ "discovered", 0, PB_NB_DEPLOY }, { "pending", 0, PB_NB_DEPLOY },
		{ "installing", 0, PB_NB_DEPLOY }, { "installed", 0, PB_NB_LOCAL },
		{ "active", 0, PB_NB_LOCAL }, { "active", 1, PB_NB_DEPLOY },
		{ "migrating", 0, PB_NB_LOCAL }, { "retired", 0, PB_NB_DEPLOY },
		{ NULL, 0, PB_NB_LOCAL }, { "bogus", 0, PB_NB_LOCAL },
	};
	char name[80];
	size_t i;

	for (i = 0; i < N(k); i++) {
		snprintf(name, sizeof(name), "kind of %s%s", k[i].state ?
		    k[i].state : "NULL", k[i].nfs ? " (nfs)" : "");
		tap_ok(pb_netboot_kind(k[i].state, k[i].nfs) == k[i].want, name);
	}
	/* Every state of the boot table: local exactly for class run. */
	for (i = 0; i < pb_boot_nstates; i++)
		if ((pb_netboot_kind(pb_boot_states[i].state, 0) == PB_NB_LOCAL) !=
		    (pb_boot_states[i].cls == PB_BOOT_RUN))
			break;
	tap_ok(i == pb_boot_nstates, "local boot exactly in the run states");
}

static void
lookups(void)
{
	char out[PB_LOOKUP_MAX][PB_LOOKUP_LEN], got[2048], n1[21], n2[30];
	struct pb_err e;
	int n, i;

#define JOIN(n) do { got[0] = '\0'; for (i = 0; i < (n); i++) { \
	strcat(got, out[i]); strcat(got, "\n"); } } while (0)
	n = pb_netboot_lookup(PB_LOADER_UBOOT, &mac, "10.0.2.15", "arm", NULL,
	    NULL, out, &e);
	JOIN(n);
	tap_is(got, "pxelinux.cfg/01-52-54-00-12-34-56\npxelinux.cfg/0A00020F\n"
	    "pxelinux.cfg/0A00020\npxelinux.cfg/0A0002\npxelinux.cfg/0A000\n"
	    "pxelinux.cfg/0A00\npxelinux.cfg/0A0\npxelinux.cfg/0A\n"
	    "pxelinux.cfg/0\npxelinux.cfg/default-arm\npxelinux.cfg/default\n",
	    "U-Boot's order, as QEMU's U-Boot 2023.01 prints it");
	n = pb_netboot_lookup(PB_LOADER_UBOOT, &mac2, NULL, "arm", "rk3399",
	    "evb", out, &e);
	JOIN(n);
	tap_is(got, "pxelinux.cfg/01-dc-a6-32-01-02-03\n"
	    "pxelinux.cfg/default-arm-rk3399-evb\npxelinux.cfg/default-arm-rk3399\n"
	    "pxelinux.cfg/default-arm\npxelinux.cfg/default\n",
	    "U-Boot's order without an IP, with SoC and board");
	n = pb_netboot_lookup(PB_LOADER_GRUB, &mac, "192.168.1.254", NULL, NULL,
	    NULL, out, &e);
	JOIN(n);
	tap_is(got, "grub/grub.cfg-01-52-54-00-12-34-56\ngrub/grub.cfg-C0A801FE\n"
	    "grub/grub.cfg-C0A801F\ngrub/grub.cfg-C0A801\ngrub/grub.cfg-C0A80\n"
	    "grub/grub.cfg-C0A8\ngrub/grub.cfg-C0A\ngrub/grub.cfg-C0\n"
	    "grub/grub.cfg-C\ngrub/grub.cfg\n", "GRUB's order");
	tap_ok(pb_netboot_lookup(PB_LOADER_GRUB, &mac, "fd00::1", NULL, NULL,
	    NULL, out, &e) == -1, "an IPv6 address is refused");
	tap_ok(pb_netboot_lookup(PB_LOADER_UBOOT, &mac, NULL, "../x", NULL,
	    NULL, out, &e) == -1, "an arch with a slash is refused");
	pb_pxelinux_name(&mac, n1);
	pb_grub_name(&mac, n2);
	tap_is(n1, "01-52-54-00-12-34-56", "pxelinux per-MAC name");
	tap_is(n2, "grub.cfg-01-52-54-00-12-34-56", "grub per-MAC name");
#undef JOIN
}

/* What the renderers write for a tree (names the hook would write: the
 * per-MAC files of two nodes and the root files), and whether each is
 * bootable: it names a kernel. */
struct file { char name[PB_LOOKUP_LEN]; int bootable; };

/* One file of the tree: bootable when it names a kernel. */
static int
add(struct file *f, const char *name, ssize_t r, const char *buf,
    const struct pb_err *e, char *why)
{
	if (r < 0) {
		snprintf(why, 256, "%.200s", e->msg);
		return -1;
	}
	snprintf(f->name, sizeof(f->name), "%.80s", name);
	f->bootable = strstr(buf, "KERNEL") != NULL ||
	    strstr(buf, "linux /") != NULL;
	return 0;
}

static int
render_tree(struct file *f, const char *state, int discovery, char *why)
{
	static const struct pb_netboot_in off = { "discovery is off",
	    PB_NB_LOCAL, NULL, NULL, NULL, NULL, NULL, NULL };
	struct pb_netboot_in node = { Q, PB_NB_DEPLOY, K, NULL, NULL, &pending, &qemu };
	const struct pb_netboot_in *root = discovery ? &cases[5].in : &off;
	char buf[2048], n1[21], n2[30], nm[64];
	struct pb_err e;

	node.kind = pb_netboot_kind(state, 0);
	pb_pxelinux_name(&mac, n1);
	pb_grub_name(&mac, n2);
	snprintf(nm, sizeof(nm), "pxelinux.cfg/%s", n1);
	if (add(&f[0], nm, pb_render_pxelinux(buf, sizeof(buf), &node, &e),
	    buf, &e, why) == -1)
		return -1;
	snprintf(nm, sizeof(nm), "grub/%s", n2);
	if (add(&f[1], nm, pb_render_grub(buf, sizeof(buf), &node, &e), buf,
	    &e, why) == -1)
		return -1;
	/* Another node, installing: bootable, under its own MAC. */
	pb_pxelinux_name(&mac2, n1);
	snprintf(nm, sizeof(nm), "pxelinux.cfg/%s", n1);
	if (add(&f[2], nm, pb_render_pxelinux(buf, sizeof(buf), &cases[0].in,
	    &e), buf, &e, why) == -1)
		return -1;
	pb_grub_name(&mac2, n2);
	snprintf(nm, sizeof(nm), "grub/%s", n2);
	if (add(&f[3], nm, pb_render_grub(buf, sizeof(buf), &cases[0].in, &e),
	    buf, &e, why) == -1)
		return -1;
	if (add(&f[4], "pxelinux.cfg/default", pb_render_pxelinux(buf,
	    sizeof(buf), root, &e), buf, &e, why) == -1)
		return -1;
	/* Reached only when no per-MAC file is (the order has it last). */
	if (add(&f[5], "grub/grub.cfg", pb_render_grub_root(buf, sizeof(buf),
	    root, &e), buf, &e, why) == -1)
		return -1;
	return 6;
}

/* The fence: for every state, every IP and both loaders, the first name
 * of the lookup order that exists in the tree is the node's own file,
 * and it is bootable exactly when the node is to netboot; no name of the
 * order before it exists.  And the hook writes no IP or default-<arch>
 * name a fenced node could reach. */
static void
fence(void)
{
	static const char *const ips[] = { "10.0.2.15", "192.168.1.254", NULL };
	char out[PB_LOOKUP_MAX][PB_LOOKUP_LEN], why[256], name[160];
	struct file f[8];
	struct pb_err e;
	size_t s, ip;
	int nf, n, i, j = 0, l, bad, on;

	for (s = 0; s < pb_boot_nstates; s++)
	for (on = 0; on <= 1; on++) {
		bad = 0;
		why[0] = '\0';
		if ((nf = render_tree(f, pb_boot_states[s].state, on, why)) < 0) {
			bad = 1;
			goto report;
		}
		for (l = PB_LOADER_UBOOT; l <= PB_LOADER_GRUB; l++)
		for (ip = 0; ip < N(ips); ip++) {
			n = pb_netboot_lookup((enum pb_loader)l, &mac, ips[ip],
			    "arm", NULL, NULL, out, &e);
			for (i = 0; i < n; i++) {
				for (j = 0; j < nf; j++)
					if (strcmp(out[i], f[j].name) == 0)
						break;
				if (j < nf)
					break;
			}
			/* i: the first name found, j: its file. */
			if (i != 0 || j == nf ||
			    f[j].bootable != (pb_netboot_kind(
			    pb_boot_states[s].state, 0) == PB_NB_DEPLOY)) {
				bad = 1;
				snprintf(why, sizeof(why), "%s found %.96s",
				    l == PB_LOADER_UBOOT ? "U-Boot" : "GRUB",
				    i < n ? out[i] : "nothing");
			}
		}
report:
		snprintf(name, sizeof(name), "fence: %s, discovery %s: the "
		    "node's own file first, bootable only to netboot",
		    pb_boot_states[s].state, on ? "on" : "off");
		tap_ok(!bad, name);
		if (bad)
			printf("# %s\n", why);
	}
}

/* Debian's GRUB reads grub/grub.cfg first: the root must source the
 * node's own file by the name pb_grub_name gives (the MAC's pairs from
 * regexp, joined by dashes), that file must set pb_node before it boots
 * or exits, and the root's fallback must run only without pb_node. */
static void
grub_debian_fence(void)
{
	static const char src[] = "\tsource \"$prefix/grub.cfg-01-$m1-$m2-$m3-"
	    "$m4-$m5-$m6\"\n";
	static const char gate[] = "if [ -z \"$pb_node\" ]; then\n";
	struct pb_netboot_in node = { Q, PB_NB_DEPLOY, K, NULL, NULL, &pending,
	    &qemu };
	char root[2048], buf[2048], name[120], n2[30];
	const char *set, *act, *g;
	struct pb_err e;
	size_t s;
	int ok;

	ok = pb_render_grub_root(root, sizeof(root), &cases[5].in, &e) > 0;
	g = ok ? strstr(root, gate) : NULL;
	pb_grub_name(&mac, n2);
	tap_ok(ok && strstr(root, src) != NULL &&
	    strncmp(n2, "grub.cfg-01-", 12) == 0 && g != NULL &&
	    strstr(root, "linux /") > g,
	    "grub root: sources grub.cfg-01-<mac>, its fallback only without pb_node");
	for (s = 0; s < pb_boot_nstates; s++) {
		node.kind = pb_netboot_kind(pb_boot_states[s].state, 0);
		ok = pb_render_grub(buf, sizeof(buf), &node, &e) > 0;
		set = ok ? strstr(buf, "\nset pb_node=1\n") : NULL;
		act = ok ? strstr(buf, node.kind == PB_NB_LOCAL ? "\nexit\n" :
		    "\nlinux /") : NULL;
		snprintf(name, sizeof(name), "grub fence: %s: the node's file sets "
		    "pb_node first, then %s", pb_boot_states[s].state,
		    node.kind == PB_NB_LOCAL ? "exits, naming no kernel" : "boots");
		tap_ok(set != NULL && act != NULL && set < act &&
		    (node.kind == PB_NB_DEPLOY) == (strstr(buf, "linux") != NULL),
		    name);
	}
}

int
main(void)
{
	pb_uuid_parse(&id, "0b8e2c1a-1234-4abc-8def-0123456789ab", NULL);
	pb_mac_parse(&mac, "52:54:00:12:34:56", NULL);
	pb_mac_parse(&mac2, "dc:a6:32:01:02:03", NULL);
	renderers();
	grub_root();
	kinds();
	lookups();
	fence();
	grub_debian_fence();
	return tap_done();
}

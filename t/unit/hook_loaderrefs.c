/* Unit tests for tftp-hook/loaderrefs.c: what the renderers write and
 * what an operator might, each text with the references it names. */
#include <stdio.h>
#include <string.h>

#include "loaderrefs.h"
#include "tap.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const struct {
	const char *what, *text;
	int bootable;
	const char *want;	/* "kind:path " each */
} cases[] = {
	{ "pxelinux install", "# c\nDEFAULT pureboot\nPROMPT 0\nLABEL pureboot\n"
	  "\tKERNEL deploy-arm64/Image\n\tINITRD deploy-arm64/initramfs.img\n"
	  "\tFDT dtbs/rockchip/x.dtb\n\tAPPEND console=ttyS2 pureboot.mode=install\n",
	  1, "0:deploy-arm64/Image 1:deploy-arm64/initramfs.img 2:dtbs/rockchip/x.dtb " },
	{ "pxelinux local", "DEFAULT local\nPROMPT 0\nLABEL local\n\tLOCALBOOT 0\n",
	  0, "" },
	{ "pxelinux FDTDIR, lower-case keywords, no newline at the end",
	  "label x\n  linux Image\n  fdtdir dtbs", 1, "0:Image 3:dtbs " },
	{ "pxelinux DEVICETREE", "LABEL a\nKERNEL k\nDEVICETREE d.dtb\n", 1,
	  "0:k 2:d.dtb " },
	{ "grub install", "set timeout=0\nset pb_node=1\n"
	  "linux /deploy-arm64/Image console=ttyAMA0 pureboot.mode=install\n"
	  "initrd /deploy-arm64/initramfs.img\ndevicetree /dtbs/qemu/virt.dtb\nboot\n",
	  1, "0:deploy-arm64/Image 1:deploy-arm64/initramfs.img 2:dtbs/qemu/virt.dtb " },
	{ "grub local", "set timeout=0\nset pb_node=1\nexit\n", 0, "" },
	{ "grub root, discovery in an if",
	  "if regexp x; then\n\tsource \"$prefix/grub.cfg-01-$m1\"\nfi\n"
	  "if [ -z \"$pb_node\" ]; then\nlinux /deploy-arm64/Image a\n"
	  "initrd /deploy-arm64/initramfs.img\nboot\nfi\n",
	  1, "0:deploy-arm64/Image 1:deploy-arm64/initramfs.img " },
	{ "a keyword without an argument names nothing", "KERNEL\nINITRD   \n",
	  0, "" },
	{ "words that only start like keywords", "kernels x\nfdtfile y\n# KERNEL z\n",
	  0, "" },
	{ "empty", "", 0, "" },
};

int
main(void)
{
	struct loader_ref r[LOADER_MAXREFS];
	char got[512], what[96];
	size_t i, k, n;
	int b;

	for (i = 0; i < N(cases); i++) {
		n = loader_refs(cases[i].text, r, LOADER_MAXREFS, &b);
		got[0] = '\0';
		for (k = 0; k < n; k++)
			snprintf(got + strlen(got), sizeof(got) - strlen(got),
			    "%d:%s ", (int)r[k].kind, r[k].path);
		tap_is(got, cases[i].want, cases[i].what);
		snprintf(what, sizeof(what), "%s: %s", cases[i].what,
		    cases[i].bootable ? "bootable" : "not bootable");
		tap_ok(b == cases[i].bootable, what);
	}
	n = loader_refs("KERNEL a\nKERNEL b\nKERNEL c\n", r, 2, &b);
	tap_ok(n == 2 && strcmp(r[1].path, "b") == 0 && b,
	    "no more than max references");
	return tap_done();
}

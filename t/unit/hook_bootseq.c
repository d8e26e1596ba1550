/* Unit tests for lib/boot/pibootseq.c: each model's request sequence against
 * an in-memory tree, table-driven. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "boot/pibootseq.h"
#include "tap.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

struct file { const char *path, *data; };
struct tree { const struct file *f; size_t n; char log[2048]; };

static int
fetch(void *ctx, const char *path, int want_data, struct pb_fetch *out)
{
	struct tree *t = ctx;
	size_t i;

	strncat(t->log, path, sizeof(t->log) - strlen(t->log) - 2);
	strcat(t->log, " ");
	for (i = 0; i < t->n; i++)
		if (strcmp(t->f[i].path, path) == 0) {
			out->served = 1;
			out->size = strlen(t->f[i].data);
			if (want_data)
				out->data = strdup(t->f[i].data);
			return 0;
		}
	return 0;
}

#define CFG4 "arm_64bit=1\ninitramfs initramfs.img followkernel\n[pi4]\nkernel=kernel8.img\ndevice_tree=bcm2711-rpi-4-b.dtb\n[all]\n"

static const struct file pi4_dir[] = {
	{ "d83add36/start4.elf", "GPU" }, { "d83add36/config.txt", CFG4 },
	{ "d83add36/fixup4.dat", "F" }, { "d83add36/bcm2711-rpi-4-b.dtb", "D" },
	{ "d83add36/cmdline.txt", "console=tty1 pureboot.mode=install\n" },
	{ "d83add36/kernel8.img", "K" }, { "d83add36/initramfs.img", "I" },
};
static const struct file fenced[] = {
	{ "d83add36/start4.elf", "" }, { "d83add36/start.elf", "" },
	{ "bootcode.bin", "B" }, { "start4.elf", "GPU" }, { "config.txt", CFG4 },
};
static const struct file root_only[] = {
	{ "start4.elf", "GPU" }, { "config.txt", CFG4 }, { "fixup4.dat", "F" },
	{ "bcm2711-rpi-4-b.dtb", "D" }, { "cmdline.txt", "x\n" },
	{ "kernel8.img", "K" }, { "initramfs.img", "I" },
};
/* No kernel=: a Pi 5 tries kernel_2712.img, then kernel8.img. */
static const struct file pi5_fallback[] = {
	{ "d83add36/start4.elf", "GPU" },
	{ "d83add36/config.txt", "[pi5]\ndevice_tree=bcm2712-rpi-5-b.dtb\n" },
	{ "d83add36/bcm2712-rpi-5-b.dtb", "D" }, { "d83add36/cmdline.txt", "x\n" },
	{ "d83add36/kernel8.img", "K" },
};
/* [pi4] applies to a Pi 400; [0x<serial>] to that board only. */
static const struct file filters[] = {
	{ "d83add36/start4.elf", "GPU" }, { "d83add36/fixup4.dat", "F" },
	{ "d83add36/config.txt", "[pi5]\nkernel=k5\n[pi4]\nkernel=k4\n"
	  "device_tree=bcm2711-rpi-400.dtb\n[0xd83add36]\ninitramfs mine followkernel\n"
	  "[0x00000001]\nkernel=other\n[all]\n" },
	{ "d83add36/bcm2711-rpi-400.dtb", "D" }, { "d83add36/cmdline.txt", "x\n" },
	{ "d83add36/k4", "K" }, { "d83add36/mine", "I" },
};
static const struct file pi3_nobootcode[] = {
	{ "d83add36/start.elf", "GPU" },
};
static const struct file empty_kernel[] = {
	{ "d83add36/start4.elf", "GPU" }, { "d83add36/config.txt", CFG4 },
	{ "d83add36/fixup4.dat", "F" }, { "d83add36/bcm2711-rpi-4-b.dtb", "D" },
	{ "d83add36/cmdline.txt", "x\n" }, { "d83add36/kernel8.img", "" },
	{ "d83add36/initramfs.img", "I" },
};

static const struct {
	const char *name, *model;
	const struct file *f;
	size_t n;
	const char *want;	/* "end prefixed kernel initramfs dtb bootable missing0" */
} cases[] = {
	{ "pi4 from its serial dir", "pi4", pi4_dir, N(pi4_dir),
	  "booted 1 d83add36/kernel8.img d83add36/initramfs.img bcm2711-rpi-4-b.dtb 1 -" },
	{ "pi4 fenced: zero-length start4.elf", "pi4", fenced, N(fenced),
	  "gave up 1 - - - 0 -" },
	{ "pi5 fenced", "pi5", fenced, N(fenced), "gave up 1 - - - 0 -" },
	{ "pi3+ fenced: root bootcode.bin, empty start.elf", "pi3+", fenced,
	  N(fenced), "gave up 1 - - - 0 -" },
	{ "pi4 with no serial dir uses the root", "pi4", root_only, N(root_only),
	  "booted 0 kernel8.img initramfs.img bcm2711-rpi-4-b.dtb 1 -" },
	{ "pi5 without kernel= falls back to kernel8.img", "pi5", pi5_fallback,
	  N(pi5_fallback), "booted 1 d83add36/kernel8.img - bcm2712-rpi-5-b.dtb 1 -" },
	{ "pi400 obeys [pi4] and its serial filter", "pi400", filters, N(filters),
	  "booted 1 d83add36/k4 d83add36/mine bcm2711-rpi-400.dtb 1 -" },
	{ "pi3 without bootcode.bin fails at once", "pi3", pi3_nobootcode,
	  N(pi3_nobootcode), "failed 0 - - - 0 bootcode.bin" },
	{ "an empty kernel is as good as none", "pi4", empty_kernel,
	  N(empty_kernel), "failed 1 - - bcm2711-rpi-4-b.dtb 1 d83add36/kernel8.img (empty)" },
};

static const char *const pi4_seq =
    "d83add36/start4.elf d83add36/config.txt d83add36/pieeprom.sig "
    "d83add36/vl805.sig d83add36/recover4.elf d83add36/start4.elf "
    "d83add36/fixup4.dat d83add36/config.txt d83add36/bcm2711-rpi-4-b.dtb "
    "d83add36/overlays/overlay_map.dtb d83add36/cmdline.txt "
    "d83add36/kernel8.img d83add36/initramfs.img ";

int
main(void)
{
	struct pb_serial s;
	struct pb_bootseq r;
	struct pb_err e;
	struct tree t;
	enum pb_model m;
	char got[2048];
	size_t i;

	pb_serial_parse(&s, "d83add36", NULL);
	for (i = 0; i < N(cases); i++) {
		memset(&t, 0, sizeof(t));
		t.f = cases[i].f;
		t.n = cases[i].n;
		pb_model_parse(&m, cases[i].model, NULL);
		if (pb_bootseq_run(pb_pimodel(m), &s, fetch, &t, &r, &e) == -1) {
			tap_ok(0, cases[i].name);
			continue;
		}
		snprintf(got, sizeof(got), "%s %d %.250s %.250s %.250s %d %.290s",
		    pb_bootseq_end_name(r.end), r.prefixed,
		    r.end == PB_END_BOOTED ? r.kernel : "-",
		    r.initramfs[0] && r.end == PB_END_BOOTED ? r.initramfs : "-",
		    r.dtb[0] ? r.dtb : "-", r.bootable_served,
		    r.nmissing ? r.missing[0] : "-");
		tap_is(got, cases[i].want, cases[i].name);
		if (i == 0)
			tap_is(t.log, pi4_seq, "pi4: the exact request order");
	}
	return tap_done();
}

/* Unit tests for lib/boot/render_config.c: config.txt, table-driven.
 * want NULL: the input must be refused. */
#include <stdio.h>

#include "boot/render.h"
#include "tap.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define S1(f, k, d) (const struct pb_config_section[]){ { f, k, d } }, 1

static const struct {
	const char *name;
	struct pb_config_in in;
	const char *want;
} cases[] = {
	{ "pi4 node with initramfs and DTB",
	  { "node d83add36 (pi4)", "initramfs.img",
	    S1("pi4", "kernel8.img", "bcm2711-rpi-4-b.dtb") },
	  "# PureBoot-Pi: node d83add36 (pi4)\n"
	  "# Written by pureboot-tftp-hook from the database; changes here are overwritten.\n"
	  "arm_64bit=1\n"
	  "initramfs initramfs.img followkernel\n"
	  "enable_uart=1\n"
	  "[pi4]\n"
	  "kernel=kernel8.img\n"
	  "device_tree=bcm2711-rpi-4-b.dtb\n"
	  "[all]\n" },
	{ "pi5 node: kernel_2712.img",
	  { "node 0000abcd (pi5)", "initramfs.img",
	    S1("pi5", "kernel_2712.img", "bcm2712-rpi-5-b.dtb") },
	  "# PureBoot-Pi: node 0000abcd (pi5)\n"
	  "# Written by pureboot-tftp-hook from the database; changes here are overwritten.\n"
	  "arm_64bit=1\n"
	  "initramfs initramfs.img followkernel\n"
	  "enable_uart=1\n"
	  "[pi5]\n"
	  "kernel=kernel_2712.img\n"
	  "device_tree=bcm2712-rpi-5-b.dtb\n"
	  "[all]\n" },
	{ "no DTB, no initramfs, serial filter",
	  { "x", NULL, S1("0xd83add36", "kernel8.img", NULL) },
	  "# PureBoot-Pi: x\n"
	  "# Written by pureboot-tftp-hook from the database; changes here are overwritten.\n"
	  "arm_64bit=1\n"
	  "enable_uart=1\n"
	  "[0xd83add36]\n"
	  "kernel=kernel8.img\n"
	  "[all]\n" },
	{ "discovery root: two sections",
	  { "discovery", "initramfs.img",
	    (const struct pb_config_section[]){
		{ "pi3+", "kernel8.img", "bcm2837-rpi-3-b-plus.dtb" },
		{ "pi5", "kernel_2712.img", NULL } }, 2 },
	  "# PureBoot-Pi: discovery\n"
	  "# Written by pureboot-tftp-hook from the database; changes here are overwritten.\n"
	  "arm_64bit=1\n"
	  "initramfs initramfs.img followkernel\n"
	  "enable_uart=1\n"
	  "[pi3+]\n"
	  "kernel=kernel8.img\n"
	  "device_tree=bcm2837-rpi-3-b-plus.dtb\n"
	  "[pi5]\n"
	  "kernel=kernel_2712.img\n"
	  "[all]\n" },
	{ "space in kernel name", { "x", NULL, S1("pi4", "a b", NULL) }, NULL },
	{ "newline in kernel name",
	  { "x", NULL, S1("pi4", "k.img\ninitramfs evil", NULL) }, NULL },
	{ "kernel leaving the directory",
	  { "x", NULL, S1("pi4", "../kernel8.img", NULL) }, NULL },
	{ "absolute kernel", { "x", NULL, S1("pi4", "/kernel8.img", NULL) }, NULL },
	{ "hidden kernel", { "x", NULL, S1("pi4", ".k", NULL) }, NULL },
	{ "empty kernel", { "x", NULL, S1("pi4", "", NULL) }, NULL },
	{ "missing kernel", { "x", NULL, S1("pi4", NULL, NULL) }, NULL },
	{ "'=' in initramfs", { "x", "a=b", S1("pi4", "k", NULL) }, NULL },
	{ "bracket in the filter", { "x", NULL, S1("pi4]", "k", NULL) }, NULL },
	{ "upper-case serial filter",
	  { "x", NULL, S1("0xD83ADD36", "k", NULL) }, NULL },
	{ "DTB with a quote", { "x", NULL, S1("pi4", "k", "a\"b.dtb") }, NULL },
	{ "newline in the comment", { "x\ny", NULL, S1("pi4", "k", NULL) }, NULL },
	{ "no section", { "x", NULL, NULL, 0 }, NULL },
};

int
main(void)
{
	struct pb_err e;
	char buf[2048];
	size_t i;
	ssize_t n;

	for (i = 0; i < N(cases); i++) {
		e.msg[0] = '\0';
		n = pb_render_config(buf, sizeof(buf), &cases[i].in, &e);
		tap_is(n < 0 ? NULL : buf, cases[i].want, cases[i].name);
		if (n >= 0)
			tap_ok((size_t)n == strlen(buf), "  length returned");
		else {
			tap_ok(strncmp(e.msg, "config.txt: ", 12) == 0,
			    "  the reason says config.txt");
			if (e.msg[0] != '\0')
				printf("# %s\n", e.msg);
		}
	}
	n = pb_render_config(buf, 64, &cases[0].in, &e);
	tap_ok(n == -1 && strstr(e.msg, "longer than") != NULL,
	    "a buffer too small is an error, not a cut file");
	return tap_done();
}

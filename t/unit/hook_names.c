/* Unit tests for tftp-hook/names.c: every name the model table can make
 * the hook link at the root is accepted, and nothing outside the set. */
#include <stdio.h>

#include "boot/pimodel.h"
#include "names.h"
#include "tap.h"

int
main(void)
{
	static const struct { const char *name; int ok; } cases[] = {
		{ "d83add36", 1 }, { "dc-a6-32-01-02-03", 1 },
		{ "bootcode.bin", 1 }, { "kernel_2712.img", 1 }, { "overlays", 1 },
		{ "D83ADD36", 0 }, { "d83add3", 0 }, { "dc:a6:32:01:02:03", 0 },
		{ "dc-a6-32-01-02-0g", 0 }, { ".pureboot-manifest", 0 },
		{ "pxelinux.0", 0 }, { "bcm2711-rpi-4-b.dtb.x", 0 }, { "", 0 },
	};
	const struct pb_pimodel *pm;
	const char *const *c;
	char what[80];
	size_t i;
	int m, ok;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(what, sizeof(what), "\"%s\" %s", cases[i].name,
		    cases[i].ok ? "accepted" : "refused");
		tap_is(hook_name_ok(cases[i].name) ? "accepted" : "refused",
		    cases[i].ok ? "accepted" : "refused", what);
	}
	for (m = 0; m < PB_NMODELS; m++) {
		pm = pb_pimodel((enum pb_model)m);
		ok = hook_root_name_ok(pm->fw_dtb) && hook_name_ok(pm->fw_dtb);
		for (c = pm->dtbs; *c != NULL; c++)
			ok &= hook_root_name_ok(*c) && hook_name_ok(*c);
		snprintf(what, sizeof(what), "every DTB of [%s] is a root name",
		    pm->section);
		tap_ok(ok, what);
	}
	tap_ok(!hook_root_name_ok("d83add36"), "a serial is not a root entry");
	{
		static const struct { const char *name; int top, sub; } b[] = {
			{ "pxelinux.cfg", 1, 0 }, { "grub", 1, 0 },
			{ "boot.scr.uimg", 1, 0 },
			{ "pxelinux.cfg/default", 0, 1 },
			{ "pxelinux.cfg/01-52-54-00-12-34-56", 0, 1 },
			{ "grub/grub.cfg", 0, 1 },
			{ "grub/grub.cfg-01-52-54-00-12-34-56", 0, 1 },
			{ "pxelinux.cfg/01-52-54-00-12-34-5G", 0, 0 },
			{ "pxelinux.cfg/01-52:54:00:12:34:56", 0, 0 },
			{ "pxelinux.cfg/0A4D0049", 0, 0 },
			{ "pxelinux.cfg/default-arm", 0, 0 },
			{ "grub/grub.cfg-0A4D0049", 0, 0 },
			{ "grub/01-52-54-00-12-34-56", 0, 0 },
			{ "pxelinux.cfg/grub.cfg", 0, 0 },
			{ "pxelinux.cfg/", 0, 0 }, { "grub/", 0, 0 },
			{ "x/default", 0, 0 }, { "grub.cfg", 0, 0 },
		};

		for (i = 0; i < sizeof(b) / sizeof(b[0]); i++) {
			snprintf(what, sizeof(what), "\"%s\": top %d, board "
			    "file %d, manifest %d", b[i].name, b[i].top,
			    b[i].sub, b[i].top || b[i].sub);
			tap_ok(hook_name_ok(b[i].name) == b[i].top &&
			    hook_sub_name_ok(b[i].name) == b[i].sub &&
			    hook_tree_name_ok(b[i].name) == (b[i].top ||
			    b[i].sub), what);
		}
	}
	return tap_done();
}

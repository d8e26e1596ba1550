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
	return tap_done();
}

/* Unit tests for lib/boot/pimodel.c: the model boot table, row by row, and
 * the config.txt filters each board obeys. */
#include <stdio.h>

#include "boot/pimodel.h"
#include "tap.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* The facts of docs/pi-boot.md, written out once more by hand. */
static const struct {
	const char *model, *section, *kernel, *start, *fixup, *probe, *dtb0,
	    *fw_dtb;
	int bootcode;
} rows[] = {
	{ "pi3", "pi3", "kernel8.img", "start.elf", "fixup.dat", "start.elf",
	  "bcm2837-rpi-3-b.dtb", "bcm2710-rpi-3-b.dtb", 1 },
	{ "pi3+", "pi3+", "kernel8.img", "start.elf", "fixup.dat", "start.elf",
	  "bcm2837-rpi-3-b-plus.dtb", "bcm2710-rpi-3-b-plus.dtb", 1 },
	{ "cm3", "cm3", "kernel8.img", "start.elf", "fixup.dat", "start.elf",
	  "bcm2837-rpi-cm3-io3.dtb", "bcm2710-rpi-cm3.dtb", 1 },
	{ "pi4", "pi4", "kernel8.img", "start4.elf", "fixup4.dat", "start4.elf",
	  "bcm2711-rpi-4-b.dtb", "bcm2711-rpi-4-b.dtb", 0 },
	{ "pi400", "pi400", "kernel8.img", "start4.elf", "fixup4.dat",
	  "start4.elf", "bcm2711-rpi-400.dtb", "bcm2711-rpi-400.dtb", 0 },
	{ "cm4", "cm4", "kernel8.img", "start4.elf", "fixup4.dat", "start4.elf",
	  "bcm2711-rpi-cm4-io.dtb", "bcm2711-rpi-cm4.dtb", 0 },
	{ "pi5", "pi5", "kernel_2712.img", NULL, NULL, "start4.elf",
	  "bcm2712-rpi-5-b.dtb", "bcm2712-rpi-5-b.dtb", 0 },
	{ "cm5", "cm5", "kernel_2712.img", NULL, NULL, "start4.elf",
	  "bcm2712-rpi-cm5-cm5io.dtb", "bcm2712-rpi-cm5-cm5io.dtb", 0 },
	{ "pi500", "pi500", "kernel_2712.img", NULL, NULL, "start4.elf",
	  "bcm2712-rpi-500.dtb", "bcm2712-rpi-500.dtb", 0 },
};

static const struct { const char *model, *filter; int applies; } filters[] = {
	{ "pi3", "pi3", 1 }, { "pi3", "pi3+", 0 }, { "pi3", "pi4", 0 },
	{ "pi3+", "pi3", 1 }, { "pi3+", "pi3+", 1 }, { "cm3", "pi3", 1 },
	{ "cm3", "cm3", 1 }, { "cm3", "pi3+", 0 },
	{ "pi4", "pi4", 1 }, { "pi4", "pi400", 0 }, { "pi4", "cm4", 0 },
	{ "pi400", "pi4", 1 }, { "pi400", "pi400", 1 }, { "cm4", "pi4", 1 },
	{ "cm4", "cm4", 1 }, { "cm4", "pi5", 0 },
	{ "pi5", "pi5", 1 }, { "pi5", "pi4", 0 }, { "cm5", "pi5", 1 },
	{ "cm5", "cm5", 1 }, { "pi500", "pi5", 1 }, { "pi500", "pi500", 1 },
	{ "pi5", "all", 1 }, { "pi5", "none", 0 }, { "pi4", "0xd83add36", 1 },
	{ "pi4", "0xD83ADD36", 1 }, { "pi4", "0xd83add37", 0 },
	{ "pi4", "0xd83add3", 0 }, { "pi4", "", 0 },
};

/* The names the hook may write at the TFTP root, by kind, in the order
 * pb_pimodel_file gives them: each once, table order. */
static const struct { unsigned kinds; const char *want; } files[] = {
	{ PB_PIFILE_FIRMWARE, "bootcode.bin start.elf fixup.dat start4.elf "
	  "fixup4.dat" },
	{ PB_PIFILE_KERNEL, "kernel8.img kernel_2712.img" },
	{ PB_PIFILE_DTB, "bcm2837-rpi-3-b.dtb bcm2710-rpi-3-b.dtb "
	  "bcm2837-rpi-3-b-plus.dtb bcm2710-rpi-3-b-plus.dtb "
	  "bcm2837-rpi-cm3-io3.dtb bcm2710-rpi-cm3.dtb bcm2711-rpi-4-b.dtb "
	  "bcm2711-rpi-400.dtb bcm2711-rpi-cm4-io.dtb bcm2711-rpi-cm4.dtb "
	  "bcm2712-rpi-5-b.dtb bcm2712d0-rpi-5-b.dtb "
	  "bcm2712-rpi-cm5-cm5io.dtb bcm2712-rpi-500.dtb" },
	{ PB_PIFILE_FIRMWARE | PB_PIFILE_KERNEL, "bootcode.bin start.elf "
	  "fixup.dat kernel8.img start4.elf fixup4.dat kernel_2712.img" },
	{ 0, "" },
};

int
main(void)
{
	const struct pb_pimodel *pm;
	struct pb_serial s;
	enum pb_model m;
	char name[128];
	size_t i;

	for (i = 0; i < N(rows); i++) {
		if (pb_model_parse(&m, rows[i].model, NULL) == -1 ||
		    (pm = pb_pimodel(m)) == NULL) {
			tap_ok(0, rows[i].model);
			continue;
		}
		snprintf(name, sizeof(name), "%s: ", rows[i].model);
#define IS(field, want) do { \
	char n2[160]; \
	snprintf(n2, sizeof(n2), "%s%s", name, #field); \
	tap_is(pm->field, want, n2); \
} while (0)
		IS(section, rows[i].section);
		IS(kernel, rows[i].kernel);
		IS(start_elf, rows[i].start);
		IS(fixup_dat, rows[i].fixup);
		IS(probe, rows[i].probe);
		IS(dtbs[0], rows[i].dtb0);
		IS(fw_dtb, rows[i].fw_dtb);
		snprintf(name, sizeof(name), "%s: bootcode.bin from the root: %d",
		    rows[i].model, rows[i].bootcode);
		tap_ok(pm->bootcode == rows[i].bootcode, name);
		snprintf(name, sizeof(name), "%s: its own section applies",
		    rows[i].model);
		tap_ok(pb_pimodel_filter_applies(pm, NULL, pm->section), name);
	}
	tap_ok(pb_pimodel(PB_NMODELS) == NULL, "no row past the enum");
	tap_ok(N(rows) == PB_NMODELS, "every model has a row");

	pb_serial_parse(&s, "d83add36", NULL);
	for (i = 0; i < N(filters); i++) {
		pb_model_parse(&m, filters[i].model, NULL);
		pm = pb_pimodel(m);
		snprintf(name, sizeof(name), "%s obeys [%s]: %s", filters[i].model,
		    filters[i].filter, filters[i].applies ? "yes" : "no");
		tap_ok(pb_pimodel_filter_applies(pm, &s, filters[i].filter) ==
		    filters[i].applies, name);
	}
	for (i = 0; i < N(files); i++) {
		char got[1024] = "";
		const char *f;
		size_t j;

		for (j = 0; (f = pb_pimodel_file(files[i].kinds, j)) != NULL;
		    j++)
			snprintf(got + strlen(got), sizeof(got) - strlen(got),
			    "%s%s", j ? " " : "", f);
		snprintf(name, sizeof(name), "root files of kinds %u",
		    files[i].kinds);
		tap_is(got, files[i].want, name);
		/* pb_pimodel_fetches: the same set, asked name by name. */
		for (j = 0; (f = pb_pimodel_file(files[i].kinds, j)) != NULL &&
		    pb_pimodel_fetches(files[i].kinds, f); j++)
			;
		snprintf(name, sizeof(name), "  ... each is fetched (%u)",
		    files[i].kinds);
		tap_ok(f == NULL, name);
		tap_ok(!pb_pimodel_fetches(files[i].kinds, "config.txt") &&
		    !pb_pimodel_fetches(files[i].kinds, ""), "  ... and "
		    "config.txt is not");
	}
	tap_ok(pb_pimodel_fetches(PB_PIFILE_KERNEL, "kernel8.img") &&
	    !pb_pimodel_fetches(PB_PIFILE_DTB, "kernel8.img"),
	    "a kernel is fetched as a kernel, not as a DTB");
	return tap_done();
}

/* pimodel.c: the Raspberry Pi model boot table (pure). */
#include <stddef.h>
#include <string.h>

#include "boot/pimodel.h"

#define L(...) (const char *const[]){ __VA_ARGS__, NULL }

/* Filters from the Raspberry Pi config.txt documentation: [pi3] applies
 * to every Pi 3 and the CM3, [pi4] to the 400 and the CM4, [pi5] to the
 * CM5 and the 500.  Pi 5 boards ask for kernel_2712.img first and do not
 * fetch GPU firmware, but their bootloader still probes
 * <serial>/start4.elf to decide on the prefix. */
static const struct pb_pimodel table[PB_NMODELS] = {
	[PB_PI3] = { PB_PI3, PB_LOADER_ROM, "pi3", L("pi3"),
	    "kernel8.img", 1, "start.elf", "fixup.dat", "start.elf",
	    L("bcm2837-rpi-3-b.dtb", "bcm2710-rpi-3-b.dtb"),
	    "bcm2710-rpi-3-b.dtb" },
	[PB_PI3P] = { PB_PI3P, PB_LOADER_ROM, "pi3+", L("pi3", "pi3+"),
	    "kernel8.img", 1, "start.elf", "fixup.dat", "start.elf",
	    L("bcm2837-rpi-3-b-plus.dtb", "bcm2710-rpi-3-b-plus.dtb"),
	    "bcm2710-rpi-3-b-plus.dtb" },
	[PB_CM3] = { PB_CM3, PB_LOADER_ROM, "cm3", L("pi3", "cm3"),
	    "kernel8.img", 1, "start.elf", "fixup.dat", "start.elf",
	    L("bcm2837-rpi-cm3-io3.dtb", "bcm2710-rpi-cm3.dtb"),
	    "bcm2710-rpi-cm3.dtb" },
	[PB_PI4] = { PB_PI4, PB_LOADER_EEPROM4, "pi4", L("pi4"),
	    "kernel8.img", 0, "start4.elf", "fixup4.dat", "start4.elf",
	    L("bcm2711-rpi-4-b.dtb"), "bcm2711-rpi-4-b.dtb" },
	[PB_PI400] = { PB_PI400, PB_LOADER_EEPROM4, "pi400", L("pi4", "pi400"),
	    "kernel8.img", 0, "start4.elf", "fixup4.dat", "start4.elf",
	    L("bcm2711-rpi-400.dtb"), "bcm2711-rpi-400.dtb" },
	[PB_CM4] = { PB_CM4, PB_LOADER_EEPROM4, "cm4", L("pi4", "cm4"),
	    "kernel8.img", 0, "start4.elf", "fixup4.dat", "start4.elf",
	    L("bcm2711-rpi-cm4-io.dtb", "bcm2711-rpi-cm4.dtb"),
	    "bcm2711-rpi-cm4.dtb" },
	[PB_PI5] = { PB_PI5, PB_LOADER_EEPROM5, "pi5", L("pi5"),
	    "kernel_2712.img", 0, NULL, NULL, "start4.elf",
	    L("bcm2712-rpi-5-b.dtb", "bcm2712d0-rpi-5-b.dtb"),
	    "bcm2712-rpi-5-b.dtb" },
	[PB_CM5] = { PB_CM5, PB_LOADER_EEPROM5, "cm5", L("pi5", "cm5"),
	    "kernel_2712.img", 0, NULL, NULL, "start4.elf",
	    L("bcm2712-rpi-cm5-cm5io.dtb"), "bcm2712-rpi-cm5-cm5io.dtb" },
	[PB_PI500] = { PB_PI500, PB_LOADER_EEPROM5, "pi500", L("pi5", "pi500"),
	    "kernel_2712.img", 0, NULL, NULL, "start4.elf",
	    L("bcm2712-rpi-500.dtb"), "bcm2712-rpi-500.dtb" },
};

const struct pb_pimodel *
pb_pimodel(enum pb_model m)
{
	return (unsigned)m < PB_NMODELS ? &table[m] : NULL;
}

/* Up to 8 names per model: bootcode, start, fixup, probe, kernel and
 * the DTBs; the n-th candidate name of model m, NULL if none. */
static const char *
candidate(const struct pb_pimodel *pm, unsigned kinds, size_t n)
{
	const char *fw[4], *const *d;
	size_t k = 0, i;

	fw[0] = pm->bootcode ? PB_PI_BOOTCODE : NULL;
	fw[1] = pm->start_elf;
	fw[2] = pm->fixup_dat;
	fw[3] = pm->probe;
	if (kinds & PB_PIFILE_FIRMWARE)
		for (i = 0; i < 4; i++)
			if (fw[i] != NULL && k++ == n)
				return fw[i];
	if ((kinds & PB_PIFILE_KERNEL) && k++ == n)
		return pm->kernel;
	if (kinds & PB_PIFILE_DTB) {
		for (d = pm->dtbs; *d != NULL; d++)
			if (k++ == n)
				return *d;
		if (k++ == n)
			return pm->fw_dtb;
	}
	return NULL;
}

/* Was name given by an earlier candidate than (m, n)? */
static int
seen(unsigned kinds, size_t m, size_t n, const char *name)
{
	const char *c;
	size_t mi, ni;

	for (mi = 0; mi <= m; mi++)
		for (ni = 0; (mi < m || ni < n) &&
		    (c = candidate(&table[mi], kinds, ni)) != NULL; ni++)
			if (strcmp(c, name) == 0)
				return 1;
	return 0;
}

const char *
pb_pimodel_file(unsigned kinds, size_t i)
{
	const char *c;
	size_t m, n, k = 0;

	for (m = 0; m < PB_NMODELS; m++)
		for (n = 0; (c = candidate(&table[m], kinds, n)) != NULL; n++)
			if (!seen(kinds, m, n, c) && k++ == i)
				return c;
	return NULL;
}

int
pb_pimodel_fetches(unsigned kinds, const char *name)
{
	const char *c;
	size_t m, n;

	for (m = 0; m < PB_NMODELS; m++)
		for (n = 0; (c = candidate(&table[m], kinds, n)) != NULL; n++)
			if (strcmp(c, name) == 0)
				return 1;
	return 0;
}

int
pb_pimodel_filter_applies(const struct pb_pimodel *pm,
    const struct pb_serial *serial, const char *filter)
{
	struct pb_serial fs;
	const char *const *f;

	if (strcmp(filter, "all") == 0)
		return 1;
	if (strncmp(filter, "0x", 2) == 0)
		return serial != NULL &&
		    pb_serial_parse_loose(&fs, filter + 2, NULL) == 0 &&
		    strcmp(fs.s, serial->s) == 0;
	for (f = pm->filters; *f != NULL; f++)
		if (strcmp(*f, filter) == 0)
			return 1;
	return 0;
}

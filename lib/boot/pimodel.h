/* pimodel.h: what each Raspberry Pi model fetches over TFTP and how
 * its config.txt is written (docs/pi-boot.md).  One table, keyed by
 * enum pb_model; pure. */
#ifndef PB_PIMODEL_H
#define PB_PIMODEL_H

#include <stddef.h>

#include "core/ident.h"
#include "boot/model.h"

/* Who loads the boot files. */
enum pb_pi_loader {
	PB_LOADER_ROM,		/* Pi 3 family: ROM -> bootcode.bin from the root */
	PB_LOADER_EEPROM4,	/* Pi 4 family: EEPROM bootloader, start4.elf over TFTP */
	PB_LOADER_EEPROM5,	/* Pi 5 family: firmware in EEPROM, no start*.elf */
};

struct pb_pimodel {
	enum pb_model model;
	enum pb_pi_loader loader;
	/* config.txt filter that selects this board exactly ("pi4"). */
	const char *section;
	/* Every config.txt filter this board obeys ([pi4] applies to a
	 * Pi 400 too); NULL-terminated. */
	const char *const *filters;
	/* The file the firmware loads by default and the one we name with
	 * kernel=: kernel8.img, or kernel_2712.img for the Pi 5 family. */
	const char *kernel;
	/* The ROM fetches bootcode.bin from the TFTP root (no prefix). */
	int bootcode;
	/* GPU firmware fetched over TFTP; NULL for the Pi 5 family. */
	const char *start_elf, *fixup_dat;
	/* The per-serial file the bootloader probes to decide whether to
	 * use the <serial>/ prefix. */
	const char *probe;
	/* DTB candidates, preferred first: the mainline (Debian kernel)
	 * name, then the firmware's own name.  NULL-terminated. */
	const char *const *dtbs;
	/* The name the firmware asks for when config.txt has no
	 * device_tree= (the Raspberry Pi firmware naming). */
	const char *fw_dtb;
};

/* What the Pi 3 ROM fetches from the TFTP root when bootcode is set. */
#define PB_PI_BOOTCODE "bootcode.bin"

/* The kinds of file pb_pimodel_file lists; or them together. */
#define PB_PIFILE_FIRMWARE 1u	/* bootcode.bin, start*.elf, fixup*.dat */
#define PB_PIFILE_KERNEL 2u	/* kernel8.img, kernel_2712.img */
#define PB_PIFILE_DTB 4u	/* every DTB candidate and firmware DTB name */

/* The i-th distinct file name, of the kinds asked for, that any model
 * of the table fetches from the TFTP root; NULL once i is past the
 * last.  This table owns the names: the hook derives the names it may
 * write at the root from here rather than keeping a copy.
 *	for (i = 0; (n = pb_pimodel_file(PB_PIFILE_DTB, i)) != NULL; i++) */
const char *pb_pimodel_file(unsigned kinds, size_t i);

/* Does some model fetch name, of the kinds asked for, from the TFTP
 * root?  The same answer as looking for it in pb_pimodel_file's list,
 * in one pass over the table: that list costs a pass per name it
 * skips as a duplicate, and the hook asks for every name it checks. */
int pb_pimodel_fetches(unsigned kinds, const char *name);

/* NULL for a value outside the enum. */
const struct pb_pimodel *pb_pimodel(enum pb_model m);

/* Does a config.txt section header "[filter]" apply to this board with
 * this serial?  "all" always; "none" never; "0x<serial>" (8 hex digits,
 * any case) for its own serial; model filters from the table. */
int pb_pimodel_filter_applies(const struct pb_pimodel *pm,
    const struct pb_serial *serial, const char *filter);

#endif

/* names.c: the names the hook may create at the top of the root, and
 * nothing else, whatever a manifest says: a serial dir (8 hex), a MAC
 * fence dir (xx-xx-xx-xx-xx-xx) or a discovery root entry.  The DTBs
 * come from the model table (lib/boot/pimodel.c), so a model added
 * there is accepted here.  Pure. */
#include <string.h>

#include "core/ident.h"
#include "boot/pimodel.h"
#include "names.h"

/* The root entries plan_root() makes besides the DTBs. */
static const char *const root_files[] = {
	"bootcode.bin", "start.elf", "fixup.dat", "start4.elf", "fixup4.dat",
	"config.txt", "cmdline.txt", "kernel8.img", "kernel_2712.img",
	"initramfs.img", "overlays", NULL,
};

static int
is_macdir(const char *s)
{
	int i;

	if (strlen(s) != 17)
		return 0;
	for (i = 0; i < 17; i++)
		if (i % 3 == 2 ? s[i] != '-' :
		    strchr("0123456789abcdef", s[i]) == NULL || s[i] == '\0')
			return 0;
	return 1;
}

static int
is_dtb(const char *name)
{
	const struct pb_pimodel *pm;
	const char *const *c;
	int m;

	for (m = 0; m < PB_NMODELS; m++) {
		pm = pb_pimodel((enum pb_model)m);
		if (strcmp(pm->fw_dtb, name) == 0)
			return 1;
		for (c = pm->dtbs; *c != NULL; c++)
			if (strcmp(*c, name) == 0)
				return 1;
	}
	return 0;
}

int
hook_root_name_ok(const char *name)
{
	const char *const *r;

	for (r = root_files; *r != NULL; r++)
		if (strcmp(*r, name) == 0)
			return 1;
	return is_dtb(name);
}

int
hook_name_ok(const char *name)
{
	struct pb_serial s;

	return pb_serial_parse(&s, name, NULL) == 0 || is_macdir(name) ||
	    hook_root_name_ok(name);
}

/* names.c: the names the hook may create at the top of the root, and
 * nothing else, whatever a manifest says: a serial dir (8 hex), a MAC
 * fence dir (xx-xx-xx-xx-xx-xx) or a discovery root entry; for the
 * boards, pxelinux.cfg/ and grub/ and the per-MAC and root files in
 * them, and boot.scr.uimg.  Firmware,
 * kernel and DTB names come from the model table (pb_pimodel_fetches,
 * lib/boot/pimodel.c), so a model added there is accepted here.  Pure. */
#include <string.h>

#include "core/ident.h"
#include "boot/pimodel.h"
#include "names.h"

/* The root entries plan_root() makes that no model fetches by name
 * from the table: the rendered files, the initramfs and overlays/. */
static const char *const root_files[] = {
	"config.txt", "cmdline.txt", "initramfs.img", "overlays", NULL,
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

/* A file some model fetches from the root: firmware, kernel or DTB. */
static int
is_model_file(const char *name)
{
	/* Not a walk of pb_pimodel_file's list: each of its items costs
	 * a pass over the table (fuzz/tftppath.c ran at 300 names/s). */
	return pb_pimodel_fetches(PB_PIFILE_FIRMWARE | PB_PIFILE_KERNEL |
	    PB_PIFILE_DTB, name);
}

int
hook_root_name_ok(const char *name)
{
	const char *const *r;

	for (r = root_files; *r != NULL; r++)
		if (strcmp(*r, name) == 0)
			return 1;
	return is_model_file(name);
}

int
hook_container_ok(const char *name)
{
	return strcmp(name, "pxelinux.cfg") == 0 || strcmp(name, "grub") == 0;
}

int
hook_name_ok(const char *name)
{
	struct pb_serial s;

	return pb_serial_parse(&s, name, NULL) == 0 || is_macdir(name) ||
	    hook_root_name_ok(name) || hook_container_ok(name) ||
	    strcmp(name, "boot.scr.uimg") == 0;
}

/* name is pfx then a MAC dir, or exactly root. */
static int
per_mac(const char *name, const char *pfx, const char *root)
{
	size_t n = strlen(pfx);

	return strcmp(name, root) == 0 ||
	    (strncmp(name, pfx, n) == 0 && is_macdir(name + n));
}

int
hook_sub_name_ok(const char *path)
{
	if (strncmp(path, "pxelinux.cfg/", 13) == 0)
		return per_mac(path + 13, "01-", "default");
	if (strncmp(path, "grub/", 5) == 0)
		return per_mac(path + 5, "grub.cfg-01-", "grub.cfg");
	return 0;
}

int
hook_tree_name_ok(const char *name)
{
	return hook_name_ok(name) || hook_sub_name_ok(name);
}

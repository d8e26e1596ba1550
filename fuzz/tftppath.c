/* tftppath.c: TFTP request paths and tree names: the path dnsmasq
 * reports for a transfer (dhcp_path_ids, tftp-hook/dhcp_args.c) and the
 * names the hook may create at the top of the TFTP root (hook_name_ok,
 * tftp-hook/names.c: the manifest's filter too).  Input: ROOT '\n'
 * PATH.  Properties: the file is a suffix of the path, below the root
 * when the path is under it; a serial or MAC found is a whole
 * directory component of the path, spelled as the path has it (the MAC
 * lower-cased); a name the hook may create is one plain file name
 * (pb_check_filename: no '/', no leading '.', nothing outside
 * [A-Za-z0-9._-]), and a root entry is such a name too. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/chars.h"
#include "core/ident.h"
#include "dhcp_args.h"
#include "fz.h"
#include "names.h"

/* comp is a whole component of a directory of path. */
static int
is_dir_component(const char *path, const char *comp, int ci)
{
	size_t n = strlen(comp);
	const char *p = path;

	for (;;) {
		if ((ci ? strncasecmp(p, comp, n) : strncmp(p, comp, n)) == 0 &&
		    p[n] == '/')
			return 1;
		if ((p = strchr(p, '/')) == NULL)
			return 0;
		p++;
	}
}

static void
names(const char *name)
{
	struct pb_err e;

	if (hook_root_name_ok(name))
		FZ_ASSERT(hook_name_ok(name), "root name %s is not a name", name);
	if (hook_name_ok(name))
		FZ_ASSERT(pb_check_filename("", name, &e) == 0, "the hook may "
		    "create \"%s\": %s", name, e.msg);
	/* A board file: a container, one '/', a file name. */
	if (hook_sub_name_ok(name)) {
		const char *sl = strchr(name, '/');
		char dir[16];

		FZ_ASSERT(sl != NULL && (size_t)(sl - name) < sizeof(dir),
		    "board file \"%s\" has no container", name);
		snprintf(dir, sizeof(dir), "%.*s", (int)(sl - name), name);
		FZ_ASSERT(hook_container_ok(dir) && !hook_sub_name_ok(dir) &&
		    pb_check_filename("", sl + 1, &e) == 0, "board file \"%s\" "
		    "is not container/filename", name);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *f[2], *buf, serial[9], mac[18], macp[18];
	const char *file, *root, *path;
	size_t n = fz_split(data, size, '\n', f, 2, &buf), i;

	root = n == 2 ? f[0] : NULL;
	path = n == 2 ? f[1] : f[0];
	dhcp_path_ids(path, root, serial, mac, &file);
	FZ_ASSERT(file >= path && file <= path + strlen(path), "file outside "
	    "the path");
	if (root != NULL && *root != '\0' && strncmp(path, root, strlen(root)) == 0
	    && path[strlen(root)] == '/')
		FZ_ASSERT(file == path + strlen(root) + 1, "file not below root");
	if (serial[0] != '\0')
		FZ_ASSERT(strlen(serial) == 8 && is_dir_component(file, serial, 0),
		    "serial %s not a directory of %s", serial, file);
	if (mac[0] != '\0') {
		FZ_ASSERT(strlen(mac) == 17, "mac %s", mac);
		memcpy(macp, mac, sizeof(macp));
		if (!is_dir_component(file, macp, 1)) {
			for (i = 2; i < 17; i += 3)
				macp[i] = '-';
			FZ_ASSERT(is_dir_component(file, macp, 1), "mac %s not a "
			    "directory of %s", mac, file);
		}
	}
	names(path);
	if (root != NULL)
		names(root);
	free(buf);
	return 0;
}

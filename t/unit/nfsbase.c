/* Unit tests for lib/core/nfsbase.c: base names, and the check of each
 * archive entry against a tree that already holds a few entries. */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "core/nfsbase.h"
#include "tap.h"

/* The tree so far: what earlier entries made. */
static const struct { const char *path; enum pb_base_kind kind; } tree[] = {
	{ "etc", PB_BASE_DIR }, { "etc/passwd", PB_BASE_OTHER },
	{ "lib", PB_BASE_SYMLINK }, { "usr", PB_BASE_DIR },
	{ "usr/lib", PB_BASE_DIR }, { "bin", PB_BASE_DIR },
	{ "bin/sh", PB_BASE_OTHER }, { "bin/rbash", PB_BASE_SYMLINK },
};

static enum pb_base_kind
look(void *ctx, const char *rel)
{
	size_t i;

	(void)ctx;
	for (i = 0; i < sizeof(tree) / sizeof(tree[0]); i++)
		if (strcmp(tree[i].path, rel) == 0)
			return tree[i].kind;
	return PB_BASE_NONE;
}

#define R S_IFREG
#define D S_IFDIR
#define L S_IFLNK
#define GB (INT64_C(10) << 30)

int
main(void)
{
	static const struct { const char *in, *want; } names[] = {
		{ "debian-12-arm64", "debian-12-arm64" },
		{ "ubuntu_24.04", "ubuntu_24.04" },
		{ "a", "a" },
		{ "Debian", "base name \"Debian\" contains 'D', which is not "
		  "allowed in a base name (a-z 0-9 . _ -)" },
		{ ".tmp", "base name \".tmp\" starts with '.'" },
		{ "-rf", "base name \"-rf\" starts with '-'" },
		{ "a/b", "base name \"a/b\" contains '/', which is not allowed "
		  "in a base name (a-z 0-9 . _ -)" },
		{ "", "base name \"\" is not 1 to 64 characters" },
		{ "0123456789012345678901234567890123456789012345678901234567890"
		  "1234", "base name \"0123456789012345678901234567890123456789"
		  "01234567890123456789...\" is not 1 to 64 characters" },
	};
	static const struct {
		const char *name;
		struct pb_base_entry en;
		int devs, setid;
		const char *want;	/* "ok NORM [NORMLINK]" or the reason */
	} cases[] = {
		{ "a plain file", { "etc/hosts", NULL, R, 0644, 10, 0, NULL },
		  0, 0, "ok etc/hosts" },
		{ "./ and // and . are dropped", { "./etc//./hosts", NULL, R,
		  0644, 1, 0, NULL }, 0, 0, "ok etc/hosts" },
		{ "the root as ./", { "./", NULL, D, 0755, 0, 0, NULL }, 0, 0,
		  "ok " },
		{ "the root as a file", { ".", NULL, R, 0644, 0, 0, NULL }, 0,
		  0, "entry \".\" names the base's root but is not a "
		  "directory" },
		{ "a directory with a trailing /", { "var/log/", NULL, D, 0755,
		  0, 0, NULL }, 0, 0, "ok var/log" },
		{ "..", { "../x", NULL, R, 0644, 1, 0, NULL }, 0, 0,
		  "entry \"../x\" has a '..' component" },
		{ ".. inside", { "etc/../../x", NULL, R, 0644, 1, 0, NULL }, 0, 0,
		  "entry \"etc/../../x\" has a '..' component" },
		{ "a name like ..", { "etc/..x", NULL, R, 0644, 1, 0, NULL }, 0,
		  0, "ok etc/..x" },
		{ "absolute", { "/etc/x", NULL, R, 0644, 1, 0, NULL }, 0, 0,
		  "entry \"/etc/x\" is an absolute path" },
		{ "empty", { "", NULL, R, 0644, 1, 0, NULL }, 0, 0,
		  "entry \"\" has an empty name" },
		{ "through a symlink", { "lib/libc.so", NULL, R, 0644, 1, 0,
		  NULL }, 0, 0, "entry \"lib/libc.so\" goes through the symlink "
		  "\"lib\"" },
		{ "through a symlink, ./ first", { "./lib/x/y", NULL, D, 0755, 0,
		  0, NULL }, 0, 0, "entry \"./lib/x/y\" goes through the symlink "
		  "\"lib\"" },
		{ "through a file", { "etc/passwd/x", NULL, R, 0644, 1, 0, NULL },
		  0, 0, "entry \"etc/passwd/x\" goes through \"etc/passwd\", "
		  "which is not a directory" },
		{ "onto a symlink", { "bin/rbash", NULL, R, 0755, 1, 0, NULL }, 0,
		  0, "entry \"bin/rbash\" would replace the symlink of an "
		  "earlier entry" },
		{ "a file onto a directory", { "usr/lib", NULL, R, 0644, 1, 0,
		  NULL }, 0, 0, "entry \"usr/lib\" would replace the directory "
		  "of an earlier entry" },
		{ "a symlink onto a directory", { "./usr/", NULL, L, 0777, 0, 0,
		  NULL }, 0, 0, "entry \"./usr/\" would replace the directory "
		  "of an earlier entry" },
		{ "a directory again", { "usr/lib/", NULL, D, 0755, 0, 0, NULL },
		  0, 0, "ok usr/lib" },
		{ "a symlink is an entry", { "bin/bash", NULL, L, 0777, 0, 0,
		  NULL }, 0, 0, "ok bin/bash" },
		{ "a hard link inside", { "bin/dash", "./bin/sh", R, 0755, 0, 0,
		  NULL }, 0, 0, "ok bin/dash bin/sh" },
		{ "a hard link to outside", { "bin/x", "/etc/shadow", R, 0644, 0,
		  0, NULL }, 0, 0, "entry \"bin/x\" is a hard link whose target "
		  "\"/etc/shadow\" is an absolute path" },
		{ "a hard link through ..", { "bin/x", "../etc/shadow", R, 0644,
		  0, 0, NULL }, 0, 0, "entry \"bin/x\" is a hard link whose "
		  "target \"../etc/shadow\" has a '..' component" },
		{ "a hard link through a symlink", { "bin/x", "lib/libc.so", R,
		  0644, 0, 0, NULL }, 0, 0, "entry \"bin/x\" is a hard link "
		  "whose target \"lib/libc.so\" goes through the symlink "
		  "\"lib\"" },
		{ "a hard link to nothing yet", { "bin/x", "bin/later", R, 0644,
		  0, 0, NULL }, 0, 0, "entry \"bin/x\" is a hard link to "
		  "\"bin/later\", which is not in the base (only earlier entries "
		  "are)" },
		{ "a hard link to a directory", { "bin/x", "usr/lib", R, 0644, 0,
		  0, NULL }, 0, 0, "entry \"bin/x\" is a hard link to the "
		  "directory \"usr/lib\"" },
		{ "a hard link to a symlink", { "bin/x", "bin/rbash", R, 0644, 0,
		  0, NULL }, 0, 0, "entry \"bin/x\" is a hard link to the symlink "
		  "\"bin/rbash\"" },
		{ "a hard link to itself", { "bin/sh", "bin/sh", R, 0755, 0, 0,
		  NULL }, 0, 0, "entry \"bin/sh\" is a hard link to itself" },
		{ "a character device", { "dev/null", NULL, S_IFCHR, 0666, 0, 0,
		  NULL }, 0, 0, "entry \"dev/null\" is a character device "
		  "(--allow-devices imports those)" },
		{ "a character device, allowed", { "dev/null", NULL, S_IFCHR,
		  0666, 0, 0, NULL }, 1, 0, "ok dev/null" },
		{ "a block device", { "dev/sda", NULL, S_IFBLK, 0660, 0, 0,
		  NULL }, 0, 0, "entry \"dev/sda\" is a block device "
		  "(--allow-devices imports those)" },
		{ "a FIFO", { "run/initctl", NULL, S_IFIFO, 0600, 0, 0, NULL },
		  0, 0, "entry \"run/initctl\" is a FIFO (--allow-devices "
		  "imports those)" },
		{ "a FIFO, allowed", { "run/initctl", NULL, S_IFIFO, 0600, 0, 0,
		  NULL }, 1, 0, "ok run/initctl" },
		{ "a socket, even allowed", { "run/s", NULL, S_IFSOCK, 0600, 0,
		  0, NULL }, 1, 1, "entry \"run/s\" is a socket" },
		{ "set-uid", { "bin/su", NULL, R, 04755, 1, 0, NULL }, 0, 0,
		  "entry \"bin/su\" is set-uid (mode 4755; --allow-setid imports "
		  "those)" },
		{ "set-uid, allowed", { "bin/su", NULL, R, 04755, 1, 0, NULL }, 0,
		  1, "ok bin/su" },
		{ "set-gid file", { "bin/wall", NULL, R, 02755, 1, 0, NULL }, 0,
		  0, "entry \"bin/wall\" is set-gid (mode 2755; --allow-setid "
		  "imports those)" },
		{ "set-gid directory", { "var/mail", NULL, D, 02775, 0, 0, NULL },
		  0, 0, "ok var/mail" },
		{ "set-uid directory", { "var/x", NULL, D, 04755, 0, 0, NULL }, 0,
		  0, "entry \"var/x\" is set-uid (mode 4755; --allow-setid "
		  "imports those)" },
		{ "sticky directory", { "tmp", NULL, D, 01777, 0, 0, NULL }, 0, 0,
		  "ok tmp" },
		{ "a set-uid hard link", { "bin/su2", "bin/sh", R, 04755, 0, 0,
		  NULL }, 0, 0, "entry \"bin/su2\" is set-uid (mode 4755; "
		  "--allow-setid imports those)" },
		{ "file capabilities", { "bin/ping", NULL, R, 0755, 1, 1, NULL },
		  0, 0, "entry \"bin/ping\" has file capabilities "
		  "(security.capability; --allow-setid imports those)" },
		{ "file capabilities, allowed", { "bin/ping", NULL, R, 0755, 1, 1,
		  NULL }, 0, 1, "ok bin/ping" },
		{ "a trusted xattr", { "etc/x", NULL, R, 0644, 1, 0,
		  "trusted.overlay.opaque" }, 1, 1, "entry \"etc/x\" has the "
		  "extended attribute \"trusted.overlay.opaque\", which an "
		  "import never restores" },
		{ "10 GiB claimed", { "huge", NULL, R, 0644, GB, 0, NULL }, 0, 0,
		  "entry \"huge\" claims 10737418240 bytes of data, more than "
		  "the 1000000 bytes left within the test's budget" },
		{ "exactly the budget", { "big", NULL, R, 0644, 1000000, 0,
		  NULL }, 0, 0, "ok big" },
		{ "a negative size", { "neg", NULL, R, 0644, -1, 0, NULL }, 0, 0,
		  "entry \"neg\" claims -1 bytes of data, more than the 1000000 "
		  "bytes left within the test's budget" },
		{ "an unknown type", { "odd", NULL, 0170000, 0644, 0, 0, NULL },
		  1, 1, "entry \"odd\" has the unknown file type 0170000" },
	};
	static const struct { const char *name; int want; } xattrs[] = {
		{ "user.pb", PB_XATTR_KEEP }, { "security.selinux", PB_XATTR_KEEP },
		{ "system.posix_acl_access", PB_XATTR_KEEP },
		{ "system.posix_acl_default", PB_XATTR_KEEP },
		{ "security.capability", PB_XATTR_CAPS },
		{ "trusted.overlay.opaque", PB_XATTR_REFUSE },
		{ "system.nfs4_acl", PB_XATTR_REFUSE }, { "user", PB_XATTR_REFUSE },
	};
	static char norm[PB_BASE_PATH_MAX + 1], nlink[PB_BASE_PATH_MAX + 1];
	static char longpath[PB_BASE_PATH_MAX + 10], got[PB_BASE_PATH_MAX * 2 + 8];
	struct pb_base_rules r;
	struct pb_base_name bn;
	struct pb_base_entry en;
	struct pb_err e;
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		tap_is(pb_base_name_parse(&bn, names[i].in, &e) == 0 ? bn.s :
		    e.msg, names[i].want, names[i].in);
	r.budget = 1000000;
	r.budget_what = "the test's budget";
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		r.allow_devices = cases[i].devs;
		r.allow_setid = cases[i].setid;
		if (pb_base_entry_check(&cases[i].en, &r, look, NULL, norm,
		    nlink, &e) == 0)
			snprintf(got, sizeof(got), "ok %s%s%s", norm,
			    nlink[0] ? " " : "", nlink);
		else
			snprintf(got, sizeof(got), "%s", e.msg);
		tap_is(got, cases[i].want, cases[i].name);
	}
	for (i = 0; i < sizeof(xattrs) / sizeof(xattrs[0]); i++)
		tap_ok(pb_base_xattr_class(xattrs[i].name) ==
		    (enum pb_base_xattr)xattrs[i].want, xattrs[i].name);
	/* Lengths: a 256-byte component, a path one byte too long. */
	memset(&en, 0, sizeof(en));
	en.type = S_IFREG;
	memset(longpath, 'a', 256);
	longpath[256] = '\0';
	en.path = longpath;
	tap_ok(pb_base_entry_check(&en, &r, look, NULL, norm, nlink, &e) ==
	    -1 && strstr(e.msg, "has a component longer than 255 bytes") !=
	    NULL, "a 256-byte component");
	for (i = 0; i < PB_BASE_PATH_MAX + 2; i++)
		longpath[i] = i % 2 ? '/' : 'a';
	longpath[PB_BASE_PATH_MAX + 2] = '\0';
	tap_ok(pb_base_entry_check(&en, &r, look, NULL, norm, nlink, &e) ==
	    -1 && strstr(e.msg, "is longer than 4095 bytes") != NULL,
	    "a path of 4097 bytes");
	longpath[PB_BASE_PATH_MAX] = '\0';
	tap_ok(pb_base_entry_check(&en, &r, look, NULL, norm, nlink, &e) == 0
	    && strlen(norm) == PB_BASE_PATH_MAX, "a path of 4095 bytes");
	return tap_done();
}

/* boardcheck.c: check mode for the boards' side (docs/boards.md): each
 * pxelinux.cfg and grub.cfg file the hook made names files that would
 * be served, each DTB named is a device tree a loader takes
 * (pb_fdt_check), each board node's two files boot exactly when it
 * must netboot, and nothing in pxelinux.cfg/ or grub/ comes before a
 * root file in the lookup order of a board that has no file of its
 * own. */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "loaderrefs.h"
#include "manifest.h"
#include "names.h"
#include "boot/fdt.h"

#define FILE_MAX 4096		/* a loader file the hook wrote */
#define DTB_MAX (4 << 20)	/* Debian's largest are ~200 KB */

/* The whole of a served file, up to max bytes (NUL-terminated), into
 * a new buffer; NULL when not served.  *len: its size. */
static unsigned char *
slurp(struct disk *d, const char *path, size_t max, size_t *len)
{
	unsigned char *buf = NULL;
	struct stat st;
	ssize_t n;
	int fd;

	if ((fd = resolve(d, path)) == -1)
		return NULL;
	if (fstat(fd, &st) == -1 || (size_t)st.st_size > max ||
	    (buf = malloc((size_t)st.st_size + 1)) == NULL)
		goto out;
	n = read(fd, buf, (size_t)st.st_size);
	if (n != st.st_size) {
		free(buf);
		buf = NULL;
		goto out;
	}
	buf[n] = '\0';
	*len = (size_t)n;
out:
	close(fd);
	return buf;
}

static void
check_dtb(struct disk *d, const char *file, const char *dtb)
{
	unsigned char *buf;
	struct pb_err e;
	size_t len;

	if ((buf = slurp(d, dtb, DTB_MAX, &len)) == NULL) {
		problem(d, "%s names \"%s\", which would not be served", file,
		    dtb);
		return;
	}
	if (pb_fdt_check(buf, len, &e) == -1)
		problem(d, "%s names device tree \"%s\": %s", file, dtb, e.msg);
	free(buf);
}

/* The references of one loader file; -1 when it is not served. */
static int
check_refs(struct disk *d, const char *file, int *bootable)
{
	struct loader_ref r[LOADER_MAXREFS];
	struct stat st;
	unsigned char *text;
	size_t n, i, len;
	int fd;

	if ((text = slurp(d, file, FILE_MAX, &len)) == NULL)
		return -1;
	n = loader_refs((char *)text, r, LOADER_MAXREFS, bootable);
	free(text);
	for (i = 0; i < n; i++) {
		if (r[i].kind == REF_FDT) {
			check_dtb(d, file, r[i].path);
			continue;
		}
		if (r[i].kind == REF_FDTDIR) {
			if (fstatat(d->rootfd, r[i].path, &st, 0) == -1 ||
			    !S_ISDIR(st.st_mode))
				problem(d, "%s names DTB directory \"%s\", which "
				    "is not there", file, r[i].path);
			continue;
		}
		if ((fd = resolve(d, r[i].path)) == -1)
			problem(d, "%s names \"%s\", which would not be served",
			    file, r[i].path);
		else
			close(fd);
	}
	return 0;
}

void
check_board_files(struct hookctx *h, unsigned long *problems)
{
	struct disk d = { h->tree.rootfd, "", "tree", problems };
	const char *name;
	size_t it = 0;
	int b;

	while ((name = strset_next(&h->tree.man, &it)) != NULL)
		if (hook_sub_name_ok(name) && check_refs(&d, name, &b) == -1)
			problem(&d, "\"%s\" is in the manifest but would not be "
			    "served", name);
}

void
check_board_node(struct hookctx *h, const struct plan *p, struct disk *d)
{
	char pxe[HOOK_NAME_MAX], grub[HOOK_NAME_MAX];
	const char *f[2] = { pxe, grub };
	struct stat st;
	int i, b, macdir;

	plan_board_names(p->boardmac, pxe, grub);
	macdir = fstatat(h->tree.rootfd, p->boardmac, &st, 0) == 0;
	for (i = 0; i < 2; i++) {
		/* The refs were checked with the tree's files. */
		struct disk q = *d;
		unsigned long none = 0;

		q.problems = &none;
		if (check_refs(&q, f[i], &b) == -1) {
			problem(d, "%s would not be served", f[i]);
			continue;
		}
		if (p->kind == PLAN_FENCE && b)
			problem(d, "must boot locally, but %s names a kernel",
			    f[i]);
		else if (p->kind == PLAN_BOOT && !b)
			problem(d, "must boot over the network, but %s names no "
			    "kernel", f[i]);
	}
	if (p->kind == PLAN_BOOT && macdir)
		problem(d, "must boot over the network but has a MAC fence "
		    "directory %s/", p->boardmac);
	if (p->kind == PLAN_FENCE && !macdir)
		problem(d, "no MAC fence directory %s/", p->boardmac);
}

/* A name U-Boot's or GRUB's lookup tries between a board's own file
 * and the root file: the IPv4 address in upper-case hex (1 to 8
 * digits) or, for U-Boot, default-<arch>... */
static int
before_root(const char *dir, const char *name)
{
	size_t n = strlen(name);

	if (strcmp(dir, "grub") == 0) {
		if (strncmp(name, "grub.cfg-", 9) != 0)
			return 0;
		name += 9;
		n -= 9;
	} else if (strncmp(name, "default-", 8) == 0)
		return 1;
	return n >= 1 && n <= 8 && strspn(name, "0123456789ABCDEF") == n;
}

static void
check_strays(struct disk *d, const char *dir)
{
	struct dirent *de;
	DIR *dp;
	int fd;

	fd = openat(d->rootfd, dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd == -1 || (dp = fdopendir(fd)) == NULL) {
		if (fd != -1)
			close(fd);
		return;
	}
	while ((de = readdir(dp)) != NULL)
		if (before_root(dir, de->d_name))
			problem(d, "%s/%s comes before the root file in the "
			    "lookup order: a board without its own file, or "
			    "whose own file cannot be read, would get it", dir,
			    de->d_name);
	closedir(dp);
}

void
check_board_root(struct hookctx *h, unsigned long *problems)
{
	static const char *const roots[] = {
		"pxelinux.cfg/default", "grub/grub.cfg", NULL,
	};
	struct disk d = { h->tree.rootfd, "", "boards' root", problems };
	struct stat st;
	int i, b, fd;

	for (i = 0; roots[i] != NULL; i++) {
		if (!tree_owns(&h->tree, roots[i]) &&
		    fstatat(h->tree.rootfd, roots[i], &st, 0) == 0)
			problem(&d, "%s is not the hook's: boards not in the "
			    "database get that file", roots[i]);
		if (check_refs(&d, roots[i], &b) == -1)
			problem(&d, "%s would not be served", roots[i]);
		else if (!h->env.discovery && b)
			problem(&d, "discovery is off, but %s names a kernel",
			    roots[i]);
		else if (h->env.discovery && !b && tree_owns(&h->tree,
		    roots[i]))
			problem(&d, "discovery is on, but %s names no kernel",
			    roots[i]);
	}
	if ((fd = resolve(&d, "boot.scr.uimg")) == -1)
		problem(&d, "boot.scr.uimg would not be served");
	else
		close(fd);
	check_strays(&d, "pxelinux.cfg");
	check_strays(&d, "grub");
}

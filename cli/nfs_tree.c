/* nfs_tree.c: where the bases live, and whole-tree removal and size for
 * pureboot nfs.  nftw() never follows a symlink here (FTW_PHYS): a base
 * is a foreign root file system full of absolute symlinks. */
#include <errno.h>
#include <ftw.h>
#include <search.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "nfs.h"

const char *
nfs_root(const char *opt)
{
	const char *env = getenv("PUREBOOT_NFS_ROOT");

	if (opt != NULL)
		return opt;
	return env != NULL && env[0] != '\0' ? env : NFS_ROOT_DEFAULT;
}

static int
mkdir_p(char *path)
{
	char *s;

	for (s = strchr(path + 1, '/');; s = strchr(s + 1, '/')) {
		if (s != NULL)
			*s = '\0';
		if (mkdir(path, 0755) == -1 && errno != EEXIST)
			return -1;
		if (s == NULL)
			return 0;
		*s = '/';
	}
}

int
nfs_base_dir(const char *root, int create, char *dir, size_t dirsz,
    const char *where)
{
	struct stat st;
	int n;

	n = snprintf(dir, dirsz, "%s/base", root);
	if (n < 0 || (size_t)n >= dirsz) {
		fprintf(stderr, "%s: nfs root \"%.60s...\" is too long\n", where,
		    root);
		return -1;
	}
	if (create && mkdir_p(dir) == -1) {
		fprintf(stderr, "%s: mkdir \"%s\": %s\n", where, dir,
		    strerror(errno));
		return -1;
	}
	if (lstat(dir, &st) == -1) {
		/* Not there yet: the caller says what that means. */
		if (!create && errno == ENOENT)
			return -1;
		fprintf(stderr, "%s: \"%s\": %s\n", where, dir, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		fprintf(stderr, "%s: \"%s\" is not a directory\n", where, dir);
		return -1;
	}
	return 0;
}

/* nftw() passes no context: the one walk at a time keeps it here. */
static int walk_errno;
static char walk_path[4096];
static int64_t walk_bytes;
static void *walk_inodes;

static int
rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if ((flag == FTW_DP ? rmdir(path) : unlink(path)) == -1) {
		walk_errno = errno;
		snprintf(walk_path, sizeof(walk_path), "%s", path);
		return 1;
	}
	return 0;
}

int
nfs_tree_remove(const char *path, const char *where)
{
	walk_errno = 0;
	if (nftw(path, rm_one, 32, FTW_DEPTH | FTW_PHYS) == -1) {
		fprintf(stderr, "%s: remove \"%s\": %s\n", where, path,
		    strerror(errno));
		return -1;
	}
	if (walk_errno != 0) {
		fprintf(stderr, "%s: remove \"%s\": %s\n", where, walk_path,
		    strerror(walk_errno));
		return -1;
	}
	return 0;
}

static int
ino_cmp(const void *a, const void *b)
{
	const struct stat *x = a, *y = b;

	if (x->st_dev != y->st_dev)
		return x->st_dev < y->st_dev ? -1 : 1;
	if (x->st_ino != y->st_ino)
		return x->st_ino < y->st_ino ? -1 : 1;
	return 0;
}

static int
size_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	struct stat *key;
	void *found;

	(void)ftw;
	if (flag == FTW_NS || flag == FTW_DNR) {
		walk_errno = errno != 0 ? errno : EACCES;
		snprintf(walk_path, sizeof(walk_path), "%s", path);
		return 1;
	}
	/* A file with more than one name is counted at its first. */
	if (!S_ISDIR(st->st_mode) && st->st_nlink > 1) {
		if ((key = malloc(sizeof(*key))) == NULL) {
			walk_errno = ENOMEM;
			return 1;
		}
		*key = *st;
		if ((found = tsearch(key, &walk_inodes, ino_cmp)) == NULL) {
			free(key);
			walk_errno = ENOMEM;
			return 1;
		}
		if (*(struct stat **)found != key) {
			free(key);
			return 0;
		}
	}
	walk_bytes += (int64_t)st->st_blocks * 512;
	return 0;
}

int
nfs_tree_bytes(const char *path, int64_t *bytes, const char *where)
{
	int rc = -1;

	walk_errno = 0;
	walk_bytes = 0;
	walk_path[0] = '\0';
	if (nftw(path, size_one, 32, FTW_PHYS) == -1) {
		fprintf(stderr, "%s: \"%s\": %s\n", where, path,
		    strerror(errno));
		goto out;
	}
	if (walk_errno != 0) {
		fprintf(stderr, "%s: \"%s\": %s\n", where, walk_path[0] ?
		    walk_path : path, strerror(walk_errno));
		goto out;
	}
	*bytes = walk_bytes;
	rc = 0;
out:
	tdestroy(walk_inodes, free);
	walk_inodes = NULL;
	return rc;
}

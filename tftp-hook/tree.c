/* tree.c: the only code that writes the TFTP tree.
 *
 * Every change is atomic for a reader: a directory is built complete
 * under ".<name>.tmp.XXXXXX" and swapped in with renameat2(
 * RENAME_EXCHANGE) (or renamed, when new); a file or link at the top is
 * written under a temporary name and renamed over.  A kill -9 at any
 * point leaves every path either the old or the new version, and at
 * worst a ".*.tmp.*" directory that the next start removes.
 *
 * Names the manifest (manifest.c) does not hold are never touched: the
 * hook can share a tftp-root with an x86 PXE set-up. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "tree.h"
#include "names.h"
#include "log.h"
#include "manifest.h"
#include "rmtree.h"
#include "tmpname.h"
#include "wfile.h"

/* Is this one of our temporaries, left by a crash?  dir: the
 * container it is in ("pxelinux.cfg"), or NULL for the root. */
static int
is_leftover(const char *dir, const char *n)
{
	char path[HOOK_NAME_MAX * 2];
	char base[HOOK_NAME_MAX];
	const char *p;
	size_t len;

	if (n[0] != '.')
		return 0;
	if ((p = strstr(n + 1, ".tmp.")) == NULL &&
	    (p = strstr(n + 1, ".old.")) == NULL)
		return 0;
	len = (size_t)(p - (n + 1));
	if (len == 0 || len >= sizeof(base) || strlen(p + 5) != 6 ||
	    strspn(p + 5, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789") != 6)
		return 0;
	memcpy(base, n + 1, len);
	base[len] = '\0';
	if (dir == NULL)
		return hook_name_ok(base);
	snprintf(path, sizeof(path), "%s/%s", dir, base);
	return hook_sub_name_ok(path);
}

/* Our entries are flat directories of files and links; one level more
 * is tolerated. */
#define TREE_DEPTH 2

/* The temporaries in the root (dir NULL) or in one container. */
static void
clean_dir(struct tree *t, const char *dir)
{
	struct pb_err e;
	struct dirent *de;
	DIR *d;
	int fd;

	fd = dir == NULL ? dup(t->rootfd) : openat(t->rootfd, dir,
	    O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd == -1 || (d = fdopendir(fd)) == NULL) {
		if (fd != -1)
			close(fd);
		return;
	}
	rewinddir(d);
	while ((de = readdir(d)) != NULL) {
		if (!is_leftover(dir, de->d_name))
			continue;
		hook_log("removing \"%s%s%s\" left by an interrupted run",
		    dir ? dir : "", dir ? "/" : "", de->d_name);
		if (rm_tree_at(dirfd(d), de->d_name, TREE_DEPTH, &e) == -1)
			hook_log("%s", e.msg);
	}
	closedir(d);
}

static void
clean_leftovers(struct tree *t)
{
	clean_dir(t, NULL);
	clean_dir(t, "pxelinux.cfg");
	clean_dir(t, "grub");
}

/* A temporary name beside path, in the same directory: ".name.kind.X"
 * for a root name, "dir/.name.kind.X" for a file in a container. */
static void
tmp_beside(char *out, size_t size, const char *path, const char *kind)
{
	const char *sl = strchr(path, '/');
	char t[HOOK_NAME_MAX + 16];

	if (sl == NULL) {
		tree_tmpname(out, size, path, kind);
		return;
	}
	tree_tmpname(t, sizeof(t), sl + 1, kind);
	snprintf(out, size, "%.*s/%s", (int)(sl - path), path, t);
}

/* The container of a file in one exists as a real directory: made
 * (and claimed) when missing, shared when it is there already. */
static int
container(struct tree *t, const char *path, struct pb_err *e)
{
	const char *sl = strchr(path, '/');
	char dir[HOOK_NAME_MAX];
	struct stat sb;

	if (sl == NULL)
		return 0;
	snprintf(dir, sizeof(dir), "%.*s", (int)(sl - path), path);
	if (fstatat(t->rootfd, dir, &sb, AT_SYMLINK_NOFOLLOW) == 0) {
		if (!S_ISDIR(sb.st_mode))
			return pb_fail(e, "\"%s\" is not a directory: \"%s\" "
			    "left alone", dir, path);
		return 0;
	}
	if (errno != ENOENT)
		return pb_fail(e, "stat \"%s\": %s", dir, strerror(errno));
	if (man_add(t, dir, t->fsync, e) == -1)
		return -1;
	if (mkdirat(t->rootfd, dir, 0755) == -1 && errno != EEXIST)
		return pb_fail(e, "mkdir \"%s\": %s", dir, strerror(errno));
	if (fchmodat(t->rootfd, dir, 0755, 0) == -1)
		return pb_fail(e, "chmod \"%s\": %s", dir, strerror(errno));
	t->dirty = 1;
	return 0;
}

int
tree_open(struct tree *t, const char *root, int flags, struct pb_err *e)
{
	memset(t, 0, sizeof(*t));
	t->root = root;
	t->manfd = -1;
	t->fsync = (flags & TREE_FSYNC) != 0;
	if ((t->rootfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		return pb_fail(e, "tftp root \"%s\": %s", root, strerror(errno));
	if (flags & TREE_READONLY) {
		t->manfd = openat(t->rootfd, MANIFEST, O_RDONLY | O_CLOEXEC);
		if (t->manfd == -1 && errno != ENOENT)
			return pb_fail(e, "manifest: %s", strerror(errno));
		return t->manfd == -1 ? 0 : man_load(t, e);
	}
	t->manfd = openat(t->rootfd, MANIFEST,
	    O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (t->manfd == -1)
		return pb_fail(e, "manifest \"%s/%s\": %s", root, MANIFEST,
		    strerror(errno));
	/* One writer per tree: two hooks would undo each other.  The lock
	 * is on the root directory, which is never replaced (the manifest
	 * is, at each compaction). */
	if (flock(t->rootfd, LOCK_EX | LOCK_NB) == -1)
		return pb_fail(e, "tftp root \"%s\" is locked: another "
		    "pureboot-tftp-hook writes this tree", root);
	if (man_load(t, e) == -1)
		return -1;
	clean_leftovers(t);
	return 0;
}

void
tree_close(struct tree *t)
{
	if (t->manfd != -1)
		close(t->manfd);
	if (t->rootfd != -1)
		close(t->rootfd);
	t->manfd = t->rootfd = -1;
	strset_free(&t->man);
}

/* Does the file at dfd/name hold exactly len bytes of data, 0644? */
static int
file_same(int dfd, const char *name, const char *data, size_t len)
{
	char buf[sizeof(((struct ent *)0)->data) + 1];
	struct stat st;
	ssize_t n;
	int fd;

	if ((fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) == -1)
		return 0;
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode) ||
	    (st.st_mode & 07777) != 0644 || (size_t)st.st_size != len) {
		close(fd);
		return 0;
	}
	n = len > 0 ? read(fd, buf, sizeof(buf)) : 0;
	close(fd);
	return n == (ssize_t)len && memcmp(buf, data, len) == 0;
}

static int
ent_same(int dfd, const struct ent *en)
{
	char buf[sizeof(en->target) + 1];
	ssize_t n;

	if (!en->is_link)
		return file_same(dfd, en->name, en->data, en->len);
	n = readlinkat(dfd, en->name, buf, sizeof(buf));
	return n >= 0 && (size_t)n == strlen(en->target) &&
	    memcmp(buf, en->target, (size_t)n) == 0;
}

static int
dir_same(struct tree *t, const struct dirspec *d)
{
	struct dirent *de;
	struct stat st;
	size_t i, seen = 0;
	DIR *dp;
	int fd, same = 1;

	fd = openat(t->rootfd, d->name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC);
	if (fd == -1)
		return 0;
	if (fstat(fd, &st) == -1 || (st.st_mode & 07777) != 0755) {
		close(fd);
		return 0;
	}
	/* The rendered files first: when a node changed, they are what
	 * differs, and the links need not be read at all. */
	for (i = 0; i < d->n; i++)
		if (!d->e[i].is_link && !ent_same(fd, &d->e[i])) {
			close(fd);
			return 0;
		}
	if ((dp = fdopendir(fd)) == NULL) {
		close(fd);
		return 0;
	}
	while (same && (de = readdir(dp)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		for (i = 0; i < d->n; i++)
			if (strcmp(d->e[i].name, de->d_name) == 0)
				break;
		if (i == d->n || (d->e[i].is_link && !ent_same(fd, &d->e[i])))
			same = 0;
		seen++;
	}
	closedir(dp);
	return same && seen == d->n;
}

static int
write_file(int dfd, const char *name, const char *data, size_t len, int sync,
    struct pb_err *e)
{
	return wfile_create_at(dfd, name, data, len, 0644, sync, e);
}

int
tree_stage_dir(struct tree *t, const struct dirspec *d, int sync,
    struct staged *st, struct pb_err *e)
{
	struct stat sb;
	size_t i;
	int dfd = -1, rc = -1, tries;

	if (!hook_name_ok(d->name))
		return pb_fail(e, "\"%.40s\" is not a name the hook makes",
		    d->name);
	if (fstatat(t->rootfd, d->name, &sb, AT_SYMLINK_NOFOLLOW) == 0 &&
	    !tree_owns(t, d->name))
		return pb_fail(e, "\"%s\" exists and is not in the manifest: "
		    "left alone", d->name);
	if (dir_same(t, d)) {
		t->unchanged++;
		return 0;
	}
	if (man_add(t, d->name, sync, e) == -1)
		return -1;
	snprintf(st->name, sizeof(st->name), "%s", d->name);
	for (tries = 0; ; tries++) {
		tree_tmpname(st->tmp, sizeof(st->tmp), d->name, "tmp");
		if (mkdirat(t->rootfd, st->tmp, 0755) == 0)
			break;
		if (errno != EEXIST || tries > 10)
			return pb_fail(e, "mkdir \"%s\": %s", st->tmp,
			    strerror(errno));
	}
	if (fchmodat(t->rootfd, st->tmp, 0755, 0) == -1 ||
	    (dfd = openat(t->rootfd, st->tmp, O_RDONLY | O_DIRECTORY |
	    O_CLOEXEC)) == -1) {
		pb_fail(e, "open \"%s\": %s", st->tmp, strerror(errno));
		goto out;
	}
	for (i = 0; i < d->n; i++) {
		const struct ent *en = &d->e[i];

		if (en->is_link) {
			if (symlinkat(en->target, dfd, en->name) == -1) {
				pb_fail(e, "symlink \"%s/%s\": %s", d->name,
				    en->name, strerror(errno));
				goto out;
			}
		} else if (write_file(dfd, en->name, en->data, en->len, sync,
		    e) == -1)
			goto out;
	}
	if (sync && fsync(dfd) == -1) {
		pb_fail(e, "fsync \"%s\": %s", st->tmp, strerror(errno));
		goto out;
	}
	rc = 1;
out:
	if (dfd != -1)
		close(dfd);
	if (rc == -1) {
		struct pb_err e2;

		rm_tree_at(t->rootfd, st->tmp, TREE_DEPTH, &e2);
	}
	return rc;
}

int
tree_commit(struct tree *t, struct staged *st, struct pb_err *e)
{
	struct pb_err e2;

	/* Exchange when the name exists, so that a reader sees the old
	 * directory or the new one, never none. */
	t->dirty = 1;
	if (renameat2(t->rootfd, st->tmp, t->rootfd, st->name,
	    RENAME_NOREPLACE) == 0) {
		t->written++;
		return 0;
	}
	if (errno != EEXIST) {
		pb_fail(e, "rename \"%s\" to \"%s\": %s", st->tmp, st->name,
		    strerror(errno));
		goto fail;
	}
	if (renameat2(t->rootfd, st->tmp, t->rootfd, st->name,
	    RENAME_EXCHANGE) == -1) {
		pb_fail(e, "exchange \"%s\" and \"%s\": %s", st->tmp, st->name,
		    strerror(errno));
		goto fail;
	}
	t->written++;
	/* st->tmp now holds the old version. */
	if (rm_tree_at(t->rootfd, st->tmp, TREE_DEPTH, e) == -1)
		return -1;
	return 0;
fail:
	rm_tree_at(t->rootfd, st->tmp, TREE_DEPTH, &e2);
	return -1;
}

int
tree_put_dir(struct tree *t, const struct dirspec *d, struct pb_err *e)
{
	struct staged st;
	int rc;

	/* One syncfs (one journal commit) for the files, the directory and
	 * the manifest line, rather than an fsync of each: what a NOTIFY
	 * waits for.  The rename itself is made durable by the next
	 * reconcile's fsync of the root; lost in a power cut, it leaves the
	 * old version, which the reconcile at start replaces. */
	if ((rc = tree_stage_dir(t, d, 0, &st, e)) <= 0)
		return rc;
	if (tree_sync(t, e) == -1 || tree_commit(t, &st, e) == -1)
		return -1;
	return 1;
}

int
tree_put_rootent(struct tree *t, const struct ent *en, struct pb_err *e)
{
	char tmp[HOOK_NAME_MAX * 2];
	struct stat sb;
	int tries;

	if (!hook_tree_name_ok(en->name))
		return pb_fail(e, "\"%.40s\" is not a name the hook makes",
		    en->name);
	if (container(t, en->name, e) == -1)
		return -1;
	if (fstatat(t->rootfd, en->name, &sb, AT_SYMLINK_NOFOLLOW) == 0) {
		if (!tree_owns(t, en->name))
			return pb_fail(e, "\"%s\" exists and is not in the "
			    "manifest: left alone", en->name);
		if (ent_same(t->rootfd, en)) {
			t->unchanged++;
			return 0;
		}
	}
	if (man_add(t, en->name, t->fsync, e) == -1)
		return -1;
	for (tries = 0; ; tries++) {
		tmp_beside(tmp, sizeof(tmp), en->name, "tmp");
		if (en->is_link ? symlinkat(en->target, t->rootfd, tmp) == 0 :
		    write_file(t->rootfd, tmp, en->data, en->len, t->fsync, e) == 0)
			break;
		if (errno != EEXIST || tries > 10)
			return en->is_link ? pb_fail(e, "symlink \"%s\": %s", tmp,
			    strerror(errno)) : -1;
	}
	t->dirty = 1;
	if (renameat(t->rootfd, tmp, t->rootfd, en->name) == -1) {
		pb_fail(e, "rename \"%s\" to \"%s\": %s", tmp, en->name,
		    strerror(errno));
		unlinkat(t->rootfd, tmp, 0);
		return -1;
	}
	t->written++;
	return 1;
}

int
tree_remove(struct tree *t, const char *name, struct pb_err *e)
{
	char old[HOOK_NAME_MAX * 2];
	struct stat sb;

	if (!tree_owns(t, name))
		return 0;
	if (fstatat(t->rootfd, name, &sb, AT_SYMLINK_NOFOLLOW) == 0) {
		/* Out of sight first, in one step; then take it apart. */
		t->dirty = 1;
		tmp_beside(old, sizeof(old), name, "old");
		if (renameat2(t->rootfd, name, t->rootfd, old,
		    RENAME_NOREPLACE) == -1)
			return pb_fail(e, "rename \"%s\" to \"%s\": %s", name,
			    old, strerror(errno));
		if (rm_tree_at(t->rootfd, old, TREE_DEPTH, e) == -1)
			return -1;
		t->removed++;
	} else if (errno != ENOENT)
		return pb_fail(e, "stat \"%s\": %s", name, strerror(errno));
	if (man_append(t, '-', name, e) == -1)
		return -1;
	strset_del(&t->man, name);
	return 0;
}

int
tree_sync(struct tree *t, struct pb_err *e)
{
	if (t->fsync && syncfs(t->rootfd) == -1)
		return pb_fail(e, "syncfs \"%s\": %s", t->root, strerror(errno));
	return 0;
}

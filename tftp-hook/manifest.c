/* manifest.c: .pureboot-manifest, the names the hook created (mode
 * 0600 so that no TFTP server serves it).  A name is added before it
 * first appears and dropped after it is gone, so a crash can leave the
 * manifest claiming a missing name but never a present name unclaimed.
 * Appended to as the tree changes, rewritten whole after a reconcile. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "tree.h"
#include "names.h"
#include "log.h"
#include "manifest.h"
#include "tmpname.h"

/* The manifest names it: the hook created it and may change it. */
int
tree_owns(const struct tree *t, const char *name)
{
	return strset_has(&t->man, name);
}

int
man_append(struct tree *t, char op, const char *name, struct pb_err *e)
{
	char line[HOOK_NAME_MAX + 4];
	int n = snprintf(line, sizeof(line), "%c%s\n", op, name);

	if (write(t->manfd, line, (size_t)n) != n)
		return pb_fail(e, "manifest: write: %s", strerror(errno));
	t->appended++;
	return 0;
}

int
man_add(struct tree *t, const char *name, int sync, struct pb_err *e)
{
	if (tree_owns(t, name))
		return 0;
	if (man_append(t, '+', name, e) == -1)
		return -1;
	if (sync && fdatasync(t->manfd) == -1)
		return pb_fail(e, "manifest: fsync: %s", strerror(errno));
	if (strset_add(&t->man, name) == -1)
		return pb_fail(e, "manifest: out of memory");
	return 0;
}

int
man_load(struct tree *t, struct pb_err *e)
{
	char buf[65536], line[HOOK_NAME_MAX + 2];
	size_t ll = 0;
	ssize_t n, i;

	if (lseek(t->manfd, 0, SEEK_SET) == -1)
		return pb_fail(e, "manifest: seek: %s", strerror(errno));
	while ((n = read(t->manfd, buf, sizeof(buf))) > 0) {
		for (i = 0; i < n; i++) {
			if (buf[i] != '\n') {
				if (ll < sizeof(line) - 1)
					line[ll++] = buf[i];
				else
					ll = sizeof(line);	/* too long: ignored */
				continue;
			}
			if (ll >= 2 && ll < sizeof(line)) {
				line[ll] = '\0';
				/* Only names the hook can make, whatever the
				 * file says. */
				if (!hook_tree_name_ok(line + 1))
					hook_log("manifest: ignoring \"%.40s\"",
					    line + 1);
				else if (line[0] == '+')
					strset_add(&t->man, line + 1);
				else if (line[0] == '-')
					strset_del(&t->man, line + 1);
			}
			ll = 0;
		}
	}
	if (n == -1)
		return pb_fail(e, "manifest: read: %s", strerror(errno));
	return 0;
}

int
tree_compact(struct tree *t, struct pb_err *e)
{
	char tmp[64];
	const char *name;
	size_t i = 0;
	FILE *f = NULL;
	int fd = -1, rc = -1;

	/* Nothing appended since the last rewrite: it is compact already. */
	if (t->appended == 0)
		return 0;
	tree_tmpname(tmp, sizeof(tmp), "pureboot-manifest", "tmp");
	if ((fd = openat(t->rootfd, tmp, O_WRONLY | O_CREAT | O_EXCL, 0600)) == -1) {
		pb_fail(e, "manifest: create \"%s\": %s", tmp, strerror(errno));
		goto out;
	}
	if ((f = fdopen(fd, "w")) == NULL) {
		pb_fail(e, "manifest: %s", strerror(errno));
		goto out;
	}
	fd = -1;
	fputs("# pureboot-tftp-hook: the names this hook created here; "
	    "do not edit\n", f);
	while ((name = strset_next(&t->man, &i)) != NULL)
		fprintf(f, "+%s\n", name);
	if (fflush(f) == EOF || (t->fsync && fsync(fileno(f)) == -1)) {
		pb_fail(e, "manifest: write: %s", strerror(errno));
		goto out;
	}
	if (renameat(t->rootfd, tmp, t->rootfd, MANIFEST) == -1) {
		pb_fail(e, "manifest: rename: %s", strerror(errno));
		goto out;
	}
	tmp[0] = '\0';
	t->appended = 0;
	close(t->manfd);
	t->manfd = openat(t->rootfd, MANIFEST, O_RDWR | O_APPEND | O_CLOEXEC);
	if (t->manfd == -1) {
		pb_fail(e, "manifest: reopen: %s", strerror(errno));
		goto out;
	}
	rc = 0;
out:
	if (f != NULL)
		fclose(f);
	if (fd != -1)
		close(fd);
	if (tmp[0] != '\0')
		unlinkat(t->rootfd, tmp, 0);
	return rc;
}

/* rmtree.c: rm -r under a directory fd, for the TFTP tree's own
 * entries and for a diskless node's directory, which the node itself
 * writes over NFS: nothing is followed (each level is opened with
 * O_NOFOLLOW relative to its parent, names are unlinked, never
 * resolved), so a link the node planted removes only the link. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rmtree.h"

static int
rm_level(int dirfd, const char *name, int depth, int maxdepth,
    struct pb_err *e)
{
	struct stat st;
	struct dirent *de;
	DIR *d;
	int fd, rc = 0;

	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == -1)
		return errno == ENOENT ? 0 :
		    pb_fail(e, "stat \"%s\": %s", name, strerror(errno));
	if (!S_ISDIR(st.st_mode)) {
		if (unlinkat(dirfd, name, 0) == -1 && errno != ENOENT)
			return pb_fail(e, "unlink \"%s\": %s", name,
			    strerror(errno));
		return 0;
	}
	if (depth > maxdepth)
		return pb_fail(e, "remove \"%s\": nested deeper than %d levels",
		    name, maxdepth);
	if ((fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC)) == -1)
		return pb_fail(e, "open \"%s\": %s", name, strerror(errno));
	if ((d = fdopendir(fd)) == NULL) {
		close(fd);
		return pb_fail(e, "opendir \"%s\": %s", name, strerror(errno));
	}
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		/* Links and files, as readdir says: no stat needed. */
		if (de->d_type != DT_DIR && de->d_type != DT_UNKNOWN &&
		    unlinkat(fd, de->d_name, 0) == 0)
			continue;
		if (rm_level(fd, de->d_name, depth + 1, maxdepth, e) == -1) {
			rc = -1;
			break;
		}
	}
	closedir(d);
	if (rc == 0 && unlinkat(dirfd, name, AT_REMOVEDIR) == -1 &&
	    errno != ENOENT)
		return pb_fail(e, "rmdir \"%s\": %s", name, strerror(errno));
	return rc;
}

int
rm_tree_at(int dirfd, const char *name, int maxdepth, struct pb_err *e)
{
	return rm_level(dirfd, name, 0, maxdepth, e);
}

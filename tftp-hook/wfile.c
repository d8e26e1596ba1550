/* wfile.c: the one way the hook writes a file's bytes: a new name
 * (the caller renames it into place), the whole content, the mode. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "wfile.h"

int
wfile_create_at(int dfd, const char *name, const void *data, size_t len,
    mode_t mode, int sync, struct pb_err *e)
{
	const char *p = data;
	size_t off = 0;
	ssize_t n;
	int fd, rc = -1;

	fd = openat(dfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
	    O_CLOEXEC, 0600);
	if (fd == -1)
		return pb_fail(e, "create \"%s\": %s", name, strerror(errno));
	while (off < len) {
		if ((n = write(fd, p + off, len - off)) <= 0) {
			pb_fail(e, "write \"%s\": %s", name, strerror(errno));
			goto out;
		}
		off += (size_t)n;
	}
	/* umask must not decide what a TFTP or NFS server may read. */
	if (fchmod(fd, mode) == -1 || (sync && fsync(fd) == -1)) {
		pb_fail(e, "write \"%s\": %s", name, strerror(errno));
		goto out;
	}
	rc = 0;
out:
	close(fd);
	if (rc == -1)
		unlinkat(dfd, name, 0);
	return rc;
}

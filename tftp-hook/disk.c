/* disk.c: the tree as a TFTP server serves it, for the linter
 * (check.c, boardcheck.c): resolve a request inside the root, and the
 * counted problem lines. */
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
void
problem(struct disk *d, const char *fmt, ...)
{
	va_list ap;
	char buf[768];

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	printf("%s: %s\n", d->who, buf);
	(*d->problems)++;
}

/* Resolve req inside the root the way a TFTP server reads it, but
 * refusing what only dnsmasq would do: follow a link out of the root.
 * Returns an open fd of the file, or -1 (not served). */
int
resolve(struct disk *d, const char *req)
{
	char cur[PATH_MAX] = "", rest[PATH_MAX], comp[NAME_MAX + 1], link[PATH_MAX];
	char tmp[PATH_MAX * 2];
	struct stat st;
	const char *p;
	size_t n;
	ssize_t ln;
	int hops = 0, fd;

	if (strstr(req, "..") != NULL)
		return -1;	/* dnsmasq refuses, tftp-hpa chroots */
	if (d->base[0] != '\0')
		snprintf(cur, sizeof(cur), "%s", d->base);
	snprintf(rest, sizeof(rest), "%s", req);
	while (rest[0] != '\0') {
		p = strchr(rest, '/');
		n = p ? (size_t)(p - rest) : strlen(rest);
		if (n > NAME_MAX)
			return -1;
		memcpy(comp, rest, n);
		comp[n] = '\0';
		memmove(rest, p ? p + 1 : rest + n, strlen(p ? p + 1 : rest + n) + 1);
		if (n == 0 || strcmp(comp, ".") == 0)
			continue;
		if (strcmp(comp, "..") == 0) {
			char *s = strrchr(cur, '/');

			if (cur[0] == '\0') {
				problem(d, "\"%s\": a link leads out of the root", req);
				return -1;
			}
			if (s != NULL)
				*s = '\0';
			else
				cur[0] = '\0';
			continue;
		}
		snprintf(tmp, sizeof(tmp), "%s%s%s", cur, cur[0] ? "/" : "", comp);
		if (fstatat(d->rootfd, tmp, &st, AT_SYMLINK_NOFOLLOW) == -1)
			return -1;
		if (S_ISLNK(st.st_mode)) {
			if (++hops > 40 ||
			    (ln = readlinkat(d->rootfd, tmp, link, sizeof(link) - 1)) < 0) {
				problem(d, "\"%s\": link loop or unreadable link", req);
				return -1;
			}
			link[ln] = '\0';
			if (link[0] == '/') {
				problem(d, "\"%s\": link \"%s\" is absolute: dnsmasq "
				    "would serve it from outside the root", tmp, link);
				return -1;
			}
			snprintf(tmp, sizeof(tmp), "%s%s%s", link, rest[0] ? "/" : "", rest);
			if (strlen(tmp) >= sizeof(rest))
				return -1;
			memcpy(rest, tmp, strlen(tmp) + 1);
			continue;
		}
		if (strlen(tmp) >= sizeof(cur))
			return -1;
		memcpy(cur, tmp, strlen(tmp) + 1);
	}
	if ((fd = openat(d->rootfd, cur[0] ? cur : ".", O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		close(fd);
		return -1;
	}
	/* dnsmasq as root serves only world-readable files. */
	if (!(st.st_mode & S_IROTH))
		problem(d, "\"%s\" is not world-readable: TFTP servers refuse it",
		    req);
	return fd;
}

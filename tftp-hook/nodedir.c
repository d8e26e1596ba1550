/* nodedir.c: the only code that writes <nfsroot>/nodes/.
 *
 * A node's directory is built complete under ".<serial>.tmp.XXXXXX"
 * and renamed into place; it is removed by a rename to
 * ".<serial>.old.XXXXXX" first, so the node's path shows the whole
 * directory or none.  Inside it, a file that follows the database
 * (hostname, fstab) is replaced by a rename in its own directory.
 *
 * The node mounts its directory read-write over NFS as root, so its
 * contents are untrusted: every open is relative to the directory's fd
 * with O_NOFOLLOW, files are checked regular and read with a bound,
 * and a directory without our mark (NODEDIR_MARK) is never changed. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "core/ident.h"
#include "log.h"
#include "nodedir.h"
#include "rmtree.h"
#include "sshkey.h"
#include "tmpname.h"
#include "wfile.h"

/* A node may write anything under its directory: removal goes this
 * deep, then gives up (the directory is out of sight by then). */
#define NODE_DEPTH 64
#define HOSTKEY "etc/ssh/ssh_host_ed25519_key"
#define FILE_MAX 4096

/* Is this one of our temporaries (".<serial>.tmp.XXXXXX", ".old.")? */
static int
is_leftover(const char *n)
{
	struct pb_serial s;
	char base[9];

	if (strlen(n) != 1 + 8 + 5 + 6 || n[0] != '.' ||
	    (strncmp(n + 9, ".tmp.", 5) != 0 && strncmp(n + 9, ".old.", 5) != 0))
		return 0;
	memcpy(base, n + 1, 8);
	base[8] = '\0';
	return pb_serial_parse(&s, base, NULL) == 0;
}

int
nodedir_open(struct nodedir *nd, const char *root, int fsync,
    struct pb_err *e)
{
	struct pb_err e2;
	struct dirent *de;
	DIR *d;
	int fd;

	memset(nd, 0, sizeof(*nd));
	nd->root = root;
	nd->fsync = fsync;
	nd->rootfd = nd->nodesfd = -1;
	if (sodium_init() == -1)
		return pb_fail(e, "nfs: libsodium cannot initialise");
	if ((nd->rootfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		return pb_fail(e, "nfs root \"%s\": %s", root, strerror(errno));
	if (mkdirat(nd->rootfd, "nodes", 0755) == -1 && errno != EEXIST)
		return pb_fail(e, "mkdir \"%s/nodes\": %s", root, strerror(errno));
	nd->nodesfd = openat(nd->rootfd, "nodes", O_RDONLY | O_DIRECTORY |
	    O_NOFOLLOW | O_CLOEXEC);
	if (nd->nodesfd == -1)
		return pb_fail(e, "nfs root \"%s/nodes\": %s", root,
		    strerror(errno));
	if ((fd = dup(nd->nodesfd)) == -1 || (d = fdopendir(fd)) == NULL) {
		if (fd != -1)
			close(fd);
		return pb_fail(e, "nfs root \"%s/nodes\": %s", root,
		    strerror(errno));
	}
	while ((de = readdir(d)) != NULL) {
		if (!is_leftover(de->d_name))
			continue;
		hook_log("nfs: removing \"nodes/%s\" left by an interrupted run",
		    de->d_name);
		if (rm_tree_at(nd->nodesfd, de->d_name, NODE_DEPTH, &e2) == -1)
			hook_log("nfs: %s", e2.msg);
	}
	closedir(d);
	return 0;
}

void
nodedir_close(struct nodedir *nd)
{
	if (nd->nodesfd != -1)
		close(nd->nodesfd);
	if (nd->rootfd != -1)
		close(nd->rootfd);
	nd->nodesfd = nd->rootfd = -1;
}

static int
write_new(int dfd, const char *name, const char *data, size_t len, int mode,
    int sync, struct pb_err *e)
{
	return wfile_create_at(dfd, name, data, len, (mode_t)mode, sync, e);
}

/* Read dfd/name, a regular file of at most FILE_MAX bytes, into buf
 * (NUL-terminated); its length, or -1 (missing, not regular, too big). */
static ssize_t
read_small(int dfd, const char *name, char *buf, size_t size)
{
	struct stat st;
	ssize_t n;
	int fd;

	if ((fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK |
	    O_CLOEXEC)) == -1)
		return -1;
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode) ||
	    (size_t)st.st_size >= size) {
		close(fd);
		return -1;
	}
	n = read(fd, buf, size - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	return n;
}

static void
render_hostname(const struct node_ident *ni, char *buf, size_t size)
{
	snprintf(buf, size, "%s\n", ni->hostname);
}

static void
render_fstab(const struct node_ident *ni, char *buf, size_t size)
{
	snprintf(buf, size,
	    "# /etc/fstab of node %s, from pureboot-tftp-hook "
	    "(docs/diskless.md).\n"
	    "# No local root: / is the overlay that the deploy environment "
	    "assembles\n"
	    "# over NFS before switch_root, and /var/lib/rancher is bound "
	    "from its\n"
	    "# upper file system; neither is mounted from here.\n",
	    ni->serial);
}

static void
render_mark(const struct node_ident *ni, char *buf, size_t size)
{
	snprintf(buf, size, "node %s\nepoch %lld\n", ni->id, ni->epoch);
}

/* The mark's node id and epoch; -1 when missing or not ours. */
static int
mark_read(int dfd, char id[37], long long *epoch)
{
	char buf[128], ep[24];
	struct pb_uuid u;
	char *end;

	if (read_small(dfd, NODEDIR_MARK, buf, sizeof(buf)) < 0 ||
	    sscanf(buf, "node %36s\nepoch %20s\n", id, ep) != 2 ||
	    pb_uuid_parse(&u, id, NULL) == -1 ||
	    strspn(ep, "0123456789") != strlen(ep) || ep[0] == '\0')
		return -1;
	*epoch = strtoll(ep, &end, 10);
	return 0;
}

/* A new identity in dfd: etc/hostname, etc/machine-id, etc/fstab, the
 * ssh host key pair, then the mark. */
static int
make_ident(int dfd, const struct node_ident *ni, struct pb_err *e)
{
	unsigned char mid[16], pk[crypto_sign_PUBLICKEYBYTES];
	unsigned char sk[crypto_sign_SECRETKEYBYTES];
	char buf[1024], priv[SSHKEY_TEXT_MAX], pub[SSHKEY_TEXT_MAX];
	char hex[33], comment[80];
	int rc = -1;

	if (mkdirat(dfd, "etc", 0755) == -1 ||
	    mkdirat(dfd, "etc/ssh", 0755) == -1) {
		pb_fail(e, "mkdir etc/ssh: %s", strerror(errno));
		goto out;
	}
	/* 128 random bits as systemd makes them (a v4 UUID's bits). */
	randombytes_buf(mid, sizeof(mid));
	mid[6] = (unsigned char)((mid[6] & 0x0f) | 0x40);
	mid[8] = (unsigned char)((mid[8] & 0x3f) | 0x80);
	sodium_bin2hex(hex, sizeof(hex), mid, sizeof(mid));
	snprintf(buf, sizeof(buf), "%s\n", hex);
	if (write_new(dfd, "etc/machine-id", buf, strlen(buf), 0444, 0, e) == -1)
		goto out;
	render_hostname(ni, buf, sizeof(buf));
	if (write_new(dfd, "etc/hostname", buf, strlen(buf), 0644, 0, e) == -1)
		goto out;
	render_fstab(ni, buf, sizeof(buf));
	if (write_new(dfd, "etc/fstab", buf, strlen(buf), 0644, 0, e) == -1)
		goto out;
	if (crypto_sign_keypair(pk, sk) != 0) {
		pb_fail(e, "ssh host key: libsodium made no key pair");
		goto out;
	}
	snprintf(comment, sizeof(comment), "root@%s", ni->hostname);
	if (sshkey_ed25519_text(pk, sk, randombytes_random(), comment, priv,
	    sizeof(priv), pub, sizeof(pub), e) == -1 ||
	    write_new(dfd, HOSTKEY, priv, strlen(priv), 0600, 0, e) == -1 ||
	    write_new(dfd, HOSTKEY ".pub", pub, strlen(pub), 0644, 0, e) == -1)
		goto out;
	render_mark(ni, buf, sizeof(buf));
	if (write_new(dfd, NODEDIR_MARK, buf, strlen(buf), 0644, 0, e) == -1)
		goto out;
	rc = 0;
out:
	sodium_memzero(sk, sizeof(sk));
	sodium_memzero(priv, sizeof(priv));
	return rc;
}

/* A new directory for the node, complete before it has its name. */
static int
make_dir(struct nodedir *nd, const struct node_ident *ni, struct pb_err *e)
{
	struct pb_err e2;
	char tmp[32];
	int dfd = -1, tries, rc = -1;

	for (tries = 0; ; tries++) {
		tree_tmpname(tmp, sizeof(tmp), ni->serial, "tmp");
		if (mkdirat(nd->nodesfd, tmp, 0700) == 0)
			break;
		if (errno != EEXIST || tries > 10)
			return pb_fail(e, "mkdir \"nodes/%s\": %s", tmp,
			    strerror(errno));
	}
	/* 0700: upper.ext4 is the node's whole disk; the NFS server (root)
	 * and the hook read it, nobody else on this host. */
	if (fchmodat(nd->nodesfd, tmp, 0700, 0) == -1 ||
	    (dfd = openat(nd->nodesfd, tmp, O_RDONLY | O_DIRECTORY |
	    O_NOFOLLOW | O_CLOEXEC)) == -1) {
		pb_fail(e, "open \"nodes/%s\": %s", tmp, strerror(errno));
		goto out;
	}
	if (make_ident(dfd, ni, e) == -1)
		goto out;
	if (nd->fsync && syncfs(dfd) == -1) {
		pb_fail(e, "syncfs \"nodes/%s\": %s", tmp, strerror(errno));
		goto out;
	}
	if (renameat2(nd->nodesfd, tmp, nd->nodesfd, ni->serial,
	    RENAME_NOREPLACE) == -1) {
		pb_fail(e, "rename \"nodes/%s\" to \"nodes/%s\": %s", tmp,
		    ni->serial, strerror(errno));
		goto out;
	}
	tmp[0] = '\0';
	if (nd->fsync && fsync(nd->nodesfd) == -1) {
		pb_fail(e, "fsync \"%s/nodes\": %s", nd->root, strerror(errno));
		goto out;
	}
	nd->made++;
	rc = 1;
out:
	if (dfd != -1)
		close(dfd);
	if (tmp[0] != '\0' && rm_tree_at(nd->nodesfd, tmp, NODE_DEPTH, &e2) == -1)
		hook_log("nfs: %s", e2.msg);
	return rc;
}

/* etc/NAME as the database says (a temporary name, then a rename in
 * etc/); 1 rewritten, 0 already so. */
static int
keep_file(int etcfd, const char *serial, const char *name, const char *want,
    struct pb_err *e)
{
	char buf[FILE_MAX], tmp[48];
	ssize_t n = read_small(etcfd, name, buf, sizeof(buf));

	if (n >= 0 && strcmp(buf, want) == 0)
		return 0;
	snprintf(tmp, sizeof(tmp), ".%s.tmp.%08x", name, randombytes_random());
	if (write_new(etcfd, tmp, want, strlen(want), 0644, 0, e) == -1)
		return -1;
	if (renameat(etcfd, tmp, etcfd, name) == -1) {
		pb_fail(e, "rename \"nodes/%s/etc/%s\": %s", serial, name,
		    strerror(errno));
		unlinkat(etcfd, tmp, 0);
		return -1;
	}
	return 1;
}

/* The directory exists and is this life's: its files that follow the
 * database, and a word when an identity file went missing. */
static int
update_dir(struct nodedir *nd, int dfd, const struct node_ident *ni,
    struct pb_err *e)
{
	static const char *const once[] = {
		"etc/machine-id", HOSTKEY, HOSTKEY ".pub", NULL,
	};
	const char *const *f;
	char buf[1024];
	struct stat st;
	int etcfd, a, b;

	if ((etcfd = openat(dfd, "etc", O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC)) == -1)
		return pb_fail(e, "nodes/%s/etc: %s: left alone", ni->serial,
		    strerror(errno));
	render_hostname(ni, buf, sizeof(buf));
	a = keep_file(etcfd, ni->serial, "hostname", buf, e);
	render_fstab(ni, buf, sizeof(buf));
	b = a == -1 ? -1 : keep_file(etcfd, ni->serial, "fstab", buf, e);
	close(etcfd);
	if (a == -1 || b == -1)
		return -1;
	if (a + b > 0)
		nd->updated++;
	for (f = once; *f != NULL; f++)
		if (fstatat(dfd, *f, &st, AT_SYMLINK_NOFOLLOW) == -1 ||
		    !S_ISREG(st.st_mode))
			hook_log("nfs: node %s: nodes/%s/%s is missing: an "
			    "identity is made only with the directory (remove "
			    "it, or reprovision the node, for a new one)",
			    ni->id, ni->serial, *f);
	return 0;
}

/* Out of sight in one rename, then taken apart. */
static int
remove_dir(struct nodedir *nd, const char *serial, struct pb_err *e)
{
	char old[32];

	tree_tmpname(old, sizeof(old), serial, "old");
	if (renameat2(nd->nodesfd, serial, nd->nodesfd, old,
	    RENAME_NOREPLACE) == -1)
		return pb_fail(e, "rename \"nodes/%s\" to \"nodes/%s\": %s",
		    serial, old, strerror(errno));
	nd->removed++;
	if (rm_tree_at(nd->nodesfd, old, NODE_DEPTH, e) == -1)
		return -1;
	return 0;
}

int
nodedir_put(struct nodedir *nd, const struct node_ident *ni,
    struct pb_err *e)
{
	struct stat st;
	long long epoch;
	char id[37];
	int dfd, rc;

	if (fstatat(nd->nodesfd, ni->serial, &st, AT_SYMLINK_NOFOLLOW) == -1) {
		if (errno != ENOENT)
			return pb_fail(e, "stat \"nodes/%s\": %s", ni->serial,
			    strerror(errno));
		return make_dir(nd, ni, e);
	}
	if ((dfd = openat(nd->nodesfd, ni->serial, O_RDONLY | O_DIRECTORY |
	    O_NOFOLLOW | O_CLOEXEC)) == -1)
		return pb_fail(e, "\"nodes/%s\" is not a directory: left alone",
		    ni->serial);
	if (mark_read(dfd, id, &epoch) == -1) {
		close(dfd);
		return pb_fail(e, "\"nodes/%s\" has no " NODEDIR_MARK ": not "
		    "made by pureboot-tftp-hook, left alone (remove it to let "
		    "the hook make the node's directory)", ni->serial);
	}
	if (strcmp(id, ni->id) == 0 && epoch == ni->epoch) {
		rc = update_dir(nd, dfd, ni, e);
		close(dfd);
		return rc;
	}
	close(dfd);
	/* The node was reprovisioned (or the serial is another node's
	 * now): nothing of the earlier life is kept. */
	hook_log("nfs: node %s: nodes/%s is of node %s, epoch %lld (now epoch "
	    "%lld): made again", ni->id, ni->serial, id, epoch, ni->epoch);
	if (remove_dir(nd, ni->serial, e) == -1)
		return -1;
	return make_dir(nd, ni, e);
}

int
nodedir_remove(struct nodedir *nd, const char *serial, const char *id,
    struct pb_err *e)
{
	long long epoch;
	char mid[37];
	int dfd, ours;

	if ((dfd = openat(nd->nodesfd, serial, O_RDONLY | O_DIRECTORY |
	    O_NOFOLLOW | O_CLOEXEC)) == -1)
		return 0;
	ours = mark_read(dfd, mid, &epoch) == 0 &&
	    (id == NULL || strcmp(mid, id) == 0);
	close(dfd);
	if (!ours)
		return 0;
	if (remove_dir(nd, serial, e) == -1)
		return -1;
	return 1;
}

int
nodedir_sweep(struct nodedir *nd, const struct strset *keep)
{
	struct pb_serial s;
	struct pb_err e;
	struct strset gone = { 0 };
	struct dirent *de;
	const char *name;
	size_t it = 0;
	DIR *d;
	int fd, errors = 0;

	if ((fd = dup(nd->nodesfd)) == -1 || (d = fdopendir(fd)) == NULL) {
		if (fd != -1)
			close(fd);
		hook_log("nfs: \"%s/nodes\": %s", nd->root, strerror(errno));
		return 1;
	}
	rewinddir(d);
	while ((de = readdir(d)) != NULL)
		if (pb_serial_parse(&s, de->d_name, NULL) == 0 &&
		    !strset_has(keep, de->d_name))
			strset_add(&gone, de->d_name);
	closedir(d);
	while ((name = strset_next(&gone, &it)) != NULL)
		if (nodedir_remove(nd, name, NULL, &e) == -1) {
			hook_log("nfs: %s", e.msg);
			errors++;
		}
	strset_free(&gone);
	return errors;
}

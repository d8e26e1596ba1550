/* nfs_import.c: pureboot nfs import: a root file system tree from a tar
 * archive into <nfsroot>/base/NAME, all or nothing.
 *
 * Each entry is checked first (pb_base_entry_check: no absolute path, no
 * "..", nothing through a symlink, no device or set-id file unless
 * asked, hard links only to earlier entries, no more data than there is
 * room for), then extracted by libarchive with its own secure flags as
 * a second line, into .NAME.tmp-XXXXXX beside the bases.  The finished
 * tree is synced and renamed into place; a base that is there already
 * is swapped out in one renameat2(RENAME_EXCHANGE) and removed.  On any
 * refusal, error or signal the temporary tree is removed. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>

#include "core/nfsbase.h"
#include "groups.h"
#include "nfs.h"

static const char where[] = "pureboot nfs import";

const char nfs_import_usage[] =
    "usage: pureboot nfs import [-d CONNINFO] [--nfs-root DIR] [--force]\n"
    "           [--allow-devices] [--allow-setid] NAME FILE.tar[.gz|.xz|.zst]\n"
    "  extract FILE into DIR/base/NAME, all or nothing\n"
    "  --force          replace a base that nodes use\n"
    "  --allow-devices  import device nodes and FIFOs\n"
    "  --allow-setid    import set-uid/set-gid files and file capabilities\n"
    "  --nfs-root       default: $PUREBOOT_NFS_ROOT, else " NFS_ROOT_DEFAULT
    "\n"
    "  -d               libpq connection string (default: $PUREBOOT_DB)\n";

/* Owners are numeric (no name lookup: the base's /etc/passwd is not
 * the server's).  No FFLAGS: an immutable or append-only flag from an
 * archive would stop the removal of a refused tree, and an NFS client
 * never sees those flags. */
#define EXTRACT_FLAGS (ARCHIVE_EXTRACT_OWNER | ARCHIVE_EXTRACT_PERM | \
	ARCHIVE_EXTRACT_TIME | ARCHIVE_EXTRACT_XATTR | ARCHIVE_EXTRACT_ACL | \
	ARCHIVE_EXTRACT_SPARSE | ARCHIVE_EXTRACT_SECURE_NODOTDOT | \
	ARCHIVE_EXTRACT_SECURE_SYMLINKS | \
	ARCHIVE_EXTRACT_SECURE_NOABSOLUTEPATHS)

static volatile sig_atomic_t stop;

static void
on_signal(int sig)
{
	stop = sig;
}

struct imp {
	struct pb_base_name name;
	const char *file;
	struct pb_base_rules rules;
	char dir[4096];		/* <nfsroot>/base */
	char tmp[4200];		/* dir/.NAME.tmp-XXXXXX */
	int dirfd, tmpfd, cwdfd;
	int64_t entries, bytes;
	/* The archive's "./" entry: applied to the tree's root at the end. */
	int have_root;
	mode_t root_perm;
	int64_t root_uid, root_gid;
	struct timespec root_mtime;
};

static enum pb_base_kind
lookup(void *ctx, const char *rel)
{
	const struct imp *im = ctx;
	struct stat st;

	if (fstatat(im->tmpfd, rel, &st, AT_SYMLINK_NOFOLLOW) == -1)
		return PB_BASE_NONE;
	if (S_ISLNK(st.st_mode))
		return PB_BASE_SYMLINK;
	return S_ISDIR(st.st_mode) ? PB_BASE_DIR : PB_BASE_OTHER;
}

/* The data bytes en claims: its sparse map's regions, else its size. */
static int64_t
data_of(struct archive_entry *en)
{
	la_int64_t off, len;
	int64_t sum = 0;

	if (archive_entry_sparse_reset(en) <= 0)
		return archive_entry_size_is_set(en) ? archive_entry_size(en) :
		    0;
	while (archive_entry_sparse_next(en, &off, &len) == ARCHIVE_OK) {
		if (len < 0 || sum > INT64_MAX - len)
			return -1;
		sum += len;
	}
	return sum;
}

/* The checker's view of en's header, xattrs included. */
static void
describe(struct archive_entry *en, struct pb_base_entry *d)
{
	const char *name;
	const void *val;
	size_t sz;

	memset(d, 0, sizeof(*d));
	d->path = archive_entry_pathname(en);
	if (d->path == NULL)
		d->path = "";
	d->hardlink = archive_entry_hardlink(en);
	d->type = archive_entry_filetype(en);
	d->perm = archive_entry_perm(en) & 07777;
	d->data = data_of(en);
	archive_entry_xattr_reset(en);
	while (archive_entry_xattr_next(en, &name, &val, &sz) == ARCHIVE_OK) {
		switch (pb_base_xattr_class(name)) {
		case PB_XATTR_CAPS: d->has_caps = 1; break;
		case PB_XATTR_REFUSE:
			if (d->bad_xattr == NULL)
				d->bad_xattr = name;
			break;
		case PB_XATTR_KEEP: break;
		}
	}
}

static int
copy_data(struct imp *im, struct archive *a, struct archive *w,
    const char *path)
{
	const void *buf;
	size_t sz;
	la_int64_t off;
	int r;

	for (;;) {
		if (stop)
			return -1;
		r = archive_read_data_block(a, &buf, &sz, &off);
		if (r == ARCHIVE_EOF)
			return 0;
		if (r != ARCHIVE_OK) {
			fprintf(stderr, "%s: %s: entry \"%.200s\": %s\n", where,
			    im->file, path, archive_error_string(a));
			return -1;
		}
		if (archive_write_data_block(w, buf, sz, off) != ARCHIVE_OK) {
			fprintf(stderr, "%s: entry \"%.200s\": %s\n", where,
			    path, archive_error_string(w));
			return -1;
		}
		im->bytes += (int64_t)sz;
	}
}

/* One entry, checked and written; 1 at the end of the archive. */
static int
one(struct imp *im, struct archive *a, struct archive *w)
{
	static char norm[PB_BASE_PATH_MAX + 1], normlink[PB_BASE_PATH_MAX + 1];
	struct archive_entry *en;
	struct pb_base_entry d;
	struct pb_err e;
	int r;

	r = archive_read_next_header(a, &en);
	if (r == ARCHIVE_EOF)
		return 1;
	if (r != ARCHIVE_OK) {
		fprintf(stderr, "%s: %s: after %" PRId64 " entries: %s\n", where,
		    im->file, im->entries, archive_error_string(a));
		return -1;
	}
	describe(en, &d);
	if (pb_base_entry_check(&d, &im->rules, lookup, im, norm, normlink,
	    &e) == -1) {
		fprintf(stderr, "%s: %s: %s\n", where, im->file, e.msg);
		return -1;
	}
	im->rules.budget -= d.data;
	im->entries++;
	if (norm[0] == '\0') {
		im->have_root = 1;
		im->root_perm = d.perm;
		im->root_uid = archive_entry_uid(en);
		im->root_gid = archive_entry_gid(en);
		im->root_mtime.tv_sec = archive_entry_mtime(en);
		im->root_mtime.tv_nsec = archive_entry_mtime_nsec(en);
		return 0;
	}
	archive_entry_copy_pathname(en, norm);
	if (d.hardlink != NULL)
		archive_entry_copy_hardlink(en, normlink);
	if (archive_write_header(w, en) != ARCHIVE_OK) {
		fprintf(stderr, "%s: entry \"%.200s\": %s\n", where, d.path,
		    archive_error_string(w));
		return -1;
	}
	if (copy_data(im, a, w, norm) == -1)
		return -1;
	if (archive_write_finish_entry(w) != ARCHIVE_OK) {
		fprintf(stderr, "%s: entry \"%.200s\": %s\n", where, d.path,
		    archive_error_string(w));
		return -1;
	}
	return 0;
}

/* The tree's root as the archive's "./" entry says (after the entries:
 * creating them changed its mtime). */
static int
fix_root(struct imp *im)
{
	struct timespec ts[2];

	if (!im->have_root)
		return 0;
	ts[0] = im->root_mtime;
	ts[1] = im->root_mtime;
	if ((geteuid() == 0 && fchown(im->tmpfd, (uid_t)im->root_uid,
	    (gid_t)im->root_gid) == -1) ||
	    fchmod(im->tmpfd, im->root_perm) == -1 ||
	    futimens(im->tmpfd, ts) == -1) {
		fprintf(stderr, "%s: \"%s\": %s\n", where, im->tmp,
		    strerror(errno));
		return -1;
	}
	return 0;
}

/* The budget: the free space where the tree goes, and for an
 * uncompressed archive its own size (its data cannot be larger). */
static int
set_budget(struct imp *im, struct archive *a, int64_t fsize)
{
	static char what[4200];
	struct statvfs vfs;

	if (fstatvfs(im->dirfd, &vfs) == -1) {
		fprintf(stderr, "%s: statvfs \"%s\": %s\n", where, im->dir,
		    strerror(errno));
		return -1;
	}
	im->rules.budget = (int64_t)vfs.f_bavail * (int64_t)vfs.f_frsize;
	snprintf(what, sizeof(what), "the free space of %s", im->dir);
	if (archive_filter_count(a) == 1 && fsize < im->rules.budget) {
		im->rules.budget = fsize;
		snprintf(what, sizeof(what), "the size of %s (not compressed)",
		    im->file);
	}
	im->rules.budget_what = what;
	return 0;
}

static int
extract(struct imp *im)
{
	struct archive *a = NULL, *w = NULL;
	struct stat st;
	int r, rc = -1, in = 0;

	if ((a = archive_read_new()) == NULL ||
	    (w = archive_write_disk_new()) == NULL) {
		fprintf(stderr, "%s: out of memory\n", where);
		goto out;
	}
	archive_read_support_format_tar(a);
	archive_read_support_filter_gzip(a);
	archive_read_support_filter_xz(a);
	archive_read_support_filter_zstd(a);
	archive_write_disk_set_options(w, EXTRACT_FLAGS);
	errno = 0;
	if (stat(im->file, &st) == -1 || !S_ISREG(st.st_mode)) {
		fprintf(stderr, "%s: \"%s\": %s\n", where, im->file,
		    errno ? strerror(errno) : "not a regular file");
		goto out;
	}
	if (archive_read_open_filename(a, im->file, 1 << 16) != ARCHIVE_OK) {
		fprintf(stderr, "%s: %s: %s\n", where, im->file,
		    archive_error_string(a));
		goto out;
	}
	if (set_budget(im, a, (int64_t)st.st_size) == -1)
		goto out;
	/* libarchive writes relative names (its secure flags refuse
	 * absolute ones) and fixes directory modes at close, so it works
	 * inside the tree until then. */
	if (fchdir(im->tmpfd) == -1) {
		fprintf(stderr, "%s: chdir \"%s\": %s\n", where, im->tmp,
		    strerror(errno));
		goto out;
	}
	in = 1;
	while ((r = one(im, a, w)) == 0)
		if (stop)
			break;
	if (r == -1 || stop)
		goto out;
	if (archive_write_close(w) != ARCHIVE_OK) {
		fprintf(stderr, "%s: %s\n", where, archive_error_string(w));
		goto out;
	}
	if (fix_root(im) == -1)
		goto out;
	rc = 0;
out:
	if (stop)
		fprintf(stderr, "%s: interrupted by signal %d\n", where,
		    (int)stop);
	if (in && fchdir(im->cwdfd) == -1) {
		fprintf(stderr, "%s: chdir back: %s\n", where, strerror(errno));
		rc = -1;
	}
	archive_write_free(w);
	archive_read_free(a);
	return rc;
}

/* The new tree in place of NAME; the old one (if any) removed. */
static int
install(struct imp *im)
{
	char final[4200], aside[sizeof(im->tmp)];
	const char *tmpname = strrchr(im->tmp, '/') + 1;

	snprintf(final, sizeof(final), "%s/%s", im->dir, im->name.s);
	/* Nothing partial reaches the disk's view of NAME: the whole file
	 * system is synced once, not each of the tree's files. */
	if (syncfs(im->tmpfd) == -1) {
		fprintf(stderr, "%s: syncfs \"%s\": %s\n", where, im->tmp,
		    strerror(errno));
		return -1;
	}
	if (renameat2(im->dirfd, tmpname, im->dirfd, im->name.s,
	    RENAME_NOREPLACE) == 0)
		goto synced;
	if (errno != EEXIST) {
		fprintf(stderr, "%s: rename \"%s\" to \"%s\": %s\n", where,
		    im->tmp, final, strerror(errno));
		return -1;
	}
	if (renameat2(im->dirfd, tmpname, im->dirfd, im->name.s,
	    RENAME_EXCHANGE) == -1) {
		if (errno != EINVAL) {
			fprintf(stderr, "%s: exchange \"%s\" and \"%s\": %s\n",
			    where, im->tmp, final, strerror(errno));
			return -1;
		}
		/* A file system without RENAME_EXCHANGE: NAME is missing
		 * between the two renames, never half there. */
		snprintf(aside, sizeof(aside), "%s", im->tmp);
		memcpy(strrchr(aside, '/') + 2 + strlen(im->name.s), ".old-", 5);
		if (rename(final, aside) == -1 || rename(im->tmp, final) == -1) {
			fprintf(stderr, "%s: replace \"%s\": %s\n", where, final,
			    strerror(errno));
			return -1;
		}
		memcpy(im->tmp, aside, sizeof(im->tmp));
	}
synced:
	if (fsync(im->dirfd) == -1) {
		fprintf(stderr, "%s: fsync \"%s\": %s\n", where, im->dir,
		    strerror(errno));
		return -1;
	}
	return 0;
}

static int
parse(struct imp *im, int argc, char **argv, const struct cmd *self,
    const char **conninfo, const char **root, int *force)
{
	static const struct option longopts[] = {
		{ "force", no_argument, NULL, 'f' },
		{ "allow-devices", no_argument, NULL, 'D' },
		{ "allow-setid", no_argument, NULL, 'S' },
		{ "nfs-root", required_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 },
	};
	struct pb_err e;
	int ch;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "d:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'd': *conninfo = optarg; break;
		case 'f': *force = 1; break;
		case 'D': im->rules.allow_devices = 1; break;
		case 'S': im->rules.allow_setid = 1; break;
		case 'r': *root = optarg; break;
		default: return cmd_usage(self);
		}
	}
	if (argc - optind != 2)
		return cmd_usage(self);
	if (pb_base_name_parse(&im->name, argv[optind], &e) == -1) {
		fprintf(stderr, "%s: %s\n", where, e.msg);
		return CMD_FAIL;
	}
	im->file = argv[optind + 1];
	return CMD_OK;
}

/* NAME's users, when it exists: refused unless forced. */
static int
check_users(struct imp *im, const char *conninfo, int force)
{
	struct nfs_usage u;
	struct stat st;
	PGconn *c;
	char who[512];
	size_t n;
	int rc;

	/* Import must know: no database, no import. */
	if ((c = cmd_connect(cmd_conninfo(conninfo), where)) == NULL)
		return -1;
	rc = nfs_usage_load(c, &u, where);
	PQfinish(c);
	if (rc == -1)
		return -1;
	n = nfs_usage_of(&u, im->name.s, who, sizeof(who));
	nfs_usage_free(&u);
	if (n == 0 || fstatat(im->dirfd, im->name.s, &st,
	    AT_SYMLINK_NOFOLLOW) == -1)
		return 0;
	if (!force) {
		fprintf(stderr, "%s: base \"%s\" is used by %zu node%s (%s): "
		    "--force replaces it under them\n", where, im->name.s, n,
		    n == 1 ? "" : "s", who);
		return -1;
	}
	fprintf(stderr, "%s: warning: replacing base \"%s\" used by %zu "
	    "node%s (%s)\n", where, im->name.s, n, n == 1 ? "" : "s", who);
	return 0;
}

static int
run(struct imp *im, const char *root, const char *conninfo, int force)
{
	struct timespec t0, t1;
	double s;
	int made = 0, rc = CMD_FAIL;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (nfs_base_dir(root, 1, im->dir, sizeof(im->dir), where) == -1)
		return CMD_FAIL;
	if ((im->dirfd = open(im->dir, O_RDONLY | O_DIRECTORY)) == -1 ||
	    (im->cwdfd = open(".", O_PATH | O_DIRECTORY)) == -1) {
		fprintf(stderr, "%s: open \"%s\": %s\n", where, im->dir,
		    strerror(errno));
		goto out;
	}
	if (flock(im->dirfd, LOCK_EX | LOCK_NB) == -1) {
		fprintf(stderr, "%s: \"%s\": another pureboot nfs import or "
		    "remove is running there (%s)\n", where, im->dir,
		    strerror(errno));
		goto out;
	}
	if (check_users(im, conninfo, force) == -1)
		goto out;
	snprintf(im->tmp, sizeof(im->tmp), "%s/.%s.tmp-XXXXXX", im->dir,
	    im->name.s);
	if (mkdtemp(im->tmp) == NULL) {
		fprintf(stderr, "%s: mkdtemp \"%s\": %s\n", where, im->tmp,
		    strerror(errno));
		goto out;
	}
	made = 1;
	if ((im->tmpfd = open(im->tmp, O_RDONLY | O_DIRECTORY)) == -1 ||
	    fchmod(im->tmpfd, 0755) == -1) {
		fprintf(stderr, "%s: \"%s\": %s\n", where, im->tmp,
		    strerror(errno));
		goto out;
	}
	if (extract(im) == -1 || install(im) == -1)
		goto out;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec -
	    t0.tv_nsec) / 1e9;
	printf("imported base \"%s\" into %s/%s: %" PRId64 " entries, %"
	    PRId64 " bytes of data in %.2f s (%.1f MB/s)\n", im->name.s,
	    im->dir, im->name.s, im->entries, im->bytes, s,
	    s > 0 ? (double)im->bytes / s / 1e6 : 0.0);
	rc = CMD_OK;
	/* im->tmp now names the old tree, or nothing. */
	if (access(im->tmp, F_OK) == -1)
		made = 0;
out:
	if (made && nfs_tree_remove(im->tmp, where) == -1)
		rc = CMD_FAIL;
	if (im->tmpfd != -1)
		close(im->tmpfd);
	if (im->cwdfd != -1)
		close(im->cwdfd);
	if (im->dirfd != -1)
		close(im->dirfd);
	return rc;
}

int
nfs_cmd_import(int argc, char **argv, const struct cmd *self)
{
	struct sigaction sa, old[3];
	static const int sigs[3] = { SIGINT, SIGTERM, SIGHUP };
	const char *conninfo = NULL, *root = NULL;
	struct imp *im;
	int i, force = 0, rc;

	if ((im = calloc(1, sizeof(*im))) == NULL) {
		fprintf(stderr, "%s: out of memory\n", where);
		return CMD_FAIL;
	}
	im->dirfd = im->tmpfd = im->cwdfd = -1;
	if ((rc = parse(im, argc, argv, self, &conninfo, &root, &force)) !=
	    CMD_OK)
		goto out;
	/* A signal stops the import between two blocks, so that the
	 * temporary tree is still removed. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < 3; i++)
		sigaction(sigs[i], &sa, &old[i]);
	rc = run(im, nfs_root(root), conninfo, force);
	for (i = 0; i < 3; i++)
		sigaction(sigs[i], &old[i], NULL);
out:
	free(im);
	return rc;
}

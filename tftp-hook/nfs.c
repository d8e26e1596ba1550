/* nfs.c: the diskless nodes' side of a reconcile or of one node's
 * render (--nfs-root): each node's directory (nodedir.c), the exports
 * file (exports.c) with the server's reload when it changed, and the
 * move of a deprovisioned node to retired once its data is gone.
 * The order makes each step safe alone: a directory exists before its
 * export, an export is gone before its directory. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/chars.h"
#include "db.h"
#include "exports.h"
#include "hookctx.h"
#include "log.h"
#include "nfs.h"
#include "nfsplan.h"
#include "tmpname.h"
#include "wfile.h"

#define BASES_MAX 256
#define EXPORTS_FILE_MAX (64u << 20)

static void
plan_row(struct hookctx *h, PGresult *r, int i, struct nfs_plan *p)
{
	struct nfs_row row;

	db_nfs_row(r, i, &row);
	nfs_plan_node(h->nfs.root, h->env.server, &row, p);
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp((const char *)a, (const char *)b);
}

/* The base trees: <nfsroot>/base/<name>/, names as a workflow's
 * nfs_image may be (so "pureboot nfs import"'s temporaries, which
 * start with '.', are not exported), sorted. */
static size_t
list_bases(struct hookctx *h, char (*names)[129], size_t max)
{
	struct pb_err e;
	struct dirent *de;
	struct stat st;
	size_t n = 0;
	DIR *d;
	int fd;

	if ((fd = openat(h->nfs.nd.rootfd, "base", O_RDONLY | O_DIRECTORY |
	    O_NOFOLLOW | O_CLOEXEC)) == -1)
		return 0;
	if ((d = fdopendir(fd)) == NULL) {
		close(fd);
		return 0;
	}
	while ((de = readdir(d)) != NULL && n < max) {
		if (pb_check_filename("", de->d_name, &e) == -1 ||
		    fstatat(fd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) == -1 ||
		    !S_ISDIR(st.st_mode))
			continue;
		/* pb_check_filename: at most 128 bytes */
		memcpy(names[n++], de->d_name, strlen(de->d_name) + 1);
	}
	closedir(d);
	qsort(names, n, sizeof(names[0]), cmp_str);
	return n;
}

static int
cmp_export_path(const void *a, const void *b)
{
	const struct nfs_export *const *x = a, *const *y = b;

	return strcmp((*x)->path, (*y)->path);
}

/* ganesha's Export_Ids from the database: bound to their paths for
 * good (sql/033-nfs-nodes.sql). */
static int
export_ids(struct hookctx *h, struct nfs_export *x, size_t n, struct pb_err *e)
{
	struct nfs_export **by = NULL;
	struct pb_sbuf arr = { 0 };
	const char *vals[1];
	PGresult *r = NULL;
	size_t i, j = 0;
	int k, rc = -1;

	if (n == 0)
		return 0;
	if ((by = calloc(n, sizeof(*by))) == NULL ||
	    (arr.s = malloc(n * 260 + 3)) == NULL) {
		pb_fail(e, "nfs exports: out of memory");
		goto out;
	}
	/* Paths are of [A-Za-z0-9._/-] (checked as they were made): no
	 * quoting needed in the array literal. */
	arr.s[arr.len++] = '{';
	for (i = 0; i < n; i++) {
		by[i] = &x[i];
		arr.len += (size_t)sprintf(arr.s + arr.len, "%s\"%s\"", i ? "," : "",
		    x[i].path);
	}
	arr.s[arr.len++] = '}';
	arr.s[arr.len] = '\0';
	qsort(by, n, sizeof(*by), cmp_export_path);
	vals[0] = arr.s;
	r = PQexecParams(h->db, "SELECT o_path, o_export_id FROM "
	    "pureboot.hook_nfs_export_ids($1::text[]) ORDER BY o_path "
	    "COLLATE \"C\"", 1, NULL, vals, NULL, NULL, 0);
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		pb_fail(e, "database: nfs export ids: %s", PQerrorMessage(h->db));
		goto out;
	}
	for (k = 0; k < PQntuples(r) && j < n; k++) {
		while (j < n && strcmp(by[j]->path, PQgetvalue(r, k, 0)) < 0)
			j++;
		if (j < n && strcmp(by[j]->path, PQgetvalue(r, k, 0)) == 0)
			by[j++]->id = atoi(PQgetvalue(r, k, 1));
	}
	rc = 0;
out:
	PQclear(r);
	free(by);
	free(arr.s);
	return rc;
}

/* The exports of the bases and of res's nodes (ro to --nfs-clients,
 * rw to each node's known address); *n of them, malloc'd. */
static struct nfs_export *
exports_build(struct hookctx *h, PGresult *res, int verbose, size_t *n,
    struct pb_err *e)
{
	char (*bases)[129] = NULL;
	struct nfs_export *x = NULL;
	struct nfs_plan *p = NULL;
	size_t nb, i, k = 0;
	int r;

	if ((bases = calloc(BASES_MAX, sizeof(*bases))) == NULL ||
	    (p = malloc(sizeof(*p))) == NULL ||
	    (x = calloc(BASES_MAX + (size_t)PQntuples(res) + 1,
	    sizeof(*x))) == NULL) {
		pb_fail(e, "nfs exports: out of memory");
		free(x);
		x = NULL;
		goto out;
	}
	nb = list_bases(h, bases, BASES_MAX);
	for (i = 0; i < nb; i++) {
		/* A path cut short would export another directory. */
		if ((size_t)snprintf(x[k].path, sizeof(x[k].path), "%s/base/%s",
		    h->nfs.root, bases[i]) >= sizeof(x[k].path)) {
			hook_log("nfs: base \"%.40s\": its path is longer than %zu "
			    "characters: not exported", bases[i],
			    sizeof(x[k].path) - 1);
			continue;
		}
		snprintf(x[k].clients, sizeof(x[k].clients), "%s", h->nfs.clients);
		snprintf(x[k].what, sizeof(x[k].what), "base %.40s", bases[i]);
		k++;
	}
	strset_free(&h->nfs.exported);
	for (r = 0; r < PQntuples(res); r++) {
		plan_row(h, res, r, p);
		if (p->kind != NFS_NODE)
			continue;
		if (p->addr[0] == '\0') {
			if (verbose)
				hook_log("nfs: node %s: no known address yet: no "
				    "export for nodes/%s", p->ni.id, p->ni.serial);
			continue;
		}
		if ((size_t)snprintf(x[k].path, sizeof(x[k].path), "%s/nodes/%s",
		    h->nfs.root, p->ni.serial) >= sizeof(x[k].path))
			continue;	/* not with a root --nfs-root accepts */
		snprintf(x[k].clients, sizeof(x[k].clients), "%s", p->addr);
		snprintf(x[k].what, sizeof(x[k].what), "node %s", p->ni.serial);
		x[k++].rw = 1;
		strset_add(&h->nfs.exported, p->ni.id);
	}
	*n = k;
out:
	free(bases);
	free(p);
	return x;
}

/* 1 when path holds exactly t, else 0. */
static int
file_holds(const char *path, const struct pb_sbuf *t)
{
	struct stat st;
	char *buf;
	ssize_t n;
	int fd, same = 0;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return 0;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    (size_t)st.st_size == t->len && t->len < EXPORTS_FILE_MAX &&
	    (buf = malloc(t->len + 1)) != NULL) {
		n = read(fd, buf, t->len + 1);
		same = n == (ssize_t)t->len && memcmp(buf, t->s, t->len) == 0;
		free(buf);
	}
	close(fd);
	return same;
}

/* The exports file as t says: a temporary in its directory, fsync,
 * rename over; 1 written, 0 already so. */
static int
exports_write(const char *path, const struct pb_sbuf *t, int sync,
    struct pb_err *e)
{
	char tmp[4200], dir[4096], name[64];
	const char *slash = strrchr(path, '/');
	int dfd, rc = -1;

	if (file_holds(path, t))
		return 0;
	if (slash == NULL)
		snprintf(dir, sizeof(dir), ".");
	else if (slash == path)
		snprintf(dir, sizeof(dir), "/");
	else
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path), path);
	tree_tmpname(name, sizeof(name), "pureboot-exports", "tmp");
	snprintf(tmp, sizeof(tmp), "%s/%s", dir, name);
	if (wfile_create_at(AT_FDCWD, tmp, t->s, t->len, 0644, sync, e) == -1)
		return -1;
	if (rename(tmp, path) == -1) {
		pb_fail(e, "nfs exports: rename \"%s\" to \"%s\": %s", tmp, path,
		    strerror(errno));
		goto out;
	}
	tmp[0] = '\0';
	if (sync && (dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) != -1) {
		(void)fsync(dfd);
		close(dfd);
	}
	rc = 1;
out:
	if (tmp[0] != '\0')
		unlink(tmp);
	return rc;
}

/* --nfs-reload: the operator's command, run by /bin/sh with nothing
 * of the database in it. */
static int
run_reload(const char *cmd, struct pb_err *e)
{
	pid_t pid;
	int st;

	if ((pid = fork()) == -1)
		return pb_fail(e, "nfs reload: fork: %s", strerror(errno));
	if (pid == 0) {
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	while (waitpid(pid, &st, 0) == -1)
		if (errno != EINTR)
			return pb_fail(e, "nfs reload: wait: %s", strerror(errno));
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		return pb_fail(e, "nfs reload: \"%.200s\" ended with %s %d", cmd,
		    WIFEXITED(st) ? "status" : "signal",
		    WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st));
	return 0;
}

/* Render the exports from every NFS node; written and reloaded only
 * when they changed.  The number of errors (logged). */
static int
exports_update(struct hookctx *h, int verbose)
{
	struct nfs_export *x = NULL;
	struct pb_sbuf t = { 0 };
	PGresult *res = NULL;
	struct pb_err e;
	size_t n = 0;
	int w, errors = 1;

	if (h->nfs.exports == NULL)
		return 0;
	if ((res = db_nfs_nodes(h->db, NULL, &e)) == NULL ||
	    (x = exports_build(h, res, verbose, &n, &e)) == NULL ||
	    (h->nfs.format == EXPORTS_GANESHA && export_ids(h, x, n, &e) == -1) ||
	    exports_render(&t, h->nfs.format, x, n, &e) == -1 ||
	    (w = exports_write(h->nfs.exports, &t, h->tree.fsync, &e)) == -1) {
		hook_log("%s: the exports stay as they were", e.msg);
		goto out;
	}
	errors = 0;
	if (w == 1) {
		hook_log("nfs: %s: %zu exports written", h->nfs.exports, n);
		if (h->nfs.reload != NULL && run_reload(h->nfs.reload, &e) == -1) {
			hook_log("%s", e.msg);
			errors++;
		}
	}
out:
	free(t.s);
	free(x);
	PQclear(res);
	return errors;
}

/* A deprovisioning node whose directory is gone: to retired. */
static int
deprovisioned(struct hookctx *h, const struct nfs_plan *p)
{
	char path[300];
	const char *vals[2] = { p->ni.id, path };
	struct pb_err e;
	PGresult *r;
	int rc, err = 0;

	if ((rc = nodedir_remove(&h->nfs.nd, p->ni.serial, p->ni.id, &e)) == -1) {
		hook_log("nfs: node %s: %s: stays deprovisioning", p->ni.id, e.msg);
		return 1;
	}
	snprintf(path, sizeof(path), "%s/nodes/%s", h->nfs.root, p->ni.serial);
	r = PQexecParams(h->db, "SELECT pureboot.hook_deprovisioned($1::uuid, "
	    "$2)::text", 2, NULL, vals, NULL, NULL, 0);
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		hook_log("nfs: node %s: hook_deprovisioned: %s", p->ni.id,
		    PQerrorMessage(h->db));
		err = 1;
	} else
		hook_log("nfs: node %s: %s %s: now %s", p->ni.id, path,
		    rc == 1 ? "removed" : "is gone", PQgetvalue(r, 0, 0));
	PQclear(r);
	return err;
}

int
nfs_reconcile(struct hookctx *h)
{
	struct strset keep = { 0 };
	struct nfs_plan *p = NULL;
	PGresult *res = NULL;
	struct pb_err e;
	int i, rc, errors = 0;

	h->nfs.nd.made = h->nfs.nd.updated = h->nfs.nd.removed = 0;
	if ((res = db_nfs_nodes(h->db, NULL, &e)) == NULL ||
	    (p = calloc((size_t)PQntuples(res) + 1, sizeof(*p))) == NULL) {
		hook_log("%s", res == NULL ? e.msg : "nfs: out of memory");
		errors++;
		goto out;
	}
	for (i = 0; i < PQntuples(res); i++) {
		plan_row(h, res, i, &p[i]);
		switch (p[i].kind) {
		case NFS_SKIP:
			hook_log("nfs: node %s: %s: skipped, its directory stays "
			    "as it was", p[i].ni.id, p[i].why);
			break;
		case NFS_NODE:
			if ((rc = nodedir_put(&h->nfs.nd, &p[i].ni, &e)) == -1) {
				hook_log("nfs: node %s: %s", p[i].ni.id, e.msg);
				errors++;
			}
			break;
		case NFS_NONE:
		case NFS_DEPROV:
			continue;
		}
		if (p[i].ni.serial[0] != '\0')
			strset_add(&keep, p[i].ni.serial);
	}
	errors += exports_update(h, 1);
	errors += nodedir_sweep(&h->nfs.nd, &keep);
	for (i = 0; i < PQntuples(res); i++)
		if (p[i].kind == NFS_DEPROV)
			errors += deprovisioned(h, &p[i]);
	hook_log("nfs: %d nodes, %lu directories made, %lu updated, %lu "
	    "removed, %d errors", PQntuples(res), h->nfs.nd.made,
	    h->nfs.nd.updated, h->nfs.nd.removed, errors);
out:
	strset_free(&keep);
	free(p);
	PQclear(res);
	return errors;
}

int
nfs_render_one(struct hookctx *h, const char *id, const char *old_serial)
{
	struct nfs_plan *p = NULL;
	PGresult *res = NULL;
	struct pb_err e;
	int errors = 0, had;

	if ((p = malloc(sizeof(*p))) == NULL ||
	    (res = db_nfs_nodes(h->db, id, &e)) == NULL) {
		hook_log("%s", p == NULL ? "nfs: out of memory" : e.msg);
		errors++;
		goto out;
	}
	if (PQntuples(res) == 0) {
		memset(p, 0, sizeof(*p));
		snprintf(p->ni.id, sizeof(p->ni.id), "%s", id);
		p->kind = NFS_NONE;
	} else
		plan_row(h, res, 0, p);
	if (p->kind == NFS_SKIP)
		hook_log("nfs: node %s: %s: skipped, its directory stays as it "
		    "was", p->ni.id, p->why);
	if (p->kind == NFS_NODE && nodedir_put(&h->nfs.nd, &p->ni, &e) == -1) {
		hook_log("nfs: node %s: %s", p->ni.id, e.msg);
		errors++;
	}
	/* Only a node that is, or was, in the exports changes them. */
	had = strset_has(&h->nfs.exported, p->ni.id);
	if (p->kind == NFS_NODE || had)
		errors += exports_update(h, 0);
	/* A serial that changed leaves the old directory behind. */
	if (old_serial[0] != '\0' && strcmp(old_serial, p->ni.serial) != 0 &&
	    nodedir_remove(&h->nfs.nd, old_serial, p->ni.id, &e) == -1) {
		hook_log("nfs: node %s: %s", p->ni.id, e.msg);
		errors++;
	}
	if (p->kind == NFS_NONE && p->ni.serial[0] != '\0' &&
	    nodedir_remove(&h->nfs.nd, p->ni.serial, p->ni.id, &e) == -1) {
		hook_log("nfs: node %s: %s", p->ni.id, e.msg);
		errors++;
	}
	if (p->kind == NFS_DEPROV)
		errors += deprovisioned(h, p);
out:
	PQclear(res);
	free(p);
	return errors;
}

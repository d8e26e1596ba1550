/* nfs_cmd.c: pureboot nfs: the group's table, list and remove.  The
 * bases are the directories of <nfsroot>/base whose names are base
 * names; ".NAME.tmp-*" and the like are an import at work. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "groups.h"
#include "nfs.h"

struct opts {
	const char *conninfo, *root;
	int json, force;
};

static int
parse(struct opts *o, int argc, char **argv, const struct cmd *self,
    int nargs)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "force", no_argument, NULL, 'f' },
		{ "nfs-root", required_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 },
	};
	int ch;

	memset(o, 0, sizeof(*o));
	optind = 1;
	while ((ch = getopt_long(argc, argv, "d:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'd': o->conninfo = optarg; break;
		case 'j': o->json = 1; break;
		case 'f': o->force = 1; break;
		case 'r': o->root = optarg; break;
		default: return cmd_usage(self);
		}
	}
	if (argc - optind != nargs)
		return cmd_usage(self);
	/* Each command takes only its own options. */
	if ((o->json && nargs != 0) || (o->force && nargs != 1))
		return cmd_usage(self);
	return CMD_OK;
}

static const char list_usage[] =
    "usage: pureboot nfs list [-d CONNINFO] [--nfs-root DIR] [--json]\n"
    "  every base: its size on disk and the nodes that use it; without the\n"
    "  database the sizes, and usage unknown\n"
    "  --json  {\"nfs_root\", \"usage_known\", \"bases\": [{\"name\", "
    "\"bytes\",\n"
    "          \"nodes\", \"users\": [SERIAL or node id...]}]}; nodes and "
    "users\n"
    "          are null when usage is unknown\n"
    "  --nfs-root  default: $PUREBOOT_NFS_ROOT, else " NFS_ROOT_DEFAULT "\n"
    "  -d      libpq connection string (default: $PUREBOOT_DB)\n";

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The base names in dir, sorted; *n of them.  NULL with *n 0 is none or
 * an error (said). */
static char **
bases_new(const char *dir, size_t *n, int *err, const char *where)
{
	struct pb_base_name bn;
	struct dirent *de;
	struct stat st;
	char **v = NULL, **nv;
	DIR *d;

	*n = 0;
	*err = 0;
	if ((d = opendir(dir)) == NULL) {
		if (errno == ENOENT)
			return NULL;
		fprintf(stderr, "%s: \"%s\": %s\n", where, dir, strerror(errno));
		*err = 1;
		return NULL;
	}
	while ((de = readdir(d)) != NULL) {
		if (pb_base_name_parse(&bn, de->d_name, NULL) == -1)
			continue;
		/* Some file systems leave d_type unknown: ask them. */
		if (de->d_type == DT_UNKNOWN) {
			if (fstatat(dirfd(d), de->d_name, &st,
			    AT_SYMLINK_NOFOLLOW) == -1 || !S_ISDIR(st.st_mode))
				continue;
		} else if (de->d_type != DT_DIR)
			continue;
		if ((nv = realloc(v, (*n + 1) * sizeof(*v))) == NULL ||
		    (nv[*n] = strdup(de->d_name)) == NULL) {
			fprintf(stderr, "%s: out of memory\n", where);
			*err = 1;
			if (nv != NULL)
				v = nv;
			break;
		}
		v = nv;
		(*n)++;
	}
	closedir(d);
	if (*n > 1)
		qsort(v, *n, sizeof(*v), name_cmp);
	return v;
}

static void
bases_free(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static int
cmd_list(int argc, char **argv, const struct cmd *self)
{
	static const char where[] = "pureboot nfs list";
	char dir[4096], path[4200], who[4096];
	struct nfs_usage u = { NULL, 0 };
	json_t *root = NULL, *arr = NULL;
	char **v = NULL;
	PGconn *c;
	struct opts o;
	int64_t bytes;
	size_t i, n = 0, users;
	int rc, err, known = 0;

	if ((rc = parse(&o, argc, argv, self, 0)) != CMD_OK)
		return rc;
	rc = CMD_FAIL;
	/* No base directory yet: no bases. */
	if (nfs_base_dir(nfs_root(o.root), 0, dir, sizeof(dir), where) == -1 &&
	    errno != ENOENT)
		return CMD_FAIL;
	v = bases_new(dir, &n, &err, where);
	if (err)
		goto out;
	/* Sizes need no database: say what is unknown and go on. */
	if ((c = cmd_connect(cmd_conninfo(o.conninfo), where)) != NULL) {
		known = nfs_usage_load(c, &u, where) == 0;
		PQfinish(c);
	}
	if (!known)
		fprintf(stderr, "%s: node usage unknown (no database)\n", where);
	if (o.json) {
		root = json_pack("{s:s, s:b, s:[]}", "nfs_root", nfs_root(o.root),
		    "usage_known", known, "bases");
		arr = json_object_get(root, "bases");
	} else
		printf("%-32s %14s %5s  %s\n", "NAME", "BYTES", "NODES", "USED BY");
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, v[i]);
		if (nfs_tree_bytes(path, &bytes, where) == -1)
			goto out;
		users = known ? nfs_usage_of(&u, v[i], who, sizeof(who)) : 0;
		if (o.json)
			json_array_append_new(arr, json_pack("{s:s, s:I, s:o, "
			    "s:o}", "name", v[i], "bytes", (json_int_t)bytes,
			    "nodes", known ? json_integer((json_int_t)users) :
			    json_null(), "users", known ? nfs_usage_json(&u, v[i]) :
			    json_null()));
		else if (known)
			printf("%-32s %14" PRId64 " %5zu  %s\n", v[i], bytes,
			    users, users ? who : "-");
		else
			printf("%-32s %14" PRId64 " %5s  %s\n", v[i], bytes, "?",
			    "unknown");
	}
	if (o.json)
		cmd_print_json(root);
	rc = CMD_OK;
out:
	json_decref(root);
	nfs_usage_free(&u);
	bases_free(v, n);
	return rc;
}

static const char remove_usage[] =
    "usage: pureboot nfs remove [-d CONNINFO] [--nfs-root DIR] [--force] "
    "NAME\n"
    "  remove DIR/base/NAME; refused while nodes use it\n"
    "  --force     remove it under them\n"
    "  --nfs-root  default: $PUREBOOT_NFS_ROOT, else " NFS_ROOT_DEFAULT "\n"
    "  -d          libpq connection string (default: $PUREBOOT_DB)\n";

static int
cmd_remove(int argc, char **argv, const struct cmd *self)
{
	static const char where[] = "pureboot nfs remove";
	char dir[4096], final[4200], aside[4300], who[512];
	struct nfs_usage u = { NULL, 0 };
	struct pb_base_name name;
	struct pb_err e;
	struct stat st;
	struct opts o;
	PGconn *c;
	size_t users;
	int rc, loaded, dfd = -1;

	if ((rc = parse(&o, argc, argv, self, 1)) != CMD_OK)
		return rc;
	if (pb_base_name_parse(&name, argv[optind], &e) == -1) {
		fprintf(stderr, "%s: %s\n", where, e.msg);
		return CMD_FAIL;
	}
	rc = CMD_FAIL;
	if (nfs_base_dir(nfs_root(o.root), 0, dir, sizeof(dir), where) == -1) {
		if (errno == ENOENT)
			fprintf(stderr, "%s: no base \"%s\": no directory %s\n",
			    where, name.s, dir);
		return CMD_FAIL;
	}
	if ((dfd = open(dir, O_RDONLY | O_DIRECTORY)) == -1 ||
	    flock(dfd, LOCK_EX | LOCK_NB) == -1) {
		fprintf(stderr, "%s: \"%s\": %s\n", where, dir, errno ==
		    EWOULDBLOCK ? "another pureboot nfs import or remove is "
		    "running there" : strerror(errno));
		goto out;
	}
	snprintf(final, sizeof(final), "%s/%s", dir, name.s);
	if (lstat(final, &st) == -1 || !S_ISDIR(st.st_mode)) {
		fprintf(stderr, "%s: no base \"%s\" in %s\n", where, name.s, dir);
		goto out;
	}
	/* Remove must know who uses it: no database, no removal. */
	if ((c = cmd_connect(cmd_conninfo(o.conninfo), where)) == NULL)
		goto out;
	loaded = nfs_usage_load(c, &u, where);
	PQfinish(c);
	if (loaded == -1)
		goto out;
	if ((users = nfs_usage_of(&u, name.s, who, sizeof(who))) > 0) {
		if (!o.force) {
			fprintf(stderr, "%s: base \"%s\" is used by %zu node%s "
			    "(%s): --force removes it under them\n", where,
			    name.s, users, users == 1 ? "" : "s", who);
			goto out;
		}
		fprintf(stderr, "%s: warning: removing base \"%s\" used by %zu "
		    "node%s (%s)\n", where, name.s, users, users == 1 ? "" :
		    "s", who);
	}
	/* Gone from NAME at once, then removed at leisure. */
	snprintf(aside, sizeof(aside), "%s/.%s.rm-%ld", dir, name.s,
	    (long)getpid());
	if (rename(final, aside) == -1) {
		fprintf(stderr, "%s: rename \"%s\" to \"%s\": %s\n", where, final,
		    aside, strerror(errno));
		goto out;
	}
	if (fsync(dfd) == -1 || nfs_tree_remove(aside, where) == -1)
		goto out;
	printf("removed base \"%s\" from %s\n", name.s, dir);
	rc = CMD_OK;
out:
	nfs_usage_free(&u);
	if (dfd != -1)
		close(dfd);
	return rc;
}

static const struct cmd nfs[] = {
	{ "import", nfs_cmd_import, "a base tree from a tar archive, all or "
	  "nothing", nfs_import_usage },
	{ "list", cmd_list, "bases, their size and the nodes using them",
	  list_usage },
	{ "remove", cmd_remove, "remove a base no node uses", remove_usage },
	{ NULL, NULL, NULL, NULL },
};

int
nfs_main(int argc, char **argv, const struct cmd *self)
{
	(void)self;
	return cmd_dispatch(nfs, "pureboot nfs", argc, argv);
}

/* workflow_sync.c: pureboot workflow sync: a directory of workflow files into
 * pureboot.workflows, in one transaction.  Every file is loaded and
 * checked before the database is touched; one invalid file, a
 * duplicate id or any database error leaves the table as it was, so a
 * broken file on disk never breaks a working workflow. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "wf/workflow.h"
#include "groups.h"

#define MAX_FILES 1024

static const char where[] = "pureboot workflow sync";

const char wf_sync_usage[] =
    "usage: pureboot workflow sync [-n] [-p] [-d CONNINFO] [DIR]\n"
    "  load DIR (default: workflows) into pureboot.workflows in one\n"
    "  transaction: all files valid, or nothing changes\n"
    "  -d  libpq connection string (default: $PUREBOOT_DB, then libpq's "
    "defaults)\n"
    "  -n  check and show what would change, change nothing\n"
    "  -p  also remove workflows that no file defines\n";

struct wf_file {
	char *path;
	json_t *def;
};

static int
by_path(const void *a, const void *b)
{
	return strcmp(((const struct wf_file *)a)->path,
	    ((const struct wf_file *)b)->path);
}

static int
is_workflow_name(const char *n)
{
	size_t l = strlen(n);

	if (n[0] == '.')
		return 0;
	return (l > 5 && strcmp(n + l - 5, ".yaml") == 0) ||
	    (l > 4 && strcmp(n + l - 4, ".yml") == 0);
}

/* Every *.yaml / *.yml of dir, sorted; -1 if dir cannot be read. */
static int
list_dir(const char *dir, struct wf_file *files, size_t *n)
{
	struct dirent *de;
	DIR *d;
	size_t len;

	*n = 0;
	if ((d = opendir(dir)) == NULL) {
		fprintf(stderr, "%s: directory \"%s\": %m\n", where, dir);
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		if (!is_workflow_name(de->d_name))
			continue;
		if (*n == MAX_FILES) {
			fprintf(stderr, "%s: more than %d workflow files in "
			    "\"%s\"\n", where, MAX_FILES, dir);
			closedir(d);
			return -1;
		}
		len = strlen(dir) + strlen(de->d_name) + 2;
		if ((files[*n].path = malloc(len)) == NULL) {
			closedir(d);
			return -1;
		}
		snprintf(files[*n].path, len, "%s/%s", dir, de->d_name);
		files[*n].def = NULL;
		(*n)++;
	}
	closedir(d);
	qsort(files, *n, sizeof(files[0]), by_path);
	return 0;
}

static const char *
sval(const json_t *def, const char *key)
{
	return json_string_value(json_object_get(def, key));
}

/* Load and check every file; all errors printed; 0 if all are good. */
static int
load_all(struct wf_file *files, size_t n)
{
	struct pb_wf_diag d;
	size_t i, j;
	int bad = 0;

	for (i = 0; i < n; i++) {
		if ((files[i].def = pb_wf_load_file(files[i].path, &d)) ==
		    NULL) {
			pb_wf_diag_print(stderr, files[i].path, &d);
			bad = 1;
			continue;
		}
		for (j = 0; j < i; j++) {
			if (files[j].def == NULL || strcmp(sval(files[i].def,
			    "id"), sval(files[j].def, "id")) != 0)
				continue;
			fprintf(stderr, "%s: id: \"%s\" is also the id of %s\n",
			    files[i].path, sval(files[i].def, "id"),
			    files[j].path);
			bad = 1;
		}
	}
	return bad ? -1 : 0;
}

static int
exec_ok(PGconn *c, const char *sql)
{
	PGresult *r = PQexec(c, sql);
	int ok = PQresultStatus(r) == PGRES_COMMAND_OK;

	if (!ok)
		cmd_db_error(where, c, r);
	PQclear(r);
	return ok ? 0 : -1;
}

static const char upsert_sql[] =
    "INSERT INTO pureboot.workflows AS w (id, name, arch, definition) "
    "VALUES ($1, $2, $3, $4::jsonb) "
    "ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, "
    "arch = EXCLUDED.arch, definition = EXCLUDED.definition "
    "WHERE (w.name, w.arch, w.definition) IS DISTINCT FROM "
    "(EXCLUDED.name, EXCLUDED.arch, EXCLUDED.definition) "
    "RETURNING (xmax = 0)";

/* Remove the workflows no file defines; one still assigned to a node
 * fails the foreign key and with it the whole sync. */
static const char prune_sql[] =
    "DELETE FROM pureboot.workflows WHERE NOT (id = ANY ($1::text[])) "
    "RETURNING id";

static int
write_all(PGconn *c, struct wf_file *files, size_t n, int prune,
    int *added, int *updated, int *unchanged, int *removed)
{
	const char *vals[4];
	char *js = NULL, *ids = NULL;
	size_t i, idlen = 3;
	PGresult *r;
	int rc = -1, t;

	for (i = 0; i < n; i++) {
		if ((js = json_dumps(files[i].def, JSON_COMPACT)) == NULL)
			goto out;
		vals[0] = sval(files[i].def, "id");
		vals[1] = sval(files[i].def, "name");
		vals[2] = sval(files[i].def, "arch");
		vals[3] = js;
		r = PQexecParams(c, upsert_sql, 4, NULL, vals, NULL, NULL, 0);
		if (PQresultStatus(r) != PGRES_TUPLES_OK) {
			cmd_db_error(files[i].path, c, r);
			PQclear(r);
			goto out;
		}
		if (PQntuples(r) == 0) {
			(*unchanged)++;
			printf("unchanged %s\n", vals[0]);
		} else {
			t = strcmp(PQgetvalue(r, 0, 0), "t") == 0;
			*(t ? added : updated) += 1;
			printf("%s %s (%s)\n", t ? "added" : "updated", vals[0],
			    files[i].path);
		}
		PQclear(r);
		free(js);
		js = NULL;
		idlen += strlen(vals[0]) + 1;
	}
	if (!prune) {
		rc = 0;
		goto out;
	}
	/* ids are [a-z0-9-]: an array literal needs no quoting. */
	if ((ids = malloc(idlen)) == NULL)
		goto out;
	strcpy(ids, "{");
	for (i = 0; i < n; i++) {
		if (i > 0)
			strcat(ids, ",");
		strcat(ids, sval(files[i].def, "id"));
	}
	strcat(ids, "}");
	vals[0] = ids;
	r = PQexecParams(c, prune_sql, 1, NULL, vals, NULL, NULL, 0);
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		cmd_db_error("prune", c, r);
		PQclear(r);
		goto out;
	}
	for (t = 0; t < PQntuples(r); t++) {
		printf("removed %s\n", PQgetvalue(r, t, 0));
		(*removed)++;
	}
	PQclear(r);
	rc = 0;
out:
	free(js);
	free(ids);
	return rc;
}

int
wf_cmd_sync(int argc, char **argv, const struct cmd *self)
{
	struct wf_file *files = NULL;
	const char *conninfo = NULL, *dir = "workflows";
	PGconn *c = NULL;
	size_t n = 0, i;
	int ch, dry = 0, prune = 0, rc = CMD_FAIL;
	int added = 0, updated = 0, unchanged = 0, removed = 0;

	optind = 1;
	while ((ch = getopt(argc, argv, "d:np")) != -1) {
		switch (ch) {
		case 'd': conninfo = optarg; break;
		case 'n': dry = 1; break;
		case 'p': prune = 1; break;
		default: return cmd_usage(self);
		}
	}
	if (optind < argc)
		dir = argv[optind++];
	if (optind < argc)
		return cmd_usage(self);
	if ((files = calloc(MAX_FILES, sizeof(*files))) == NULL)
		goto out;
	if (list_dir(dir, files, &n) == -1)
		goto out;
	if (n == 0) {
		fprintf(stderr, "%s: no *.yaml files in \"%s\"; nothing "
		    "changed\n", where, dir);
		goto out;
	}
	if (load_all(files, n) == -1) {
		fprintf(stderr, "%s: invalid workflow files; the database "
		    "was not changed\n", where);
		goto out;
	}
	if ((c = cmd_connect(cmd_conninfo(conninfo), where)) == NULL)
		goto out;
	/* One sync at a time: a second waits rather than interleaving. */
	if (exec_ok(c, "BEGIN") == -1 ||
	    exec_ok(c, "LOCK TABLE pureboot.workflows IN SHARE ROW EXCLUSIVE "
	    "MODE") == -1)
		goto out;
	if (write_all(c, files, n, prune, &added, &updated, &unchanged,
	    &removed) == -1) {
		exec_ok(c, "ROLLBACK");
		fprintf(stderr, "%s: nothing was changed\n", where);
		goto out;
	}
	if (exec_ok(c, dry ? "ROLLBACK" : "COMMIT") == -1)
		goto out;
	printf("sync: %zu workflows from %s: %d added, %d updated, "
	    "%d unchanged, %d removed%s\n", n, dir, added, updated, unchanged,
	    removed, dry ? " (dry run: nothing was changed)" : "");
	rc = CMD_OK;
out:
	if (c != NULL)
		PQfinish(c);
	for (i = 0; files != NULL && i < n; i++) {
		free(files[i].path);
		json_decref(files[i].def);
	}
	free(files);
	return rc;
}

/* nfs_usage.c: which nodes use which diskless base.  A node uses base
 * NAME when its workflow has install_method nfs and its nfs_image,
 * resolved for that node as the API and the hook resolve it
 * (pb_wf_nfs_resolve), is NAME.  Retired nodes use nothing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/ident.h"
#include "core/url.h"
#include "wf/wf_instructions.h"
#include "cmd.h"
#include "nfs.h"

static const char users_sql[] =
    "SELECT n.id::text, n.serial, n.mac::text, n.hostname, "
    "w.definition::text, "
    "(SELECT value FROM pureboot.settings WHERE key = 'server_url') "
    "FROM pureboot.nodes n JOIN pureboot.workflows w "
    "ON w.id = n.workflow_id "
    "WHERE w.definition->>'install_method' = 'nfs' "
    "AND n.state <> 'retired' "
    "ORDER BY n.serial NULLS LAST, n.id";

static const char *
col(const PGresult *r, int row, int i)
{
	return PQgetisnull(r, row, i) ? NULL : PQgetvalue(r, row, i);
}

/* The node of row as the resolver takes it; what the schema's CHECKs
 * allow parses, anything else is left out ("none"). */
static void
node_of(const PGresult *r, int row, struct pb_wf_node *n)
{
	const char *s;

	memset(n, 0, sizeof(*n));
	if (pb_uuid_parse(&n->id, col(r, row, 0), NULL) == -1)
		memset(&n->id, 0, sizeof(n->id));
	if ((s = col(r, row, 1)) == NULL ||
	    pb_serial_parse(&n->serial, s, NULL) == -1)
		memset(&n->serial, 0, sizeof(n->serial));
	if ((s = col(r, row, 2)) == NULL || pb_mac_parse(&n->mac, s, NULL) == -1)
		memset(&n->mac, 0, sizeof(n->mac));
	if ((s = col(r, row, 3)) == NULL ||
	    pb_hostname_parse(&n->hostname, s, NULL) == -1)
		memset(&n->hostname, 0, sizeof(n->hostname));
	if ((s = col(r, row, 5)) != NULL && pb_server_url_check(s, NULL) == 0)
		n->server = s;
}

/* The base name row's node boots, newly allocated: the last component
 * of its resolved nfs_path.  A workflow that does not resolve for the
 * node (the hook skips it then) still counts by its literal nfs_image
 * when that has no variable: an import must not break it further. */
static char *
image_of(const PGresult *r, int row, const char *where)
{
	struct pb_wf_node n;
	struct pb_wf_nfs v;
	struct pb_err e;
	json_error_t je;
	json_t *def;
	const char *img, *slash;
	char *out = NULL;

	if ((def = json_loads(col(r, row, 4), 0, &je)) == NULL)
		return strdup("");
	node_of(r, row, &n);
	if (pb_wf_nfs_resolve(&v, def, &n, &e) == 0) {
		slash = strrchr(v.path, '/');
		out = strdup(slash != NULL ? slash + 1 : v.path);
	} else {
		img = json_string_value(json_object_get(def, "nfs_image"));
		fprintf(stderr, "%s: warning: node %s: %s\n", where,
		    col(r, row, 0), e.msg);
		out = strdup(img != NULL && strstr(img, "${") == NULL ? img :
		    "");
	}
	json_decref(def);
	return out;
}

int
nfs_usage_load(PGconn *c, struct nfs_usage *u, const char *where)
{
	PGresult *r;
	int i, rc = -1;

	memset(u, 0, sizeof(*u));
	r = PQexec(c, users_sql);
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		cmd_db_error(where, c, r);
		goto out;
	}
	if (PQntuples(r) > 0 &&
	    (u->v = calloc((size_t)PQntuples(r), sizeof(*u->v))) == NULL) {
		fprintf(stderr, "%s: out of memory\n", where);
		goto out;
	}
	for (i = 0; i < PQntuples(r); i++) {
		snprintf(u->v[i].who, sizeof(u->v[i].who), "%s",
		    col(r, i, 1) != NULL ? col(r, i, 1) : col(r, i, 0));
		if ((u->v[i].image = image_of(r, i, where)) == NULL) {
			fprintf(stderr, "%s: out of memory\n", where);
			goto out;
		}
		u->n++;
	}
	rc = 0;
out:
	if (rc == -1)
		nfs_usage_free(u);
	PQclear(r);
	return rc;
}

void
nfs_usage_free(struct nfs_usage *u)
{
	size_t i;

	for (i = 0; i < u->n; i++)
		free(u->v[i].image);
	free(u->v);
	memset(u, 0, sizeof(*u));
}

size_t
nfs_usage_of(const struct nfs_usage *u, const char *base, char *buf,
    size_t bufsz)
{
	size_t i, n = 0, len = 0;
	int w;

	if (bufsz > 0)
		buf[0] = '\0';
	for (i = 0; i < u->n; i++) {
		if (strcmp(u->v[i].image, base) != 0)
			continue;
		n++;
		if (len < bufsz) {
			w = snprintf(buf + len, bufsz - len, "%s%s",
			    len > 0 ? "," : "", u->v[i].who);
			len += w > 0 ? (size_t)w : 0;
		}
	}
	return n;
}

json_t *
nfs_usage_json(const struct nfs_usage *u, const char *base)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; a != NULL && i < u->n; i++)
		if (strcmp(u->v[i].image, base) == 0)
			json_array_append_new(a, json_string(u->v[i].who));
	return a;
}

/* exports.c: the exports of the diskless nodes as text (pure).  The
 * options are the same in both forms (docs/diskless.md): a base is
 * read-only to the node network, a node's directory read-write to that
 * node's address alone; no_root_squash (root-owned files in the base,
 * the agent makes upper.ext4 as root), sec=sys.  Kernel nfsd gets
 * subtree_check: every export here is a subdirectory of one file
 * system, and without it a client that forges a file handle reaches
 * files outside its own export (exports(5)). */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/chars.h"
#include "core/sbuf.h"
#include "exports.h"

#define HEADER "Written by pureboot-tftp-hook from the database " \
	"(docs/diskless.md); changes here are overwritten."

/* One client: "*", ADDR or ADDR/PREFIX. */
static int
client_check(const char *c, size_t len, struct pb_err *e)
{
	char buf[64], *slash;
	unsigned char a[16];
	int fam, max;
	size_t i;

	if (len == 1 && c[0] == '*')
		return 0;
	if (len == 0 || len >= sizeof(buf))
		return pb_fail(e, "nfs clients: client \"%.*s\" is not *, an "
		    "address or an address/prefix", (int)(len < 60 ? len : 60), c);
	memcpy(buf, c, len);
	buf[len] = '\0';
	if ((slash = strchr(buf, '/')) != NULL)
		*slash++ = '\0';
	fam = strchr(buf, ':') ? AF_INET6 : AF_INET;
	max = fam == AF_INET6 ? 128 : 32;
	if (inet_pton(fam, buf, a) != 1)
		goto bad;
	if (slash != NULL) {
		if (slash[0] == '\0' || strlen(slash) > 3 ||
		    strspn(slash, PB_DIGIT) != strlen(slash) ||
		    (slash[0] == '0' && slash[1] != '\0') || atoi(slash) > max)
			goto bad;
	}
	for (i = 0; i < len; i++)
		if (strchr(PB_HEXDIGIT ".:/", c[i]) == NULL)
			goto bad;
	return 0;
bad:
	memcpy(buf, c, len);
	buf[len] = '\0';
	return pb_refuse(e, "nfs clients: client", buf, "is not *, an address "
	    "or an address/prefix");
}

int
nfs_clients_check(const char *spec, struct pb_err *e)
{
	const char *p = spec, *q;

	if (spec == NULL || spec[0] == '\0' || strlen(spec) > 255)
		return pb_refuse(e, "nfs clients", spec ? spec : "",
		    "is not 1 to 255 characters");
	for (;;) {
		q = strchr(p, ',');
		if (client_check(p, q ? (size_t)(q - p) : strlen(p), e) == -1)
			return -1;
		if (q == NULL)
			return 0;
		p = q + 1;
	}
}

int
exports_format_parse(enum exports_format *f, const char *s, struct pb_err *e)
{
	if (strcmp(s, "exports") == 0)
		*f = EXPORTS_NFSD;
	else if (strcmp(s, "ganesha") == 0)
		*f = EXPORTS_GANESHA;
	else
		return pb_refuse(e, "nfs exports format", s,
		    "is not exports or ganesha");
	return 0;
}

static int
export_check(enum exports_format f, const struct nfs_export *x,
    struct pb_err *e)
{
	char what[300];

	snprintf(what, sizeof(what), "nfs export %.60s: path", x->what);
	if (pb_check_abspath(what, x->path, e) == -1 ||
	    nfs_clients_check(x->clients, e) == -1)
		return -1;
	if (strspn(x->what, PB_ALNUM " ._-") != strlen(x->what))
		return pb_refuse(e, "nfs export: name", x->what,
		    "is not of [A-Za-z0-9 ._-]");
	if (f == EXPORTS_GANESHA && (x->id < 1 || x->id > 65535))
		return pb_fail(e, "nfs export %s: Export_Id %d is not 1-65535",
		    x->path, x->id);
	return 0;
}

static void
render_nfsd(struct pb_sbuf *t, const struct nfs_export *x)
{
	const char *p = x->clients, *q;
	const char *opts = x->rw ? "rw,no_root_squash,subtree_check,sec=sys" :
	    "ro,no_root_squash,subtree_check,sec=sys";

	pb_sbuf_printf(t, "# %s\n%s", x->what, x->path);
	for (;;) {
		q = strchr(p, ',');
		pb_sbuf_printf(t, " %.*s(%s)", (int)(q ? (size_t)(q - p) : strlen(p)),
		    p, opts);
		if (q == NULL)
			break;
		p = q + 1;
	}
	pb_sbuf_printf(t, "\n");
}

static void
render_ganesha(struct pb_sbuf *t, const struct nfs_export *x)
{
	const char *p = x->clients, *q;

	pb_sbuf_printf(t, "\n# %s\nEXPORT {\n\tExport_Id = %d;\n\tPath = \"%s\";\n"
	    "\tPseudo = \"%s\";\n\tAccess_Type = None;\n"
	    "\tSquash = No_Root_Squash;\n\tSecType = sys;\n"
	    "\tProtocols = 3, 4;\n\tTransports = TCP;\n\tCLIENT {\n"
	    "\t\tClients = ", x->what, x->id, x->path, x->path);
	for (;;) {
		q = strchr(p, ',');
		pb_sbuf_printf(t, "%s%.*s", p == x->clients ? "" : ", ",
		    (int)(q ? (size_t)(q - p) : strlen(p)), p);
		if (q == NULL)
			break;
		p = q + 1;
	}
	pb_sbuf_printf(t, ";\n\t\tAccess_Type = %s;\n\t}\n\tFSAL { Name = VFS; }\n}\n",
	    x->rw ? "RW" : "RO");
}

int
exports_render(struct pb_sbuf *out, enum exports_format f,
    const struct nfs_export *x, size_t n, struct pb_err *e)
{
	size_t i, j;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < n; i++) {
		if (export_check(f, &x[i], e) == -1)
			return -1;
		for (j = 0; j < i; j++)
			if (strcmp(x[j].path, x[i].path) == 0 ||
			    (f == EXPORTS_GANESHA && x[j].id == x[i].id))
				return pb_fail(e, "nfs exports: %s and %s have "
				    "the same path or Export_Id", x[j].what,
				    x[i].what);
	}
	if (f == EXPORTS_NFSD)
		pb_sbuf_printf(out, "# /etc/exports (kernel nfsd): %s\n", HEADER);
	else
		pb_sbuf_printf(out, "# nfs-ganesha EXPORT blocks, for %%include: %s\n",
		    HEADER);
	for (i = 0; i < n; i++) {
		if (f == EXPORTS_NFSD)
			render_nfsd(out, &x[i]);
		else
			render_ganesha(out, &x[i]);
	}
	if (out->oom) {
		free(out->s);
		out->s = NULL;
		return pb_fail(e, "nfs exports: out of memory");
	}
	return 0;
}

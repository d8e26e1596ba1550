/* exports.h: the NFS server's exports of the diskless nodes, as text
 * for kernel nfsd (/etc/exports) or nfs-ganesha (EXPORT blocks), from
 * a list (exports.c; pure, no I/O). */
#ifndef PB_HOOK_EXPORTS_H
#define PB_HOOK_EXPORTS_H

#include <stddef.h>

#include "core/err.h"
#include "core/sbuf.h"

enum exports_format { EXPORTS_NFSD, EXPORTS_GANESHA };

/* One exported directory. */
struct nfs_export {
	char path[256];		/* pb_check_abspath */
	char clients[256];	/* nfs_clients_check */
	int rw;			/* 0: read-only (a base) */
	int id;			/* ganesha's Export_Id, 1-65535 */
	char what[48];		/* its comment line: "node d83add36" */
};

/* The client spec: "*", or a comma-separated list of IPv4/IPv6
 * addresses with an optional /prefix: "10.0.0.0/8,192.168.1.51". */
int nfs_clients_check(const char *spec, struct pb_err *e);
/* "exports" or "ganesha". */
int exports_format_parse(enum exports_format *f, const char *s,
    struct pb_err *e);
/* The file: a header, then x[0..n) in that order.  Every value is
 * checked again here: a bad one fails the whole render (the file on
 * disk stays as it was).  out->s is malloc'd: free it. */
int exports_render(struct pb_sbuf *out, enum exports_format f,
    const struct nfs_export *x, size_t n, struct pb_err *e);

#endif

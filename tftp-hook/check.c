/* check.c: the linter.  For each node, replay in memory the requests
 * its model makes (lib/boot/pibootseq.c) against the tree on disk, resolved
 * as a TFTP server would, and report what would fail: a missing or
 * dangling link, a link leaving the root, a file config.txt names that
 * is not there, a DTB the kernel cannot use, a fenced node that would
 * be served something bootable; the boards' files (boardcheck.c).  Exit
 * 1 on any problem. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hookctx.h"
#include "check.h"
#include "db.h"
#include "log.h"
#include "boot/pibootseq.h"
#include "boot/pimodel.h"
#include "core/ident.h"
#include "plan.h"
#include "strset.h"
#include "tree.h"

static int
disk_fetch(void *ctx, const char *path, int want_data, struct pb_fetch *out)
{
	struct disk *d = ctx;
	struct stat st;
	ssize_t n;
	int fd;

	memset(out, 0, sizeof(*out));
	if ((fd = resolve(d, path)) == -1)
		return 0;
	if (fstat(fd, &st) == -1) {
		close(fd);
		return 0;
	}
	out->served = 1;
	out->size = (size_t)st.st_size;
	if (want_data && st.st_size < 65536) {
		if ((out->data = malloc((size_t)st.st_size + 1)) == NULL) {
			close(fd);
			return -1;
		}
		n = read(fd, out->data, (size_t)st.st_size);
		out->data[n > 0 ? n : 0] = '\0';
	}
	close(fd);
	return 0;
}

/* A flattened device tree starts with 0xd00dfeed. */
static int
dtb_usable(struct disk *d, const char *path)
{
	unsigned char magic[4];
	int fd = resolve(d, path), ok;

	if (fd == -1)
		return 0;
	ok = read(fd, magic, 4) == 4 && magic[0] == 0xd0 && magic[1] == 0x0d &&
	    magic[2] == 0xfe && magic[3] == 0xed;
	close(fd);
	return ok;
}

static void
check_boot(struct disk *d, const struct pb_pimodel *pm,
    const struct pb_serial *s, int prefixed)
{
	struct pb_bootseq r;
	struct pb_err e;
	const char *const *c;
	char path[300];
	size_t i;
	int known = 0;

	if (pb_bootseq_run(pm, s, disk_fetch, d, &r, &e) == -1) {
		problem(d, "%s", e.msg);
		return;
	}
	for (i = 0; i < r.nmissing; i++)
		problem(d, "%s would not be served", r.missing[i]);
	if (r.end != PB_END_BOOTED)
		problem(d, "would not boot (%s)", pb_bootseq_end_name(r.end));
	if (prefixed && !r.prefixed)
		problem(d, "its files would come from the discovery root, not "
		    "%s/", s->s);
	if (r.end != PB_END_BOOTED)
		return;
	for (c = pm->dtbs; *c != NULL; c++)
		known |= strcmp(*c, r.dtb) == 0;
	snprintf(path, sizeof(path), "%s%s", r.prefixed ? s->s : "",
	    r.prefixed ? "/" : "");
	strncat(path, r.dtb, sizeof(path) - strlen(path) - 1);
	if (!known)
		problem(d, "device tree \"%s\" is not one for a %s", r.dtb,
		    pm->section);
	else if (!dtb_usable(d, path))
		problem(d, "device tree \"%s\" is not a flattened device tree",
		    path);
}

static void
check_fence(struct disk *d, const struct pb_serial *s)
{
	struct pb_bootseq r;
	struct pb_err e;
	size_t m;

	/* Whatever board it really is. */
	for (m = 0; m < PB_NMODELS; m++) {
		const struct pb_pimodel *pm = pb_pimodel((enum pb_model)m);

		if (pb_bootseq_run(pm, s, disk_fetch, d, &r, &e) == -1) {
			problem(d, "%s", e.msg);
			continue;
		}
		if (r.bootable_served)
			problem(d, "must boot locally, but a %s would be served "
			    "a bootable file", pm->section);
		else if (r.end != PB_END_GAVE_UP)
			problem(d, "must boot locally, but a %s would not give "
			    "up network boot at once", pm->section);
	}
}

/* Every link the hook made must resolve inside the root. */
static void
check_links(struct hookctx *h, unsigned long *problems)
{
	struct disk d = { h->tree.rootfd, "", "tree", problems };
	const char *name;
	size_t it = 0;
	char sub[HOOK_NAME_MAX * 2 + 2];
	struct stat st;
	int fd;

	while ((name = strset_next(&h->tree.man, &it)) != NULL) {
		if (fstatat(h->tree.rootfd, name, &st, AT_SYMLINK_NOFOLLOW) == -1) {
			problem(&d, "\"%s\" is in the manifest but missing", name);
			continue;
		}
		if (S_ISLNK(st.st_mode)) {
			if ((fd = resolve(&d, name)) == -1 &&
			    fstatat(h->tree.rootfd, name, &st, 0) != 0)
				problem(&d, "\"%s\" is a dangling link", name);
			if (fd != -1)
				close(fd);
			continue;
		}
		if (S_ISDIR(st.st_mode)) {
			DIR *dp;
			struct dirent *de;
			int dfd = openat(h->tree.rootfd, name, O_RDONLY | O_DIRECTORY);

			if (dfd == -1 || (dp = fdopendir(dfd)) == NULL) {
				if (dfd != -1)
					close(dfd);
				continue;
			}
			while ((de = readdir(dp)) != NULL) {
				if (de->d_name[0] == '.')
					continue;
				snprintf(sub, sizeof(sub), "%s/%.40s", name, de->d_name);
				if (fstatat(h->tree.rootfd, sub, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
				    S_ISLNK(st.st_mode)) {
					if ((fd = resolve(&d, sub)) != -1)
						close(fd);
					else if (fstatat(h->tree.rootfd, sub, &st, 0) != 0)
						problem(&d, "\"%s\" is a dangling link", sub);
				}
			}
			closedir(dp);
		}
	}
}

int
mode_check(struct hookctx *h)
{
	unsigned long problems = 0;
	struct pb_serial s;
	struct pb_err e;
	struct plan *p = NULL;
	struct node_row row;
	struct stat st;
	PGresult *res = NULL;
	char who[128];
	int i, rc = 1;
	size_t m;

	env_load_files(&h->env, h->tree.rootfd);
	if (db_settings(h->db, &h->env, &e) == -1 ||
	    (res = db_nodes(h->db, NULL, &e)) == NULL) {
		hook_log("%s", e.msg);
		goto out;
	}
	if ((p = malloc(sizeof(*p))) == NULL)
		goto out;
	check_links(h, &problems);
	for (i = 0; i < PQntuples(res); i++) {
		struct disk d = { h->tree.rootfd, "", who, &problems };

		db_row(res, i, &row);
		plan_node(&h->env, &row, p);
		snprintf(who, sizeof(who), "node %s (%s, %s)",
		    p->serial[0] ? p->serial : p->boardmac[0] ? row.mac : p->id,
		    p->boardmac[0] ? (row.board ? row.board : "no board") :
		    row.model ? row.model : "no model", row.state ? row.state : "?");
		if (p->boardmac[0] != '\0' && p->kind != PLAN_SKIP) {
			check_board_node(h, p, &d);
			continue;
		}
		switch (p->kind) {
		case PLAN_NONE:
			continue;
		case PLAN_SKIP:
			problem(&d, "not rendered: %s", p->why);
			continue;
		case PLAN_BOOT: {
			enum pb_model mm;

			pb_serial_parse(&s, p->serial, NULL);
			pb_model_parse(&mm, row.model, NULL);
			if (p->macdir[0] != '\0' &&
			    fstatat(h->tree.rootfd, p->macdir, &st, 0) == 0)
				problem(&d, "must boot over the network but has a "
				    "MAC fence directory %s/", p->macdir);
			check_boot(&d, pb_pimodel(mm), &s, 1);
			break;
		}
		case PLAN_FENCE:
			if (p->macdir[0] != '\0') {
				if (fstatat(h->tree.rootfd, p->macdir, &st, 0) == -1 ||
				    !S_ISDIR(st.st_mode))
					problem(&d, "no MAC fence directory %s/",
					    p->macdir);
			}
			if (p->serial[0] == '\0')
				break;
			pb_serial_parse(&s, p->serial, NULL);
			/* dnsmasq without the MAC, and tftp-hpa: the serial
			 * dir alone must stop it. */
			check_fence(&d, &s);
			break;
		}
	}
	if (h->env.discovery) {
		/* An unknown Pi: a serial no node has. */
		pb_serial_parse(&s, "00000000", NULL);
		for (m = 0; m < PB_NMODELS; m++) {
			const struct pb_pimodel *pm = pb_pimodel((enum pb_model)m);
			struct disk d = { h->tree.rootfd, "", who, &problems };

			if (!h->env.dtb_present[m])
				continue;	/* reported by its nodes, if any */
			snprintf(who, sizeof(who), "discovery root (%s)", pm->section);
			check_boot(&d, pm, &s, 0);
		}
	}
	check_board_files(h, &problems);
	check_board_root(h, &problems);
	printf("check: %lu problem%s\n", problems, problems == 1 ? "" : "s");
	rc = problems == 0 ? 0 : 1;
out:
	PQclear(res);
	free(p);
	return rc;
}

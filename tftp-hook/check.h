/* check.h: what check.c and boardcheck.c share: the tree as a TFTP
 * server serves it, and the problem lines. */
#ifndef PB_HOOK_CHECK_H
#define PB_HOOK_CHECK_H

#include "hookctx.h"
#include "strset.h"

struct disk {
	int rootfd;
	char base[HOOK_NAME_MAX];	/* "" or a MAC dir: dnsmasq's unique root */
	const char *who;		/* for problem lines */
	unsigned long *problems;
};

/* "who: what" on stdout, counted. */
void problem(struct disk *d, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* req as a TFTP server would serve it: an open fd, or -1. */
int resolve(struct disk *d, const char *req);

/* boardcheck.c: the boards' files (every pxelinux.cfg and grub.cfg
 * file the hook made names files that are there, every DTB named is a
 * device tree), one board node against its plan, and the boards' root
 * (discovery off: nothing bootable). */
void check_board_files(struct hookctx *h, unsigned long *problems);
void check_board_node(struct hookctx *h, const struct plan *p,
    struct disk *d);
void check_board_root(struct hookctx *h, unsigned long *problems);

#endif

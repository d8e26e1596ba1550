/* nfsbase.h: what may go into a diskless base tree (<nfsroot>/base/NAME,
 * docs/diskless.md): its name, and each entry of the archive it is
 * imported from, checked before anything is written (pure).  The
 * importer (cli/nfs_import.c) extracts with libarchive's secure flags
 * too; these checks come first so that a refusal names the entry and
 * the reason. */
#ifndef PB_NFSBASE_H
#define PB_NFSBASE_H

#include <stdint.h>
#include <sys/types.h>

#include "core/err.h"

#define PB_BASE_NAME_MAX 64
#define PB_BASE_PATH_MAX 4095

/* 1 to 64 of [a-z0-9._-], not starting with '.' or '-': one directory
 * under <nfsroot>/base/, never a temporary one (those start with '.'). */
struct pb_base_name { char s[PB_BASE_NAME_MAX + 1]; };

int pb_base_name_parse(struct pb_base_name *out, const char *in,
    struct pb_err *e);

/* One archive entry, as the reader saw its header. */
struct pb_base_entry {
	const char *path;	/* as in the archive */
	const char *hardlink;	/* NULL: not a hard link */
	mode_t type;		/* S_IFREG, S_IFDIR, S_IFLNK, S_IFCHR, ... */
	mode_t perm;		/* the low 12 bits of the mode */
	int64_t data;		/* bytes of data it claims (sparse: its data
				 * regions only) */
	int has_caps;		/* a security.capability xattr */
	const char *bad_xattr;	/* NULL, or an xattr that is never allowed */
};

struct pb_base_rules {
	int allow_devices;	/* character and block devices, FIFOs */
	int allow_setid;	/* set-uid, set-gid files, file capabilities */
	int64_t budget;		/* data bytes still allowed */
	const char *budget_what; /* where the budget comes from, for the
				 * message: "the free space of /srv/x" */
};

/* What is already at a normalised path inside the tree being filled. */
enum pb_base_kind { PB_BASE_NONE, PB_BASE_DIR, PB_BASE_SYMLINK,
	PB_BASE_OTHER };
typedef enum pb_base_kind pb_base_lookup(void *ctx, const char *relpath);

/* Check en against r, asking look(ctx, ...) about every leading part of
 * its path (and of a hard link's target): no absolute path, no ".."
 * component, no path through or onto a symlink, no device or FIFO
 * unless allowed, no replacing an earlier symlink or directory (but by
 * a directory), no set-uid/set-gid file (a set-gid directory is only
 * group inheritance and passes) or file capability unless allowed, a
 * hard link only to an entry already in the tree and not a directory or
 * a symlink, no more data than the budget.  On success norm (and
 * normlink, for a hard link) hold the path with leading "./", "."
 * components and repeated or trailing '/' removed; "" is the tree's
 * root itself.  Both buffers need PB_BASE_PATH_MAX + 1 bytes.  -1 with
 * "entry \"PATH\": REASON" in e. */
int pb_base_entry_check(const struct pb_base_entry *en,
    const struct pb_base_rules *r, pb_base_lookup *look, void *ctx,
    char *norm, char *normlink, struct pb_err *e);

/* How an import treats an extended attribute: user.* and security.*
 * (SELinux labels, IMA) and the POSIX ACLs are kept; security.capability
 * is a privilege like set-uid (--allow-setid); trusted.* (overlayfs's
 * own, for one) and unknown name spaces are refused. */
enum pb_base_xattr { PB_XATTR_KEEP, PB_XATTR_CAPS, PB_XATTR_REFUSE };
enum pb_base_xattr pb_base_xattr_class(const char *name);

#endif

/* nfsbase.c: the name of a diskless base and the check of each entry of
 * the archive it is imported from (lib/core/nfsbase.h).  Pure. */
#include <inttypes.h>
#include <string.h>
#include <sys/stat.h>

#include "core/chars.h"
#include "core/nfsbase.h"

int
pb_base_name_parse(struct pb_base_name *out, const char *in,
    struct pb_err *e)
{
	size_t n = strlen(in);

	if (n < 1 || n > PB_BASE_NAME_MAX)
		return pb_refuse(e, "base name", in, "is not 1 to %d characters",
		    PB_BASE_NAME_MAX);
	if (pb_check_set("base name", in, PB_LOWER PB_DIGIT "._-",
	    "a base name (a-z 0-9 . _ -)", e) == -1)
		return -1;
	/* '.' would be a temporary or hidden directory; '-' an option. */
	if (in[0] == '.' || in[0] == '-')
		return pb_refuse(e, "base name", in, "starts with '%c'", in[0]);
	memcpy(out->s, in, n + 1);
	return 0;
}

/* in normalised into out (PB_BASE_PATH_MAX + 1 bytes); what names in
 * for the message ("entry", "hard link target of entry"). */
static int
normalise(const char *what, const char *in, char *out, struct pb_err *e)
{
	const char *p = in;
	size_t n, len = 0;

	if (in[0] == '\0')
		return pb_refuse(e, what, in, "has an empty name");
	if (in[0] == '/')
		return pb_refuse(e, what, in, "is an absolute path");
	out[0] = '\0';
	for (; *p != '\0'; p += n) {
		if (*p == '/') {
			n = 1;
			continue;
		}
		n = strcspn(p, "/");
		if (n == 1 && p[0] == '.')
			continue;
		if (n == 2 && p[0] == '.' && p[1] == '.')
			return pb_refuse(e, what, in, "has a '..' component");
		if (n > 255)
			return pb_refuse(e, what, in, "has a component longer "
			    "than 255 bytes");
		if (len + (len > 0) + n > PB_BASE_PATH_MAX)
			return pb_refuse(e, what, in, "is longer than %d bytes",
			    PB_BASE_PATH_MAX);
		if (len > 0)
			out[len++] = '/';
		memcpy(out + len, p, n);
		len += n;
		out[len] = '\0';
	}
	return 0;
}

/* No leading part of path (normalised) is a symlink or a non-directory:
 * the entry would be written through it. */
static int
through(const char *what, const char *orig, char *path, pb_base_lookup *look,
    void *ctx, struct pb_err *e)
{
	char q[4 * PB_QUOTE_MAX + 8];
	enum pb_base_kind k;
	char *s;

	for (s = strchr(path, '/'); s != NULL; s = strchr(s + 1, '/')) {
		*s = '\0';
		k = look(ctx, path);
		pb_quote(q, sizeof(q), path, PB_QUOTE_MAX);
		*s = '/';
		if (k == PB_BASE_SYMLINK)
			return pb_refuse(e, what, orig, "goes through the "
			    "symlink \"%s\"", q);
		if (k == PB_BASE_OTHER)
			return pb_refuse(e, what, orig, "goes through \"%s\", "
			    "which is not a directory", q);
	}
	return 0;
}

static int
hardlink(const struct pb_base_entry *en, pb_base_lookup *look, void *ctx,
    const char *norm, char *normlink, struct pb_err *e)
{
	char q[4 * PB_QUOTE_MAX + 8];
	struct pb_err why;

	if (normalise("", en->hardlink, normlink, &why) == -1)
		return pb_refuse(e, "entry", en->path, "is a hard link whose "
		    "target %s", why.msg);
	if (through("", en->hardlink, normlink, look, ctx, &why) == -1)
		return pb_refuse(e, "entry", en->path, "is a hard link whose "
		    "target %s", why.msg);
	pb_quote(q, sizeof(q), en->hardlink, PB_QUOTE_MAX);
	if (strcmp(norm, normlink) == 0)
		return pb_refuse(e, "entry", en->path, "is a hard link to "
		    "itself");
	switch (look(ctx, normlink)) {
	case PB_BASE_NONE:
		return pb_refuse(e, "entry", en->path, "is a hard link to "
		    "\"%s\", which is not in the base (only earlier entries "
		    "are)", q);
	case PB_BASE_DIR:
		return pb_refuse(e, "entry", en->path, "is a hard link to "
		    "the directory \"%s\"", q);
	case PB_BASE_SYMLINK:
		return pb_refuse(e, "entry", en->path, "is a hard link to "
		    "the symlink \"%s\"", q);
	case PB_BASE_OTHER:
		break;
	}
	return 0;
}

static int
filetype(const struct pb_base_entry *en, const struct pb_base_rules *r,
    struct pb_err *e)
{
	const char *dev = NULL;

	switch (en->type) {
	case S_IFREG:
	case S_IFDIR:
	case S_IFLNK:
		return 0;
	case S_IFCHR: dev = "a character device"; break;
	case S_IFBLK: dev = "a block device"; break;
	case S_IFIFO: dev = "a FIFO"; break;
	case S_IFSOCK:
		return pb_refuse(e, "entry", en->path, "is a socket");
	default:
		return pb_refuse(e, "entry", en->path, "has the unknown file "
		    "type 0%o", (unsigned)en->type);
	}
	if (!r->allow_devices)
		return pb_refuse(e, "entry", en->path, "is %s (--allow-devices "
		    "imports those)", dev);
	return 0;
}

int
pb_base_entry_check(const struct pb_base_entry *en,
    const struct pb_base_rules *r, pb_base_lookup *look, void *ctx,
    char *norm, char *normlink, struct pb_err *e)
{
	char q[4 * PB_QUOTE_MAX + 8];
	enum pb_base_kind k;

	normlink[0] = '\0';
	if (normalise("entry", en->path, norm, e) == -1)
		return -1;
	/* A hard link has its target's type, checked when that came. */
	if (en->hardlink == NULL && filetype(en, r, e) == -1)
		return -1;
	if (norm[0] == '\0' && (en->hardlink != NULL || en->type != S_IFDIR))
		return pb_refuse(e, "entry", en->path, "names the base's root "
		    "but is not a directory");
	if (!r->allow_setid && ((en->perm & S_ISUID) ||
	    ((en->perm & S_ISGID) && en->type != S_IFDIR)))
		return pb_refuse(e, "entry", en->path, "is set-%s (mode %04o; "
		    "--allow-setid imports those)", en->perm & S_ISUID ?
		    "uid" : "gid", (unsigned)en->perm);
	if (!r->allow_setid && en->has_caps)
		return pb_refuse(e, "entry", en->path, "has file capabilities "
		    "(security.capability; --allow-setid imports those)");
	if (en->bad_xattr != NULL) {
		pb_quote(q, sizeof(q), en->bad_xattr, PB_QUOTE_MAX);
		return pb_refuse(e, "entry", en->path, "has the extended "
		    "attribute \"%s\", which an import never restores", q);
	}
	if (en->data < 0 || en->data > r->budget)
		return pb_refuse(e, "entry", en->path, "claims %" PRId64
		    " bytes of data, more than the %" PRId64 " bytes left "
		    "within %s", en->data, r->budget > 0 ? r->budget : 0,
		    r->budget_what);
	if (through("entry", en->path, norm, look, ctx, e) == -1)
		return -1;
	k = norm[0] != '\0' ? look(ctx, norm) : PB_BASE_DIR;
	if (k == PB_BASE_SYMLINK)
		return pb_refuse(e, "entry", en->path, "would replace the "
		    "symlink of an earlier entry");
	/* libarchive fixes a directory's mode and time at the end, by
	 * name: that name must stay the directory. */
	if (k == PB_BASE_DIR && (en->hardlink != NULL || en->type != S_IFDIR))
		return pb_refuse(e, "entry", en->path, "would replace the "
		    "directory of an earlier entry");
	if (en->hardlink != NULL)
		return hardlink(en, look, ctx, norm, normlink, e);
	return 0;
}

enum pb_base_xattr
pb_base_xattr_class(const char *name)
{
	if (strcmp(name, "security.capability") == 0)
		return PB_XATTR_CAPS;
	if (strncmp(name, "user.", 5) == 0 ||
	    strncmp(name, "security.", 9) == 0 ||
	    strcmp(name, "system.posix_acl_access") == 0 ||
	    strcmp(name, "system.posix_acl_default") == 0)
		return PB_XATTR_KEEP;
	return PB_XATTR_REFUSE;
}

/* render_check.c: the character sets of values written into config.txt
 * and cmdline.txt (pure).  A value outside its set is refused, never
 * quoted: the firmware and the kernel have no quoting. */
#include <string.h>

#include "boot/render.h"
#include "core/chars.h"

#define Q(buf, s) (pb_quote((buf), sizeof(buf), (s), 60), (buf))

/* A relative file name in the TFTP tree: "kernel8.img",
 * "overlays/x.dtbo"; no "..", no leading '/' or '.'. */
int
pb_check_filename(const char *what, const char *v, struct pb_err *e)
{
	char q[128];
	size_t n;

	if (v == NULL || (n = strlen(v)) == 0 || n > 128)
		return pb_fail(e, "%s \"%s\" must be 1 to 128 characters", what,
		    Q(q, v ? v : ""));
	if (strspn(v, PB_ALNUM "._-/") != n || v[0] == '.' || v[0] == '/' ||
	    v[n - 1] == '/' || strstr(v, "..") != NULL ||
	    strstr(v, "//") != NULL || strstr(v, "/.") != NULL)
		return pb_fail(e, "%s \"%s\" is not a plain relative file name "
		    "(A-Z a-z 0-9 . _ - /, no \"..\")", what, Q(q, v));
	return 0;
}

/* A host name or an IPv4/IPv6 address, as an NFS server. */
int
pb_check_host(const char *what, const char *v, struct pb_err *e)
{
	char q[128];
	size_t n;

	if (v == NULL || (n = strlen(v)) == 0 || n > 253)
		return pb_fail(e, "%s \"%s\" must be 1 to 253 characters", what,
		    Q(q, v ? v : ""));
	if (strspn(v, PB_ALNUM ".:-") != n || v[0] == '-' || v[0] == '.')
		return pb_fail(e, "%s \"%s\" is not a host name or an IP "
		    "address", what, Q(q, v));
	return 0;
}

/* An absolute path: "/nfsroot"; no "..", no "//". */
int
pb_check_abspath(const char *what, const char *v, struct pb_err *e)
{
	char q[128];
	size_t n;

	if (v == NULL || (n = strlen(v)) == 0 || n > 200)
		return pb_fail(e, "%s \"%s\" must be 1 to 200 characters", what,
		    Q(q, v ? v : ""));
	if (v[0] != '/' || strspn(v, PB_ALNUM "._-/") != n ||
	    strstr(v, "/..") != NULL || strstr(v, "//") != NULL ||
	    (n > 1 && v[n - 1] == '/'))
		return pb_fail(e, "%s \"%s\" is not an absolute path of "
		    "A-Z a-z 0-9 . _ - / without \"..\"", what, Q(q, v));
	return 0;
}

/* nodestate.c: state names, arches, workflow ids (pure). */
#include <string.h>

#include "core/boot_action.h"
#include "core/nodestate.h"

const char *const pb_arches[] = { "aarch64", "x86_64", NULL };

static int
one_of(const char **out, const char *in, const char *const *set)
{
	size_t i;

	for (i = 0; set[i] != NULL; i++)
		if (strcmp(in, set[i]) == 0) {
			*out = set[i];
			return 0;
		}
	return -1;
}

int
pb_state_parse(const char **out, const char *in, struct pb_err *e)
{
	/* The state names are the rows of the boot table, which
	 * t/0120-sql-boot-class.t holds equal to the enum. */
	const struct pb_boot_state *s = pb_boot_state(in);
	char q[64];

	if (s != NULL) {
		*out = s->state;
		return 0;
	}
	pb_quote(q, sizeof(q), in, 40);
	return pb_fail(e, "state \"%s\" is not a node state", q);
}

int
pb_arch_parse(const char **out, const char *in, struct pb_err *e)
{
	char q[64];

	if (one_of(out, in, pb_arches) == 0)
		return 0;
	pb_quote(q, sizeof(q), in, 40);
	return pb_fail(e, "arch \"%s\" is not aarch64 or x86_64", q);
}

int
pb_slug_ok(const char *in)
{
	static const char set[] = "abcdefghijklmnopqrstuvwxyz0123456789-";
	size_t n = strlen(in);

	return n >= 1 && n <= 63 && in[0] != '-' && strspn(in, set) == n;
}

int
pb_workflow_id_check(const char *in, struct pb_err *e)
{
	char q[64];

	if (pb_slug_ok(in))
		return 0;
	pb_quote(q, sizeof(q), in, 40);
	return pb_fail(e, "workflow id \"%s\" is not 1 to 63 of a-z 0-9 - "
	    "(not starting with -)", q);
}

/* boot_action.c: state -> action for GET /boot/pi (pure). */
#include <string.h>

#include "core/boot_action.h"

/* States where the node runs (or is to run) its installed system.
 * migrating and serving_source are active nodes at work: if one
 * netboots it must come back as it was, not wait. */
static const char *const running[] = {
	"installed", "active", "migrating", "serving_source", NULL,
};

enum pb_action
pb_boot_action(const char *state, int issued, int nfs)
{
	size_t i;

	if (strcmp(state, "installing") == 0)
		return issued ? PB_ACT_INSTALL : PB_ACT_WAIT;
	if (strcmp(state, "retired") == 0)
		return PB_ACT_POWEROFF;
	for (i = 0; running[i] != NULL; i++)
		if (strcmp(state, running[i]) == 0)
			return nfs ? PB_ACT_NFS : PB_ACT_LOCAL_BOOT;
	/* discovered, pending, install_failed, reprovision,
	 * deprovisioning, cloning_target: an operator (or the reconciler)
	 * acts next; the agent polls. */
	return PB_ACT_WAIT;
}

const char *
pb_action_name(enum pb_action a)
{
	switch (a) {
	case PB_ACT_WAIT: return "wait";
	case PB_ACT_INSTALL: return "install";
	case PB_ACT_NFS: return "nfs";
	case PB_ACT_LOCAL_BOOT: return "local_boot";
	case PB_ACT_POWEROFF: return "poweroff";
	}
	return "wait";
}

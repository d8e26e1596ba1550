/* boot_action.c: node state -> boot class -> action (pure). */
#include <string.h>

#include "core/boot_action.h"

#define OPERATOR "waiting for an operator"

/* migrating and serving_source are active nodes at work: if one
 * netboots it must come back as it was, not wait.  deprovisioning and
 * cloning_target wait for the reconciler, the others for an operator. */
const struct pb_boot_state pb_boot_states[] = {
	{ "discovered", PB_BOOT_WAIT, "waiting for an operator to assign a "
	  "workflow and move the node to pending" },
	{ "pending", PB_BOOT_INSTALL, "pending without a workflow; waiting "
	  "for one to be assigned" },
	{ "installing", PB_BOOT_INSTALLING, "an install is in progress; "
	  "waiting" },
	{ "install_failed", PB_BOOT_WAIT, "the install failed; waiting for an "
	  "operator to move the node to pending" },
	{ "installed", PB_BOOT_RUN, NULL },
	{ "active", PB_BOOT_RUN, NULL },
	{ "reprovision", PB_BOOT_WAIT, "reprovisioning; waiting for the node "
	  "to be moved to pending" },
	{ "deprovisioning", PB_BOOT_WAIT, OPERATOR },
	{ "migrating", PB_BOOT_RUN, NULL },
	{ "serving_source", PB_BOOT_RUN, NULL },
	{ "cloning_target", PB_BOOT_WAIT, OPERATOR },
	{ "retired", PB_BOOT_POWEROFF, NULL },
};

const size_t pb_boot_nstates = sizeof(pb_boot_states) /
    sizeof(pb_boot_states[0]);

const struct pb_boot_state *
pb_boot_state(const char *state)
{
	size_t i;

	for (i = 0; i < pb_boot_nstates; i++)
		if (strcmp(state, pb_boot_states[i].state) == 0)
			return &pb_boot_states[i];
	return NULL;
}

const char *
pb_boot_class_name(enum pb_boot_class c)
{
	switch (c) {
	case PB_BOOT_WAIT: return "wait";
	case PB_BOOT_INSTALL: return "install";
	case PB_BOOT_INSTALLING: return "installing";
	case PB_BOOT_RUN: return "run";
	case PB_BOOT_POWEROFF: return "poweroff";
	}
	return "wait";
}

enum pb_action
pb_boot_action(const char *state, int issued, int nfs)
{
	const struct pb_boot_state *s = pb_boot_state(state);

	if (s == NULL)
		return PB_ACT_WAIT;
	switch (s->cls) {
	case PB_BOOT_INSTALL:
	case PB_BOOT_INSTALLING:
		/* Instructions go out only with the token boot_pi() made;
		 * pending without a workflow waits. */
		return issued ? PB_ACT_INSTALL : PB_ACT_WAIT;
	case PB_BOOT_RUN:
		return nfs ? PB_ACT_NFS : PB_ACT_LOCAL_BOOT;
	case PB_BOOT_POWEROFF:
		return PB_ACT_POWEROFF;
	case PB_BOOT_WAIT:
		break;
	}
	return PB_ACT_WAIT;
}

const char *
pb_boot_wait_message(const char *state)
{
	const struct pb_boot_state *s = pb_boot_state(state);

	return s != NULL && s->wait != NULL ? s->wait : OPERATOR;
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

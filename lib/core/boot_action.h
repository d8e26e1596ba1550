/* boot_action.h: what each node state means for booting, and so what a
 * Pi asking GET /boot/pi is told to do (pure).
 *
 * pb_boot_states[] is the one definition: one row per value of the
 * pureboot.node_state enum, in the enum's order.  The API's answer and
 * wait message, the TFTP hook's fence (runs_installed_os) and the
 * state names accepted from callers (pb_state_parse) come from it.
 * SQL keeps one copy, pureboot.boot_class() (sql/022-boot-class.sql), which
 * boot_pi() and the install-token trigger use;
 * t/0120-sql-boot-class.t compares the two over every enum value. */
#ifndef PB_BOOT_ACTION_H
#define PB_BOOT_ACTION_H

#include <stddef.h>

enum pb_action {
	PB_ACT_WAIT, PB_ACT_INSTALL, PB_ACT_NFS, PB_ACT_LOCAL_BOOT,
	PB_ACT_POWEROFF
};

/* What a boot in that state does; the names are pureboot.boot_class()'s. */
enum pb_boot_class {
	PB_BOOT_WAIT,		/* "wait": an operator acts next; poll */
	PB_BOOT_INSTALL,	/* "install": with a workflow, a boot starts
				 * an install (a new install token) */
	PB_BOOT_INSTALLING,	/* "installing": a boot is a reboot during
				 * the install: a failed attempt, retried */
	PB_BOOT_RUN,		/* "run": the installed OS, from local
				 * storage or its NFS root; never fenced off */
	PB_BOOT_POWEROFF	/* "poweroff": retired for good */
};

struct pb_boot_state {
	const char *state;	/* as pureboot.node_state spells it */
	enum pb_boot_class cls;
	const char *wait;	/* why the agent waits, when it does */
};

/* Every node state, in enum order; pb_boot_nstates rows. */
extern const struct pb_boot_state pb_boot_states[];
extern const size_t pb_boot_nstates;

/* The row of state, or NULL when it is not a node state. */
const struct pb_boot_state *pb_boot_state(const char *state);

/* "wait", "install", "installing", "run", "poweroff". */
const char *pb_boot_class_name(enum pb_boot_class c);

/* state: the node's state name; issued: install instructions (and a
 * token) were issued by this request; nfs: the node's workflow boots an
 * NFS root.  An unknown state waits. */
enum pb_action pb_boot_action(const char *state, int issued, int nfs);

/* Why the agent waits in state: its row's message, or a generic one. */
const char *pb_boot_wait_message(const char *state);

/* "wait", "install", "nfs", "local_boot", "poweroff". */
const char *pb_action_name(enum pb_action a);

#endif

/* boot_action.h: what a Pi asking GET /boot/pi is told to do, by the
 * state its node is in after the request (pure). */
#ifndef PB_BOOT_ACTION_H
#define PB_BOOT_ACTION_H

enum pb_action {
	PB_ACT_WAIT, PB_ACT_INSTALL, PB_ACT_NFS, PB_ACT_LOCAL_BOOT,
	PB_ACT_POWEROFF
};

/* state: the node's state name; issued: install instructions (and a
 * token) were issued by this request; nfs: the node's workflow boots an
 * NFS root. */
enum pb_action pb_boot_action(const char *state, int issued, int nfs);

/* "wait", "install", "nfs", "local_boot", "poweroff". */
const char *pb_action_name(enum pb_action a);

#endif

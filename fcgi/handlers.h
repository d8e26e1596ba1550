/* handlers.h: one function per endpoint, in the h_*.c files. */
#ifndef PB_HANDLERS_H
#define PB_HANDLERS_H

#include "req.h"

pb_handler h_health;
pb_handler h_boot, h_boot_arm64;	/* h_boot.c */
pb_handler h_register;			/* h_register.c */
pb_handler h_nodes_list;		/* h_nodes.c */
pb_handler h_node_get, h_node_delete;	/* h_nodes.c */
pb_handler h_node_patch;		/* h_node_patch.c */
pb_handler h_node_create;		/* h_node_create.c */
pb_handler h_boards_list, h_board_add, h_board_remove;	/* h_boards.c */
pb_handler h_transition;		/* h_transition.c */
pb_handler h_history, h_events_list;	/* h_logs.c */
pb_handler h_event_post;		/* h_event.c */
pb_handler h_site_events;		/* h_site_events.c */
pb_handler h_installed;			/* h_installed.c */
pb_handler h_install;			/* h_install.c */
pb_handler h_workflows_list, h_workflow_get;	/* h_workflows.c */
pb_handler h_settings_get, h_settings_patch;	/* h_settings.c */

#endif

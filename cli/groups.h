/* groups.h: the subcommand groups of pureboot, one file each. */
#ifndef PB_GROUPS_H
#define PB_GROUPS_H

#include "cmd.h"

int workflow_main(int argc, char **argv, const struct cmd *self);	/* workflow_cmd.c */
int token_main(int argc, char **argv, const struct cmd *self);		/* token.c */
int nfs_main(int argc, char **argv, const struct cmd *self);		/* nfs_cmd.c */
int board_main(int argc, char **argv, const struct cmd *self);		/* board.c */

/* The daily commands, through the API (api.h), issue 15. */
int node_main(int argc, char **argv, const struct cmd *self);		/* node_cmd.c */
int events_main(int argc, char **argv, const struct cmd *self);	/* events.c */
int status_main(int argc, char **argv, const struct cmd *self);	/* status.c */
int tree_main(int argc, char **argv, const struct cmd *self);		/* tree_cmd.c */
extern const char events_usage[], status_usage[];
extern const char node_assign_usage[], node_transition_usage[],
    node_retire_usage[];
int node_cmd_assign(int argc, char **argv, const struct cmd *self);
int node_cmd_transition(int argc, char **argv, const struct cmd *self);
int node_cmd_retire(int argc, char **argv, const struct cmd *self);
struct api;
/* node_cmd.c: every page of nodes/ID/LIST (history, events). */
int node_log_all(struct api *a, const char *id, const char *list,
    json_t **all);

int db_main(int argc, char **argv, const struct cmd *self);		/* db.c */

/* The leaves of workflow, in their own files. */
extern const char wf_sync_usage[], wf_resolve_usage[];
int wf_cmd_sync(int argc, char **argv, const struct cmd *self);
int wf_cmd_resolve(int argc, char **argv, const struct cmd *self);

/* The leaves of nfs in their own files. */
extern const char nfs_import_usage[];
int nfs_cmd_import(int argc, char **argv, const struct cmd *self);

#endif

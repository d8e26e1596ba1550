/* groups.h: the subcommand groups of pureboot, one file each. */
#ifndef PB_GROUPS_H
#define PB_GROUPS_H

#include "cmd.h"

int workflow_main(int argc, char **argv, const struct cmd *self);	/* workflow_cmd.c */
int token_main(int argc, char **argv, const struct cmd *self);		/* token.c */
int nfs_main(int argc, char **argv, const struct cmd *self);		/* nfs_cmd.c */
int db_main(int argc, char **argv, const struct cmd *self);		/* db.c */

/* The leaves of workflow, in their own files. */
extern const char wf_sync_usage[], wf_resolve_usage[];
int wf_cmd_sync(int argc, char **argv, const struct cmd *self);
int wf_cmd_resolve(int argc, char **argv, const struct cmd *self);

/* The leaves of nfs in their own files. */
extern const char nfs_import_usage[];
int nfs_cmd_import(int argc, char **argv, const struct cmd *self);

#endif

/* wfcmd.h: the commands of pureboot-workflow. */
#ifndef PB_WFCMD_H
#define PB_WFCMD_H

int wf_cmd_sync(int argc, char **argv);
int wf_cmd_resolve(int argc, char **argv);

#endif

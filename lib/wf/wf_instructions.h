/* wf_instructions.h: a workflow resolved for one node, as the agent gets
 * it (the contract between the API and the workflow loader). */
#ifndef PB_WF_INSTRUCTIONS_H
#define PB_WF_INSTRUCTIONS_H

#include <jansson.h>

#include "core/err.h"
#include "core/ident.h"
#include "wf/wf_rules.h"

struct pb_wf_node {
	struct pb_uuid id;
	struct pb_serial serial;	/* s[0] == '\0': none */
	struct pb_mac mac;		/* s[0] == '\0': none */
	struct pb_hostname hostname;	/* s[0] == '\0': none */
	const char *server;		/* settings.server_url, validated */
	const json_t *vars;		/* nodes.vars: name -> string; NULL:
					 * none (lib/wf/wf_vars.h) */
};

/* Resolve definition (the JSON form of a workflow file, as stored in
 * pureboot.workflows.definition) for node: variables substituted, every
 * resolved value validated again for where it goes.  Returns a new
 * object (the caller json_decref()s it) or NULL with the reason in e.
 * Keys: see docs/agent-contract.md and docs/workflows.md. */
/* The NFS root of an nfs workflow for node, resolved and checked as
 * the agent's nfs_server, nfs_path and nfs_options keys (which
 * pb_wf_instructions_new fills from this same resolution): what the
 * hook writes into cmdline.txt. */
struct pb_wf_nfs {
	char server[WF_MAX_URL + 1];
	char path[WF_MAX_URL + 1];
	char options[WF_MAX_URL + 1];
};
/* 0, or -1 with the reason in e (also for a workflow that is not nfs). */
int pb_wf_nfs_resolve(struct pb_wf_nfs *out, const json_t *definition,
    const struct pb_wf_node *node, struct pb_err *e);

json_t *pb_wf_instructions_new(const json_t *definition,
    const struct pb_wf_node *node, struct pb_err *e);

#endif

/* workflow.h: workflow files (workflows/NAME.yaml) loaded and validated.
 *
 * A workflow is read with libyaml's parser and document API, turned
 * into its JSON form (the same keys; what pureboot.workflows.definition
 * stores) and checked against the schema in docs/workflows.md.  Every
 * error found is reported, each with its position and the key it is
 * about; a file with any error yields no definition at all.
 *
 * Pure apart from pb_wf_load_file() reading its file. */
#ifndef PB_WORKFLOW_H
#define PB_WORKFLOW_H

#include <stddef.h>
#include <stdio.h>

#include <jansson.h>

/* A workflow file larger than this is refused unread: nothing sensible
 * needs more, and it bounds what a hostile file can make us parse. */
#define PB_WF_MAX_BYTES 65536
#define PB_WF_MAX_ERRORS 32

struct pb_wf_error {
	int line, col;		/* 1-based; 0 when the source has no positions */
	char key[96];		/* "image_url", "post_install[2].ssh_keys.keys[0]" */
	char reason[256];
};

struct pb_wf_diag {
	size_t n;		/* errors kept in e[] */
	size_t dropped;		/* errors found beyond PB_WF_MAX_ERRORS */
	struct pb_wf_error e[PB_WF_MAX_ERRORS];
};

/* Parse and validate workflow YAML.  Returns its JSON form (a new
 * object, the caller json_decref()s it) or NULL with every error in d. */
json_t *pb_wf_load_yaml(const char *buf, size_t len, struct pb_wf_diag *d);

/* pb_wf_load_yaml() on the contents of path; I/O errors land in d. */
json_t *pb_wf_load_file(const char *path, struct pb_wf_diag *d);

/* Validate a definition as stored (the JSON form), with the same rules
 * as the loader.  0 if valid, else -1 with the errors (line 0) in d. */
int pb_wf_check_json(const json_t *def, struct pb_wf_diag *d);

/* Print d as "file:line:column: key: reason" lines, errors in the
 * order of the file. */
void pb_wf_diag_print(FILE *f, const char *file, const struct pb_wf_diag *d);

/* One error as that line, without the newline, into out. */
void pb_wf_error_format(char *out, size_t outsz, const char *file,
    const struct pb_wf_error *err);

#endif

/* qfield.h: the query parameters of an endpoint, checked against its
 * table (pure).  As jsonfield.h for bodies: one row per key names the
 * validator that makes the typed value, so handlers never parse.  The
 * decoding itself (escapes, NUL bytes, repeated keys) is query.c's. */
#ifndef PB_QFIELD_H
#define PB_QFIELD_H

#include <stddef.h>

#include "core/err.h"

/* A validator: the typed value of the decoded, non-empty in into out,
 * or -1 with a reason naming parameter name. */
typedef int pb_qparse(const char *in, const char *name, void *out,
    struct pb_err *e);

/* Longest decoded value a row may take, NUL included. */
#define PB_QVALUE_MAX 128

struct pb_qfield {
	const char *name;	/* NULL ends the table */
	int required;		/* absent or empty is an error */
	size_t size;		/* decoded value size limit, NUL included */
	pb_qparse *parse;	/* the validator */
	void *out;		/* parse's out; untouched when not given */
	int given;		/* out: present and not empty */
};

/* Every key of query must be a row's, at most once; each row's value
 * decoded (an empty one is not given) and validated, in table order.
 * -1 with the first reason. */
int pb_qfields(const char *query, struct pb_qfield *f, struct pb_err *e);

/* Validators; out's type in the comment. */
pb_qparse pb_qf_serial_loose;	/* struct pb_serial */
pb_qparse pb_qf_mac;		/* struct pb_mac */
pb_qparse pb_qf_uuid;		/* struct pb_uuid */
pb_qparse pb_qf_arch;		/* const char *: static name */
pb_qparse pb_qf_state;		/* const char *: static name */
pb_qparse pb_qf_model;		/* const char *: static name */
pb_qparse pb_qf_workflow_id;	/* char[64]: a copy */
pb_qparse pb_qf_board_mode;	/* const char *: "uboot" or "uefi" */
pb_qparse pb_qf_text;		/* char[size]: a copy, printable ASCII */
pb_qparse pb_qf_limit;		/* int: a page size from 1 to 1000 */
pb_qparse pb_qf_id;
pb_qparse pb_qf_format;		/* int: 1 for env, 0 for json */		/* long long: a row id, 0 to 10^18 - 1 */

#endif

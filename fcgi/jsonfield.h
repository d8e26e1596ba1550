/* jsonfield.h: the fields of a JSON request body, checked against the
 * endpoint's table (pure).  jansson's own messages do not name the key
 * (Debian 12's 2.14), so values are taken as json_t and these say which
 * field is wrong and why.
 *
 * An endpoint declares its body kcgi-style: one pb_jfield row per key
 * names the validator that makes the typed value and where it goes, so
 * a handler never parses a field itself. */
#ifndef PB_JSONFIELD_H
#define PB_JSONFIELD_H

#include <stddef.h>

#include <jansson.h>

#include "core/err.h"

/* A validator: the typed value of v (never JSON null unless the row
 * says PB_F_NULL) into out, or -1 with a reason naming field name. */
typedef int pb_jparse(const json_t *v, const char *name, void *out,
    struct pb_err *e);

enum {
	PB_F_OPTIONAL = 0,	/* absent or null: not given */
	PB_F_REQUIRED = 1,	/* absent or null is an error */
	PB_F_NULL = 2		/* null goes to the validator too */
};

/* What pb_jfields() found for a row. */
enum { PB_ABSENT, PB_GIVEN_NULL, PB_GIVEN };

struct pb_jfield {
	const char *name;	/* NULL ends the table */
	int flags;		/* PB_F_* */
	pb_jparse *parse;	/* NULL: the key is allowed, its value unused */
	void *out;		/* parse's out; untouched when not called */
	int given;		/* out: PB_ABSENT, PB_GIVEN_NULL, PB_GIVEN */
};

/* Every key of obj must be in f; then every required row must be given;
 * then each given row's validator runs, in table order.  -1 with the
 * first reason: unknown field, required field missing, bad value. */
int pb_jfields(const json_t *obj, struct pb_jfield *f, struct pb_err *e);

/* Validators for pb_jfield rows; out's type is in the comment. */
pb_jparse pb_jf_str;		/* const char *: borrowed from obj */
pb_jparse pb_jf_comment;	/* const char *: pb_json_text(), 1..500 */
pb_jparse pb_jf_bool;		/* int: 0 or 1 */
pb_jparse pb_jf_serial_loose;	/* struct pb_serial */
pb_jparse pb_jf_mac;		/* struct pb_mac */
pb_jparse pb_jf_ip;		/* struct pb_ip */
pb_jparse pb_jf_hostname;	/* struct pb_hostname */
pb_jparse pb_jf_model;		/* const char *: the model's static name */
pb_jparse pb_jf_state;		/* const char *: the state's static name */
pb_jparse pb_jf_workflow_id;	/* const char *: borrowed from obj */
pb_jparse pb_jf_url;		/* struct pb_url: the server URL rule */
pb_jparse pb_jf_arch;		/* const char *: the arch's static name */
pb_jparse pb_jf_board_mode;	/* const char *: "uboot" or "uefi" */
pb_jparse pb_jf_board;		/* const char *: a board name, borrowed */
pb_jparse pb_jf_dtb;		/* const char *: a DTB path, borrowed */
pb_jparse pb_jf_console;	/* const char *: borrowed */
pb_jparse pb_jf_cmdline_extra;	/* const char *: borrowed */
pb_jparse pb_jf_board_text;	/* const char *: a description, borrowed */

/* Typed values; name is for the reason.  Strings are borrowed. */
int pb_json_str(const json_t *v, const char *name, const char **out,
    struct pb_err *e);
/* A string of 1..max characters without control bytes (free text that
 * ends up in logs and psql output). */
int pb_json_text(const json_t *v, const char *name, size_t max,
    const char **out, struct pb_err *e);
int pb_json_bool(const json_t *v, const char *name, int *out,
    struct pb_err *e);
int pb_json_int(const json_t *v, const char *name, long long lo,
    long long hi, long long *out, struct pb_err *e);

#endif

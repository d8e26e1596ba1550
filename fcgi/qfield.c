/* qfield.c: query parameters by table, validated into typed values. */
#include <stdio.h>
#include <string.h>

#include "boot/model.h"
#include "core/board.h"
#include "core/ident.h"
#include "core/nodestate.h"
#include "core/num.h"
#include "qfield.h"
#include "query.h"

/* The most rows a table has (pb_query_check takes a key list). */
#define QFIELDS_MAX 16

int
pb_qfields(const char *query, struct pb_qfield *f, struct pb_err *e)
{
	const char *keys[QFIELDS_MAX + 1];
	char v[PB_QVALUE_MAX];
	size_t i, size;

	for (i = 0; f[i].name != NULL; i++) {
		if (i == QFIELDS_MAX)
			return pb_fail(e, "more than %d query parameters in a "
			    "table", QFIELDS_MAX);
		keys[i] = f[i].name;
		f[i].given = 0;
	}
	keys[i] = NULL;
	if (pb_query_check(query, keys, e) == -1)
		return -1;
	for (i = 0; f[i].name != NULL; i++) {
		size = f[i].size < sizeof(v) ? f[i].size : sizeof(v);
		if (pb_query_get(query, f[i].name, v, size, e) == -1)
			return -1;
		if (v[0] == '\0') {
			if (f[i].required)
				return pb_fail(e, "query parameter \"%s\" is "
				    "required", f[i].name);
			continue;
		}
		if (f[i].parse(v, f[i].name, f[i].out, e) == -1)
			return -1;
		f[i].given = 1;
	}
	return 0;
}

/* These parsers name the value themselves ("serial \"x\" is not ..."). */
#define BY_PARSER(fn, parser)						\
int									\
fn(const char *in, const char *name, void *out, struct pb_err *e)	\
{									\
	(void)name;							\
	return parser(out, in, e);					\
}

BY_PARSER(pb_qf_serial_loose, pb_serial_parse_loose)
BY_PARSER(pb_qf_mac, pb_mac_parse)
BY_PARSER(pb_qf_uuid, pb_uuid_parse)
BY_PARSER(pb_qf_arch, pb_arch_parse)
BY_PARSER(pb_qf_state, pb_state_parse)
BY_PARSER(pb_qf_board_mode, pb_board_boot_mode_parse)

/* Free text a client reports (a board's model): the row's size bounds
 * it (pb_qfields refuses longer), printable ASCII only, because it goes
 * into an event payload that operators read in psql. */
int
pb_qf_text(const char *in, const char *name, void *out, struct pb_err *e)
{
	const unsigned char *s;

	for (s = (const unsigned char *)in; *s != '\0'; s++)
		if (*s < 0x20 || *s >= 0x7f)
			return pb_refuse(e, name, in, "is not printable ASCII");
	/* pb_qfields checked the length against the row's size. */
	memcpy(out, in, strlen(in) + 1);
	return 0;
}

int
pb_qf_model(const char *in, const char *name, void *out, struct pb_err *e)
{
	enum pb_model m;

	(void)name;
	if (pb_model_parse(&m, in, e) == -1)
		return -1;
	*(const char **)out = pb_model_name(m);
	return 0;
}

int
pb_qf_workflow_id(const char *in, const char *name, void *out,
    struct pb_err *e)
{
	(void)name;
	if (pb_workflow_id_check(in, e) == -1)
		return -1;
	/* A checked id is at most 63 bytes. */
	snprintf(out, 64, "%s", in);
	return 0;
}

int
pb_qf_limit(const char *in, const char *name, void *out, struct pb_err *e)
{
	return pb_int_parse(out, in, 1, 1000, name, e);
}

int
pb_qf_format(const char *in, const char *name, void *out, struct pb_err *e)
{
	char q[40];

	(void)name;
	/* Quoted: the value is decoded from %-escapes and may hold any
	 * byte, and the reason goes into a JSON reply and the log. */
	if (strcmp(in, "env") != 0 && strcmp(in, "json") != 0) {
		pb_quote(q, sizeof(q), in, 8);
		return pb_fail(e, "format \"%s\" is not json or env", q);
	}
	*(int *)out = strcmp(in, "env") == 0;
	return 0;
}

int
pb_qf_id(const char *in, const char *name, void *out, struct pb_err *e)
{
	struct pb_err why;
	char q[40];

	/* At most 18 digits, so any id fits a bigint; no sign, not "-0". */
	if (in[0] == '-' || strlen(in) > 18 ||
	    pb_num_parse(out, in, 0, 999999999999999999LL, name, &why) == -1) {
		pb_quote(q, sizeof(q), in, 20);
		return pb_fail(e, "%s \"%s\" is not an id", name, q);
	}
	return 0;
}

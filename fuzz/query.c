/* query.c: query strings (fcgi/query.c) and the endpoints' parameter
 * tables (fcgi/qfield.c).  Input: QUERY '\n' VALUE.
 * Properties: QUERY against a table of every validator either fails
 * with a printable reason or gives typed values that parse again to
 * themselves; a decoded value fits its buffer and holds no NUL; VALUE
 * percent-encoded into a query decodes back to VALUE exactly (and a
 * key given twice is refused). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/chars.h"
#include "core/ident.h"
#include "fz.h"
#include "qfield.h"
#include "query.h"

struct vals {
	struct pb_serial serial;
	struct pb_mac mac;
	struct pb_uuid id;
	const char *arch, *state, *model;
	char workflow[64];
	int limit, env;
	long long after;
};

static void
table(const char *query)
{
	struct vals v;
	struct pb_err e;
	struct pb_serial s;
	struct pb_mac m;
	struct pb_uuid u;
	struct pb_qfield f[] = {
		{ "serial", 0, 16, pb_qf_serial_loose, &v.serial, 0 },
		{ "mac", 0, 32, pb_qf_mac, &v.mac, 0 },
		{ "id", 0, 40, pb_qf_uuid, &v.id, 0 },
		{ "arch", 0, 16, pb_qf_arch, &v.arch, 0 },
		{ "state", 0, 32, pb_qf_state, &v.state, 0 },
		{ "model", 0, 16, pb_qf_model, &v.model, 0 },
		{ "workflow", 0, 64, pb_qf_workflow_id, v.workflow, 0 },
		{ "limit", 0, 8, pb_qf_limit, &v.limit, 0 },
		{ "after", 0, 24, pb_qf_id, &v.after, 0 },
		{ "format", 0, 8, pb_qf_format, &v.env, 0 },
		{ NULL, 0, 0, NULL, NULL, 0 },
	};

	if (pb_qfields(query, f, &e) == -1) {
		fz_check_refusal(&e, "qfields");
		return;
	}
	if (f[0].given)
		FZ_ASSERT(pb_serial_parse(&s, v.serial.s, &e) == 0, "serial");
	if (f[1].given)
		FZ_ASSERT(pb_mac_parse(&m, v.mac.s, &e) == 0, "mac");
	if (f[2].given)
		FZ_ASSERT(pb_uuid_parse(&u, v.id.s, &e) == 0, "id");
	if (f[6].given)
		FZ_ASSERT(fz_in_set(v.workflow, PB_LOWER PB_DIGIT "-") &&
		    strlen(v.workflow) < 64, "workflow %s", v.workflow);
	if (f[7].given)
		FZ_ASSERT(v.limit >= 1 && v.limit <= 1000, "limit %d", v.limit);
	if (f[8].given)
		FZ_ASSERT(v.after >= 0 && v.after <= 999999999999999999LL,
		    "after %lld", v.after);
	if (f[9].given)
		FZ_ASSERT(v.env == 0 || v.env == 1, "format %d", v.env);
}

static void
raw(const char *query)
{
	static const char *const keys[] = { "a", "serial", "b c", NULL };
	char out[32];
	struct pb_err e;
	size_t i;
	int rc;

	if (pb_query_check(query, keys, &e) == -1)
		fz_check_refusal(&e, "query_check");
	for (i = 0; keys[i] != NULL; i++) {
		memset(out, 'x', sizeof(out));
		rc = pb_query_get(query, keys[i], out, sizeof(out), &e);
		if (rc == -1)
			fz_check_refusal(&e, "query_get");
		else
			FZ_ASSERT(strnlen(out, sizeof(out)) < sizeof(out) &&
			    (rc == 1 || out[0] == '\0'), "query_get %d", rc);
	}
}

static void
encode(char *out, const char *v)
{
	static const char hex[] = "0123456789ABCDEF";

	for (; *v != '\0'; v++) {
		unsigned char c = (unsigned char)*v;

		if (c == ' ')
			*out++ = '+';
		else if (strchr(PB_ALNUM "-._~", c) != NULL)
			*out++ = (char)c;
		else {
			*out++ = '%';
			*out++ = hex[c >> 4];
			*out++ = hex[c & 15];
		}
	}
	*out = '\0';
}

static void
round_trip(const char *v)
{
	static const char *const keys[] = { "k", "other", NULL };
	char enc[3 * 256 + 1], q[3 * 256 + 32], out[64];
	struct pb_err e;
	size_t n = strlen(v);
	int rc;

	if (n > 256)
		return;
	encode(enc, v);
	snprintf(q, sizeof(q), "other=1&k=%s&", enc);
	FZ_ASSERT(pb_query_check(q, keys, &e) == 0, "query %s: %s", q, e.msg);
	rc = pb_query_get(q, "k", out, sizeof(out), &e);
	if (n < sizeof(out))
		FZ_ASSERT(rc == 1 && strcmp(out, v) == 0, "query %s gives %s", q,
		    rc == -1 ? e.msg : out);
	else {
		FZ_ASSERT(rc == -1, "query %s: a value of %zu bytes fit", q, n);
		fz_check_refusal(&e, "query_get long");
	}
	snprintf(q, sizeof(q), "k=%s&other=&k=", enc);
	FZ_ASSERT(pb_query_check(q, keys, &e) == -1, "query %s: k twice", q);
	fz_check_refusal(&e, "query twice");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *f[2], *buf;
	size_t n = fz_split(data, size, '\n', f, 2, &buf);

	table(f[0]);
	raw(f[0]);
	if (n == 2)
		round_trip(f[1]);
	free(buf);
	return 0;
}

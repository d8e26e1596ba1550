/* json.c: JSON request bodies: jansson as body.c calls it, then the
 * endpoints' pb_jfield tables (fcgi/jsonfield.c: register-pi, node
 * patch, transition, settings), and Content-Length (pb_clen_parse).
 * Input: one byte, then a body (even) or a Content-Length (odd).
 * Properties: a refusal is a printable, bounded reason; an accepted
 * field's typed value is valid by its own parser again (a serial is 8
 * lower-case hex digits, a comment has no control byte, ...); an
 * accepted Content-Length is digits whose number prints back to a
 * length that parses to itself. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "boot/model.h"
#include "core/ident.h"
#include "core/nodestate.h"
#include "core/url.h"
#include "fz.h"
#include "jsonfield.h"
#include "req.h"

/* body.c's request path, never reached from pb_clen_parse. */
void
pb_reply_bad(struct pb_req *r, const char *where, const struct pb_err *e)
{
	(void)r, (void)where, (void)e;
	abort();
}

void
pb_reply_error(struct pb_req *r, int status, const char *code,
    const char *fmt, ...)
{
	(void)r, (void)status, (void)code, (void)fmt;
	abort();
}

void
pb_log(const char *fmt, ...)
{
	(void)fmt;
	abort();
}

static int
jf_percent(const json_t *v, const char *name, void *out, struct pb_err *e)
{
	return pb_json_int(v, name, 0, 100, out, e);
}

static void
check_given(const struct pb_jfield *f, const char *name)
{
	struct pb_err e;
	struct pb_serial s;
	struct pb_mac m;
	struct pb_hostname h;
	struct pb_ip ip;
	enum pb_model model;
	const char *st;

	for (; f->name != NULL; f++) {
		if (f->given != PB_GIVEN || strcmp(f->name, name) != 0)
			continue;
		if (f->parse == pb_jf_serial_loose)
			FZ_ASSERT(pb_serial_parse(&s, ((struct pb_serial *)f->out)->s,
			    &e) == 0, "serial");
		else if (f->parse == pb_jf_mac)
			FZ_ASSERT(pb_mac_parse(&m, ((struct pb_mac *)f->out)->s,
			    &e) == 0, "mac");
		else if (f->parse == pb_jf_hostname)
			FZ_ASSERT(pb_hostname_parse(&h,
			    ((struct pb_hostname *)f->out)->s, &e) == 0, "hostname");
		else if (f->parse == pb_jf_ip)
			FZ_ASSERT(pb_ip_parse(&ip, ((struct pb_ip *)f->out)->s,
			    &e) == 0, "ip");
		else if (f->parse == pb_jf_model)
			FZ_ASSERT(pb_model_parse(&model, *(const char **)f->out,
			    &e) == 0, "model");
		else if (f->parse == pb_jf_state)
			FZ_ASSERT(pb_state_parse(&st, *(const char **)f->out,
			    &e) == 0, "state");
		else if (f->parse == pb_jf_workflow_id)
			FZ_ASSERT(pb_workflow_id_check(*(const char **)f->out,
			    &e) == 0, "workflow_id");
		else if (f->parse == pb_jf_url)
			FZ_ASSERT(pb_server_url_check(((struct pb_url *)f->out)->s,
			    &e) == 0, "url");
		else if (f->parse == pb_jf_comment) {
			st = *(const char **)f->out;
			FZ_ASSERT(strlen(st) >= 1 && strlen(st) <= 500, "comment");
			for (; *st != '\0'; st++)
				FZ_ASSERT((unsigned char)*st >= 0x20 && *st != 0x7f,
				    "comment has a control byte");
		} else if (f->parse == pb_jf_bool)
			FZ_ASSERT(*(int *)f->out == 0 || *(int *)f->out == 1, "bool");
		else if (f->parse == jf_percent)
			FZ_ASSERT(*(long long *)f->out >= 0 &&
			    *(long long *)f->out <= 100, "percent");
	}
}

static void
run(const json_t *root, struct pb_jfield *f, const char *what)
{
	struct pb_err e;
	size_t i;

	if (pb_jfields(root, f, &e) == -1) {
		fz_check_refusal(&e, what);
		return;
	}
	for (i = 0; f[i].name != NULL; i++) {
		FZ_ASSERT(f[i].given != PB_ABSENT ||
		    json_object_get(root, f[i].name) == NULL, "%s", f[i].name);
		if ((f[i].flags & PB_F_REQUIRED))
			FZ_ASSERT(f[i].given == PB_GIVEN, "%s: required %s", what,
			    f[i].name);
		check_given(f, f[i].name);
	}
}

static void
tables(const json_t *root)
{
	struct pb_serial serial;
	struct pb_mac mac;
	struct pb_ip ip;
	struct pb_hostname host;
	struct pb_url url;
	const char *model = NULL, *wf = NULL, *to = NULL, *comment = NULL;
	int force = 0, b[2] = { 0, 0 };
	long long pct = 0;
	struct pb_jfield reg[] = {
		{ "serial", PB_F_REQUIRED, pb_jf_serial_loose, &serial, 0 },
		{ "mac", PB_F_REQUIRED, pb_jf_mac, &mac, 0 },
		{ "model", PB_F_OPTIONAL, pb_jf_model, &model, 0 },
		{ "ip_address", PB_F_OPTIONAL, pb_jf_ip, &ip, 0 },
		{ NULL, 0, NULL, NULL, 0 },
	}, patch[] = {
		{ "hostname", PB_F_OPTIONAL, pb_jf_hostname, &host, 0 },
		{ "pi_model", PB_F_OPTIONAL, pb_jf_model, &model, 0 },
		{ "workflow_id", PB_F_OPTIONAL, pb_jf_workflow_id, &wf, 0 },
		{ NULL, 0, NULL, NULL, 0 },
	}, trans[] = {
		{ "to", PB_F_REQUIRED, pb_jf_state, &to, 0 },
		{ "comment", PB_F_OPTIONAL, pb_jf_comment, &comment, 0 },
		{ "force", PB_F_NULL, pb_jf_bool, &force, 0 },
		{ "type", PB_F_OPTIONAL, NULL, NULL, 0 },
		{ "percent", PB_F_OPTIONAL, jf_percent, &pct, 0 },
		{ NULL, 0, NULL, NULL, 0 },
	}, settings[] = {
		{ "server_url", PB_F_NULL, pb_jf_url, &url, PB_ABSENT },
		{ "auto_register", PB_F_NULL, pb_jf_bool, &b[0], PB_ABSENT },
		{ "discovery", PB_F_NULL, pb_jf_bool, &b[1], PB_ABSENT },
		{ NULL, 0, NULL, NULL, 0 },
	};

	run(root, reg, "register-pi");
	run(root, patch, "node patch");
	run(root, trans, "transition");
	run(root, settings, "settings");
}

static void
clen(const char *in)
{
	struct pb_err e;
	long long len, len2;
	char buf[32];

	if (pb_clen_parse(&len, in, &e) == -1) {
		fz_check_refusal(&e, "Content-Length");
		return;
	}
	FZ_ASSERT(len >= 0 && strspn(in, "0123456789") == strlen(in),
	    "Content-Length %s is %lld", in, len);
	snprintf(buf, sizeof(buf), "%lld", len);
	FZ_ASSERT(pb_clen_parse(&len2, buf, &e) == 0 && len2 == len,
	    "Content-Length %s", buf);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_error_t je;
	json_t *root;
	char *s;

	if (size < 1)
		return 0;
	if (data[0] & 1) {
		s = fz_strndup(data + 1, size - 1);
		clen(s);
		free(s);
		return 0;
	}
	/* As body.c loads it. */
	root = json_loadb((const char *)data + 1, size - 1,
	    JSON_REJECT_DUPLICATES, &je);
	if (root == NULL)
		return 0;
	tables(root);
	json_decref(root);
	return 0;
}

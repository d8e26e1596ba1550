/* Unit tests for lib/core/ident.c and lib/boot/model.c: every parser, table-driven.
 * want NULL: the input must be refused. */
#include <stdio.h>

#include "core/ident.h"
#include "boot/model.h"
#include "tap.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

struct tcase { const char *in, *want; };

static const struct tcase serials[] = {
	{ "d83add36", "d83add36" }, { "00000000", "00000000" },
	{ "d83add3", NULL }, { "d83add367", NULL }, { "D83ADD36", NULL },
	{ "d83add36\n", NULL }, { "d83add3 ", NULL }, { "g83add36", NULL },
	{ "", NULL }, { "../../et", NULL },
};
static const struct tcase serials_loose[] = {
	{ "D83ADD36", "d83add36" }, { "d83Add36", "d83add36" },
	{ "D83ADD36\n", NULL }, { " d83add3", NULL }, { "d83add3", NULL },
};
static const struct tcase macs[] = {
	{ "dc:a6:32:01:02:03", "dc:a6:32:01:02:03" },
	{ "DC-A6-32-01-02-0F", "dc:a6:32:01:02:0f" },
	{ "dc:a6:32:01:02", NULL }, { "dc:a6-32:01:02:03", NULL },
	{ "dc:a6:32:01:02:03\n", NULL }, { "dca632010203", NULL },
	{ "dc:a6:32:01:02:0g", NULL }, { "dc.a6.32.01.02.03", NULL },
};
static const struct tcase hostnames[] = {
	{ "node-01", "node-01" }, { "Node01", "node01" }, { "a", "a" },
	{ "-node", NULL }, { "node-", NULL }, { "no.de", NULL }, { "", NULL },
	{ "node\n", NULL }, { "n_1", NULL },
	{ "a123456789012345678901234567890123456789012345678901234567890ab",
	  "a123456789012345678901234567890123456789012345678901234567890ab" },
	{ "a123456789012345678901234567890123456789012345678901234567890abc",
	  NULL },
};
static const struct tcase uuids[] = {
	{ "0B8E2C1A-1234-4abc-8def-0123456789ab",
	  "0b8e2c1a-1234-4abc-8def-0123456789ab" },
	{ "0b8e2c1a-1234-4abc-8def-0123456789a", NULL },
	{ "0b8e2c1a11234-4abc-8def-0123456789ab", NULL },
	{ "0b8e2c1a-1234-4abc-8def-0123456789ag", NULL },
};
static const struct tcase ips[] = {
	{ "192.168.1.100", "192.168.1.100" }, { "::1", "::1" },
	{ "fe80:0:0:0:0:0:0:1", "fe80::1" }, { "192.168.1.256", NULL },
	{ "192.168.1.1 ", NULL }, { "1.2.3.4/24", NULL }, { "", NULL },
};
static const struct tcase evkeys[] = {
	{ "3f2a9c1e4b7d-12", "3f2a9c1e4b7d-12" }, { "a", "a" },
	{ "Boot.ID_7:install-3", "Boot.ID_7:install-3" },
	{ "1234567890123456789012345678901234567890123456789012345678901234",
	  "1234567890123456789012345678901234567890123456789012345678901234" },
	{ "12345678901234567890123456789012345678901234567890123456789012345",
	  NULL },
	{ "", NULL }, { "a b", NULL }, { "a\n", NULL }, { "a/b", NULL },
	{ "\"a\"", NULL }, { "caf\xc3\xa9", NULL }, { "a\x7f", NULL },
};
static const struct tcase models[] = {
	{ "pi4", "pi4" }, { "pi3+", "pi3+" }, { "pi3b+", "pi3+" },
	{ "pi3b", "pi3" }, { "cm5", "cm5" }, { "pi500", "pi500" },
	{ "PI4", NULL }, { "pi6", NULL }, { "pi4 ", NULL }, { "", NULL },
};

typedef const char *parse_fn(const char *in, char *buf, struct pb_err *e);

static const char *
p_serial(const char *in, char *buf, struct pb_err *e)
{
	struct pb_serial v;
	return pb_serial_parse(&v, in, e) ? NULL : strcpy(buf, v.s);
}
static const char *
p_serial_loose(const char *in, char *buf, struct pb_err *e)
{
	struct pb_serial v;
	return pb_serial_parse_loose(&v, in, e) ? NULL : strcpy(buf, v.s);
}
static const char *
p_mac(const char *in, char *buf, struct pb_err *e)
{
	struct pb_mac v;
	return pb_mac_parse(&v, in, e) ? NULL : strcpy(buf, v.s);
}
static const char *
p_hostname(const char *in, char *buf, struct pb_err *e)
{
	struct pb_hostname v;
	return pb_hostname_parse(&v, in, e) ? NULL : strcpy(buf, v.s);
}
static const char *
p_uuid(const char *in, char *buf, struct pb_err *e)
{
	struct pb_uuid v;
	return pb_uuid_parse(&v, in, e) ? NULL : strcpy(buf, v.s);
}
static const char *
p_ip(const char *in, char *buf, struct pb_err *e)
{
	struct pb_ip v;
	return pb_ip_parse(&v, in, e) ? NULL : strcpy(buf, v.s);
}
static const char *
p_evkey(const char *in, char *buf, struct pb_err *e)
{
	struct pb_evkey v;
	return pb_evkey_parse(&v, in, e) ? NULL : strcpy(buf, v.s);
}
static const char *
p_model(const char *in, char *buf, struct pb_err *e)
{
	enum pb_model m;
	return pb_model_parse(&m, in, e) ? NULL : strcpy(buf, pb_model_name(m));
}

static void
run(const char *what, parse_fn *fn, const struct tcase *c, size_t n)
{
	struct pb_err e;
	char buf[128], name[160], q[64];
	size_t i;

	for (i = 0; i < n; i++) {
		pb_quote(q, sizeof(q), c[i].in, 40);
		snprintf(name, sizeof(name), "%s \"%s\" %s", what, q,
		    c[i].want ? "accepted" : "refused");
		e.msg[0] = '\0';
		tap_is(fn(c[i].in, buf, &e), c[i].want, name);
		if (c[i].want == NULL)
			tap_ok(strstr(e.msg, what) == e.msg &&
			    strstr(e.msg, "\"") != NULL,
			    "  the reason names the field and quotes the value");
	}
}

int
main(void)
{
	struct pb_mac m;
	char dir[18];

	run("serial", p_serial, serials, N(serials));
	run("serial", p_serial_loose, serials_loose, N(serials_loose));
	run("mac", p_mac, macs, N(macs));
	run("hostname", p_hostname, hostnames, N(hostnames));
	run("id", p_uuid, uuids, N(uuids));
	run("ip_address", p_ip, ips, N(ips));
	run("model", p_model, models, N(models));
	run("key", p_evkey, evkeys, N(evkeys));
	pb_mac_parse(&m, "DC:A6:32:01:02:03", NULL);
	pb_mac_dir(&m, dir);
	tap_is(dir, "dc-a6-32-01-02-03", "mac dir is lower-case with dashes");
	return tap_done();
}

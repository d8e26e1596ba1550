/* ident.c: the validators of identifiers, numbers, character sets,
 * server URLs, tokens and the quoting of refused values (lib/core/).
 * The first byte picks the parser, the rest is the C string it gets.
 * Properties: an accepted value is canonical and parses again to
 * itself (parse(format(x)) == x), its text keeps to its character set;
 * a refusal is a printable, bounded message. */
#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "boot/model.h"
#include "core/chars.h"
#include "core/ident.h"
#include "core/nodestate.h"
#include "core/num.h"
#include "core/token.h"
#include "core/url.h"
#include "fz.h"

#define HEXL "0123456789abcdef"

static void
serial(const char *in, int loose)
{
	struct pb_serial s, s2;
	struct pb_err e;
	size_t i;

	if ((loose ? pb_serial_parse_loose(&s, in, &e) :
	    pb_serial_parse(&s, in, &e)) == -1) {
		fz_check_refusal(&e, "serial");
		return;
	}
	FZ_ASSERT(strlen(s.s) == 8 && fz_in_set(s.s, HEXL), "serial %s", s.s);
	for (i = 0; i < 8; i++)
		FZ_ASSERT(s.s[i] == tolower((unsigned char)in[i]), "serial %s "
		    "is not its input lowered", s.s);
	FZ_ASSERT(pb_serial_parse(&s2, s.s, &e) == 0 &&
	    strcmp(s2.s, s.s) == 0, "serial %s does not parse again", s.s);
}

static void
mac(const char *in)
{
	struct pb_mac m, m2;
	struct pb_err e;
	char dir[18], low[18];
	size_t i;

	if (pb_mac_parse(&m, in, &e) == -1) {
		fz_check_refusal(&e, "mac");
		return;
	}
	FZ_ASSERT(strlen(m.s) == 17 && fz_in_set(m.s, HEXL ":"), "mac %s", m.s);
	for (i = 0; i < 17; i++)
		low[i] = in[i] == '-' ? ':' : (char)tolower((unsigned char)in[i]);
	low[17] = '\0';
	FZ_ASSERT(strcmp(low, m.s) == 0, "mac %s is not its input %s", m.s, low);
	FZ_ASSERT(pb_mac_parse(&m2, m.s, &e) == 0 &&
	    memcmp(m2.b, m.b, 6) == 0 && strcmp(m2.s, m.s) == 0,
	    "mac %s does not parse again", m.s);
	pb_mac_dir(&m, dir);
	FZ_ASSERT(strlen(dir) == 17 && fz_in_set(dir, HEXL "-"), "dir %s", dir);
	FZ_ASSERT(pb_mac_parse(&m2, dir, &e) == 0 && memcmp(m2.b, m.b, 6) == 0,
	    "mac dir %s does not parse back", dir);
}

static void
hostname(const char *in)
{
	struct pb_hostname h, h2;
	struct pb_err e;
	size_t n;

	if (pb_hostname_parse(&h, in, &e) == -1) {
		fz_check_refusal(&e, "hostname");
		return;
	}
	n = strlen(h.s);
	FZ_ASSERT(n >= 1 && n <= 63 && n == strlen(in), "hostname %s", h.s);
	FZ_ASSERT(fz_in_set(h.s, PB_LOWER PB_DIGIT "-") && h.s[0] != '-' &&
	    h.s[n - 1] != '-', "hostname %s", h.s);
	FZ_ASSERT(strcasecmp(h.s, in) == 0, "hostname %s is not %s", h.s, in);
	FZ_ASSERT(pb_hostname_parse(&h2, h.s, &e) == 0 &&
	    strcmp(h2.s, h.s) == 0, "hostname %s does not parse again", h.s);
}

static void
uuid(const char *in)
{
	struct pb_uuid u, u2;
	struct pb_err e;

	if (pb_uuid_parse(&u, in, &e) == -1) {
		fz_check_refusal(&e, "uuid");
		return;
	}
	FZ_ASSERT(strlen(u.s) == 36 && fz_in_set(u.s, HEXL "-") &&
	    strcasecmp(u.s, in) == 0, "uuid %s", u.s);
	FZ_ASSERT(pb_uuid_parse(&u2, u.s, &e) == 0 && strcmp(u2.s, u.s) == 0,
	    "uuid %s does not parse again", u.s);
}

static void
ip(const char *in)
{
	struct pb_ip a, a2;
	struct pb_err e;

	if (pb_ip_parse(&a, in, &e) == -1) {
		fz_check_refusal(&e, "ip");
		return;
	}
	FZ_ASSERT(fz_in_set(a.s, HEXL ".:"), "ip %s", a.s);
	FZ_ASSERT(pb_ip_parse(&a2, a.s, &e) == 0 && strcmp(a2.s, a.s) == 0,
	    "ip %s does not parse again to itself", a.s);
	FZ_ASSERT(pb_check_host("", a.s, &e) == 0, "ip %s is no host: %s",
	    a.s, e.msg);
}

static void
num(const char *in)
{
	long long v, v2;
	int iv;
	char buf[32];
	struct pb_err e;
	const char *d = in[0] == '-' ? in + 1 : in;

	if (pb_num_parse(&v, in, LLONG_MIN, LLONG_MAX, "n", &e) == -1)
		fz_check_refusal(&e, "num");
	else {
		FZ_ASSERT(*d != '\0' && fz_in_set(d, PB_DIGIT), "num took %s", in);
		snprintf(buf, sizeof(buf), "%lld", v);
		FZ_ASSERT(pb_num_parse(&v2, buf, LLONG_MIN, LLONG_MAX, "n",
		    &e) == 0 && v2 == v, "num %s does not parse back", buf);
	}
	if (pb_int_parse(&iv, in, 1, 1000, "limit", &e) == -1)
		fz_check_refusal(&e, "int");
	else
		FZ_ASSERT(iv >= 1 && iv <= 1000, "limit %d from %s", iv, in);
}

/* scheme://host[:port]path is the URL as given. */
static void
url(const char *in)
{
	struct pb_url u, u2;
	struct pb_err e;
	char re[PB_URL_MAX + 32], host[256];
	size_t n;

	if (pb_url_parse(&u, in, &e) == -1) {
		fz_check_refusal(&e, "url");
		FZ_ASSERT(pb_server_url_check(in, &e) == -1, "check differs");
		return;
	}
	FZ_ASSERT(strlen(u.s) <= PB_URL_MAX && strcmp(u.s, in) == 0, "url %s", in);
	FZ_ASSERT(strcmp(u.scheme, "http") == 0 ||
	    strcmp(u.scheme, "https") == 0, "scheme %s", u.scheme);
	FZ_ASSERT(u.port <= 65535, "port %u", u.port);
	FZ_ASSERT(fz_in_set(u.s, PB_ALNUM ".-_~/:[]"), "url %s has a byte "
	    "outside the cmdline-safe set", u.s);
	if (u.port != 0)
		snprintf(re, sizeof(re), "%s://%s:%u%s", u.scheme, u.host,
		    u.port, u.path);
	else
		snprintf(re, sizeof(re), "%s://%s%s", u.scheme, u.host, u.path);
	FZ_ASSERT(strcmp(re, u.s) == 0, "url %s reassembles as %s", u.s, re);
	FZ_ASSERT(pb_url_parse(&u2, u.s, &e) == 0 && strcmp(u2.host, u.host) == 0 &&
	    u2.port == u.port && strcmp(u2.path, u.path) == 0, "url %s", u.s);
	n = strlen(u.host);
	if (u.host[0] == '[') {
		memcpy(host, u.host + 1, n - 2);
		host[n - 2] = '\0';
	} else
		memcpy(host, u.host, n + 1);
	FZ_ASSERT(pb_check_host("", host, &e) == 0, "url host %s is no host: %s",
	    host, e.msg);
}

static void
paths(const char *in)
{
	struct pb_err e;
	char buf[32];
	const char *b;
	size_t n = strlen(in);

	if (pb_check_relpath("relpath", in, &e) == -1)
		fz_check_refusal(&e, "relpath");
	else
		FZ_ASSERT(n >= 1 && n <= 128 && fz_in_set(in, PB_ALNUM "._-/") &&
		    in[0] != '/' && in[0] != '.' && in[n - 1] != '/' &&
		    strstr(in, "..") == NULL && strstr(in, "//") == NULL &&
		    strstr(in, "/.") == NULL, "relpath %s", in);
	if (pb_check_filename("file", in, &e) == -1)
		fz_check_refusal(&e, "filename");
	else
		FZ_ASSERT(n >= 1 && n <= 128 && fz_in_set(in, PB_ALNUM "._-") &&
		    in[0] != '.' && in[0] != '-', "filename %s", in);
	if (pb_check_abspath("abspath", in, &e) == -1)
		fz_check_refusal(&e, "abspath");
	else
		FZ_ASSERT(in[0] == '/' && n <= 255 &&
		    fz_in_set(in, PB_ALNUM "._-/") && strstr(in, "//") == NULL &&
		    strstr(in, "/./") == NULL && strstr(in, "/../") == NULL &&
		    (n < 2 || (strcmp(in + n - 2, "/.") != 0 &&
		    strcmp(in + n - 1, "/") != 0)) &&
		    (n < 3 || strcmp(in + n - 3, "/..") != 0), "abspath %s", in);
	if (pb_check_host("host", in, &e) == -1)
		fz_check_refusal(&e, "host");
	else
		FZ_ASSERT(n >= 1 && fz_in_set(in, PB_ALNUM ".:-"), "host %s", in);
	if (pb_check_cmdword("word", in, &e) == -1)
		fz_check_refusal(&e, "cmdword");
	else
		FZ_ASSERT(n >= 1 && n <= 255 && fz_in_set(in, PB_CMDWORD),
		    "cmdword %s", in);
	if ((b = pb_bad_char(in, PB_ALNUM, buf)) != NULL)
		FZ_ASSERT(fz_printable(b) && *b != '\0', "bad char %s", b);
	else
		FZ_ASSERT(fz_in_set(in, PB_ALNUM), "bad char missed in %s", in);
}

static void
names(const char *in)
{
	struct pb_err e;
	enum pb_model m, m2;
	const char *s, *s2;

	if (pb_model_parse(&m, in, &e) == -1)
		fz_check_refusal(&e, "model");
	else {
		FZ_ASSERT((unsigned)m < PB_NMODELS, "model %d", m);
		FZ_ASSERT(pb_model_parse(&m2, pb_model_name(m), &e) == 0 &&
		    m2 == m, "model name %s", pb_model_name(m));
	}
	if (pb_state_parse(&s, in, &e) == -1)
		fz_check_refusal(&e, "state");
	else
		FZ_ASSERT(strcmp(s, in) == 0 && pb_state_parse(&s2, s, &e) == 0 &&
		    s2 == s && fz_in_set(s, PB_LOWER "_"), "state %s", s);
	if (pb_arch_parse(&s, in, &e) == -1)
		fz_check_refusal(&e, "arch");
	else
		FZ_ASSERT(strcmp(s, in) == 0, "arch %s", s);
	if (pb_workflow_id_check(in, &e) == -1)
		fz_check_refusal(&e, "workflow id");
	else
		FZ_ASSERT(strlen(in) >= 1 && strlen(in) <= 63 &&
		    fz_in_set(in, PB_LOWER PB_DIGIT "-") && in[0] != '-',
		    "workflow id %s", in);
}

/* A refusal never quotes the header: it may hold a secret. */
static void
token(const char *in)
{
	struct pb_token t, t2;
	struct pb_err e;
	char again[PB_TOKEN_MAX + 16];

	if (pb_token_parse(&t, in, &e) == -1) {
		fz_check_refusal(&e, "token");
		FZ_ASSERT(strlen(in) < 15 || strstr(e.msg, in + 7) == NULL,
		    "token refusal quotes the header: %s", e.msg);
		return;
	}
	FZ_ASSERT(strlen(t.secret) == PB_TOKEN_SECRET_LEN &&
	    fz_in_set(t.id, HEXL), "token %s.%s", t.id, t.secret);
	FZ_ASSERT(strlen(t.id) == (t.kind == PB_TOKEN_API ? 12u : 16u),
	    "token id %s", t.id);
	snprintf(again, sizeof(again), "Bearer %s.%s.%s",
	    t.kind == PB_TOKEN_API ? "pb1" : "pbi1", t.id, t.secret);
	FZ_ASSERT(pb_token_parse(&t2, again, &e) == 0 && t2.kind == t.kind &&
	    strcmp(t2.id, t.id) == 0 && strcmp(t2.secret, t.secret) == 0,
	    "token %s does not parse again", again);
}

/* pb_quote: printable, bounded, and undoing its escapes gives a prefix
 * of the value (all of it when not cut). */
static void
quote(const char *in, size_t outsz, size_t max)
{
	char out[300], back[300];
	size_t i, o = 0, n = strlen(in);

	pb_quote(out, outsz, in, max);
	FZ_ASSERT(strlen(out) < outsz && fz_printable(out), "quote %s", out);
	for (i = 0; out[i] != '\0'; i++) {
		if (out[i] == '\\' && out[i + 1] == 'x') {
			back[o++] = (char)(pb_hexval(out[i + 2]) << 4 |
			    pb_hexval(out[i + 3]));
			i += 3;
		} else if (out[i] == '\\') {
			FZ_ASSERT(out[i + 1] == '"' || out[i + 1] == '\\',
			    "quote escape %s", out);
			back[o++] = out[++i];
		} else
			back[o++] = out[i];
	}
	back[o] = '\0';
	if (o >= 3 && strcmp(back + o - 3, "...") == 0 &&
	    strncmp(back, in, o) != 0)
		o -= 3;		/* the cut mark */
	FZ_ASSERT(o <= n && strncmp(back, in, o) == 0, "quote %s of %s", out, in);
	if (n <= max && n * 4 + 4 <= outsz)
		FZ_ASSERT(o == n, "quote %s cut %s", out, in);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *in;

	if (size < 1)
		return 0;
	in = fz_strndup(data + 1, size - 1);
	switch (data[0] % 12) {
	case 0: serial(in, 0); break;
	case 1: serial(in, 1); break;
	case 2: mac(in); break;
	case 3: hostname(in); break;
	case 4: uuid(in); break;
	case 5: ip(in); break;
	case 6: num(in); break;
	case 7: url(in); break;
	case 8: paths(in); break;
	case 9: names(in); break;
	case 10: token(in); break;
	default:
		quote(in, 1 + data[0] % 256, (size_t)(data[0] >> 2));
		break;
	}
	free(in);
	return 0;
}

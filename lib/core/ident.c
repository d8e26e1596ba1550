/* ident.c: parsers for the validated identifiers (pure). */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "core/chars.h"
#include "core/ident.h"

#define HEX "0123456789abcdef"

/* Quote an untrusted value for a message. */
#define Q(buf, s) (pb_quote((buf), sizeof(buf), (s), 40), (buf))

int
pb_serial_parse(struct pb_serial *out, const char *in, struct pb_err *e)
{
	char q[64];

	if (strlen(in) != 8 || strspn(in, HEX) != 8)
		return pb_fail(e, "serial \"%s\" is not 8 lower-case hex digits",
		    Q(q, in));
	memcpy(out->s, in, sizeof(out->s));
	return 0;
}

int
pb_serial_parse_loose(struct pb_serial *out, const char *in,
    struct pb_err *e)
{
	char q[64], low[9];
	size_t i;

	if (strlen(in) != 8 || strspn(in, HEX "ABCDEF") != 8)
		return pb_fail(e, "serial \"%s\" is not 8 hex digits", Q(q, in));
	for (i = 0; i < 8; i++)
		low[i] = (char)tolower((unsigned char)in[i]);
	low[8] = '\0';
	return pb_serial_parse(out, low, e);
}

int
pb_mac_parse(struct pb_mac *out, const char *in, struct pb_err *e)
{
	char q[64];
	char sep;
	int i, hi, lo;

	if (strlen(in) != 17)
		goto bad;
	sep = in[2];
	if (sep != ':' && sep != '-')
		goto bad;
	for (i = 0; i < 6; i++) {
		hi = pb_hexval(in[i * 3]);
		lo = pb_hexval(in[i * 3 + 1]);
		if (hi < 0 || lo < 0 || (i < 5 && in[i * 3 + 2] != sep))
			goto bad;
		out->b[i] = (uint8_t)(hi << 4 | lo);
	}
	snprintf(out->s, sizeof(out->s), "%02x:%02x:%02x:%02x:%02x:%02x",
	    out->b[0], out->b[1], out->b[2], out->b[3], out->b[4], out->b[5]);
	return 0;
bad:
	return pb_fail(e, "mac \"%s\" is not six hex pairs separated by "
	    "':' or '-'", Q(q, in));
}

void
pb_mac_dir(const struct pb_mac *m, char out[18])
{
	size_t i;

	memcpy(out, m->s, 18);
	for (i = 0; out[i] != '\0'; i++)
		if (out[i] == ':')
			out[i] = '-';
}

int
pb_hostname_parse(struct pb_hostname *out, const char *in, struct pb_err *e)
{
	char q[64];
	size_t n = strlen(in), i;

	if (n == 0 || n > 63)
		return pb_fail(e, "hostname \"%s\" must be 1 to 63 characters",
		    Q(q, in));
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)in[i];

		if (!isalnum(c) && c != '-')
			return pb_fail(e, "hostname \"%s\" may hold only letters, "
			    "digits and '-'", Q(q, in));
		out->s[i] = (char)tolower(c);
	}
	if (in[0] == '-' || in[n - 1] == '-')
		return pb_fail(e, "hostname \"%s\" must not begin or end with "
		    "'-'", Q(q, in));
	out->s[n] = '\0';
	return 0;
}

int
pb_uuid_parse(struct pb_uuid *out, const char *in, struct pb_err *e)
{
	char q[64];
	size_t i;

	if (strlen(in) != 36)
		goto bad;
	for (i = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (in[i] != '-')
				goto bad;
		} else if (pb_hexval(in[i]) < 0)
			goto bad;
		out->s[i] = (char)tolower((unsigned char)in[i]);
	}
	out->s[36] = '\0';
	return 0;
bad:
	return pb_fail(e, "id \"%s\" is not a UUID", Q(q, in));
}

int
pb_ip_parse(struct pb_ip *out, const char *in, struct pb_err *e)
{
	unsigned char buf[16];
	char q[64];

	if (inet_pton(AF_INET, in, buf) == 1) {
		if (inet_ntop(AF_INET, buf, out->s, sizeof(out->s)) == NULL)
			goto bad;
		return 0;
	}
	if (inet_pton(AF_INET6, in, buf) == 1) {
		if (inet_ntop(AF_INET6, buf, out->s, sizeof(out->s)) == NULL)
			goto bad;
		return 0;
	}
bad:
	return pb_fail(e, "ip_address \"%s\" is not an IPv4 or IPv6 address",
	    Q(q, in));
}

int
pb_evkey_parse(struct pb_evkey *out, const char *in, struct pb_err *e)
{
	size_t n = strlen(in);

	if (n == 0 || n > PB_EVKEY_MAX ||
	    strspn(in, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789._:-") != n)
		return pb_refuse(e, "key", in, "is not 1 to 64 of A-Z a-z 0-9 "
		    ". _ : -");
	memcpy(out->s, in, n + 1);
	return 0;
}

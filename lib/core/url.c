/* url.c: URLs, and the server URL setting (pure).  The one owner of
 * the server URL rule; sql/021-server-url.sql is a copy, compared by
 * t/sql/0102-constraints.sql. */
#include <arpa/inet.h>
#include <string.h>

#include "core/chars.h"
#include "core/url.h"

#define LABELS "has a host name that is not dot-separated labels of " \
	"letters, digits and '-'"

int
pb_dnsname_check(const char *what, const char *v, const char *h, size_t n,
    struct pb_err *e)
{
	size_t i = 0, lab;

	if (n == 0 || n > 253)
		return pb_refuse(e, what, v, "has a host name that is empty "
		    "or longer than 253 characters");
	while (i < n) {
		lab = strspn(h + i, PB_ALNUM "-");
		if (lab > n - i)
			lab = n - i;
		if (lab == 0 || lab > 63 || h[i] == '-' || h[i + lab - 1] == '-')
			return pb_refuse(e, what, v, LABELS);
		i += lab;
		if (i < n && h[i] != '.')
			return pb_refuse(e, what, v, LABELS);
		if (i < n)
			i++;
		/* "pxe.lan." is a valid absolute DNS name, but refused: the
		 * URL is compared and printed as text, and one spelling per
		 * host keeps the hook, the API and SQL in agreement. */
		if (i == n && h[n - 1] == '.')
			return pb_refuse(e, what, v, "has a host name ending "
			    "in '.'");
	}
	return 0;
}

/* IPv6 in brackets: hex digits and ':' only (no zone, no embedded
 * IPv4), and inet_pton must agree. */
static int
host_v6(const char *what, const char *url, const char *s, struct pb_url *out,
    const char **end, struct pb_err *e)
{
	unsigned char bin[16];
	char v6[64];
	const char *close = strchr(s, ']');
	size_t n;

	if (close == NULL)
		return pb_refuse(e, what, url, "has an unterminated [IPv6] "
		    "host");
	n = (size_t)(close - s - 1);
	if (n == 0 || n >= 46 || strspn(s + 1, PB_HEXDIGIT ":") != n)
		return pb_refuse(e, what, url, "has an invalid [IPv6] host");
	memcpy(v6, s + 1, n);
	v6[n] = '\0';
	if (inet_pton(AF_INET6, v6, bin) != 1)
		return pb_refuse(e, what, url, "has an invalid [IPv6] host");
	memcpy(out->host, s, n + 2);
	out->host[n + 2] = '\0';
	*end = close + 1;
	return 0;
}

static int
host_name(const char *what, const char *url, const char *s,
    struct pb_url *out, const char **end, struct pb_err *e)
{
	unsigned char bin[4];
	size_t n = strcspn(s, ":/?#");

	if (n == 0)
		return pb_refuse(e, what, url, "has no host");
	if (memchr(s, '@', n) != NULL)
		return pb_refuse(e, what, url, "has user information before "
		    "the host");
	if (n >= sizeof(out->host))
		return pb_refuse(e, what, url, "has a host name that is empty "
		    "or longer than 253 characters");
	memcpy(out->host, s, n);
	out->host[n] = '\0';
	/* Digits and dots only: an IPv4 address or nothing, never a name
	 * ("10.1" is no host to send a Pi to). */
	if (strspn(out->host, PB_DIGIT ".") == n &&
	    strpbrk(out->host, PB_DIGIT) != NULL) {
		if (inet_pton(AF_INET, out->host, bin) != 1)
			return pb_refuse(e, what, url, "has a host that is not "
			    "a valid IPv4 address");
	} else if (pb_dnsname_check(what, url, s, n, e) == -1)
		return -1;
	*end = s + n;
	return 0;
}

int
pb_url_authority(const char *what, const char *url, const char *s,
    struct pb_url *out, const char **end, struct pb_err *e)
{
	const char *p;
	unsigned long port = 0;

	out->port = 0;
	if ((s[0] == '[' ? host_v6(what, url, s, out, end, e) :
	    host_name(what, url, s, out, end, e)) == -1)
		return -1;
	if (**end != ':')
		return 0;
	p = *end + 1;
	while (*p >= '0' && *p <= '9' && p - *end <= 5)
		port = port * 10 + (unsigned long)(*p++ - '0');
	/* One spelling per port: no leading zeros, at most 5 digits. */
	if (p == *end + 1 || (*p >= '0' && *p <= '9') || (*end)[1] == '0' ||
	    port > 65535)
		return pb_refuse(e, what, url, "has a port that is not 1 to "
		    "65535");
	out->port = (unsigned)port;
	*end = p;
	return 0;
}

int
pb_url_parse(struct pb_url *out, const char *in, struct pb_err *e)
{
	const char *s, *end;
	size_t n = strlen(in);

	if (n > PB_URL_MAX)
		return pb_refuse(e, "server_url", in, "is longer than %d bytes",
		    PB_URL_MAX);
	if (strncmp(in, "http://", 7) == 0)
		s = in + 7;
	else if (strncmp(in, "https://", 8) == 0)
		s = in + 8;
	else
		return pb_refuse(e, "server_url", in, "does not start with "
		    "http:// or https://");
	if (pb_url_authority("server_url", in, s, out, &end, e) == -1)
		return -1;
	if (*end != '\0' && *end != '/')
		return pb_refuse(e, "server_url", in, "has something other "
		    "than a port or a path after the host");
	if (strspn(end, PB_ALNUM "._~/-") != strlen(end))
		return pb_refuse(e, "server_url", in, "has a character outside "
		    "A-Z a-z 0-9 . _ ~ / - in its path");
	memcpy(out->scheme, in, (size_t)(s - 3 - in));
	out->scheme[s - 3 - in] = '\0';
	memcpy(out->path, end, strlen(end) + 1);
	memcpy(out->s, in, n + 1);
	return 0;
}

int
pb_server_url_check(const char *in, struct pb_err *e)
{
	struct pb_url u;

	return pb_url_parse(&u, in, e);
}

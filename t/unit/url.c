/* Unit tests for lib/core/url.c, the one owner of the server URL rule:
 * every verdict with its reason, and the parts a valid URL parses to.
 * t/sql/0102-constraints.sql runs the refused ones against SQL's copy. */
#include <stdio.h>
#include <string.h>

#include "core/url.h"
#include "tap.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const struct {
	const char *in, *err;	/* err NULL: must parse */
} cases[] = {
	{ "http://127.0.0.1:8080", NULL },
	{ "https://pxe.example.org/pb", NULL },
	{ "http://[fe80::1]:80/", NULL },
	{ "https://[fd00::1]:8443/pureboot/v1", NULL },
	{ "http://[::1]", NULL },
	{ "http://a:1", NULL },
	{ "http://a:65535", NULL },
	{ "http://Pxe-1.lan/a_b~c.d/-", NULL },
	{ "http://-", "server_url \"http://-\" has a host name that is not "
	  "dot-separated labels of letters, digits and '-'" },
	{ "http://:::", "server_url \"http://:::\" has no host" },
	{ "http://a:99999", "server_url \"http://a:99999\" has a port that is "
	  "not 1 to 65535" },
	{ "http://.", "server_url \"http://.\" has a host name that is not "
	  "dot-separated labels of letters, digits and '-'" },
	{ "http://", "server_url \"http://\" has no host" },
	{ "http:///x", "server_url \"http:///x\" has no host" },
	{ "http://a.", "server_url \"http://a.\" has a host name ending in '.'" },
	{ "http://a-.b", "server_url \"http://a-.b\" has a host name that is "
	  "not dot-separated labels of letters, digits and '-'" },
	{ "http://a:0", "server_url \"http://a:0\" has a port that is not 1 to "
	  "65535" },
	{ "http://a:65536", "server_url \"http://a:65536\" has a port that is "
	  "not 1 to 65535" },
	{ "http://a:080", "server_url \"http://a:080\" has a port that is not 1 "
	  "to 65535" },
	{ "http://a:", "server_url \"http://a:\" has a port that is not 1 to "
	  "65535" },
	{ "http://[]", "server_url \"http://[]\" has an invalid [IPv6] host" },
	{ "http://[:::]", "server_url \"http://[:::]\" has an invalid [IPv6] "
	  "host" },
	{ "http://[1.2.3.4]", "server_url \"http://[1.2.3.4]\" has an invalid "
	  "[IPv6] host" },
	{ "http://[fe80::1%eth0]", "server_url \"http://[fe80::1%eth0]\" has an "
	  "invalid [IPv6] host" },
	{ "http://[fe80::1", "server_url \"http://[fe80::1\" has an "
	  "unterminated [IPv6] host" },
	{ "http://1.2.3", "server_url \"http://1.2.3\" has a host that is not a "
	  "valid IPv4 address" },
	{ "http://1.2.3.256", "server_url \"http://1.2.3.256\" has a host that "
	  "is not a valid IPv4 address" },
	{ "http://u@a/", "server_url \"http://u@a/\" has user information "
	  "before the host" },
	{ "ftp://x", "server_url \"ftp://x\" does not start with http:// or "
	  "https://" },
	{ "HTTP://x", "server_url \"HTTP://x\" does not start with http:// or "
	  "https://" },
	{ "http://x/a b", "server_url \"http://x/a b\" has a character outside "
	  "A-Z a-z 0-9 . _ ~ / - in its path" },
	{ "http://x/$(id)", "server_url \"http://x/$(id)\" has a character "
	  "outside A-Z a-z 0-9 . _ ~ / - in its path" },
	{ "http://x?a=1", "server_url \"http://x?a=1\" has something other "
	  "than a port or a path after the host" },
	{ "http://x\n", "server_url \"http://x\\x0a\" has a host name that is "
	  "not dot-separated labels of letters, digits and '-'" },
	{ "http://pure boot:8080", "server_url \"http://pure boot:8080\" has a "
	  "host name that is not dot-separated labels of letters, digits and "
	  "'-'" },
};

int
main(void)
{
	static char big[3100];
	struct pb_url u;
	struct pb_err e;
	size_t i;

	for (i = 0; i < N(cases); i++) {
		memset(&e, 0, sizeof(e));
		tap_is(pb_url_parse(&u, cases[i].in, &e) == 0 ? NULL : e.msg,
		    cases[i].err, cases[i].in);
	}

	/* The length is checked first: a 3,000-byte host passed the API
	 * and SQL once, and only the hook refused it. */
	memcpy(big, "http://", 7);
	memset(big + 7, 'a', 3000);
	big[3007] = '\0';
	tap_ok(pb_url_parse(&u, big, &e) == -1 &&
	    strstr(e.msg, "is longer than 200 bytes") != NULL,
	    "3,000-byte host: longer than 200 bytes");
	memset(big + 7, 'a', 193);	/* 200 bytes, labels of 63 */
	big[7 + 63] = big[7 + 127] = big[7 + 191] = '.';
	big[200] = '\0';
	tap_ok(pb_url_parse(&u, big, &e) == 0, "200 bytes: parses");
	big[200] = 'a';
	big[201] = '\0';
	tap_ok(pb_url_parse(&u, big, &e) == -1 &&
	    strstr(e.msg, "is longer than 200 bytes") != NULL,
	    "201 bytes: longer than 200 bytes");

	tap_ok(pb_url_parse(&u, "https://[fd00::1]:8443/pb/v1", &e) == 0 &&
	    strcmp(u.scheme, "https") == 0 && strcmp(u.host, "[fd00::1]") == 0 &&
	    u.port == 8443 && strcmp(u.path, "/pb/v1") == 0 &&
	    strcmp(u.s, "https://[fd00::1]:8443/pb/v1") == 0,
	    "parts of an https IPv6 URL");
	tap_ok(pb_url_parse(&u, "http://10.0.0.1", &e) == 0 &&
	    strcmp(u.scheme, "http") == 0 && strcmp(u.host, "10.0.0.1") == 0 &&
	    u.port == 0 && strcmp(u.path, "") == 0, "parts: no port, no path");
	tap_ok(pb_server_url_check("http://a:1", &e) == 0 &&
	    pb_server_url_check("http://a:0", NULL) == -1,
	    "pb_server_url_check gives pb_url_parse's verdict");
	return tap_done();
}

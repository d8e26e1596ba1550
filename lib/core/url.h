/* url.h: URLs, and the server URL setting (pure).
 *
 * This file is the one owner of the server URL rule.  The API
 * (fcgi/h_settings.c), the renderers (lib/boot/render_cmdline.c), the
 * hook (tftp-hook/db.c) and the workflow URL check (lib/wf/wf_rules.c,
 * which shares the host and port part) call it.  The settings table's
 * CHECK (sql/021-server-url.sql, pureboot.server_url_ok) is a copy in
 * SQL, as close as a regular expression allows; t/sql/0102-constraints.sql
 * runs the same refused examples as t/unit/url.c against it. */
#ifndef PB_URL_H
#define PB_URL_H

#include "core/err.h"

/* The whole server URL, checked first, so that a long host is refused
 * here, by the API and by SQL alike, not only later by the hook. */
#define PB_URL_MAX 200

/* A server URL: http:// or https://, a host, an optional port, an
 * optional path.  Exists only if valid (pb_url_parse).
 *	host	an RFC 1123 name of dot-separated labels (1 to 63 of
 *		[A-Za-z0-9-], no leading or trailing '-', no trailing '.'),
 *		a dotted IPv4 address, or an IPv6 address in brackets of
 *		hex digits and ':' only; kept as written, brackets included
 *	port	1 to 65535 without leading zeros; 0 when none was given
 *	path	"" or '/' then [A-Za-z0-9._~/-]; no query, no fragment
 * so that it goes into cmdline.txt, URLs and KEY='value' lines as it
 * is, unquoted. */
struct pb_url {
	char scheme[6];			/* "http" or "https" */
	char host[256];
	unsigned port;
	char path[PB_URL_MAX + 1];
	char s[PB_URL_MAX + 1];		/* the URL as given */
};

/* Refusals read: server_url "VALUE" is longer than 200 bytes. */
int pb_url_parse(struct pb_url *out, const char *in, struct pb_err *e);
/* pb_url_parse for a caller that only needs the verdict. */
int pb_server_url_check(const char *in, struct pb_err *e);

/* The host[:port] at s, inside url (just past its "scheme://"); it
 * stops at '/', '?', '#' or the end, and *end is set there.  Fills in
 * host and port of out.  Shared with the workflow URL check.  Refusals
 * read WHAT "URL" REASON (pb_refuse):
 *	server_url "http://a:0" has a port that is not 1 to 65535 */
int pb_url_authority(const char *what, const char *url, const char *s,
    struct pb_url *out, const char **end, struct pb_err *e);
/* h[0..n), a part of v, as dot-separated RFC 1123 labels; refusals
 * read WHAT "V" REASON. */
int pb_dnsname_check(const char *what, const char *v, const char *h,
    size_t n, struct pb_err *e);

#endif

/* url.h: the server URL setting (pure). */
#ifndef PB_URL_H
#define PB_URL_H

#include "core/err.h"

/* http:// or https://, a host of [A-Za-z0-9.:[]-] (name, IPv4, [IPv6],
 * port), then optionally a path of [A-Za-z0-9._~/-]: the same rule as
 * the settings table's check, so that it can go into URLs, config files
 * and KEY='value' lines unquoted. */
int pb_server_url_check(const char *in, struct pb_err *e);

#endif

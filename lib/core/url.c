/* url.c: the server URL setting (pure). */
#include <string.h>

#include "core/url.h"

#define ALNUM "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz" \
	"0123456789"

int
pb_server_url_check(const char *in, struct pb_err *e)
{
	const char *s = in;
	char q[80];
	size_t n;

	pb_quote(q, sizeof(q), in, 60);
	if (strncmp(s, "http://", 7) == 0)
		s += 7;
	else if (strncmp(s, "https://", 8) == 0)
		s += 8;
	else
		return pb_fail(e, "server_url \"%s\" does not start with http:// "
		    "or https://", q);
	n = strspn(s, ALNUM ".:[]-");
	if (n == 0)
		return pb_fail(e, "server_url \"%s\" has no host", q);
	s += n;
	if (*s == '\0')
		return 0;
	if (*s != '/' || strspn(s, ALNUM "._~/-") != strlen(s))
		return pb_fail(e, "server_url \"%s\" has a character outside "
		    "A-Z a-z 0-9 . _ ~ / - in its path", q);
	if (strlen(in) > 200)
		return pb_fail(e, "server_url \"%s\" is longer than 200 bytes", q);
	return 0;
}

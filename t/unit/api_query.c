/* Unit tests for fcgi/query.c: strict query-string decoding.
 * want NULL: refused; "-": absent. */
#include "query.h"
#include "tap.h"

static const char *const keys[] = { "serial", "mac", "format", NULL };

static const struct { const char *name, *q, *key, *want; } gets[] = {
	{ "plain", "serial=d83add36&mac=x", "serial", "d83add36" },
	{ "second key", "serial=d83add36&mac=dc:a6", "mac", "dc:a6" },
	{ "percent-decoded", "mac=dc%3Aa6%3a32", "mac", "dc:a6:32" },
	{ "plus is a space", "serial=d83add36+", "serial", "d83add36 " },
	{ "trailing newline kept for the parser", "serial=d83add36%0a",
	  "serial", "d83add36\n" },
	{ "absent", "mac=x", "serial", "-" },
	{ "empty query", "", "serial", "-" },
	{ "empty value", "serial=", "serial", "" },
	{ "key without =", "serial", "serial", "" },
	{ "stray ampersands", "&&serial=a&&", "serial", "a" },
	{ "%00 refused", "serial=d83add36%00", "serial", NULL },
	{ "short escape refused", "serial=d8%4", "serial", NULL },
	{ "bad escape refused", "serial=d8%zz", "serial", NULL },
	{ "too long refused", "serial=0123456789012345678901234567890123",
	  "serial", NULL },
};

static const struct { const char *name, *q; int ok; } checks[] = {
	{ "known keys", "serial=a&mac=b&format=env", 1 },
	{ "empty", "", 1 },
	{ "unknown key", "serial=a&sreial=b", 0 },
	{ "repeated key", "serial=a&serial=b", 0 },
	{ "repeated key, encoded", "serial=a&s%65rial=b", 0 },
	{ "NUL in a key", "ser%00ial=a", 0 },
};

int
main(void)
{
	struct pb_err e;
	char out[32];
	size_t i;
	int rc;

	for (i = 0; i < sizeof(gets) / sizeof(gets[0]); i++) {
		rc = pb_query_get(gets[i].q, gets[i].key, out, sizeof(out), &e);
		tap_is(rc == -1 ? NULL : rc == 0 ? "-" : out, gets[i].want,
		    gets[i].name);
	}
	for (i = 0; i < sizeof(checks) / sizeof(checks[0]); i++)
		tap_ok((pb_query_check(checks[i].q, keys, &e) == 0) ==
		    checks[i].ok, checks[i].name);
	return tap_done();
}

/* Unit tests for cli/conf.c's api_conf_parse: the cli.conf grammar,
 * every refusal with its reason, and that no reason quotes a token. */
#include <stdio.h>
#include <string.h>

#include "api.h"
#include "tap.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define TOK "pb1.0123456789ab.KHp48K94IWlemHnvEAql6nPP7dZF8WGRH-Iv9CP-Amg"

static const struct {
	const char *name, *text, *err;	/* err NULL: must parse */
	const char *url, *token;	/* what it parses to */
} cases[] = {
	{ "empty", "", NULL, "", "" },
	{ "both, spaced, comments", "# site\n\n  url = http://10.0.0.1:8080/\n"
	  "token=" TOK "  \n", NULL, "http://10.0.0.1:8080", TOK },
	{ "CRLF and tabs", "url\t=\thttps://pxe.example.org/pb\r\n", NULL,
	  "https://pxe.example.org/pb", "" },
	{ "no newline at the end", "url = http://a", NULL, "http://a", "" },
	{ "unknown key", "url = http://a\nuser = x\n",
	  "c:2: unknown key \"user\" (url, token)", NULL, NULL },
	{ "a key twice", "url = http://a\nurl = http://b\n",
	  "c:2: key \"url\" is given twice", NULL, NULL },
	{ "no =", "token " TOK "\n", "c:1: \"token\" is not key = value",
	  NULL, NULL },
	{ "no = and no space", "url\n", "c:1: \"url\" is not key = value",
	  NULL, NULL },
	{ "a bad url", "url = http://a b\n", "c:1: url: server_url "
	  "\"http://a b\" has a host name that is not dot-separated labels "
	  "of letters, digits and '-'", NULL, NULL },
	{ "an empty url", "url =\n", "c:1: url: server_url \"\" does not "
	  "start with http:// or https://", NULL, NULL },
	{ "an install token", "token = pbi1.0123456789abcdef.KHp48K94IWlem"
	  "HnvEAql6nPP7dZF8WGRH-Iv9CP-Amg\n", "c:1: token: token is an "
	  "install token, not an operator token (pb1....)", NULL, NULL },
	{ "not a token, not quoted", "token = hunter2\n", "c:1: token: "
	  "bearer token is not of the form pb1.<id>.<secret> or "
	  "pbi1.<id>.<secret>", NULL, NULL },
	{ "a control byte in the key", "u\033rl = x\n",
	  "c:1: unknown key \"u\\x1brl\" (url, token)", NULL, NULL },
};

int
main(void)
{
	struct api_conf c;
	struct pb_err e;
	char name[160];
	size_t i;
	int rc;

	for (i = 0; i < N(cases); i++) {
		memset(&c, 0, sizeof(c));
		e.msg[0] = '\0';
		rc = api_conf_parse(&c, cases[i].text, "c", &e);
		snprintf(name, sizeof(name), "%s: verdict", cases[i].name);
		tap_is(rc == 0 ? NULL : e.msg, cases[i].err, name);
		if (cases[i].err == NULL) {
			snprintf(name, sizeof(name), "%s: url", cases[i].name);
			tap_is(c.url, cases[i].url, name);
			snprintf(name, sizeof(name), "%s: token", cases[i].name);
			tap_is(c.token, cases[i].token, name);
		} else {
			snprintf(name, sizeof(name), "%s: no secret in the "
			    "reason", cases[i].name);
			tap_ok(strstr(e.msg, "KHp48K94") == NULL &&
			    strstr(e.msg, "hunter2") == NULL, name);
		}
	}
	return tap_done();
}

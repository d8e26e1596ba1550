/* chars.c: character classes and the checks built on them (pure). */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "core/chars.h"
#include "core/url.h"

int
pb_hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

const char *
pb_bad_char(const char *s, const char *set, char buf[32])
{
	unsigned char c;
	size_t i = strspn(s, set);

	if (s[i] == '\0')
		return NULL;
	c = (unsigned char)s[i];
	if (c == ' ' || c == '\t')
		return "whitespace";
	if (c == '"' || c == '\'' || c == '`')
		return "a quote";
	if (c < 0x20 || c == 0x7f)
		snprintf(buf, 32, "control byte 0x%02x", c);
	else if (c >= 0x80)
		snprintf(buf, 32, "non-ASCII byte 0x%02x", c);
	else
		snprintf(buf, 32, "'%c'", c);
	return buf;
}

int
pb_check_set(const char *what, const char *v, const char *set,
    const char *setname, struct pb_err *e)
{
	char buf[32];
	const char *b = pb_bad_char(v != NULL ? v : "", set, buf);

	if (b != NULL)
		return pb_refuse(e, what, v, "contains %s, which is not allowed "
		    "in %s", b, setname);
	return 0;
}

/* 1 to max bytes; NULL is "". */
static int
length_ok(const char *what, const char *v, size_t max, struct pb_err *e)
{
	size_t n = v != NULL ? strlen(v) : 0;

	if (n == 0 || n > max)
		return pb_refuse(e, what, v, "is not 1 to %zu characters", max);
	return 0;
}

int
pb_check_relpath(const char *what, const char *v, struct pb_err *e)
{
	size_t n;

	if (length_ok(what, v, 128, e) == -1)
		return -1;
	n = strlen(v);
	if (strspn(v, PB_ALNUM "._-/") != n || v[0] == '.' || v[0] == '/' ||
	    v[n - 1] == '/' || strstr(v, "..") != NULL ||
	    strstr(v, "//") != NULL || strstr(v, "/.") != NULL)
		return pb_refuse(e, what, v, "is not a plain relative file name "
		    "(A-Z a-z 0-9 . _ - /, no \"..\")");
	return 0;
}

int
pb_check_filename(const char *what, const char *v, struct pb_err *e)
{
	if (length_ok(what, v, 128, e) == -1)
		return -1;
	if (strchr(v, '/') != NULL)
		return pb_refuse(e, what, v, "contains '/'; it must be one file "
		    "name");
	if (pb_check_set(what, v, PB_ALNUM "._-", "a file name", e) == -1)
		return -1;
	if (v[0] == '.' || v[0] == '-')
		return pb_refuse(e, what, v, "starts with '%c'", v[0]);
	return 0;
}

int
pb_check_abspath(const char *what, const char *v, struct pb_err *e)
{
	const char *p;
	size_t n;

	if (v == NULL || v[0] != '/')
		return pb_refuse(e, what, v, "is not an absolute path");
	if (strlen(v) > 255)
		return pb_refuse(e, what, v, "is longer than 255 characters");
	if (pb_check_set(what, v, PB_ALNUM "._/-", "a path", e) == -1)
		return -1;
	if (strcmp(v, "/") == 0)
		return 0;
	for (p = v + 1;; p += n + 1) {
		n = strcspn(p, "/");
		if (n == 0)
			return pb_refuse(e, what, v, "has an empty component "
			    "('//' or a trailing '/')");
		if ((n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' &&
		    p[1] == '.'))
			return pb_refuse(e, what, v, "has a '.' or '..' "
			    "component");
		if (p[n] == '\0')
			return 0;
	}
}

int
pb_check_host(const char *what, const char *v, struct pb_err *e)
{
	unsigned char bin[16];
	size_t n = v != NULL ? strlen(v) : 0;

	if (n == 0)
		return pb_refuse(e, what, v, "is not a host name or an IP "
		    "address");
	if (pb_check_set(what, v, PB_ALNUM ".:-", "a host", e) == -1)
		return -1;
	if (inet_pton(AF_INET, v, bin) == 1 || inet_pton(AF_INET6, v, bin) == 1)
		return 0;
	if (strchr(v, ':') != NULL)
		return pb_refuse(e, what, v, "is not a valid IP address");
	if (strspn(v, PB_DIGIT ".") == n)
		return pb_refuse(e, what, v, "is not a valid IPv4 address");
	return pb_dnsname_check(what, v, v, n, e);
}

int
pb_check_cmdword(const char *what, const char *v, struct pb_err *e)
{
	if (length_ok(what, v, 255, e) == -1)
		return -1;
	return pb_check_set(what, v, PB_CMDWORD, "a command-line word", e);
}

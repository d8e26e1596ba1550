/* chars.c: character classes and the checks built on them (pure). */
#include <stdio.h>
#include <string.h>

#include "core/chars.h"

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

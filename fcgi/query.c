/* query.c: strict query-string decoding (pure). */
#include <string.h>

#include "core/chars.h"
#include "query.h"

/* Decode s[0..n) into out; what names the value in the reason. */
static int
decode(const char *s, size_t n, char *out, size_t outsz, const char *what,
    struct pb_err *e)
{
	size_t i, o = 0;
	int hi, lo;
	char c;

	for (i = 0; i < n; i++) {
		c = s[i];
		if (c == '+')
			c = ' ';
		else if (c == '%') {
			if (i + 2 >= n)
				return pb_fail(e, "query: %s: bad %%-escape", what);
			hi = pb_hexval(s[i + 1]);
			lo = pb_hexval(s[i + 2]);
			if (hi < 0 || lo < 0)
				return pb_fail(e, "query: %s: bad %%-escape", what);
			c = (char)(hi << 4 | lo);
			if (c == '\0')
				return pb_fail(e, "query: %s: contains a NUL byte",
				    what);
			i += 2;
		}
		if (o + 1 >= outsz)
			return pb_fail(e, "query: %s: value longer than %zu bytes",
			    what, outsz - 1);
		out[o++] = c;
	}
	out[o] = '\0';
	return 0;
}

/* One key=value pair of the query, as spans of the raw text. */
struct pair { const char *k, *v; size_t kl, vl; };

static const char *
next_pair(const char *p, struct pair *pr)
{
	size_t n;
	const char *eq;

	while (*p == '&')
		p++;
	if (*p == '\0')
		return NULL;
	n = strcspn(p, "&");
	eq = memchr(p, '=', n);
	pr->k = p;
	pr->kl = eq != NULL ? (size_t)(eq - p) : n;
	pr->v = eq != NULL ? eq + 1 : p + n;
	pr->vl = eq != NULL ? n - pr->kl - 1 : 0;
	return p + n;
}

int
pb_query_check(const char *query, const char *const *keys, struct pb_err *e)
{
	char k[64], k2[64], q[80];
	const char *p = query, *p2;
	struct pair pr, pr2;
	size_t i;

	while ((p = next_pair(p, &pr)) != NULL) {
		if (decode(pr.k, pr.kl, k, sizeof(k), "parameter name", e) == -1)
			return -1;
		for (i = 0; keys[i] != NULL; i++)
			if (strcmp(k, keys[i]) == 0)
				break;
		if (keys[i] == NULL) {
			pb_quote(q, sizeof(q), k, 40);
			return pb_fail(e, "query: unknown parameter \"%s\"", q);
		}
		p2 = p;
		while ((p2 = next_pair(p2, &pr2)) != NULL) {
			if (decode(pr2.k, pr2.kl, k2, sizeof(k2), "parameter name",
			    e) == -1)
				return -1;
			if (strcmp(k, k2) == 0)
				return pb_fail(e, "query: parameter \"%s\" given "
				    "twice", k);
		}
	}
	return 0;
}

int
pb_query_get(const char *query, const char *key, char *out, size_t outsz,
    struct pb_err *e)
{
	char k[64];
	const char *p = query;
	struct pair pr;

	out[0] = '\0';
	while ((p = next_pair(p, &pr)) != NULL) {
		if (decode(pr.k, pr.kl, k, sizeof(k), "parameter name", e) == -1)
			return -1;
		if (strcmp(k, key) != 0)
			continue;
		if (decode(pr.v, pr.vl, out, outsz, key, e) == -1)
			return -1;
		return 1;
	}
	return 0;
}

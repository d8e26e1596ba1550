/* conf.c: /etc/pureboot/cli.conf and the environment: where the API is
 * and the operator's token.
 *
 * The file holds a bearer token, so one that others may read is
 * refused outright, not warned about: a token leaked that way is good
 * for every operator endpoint until revoked. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "api.h"

#define CONF_MAX 8192

static int
set_url(struct api_conf *c, const char *v, struct pb_err *e)
{
	size_t n = strlen(v);

	if (pb_server_url_check(v, e) == -1)
		return -1;
	/* "http://h/" and "http://h" are one server: paths are appended. */
	while (n > 0 && v[n - 1] == '/')
		n--;
	memcpy(c->url, v, n);
	c->url[n] = '\0';
	return 0;
}

static int
set_token(struct api_conf *c, const char *v, struct pb_err *e)
{
	char hdr[PB_TOKEN_MAX + 16];
	struct pb_token t;

	if (strlen(v) > PB_TOKEN_MAX)
		return pb_fail(e, "token is not an operator token (pb1....): "
		    "too long");
	snprintf(hdr, sizeof(hdr), "Bearer %s", v);
	/* The reason never quotes the token: it may be a real one. */
	if (pb_token_parse(&t, hdr, e) == -1)
		return -1;
	if (t.kind != PB_TOKEN_API)
		return pb_fail(e, "token is an install token, not an operator "
		    "token (pb1....)");
	memcpy(c->token, v, strlen(v) + 1);
	return 0;
}

/* One line, NUL-terminated, without its newline. */
static int
conf_line(struct api_conf *c, char *s, unsigned *seen, struct pb_err *e)
{
	char *k, *v, *end, q[80];
	struct pb_err why;
	int eq;

	s += strspn(s, " \t");
	if (*s == '\0' || *s == '#')
		return 0;
	k = s;
	s += strcspn(s, " \t=");
	end = s;
	s += strspn(s, " \t");
	eq = *s == '=';
	*end = '\0';
	/* Only the key is quoted: the rest may be a token. */
	if (!eq) {
		pb_quote(q, sizeof(q), k, 40);
		return pb_fail(e, "\"%s\" is not key = value", q);
	}
	v = s + 1 + strspn(s + 1, " \t");
	for (end = v + strlen(v); end > v && (end[-1] == ' ' ||
	    end[-1] == '\t' || end[-1] == '\r'); end--)
		;
	*end = '\0';
	if (strcmp(k, "url") == 0 && !(*seen & 1)) {
		*seen |= 1;
		if (set_url(c, v, &why) == -1)
			return pb_fail(e, "url: %s", why.msg);
		return 0;
	}
	if (strcmp(k, "token") == 0 && !(*seen & 2)) {
		*seen |= 2;
		if (set_token(c, v, &why) == -1)
			return pb_fail(e, "token: %s", why.msg);
		return 0;
	}
	pb_quote(q, sizeof(q), k, 40);
	if (strcmp(k, "url") == 0 || strcmp(k, "token") == 0)
		return pb_fail(e, "key \"%s\" is given twice", q);
	return pb_fail(e, "unknown key \"%s\" (url, token)", q);
}

int
api_conf_parse(struct api_conf *c, const char *text, const char *file,
    struct pb_err *e)
{
	char line[1024];
	struct pb_err why;
	unsigned seen = 0, lineno = 0;
	const char *p = text;
	size_t n;

	while (*p != '\0') {
		lineno++;
		n = strcspn(p, "\n");
		if (n >= sizeof(line))
			return pb_fail(e, "%s:%u: line longer than %zu bytes",
			    file, lineno, sizeof(line) - 1);
		memcpy(line, p, n);
		line[n] = '\0';
		if (conf_line(c, line, &seen, &why) == -1)
			return pb_fail(e, "%s:%u: %s", file, lineno, why.msg);
		p += n;
		if (*p == '\n')
			p++;
	}
	return 0;
}

/* The file's text, refused when group or others may read or write it
 * or it is not a regular file.  1: read; 0: missing and optional. */
static int
conf_read(const char *file, int must, char *buf, size_t bufsz,
    struct pb_err *e)
{
	struct stat st;
	ssize_t n;
	size_t len = 0;
	int fd, rc = -1;

	if ((fd = open(file, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) == -1) {
		if (errno == ENOENT && !must)
			return 0;
		return pb_fail(e, "config \"%s\": %s", file, strerror(errno));
	}
	if (fstat(fd, &st) == -1) {
		pb_fail(e, "config \"%s\": %s", file, strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		pb_fail(e, "config \"%s\" is not a regular file", file);
		goto out;
	}
	/* Group-readable is allowed: an "operators" group may share one. */
	if (st.st_mode & (S_IROTH | S_IWOTH | S_IWGRP)) {
		pb_fail(e, "config \"%s\" is mode %04o: it holds a token, so "
		    "others must not read it and only its owner may write it "
		    "(chmod 600 or 640)", file, (unsigned)(st.st_mode & 07777));
		goto out;
	}
	while ((n = read(fd, buf + len, bufsz - 1 - len)) > 0)
		len += (size_t)n;
	if (n == -1) {
		pb_fail(e, "config \"%s\": %s", file, strerror(errno));
		goto out;
	}
	if (len == bufsz - 1) {
		pb_fail(e, "config \"%s\" is over %zu bytes", file, bufsz - 2);
		goto out;
	}
	if (memchr(buf, '\0', len) != NULL) {
		pb_fail(e, "config \"%s\" holds a NUL byte", file);
		goto out;
	}
	buf[len] = '\0';
	rc = 1;
out:
	close(fd);
	return rc;
}

int
api_conf_load(struct api_conf *c, struct pb_err *e)
{
	const char *file = getenv("PUREBOOT_CONF"), *url, *tok;
	struct pb_err why;
	char buf[CONF_MAX];
	int rc;

	memset(c, 0, sizeof(*c));
	rc = conf_read(file ? file : CLI_CONF_DEFAULT, file != NULL, buf,
	    sizeof(buf), e);
	if (rc == -1)
		return -1;
	if (rc == 1 && api_conf_parse(c, buf, file ? file : CLI_CONF_DEFAULT,
	    e) == -1)
		return -1;
	if ((url = getenv("PUREBOOT_URL")) != NULL && *url != '\0' &&
	    set_url(c, url, &why) == -1)
		return pb_fail(e, "PUREBOOT_URL: %s", why.msg);
	if ((tok = getenv("PUREBOOT_TOKEN")) != NULL && *tok != '\0' &&
	    set_token(c, tok, &why) == -1)
		return pb_fail(e, "PUREBOOT_TOKEN: %s", why.msg);
	if (c->url[0] == '\0')
		return pb_fail(e, "no server URL: set url in %s or "
		    "PUREBOOT_URL", file ? file : CLI_CONF_DEFAULT);
	if (c->token[0] == '\0')
		return pb_fail(e, "no operator token: set token in %s or "
		    "PUREBOOT_TOKEN (pureboot token create NAME makes one)",
		    file ? file : CLI_CONF_DEFAULT);
	return 0;
}

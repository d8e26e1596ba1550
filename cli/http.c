/* http.c: the API over HTTP with libcurl: one handle per command,
 * JSON in and out, the API's error message passed on. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "api.h"
#include "cmd.h"

/* The largest answer taken: a page of 1000 nodes is about 500 KiB. */
#define REPLY_MAX (8u << 20)

struct api {
	struct api_conf conf;
	CURL *curl;
	char where[64];
};

struct buf {
	char *s;
	size_t len;
	int over;
};

static size_t
on_data(char *p, size_t size, size_t n, void *arg)
{
	struct buf *b = arg;
	size_t len = size * n;
	char *s;

	if (b->len + len > REPLY_MAX) {
		b->over = 1;
		return 0;
	}
	if ((s = realloc(b->s, b->len + len + 1)) == NULL)
		return 0;
	memcpy(s + b->len, p, len);
	b->len += len;
	s[b->len] = '\0';
	b->s = s;
	return len;
}

struct api *
api_open(const char *where)
{
	struct api *a;
	struct pb_err e;

	if ((a = calloc(1, sizeof(*a))) == NULL) {
		fprintf(stderr, "%s: out of memory\n", where);
		return NULL;
	}
	snprintf(a->where, sizeof(a->where), "%s", where);
	if (api_conf_load(&a->conf, &e) == -1) {
		fprintf(stderr, "%s: %s\n", where, e.msg);
		free(a);
		return NULL;
	}
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK ||
	    (a->curl = curl_easy_init()) == NULL) {
		fprintf(stderr, "%s: cannot initialise libcurl\n", where);
		free(a);
		return NULL;
	}
	return a;
}

void
api_close(struct api *a)
{
	if (a == NULL)
		return;
	curl_easy_cleanup(a->curl);
	explicit_bzero(a->conf.token, sizeof(a->conf.token));
	free(a);
}

int
api_call_quiet(struct api *a, const char *method, const char *path,
    const json_t *body, long *status, json_t **reply, struct pb_err *e)
{
	char url[PB_URL_MAX + 1024], auth[PB_TOKEN_MAX + 32];
	char errbuf[CURL_ERROR_SIZE] = "";
	struct curl_slist *h = NULL;
	struct buf b = { NULL, 0, 0 };
	json_error_t je;
	char *out = NULL;
	CURLcode cc;
	int rc = -1;

	*status = 0;
	*reply = NULL;
	if ((size_t)snprintf(url, sizeof(url), "%s/api/v1/%s", a->conf.url,
	    path) >= sizeof(url))
		return pb_fail(e, "URL of \"%.40s...\" too long", path);
	snprintf(auth, sizeof(auth), "Authorization: Bearer %s",
	    a->conf.token);
	curl_easy_reset(a->curl);
	h = curl_slist_append(h, auth);
	h = curl_slist_append(h, "Accept: application/json");
	if (body != NULL) {
		if ((out = json_dumps(body, JSON_COMPACT)) == NULL) {
			pb_fail(e, "out of memory");
			goto out;
		}
		h = curl_slist_append(h, "Content-Type: application/json");
		curl_easy_setopt(a->curl, CURLOPT_POSTFIELDS, out);
	}
	curl_easy_setopt(a->curl, CURLOPT_URL, url);
	curl_easy_setopt(a->curl, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(a->curl, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(a->curl, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(a->curl, CURLOPT_WRITEDATA, &b);
	curl_easy_setopt(a->curl, CURLOPT_ERRORBUFFER, errbuf);
	/* Never follow a redirect: the token would go with it. */
	curl_easy_setopt(a->curl, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(a->curl, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(a->curl, CURLOPT_CONNECTTIMEOUT, 10L);
	curl_easy_setopt(a->curl, CURLOPT_TIMEOUT, 60L);
	curl_easy_setopt(a->curl, CURLOPT_NOSIGNAL, 1L);
	if ((cc = curl_easy_perform(a->curl)) != CURLE_OK) {
		pb_fail(e, "API %s: %s", a->conf.url, b.over ? "answer over "
		    "8 MiB" : errbuf[0] ? errbuf : curl_easy_strerror(cc));
		goto out;
	}
	curl_easy_getinfo(a->curl, CURLINFO_RESPONSE_CODE, status);
	if (b.len > 0 && (*reply = json_loadb(b.s, b.len, 0, &je)) == NULL) {
		pb_fail(e, "API %s %s: %ld, not JSON: %s", method, path,
		    *status, je.text);
		*status = 0;
		goto out;
	}
	rc = 0;
out:
	curl_slist_free_all(h);
	explicit_bzero(auth, sizeof(auth));
	free(out);
	free(b.s);
	return rc;
}

int
api_status_exit(long status)
{
	if (status == 404)
		return CMD_NOTFOUND;
	if (status == 409)
		return CMD_CONFLICT;
	return CMD_FAIL;
}

int
api_call(struct api *a, const char *method, const char *path,
    const json_t *body, json_t **reply)
{
	const char *msg;
	struct pb_err e;
	long status;

	if (api_call_quiet(a, method, path, body, &status, reply, &e) == -1) {
		fprintf(stderr, "%s: %s\n", a->where, e.msg);
		return CMD_FAIL;
	}
	if (status >= 200 && status < 300)
		return CMD_OK;
	/* The API's message names the thing and the reason already. */
	msg = json_string_value(json_object_get(json_object_get(*reply,
	    "error"), "message"));
	fprintf(stderr, "%s: %ld %s\n", a->where, status, msg ? msg :
	    "(no error message)");
	json_decref(*reply);
	*reply = NULL;
	return api_status_exit(status);
}

int
api_query_add(char *out, size_t outsz, char sep, const char *key,
    const char *value)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = strlen(out);
	const unsigned char *p;

	if ((size_t)snprintf(out + n, outsz - n, "%c%s=", sep, key) >=
	    outsz - n)
		return -1;
	n = strlen(out);
	for (p = (const unsigned char *)value; *p != '\0'; p++) {
		if (n + 4 > outsz)
			return -1;
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || strchr("-._~", *p) != NULL)
			out[n++] = (char)*p;
		else {
			out[n++] = '%';
			out[n++] = hex[*p >> 4];
			out[n++] = hex[*p & 15];
		}
	}
	out[n] = '\0';
	return 0;
}
